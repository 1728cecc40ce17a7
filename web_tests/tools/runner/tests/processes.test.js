// Servers the runner starts cannot outlive it (processes.js): stop() ends them, and so does the
// runner's death, even by SIGKILL.
'use strict';

const assert = require('node:assert/strict');
const {spawn} = require('node:child_process');
const path = require('node:path');
const test = require('node:test');

const {hasSetpriv, startOnFreePorts, startProcess} = require('../processes');

const kProcesses = path.join(__dirname, '..', 'processes.js');

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(predicate, milliseconds = 5000) {
  const deadline = Date.now() + milliseconds;
  while (Date.now() < deadline) {
    if (predicate()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return predicate();
}

// A program that prints its pid and runs until killed, ignoring a closed stdin.
const kSleeper = [process.execPath, '-e', 'console.log(`pid ${process.pid}`); setInterval(() => {}, 1000);'];

function pidFrom(handle) {
  return waitFor(() => /pid (\d+)/.test(handle.log())).then(() => Number(/pid (\d+)/.exec(handle.log())[1]));
}

test('stop() ends a wrapped program and its wrapper', async () => {
  const handle = startProcess('sleeper', kSleeper);
  const pid = await pidFrom(handle);
  assert.ok(alive(pid));
  await handle.stop();
  assert.ok(await waitFor(() => !alive(pid)), 'the program is gone');
  assert.ok(handle.hasExited());
});

test('a wrapped program dies with the runner, even when the runner is SIGKILLed',
     {skip: hasSetpriv() ? false : 'setpriv (util-linux) is not installed'}, async () => {
  // A stand-in runner: starts the sleeper through processes.js, reports its pid, waits.
  const runner = spawn(process.execPath, ['-e', `
    const {startProcess} = require(${JSON.stringify(kProcesses)});
    const handle = startProcess('sleeper', ${JSON.stringify(kSleeper)});
    const timer = setInterval(() => {
      const match = /pid (\\d+)/.exec(handle.log());
      if (match) { console.log('sleeper ' + match[1]); clearInterval(timer); }
    }, 10);
    setInterval(() => {}, 1000);`], {stdio: ['ignore', 'pipe', 'inherit']});
  let output = '';
  runner.stdout.on('data', (chunk) => { output += chunk; });
  assert.ok(await waitFor(() => /sleeper \d+/.test(output)), output);
  const pid = Number(/sleeper (\d+)/.exec(output)[1]);
  assert.ok(alive(pid));
  runner.kill('SIGKILL');
  assert.ok(await waitFor(() => !alive(pid)), 'the sleeper outlived the SIGKILLed runner');
});

test('startOnFreePorts retries when the program does not start, then gives up with its log', async () => {
  let attempts = 0;
  await assert.rejects(startOnFreePorts('broken', {
    attempts: 2,
    makeArgv: () => {
      ++attempts;
      return [process.execPath, '-e', 'console.error("cannot bind"); process.exit(1)'];
    },
  }), /broken did not start:\ncannot bind/);
  assert.equal(attempts, 2);
});
