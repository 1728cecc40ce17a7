// Everything a run starts before its tests, and stops after them (README.md "What a run does"):
//   always: the test PKI (pki.js), the seed's Perl echo server, dnsmasq, the shared reference
//           server (http + https with the test CA's certificate, RFC 2817 on the http port);
//   on demand, when a selected test names them (`servers=` or a `{port}` placeholder in a
//   directive): tinyproxy, squid, nginx with its two upstream reference servers, and the
//   reference servers of the TLS failure tests.
// Their ports reach pages through /ports.js (`var ports = {...}`), which every reference server
// reads from one file in the run's temporary directory.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const {startNginx, startSquid, startTinyproxy} = require('./components');
const {createTestPki} = require('./pki');
const {pickFreePort} = require('./processes');
const {startDnsServer, startPerlEchoServer, startReferenceServer} = require('./servers');

// Port names pages and directives can use, and the component that provides each ("core" ones
// are always there; http and https are those of the server the page was loaded from).
const kPortComponents = Object.freeze({
  http: 'core', https: 'core', perl_echo: 'core', dns: 'core', closed: 'core',
  tinyproxy: 'tinyproxy',
  squid: 'squid',
  nginx: 'nginx', nginx_https: 'nginx', nginx_upstream_a: 'nginx', nginx_upstream_b: 'nginx',
  https_wrong_host: 'tls', https_expired: 'tls', https_untrusted: 'tls', tls_required: 'tls',
});
const kComponents = Object.freeze(['tinyproxy', 'squid', 'nginx', 'tls']);

// Like Promise.all, but waits for every promise to settle before rejecting with the first
// failure: a server still starting when another failed must be tracked (and so stopped).
async function settleAll(promises) {
  const outcomes = await Promise.allSettled(promises);
  const failure = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failure) throw failure.reason;
  return outcomes.map((outcome) => outcome.value);
}

// Starts the core servers and `components` (a set of names from kComponents). Resolves to
//   {ports: {name: port} (all but http/https), caFile, shared (the shared reference server),
//    allPorts() (every port of every server started, for the :PORT normalisation),
//    startIsolatedServer(name), stop()}.
// On any failure, whatever did start is stopped before the error is thrown.
async function startEnvironment({serverBinary, rootDirectory, perlScript, components = new Set(), verbose = false}) {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-web-tests-'));
  // squid drops root privileges and must still reach its own subdirectory.
  fs.chmodSync(directory, 0o711);
  const running = [];
  const extraPortNumbers = [];
  const ports = {};
  const portsFile = path.join(directory, 'ports.json');
  const writePortsFile = () => fs.writeFileSync(portsFile, `${JSON.stringify(ports)}\n`);
  writePortsFile();

  const stop = async () => {
    const stopping = running.splice(0);
    await Promise.all(stopping.map((server) => server.stop().catch(() => {})));
    fs.rmSync(directory, {recursive: true, force: true});
  };
  const track = (server) => {
    running.push(server);
    return server;
  };
  const reference = (name, options = {}) => startReferenceServer({
    binary: serverBinary, rootDirectory, portsJsonFile: portsFile, verbose, name, ...options,
  }).then(track);

  try {
    const pki = await createTestPki(path.join(directory, 'pki'));
    const [perlEcho, dns, shared] = await settleAll([
      startPerlEchoServer({script: perlScript, verbose}).then(track),
      startDnsServer({verbose}).then(track),
      reference('reference server', {tls: pki.certificates.server}),
    ]);
    ports.perl_echo = perlEcho.ports.http;
    ports.dns = dns.ports.dns;
    // Nothing listens here: the "proxy down" tests. (Picked free a moment ago; nothing of
    // this run binds it.)
    ports.closed = await pickFreePort();
    extraPortNumbers.push(...Object.values(shared.ports));

    const starting = [];
    const connectPorts = [shared.ports.http, shared.ports.https].filter(Boolean);
    if (components.has('tinyproxy')) {
      starting.push(startTinyproxy({directory: path.join(directory, 'tinyproxy'), connectPorts, verbose}).then(track)
          .then((server) => Object.assign(ports, server.ports)));
    }
    if (components.has('squid')) {
      starting.push(startSquid({directory: path.join(directory, 'squid'), connectPorts, verbose}).then(track)
          .then((server) => Object.assign(ports, server.ports)));
    }
    if (components.has('nginx')) {
      starting.push((async () => {
        const [a, b] = await settleAll([
          reference('nginx upstream a', {tls: pki.certificates.vhost_a}),
          reference('nginx upstream b', {tls: pki.certificates.vhost_b}),
        ]);
        extraPortNumbers.push(...Object.values(a.ports), ...Object.values(b.ports));
        ports.nginx_upstream_a = a.ports.http;
        ports.nginx_upstream_b = b.ports.http;
        const nginx = track(await startNginx({
          directory: path.join(directory, 'nginx'), upstreams: {a: a.ports.http, b: b.ports.http},
          certificates: {a: pki.certificates.vhost_a, b: pki.certificates.vhost_b}, verbose,
        }));
        Object.assign(ports, nginx.ports);
      })());
    }
    if (components.has('tls')) {
      starting.push((async () => {
        const [wrongHost, expired, untrusted, tlsRequired] = await settleAll([
          reference('reference server (certificate for another host)', {tls: pki.certificates.wrong_host}),
          reference('reference server (expired certificate)', {tls: pki.certificates.expired}),
          reference('reference server (certificate from an untrusted CA)', {tls: pki.certificates.untrusted}),
          reference('reference server (--require-tls-upgrade)', {tls: pki.certificates.server,
                                                                   extraArguments: ['--require-tls-upgrade']}),
        ]);
        for (const server of [wrongHost, expired, untrusted, tlsRequired]) extraPortNumbers.push(...Object.values(server.ports));
        ports.https_wrong_host = wrongHost.ports.https;
        ports.https_expired = expired.ports.https;
        ports.https_untrusted = untrusted.ports.https;
        ports.tls_required = tlsRequired.ports.http;
      })());
    }
    await settleAll(starting);
    writePortsFile();

    const isolated = new Set();
    return {
      ports: {...ports},
      caFile: pki.caFile,
      shared,
      directory,
      allPorts: () => [...new Set([...Object.values(ports), ...extraPortNumbers,
                                  ...[...isolated].flatMap((server) => Object.values(server.ports))])],
      startIsolatedServer: async (name) => {
        const server = await startReferenceServer({
          binary: serverBinary, rootDirectory, portsJsonFile: portsFile, verbose, name, tls: pki.certificates.server,
        });
        isolated.add(server);
        running.push(server);
        return {
          ...server,
          stop: async () => {
            const index = running.indexOf(server);
            if (index >= 0) running.splice(index, 1);
            await server.stop();
          },
        };
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

module.exports = {kPortComponents, kComponents, startEnvironment};
