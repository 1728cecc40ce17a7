// bench/run's command line (ctest bench.run_cli): a usage error is one line plus a pointer to
// --help on stderr, exit status 2, no stack trace, and nothing is built or started.
'use strict';

const assert = require('node:assert/strict');
const {spawnSync} = require('node:child_process');
const path = require('node:path');
const test = require('node:test');

const kRun = path.join(__dirname, 'run');
const kTryHelp = "Try 'bench/run --help' for more information.\n";

function run(...argv) {
  return spawnSync(process.execPath, [kRun, ...argv], {encoding: 'utf8', timeout: 30000});
}

for (const [argv, message] of [
  [['--x'], "bench/run: unknown option '--x'"],
  [['--quick', '--bogus=1'], "bench/run: unknown option '--bogus=1'"],
  [['results'], "bench/run: unexpected argument 'results'"],
  [['--runs'], "bench/run: option '--runs' needs a value"],
  [['--runs', '0'], "bench/run: bad value '0' for --runs: a positive whole number"],
  [['--runs', '2.5'], "bench/run: bad value '2.5' for --runs: a positive whole number"],
  [['--only', 'pingpong,nosuch'],
   "bench/run: bad value 'pingpong,nosuch' for --only: 'nosuch' is not one of pingpong, stream, setup, scale, many, micro"],
  // 'many' is a workload: the error names the unknown item only.
  [['--only', 'many,scale,manyy'],
   "bench/run: bad value 'many,scale,manyy' for --only: 'manyy' is not one of pingpong, stream, setup, scale, many, micro"],
  [['--clients', 'chrome'],
   "bench/run: bad value 'chrome' for --clients: 'chrome' is not one of switchboard, chromium, node, c, iperf3"],
]) {
  test(`bench/run ${argv.join(' ')}`, () => {
    const result = run(...argv);
    assert.equal(result.status, 2, result.stderr);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, `${message}\n${kTryHelp}`);
  });
}

test('bench/run --help prints the usage and exits 0', () => {
  const result = run('--help');
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^usage: bench\/run \[options\]\n/);
  assert.match(result.stdout, /--clients LIST/);
  assert.match(result.stdout, /pingpong,stream,setup,scale,many,micro/);
  assert.equal(result.stderr, '');
});
