// Child processes the runner starts (servers, proxies, nginx) and how they are kept from
// outliving it.
//
// Three layers make sure nothing survives a run:
//   1. Every start-up and every exit path of the runner stops what it started (main.js).
//   2. A process that cannot exit on its own when the runner goes away (tinyproxy, squid, nginx,
//      dnsmasq, perl) runs under a small sh wrapper that is started with the kernel's
//      parent-death signal (prctl(PR_SET_PDEATHSIG) through util-linux `setpriv --pdeathsig`):
//      if the runner dies, even by SIGKILL, the wrapper gets SIGTERM and terminates its child.
//      The wrapper is needed because the signal is cleared when a program changes user (squid
//      drops root privileges), and it forwards the runner's own SIGTERM the same way.
//   3. The reference server exits when its stdin closes, which the kernel does when the runner dies.
// `process.on('exit')` also signals whatever is still running.
'use strict';

const {spawn, spawnSync} = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');

const kStartupTimeoutMilliseconds = 15000;
const kStopGraceMilliseconds = 5000;

class ServerError extends Error {}

// Runs "$@" in the background, forwards TERM/INT/HUP to it, waits for it and exits with its status.
const kWrapperScript = [
  'child=',
  'trap \'[ -n "$child" ] && kill -TERM "$child" 2>/dev/null\' TERM INT HUP',
  '"$@" &',
  'child=$!',
  'wait "$child"; status=$?',
  'while kill -0 "$child" 2>/dev/null; do wait "$child"; status=$?; done',
  'exit "$status"',
].join('\n');

let setprivAvailable = null;
function hasSetpriv() {
  if (setprivAvailable === null) {
    const probe = spawnSync('setpriv', ['--pdeathsig', 'TERM', '--', 'true'], {stdio: 'ignore'});
    setprivAvailable = probe.status === 0;
  }
  return setprivAvailable;
}

const live = new Set();
process.on('exit', () => {
  for (const child of live) {
    try {
      child.kill(child.switchboardStopSignal ?? 'SIGTERM');
    } catch {
      // already gone
    }
  }
});

// The command line that runs `argv` under the wrapper with the parent-death signal.
function wrappedCommand(argv) {
  const wrapped = ['sh', '-c', kWrapperScript, 'switchboard-wrapper', ...argv];
  return hasSetpriv() ? ['setpriv', '--pdeathsig', 'TERM', '--', ...wrapped] : wrapped;
}

// Spawns a server process. `wrap`: run it under the wrapper (for programs that do not exit when
// their stdin closes); otherwise stdin is a pipe that stop() closes. Returns a handle:
//   {child, name, log() (the last 16 KiB of stderr+stdout unless consumed), exited (a promise),
//    stop() (TERM, or stdin EOF; SIGKILL after 5 s)}
function startProcess(name, argv, {wrap = true, verbose = false, stdoutListener = null, env = undefined} = {}) {
  const command = wrap ? wrappedCommand(argv) : argv;
  const child = spawn(command[0], command.slice(1), {stdio: [wrap ? 'ignore' : 'pipe', 'pipe', 'pipe'], env});
  live.add(child);
  let log = '';
  const append = (chunk) => {
    if (verbose) process.stderr.write(chunk);
    log = (log + chunk).slice(-16384);
  };
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', append);
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', stdoutListener ?? append);
  let spawnError = null;
  const exited = new Promise((resolve) => {
    child.once('error', (error) => {
      spawnError = error;
      log += `cannot start ${argv[0]}: ${error.message}\n`;
      live.delete(child);
      resolve({code: null, signal: null, error});
    });
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve({code, signal, error: null});
    });
  });
  const handle = {
    name,
    child,
    exited,
    log: () => log,
    hasExited: () => spawnError !== null || child.exitCode !== null || child.signalCode !== null,
    stop: async () => {
      if (handle.hasExited()) return;
      const killer = setTimeout(() => child.kill('SIGKILL'), kStopGraceMilliseconds);
      if (wrap) child.kill('SIGTERM');
      else child.stdin.end();
      await exited;
      clearTimeout(killer);
    },
  };
  return handle;
}

// A port that was free on 127.0.0.1 a moment ago, for programs that cannot pick their own.
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

function canConnect(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

// Waits until every port accepts TCP connections while `handle` is alive. Resolves to true, or
// false when the process exited, `failurePattern` appeared in its log (e.g. a bind error), or
// the time ran out.
async function waitUntilListening(handle, ports, {failurePattern = null, timeoutMilliseconds = kStartupTimeoutMilliseconds} = {}) {
  const deadline = Date.now() + timeoutMilliseconds;
  const pending = new Set(ports);
  while (Date.now() < deadline) {
    if (handle.hasExited()) return false;
    if (failurePattern !== null && failurePattern.test(handle.log())) return false;
    for (const port of [...pending]) {
      if (await canConnect(port)) pending.delete(port);
    }
    if (pending.size === 0) {
      // One more look: a process that failed to bind exits or says so right away, while a
      // foreign process may already listen on the port we picked.
      await new Promise((resolve) => setTimeout(resolve, 50));
      return !handle.hasExited() && !(failurePattern !== null && failurePattern.test(handle.log()));
    }
    await Promise.race([new Promise((resolve) => setTimeout(resolve, 25)), handle.exited]);
  }
  return false;
}

// Starts a program on ports picked at run time. `makeArgv(ports)` writes any configuration and
// returns the command line; `count` ports are picked. Retries with new ports when the program
// exits, reports a bind error or never listens (another process may have taken a port).
// `extraLog()`: more of the program's log for the error message (e.g. a log file).
async function startOnFreePorts(name, {count = 1, makeArgv, verbose = false, failurePattern = null, attempts = 4,
  env = undefined, wrap = true, extraLog = () => ''}) {
  let lastLog = '';
  for (let attempt = 0; attempt < attempts; ++attempt) {
    const ports = [];
    while (ports.length < count) {
      const port = await pickFreePort();
      if (!ports.includes(port)) ports.push(port);
    }
    const argv = await makeArgv(ports);
    const handle = startProcess(name, argv, {verbose, env, wrap});
    if (await waitUntilListening(handle, ports, {failurePattern})) return {handle, ports};
    await handle.stop();
    lastLog = `${handle.log()}${extraLog()}`.trim();
  }
  throw new ServerError(`${name} did not start${lastLog ? `:\n${lastLog.split('\n').slice(-15).join('\n')}` : ''}`);
}

// The first of `candidates` that is an executable file, or the bare name for a PATH lookup.
function findProgram(candidates) {
  for (const candidate of candidates) {
    if (!candidate.includes('/')) continue;
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // next
    }
  }
  return candidates.find((candidate) => !candidate.includes('/')) ?? candidates[0];
}

module.exports = {
  ServerError, kStartupTimeoutMilliseconds, startProcess, startOnFreePorts, pickFreePort, canConnect,
  waitUntilListening, findProgram, wrappedCommand, hasSetpriv,
};
