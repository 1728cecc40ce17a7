// ctest engine.console_streams: which stream the shell writes each console line to (issue 17).
// log/info/debug/dir/table/count go to stdout; error/warn/assert/trace, the misuse warnings and
// spec §7's failure lines to stderr, as Node, d8 and content_shell do. Run as
//   node console_streams_test.js SHELL
'use strict';

const assert = require('node:assert/strict');
const {spawnSync} = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const test = require('node:test');

const kShell = process.argv[2];

function runPage(t, source) {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'console-streams-'));
  t.after(() => fs.rmSync(directory, {recursive: true, force: true}));
  const page = path.join(directory, 'page.js');
  fs.writeFileSync(page, source);
  return {directory, page};
}

test('stdout gets log, info, debug, dir, table, count; stderr the rest', (t) => {
  const {page} = runPage(t, `
    console.log('log'); console.error('error'); console.info('info'); console.warn('warn');
    console.debug('debug'); console.dir({a: 1}); console.table([[1]]); console.count();
    console.assert(false, 'assert'); console.trace('trace'); console.countReset('x');
    new TCPConnection('http://127.0.0.1:' + ${closedPort()} + '/');
  `);
  const result = spawnSync(kShell, ['--timeout', '30', page], {encoding: 'utf8'});
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, 'log\ninfo\ndebug\n{ a: 1 }\n┌─────────┬───┐\n│ (index) │ 0 │\n' +
               '├─────────┼───┤\n│ 0       │ 1 │\n└─────────┴───┘\ndefault: 1\n');
  const lines = result.stderr.split('\n');
  assert.deepEqual(lines.slice(0, 4), ['error', 'warn', 'Assertion failed: assert', 'Trace: trace']);
  assert.match(lines[4], /^ {4}at .*page\.js:4:\d+$/);
  assert.equal(lines[5], "Warning: Count for 'x' does not exist");
  assert.match(lines[6], /^TCPConnection to 'http:\/\/127\.0\.0\.1:\d+\/' failed: connect: /);
  assert.equal(lines.length, 8, result.stderr);
});

// Both streams to one file (2>&1): the lines keep the order they were written in.
test('stdout and stderr in one file keep their order', (t) => {
  const {directory, page} = runPage(t, `
    for (let i = 0; i < 100; ++i) (i % 3 ? console.log : console.error)('line ' + i);
  `);
  const output = path.join(directory, 'output.txt');
  const descriptor = fs.openSync(output, 'w');
  const result = spawnSync(kShell, [page], {stdio: ['ignore', descriptor, descriptor]});
  fs.closeSync(descriptor);
  assert.equal(result.status, 0);
  assert.equal(fs.readFileSync(output, 'utf8'), Array.from({length: 100}, (_, i) => `line ${i}\n`).join(''));
});

// A port nothing listens on (bound, then closed), for a connection that fails at once.
function closedPort() {
  const {execFileSync} = require('node:child_process');
  return Number(execFileSync(process.execPath, ['-e', `
    const server = require('node:net').createServer().listen(0, '127.0.0.1', () => {
      const {port} = server.address();
      server.close(() => process.stdout.write(String(port)));
    });`], {encoding: 'utf8'}));
}
