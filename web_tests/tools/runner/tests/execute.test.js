'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const test = require('node:test');

const {
  Status, classify, normalizePorts, normalizeRunOutput, resolveInvocation, runShell, shellCommand, shellEnvironment, testUrl,
} = require('../execute');

const run = (overrides) => ({output: '', notes: '', exitCode: 0, signal: null, timedOut: false, ...overrides});

test('classification', () => {
  assert.equal(classify(run({output: 'a\n'}), 'a').status, Status.PASS);
  assert.equal(classify(run({output: 'a\n'}), 'b\n').status, Status.FAIL);
  assert.equal(classify(run({output: 'a\n'}), null).status, Status.MISSING);
  assert.equal(classify(run({exitCode: 1}), 'a').status, Status.ERROR);
  assert.equal(classify(run({exitCode: 124}), 'a').status, Status.TIMEOUT);
  assert.equal(classify(run({exitCode: null, timedOut: true}), 'a').status, Status.TIMEOUT);
  assert.equal(classify(run({exitCode: null, signal: 'SIGSEGV'}), 'a').status, Status.CRASH);
  // A failing exit beats matching output: an uncaught exception fails the test.
  assert.equal(classify(run({output: 'a', exitCode: 1}), 'a').status, Status.ERROR);
});

test('URLs and commands', () => {
  assert.equal(testUrl('http://127.0.0.1:1/', 'harness/a b#.html'), 'http://127.0.0.1:1/harness/a%20b%23.html');
  assert.deepEqual(shellCommand('/x/node-shell.js', ['u']), [process.execPath, '/x/node-shell.js', 'u']);
  assert.deepEqual(shellCommand('/b/switchboard-shell', ['u']), ['/b/switchboard-shell', 'u']);
});

function script(t, source) {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'execute-test-'));
  t.after(() => fs.rmSync(directory, {recursive: true}));
  const file = path.join(directory, 'shell.js');
  fs.writeFileSync(file, source);
  return file;
}

test('runShell passes --timeout and the URL, and captures both streams', async (t) => {
  const shell = script(t, `process.stdout.write(JSON.stringify(process.argv.slice(2)) + '\\n');
                           process.stderr.write('to stderr\\n');`);
  const result = await runShell({shell, url: 'http://127.0.0.1:9/x.html', timeoutSeconds: 3});
  assert.equal(result.output, '["--timeout","3","http://127.0.0.1:9/x.html"]\nto stderr\n');
  assert.equal(result.notes, '');
  assert.equal(result.exitCode, 0);
  assert.ok(result.durationMs > 0);
});

// Lines alternate between the streams, each written unbuffered: one text, in the order written
// (two pipes read by the runner could reorder them).
test('runShell keeps the order of stdout and stderr lines', async (t) => {
  const shell = script(t, `const fs = require('node:fs');
                           for (let i = 0; i < 200; ++i) fs.writeSync(i % 3 ? 1 : 2, 'line ' + i + '\\n');`);
  const result = await runShell({shell, url: 'u', timeoutSeconds: 5});
  const expected = Array.from({length: 200}, (_, i) => `line ${i}\n`).join('');
  assert.equal(result.output, expected);
});

test('runShell reports signals and exit statuses', async (t) => {
  const crashing = script(t, `process.kill(process.pid, 'SIGSEGV');`);
  assert.equal((await runShell({shell: crashing, url: 'u', timeoutSeconds: 5})).signal, 'SIGSEGV');
  const timingOut = script(t, `process.exit(124);`);
  assert.equal((await runShell({shell: timingOut, url: 'u', timeoutSeconds: 5})).exitCode, 124);
});

test('runShell kills a shell that ignores its timeout', async (t) => {
  const hanging = script(t, `setInterval(() => {}, 1000);`);
  const result = await runShell({shell: hanging, url: 'u', timeoutSeconds: 0.2, graceMilliseconds: 100});
  assert.ok(result.timedOut);
  assert.equal(classify(result, '').status, Status.TIMEOUT);
  assert.match(result.notes, /runner: killed after 0.2 s/);
});

test('ports of the runner\'s servers read :PORT in the output', () => {
  const output = "TCPConnection to 'http://127.0.0.1:41234/x' failed: connect: 127.0.0.1:41234\n" +
    'peer [::1]:41234 and :412345 and :9999 and 41234\n';
  assert.equal(normalizePorts(output, [41234, undefined]),
    "TCPConnection to 'http://127.0.0.1:PORT/x' failed: connect: 127.0.0.1:PORT\n" +
    'peer [::1]:PORT and :412345 and :9999 and 41234\n');
  assert.equal(normalizePorts(output, []), output);
});

test('curl\'s "port N" and "after N ms" are normalised too', () => {
  const output = "failed: proxy: Failed to connect to 127.0.0.1 port 41234 after 3 ms: Couldn't connect to server\n" +
    'port 412345 port 9999 timed out after 50 ms\n';
  assert.equal(normalizeRunOutput(output, [41234]),
    "failed: proxy: Failed to connect to 127.0.0.1 port PORT after N ms: Couldn't connect to server\n" +
    'port 412345 port 9999 timed out after 50 ms\n');
  assert.equal(normalizePorts('port 41234', [41234]), 'port PORT');
});

test('spec §7\'s count of bytes disconnect() could not deliver reads N', () => {
  const output = "TCPConnection to 'http://127.0.0.1:41234/x' failed: disconnect: 8323074 bytes were not " +
    'delivered: connection reset by peer\nsent 8323074 bytes\n';
  assert.equal(normalizeRunOutput(output, [41234]),
    "TCPConnection to 'http://127.0.0.1:PORT/x' failed: disconnect: N bytes were not delivered: " +
    'connection reset by peer\nsent 8323074 bytes\n');
});

test('the shell never inherits the runner\'s proxy variables; env= adds its own', () => {
  const base = {PATH: '/bin', http_proxy: 'x', HTTPS_PROXY: 'x', all_proxy: 'x', NO_PROXY: 'x', no_proxy: 'x', HOME: '/h'};
  assert.deepEqual(shellEnvironment({}, base), {PATH: '/bin', HOME: '/h'});
  assert.deepEqual(shellEnvironment({http_proxy: 'http://p:1'}, base), {PATH: '/bin', HOME: '/h', http_proxy: 'http://p:1'});
});

test('placeholders in base, shell-args and env become ports', () => {
  const test_ = {name: 'd/t.html', directives: {'base': 'https://127.0.0.1:{https}/', 'shell-args': ['--proxy', 'http://h:{squid}'],
                                                'env': {no_proxy: '127.0.0.1', P: ':{closed}'}}};
  assert.deepEqual(resolveInvocation(test_, {baseUrl: 'http://127.0.0.1:1/', ports: {https: 2, squid: 3, closed: 4}}), {
    url: 'https://127.0.0.1:2/d/t.html', shellArguments: ['--proxy', 'http://h:3'], env: {no_proxy: '127.0.0.1', P: ':4'},
  });
  assert.equal(resolveInvocation({name: 'a.js', directives: {}}, {baseUrl: 'http://127.0.0.1:1/', ports: {}}).url,
               'http://127.0.0.1:1/a.js');
});

test('runShell kills a shell that floods its output', async (t) => {
  const flooding = script(t, `const line = 'x'.repeat(1000) + '\\n'; for (;;) require('node:fs').writeSync(1, line);`);
  const result = await runShell({shell: flooding, url: 'u', timeoutSeconds: 30, maxOutputBytes: 100000});
  assert.equal(result.signal, 'SIGKILL');
  assert.equal(result.output.length, 100000);
  assert.match(result.notes, /runner: killed after more than 100000 bytes of output/);
});
