// Starting and stopping the project's own servers and the DNS server the tests need:
//   - the reference server (servers/reference/, switchboard-server), started on port 0; it
//     reports its ports on stdout ("listening http 127.0.0.1 PORT" … "ready") and exits by
//     itself when its stdin closes, so it cannot outlive the runner even if the runner is killed;
//   - the seed's core-Perl echo server (servers/perl-echo.pl);
//   - dnsmasq, the shell's DNS server.
// The last two run under processes.js's wrapper with the parent-death signal.
'use strict';

const fs = require('node:fs');

const {ServerError, kStartupTimeoutMilliseconds, startOnFreePorts, startProcess} = require('./processes');

// Starts a reference server serving `rootDirectory`. `portsJsonFile`: the file whose members
// /ports.json and /ports.js add (re-read per request). `tls`: {cert, key} enables https and
// RFC 2817 upgrades. Resolves to {name, ports: {http, https?}, baseUrl, stop(), log()}.
function startReferenceServer({binary, rootDirectory, portsJsonFile = null, extraPorts = null, tls = null,
  extraArguments = [], verbose = false, name = 'reference server'}) {
  if (!fs.existsSync(binary)) {
    return Promise.reject(new ServerError(
        `${name}: ${binary} does not exist (build it: ninja -C <build-dir> switchboard-server, or pass --server/--build-dir)`));
  }
  const argv = [binary, '--root', rootDirectory, '--port', '0', '--exit-when-stdin-closes', '--idle-timeout', '1800'];
  if (portsJsonFile !== null) argv.push('--ports-json-file', portsJsonFile);
  if (extraPorts !== null) argv.push('--ports-json', JSON.stringify(extraPorts));
  if (tls !== null) argv.push('--tls-cert', tls.cert, '--tls-key', tls.key);
  argv.push(...extraArguments);
  if (verbose) argv.push('--verbose');

  return new Promise((resolve, reject) => {
    const ports = {};
    let stdoutBuffer = '';
    let settled = false;
    let handle = null;
    const settle = (error, value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        handle.child.kill('SIGKILL');
        handle.exited.then(() => reject(error));
      } else {
        resolve(value);
      }
    };
    const onStdout = (chunk) => {
      stdoutBuffer += chunk;
      let newline;
      while ((newline = stdoutBuffer.indexOf('\n')) >= 0) {
        const line = stdoutBuffer.slice(0, newline).trim();
        stdoutBuffer = stdoutBuffer.slice(newline + 1);
        const listening = /^listening (\w+) (\S+) (\d+)$/.exec(line);
        if (listening !== null) {
          ports[listening[1]] ??= Number(listening[3]);
        } else if (line === 'ready') {
          if (ports.http === undefined) {
            settle(new ServerError(`${name} reported no http port`));
            return;
          }
          settle(null, {
            name,
            ports,
            baseUrl: `http://127.0.0.1:${ports.http}/`,
            log: handle.log,
            stop: handle.stop,
          });
        }
      }
    };
    // Not wrapped: the server stops when its stdin (a pipe the runner holds) closes.
    handle = startProcess(name, argv, {wrap: false, verbose, stdoutListener: onStdout});
    const timer = setTimeout(
        () => settle(new ServerError(`${name} did not print "ready" within ${kStartupTimeoutMilliseconds} ms\n${handle.log()}`)),
        kStartupTimeoutMilliseconds);
    handle.exited.then(({code, signal, error}) => {
      settle(new ServerError(error ? `${name}: ${error.message}`
                                   : `${name} exited during start-up (${signal ?? `status ${code}`})\n${handle.log()}`));
    });
  });
}

// Starts the seed's core-Perl echo server (servers/perl-echo.pl, HIXIE.2) on port 0. Resolves
// to {name, ports: {http}, stop(), log()}; tests find its port as `ports.perl_echo` in /ports.js.
function startPerlEchoServer({script, verbose = false}) {
  return new Promise((resolve, reject) => {
    let buffer = '';
    let settled = false;
    let handle = null;
    const fail = (message) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      handle.stop().then(() => reject(new ServerError(`perl echo server: ${message}`)));
    };
    handle = startProcess('perl echo server', ['perl', script, '0'], {
      verbose,
      stdoutListener: (chunk) => {
        buffer += chunk;
        const listening = /^listening http 127\.0\.0\.1 (\d+)$/m.exec(buffer);
        if (!listening || settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({name: 'perl echo server', ports: {http: Number(listening[1])}, stop: handle.stop, log: handle.log});
      },
    });
    const timer = setTimeout(() => fail(`no port within ${kStartupTimeoutMilliseconds} ms\n${handle.log()}`),
                             kStartupTimeoutMilliseconds);
    handle.exited.then(({code, signal}) => fail(`exited during start-up (${signal ?? `status ${code}`})\n${handle.log()}`));
  });
}

// The test names of the real DNS server (dnsmasq from Debian): every name under example.test
// is 127.0.0.1, v6.example.test is ::1 only; other .test names do not exist.
const kDnsRecords = ['--address=/example.test/127.0.0.1', '--host-record=v6.example.test,::1'];

// Starts dnsmasq on a run-time port (it cannot pick one; retried on a clash). Resolves to
// {name, ports: {dns}, stop(), log()}; the runner hands `--dns-server 127.0.0.1:PORT` to every shell.
async function startDnsServer({verbose = false, attempts = 5}) {
  const binary = fs.existsSync('/usr/sbin/dnsmasq') ? '/usr/sbin/dnsmasq' : 'dnsmasq';
  const {handle, ports: [port]} = await startOnFreePorts('dns server (dnsmasq)', {
    attempts,
    verbose,
    failurePattern: /failed to create listening socket|Address already in use|cannot start/i,
    makeArgv: ([dnsPort]) => [binary, '--keep-in-foreground', '--conf-file=/dev/null', '--no-resolv', '--no-hosts',
      '--bind-interfaces', '--listen-address=127.0.0.1', `--port=${dnsPort}`, '--pid-file=',
      '--local=/test/', '--local-ttl=60', ...kDnsRecords],
  });
  return {name: 'dnsmasq', ports: {dns: port}, stop: handle.stop, log: handle.log};
}

module.exports = {ServerError, startReferenceServer, startPerlEchoServer, startDnsServer};
