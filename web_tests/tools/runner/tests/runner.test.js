// The runner end to end: real reference server, scripted shell (fake-shell.js), a throw-away
// tests tree. Needs bin/switchboard-server from $SWITCHBOARD_BUILD_DIR (ctest sets it), else
// from build/ or build-web/; skipped when none is built.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const test = require('node:test');

const {main} = require('../main');
const {kRepositoryDirectory} = require('../options');

const kFakeShell = path.join(__dirname, 'fake-shell.js');
const kServer = [process.env.SWITCHBOARD_BUILD_DIR, path.join(kRepositoryDirectory, 'build'),
                 path.join(kRepositoryDirectory, 'build-web')]
    .filter(Boolean)
    .map((directory) => path.join(directory, 'bin', 'switchboard-server'))
    .find((file) => fs.existsSync(file));
const skip = kServer === undefined ? 'switchboard-server is not built' : false;

function makeTree(files) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-test-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), {recursive: true});
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

async function runner(root, extraArguments, environment = {}, {terminal = false} = {}) {
  let output = '';
  const stream = {write: (text) => { output += text; }, isTTY: terminal};
  Object.assign(process.env, environment);
  try {
    const exitCode = await main(['--root', root, '--shell', kFakeShell, '--server', kServer,
                                 '--results', path.join(root, 'results'), '-j', '2', ...extraArguments],
                                {stdout: stream, stderr: stream, cwd: root});
    return {exitCode, output};
  } finally {
    for (const name of Object.keys(environment)) delete process.env[name];
  }
}

const kTree = {
  'a/pass.js': 'out: hello\nout: world\n',
  'a/pass-expected.txt': 'hello\nworld\n',
  'a/fail.js': 'out: line one\nout: line 2\n',
  'a/fail-expected.txt': 'line one\nline two\n',
  'a/missing.html': 'out: new test\n',
  'a/uncaught.js': 'out: before\nerr: a.js:1:1: Uncaught Error: boom\nexit: 1\n',
  'a/both-streams.js': 'out: one\nerr: two\nout: three\n',
  'a/both-streams-expected.txt': 'one\ntwo\nthree\n',
  'a/uncaught-expected.txt': 'before\n',
  'a/crash.js': 'out: partial\nsignal: SIGSEGV\n',
  'a/crash-expected.txt': 'partial\n',
  'a/timeout.js': 'exit: 124\n',
  'a/timeout-expected.txt': '',
  'a/bad-directive.js': '// web-test: retries=2\nout: x\n',
  'a/resources/helper.js': 'exit: 1\n',
  'fixtures/excluded.js': 'exit: 1\n',
  'b/isolated.js': '// web-test: isolated-server\nout: isolated\n',
  'b/isolated-expected.txt': 'isolated\n',
  'b/second.js': 'out: b\n',
  'b/second-expected.txt': 'b\n',
};

test('classifies every outcome, prints diffs and writes the results', {skip}, async (t) => {
  const root = makeTree(kTree);
  t.after(() => fs.rmSync(root, {recursive: true}));
  const log = path.join(root, 'urls.log');
  const {exitCode, output} = await runner(root, [], {FAKE_SHELL_LOG: log});
  assert.equal(exitCode, 1, output);

  const results = JSON.parse(fs.readFileSync(path.join(root, 'results', 'results.json'), 'utf8'));
  const statuses = Object.fromEntries(results.tests.map((entry) => [entry.name, entry.status]));
  assert.deepEqual(statuses, {
    'a/bad-directive.js': 'ERROR', 'a/both-streams.js': 'PASS', 'a/crash.js': 'CRASH', 'a/fail.js': 'FAIL',
    'a/missing.html': 'MISSING', 'a/pass.js': 'PASS', 'a/timeout.js': 'TIMEOUT', 'a/uncaught.js': 'ERROR',
    'b/isolated.js': 'PASS', 'b/second.js': 'PASS',
  });
  assert.deepEqual(results.counts, {total: 10, passed: 4, failed: 6, rebaselined: 0});
  // The readable diff, and the output (stdout and stderr in the order written) of failures.
  assert.ok(output.includes('--- a/fail-expected.txt\n+++ a/fail-actual.txt\n@@ -1,2 +1,2 @@\n line one\n-line two\n+line 2\n'), output);
  assert.ok(output.includes('output:\n  | before\n  | a.js:1:1: Uncaught Error: boom\n'), output);
  assert.ok(output.includes('\n10 tests: 4 passed, 6 failed'), output);
  // Not a terminal: one line per test as it finishes.
  // (A duration reads "120 ms", or "1.2 s" from a second on: a busy machine gets there.)
  assert.match(output, /^PASS a\/pass\.js \((\d+ ms|[\d.]+ s)\)$/m);
  assert.match(output, /^FAIL a\/fail\.js \((\d+ ms|[\d.]+ s)\): output differs from the baseline$/m);
  assert.equal(output.match(/^(PASS|FAIL|MISSING|ERROR|CRASH|TIMEOUT) [ab]\/\S+ \((\d+ ms|[\d.]+ s)\)/gm).length, 10, output);
  // Each failure says how to run it again (servers and all) after the run.
  assert.ok(output.includes(`\nrerun: ${path.join(kRepositoryDirectory, 'web_tests', 'run')} --root ${root} ` +
                            `--shell ${kFakeShell} --server ${kServer} a/fail.js\n`), output);
  assert.ok(!output.includes('rerun: web_tests/run a/pass.js'), output);
  assert.ok(output.includes('  FAIL a/fail.js: output differs from the baseline\n'), output);
  assert.ok(output.includes('  CRASH a/crash.js: crashed (SIGSEGV)\n'), output);
  assert.ok(fs.existsSync(path.join(root, 'results', 'report.html')));
  assert.ok(fs.existsSync(path.join(root, 'results', 'artifacts', 'a', 'fail-diff.txt')));

  // Pages are loaded over http from the server, ports chosen at run time; the isolated test got
  // its own server.
  const urls = fs.readFileSync(log, 'utf8').trim().split('\n');
  const portOf = (suffix) => new URL(urls.find((url) => url.endsWith(suffix))).port;
  assert.ok(urls.every((url) => /^http:\/\/127\.0\.0\.1:\d+\//.test(url)), urls.join('\n'));
  assert.notEqual(portOf('/b/isolated.js'), portOf('/b/second.js'));
  assert.equal(portOf('/a/pass.js'), portOf('/b/second.js'));
  assert.ok(!urls.some((url) => url.includes('resources') || url.includes('fixtures')));
});

test('on a terminal, progress is one count line updated in place, failures above it', {skip}, async (t) => {
  const root = makeTree(kTree);
  t.after(() => fs.rmSync(root, {recursive: true}));
  const {output} = await runner(root, ['--filter', '^a/(pass|fail|both)', '-j', '1'], {}, {terminal: true});
  const start = output.indexOf('\r');
  const progress = output.slice(start, output.indexOf('\n\n', start) + 1);
  assert.deepEqual(progress.split('\r\x1b[K').filter(Boolean), [
    '[1/3] passed 1, failed 0',
    `FAIL a/fail.js (${/FAIL a\/fail\.js \((\d+ ms|[\d.]+ s)\)/.exec(output)[1]}): output differs from the baseline\n`,
    '[2/3] passed 1, failed 1',
    '[3/3] passed 2, failed 1\n',
  ]);
  assert.ok(!/^PASS a\/pass\.js/m.test(output), 'passing tests only count');
});

test('rerun commands run the failing test again', {skip}, async (t) => {
  const root = makeTree(kTree);
  t.after(() => fs.rmSync(root, {recursive: true}));
  const first = await runner(root, ['--filter', '^a/(pass|fail)\\.js$']);
  const rerun = /^rerun: (.*)$/m.exec(first.output)[1];
  assert.match(rerun, / a\/fail\.js$/);
  const {spawnSync} = require('node:child_process');
  const again = spawnSync('sh', ['-c', rerun], {cwd: root, encoding: 'utf8'});
  assert.equal(again.status, 1, again.stdout + again.stderr);
  assert.match(again.stdout, /^Running 1 test /m);
  assert.match(again.stdout, /^FAIL a\/fail\.js \(/m);
});

test('--rebaseline rewrites only the baselines of tests matching the filter', {skip}, async (t) => {
  const root = makeTree(kTree);
  t.after(() => fs.rmSync(root, {recursive: true}));
  const before = (name) => kTree[name];
  const read = (name) => (fs.existsSync(path.join(root, name)) ? fs.readFileSync(path.join(root, name), 'utf8') : null);

  const {exitCode, output} = await runner(root, ['--rebaseline', '--filter', '^a/(fail|missing|pass)']);
  assert.equal(exitCode, 0, output);
  assert.equal(read('a/fail-expected.txt'), 'line one\nline 2\n');
  assert.equal(read('a/missing-expected.txt'), 'new test\n');
  assert.equal(read('a/pass-expected.txt'), before('a/pass-expected.txt'));
  for (const name of ['a/uncaught-expected.txt', 'a/crash-expected.txt', 'b/second-expected.txt']) {
    assert.equal(read(name), before(name), name);
  }
  assert.ok(output.includes('REBASELINED a/fail.js'), output);
  assert.ok(output.includes('3 tests: 1 passed, 0 failed, 2 rebaselined'), output);

  // A test that does not run cleanly is never rebaselined.
  const crashed = await runner(root, ['--rebaseline', 'a/crash.js']);
  assert.equal(crashed.exitCode, 1);
  assert.equal(read('a/crash-expected.txt'), before('a/crash-expected.txt'));

  // Afterwards the rebaselined tests pass.
  assert.equal((await runner(root, ['--filter', '^a/(fail|missing|pass)'])).exitCode, 0);
});

test('--repeat finds flaky tests', {skip}, async (t) => {
  const root = makeTree({'f/flaky.js': 'flaky\n', 'f/flaky-expected.txt': 'run odd\n'});
  t.after(() => fs.rmSync(root, {recursive: true}));
  const state = path.join(root, 'state');
  const once = await runner(root, [], {FAKE_SHELL_STATE: state});
  assert.equal(once.exitCode, 0, once.output);
  const repeated = await runner(root, ['--repeat', '4', '-j', '1'], {FAKE_SHELL_STATE: state});
  assert.equal(repeated.exitCode, 1);
  assert.match(repeated.output, /FLAKY f\/flaky\.js: passed 2 of 4 runs; first failure: output differs/);
});

test('setup errors exit with status 2', {skip}, async (t) => {
  const root = makeTree(kTree);
  t.after(() => fs.rmSync(root, {recursive: true}));
  assert.equal((await runner(root, ['--filter', 'nothing-matches'])).exitCode, 2);
  assert.equal((await runner(root, ['--filter', 'nothing-matches', '--allow-empty'])).exitCode, 0);
  const noShell = await runner(root, ['--shell', path.join(root, 'no-such-shell')]);
  assert.equal(noShell.exitCode, 2);
  assert.match(noShell.output, /no-such-shell does not exist/);
  const noServer = await runner(root, ['--server', path.join(root, 'no-such-server')]);
  assert.equal(noServer.exitCode, 2);
  assert.match(noServer.output, /no-such-server does not exist/);
  assert.equal((await runner(root, ['--bogus'])).exitCode, 2);
});

const kFakeProxy = path.join(__dirname, 'fake-proxy.js');

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(predicate, milliseconds = 10000) {
  const deadline = Date.now() + milliseconds;
  while (Date.now() < deadline) {
    if (predicate()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return predicate();
}

const pidsIn = (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map(Number) : []);

test('directives reach the shell: shell-args, env, base and {port} placeholders; on-demand servers start', {skip}, async (t) => {
  const root = makeTree({
    'd/args.js': '// web-test: shell-args="--proxy http://127.0.0.1:{tinyproxy} --x=:{closed}" env="A=1 B=127.0.0.1:{dns}"\n' +
                 'args\nenv: A\nenv: B\nenv: http_proxy\nenv: NO_PROXY\n',
    'd/base.js': '// web-test: base=http://127.0.0.1:{http}/\nout: loaded\n',
    'd/bad-port.js': '// web-test: env="A={nosuch}"\nout: x\n',
  });
  t.after(() => fs.rmSync(root, {recursive: true}));
  const pidFile = path.join(root, 'proxy.pids');
  const log = path.join(root, 'urls.log');
  const {output} = await runner(root, ['--rebaseline'], {
    WEB_TESTS_TINYPROXY: kFakeProxy, FAKE_PROXY_PID_FILE: pidFile, FAKE_SHELL_LOG: log,
    http_proxy: 'http://127.0.0.1:1', NO_PROXY: '*',
  });
  const results = JSON.parse(fs.readFileSync(path.join(root, 'results', 'results.json'), 'utf8'));
  const byName = Object.fromEntries(results.tests.map((entry) => [entry.name, entry]));
  assert.equal(byName['d/bad-port.js'].status, 'ERROR', output);
  assert.match(byName['d/bad-port.js'].reason, /unknown port \{nosuch\} in env/);
  assert.equal(byName['d/base.js'].status, 'REBASELINED', output);
  const lines = byName['d/args.js'].actual.trim().split('\n');
  const args = JSON.parse(lines[0]);
  assert.deepEqual(args.slice(0, 2), ['--timeout', '10']);
  // Every port of the run reads PORT in the output, the DNS server's included.
  assert.deepEqual(args.slice(2, 4), ['--dns-server', '127.0.0.1:PORT']);
  assert.equal(args[4], '--ca-file');
  assert.match(args[5], /pki\/ca\.pem$/);
  // The ports in the output are normalised; the proxy port is the fake tinyproxy's.
  assert.deepEqual(args.slice(6), ['--proxy', 'http://127.0.0.1:PORT', '--x=:PORT']);
  assert.deepEqual(lines.slice(1), ['A=1', 'B=127.0.0.1:PORT', 'http_proxy unset', 'NO_PROXY unset']);
  // The fake tinyproxy ran and was stopped with the run.
  const pids = pidsIn(pidFile);
  assert.equal(pids.length, 1);
  assert.ok(await waitFor(() => !alive(pids[0])), 'tinyproxy outlived the run');
});

test('a failed start-up stops what did start and is a setup error', {skip}, async (t) => {
  const root = makeTree({'d/proxies.js': '// web-test: servers=tinyproxy,squid\nout: x\n'});
  t.after(() => fs.rmSync(root, {recursive: true}));
  const pidFile = path.join(root, 'proxy.pids');
  const {exitCode, output} = await runner(root, [], {
    WEB_TESTS_TINYPROXY: kFakeProxy, FAKE_PROXY_PID_FILE: pidFile, WEB_TESTS_SQUID: '/bin/false',
  });
  assert.equal(exitCode, 2, output);
  assert.match(output, /squid did not start/);
  const pids = pidsIn(pidFile);
  assert.ok(pids.length >= 1, 'the fake tinyproxy started');
  assert.ok(await waitFor(() => pids.every((pid) => !alive(pid))), 'tinyproxy outlived the failed start-up');
});

test('servers do not outlive a SIGKILLed runner', {skip}, async (t) => {
  const root = makeTree({'d/slow.js': '// web-test: servers=tinyproxy\nout: x\n'});
  t.after(() => fs.rmSync(root, {recursive: true}));
  const pidFile = path.join(root, 'proxy.pids');
  const {spawn} = require('node:child_process');
  const runScript = path.join(kRepositoryDirectory, 'web_tests', 'run');
  const child = spawn(process.execPath, [runScript, '--root', root, '--shell', kFakeShell, '--server', kServer,
                                         '--results', path.join(root, 'results'), '--repeat', '1000'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // A killed runner cannot remove its temporary directory: keep it inside the tree.
    env: {...process.env, WEB_TESTS_TINYPROXY: kFakeProxy, FAKE_PROXY_PID_FILE: pidFile, TMPDIR: root},
  });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  assert.ok(await waitFor(() => /Running 1 test/.test(output) || child.exitCode !== null, 30000), output);
  const pids = pidsIn(pidFile);
  assert.equal(pids.length, 1, output);
  assert.ok(alive(pids[0]));
  child.kill('SIGKILL');
  assert.ok(await waitFor(() => !alive(pids[0])), 'tinyproxy outlived the SIGKILLed runner');
});

// --keep: after the run the servers and the test CA stay until Ctrl-C, and each failure's exact
// shell command works by hand meanwhile.
test('--keep leaves the servers running until SIGINT and prints each failure\'s command', {skip}, async (t) => {
  const root = makeTree({'k/fail.js': 'out: actual\n', 'k/fail-expected.txt': 'expected\n'});
  t.after(() => fs.rmSync(root, {recursive: true}));
  const {spawn, spawnSync} = require('node:child_process');
  const runScript = path.join(kRepositoryDirectory, 'web_tests', 'run');
  const child = spawn(process.execPath, [runScript, '--root', root, '--shell', kFakeShell, '--server', kServer,
                                         '--results', path.join(root, 'results'), '--keep'], {
    stdio: ['ignore', 'pipe', 'pipe'], env: {...process.env, TMPDIR: root},
  });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  t.after(() => child.kill('SIGKILL'));
  assert.ok(await waitFor(() => /press Ctrl-C/.test(output) || child.exitCode !== null, 30000), output);
  const command = /^command: (.*)$/m.exec(output)?.[1];
  assert.ok(command, output);
  assert.match(command, /--ca-file \S+\/pki\/ca\.pem .*\/k\/fail\.js$/);
  const caFile = /--ca-file (\S+)/.exec(command)[1];
  assert.ok(fs.existsSync(caFile));
  // The command fetches the page from the kept server and prints what the test printed.
  const again = spawnSync('sh', ['-c', command], {encoding: 'utf8'});
  assert.equal(again.status, 0, again.stderr);
  assert.equal(again.stdout, 'actual\n');
  child.kill('SIGINT');
  assert.ok(await waitFor(() => child.exitCode !== null, 10000), output);
  assert.equal(child.exitCode, 130);
  assert.ok(!fs.existsSync(caFile), 'the temporary directory outlived Ctrl-C');
});
