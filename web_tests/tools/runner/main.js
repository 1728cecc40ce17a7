// The web test runner (web_tests/run): discovers tests, starts the servers, runs every test in a
// fresh shell process with a bounded number in parallel, compares with baselines, rebaselines on
// request, and reports (console, results.json, report.html). README.md documents the rules.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const {baselineText, normalizeOutput} = require('./diff');
const {componentsFor, discoverTests} = require('./discovery');
const {startEnvironment} = require('./environment');
const {Status, kProxyVariable, runTest} = require('./execute');
const {kUsage, kWebTestsDirectory, UsageError, parseArguments, matchesFilters} = require('./options');
const {writeResults} = require('./report');
const {ServerError} = require('./processes');

function formatDuration(milliseconds) {
  return milliseconds >= 1000 ? `${(milliseconds / 1000).toFixed(1)} s` : `${Math.round(milliseconds)} ms`;
}

function indent(text, prefix = '  | ') {
  return normalizeOutput(text).split('\n').map((line) => prefix + line).join('\n');
}

// One word of a command line as a POSIX shell reads it.
function shellQuote(word) {
  return /^[A-Za-z0-9_\/.:=@%+,-]+$/.test(word) ? word : `'${String(word).replace(/'/g, `'\\''`)}'`;
}

// The command that runs one test again, servers and all: web_tests/run with the options that
// change how a test runs, relative to the directory the runner was started in.
function rerunCommand(options, name, cwd) {
  const absolute = path.join(kWebTestsDirectory, 'run');
  const relative = path.relative(cwd, absolute);
  const runScript = relative.startsWith('..') ? absolute : relative.includes('/') ? relative : `./${relative}`;
  return [runScript, ...options.rerunArguments, name]
      .map(shellQuote).join(' ');
}

// The exact shell command line of a run (for --keep, while its servers still listen): the
// environment the runner gave it differs from the runner's own by the proxy variables it
// removed and the test's env directive.
function shellCommandLine(run, baseEnvironment = process.env) {
  const removed = Object.keys(baseEnvironment).filter((name) => kProxyVariable.test(name));
  const added = Object.entries(run.extraEnvironment ?? {}).map(([name, value]) => `${name}=${value}`);
  const prefix = removed.length + added.length === 0 ? []
      : ['env', ...removed.flatMap((name) => ['-u', name]), ...added];
  return [...prefix, ...run.command].map(shellQuote).join(' ');
}

// Progress while the tests run: on a terminal, one count line rewritten in place ("[12/80]
// passed 11, failed 1") with each failure printed above it as it happens; otherwise (a file, a
// pipe, ctest) one line per finished test ("PASS url/foo.html (120 ms)").
class Progress {
  constructor(stream, total, {verbose = false} = {}) {
    this.stream = stream;
    this.total = total;
    this.verbose = verbose;
    this.terminal = Boolean(stream.isTTY);
    this.finished = 0;
    this.passed = 0;
    this.failed = 0;
  }

  testFinished(result) {
    ++this.finished;
    const passed = result.status === Status.PASS || result.status === Status.REBASELINED;
    if (passed) ++this.passed; else ++this.failed;
    const line = `${result.status} ${result.name} (${formatDuration(result.durationMs)})` +
        `${result.reason ? `: ${result.reason}` : ''}`;
    if (!this.terminal) {
      this.stream.write(`${line}\n`);
      return;
    }
    if (!passed || this.verbose || result.status === Status.REBASELINED) this.stream.write(`\r\x1b[K${line}\n`);
    this.stream.write(`\r\x1b[K[${this.finished}/${this.total}] passed ${this.passed}, failed ${this.failed}`);
  }

  // Ends the count line, so that what follows starts on a line of its own.
  end() {
    if (this.terminal && this.finished > 0) this.stream.write('\n');
  }
}

// Runs `worker(item)` for every item with at most `limit` in flight, in order of `items`.
async function runPool(items, limit, worker) {
  let next = 0;
  const lanes = Array.from({length: Math.min(limit, items.length)}, async () => {
    while (next < items.length) {
      const item = items[next++];
      await worker(item);
    }
  });
  await Promise.all(lanes);
}

// One result per test from its runs (several with --repeat).
function aggregate(test, runs) {
  const firstFailure = runs.find((run) => run.status !== Status.PASS);
  const representative = firstFailure ?? runs[0];
  let status = representative.status;
  let reason = representative.reason;
  if (firstFailure && runs.some((run) => run.status === Status.PASS)) {
    status = Status.FLAKY;
    reason = `passed ${runs.filter((run) => run.status === Status.PASS).length} of ${runs.length} runs; ` +
        `first failure: ${firstFailure.reason}`;
  } else if (firstFailure && runs.length > 1) {
    reason = `${reason} (failed all ${runs.length} runs)`;
  }
  return {
    name: test.name,
    status,
    reason,
    durationMs: runs.reduce((sum, run) => sum + run.durationMs, 0) / runs.length,
    runs: runs.map((run) => ({status: run.status, reason: run.reason, durationMs: Math.round(run.durationMs),
                              exitCode: run.exitCode, signal: run.signal})),
    diff: representative.diff,
    actual: representative.output,
    notes: representative.notes,
    command: representative.command,
    extraEnvironment: representative.extraEnvironment ?? {},
  };
}

// --rebaseline: writes the actual output of a test that ran cleanly as its baseline.
function rebaseline(test, result) {
  if (![Status.PASS, Status.FAIL, Status.MISSING].includes(result.status)) return result;
  const text = baselineText(result.actual);
  let previous = null;
  try {
    previous = fs.readFileSync(test.baselinePath, 'utf8');
  } catch {
    // no baseline yet
  }
  if (previous === text) return {...result, status: Status.PASS, reason: '', diff: ''};
  fs.writeFileSync(test.baselinePath, text);
  return {...result, status: Status.REBASELINED, reason: `wrote ${path.basename(test.baselinePath)}`};
}

async function main(argv, {stdout = process.stdout, stderr = process.stderr, cwd = process.cwd()} = {}) {
  let options;
  try {
    options = parseArguments(argv, {cwd});
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    stderr.write(`run: ${error.message}\n\n${kUsage}\n`);
    return 2;
  }
  if (options.help) {
    stdout.write(`${kUsage}\n`);
    return 0;
  }

  const tests = discoverTests(options.rootDirectory, options.testsDirectory, (name) => matchesFilters(options, name));
  if (tests.length === 0) {
    stdout.write(`run: no tests match under ${options.testsDirectory}\n`);
    return options.allowEmpty ? 0 : 2;
  }
  if (!fs.existsSync(options.shell)) {
    stderr.write(`run: the shell ${options.shell} does not exist; build it ` +
                 `(ninja -C ${options.buildDirectory} switchboard-shell) or pass --build-dir/--shell\n`);
    return 2;
  }

  const startedAt = new Date();
  const started = process.hrtime.bigint();
  // The optional servers the selected tests need (servers= or a "{port}" placeholder).
  const components = new Set(tests.flatMap((test) => [...componentsFor(test)]));

  // Whatever starts must stop on every exit path: the end of the run, a failed start-up, and
  // SIGINT/SIGTERM (processes.js also covers the runner's own death).
  let environment = null;
  let interrupted = false;
  const onSignal = (signal) => {
    if (interrupted) return;
    interrupted = true;
    stderr.write(`\nrun: interrupted (${signal})\n`);
    const stopping = environment !== null ? environment.stop() : Promise.resolve();
    stopping.catch(() => {}).then(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const removeSignalHandlers = () => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };

  try {
    environment = await startEnvironment({
      serverBinary: options.server, rootDirectory: options.rootDirectory,
      perlScript: path.join(__dirname, '..', '..', 'servers', 'perl-echo.pl'), components, verbose: options.verbose,
    });
  } catch (error) {
    removeSignalHandlers();  // startEnvironment stopped whatever did start
    if (!(error instanceof ServerError)) throw error;
    stderr.write(`run: ${error.message}\n`);
    return 2;
  }
  const shared = environment.shared;
  // Every shell resolves names with the test DNS server and trusts the test CA.
  const commonShellArguments = ['--dns-server', `127.0.0.1:${environment.ports.dns}`, '--ca-file', environment.caFile];

  let exitCode;
  try {
    exitCode = await runTests({options, tests, environment, shared, commonShellArguments, stdout, stderr, argv, cwd,
                               startedAt, started, components, isInterrupted: () => interrupted});
    if (options.keep && !interrupted) {
      // --keep: the servers, their ports and the test CA stay until Ctrl-C (or SIGTERM), so that
      // the commands printed above can be run by hand; the signal handler stops everything.
      stdout.write(`\nrun: --keep: the servers keep running (ports ${JSON.stringify(environment.ports)}, ` +
                   `shared server ${shared.baseUrl}, CA ${environment.caFile}); press Ctrl-C to stop them\n`);
      await new Promise(() => {});
    }
  } finally {
    removeSignalHandlers();
    await environment.stop();
  }
  return exitCode;
}

async function runTests({options, tests, environment, shared, commonShellArguments, stdout, stderr, argv, cwd,
  startedAt, started, components, isInterrupted}) {
  stdout.write(`Running ${tests.length} test${tests.length === 1 ? '' : 's'}` +
               `${options.repeat > 1 ? ` × ${options.repeat}` : ''} with ${options.jobs} job${options.jobs === 1 ? '' : 's'}` +
               `${options.rebaseline ? ' (rebaselining)' : ''}\n`);
  if (options.verbose) {
    stdout.write(`shell ${options.shell}\nserver ${shared.baseUrl} (https ${shared.ports.https})\n` +
                 `optional servers: ${components.size ? [...components].join(', ') : 'none'}\n` +
                 `ports ${JSON.stringify(environment.ports)}\ntemporary directory ${environment.directory}\n`);
  }

  const runsByTest = new Map(tests.map((test) => [test, []]));
  const results = new Map();
  const progress = new Progress(stdout, tests.length, {verbose: options.verbose});
  const items = tests.flatMap((test) => Array.from({length: options.repeat}, () => test));
  await runPool(items, options.jobs, async (test) => {
    if (isInterrupted()) return;  // the servers are stopping; the process exits soon
    let server = shared;
    if (test.directives['isolated-server']) {
      try {
        server = await environment.startIsolatedServer(`isolated server for ${test.name}`);
      } catch (error) {
        runsByTest.get(test).push({status: Status.ERROR, reason: error.message, output: '', notes: '', diff: '',
                                   durationMs: 0, exitCode: null, signal: null, command: []});
        server = null;
      }
    }
    if (server !== null) {
      const run = await runTest(test, {
        shell: options.shell, baseUrl: server.baseUrl, timeoutSeconds: options.timeoutSeconds,
        ports: environment.allPorts(),
        portsByName: {...environment.ports, http: server.ports.http, https: server.ports.https},
        shellArguments: commonShellArguments,
      });
      runsByTest.get(test).push(run);
      // --keep leaves a failing test's own server running, for its command to be run again.
      const keepServer = options.keep && run.status !== Status.PASS;
      if (server !== shared && !keepServer) await server.stop();
    }
    const runs = runsByTest.get(test);
    if (runs.length < options.repeat || isInterrupted()) return;
    let result = aggregate(test, runs);
    if (options.rebaseline) result = rebaseline(test, result);
    result.rerun = rerunCommand(options, test.name, cwd);
    results.set(test, result);
    progress.testFinished(result);
  });
  progress.end();
  // Interrupted: the signal handler stops the servers and exits (130/143); no report.
  if (isInterrupted()) return new Promise(() => {});

  const ordered = tests.map((test) => results.get(test));
  const failures = ordered.filter((result) => result.status !== Status.PASS && result.status !== Status.REBASELINED);
  const counts = {
    total: ordered.length,
    passed: ordered.filter((result) => result.status === Status.PASS).length,
    failed: failures.length,
    rebaselined: ordered.filter((result) => result.status === Status.REBASELINED).length,
  };
  const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
  const summary = {
    version: 1,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(durationMs),
    argv,
    shell: options.shell,
    server: options.server,
    jobs: options.jobs,
    repeat: options.repeat,
    rebaseline: options.rebaseline,
    counts,
    tests: ordered.map((result) => ({...result, durationMs: Math.round(result.durationMs)})),
  };
  let reportPath = null;
  try {
    reportPath = writeResults(options.resultsDirectory, summary);
  } catch (error) {
    stderr.write(`run: cannot write results to ${options.resultsDirectory}: ${error.message}\n`);
  }

  for (const failure of failures) {
    stdout.write(`\n${failure.status} ${failure.name}: ${failure.reason}\n`);
    if (failure.diff) stdout.write(failure.diff);
    if (failure.status !== Status.FAIL && failure.actual) stdout.write(`output:\n${indent(failure.actual)}\n`);
    if (failure.notes) stdout.write(`runner:\n${indent(failure.notes)}\n`);
    if (options.keep && failure.command.length > 0) stdout.write(`command: ${shellCommandLine(failure)}\n`);
    stdout.write(`rerun: ${failure.rerun}\n`);
  }
  stdout.write(`\n${counts.total} test${counts.total === 1 ? '' : 's'}: ${counts.passed} passed, ${counts.failed} failed` +
               `${counts.rebaselined ? `, ${counts.rebaselined} rebaselined` : ''} (${formatDuration(durationMs)})\n`);
  for (const failure of failures) stdout.write(`  ${failure.status} ${failure.name}: ${failure.reason}\n`);
  if (reportPath !== null) stdout.write(`Report: ${reportPath}\n`);
  return failures.length === 0 ? 0 : 1;
}

module.exports = {main, aggregate, runPool, Progress, rerunCommand, shellCommandLine, shellQuote};
