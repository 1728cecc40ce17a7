// Running one test in a fresh shell process and classifying the outcome.
'use strict';

const {spawn} = require('node:child_process');
const fs = require('node:fs');

const {normalizeOutput, unifiedDiff} = require('./diff');

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

// Runs the shell on `url`; resolves to {stdout, stderr, exitCode, signal, timedOut, durationMs, command}.
function runShell({shell, url, timeoutSeconds, shellArguments = [], graceMilliseconds = kGraceMilliseconds}) {
  const [program, ...argv] = shellCommand(shell, ['--timeout', String(timeoutSeconds), ...shellArguments, url]);
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const child = spawn(program, argv, {stdio: ['ignore', 'pipe', 'pipe']});
    const stdout = [];
    const stderr = [];
    let stdoutBytes = 0;
    let stderrBytes = 0;
    let killedByRunner = false;
    let spawnError = null;
    child.stdout.on('data', (chunk) => {
      if (stdoutBytes < kMaxCapturedBytes) stdout.push(chunk);
      stdoutBytes += chunk.length;
    });
    child.stderr.on('data', (chunk) => {
      if (stderrBytes < kMaxCapturedBytes) stderr.push(chunk);
      stderrBytes += chunk.length;
    });
    const deadline = setTimeout(() => {
      killedByRunner = true;
      child.kill('SIGKILL');
    }, timeoutSeconds * 1000 + graceMilliseconds);
    child.on('error', (error) => {
      spawnError = error;
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(deadline);
      let stderrText = Buffer.concat(stderr).toString('utf8');
      if (spawnError !== null) stderrText += `runner: cannot start ${program}: ${spawnError.message}\n`;
      if (killedByRunner) stderrText += `runner: killed after ${timeoutSeconds} s + ${graceMilliseconds / 1000} s grace\n`;
      resolve({
        command: [program, ...argv],
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: stderrText,
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
  if (normalizeOutput(run.stdout) !== normalizeOutput(expectedText)) {
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
// started reads ":PORT" (README.md "Baselines"): console lines such as spec §7's failure line
// name URLs with ports.
function normalizePorts(text, ports) {
  let normalized = text;
  for (const port of new Set(ports.filter((port) => Number.isInteger(port) && port > 0))) {
    normalized = normalized.replace(new RegExp(`:${port}(?![0-9])`, 'g'), ':PORT');
  }
  return normalized;
}

// Runs `test` once against `baseUrl`; resolves to a run record.
async function runTest(test, {shell, baseUrl, timeoutSeconds, ports = [], shellArguments = []}) {
  if (test.directiveErrors.length > 0) {
    return {status: Status.ERROR, reason: `bad directive: ${test.directiveErrors.join(', ')}`, stdout: '',
            stderr: '', exitCode: null, signal: null, durationMs: 0, diff: '', command: []};
  }
  const effectiveTimeout = test.directives.timeout ?? timeoutSeconds;
  const run = await runShell({shell, url: testUrl(baseUrl, test.name), timeoutSeconds: effectiveTimeout, shellArguments});
  run.stdout = normalizePorts(run.stdout, ports);
  const expected = readBaseline(test.baselinePath);
  const {status, reason} = classify(run, expected);
  const expectedLabel = test.name.replace(/\.[^.]+$/, '-expected.txt');
  const actualLabel = test.name.replace(/\.[^.]+$/, '-actual.txt');
  const diff = expected === null ? '' : unifiedDiff(expected, run.stdout, {expectedLabel, actualLabel});
  return {...run, status, reason, diff, expected};
}

module.exports = {Status, shellCommand, testUrl, runShell, classify, readBaseline, normalizePorts, runTest};
