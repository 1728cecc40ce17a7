// Running one test in a fresh shell process and classifying the outcome.
'use strict';

const {spawn} = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const {normalizeOutput, unifiedDiff} = require('./diff');
const {expandPlaceholders} = require('./discovery');

// Outcomes of one run, worst first where several apply.
const Status = Object.freeze({
  PASS: 'PASS',
  FAIL: 'FAIL',          // output differs from the baseline
  MISSING: 'MISSING',    // no baseline yet (run --rebaseline)
  CRASH: 'CRASH',        // the shell died from a signal
  TIMEOUT: 'TIMEOUT',    // exit status 124, or killed by the runner's own deadline
  ERROR: 'ERROR',        // another non-zero exit status (an uncaught exception), or a bad test
  FLAKY: 'FLAKY',        // with --repeat: some runs passed, some did not
  REBASELINED: 'REBASELINED',
});

// The runner's own deadline, after the shell's --timeout: a shell that ignores its timeout is
// killed with SIGKILL.
const kGraceMilliseconds = 10000;
const kMaxCapturedBytes = 16 * 1024 * 1024;

function shellCommand(shell, argv) {
  return /\.(c|m)?js$/.test(shell) ? [process.execPath, shell, ...argv] : [shell, ...argv];
}

function testUrl(baseUrl, name) {
  return baseUrl + name.split('/').map(encodeURIComponent).join('/');
}

// The first `limit` bytes of `file` as UTF-8 (a shell that floods its output is cut short).
function readCapturedOutput(file, limit = kMaxCapturedBytes) {
  const descriptor = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(fs.fstatSync(descriptor).size, limit));
    const length = fs.readSync(descriptor, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    fs.closeSync(descriptor);
  }
}

// Runs the shell on `url`; resolves to {output, notes, exitCode, signal, timedOut, durationMs, command}.
// `output` is the shell's standard output and standard error as one text, in the order it wrote
// them: both are the same file (opened once, so one file offset), as when a terminal shows them.
// `notes` are the runner's own words about the run (the shell could not start, was killed).
// `env`: the shell's whole environment (default: the runner's own, see shellEnvironment).
// A shell that writes more than `maxOutputBytes` is killed (its output is a file on disk).
function runShell({shell, url, timeoutSeconds, shellArguments = [], env = undefined,
  graceMilliseconds = kGraceMilliseconds, maxOutputBytes = kMaxCapturedBytes}) {
  const [program, ...argv] = shellCommand(shell, ['--timeout', String(timeoutSeconds), ...shellArguments, url]);
  const started = process.hrtime.bigint();
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-web-test-output-'));
  const outputFile = path.join(directory, 'output.txt');
  const outputDescriptor = fs.openSync(outputFile, 'w+');
  return new Promise((resolve) => {
    let child;
    let spawnError = null;
    try {
      child = spawn(program, argv, {stdio: ['ignore', outputDescriptor, outputDescriptor], env});
    } finally {
      fs.closeSync(outputDescriptor);  // the child has its own copies
    }
    let killedByRunner = false;
    let floodedOutput = false;
    const deadline = setTimeout(() => {
      killedByRunner = true;
      child.kill('SIGKILL');
    }, timeoutSeconds * 1000 + graceMilliseconds);
    const sizeCheck = setInterval(() => {
      let size = 0;
      try {
        size = fs.statSync(outputFile).size;
      } catch {
        return;
      }
      if (size > maxOutputBytes && !floodedOutput) {
        floodedOutput = true;
        child.kill('SIGKILL');
      }
    }, 100);
    child.on('error', (error) => {
      spawnError = error;
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(deadline);
      clearInterval(sizeCheck);
      let output = '';
      try {
        output = readCapturedOutput(outputFile, maxOutputBytes);
      } finally {
        fs.rmSync(directory, {recursive: true, force: true});
      }
      let notes = '';
      if (spawnError !== null) notes += `runner: cannot start ${program}: ${spawnError.message}\n`;
      if (killedByRunner) notes += `runner: killed after ${timeoutSeconds} s + ${graceMilliseconds / 1000} s grace\n`;
      if (floodedOutput) notes += `runner: killed after more than ${maxOutputBytes} bytes of output\n`;
      resolve({
        command: [program, ...argv],
        output,
        notes,
        exitCode: spawnError !== null ? -1 : exitCode,
        signal: killedByRunner ? null : signal,
        timedOut: killedByRunner,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
      });
    });
  });
}

// The status of one run, given the shell's result and the baseline text (null when missing).
function classify(run, expectedText) {
  if (run.timedOut || run.exitCode === 124) return {status: Status.TIMEOUT, reason: 'timed out'};
  if (run.signal) return {status: Status.CRASH, reason: `crashed (${run.signal})`};
  if (run.exitCode !== 0) return {status: Status.ERROR, reason: `exit status ${run.exitCode}`};
  if (expectedText === null) return {status: Status.MISSING, reason: 'no baseline (run with --rebaseline)'};
  if (normalizeOutput(run.output) !== normalizeOutput(expectedText)) {
    return {status: Status.FAIL, reason: 'output differs from the baseline'};
  }
  return {status: Status.PASS, reason: ''};
}

function readBaseline(baselinePath) {
  try {
    return fs.readFileSync(baselinePath, 'utf8');
  } catch (error) {
    if (error.code === 'ENOENT') return null;
    throw error;
  }
}

// Ports change from run to run, so in a test's output every ":<port>" of a server the runner
// started reads ":PORT", and so does curl's "port <port>" (README.md "Baselines"): console lines
// such as spec §7's failure line name URLs with ports, and libcurl's messages name them as
// "Failed to connect to 127.0.0.1 port 40123 after 0 ms".
function normalizePorts(text, ports) {
  let normalized = text;
  for (const port of new Set(ports.filter((port) => Number.isInteger(port) && port > 0))) {
    normalized = normalized.replace(new RegExp(`:${port}(?![0-9])`, 'g'), ':PORT');
    normalized = normalized.replace(new RegExp(`\\bport ${port}(?![0-9])`, 'g'), 'port PORT');
  }
  return normalized;
}

// Durations in curl's messages ("… port 40123 after 3 ms: Couldn't connect …") read "after N ms"
// (only there: the harness's own "timed out after 50 ms" is part of a baseline).
function normalizeTimings(text) {
  return text.replace(/\bafter [0-9]+ ms(?=: )/g, 'after N ms');
}

// How many bytes disconnect() could not deliver (spec §7's "disconnect: N bytes were not
// delivered: …" line) depends on how much the kernels had buffered: it reads "N bytes".
function normalizeUndeliveredBytes(text) {
  return text.replace(/\b[0-9]+ bytes were not delivered: /g, 'N bytes were not delivered: ');
}

// Everything run-dependent in a test's output, normalised (README.md "Baselines").
function normalizeRunOutput(text, ports) {
  return normalizeUndeliveredBytes(normalizeTimings(normalizePorts(text, ports)));
}

// Proxy variables curl reads (any case). The shell never inherits the runner's own: a test's
// proxy configuration is what its directives say.
const kProxyVariable = /^(?:http|https|ftp|all|no|socks|socks4|socks5)_proxy$/i;

// The shell's environment: the runner's without proxy variables, plus `extra` (the env directive).
function shellEnvironment(extra = {}, base = process.env) {
  const environment = {};
  for (const [name, value] of Object.entries(base)) {
    if (!kProxyVariable.test(name)) environment[name] = value;
  }
  return {...environment, ...extra};
}

// The per-test parts of the shell's invocation, placeholders replaced by `ports`:
// {url, shellArguments, env (extra variables)}. Throws on an unknown placeholder.
function resolveInvocation(test, {baseUrl, ports}) {
  const base = test.directives.base !== undefined ? expandPlaceholders(test.directives.base, ports) : baseUrl;
  const shellArguments = (test.directives['shell-args'] ?? []).map((argument) => expandPlaceholders(argument, ports));
  const env = Object.fromEntries(Object.entries(test.directives.env ?? {})
      .map(([name, value]) => [name, expandPlaceholders(value, ports)]));
  return {url: testUrl(base, test.name), shellArguments, env};
}

// Runs `test` once against `baseUrl`; resolves to a run record.
// `ports`: every port of the runner's servers (normalised in the output); `portsByName`: the
// values of "{name}" placeholders; `shellArguments`: given to every shell before the test's own.
async function runTest(test, {shell, baseUrl, timeoutSeconds, ports = [], portsByName = {}, shellArguments = []}) {
  const badTest = (reason) => ({status: Status.ERROR, reason, output: '', notes: '', exitCode: null, signal: null,
                                durationMs: 0, diff: '', command: [], extraEnvironment: {}});
  if (test.directiveErrors.length > 0) return badTest(`bad directive: ${test.directiveErrors.join(', ')}`);
  let invocation;
  try {
    invocation = resolveInvocation(test, {baseUrl, ports: portsByName});
  } catch (error) {
    return badTest(`bad directive: ${error.message}`);
  }
  const effectiveTimeout = test.directives.timeout ?? timeoutSeconds;
  const run = await runShell({shell, url: invocation.url, timeoutSeconds: effectiveTimeout,
                              shellArguments: [...shellArguments, ...invocation.shellArguments],
                              env: shellEnvironment(invocation.env)});
  run.output = normalizeRunOutput(run.output, ports);
  run.extraEnvironment = invocation.env;  // the env directive's variables, for the command shown
  const expected = readBaseline(test.baselinePath);
  const {status, reason} = classify(run, expected);
  const expectedLabel = test.name.replace(/\.[^.]+$/, '-expected.txt');
  const actualLabel = test.name.replace(/\.[^.]+$/, '-actual.txt');
  const diff = expected === null ? '' : unifiedDiff(expected, run.output, {expectedLabel, actualLabel});
  return {...run, status, reason, diff, expected};
}

module.exports = {
  Status, shellCommand, testUrl, runShell, classify, readBaseline, normalizePorts, normalizeTimings, normalizeRunOutput,
  kProxyVariable, shellEnvironment, resolveInvocation, runTest,
};
