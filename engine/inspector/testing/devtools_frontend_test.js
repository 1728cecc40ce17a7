// Real Chrome DevTools on a Switchboard page (issue 16 "Must show" 3): Debian's Chromium,
// headless, opens its bundled DevTools frontend at the URL /json/list gives
// (devtools://devtools/bundled/devtools_app.html?ws=…) for `switchboard-shell --inspect-wait`, and the Network panel lists the page's document
// and its TCPConnection, whose Messages tab shows the conversation with the bundled server's
// /echo handler: the three messages sent (green, in order) and the three echoed back.
//
// The frontend is driven with playwright-core (npm; it drives the installed Chromium, it
// downloads none). Every wait is for something on the screen, bounded by a deadline.
//
// Usage: node devtools_frontend_test.js SHELL SERVER EXAMPLES_DIR [--screenshot FILE.png]
//   (scripts/devtools-screenshot.sh runs it to refresh the README's screenshot)
// Exits 0 when DevTools showed everything; 77 (ctest's "skipped") when Chromium is not
// installed, which scripts/bootstrap.sh does.
'use strict';

const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');

const [shell, server, examples] = process.argv.slice(2, 5);
const screenshotIndex = process.argv.indexOf('--screenshot');
const screenshot = screenshotIndex > 0 ? process.argv[screenshotIndex + 1] : null;
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const kDeadlineMs = 30000;
const kSent = ['Hello, server!', 'TCPConnection speaks HTTP first: OPTIONS + Upgrade, then 101.', 'Bye.'];

const children = [];  // killed if the test fails

// Spawns `program` and resolves with the first match of `pattern` in what it writes on
// `stream` ('stdout' or 'stderr'), with {child, match, output()}.
function startAndMatch(program, args, stream, pattern, stdin = 'ignore') {
  const child = spawn(program, args, { stdio: [stdin, 'pipe', 'pipe'] });
  children.push(child);
  const text = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk) => { text.stdout += chunk; });
  child.stderr.on('data', (chunk) => { text.stderr += chunk; });
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = pattern.exec(text[stream]);
      if (match) resolve({ child, match, exited, output: () => `${text.stdout}${text.stderr}` });
    };
    child[stream].on('data', check);
    child.on('exit', () => reject(new Error(`${program} exited: ${text.stdout}${text.stderr}`)));
    setTimeout(() => reject(new Error(`${program}: no ${pattern}`)), kDeadlineMs).unref();
  });
}

async function main() {
  if (!fs.existsSync(chromiumPath)) {
    console.log(`SKIP: no Chromium at ${chromiumPath} (scripts/bootstrap.sh installs Debian's chromium)`);
    process.exit(77);
  }
  const { chromium } = require('playwright-core');

  // The bundled server (it stops when its standard input closes) and the bundled echo page.
  const echoServer = await startAndMatch(server, ['--root', examples, '--port', '0', '--address', '127.0.0.1'],
                                         'stdout', /listening http 127\.0\.0\.1 (\d+)\n[^]*ready\n/, 'pipe');
  const pageUrl = `http://127.0.0.1:${echoServer.match[1]}/echo/index.html`;
  // --inspect-wait: the page runs once DevTools has attached (the frontend sends
  // Runtime.runIfWaitingForDebugger), so the Network panel sees every event live.
  const page = await startAndMatch(shell, ['--inspect-wait=127.0.0.1:0', '--timeout=60', pageUrl], 'stderr',
                                   /Debugger listening on ws:\/\/(127\.0\.0\.1:\d+\/[0-9a-f-]{36})\n/);

  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox'] });
  try {
    const devtools = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    devtools.setDefaultTimeout(kDeadlineMs);
    // The frontend URL the endpoint advertises, as chrome://inspect would open it.
    const port = page.match[1].split('/')[0].split(':')[1];
    const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
    assert.equal(targets.length, 1);
    assert.equal(targets[0].url, pageUrl);
    await devtools.goto(targets[0].devtoolsFrontendUrl);
    await devtools.getByRole('tab', { name: 'Network' }).click();

    // The panel's rows: the document (200) and the TCPConnection as a WebSocket (101).
    const connectionRow = devtools.locator('tr', { hasText: '101' }).first();
    await connectionRow.waitFor();
    assert.match(await connectionRow.innerText(), /^echo\s+101\s+websocket/);
    const documentRow = devtools.locator('tr', { hasText: 'index.html' }).first();
    assert.match(await documentRow.innerText(), /index\.html\s+200\s+document/);

    // Its Messages tab: each frame's text, in order, in each direction.
    await connectionRow.locator('td.name-column').click();
    await devtools.getByRole('tab', { name: 'Messages' }).click();
    const sent = devtools.locator('tr.resource-chunk-view-row-send td.data-column');
    const received = devtools.locator('tr.resource-chunk-view-row-receive td.data-column');
    await received.nth(kSent.length - 1).waitFor();
    assert.deepEqual(await sent.allInnerTexts(), kSent);
    assert.deepEqual(await received.allInnerTexts(), kSent);
    if (screenshot) await devtools.screenshot({ path: screenshot });
  } finally {
    await browser.close();
  }

  // The page had finished and waited for DevTools; with the frontend gone it exits.
  assert.equal(await page.exited, 0, page.output());
  assert.match(page.output(), /Waiting for the debugger to disconnect\.\.\./);
  echoServer.child.stdin.end();
  console.log('PASS Chrome DevTools (Debian Chromium, headless) lists the TCPConnection and shows its messages' +
              (screenshot ? `; screenshot in ${screenshot}` : ''));
}

main().catch((error) => {
  console.error(error);
  for (const child of children) child.kill('SIGKILL');
  process.exit(1);
});
