#!/usr/bin/env node
// The generated man pages (engine/packaging/help-to-man.js) against their programs: each page renders
// with `man --warnings` and `groff -ww` without a single warning, and says what --help says
// (every word of --help, in order, is in the rendered page; only the "Usage:", "Options:" and
// "Exit status:" labels become section headings).
// Usage: man_pages_test.js MAN1_DIR PROGRAM...   (the page of PROGRAM is MAN1_DIR/NAME.1)
'use strict';

const {spawnSync} = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const [manDirectory, ...programs] = process.argv.slice(2);
if (!manDirectory || programs.length === 0) {
  process.stderr.write('Usage: man_pages_test.js MAN1_DIR PROGRAM...\n');
  process.exit(2);
}
let failures = 0;
function check(condition, message) {
  if (!condition) {
    process.stdout.write(`FAIL: ${message}\n`);
    ++failures;
  }
  return condition;
}
function run(command, args, env = {}) {
  return spawnSync(command, args, {encoding: 'utf8', env: {...process.env, ...env}});
}

for (const program of programs) {
  const name = path.basename(program);
  const page = path.join(manDirectory, `${name}.1`);
  if (!check(fs.existsSync(page), `${page} was not generated`)) continue;

  const man = run('man', ['--warnings', '-E', 'UTF-8', '-l', page],
                  {MANWIDTH: '80', LC_ALL: 'C.UTF-8', MANPAGER: 'cat', PAGER: 'cat'});
  check(man.status === 0, `man -l ${page} exited ${man.status}`);
  check(man.stderr === '', `man --warnings on ${name}.1:\n${man.stderr}`);
  const groff = run('groff', ['-ww', '-z', '-man', page]);
  check(groff.status === 0 && groff.stderr === '', `groff -ww on ${name}.1:\n${groff.stderr}`);

  const help = run(program, ['--help']);
  if (!check(help.status === 0, `${name} --help exited ${help.status}`)) continue;
  const helpWords = help.stdout.replace(/^(usage|options|exit status):/gim, '')
                        .split(/\s+/).filter(Boolean);
  const lines = man.stdout.trimEnd().split('\n');
  check(/^[A-Z-]+\(1\)/.test(lines[0]) && lines[0].includes(name.toUpperCase()),
        `${name}.1's header: ${lines[0]}`);
  const manWords = lines.slice(1, -1).join('\n').split(/\s+/).filter(Boolean);
  let at = 0;
  let matched = 0;
  for (const word of helpWords) {
    const found = manWords.indexOf(word, at);
    if (!check(found >= 0, `${name}.1 lacks --help's word '${word}' (after word ${at})`)) break;
    at = found + 1;
    ++matched;
  }
  for (const heading of ['NAME', 'SYNOPSIS', 'DESCRIPTION', 'OPTIONS', 'SEE ALSO']) {
    check(lines.includes(heading), `${name}.1 has no ${heading} section`);
  }
  if (matched === helpWords.length) {
    process.stdout.write(`PASS ${name}.1: no warnings, all ${matched} words of --help\n`);
  }
}
process.stdout.write(failures === 0 ? 'PASS man pages\n' : `${failures} failures\n`);
process.exit(failures === 0 ? 0 : 1);
