// Writing the results: results.json (machine-readable), report.html (one self-contained page:
// pass/fail table, durations, diffs, output) and artifacts/<test>-{actual,diff,notes}.txt for
// every test that did not pass.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[c]);
}

function formatDuration(milliseconds) {
  return milliseconds >= 1000 ? `${(milliseconds / 1000).toFixed(2)} s` : `${Math.round(milliseconds)} ms`;
}

// Removes only what a previous run wrote, never anything else in the directory.
function clearPreviousResults(resultsDirectory) {
  for (const name of ['results.json', 'report.html']) fs.rmSync(path.join(resultsDirectory, name), {force: true});
  fs.rmSync(path.join(resultsDirectory, 'artifacts'), {recursive: true, force: true});
}

function writeArtifacts(resultsDirectory, result) {
  const base = path.join(resultsDirectory, 'artifacts', result.name.replace(/\.[^./]+$/, ''));
  fs.mkdirSync(path.dirname(base), {recursive: true});
  const files = {};
  const write = (suffix, text) => {
    if (!text) return;
    fs.writeFileSync(`${base}-${suffix}.txt`, text);
    files[suffix] = path.relative(resultsDirectory, `${base}-${suffix}.txt`).split(path.sep).join('/');
  };
  write('actual', result.actual);
  write('diff', result.diff);
  write('notes', result.notes);
  return files;
}

// One block element per diff line and nothing between them: a line break after a block inside
// <pre> would show as an empty line after every line.
function renderDiff(diff) {
  return diff.replace(/\n$/, '').split('\n').map((line) => {
    const kind = line.startsWith('+++') || line.startsWith('---') ? 'file'
        : line.startsWith('@@') ? 'hunk' : line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : 'same';
    return `<span class="${kind}">${line === '' ? ' ' : escapeHtml(line)}</span>`;
  }).join('');
}

function renderHtml(summary) {
  const rows = summary.tests.map((test) => {
    const passed = test.status === 'PASS' || test.status === 'REBASELINED';
    const runs = test.runs.length > 1
        ? `${test.runs.filter((run) => run.status === 'PASS').length}/${test.runs.length} passed`
        : '';
    const details = [];
    if (test.diff) details.push(`<h4>Diff (expected → actual)</h4><pre class="diff">${renderDiff(test.diff)}</pre>`);
    if (!passed && test.actual !== undefined) details.push(`<h4>Actual output</h4><pre>${escapeHtml(test.actual || '(empty)')}</pre>`);
    if (test.notes) details.push(`<h4>Runner</h4><pre>${escapeHtml(test.notes)}</pre>`);
    if (test.rerun) details.push(`<h4>Run it again</h4><pre>${escapeHtml(test.rerun)}</pre>`);
    if (test.command && test.command.length > 0) {
      details.push(`<h4>Shell command (its servers stop with the run; see --keep)</h4>` +
                   `<pre>${escapeHtml(test.command.join(' '))}</pre>`);
    }
    const detailCell = details.length === 0 ? ''
        : `<details${passed ? '' : ' open'}><summary>${escapeHtml(test.reason || 'details')}</summary>${details.join('')}</details>`;
    return `<tr class="${passed ? 'passed' : 'failed'}" data-status="${test.status}">` +
        `<td class="status ${test.status.toLowerCase()}">${test.status}</td>` +
        `<td class="name"><code>${escapeHtml(test.name)}</code></td>` +
        `<td class="duration">${formatDuration(test.durationMs)}</td>` +
        `<td>${runs}</td><td>${detailCell}</td></tr>`;
  }).join('\n');
  const {counts} = summary;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Switchboard web tests: ${counts.failed === 0 ? 'all passed' : `${counts.failed} failed`}</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
  h1 { font-size: 1.4em; margin: 0 0 .3em; }
  .meta { color: #555; margin-bottom: 1em; }
  table { border-collapse: collapse; width: 100%; }
  th, td { border-bottom: 1px solid #ddd; padding: .35em .6em; text-align: left; vertical-align: top; }
  th { background: #f3f3f3; position: sticky; top: 0; }
  td.status { font-weight: bold; white-space: nowrap; }
  td.duration { white-space: nowrap; text-align: right; }
  .pass, .rebaselined { color: #1a7f37; }
  .fail, .missing, .crash, .timeout, .error, .flaky { color: #cf222e; }
  tr.failed { background: #fff5f5; }
  pre { background: #f6f8fa; padding: .6em; overflow-x: auto; white-space: pre-wrap; margin: .3em 0; }
  pre.diff span { display: block; }
  pre.diff .add { color: #1a7f37; background: #e6ffec; }
  pre.diff .del { color: #cf222e; background: #ffebe9; }
  pre.diff .hunk { color: #8250df; }
  pre.diff .file { color: #555; font-weight: bold; }
  h4 { margin: .6em 0 .2em; }
  body.failures-only tr.passed { display: none; }
</style>
</head>
<body>
<h1>Switchboard web tests</h1>
<p class="meta" id="summary"><strong>${counts.total}</strong> tests: <span class="pass">${counts.passed} passed</span>,
<span class="${counts.failed === 0 ? 'pass' : 'fail'}">${counts.failed} failed</span>${counts.rebaselined ? `, ${counts.rebaselined} rebaselined` : ''}
in ${formatDuration(summary.durationMs)} · started ${escapeHtml(summary.startedAt)}<br>
shell <code>${escapeHtml(summary.shell)}</code> · jobs ${summary.jobs} · repeat ${summary.repeat}</p>
<p><label><input type="checkbox" id="failures-only"> show only failures</label></p>
<table id="results">
<thead><tr><th>Status</th><th>Test</th><th>Duration</th><th>Runs</th><th>Details</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<script>
  document.getElementById('failures-only').addEventListener('change', (event) => {
    document.body.classList.toggle('failures-only', event.target.checked);
  });
</script>
</body>
</html>
`;
}

// Writes results.json, report.html and artifacts; returns the report's path.
function writeResults(resultsDirectory, summary) {
  fs.mkdirSync(resultsDirectory, {recursive: true});
  clearPreviousResults(resultsDirectory);
  for (const test of summary.tests) {
    if (test.status !== 'PASS' && test.status !== 'REBASELINED') {
      test.artifacts = writeArtifacts(resultsDirectory, test);
    }
  }
  fs.writeFileSync(path.join(resultsDirectory, 'results.json'), `${JSON.stringify(summary, null, 2)}\n`);
  const reportPath = path.join(resultsDirectory, 'report.html');
  fs.writeFileSync(reportPath, renderHtml(summary));
  return reportPath;
}

module.exports = {escapeHtml, renderHtml, writeResults};
