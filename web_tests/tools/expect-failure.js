#!/usr/bin/env node
// expect-failure.js [--expect-output TEXT]... -- COMMAND [ARGS...]
//
// Runs COMMAND and succeeds only when it FAILS (non-zero exit status, no signal) and its output
// (stdout + stderr) contains every TEXT. ctest uses it to prove that the web test runner fails,
// with a readable diff, on a deliberately broken baseline (style.md rule 14: tests prove they
// can fail). The command's output is always echoed.
'use strict';

const {spawnSync} = require('node:child_process');

const argv = process.argv.slice(2);
const separator = argv.indexOf('--');
if (separator < 0 || separator === argv.length - 1) {
  process.stderr.write('usage: expect-failure.js [--expect-output TEXT]... -- COMMAND [ARGS...]\n');
  process.exit(2);
}
const expectations = [];
for (let index = 0; index < separator; ++index) {
  if (argv[index] !== '--expect-output' || index + 1 >= separator) {
    process.stderr.write(`expect-failure: unexpected argument ${argv[index]}\n`);
    process.exit(2);
  }
  expectations.push(argv[++index]);
}
const [command, ...args] = argv.slice(separator + 1);
const result = spawnSync(command, args, {encoding: 'utf8', maxBuffer: 64 * 1024 * 1024});
const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
process.stdout.write(output);

const problems = [];
if (result.error) problems.push(`could not run ${command}: ${result.error.message}`);
if (result.signal) problems.push(`the command died from ${result.signal}`);
if (result.status === 0) problems.push('the command succeeded but was expected to fail');
for (const text of expectations) {
  if (!output.includes(text)) problems.push(`the output lacks ${JSON.stringify(text)}`);
}
if (problems.length > 0) {
  process.stdout.write(`\nexpect-failure: FAILED\n${problems.map((problem) => `  ${problem}\n`).join('')}`);
  process.exit(1);
}
process.stdout.write(`\nexpect-failure: OK (exit status ${result.status}, all ${expectations.length} expected lines present)\n`);
