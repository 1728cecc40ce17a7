// Baseline comparison: the one normalisation the runner applies, and a unified diff of lines
// (Myers' O(ND) algorithm, "An O(ND) Difference Algorithm and Its Variations", 1986).
'use strict';

// Only trailing whitespace at the end of the output is ignored (README.md "Baselines").
function normalizeOutput(text) {
  return text.replace(/\s+$/u, '');
}

// The text a baseline file holds for `output`: normalised, with one final newline.
function baselineText(output) {
  const normalized = normalizeOutput(output);
  return normalized === '' ? '' : `${normalized}\n`;
}

function splitLines(text) {
  return text === '' ? [] : text.split('\n');
}

// The edit script turning `a` into `b`: a list of {kind: ' '|'-'|'+', line}.
function diffLines(a, b, maxEditDistance = 20000) {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace = [];
  let found = -1;
  const limit = Math.min(max, maxEditDistance);
  for (let d = 0; d <= limit && found < 0; ++d) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = (k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]))
          ? v[offset + k + 1]
          : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        ++x;
        ++y;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) {
    // Too different to be worth it: everything removed, then everything added.
    return [...a.map((line) => ({kind: '-', line})), ...b.map((line) => ({kind: '+', line}))];
  }
  // Walk the trace back from (n, m).
  const edits = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; --d) {
    v = trace[d];
    const k = x - y;
    const previousK = (k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1])) ? k + 1 : k - 1;
    const previousX = v[offset + previousK];
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      edits.push({kind: ' ', line: a[x - 1]});
      --x;
      --y;
    }
    if (x === previousX) {
      edits.push({kind: '+', line: b[--y]});
    } else {
      edits.push({kind: '-', line: a[--x]});
    }
  }
  while (x > 0 && y > 0) {
    edits.push({kind: ' ', line: a[--x]});
    --y;
  }
  return edits.reverse();
}

// A unified diff ("--- expected", "+++ actual", "@@ -a,b +c,d @@" hunks with `context` lines),
// or '' when the normalised texts are equal.
function unifiedDiff(expected, actual, {expectedLabel = 'expected', actualLabel = 'actual', context = 3} = {}) {
  const a = normalizeOutput(expected);
  const b = normalizeOutput(actual);
  if (a === b) return '';
  const edits = diffLines(splitLines(a), splitLines(b));
  const lines = [`--- ${expectedLabel}`, `+++ ${actualLabel}`];
  // Positions of every edit in both files (1-based line numbers).
  let aLine = 1;
  let bLine = 1;
  const positioned = edits.map((edit) => {
    const entry = {...edit, aLine, bLine};
    if (edit.kind !== '+') ++aLine;
    if (edit.kind !== '-') ++bLine;
    return entry;
  });
  const changed = positioned.map((edit, index) => (edit.kind === ' ' ? -1 : index)).filter((i) => i >= 0);
  let hunkStart = 0;
  while (hunkStart < changed.length) {
    let hunkEnd = hunkStart;
    while (hunkEnd + 1 < changed.length && changed[hunkEnd + 1] - changed[hunkEnd] <= 2 * context + 1) ++hunkEnd;
    const from = Math.max(0, changed[hunkStart] - context);
    const to = Math.min(positioned.length - 1, changed[hunkEnd] + context);
    const slice = positioned.slice(from, to + 1);
    const aCount = slice.filter((edit) => edit.kind !== '+').length;
    const bCount = slice.filter((edit) => edit.kind !== '-').length;
    const aStart = aCount === 0 ? slice[0].aLine - 1 : slice.find((edit) => edit.kind !== '+').aLine;
    const bStart = bCount === 0 ? slice[0].bLine - 1 : slice.find((edit) => edit.kind !== '-').bLine;
    lines.push(`@@ -${aStart},${aCount} +${bStart},${bCount} @@`);
    for (const edit of slice) lines.push(`${edit.kind}${edit.line}`);
    hunkStart = hunkEnd + 1;
  }
  return `${lines.join('\n')}\n`;
}

module.exports = {normalizeOutput, baselineText, diffLines, unifiedDiff};
