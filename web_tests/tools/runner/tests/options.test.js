'use strict';

const assert = require('node:assert/strict');
const path = require('node:path');
const test = require('node:test');

const {kRepositoryDirectory, kWebTestsDirectory, UsageError, matchesFilters, parseArguments} = require('../options');

test('defaults', () => {
  const options = parseArguments([], {cwd: '/somewhere'});
  assert.equal(options.buildDirectory, path.join(kRepositoryDirectory, 'build'));
  assert.equal(options.shell, path.join(kRepositoryDirectory, 'build', 'bin', 'switchboard-shell'));
  assert.equal(options.server, path.join(kRepositoryDirectory, 'build', 'bin', 'switchboard-server'));
  assert.equal(options.resultsDirectory, path.join(kWebTestsDirectory, 'results'));
  assert.equal(options.testsDirectory, kWebTestsDirectory);
  assert.equal(options.repeat, 1);
  assert.equal(options.timeoutSeconds, 10);
  assert.ok(options.jobs >= 1);
  assert.ok(matchesFilters(options, 'anything'));
});

test('values, inline values and relative paths', () => {
  const options = parseArguments(
      ['--build-dir', 'out', '-j3', '--repeat=4', '--filter', '^harness/', '--rebaseline', '--timeout', '2.5',
       '--results=r'],
      {cwd: '/work'});
  assert.equal(options.buildDirectory, '/work/out');
  assert.equal(options.shell, '/work/out/bin/switchboard-shell');
  assert.equal(options.jobs, 3);
  assert.equal(options.repeat, 4);
  assert.equal(options.timeoutSeconds, 2.5);
  assert.equal(options.resultsDirectory, '/work/r');
  assert.ok(options.rebaseline);
  assert.ok(matchesFilters(options, 'harness/async.html'));
  assert.ok(!matchesFilters(options, 'tcpconnection/echo.html'));
  assert.equal(parseArguments(['-j', '7']).jobs, 7);
  assert.equal(parseArguments(['--jobs=5']).jobs, 5);
});

test('test paths become filters', () => {
  const options = parseArguments(['harness/async.html', path.join(kWebTestsDirectory, 'tcpconnection')],
                                 {cwd: kWebTestsDirectory});
  assert.ok(matchesFilters(options, 'harness/async.html'));
  assert.ok(matchesFilters(options, 'tcpconnection/echo.html'));
  assert.ok(!matchesFilters(options, 'harness/async.html.bak'));
  assert.ok(!matchesFilters(options, 'harness/assertions.html'));
});

test('test paths work from the repository, from web_tests/ and with trailing slashes', () => {
  for (const [cwd, argument] of [[kRepositoryDirectory, 'harness/'], [kRepositoryDirectory, 'web_tests/harness'],
                                 [kWebTestsDirectory, './harness/'], ['/', 'harness']]) {
    const options = parseArguments([argument], {cwd});
    assert.ok(matchesFilters(options, 'harness/async.html'), `${cwd} ${argument}`);
    assert.ok(!matchesFilters(options, 'harnessing/x.html'), `${cwd} ${argument}`);
  }
  assert.throws(() => parseArguments(['../etc/passwd']), UsageError);
});

test('bad command lines are usage errors', () => {
  for (const argv of [['--jobs', '0'], ['-j', 'x'], ['--repeat', '-1'], ['--timeout', '0'], ['--filter', '('],
                      ['--frobnicate'], ['--build-dir'], ['--tests-dir', '/elsewhere']]) {
    assert.throws(() => parseArguments(argv), UsageError, argv.join(' '));
  }
});
