// Starting and stopping the servers the tests need. Today: the reference server
// (servers/reference/, switchboard-server). It is started on port 0 and reports its ports on
// stdout ("listening http 127.0.0.1 PORT" … "ready"); it exits by itself when its stdin closes,
// so it cannot outlive the runner even if the runner is killed.
'use strict';

const {spawn} = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');

const kStartupTimeoutMilliseconds = 15000;

class ServerError extends Error {}

// Starts a reference server serving `rootDirectory`. Resolves to
// {ports: {http, https?}, baseUrl, stop(), log()}.
function startReferenceServer({binary, rootDirectory, extraPorts = {}, verbose = false, name = 'reference server'}) {
  if (!fs.existsSync(binary)) {
    return Promise.reject(new ServerError(
        `${name}: ${binary} does not exist (build it: ninja -C <build-dir> switchboard-server, or pass --server/--build-dir)`));
  }
  const argv = ['--root', rootDirectory, '--port', '0', '--exit-when-stdin-closes', '--idle-timeout', '1800',
                '--ports-json', JSON.stringify(extraPorts)];
  if (verbose) argv.push('--verbose');
  const child = spawn(binary, argv, {stdio: ['pipe', 'pipe', 'pipe']});
  let stderrTail = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    if (verbose) process.stderr.write(chunk);
    stderrTail = (stderrTail + chunk).slice(-8192);
  });

  return new Promise((resolve, reject) => {
    const ports = {};
    let stdoutBuffer = '';
    let settled = false;
    const settle = (error, value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        child.kill('SIGKILL');
        reject(error);
      } else {
        resolve(value);
      }
    };
    const timer = setTimeout(
        () => settle(new ServerError(`${name} did not print "ready" within ${kStartupTimeoutMilliseconds} ms\n${stderrTail}`)),
        kStartupTimeoutMilliseconds);
    child.on('error', (error) => settle(new ServerError(`${name}: ${error.message}`)));
    child.on('exit', (code, signal) => {
      settle(new ServerError(`${name} exited during start-up (${signal ?? `status ${code}`})\n${stderrTail}`));
    });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
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
            ports,
            baseUrl: `http://127.0.0.1:${ports.http}/`,
            log: () => stderrTail,
            stop: () => stopServer(child),
          });
        }
      }
    });
  });
}

// Closes the server's stdin (its documented way to stop) and waits for it; SIGKILL after 5 s.
function stopServer(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.stdin.end();
  });
}

// Starts the seed's core-Perl echo server (servers/perl-echo.pl, HIXIE.2) on port 0. Resolves
// to {ports: {http}, stop(), log()}; tests find its port as `ports.perl_echo` in /ports.js.
function startPerlEchoServer({script, verbose = false}) {
  const child = spawn('perl', [script, '0'], {stdio: ['ignore', 'pipe', 'pipe']});
  let log = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    if (verbose) process.stderr.write(chunk);
    log = (log + chunk).slice(-8192);
  });
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new ServerError(`perl echo server: no port within ${kStartupTimeoutMilliseconds} ms`));
    }, kStartupTimeoutMilliseconds);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new ServerError(`perl echo server: cannot start perl: ${error.message}`));
    });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      const listening = /^listening http 127\.0\.0\.1 (\d+)$/m.exec(buffer);
      if (!listening) return;
      clearTimeout(timer);
      resolve({
        ports: {http: Number(listening[1])},
        stop: () => new Promise((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          child.once('exit', () => done());
          child.kill('SIGTERM');
        }),
        log: () => log,
      });
    });
  });
}

// A port that was free for UDP and TCP on 127.0.0.1 a moment ago (dnsmasq cannot pick one).
function pickFreePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const {port} = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function waitForTcp(port, deadline) {
  return new Promise((resolve) => {
    const attempt = () => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) resolve(false);
        else setTimeout(attempt, 20);
      });
    };
    attempt();
  });
}

// The test names of the real DNS server (dnsmasq from Debian): every name under example.test
// is 127.0.0.1, v6.example.test is ::1 only; other .test names do not exist.
const kDnsRecords = ['--address=/example.test/127.0.0.1', '--host-record=v6.example.test,::1'];

// Starts dnsmasq on a run-time port. Resolves to {ports: {dns}, stop(), log()}; the runner
// hands `--dns-server 127.0.0.1:PORT` to every shell.
async function startDnsServer({verbose = false, attempts = 5}) {
  let lastError = 'no attempt';
  for (let attempt = 0; attempt < attempts; ++attempt) {
    const port = await pickFreePort();
    const argv = ['--keep-in-foreground', '--conf-file=/dev/null', '--no-resolv', '--no-hosts',
                  '--bind-interfaces', '--listen-address=127.0.0.1', `--port=${port}`, '--pid-file=',
                  '--local=/test/', '--local-ttl=60', ...kDnsRecords];
    const binary = fs.existsSync('/usr/sbin/dnsmasq') ? '/usr/sbin/dnsmasq' : 'dnsmasq';
    const child = spawn(binary, argv, {stdio: ['ignore', 'ignore', 'pipe']});
    let log = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      if (verbose) process.stderr.write(chunk);
      log = (log + chunk).slice(-8192);
    });
    const exited = new Promise((resolve) => child.once('exit', () => resolve(false)));
    child.once('error', (error) => { log += `cannot start ${binary}: ${error.message}\n`; });
    const up = await Promise.race([waitForTcp(port, Date.now() + kStartupTimeoutMilliseconds), exited]);
    if (up) {
      return {
        ports: {dns: port},
        stop: () => new Promise((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          child.once('exit', () => done());
          child.kill('SIGTERM');
        }),
        log: () => log,
      };
    }
    child.kill('SIGKILL');
    lastError = log.trim() || 'did not start';
  }
  throw new ServerError(`dns server (dnsmasq): ${lastError}`);
}

module.exports = {ServerError, startReferenceServer, startPerlEchoServer, startDnsServer};
