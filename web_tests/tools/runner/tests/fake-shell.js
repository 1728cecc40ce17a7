#!/usr/bin/env node
// A scripted stand-in for switchboard-shell used by the runner's own tests. It fetches PAGE (so
// the test proves the page was served) and follows the instructions in the page's lines:
//   out: TEXT      print TEXT to stdout          err: TEXT    print TEXT to stderr
//   exit: N        exit with status N            signal: SIG  kill itself with SIG
//   hang           never exit (ignores --timeout)
//   flaky          print "run N" where N counts invocations (state in $FAKE_SHELL_STATE)
//   args           print its arguments before the URL, one line, as JSON
//   env: NAME      print "NAME=value" from its environment, or "NAME unset"
// Every invocation's URL is appended to $FAKE_SHELL_LOG when set.
'use strict';

const fs = require('node:fs');

async function main() {
  const url = process.argv[process.argv.length - 1];
  if (process.env.FAKE_SHELL_LOG) fs.appendFileSync(process.env.FAKE_SHELL_LOG, `${url}\n`);
  const response = await fetch(url);
  if (!response.ok) {
    process.stderr.write(`fake-shell: ${url}: HTTP ${response.status}\n`);
    process.exit(1);
  }
  let exitCode = 0;
  for (const line of (await response.text()).split('\n')) {
    const [, instruction, argument] = /^\s*(?:\/\/\s*)?(out|err|exit|signal|hang|flaky|args|env)(?::\s?(.*))?$/.exec(line) ?? [];
    if (instruction === 'out') process.stdout.write(`${argument}\n`);
    if (instruction === 'err') process.stderr.write(`${argument}\n`);
    if (instruction === 'exit') exitCode = Number(argument);
    if (instruction === 'signal') process.kill(process.pid, argument);
    if (instruction === 'args') process.stdout.write(`${JSON.stringify(process.argv.slice(2, -1))}\n`);
    if (instruction === 'env') {
      const value = process.env[argument];
      process.stdout.write(value === undefined ? `${argument} unset\n` : `${argument}=${value}\n`);
    }
    if (instruction === 'hang') setInterval(() => {}, 1000);
    if (instruction === 'flaky') {
      const stateFile = process.env.FAKE_SHELL_STATE;
      const count = (fs.existsSync(stateFile) ? Number(fs.readFileSync(stateFile, 'utf8')) : 0) + 1;
      fs.writeFileSync(stateFile, String(count));
      process.stdout.write(`run ${count % 2 === 1 ? 'odd' : 'even'}\n`);
    }
  }
  process.exitCode = exitCode;
}

main();
