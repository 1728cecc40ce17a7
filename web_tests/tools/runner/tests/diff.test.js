'use strict';

const assert = require('node:assert/strict');
const test = require('node:test');

const {baselineText, diffLines, normalizeOutput, unifiedDiff} = require('../diff');

test('equal outputs have no diff, trailing whitespace at the end ignored', () => {
  assert.equal(unifiedDiff('a\nb\n', 'a\nb'), '');
  assert.equal(unifiedDiff('a\nb', 'a\nb \n\n\t\n'), '');
  assert.equal(unifiedDiff('', '\n'), '');
});

test('only whitespace at the very end is normalised', () => {
  assert.notEqual(unifiedDiff('a \nb', 'a\nb'), '');
  assert.notEqual(unifiedDiff(' a', 'a'), '');
  assert.notEqual(unifiedDiff('a\r\nb', 'a\nb'), '');
  assert.equal(normalizeOutput('x\n\n  '), 'x');
});

test('a changed line is a one-hunk unified diff with context', () => {
  assert.equal(
      unifiedDiff('line one\nline two\nline three\n', 'line one\nline 2\nline three\n',
                  {expectedLabel: 'x-expected.txt', actualLabel: 'x-actual.txt'}),
      '--- x-expected.txt\n+++ x-actual.txt\n@@ -1,3 +1,3 @@\n line one\n-line two\n+line 2\n line three\n');
});

test('distant changes make separate hunks; additions and removals at the ends', () => {
  const expected = 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm';
  const actual = 'a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nL\nm\nn';
  assert.equal(unifiedDiff(expected, actual),
               '--- expected\n+++ actual\n' +
               '@@ -1,5 +1,5 @@\n a\n-b\n+B\n c\n d\n e\n' +
               '@@ -9,5 +9,6 @@\n i\n j\n k\n-l\n+L\n m\n+n\n');
  assert.equal(unifiedDiff('', 'x\ny'), '--- expected\n+++ actual\n@@ -0,0 +1,2 @@\n+x\n+y\n');
  assert.equal(unifiedDiff('x\ny', ''), '--- expected\n+++ actual\n@@ -1,2 +0,0 @@\n-x\n-y\n');
});

test('the edit script reproduces both sides', () => {
  const a = 'the quick brown fox jumps over the lazy dog'.split(' ');
  const b = 'a quick brown cat jumps over the dog again'.split(' ');
  const edits = diffLines(a, b);
  assert.deepEqual(edits.filter((e) => e.kind !== '+').map((e) => e.line), a);
  assert.deepEqual(edits.filter((e) => e.kind !== '-').map((e) => e.line), b);
  // Minimal: the longest common subsequence "quick brown jumps over the dog" keeps 6 of 9.
  assert.equal(edits.filter((e) => e.kind !== ' ').length, 6);
});

test('large outputs with few changes diff quickly', () => {
  const a = Array.from({length: 50000}, (_, i) => `line ${i}`);
  const b = [...a];
  b[25000] = 'changed';
  // This process's CPU time, not the wall clock: other work on a busy machine must not count
  // (issue 13 item 7).
  const started = process.cpuUsage();
  const diff = unifiedDiff(a.join('\n'), b.join('\n'));
  const used = process.cpuUsage(started);
  assert.ok((used.user + used.system) / 1000 < 2000);
  assert.match(diff, /@@ -24998,7 \+24998,7 @@\n line 24997\n line 24998\n line 24999\n-line 25000\n\+changed\n/);
});

test('baselineText ends with exactly one newline', () => {
  assert.equal(baselineText('a\nb\n\n\n'), 'a\nb\n');
  assert.equal(baselineText(''), '');
  assert.equal(baselineText('  \n'), '');
});
