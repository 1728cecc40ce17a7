'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const test = require('node:test');

const {escapeHtml, renderHtml, writeResults} = require('../report');

function summary() {
  return {
    startedAt: '2024-01-01T00:00:00.000Z', durationMs: 1234, shell: '/b/shell', jobs: 2, repeat: 1,
    counts: {total: 2, passed: 1, failed: 1, rebaselined: 0},
    tests: [
      {name: 'a/pass.html', status: 'PASS', reason: '', durationMs: 12, runs: [{status: 'PASS'}], diff: '',
       actual: 'PASS x\n', notes: '', command: ['/b/shell', 'u'], rerun: 'web_tests/run a/pass.html'},
      {name: 'a/<fail>.js', status: 'FAIL', reason: 'output differs from the baseline', durationMs: 34,
       runs: [{status: 'FAIL'}], diff: '--- e\n+++ a\n@@ -1 +1 @@\n-<old>\n+new & improved\n',
       actual: 'new & improved\nx.js:1:1: Uncaught Error\n', notes: 'runner: killed after 1 s\n',
       command: ['/b/shell', 'u'], rerun: "web_tests/run 'a/<fail>.js'"},
    ],
  };
}

test('escapeHtml', () => {
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
});

test('the report is one self-contained page with the results table', () => {
  const html = renderHtml(summary());
  assert.match(html, /^<!doctype html>/);
  assert.match(html, /<table id="results">/);
  assert.match(html, /<td class="status pass">PASS<\/td><td class="name"><code>a\/pass.html<\/code><\/td><td class="duration">12 ms<\/td>/);
  assert.match(html, /<tr class="failed" data-status="FAIL"><td class="status fail">FAIL<\/td><td class="name"><code>a\/&lt;fail&gt;.js<\/code>/);
  assert.match(html, /<span class="del">-&lt;old&gt;<\/span>/);
  assert.match(html, /<span class="add">\+new &amp; improved<\/span>/);
  assert.match(html, /x.js:1:1: Uncaught Error/);
  assert.match(html, /<h4>Runner<\/h4><pre>runner: killed after 1 s/);
  assert.match(html, /<h4>Run it again<\/h4><pre>web_tests\/run &#39;a\/&lt;fail&gt;.js&#39;<\/pre>/);
  assert.match(html, /1.23 s/);
  assert.doesNotMatch(html, /<(link|img)\b|src=/, 'no external resources');
});

// Each diff line is one block element; a line break between two of them inside <pre> showed as
// an empty line after every line of the diff.
test('the report\'s diff has one line per diff line, no blank lines between', () => {
  const html = renderHtml(summary());
  const diff = /<pre class="diff">([^]*?)<\/pre>/.exec(html)[1];
  assert.ok(!diff.includes('\n'), diff);
  assert.deepEqual([...diff.matchAll(/<span class="(\w+)">/g)].map((match) => match[1]),
                   ['file', 'file', 'hunk', 'del', 'add']);
  assert.equal(diff.replace(/<\/span>/g, '\n').replace(/<[^>]*>/g, ''),
               '--- e\n+++ a\n@@ -1 +1 @@\n-&lt;old&gt;\n+new &amp; improved\n');
  assert.match(html, /pre\.diff span \{ display: block; \}/);
});

test('writeResults writes json, html and artifacts, and removes only its own old files', (t) => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'report-test-'));
  t.after(() => fs.rmSync(directory, {recursive: true}));
  fs.writeFileSync(path.join(directory, 'keep-me.txt'), 'not ours');
  fs.mkdirSync(path.join(directory, 'artifacts', 'old'), {recursive: true});
  fs.writeFileSync(path.join(directory, 'artifacts', 'old', 'stale-diff.txt'), 'stale');
  const reportPath = writeResults(directory, summary());
  assert.equal(reportPath, path.join(directory, 'report.html'));
  assert.ok(fs.existsSync(path.join(directory, 'keep-me.txt')));
  assert.ok(!fs.existsSync(path.join(directory, 'artifacts', 'old')));
  const json = JSON.parse(fs.readFileSync(path.join(directory, 'results.json'), 'utf8'));
  assert.deepEqual(json.tests.map((entry) => entry.status), ['PASS', 'FAIL']);
  assert.deepEqual(json.tests[1].artifacts, {
    actual: 'artifacts/a/<fail>-actual.txt', diff: 'artifacts/a/<fail>-diff.txt', notes: 'artifacts/a/<fail>-notes.txt',
  });
  assert.equal(fs.readFileSync(path.join(directory, 'artifacts/a/<fail>-diff.txt'), 'utf8'), summary().tests[1].diff);
});
