// End-to-end test of `switchboard-shell --inspect-brk` with a real Chrome DevTools Protocol
// client from npm (chrome-remote-interface), issue 16 "Must show" 1 and 4: list the target,
// refuse a foreign Host, attach, get Debugger.paused before the first statement, set a
// breakpoint by URL and line, resume, hit it, evaluate on the paused frame, resume to the end;
// console calls arrive as Runtime.consoleAPICalled, an uncaught exception as
// Runtime.exceptionThrown; a script's sourceMappingURL reaches DevTools. Every wait is for an
// event, bounded by a deadline. Once the page has finished, the shell stays while a client is
// attached ("Waiting for the debugger to disconnect...", as Node) and exits when it goes.
//
// And the Network domain (issue 16 "Must show" 2): a page's TCPConnection echo, as DevTools
// shows WebSockets (handshake request and response bytes, each frame in order, the close), a
// failing connection's frame error, and a <script src> load.
//
// Usage: node inspect_brk_test.js path/to/switchboard-shell path/to/switchboard-server
'use strict';

const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const CDP = require('chrome-remote-interface');

const shell = process.argv[2];
const server = process.argv[3];
const kDeadlineMs = 30000;

// The page: an inline script and an external one, so both URLs are listed.
const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-inspect-'));
const scriptFile = path.join(directory, 'script.js');
const pageFile = path.join(directory, 'page.html');
fs.writeFileSync(scriptFile, [
  "console.log('first line', { answer: 42 });",  // line 0
  'function add(a, b) {',                          // line 1
  '  const sum = a + b;',                          // line 2: the breakpoint
  '  return sum;',                                 // line 3
  '}',                                             // line 4
  'const result = add(2, 3);',                     // line 5
  "console.warn('result', result);",               // line 6
  "setTimeout(() => { throw new Error('late failure'); }, 0);",
  '//# sourceMappingURL=script.js.map',  // V8 reports it; DevTools resolves it
  '',
].join('\n'));
fs.writeFileSync(pageFile, '<!doctype html><script src="script.js"></script>\n' +
                               "<script>console.info('inline');</script>\n");
const scriptUrl = pathToFileURL(scriptFile).href;
const pageUrl = pathToFileURL(pageFile).href;

// Resolves when `predicate` holds for an event `name` on `client`, checking those seen so far.
function recorder(client, name) {
  const seen = [];
  const waiters = [];
  client.on(name, (params) => {
    seen.push(params);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(params)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(params);
      }
    }
  });
  return {
    seen,
    waitFor(predicate, what) {
      const found = seen.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = { predicate, resolve };
        waiters.push(waiter);
        setTimeout(() => reject(new Error(`timed out waiting for ${name}: ${what}`)),
                   kDeadlineMs).unref();
      });
    },
  };
}

function request(port, path, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, headers });
    req.on('response', (response) => {
      let body = '';
      response.on('data', (chunk) => { body += chunk; });
      response.on('end', () => resolve({ status: response.statusCode, body }));
    });
    req.on('upgrade', () => reject(new Error(`${path} upgraded for ${headers.Host}`)));
    req.on('error', reject);
    req.end();
  });
}

// Starts the shell; resolves once it printed where it listens.
const children = [];  // killed if the test fails, so no shell is left waiting for a debugger

async function startShell(args, { stdin = 'ignore' } = {}) {
  const child = spawn(shell, args, { stdio: [stdin, 'pipe', 'pipe'] });
  children.push(child);
  const run = { child, stdout: '', stderr: '' };
  child.stdout.on('data', (chunk) => { run.stdout += chunk; });
  run.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  const listening = new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk) => {
      run.stderr += chunk;
      const match =
          /Debugger listening on (ws:\/\/127\.0\.0\.1:(\d+)\/([0-9a-f-]{36}))\n/.exec(run.stderr);
      if (match) resolve({ url: match[1], port: Number(match[2]), id: match[3] });
    });
    child.on('exit', () => reject(new Error(`shell exited before listening: ${run.stderr}`)));
    setTimeout(() => reject(new Error('no "Debugger listening" line')), kDeadlineMs).unref();
  });
  Object.assign(run, await listening);
  assert.notEqual(run.port, 0);
  // Resolves once the page has finished and the shell waits for its clients to go, as Node
  // does at exit.
  run.waitingForDisconnect = new Promise((resolve, reject) => {
    const check = () => {
      if (run.stderr.includes('Waiting for the debugger to disconnect...\n')) resolve();
    };
    child.stderr.on('data', check);
    check();
    child.on('exit', () => reject(new Error(`shell exited without waiting for its debugger: ${run.stderr}`)));
  });
  run.waitingForDisconnect.catch(() => {});
  return run;
}

async function inspectBrk() {
  const run = await startShell(['--inspect-brk=127.0.0.1:0', pageFile]);
  const { url, port, id, exited } = run;

  // /json/list as Chrome formats it.
  const targets = await CDP.List({ host: '127.0.0.1', port });
  assert.equal(targets.length, 1);
  assert.deepEqual(targets[0], {
    description: 'Switchboard page',
    devtoolsFrontendUrl: `devtools://devtools/bundled/devtools_app.html?ws=127.0.0.1:${port}/${id}`,
    id,
    title: pageUrl,
    type: 'page',
    url: pageUrl,
    webSocketDebuggerUrl: url,
  });
  const version = await CDP.Version({ host: '127.0.0.1', port });
  assert.equal(version.Browser, 'Switchboard');
  assert.match(version['V8-Version'], /^10\.2\./);

  // DNS rebinding: a foreign Host gets neither the list nor the WebSocket.
  for (const listPath of ['/json/list', '/json', '/json/version']) {
    const refused = await request(port, listPath, { Host: 'attacker.example' });
    assert.equal(refused.status, 403);
    assert.ok(!refused.body.includes(id));
  }
  const refusedUpgrade = await request(port, `/${id}`, {
    Host: `attacker.example:${port}`, Connection: 'Upgrade', Upgrade: 'websocket',
    'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
  });
  assert.equal(refusedUpgrade.status, 403);

  // Attach, and let the page start: it pauses before its first statement.
  // local: the client's bundled protocol description (the server has no /json/protocol).
  const client = await CDP({ host: '127.0.0.1', port, target: id, local: true });
  const paused = recorder(client, 'Debugger.paused');
  const parsed = recorder(client, 'Debugger.scriptParsed');
  const consoleCalls = recorder(client, 'Runtime.consoleAPICalled');
  const exceptions = recorder(client, 'Runtime.exceptionThrown');
  const contexts = recorder(client, 'Runtime.executionContextCreated');
  await client.Runtime.enable();
  await client.Debugger.enable();
  const context = await contexts.waitFor(() => true, 'the page context');
  assert.equal(context.context.name, pageUrl);
  assert.equal(context.context.auxData.isDefault, true);
  await client.Runtime.runIfWaitingForDebugger();

  const onStart = await paused.waitFor(() => true, 'break on start');
  const script = await parsed.waitFor((s) => s.url === scriptUrl, 'script.js parsed');
  assert.equal(script.sourceMapURL, 'script.js.map', 'the source map comment, as V8 reports it');
  // (V8 leaves CallFrame.url, deprecated, empty: frames point at scripts by id.)
  assert.equal(onStart.callFrames[0].location.scriptId, script.scriptId);
  assert.equal(onStart.callFrames[0].location.lineNumber, 0);
  assert.equal(consoleCalls.seen.length, 0, 'nothing ran before the pause');

  const breakpoint = await client.Debugger.setBreakpointByUrl({ url: scriptUrl, lineNumber: 2 });
  assert.equal(breakpoint.locations.length, 1);
  assert.equal(breakpoint.locations[0].scriptId, script.scriptId);
  assert.equal(breakpoint.locations[0].lineNumber, 2);

  await client.Debugger.resume();
  const hit = await paused.waitFor((p) => p.hitBreakpoints && p.hitBreakpoints.length > 0,
                                   'the breakpoint');
  assert.deepEqual(hit.hitBreakpoints, [breakpoint.breakpointId]);
  assert.equal(hit.callFrames[0].functionName, 'add');
  assert.equal(hit.callFrames[0].location.lineNumber, 2);
  const evaluated = await client.Debugger.evaluateOnCallFrame({
    callFrameId: hit.callFrames[0].callFrameId, expression: 'a + b * 10',
  });
  assert.deepEqual(evaluated.result, { type: 'number', value: 32, description: '32' });
  // The page printed its first line while running to the breakpoint, with its stack.
  const first = await consoleCalls.waitFor((c) => c.args[0].value === 'first line', 'first line');
  assert.equal(first.type, 'log');
  assert.equal(first.args[1].type, 'object');
  assert.equal(first.stackTrace.callFrames[0].url, scriptUrl);
  assert.equal(first.stackTrace.callFrames[0].lineNumber, 0);

  await client.Debugger.resume();
  const warned = await consoleCalls.waitFor((c) => c.args[0].value === 'result', 'result');
  assert.equal(warned.type, 'warning');
  assert.equal(warned.args[1].value, 5);
  const inline = await consoleCalls.waitFor((c) => c.args[0].value === 'inline', 'inline');
  assert.equal(inline.type, 'info');
  assert.equal(inline.stackTrace.callFrames[0].url, pageUrl);
  await parsed.waitFor((s) => s.url === pageUrl, 'the inline script, under the page URL');
  const thrown = await exceptions.waitFor(() => true, 'the uncaught exception');
  assert.equal(thrown.exceptionDetails.text, 'Uncaught');
  assert.match(thrown.exceptionDetails.exception.description, /^Error: late failure/);
  assert.equal(thrown.exceptionDetails.url, scriptUrl);

  // The page has finished, but the shell stays while DevTools is attached (still answering
  // it), and exits (1: the page's uncaught exception) once the client goes.
  await run.waitingForDisconnect;
  const after = await client.Runtime.evaluate({ expression: 'result * 2' });
  assert.equal(after.result.value, 10);
  await client.close();
  const code = await exited;
  assert.equal(code, 1, run.stderr);
  // console.warn goes to standard error, as in Node (issue 17).
  assert.equal(run.stdout, "first line { answer: 42 }\ninline\n");
  assert.match(run.stderr, /^result 5\n[^]*Uncaught Error: late failure/m);
  console.log('PASS inspect-brk: list, Host check, pause on start, breakpoint, evaluate, console, exception');
}

// --inspect-wait: nothing runs before Runtime.runIfWaitingForDebugger, and it does not pause on
// start; a breakpoint set while it waited is hit.
async function inspectWait() {
  const run = await startShell(['--inspect-wait=0', pageFile]);
  const client = await CDP({ host: '127.0.0.1', port: run.port, target: run.id, local: true });
  const paused = recorder(client, 'Debugger.paused');
  const consoleCalls = recorder(client, 'Runtime.consoleAPICalled');
  await client.Runtime.enable();
  await client.Debugger.enable();
  // A round trip through the page while it waits: it answers, and has run nothing.
  const answer = await client.Runtime.evaluate({ expression: 'typeof add' });
  assert.equal(answer.result.value, 'undefined');
  assert.equal(run.stdout, '');
  // V8's Profiler domain through the same session: a CPU profile of the page's run, stopped
  // at a breakpoint set while the page waited (so the page is still there to answer).
  await client.Profiler.enable();
  await client.Profiler.start();
  await client.HeapProfiler.enable();
  await client.HeapProfiler.startSampling({ samplingInterval: 1024 });
  const breakpoint = await client.Debugger.setBreakpointByUrl({ url: scriptUrl, lineNumber: 6 });
  await client.Runtime.runIfWaitingForDebugger();
  const hit = await paused.waitFor(() => true, 'the breakpoint on line 6');
  assert.deepEqual(hit.hitBreakpoints, [breakpoint.breakpointId], 'no pause on start');
  const { profile } = await client.Profiler.stop();
  // (The script runs too briefly for a sample to land in it: the profile's root is checked.)
  assert.equal(profile.nodes[0].callFrame.functionName, '(root)');
  assert.ok(profile.endTime >= profile.startTime);
  const heap = await client.HeapProfiler.stopSampling();
  assert.equal(heap.profile.head.callFrame.functionName, '(root)');
  await client.Debugger.resume();
  await consoleCalls.waitFor((c) => c.args[0].value === 'inline', 'the last console call');
  await run.waitingForDisconnect;
  await client.close();
  assert.equal(await run.exited, 1);
  assert.equal(paused.seen.length, 1);
  assert.equal(run.stdout, "first line { answer: 42 }\ninline\n");  // console.warn: stderr
  console.log('PASS inspect-wait: no script before runIfWaitingForDebugger, no pause on start, a CPU and a heap profile');
}

// A page waiting for a debugger that never comes still ends on --timeout.
async function timeoutWhileWaiting() {
  const run = await startShell(['--inspect-brk=0', '--timeout=0.2', pageFile]);
  assert.equal(await run.exited, 124);
  assert.equal(run.stdout, '');
  console.log('PASS --timeout ends a page waiting for its debugger');
}

// --inspect: the page runs at once; messages reach it between its tasks (the running page's
// loop is woken for them), here an evaluation that lets it finish.
async function inspectRunning() {
  const runningPage = path.join(directory, 'running.js');
  fs.writeFileSync(runningPage, [
    'const timer = setInterval(() => {',
    '  if (globalThis.stopNow) { clearInterval(timer); console.log("stopped by", globalThis.stopNow); }',
    '}, 5);',
    '',
  ].join('\n'));
  const run = await startShell(['--inspect=0', runningPage]);
  const client = await CDP({ host: '127.0.0.1', port: run.port, target: run.id, local: true });
  // A client that reads the protocol's description from the endpoint (chrome-remote-interface's
  // default) finds V8's domains and our Network domain there.
  const described = await CDP({ host: '127.0.0.1', port: run.port, target: run.id });
  const protocol = await CDP.Protocol({ host: '127.0.0.1', port: run.port });
  const network = protocol.domains.find((domain) => domain.domain === 'Network');
  assert.ok(network.events.some((event) => event.name === 'webSocketFrameReceived'));
  for (const domain of ['Runtime', 'Debugger', 'Profiler', 'HeapProfiler', 'Console']) {
    assert.ok(protocol.domains.some((d) => d.domain === domain), domain);
  }
  assert.equal((await described.Runtime.evaluate({ expression: '6 * 7' })).result.value, 42);
  // DevTools' Memory panel: a heap snapshot of the running page, streamed in chunks.
  let snapshotText = '';
  described.on('HeapProfiler.addHeapSnapshotChunk', ({ chunk }) => { snapshotText += chunk; });
  await described.HeapProfiler.takeHeapSnapshot({ reportProgress: false });
  const snapshot = JSON.parse(snapshotText);
  assert.ok(snapshot.snapshot.node_count > 1000, `node_count ${snapshot.snapshot.node_count}`);
  assert.ok(snapshot.strings.includes('TCPConnection'), 'the page\'s global interfaces are in it');
  await described.close();
  const evaluated = await client.Runtime.evaluate({ expression: 'globalThis.stopNow = "devtools"' });
  assert.equal(evaluated.result.value, 'devtools');
  await run.waitingForDisconnect;
  await client.close();
  assert.equal(await run.exited, 0, run.stderr);
  assert.equal(run.stdout, 'stopped by devtools\n');
  console.log('PASS inspect: a running page answers between its tasks; a client reading /json/protocol works; a heap snapshot');
}

// A client that goes away while the page is paused resumes it: the page runs to its end.
async function disconnectWhilePaused() {
  const run = await startShell(['--inspect-brk=0', pageFile]);
  const client = await CDP({ host: '127.0.0.1', port: run.port, target: run.id, local: true });
  const paused = recorder(client, 'Debugger.paused');
  await client.Debugger.enable();
  await client.Runtime.runIfWaitingForDebugger();
  await paused.waitFor(() => true, 'break on start');
  await client.close();
  assert.equal(await run.exited, 1);
  assert.equal(run.stdout, "first line { answer: 42 }\ninline\n");  // console.warn: stderr
  console.log('PASS a client leaving a paused page resumes it');
}

// Starts the reference server on a free port; resolves with its http port. It stops when its
// stdin (a pipe) closes, so it ends with the test.
async function startServer(root) {
  const child = spawn(server, ['--root', root, '--address', '127.0.0.1'],
                      { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening http 127\.0\.0\.1 (\d+)\n[^]*ready\n/.exec(out);
      if (match) resolve({ child, port: Number(match[1]) });
    });
    child.on('exit', () => reject(new Error(`switchboard-server exited: ${out}`)));
    setTimeout(() => reject(new Error('switchboard-server never ready')), kDeadlineMs).unref();
  });
}

// The Network domain: enabled while --inspect-wait holds the page's scripts, then the page
// loads a script and opens two connections, one that echoes and one that fails.
async function networkEvents() {
  const site = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-network-'));
  fs.writeFileSync(path.join(site, 'echo.js'), [
    "const echo = new TCPConnection('/echo');",
    "echo.onopen = () => { echo.send('hello'); echo.send('world'); };",
    'let replies = 0;',
    "echo.onread = (event) => { if (++replies === 2) echo.disconnect(); };",
    "echo.onclose = () => { const bad = new TCPConnection('/no-such-handler'); bad.onclose = () => console.log('done'); };",
    '',
  ].join('\n'));
  fs.writeFileSync(path.join(site, 'page.html'), '<!doctype html><script src="echo.js"></script>\n');
  const { child: serverChild, port } = await startServer(site);
  const origin = `http://127.0.0.1:${port}`;
  const run = await startShell(['--inspect-wait=0', `${origin}/page.html`]);
  const client = await CDP({ host: '127.0.0.1', port: run.port, target: run.id, local: true });
  const events = [];
  const finished = new Promise((resolve) => {
    client.on('event', (message) => {
      if (!message.method.startsWith('Network.')) return;
      events.push(message);
      if (message.method === 'Network.webSocketClosed' &&
          events.filter((e) => e.method === 'Network.webSocketClosed').length === 2) {
        resolve();
      }
    });
  });
  await client.Network.enable();
  await client.Runtime.runIfWaitingForDebugger();
  await Promise.race([finished, new Promise((_, reject) => setTimeout(
      () => reject(new Error(`timed out; Network events: ${JSON.stringify(events)}`)),
      kDeadlineMs).unref())]);
  // The Response tab: the bodies of the document and of the script, as loaded.
  for (const [file, url] of [['page.html', `${origin}/page.html`], ['echo.js', `${origin}/echo.js`]]) {
    const sent = events.find((e) => e.method === 'Network.requestWillBeSent' && e.params.request.url === url);
    const { body, base64Encoded } = await client.Network.getResponseBody({ requestId: sent.params.requestId });
    assert.equal(base64Encoded, false);
    assert.equal(body, fs.readFileSync(path.join(site, file), 'utf8'));
  }
  await run.waitingForDisconnect;
  await client.close();
  assert.equal(await run.exited, 0, run.stderr);
  serverChild.stdin.end();

  // The document's load (before the client attached: kept for the first Network.enable) and
  // the script's.
  const document = events.find((e) => e.method === 'Network.requestWillBeSent' &&
                                      e.params.request.url === `${origin}/page.html`);
  assert.ok(document, 'requestWillBeSent for the document');
  assert.equal(document.params.type, 'Document');
  assert.ok(events.some((e) => e.method === 'Network.responseReceived' &&
                               e.params.requestId === document.params.requestId &&
                               e.params.response.status === 200));

  const script = events.find((e) => e.method === 'Network.requestWillBeSent' &&
                                    e.params.request.url === `${origin}/echo.js`);
  assert.ok(script, 'requestWillBeSent for echo.js');
  assert.equal(script.params.type, 'Script');
  const scriptResponse = events.find((e) => e.method === 'Network.responseReceived' &&
                                            e.params.requestId === script.params.requestId);
  assert.equal(scriptResponse.params.response.status, 200);
  assert.ok(events.some((e) => e.method === 'Network.loadingFinished' &&
                               e.params.requestId === script.params.requestId));

  // The echo, in order: created, the real OPTIONS request, the 101, the frames, the close.
  const created = events.filter((e) => e.method === 'Network.webSocketCreated');
  assert.deepEqual(created.map((e) => e.params.url), [`${origin}/echo`, `${origin}/no-such-handler`]);
  const echoId = created[0].params.requestId;
  const byMethod = (method) => events.filter((e) => e.params.requestId === echoId && e.method === method);
  const handshake = byMethod('Network.webSocketWillSendHandshakeRequest')[0].params.request;
  assert.equal(handshake.headers.Upgrade, 'TCPConnection/1.0');
  assert.equal(handshake.headers.Origin, origin);
  const response = byMethod('Network.webSocketHandshakeResponseReceived')[0].params.response;
  assert.equal(response.status, 101);
  assert.match(response.requestHeadersText, /^OPTIONS \/echo HTTP\/1\.1\r\n/);
  assert.deepEqual(byMethod('Network.webSocketFrameSent').map((e) => e.params.response.payloadData),
                   ['hello', 'world']);
  assert.deepEqual(byMethod('Network.webSocketFrameReceived').map((e) => e.params.response.payloadData),
                   ['hello', 'world']);
  const order = events.filter((e) => e.params.requestId === echoId).map((e) => e.method);
  assert.equal(order[0], 'Network.webSocketCreated');
  assert.equal(order[1], 'Network.webSocketWillSendHandshakeRequest');
  assert.equal(order[2], 'Network.webSocketHandshakeResponseReceived');
  assert.equal(order[order.length - 1], 'Network.webSocketClosed');

  // The failing connection: a frame error naming the §7 stage and reason, then the close.
  const badId = created[1].params.requestId;
  const error = events.find((e) => e.params.requestId === badId && e.method === 'Network.webSocketFrameError');
  assert.ok(error, 'webSocketFrameError for the failing connection');
  assert.match(error.params.errorMessage, /^handshake: /);
  assert.equal(events.filter((e) => e.params.requestId === badId).pop().method, 'Network.webSocketClosed');
  fs.rmSync(site, { recursive: true });
  console.log('PASS Network: the document and a script load (and their bodies), a TCPConnection echo (handshake bytes, frames in order, close) and a failing connection');
}

// The REPL (here reading lines from a pipe) with --inspect-brk: no input runs before a debugger
// lets the page run, and the first input pauses before its first statement.
async function replInspectBrk() {
  const run = await startShell(['--repl', '--inspect-brk=0'], { stdin: 'pipe' });
  run.child.stdin.write('const answer = 6 * 7;\nconsole.log("answer", answer);\n');
  const client = await CDP({ host: '127.0.0.1', port: run.port, target: run.id, local: true });
  const paused = recorder(client, 'Debugger.paused');
  await client.Debugger.enable();
  await client.Runtime.enable();
  // Attached but not yet told to run: the REPL has evaluated nothing.
  const before = await client.Runtime.evaluate({ expression: 'typeof answer' });
  assert.equal(before.result.value, 'undefined');
  assert.equal(run.stdout, '');
  await client.Runtime.runIfWaitingForDebugger();
  const pause = await paused.waitFor(() => true, 'break before the first input');
  assert.equal(pause.reason, 'Break on start');
  await client.Debugger.resume();
  const printed = new Promise((resolve) => {
    const check = () => { if (run.stdout.includes('answer 42\n')) resolve(); };
    run.child.stdout.on('data', check);
    check();
  });
  await printed;
  run.child.stdin.end();  // the REPL's end of input; the shell then waits for its client
  await run.waitingForDisconnect;
  await client.close();
  assert.equal(await run.exited, 0, run.stderr);
  console.log('PASS REPL --inspect-brk: no input before the debugger, a pause before the first');
}

// The threads (by name) and the listening TCP ports of process `pid`, from /proc.
function threadsAndListeningPorts(pid) {
  const threads = fs.readdirSync(`/proc/${pid}/task`)
      .map((task) => fs.readFileSync(`/proc/${pid}/task/${task}/comm`, 'utf8').trim());
  const inodes = new Set();
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]);
    } catch {}  // closed meanwhile
  }
  const ports = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of fs.readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is HEX_IP:HEX_PORT; state 0A is LISTEN; field 9 is the inode.
      if (fields.length > 9 && fields[3] === '0A' && inodes.has(fields[9])) {
        ports.push(parseInt(fields[1].split(':')[1], 16));
      }
    }
  }
  return { threads, ports };
}

// Issue 16 "Must show" 5: without --inspect nothing starts — no DevTools thread, no listening
// port; with --inspect=0, one thread and one port (so the check can see them).
async function nothingWithoutInspect() {
  const idlePage = path.join(directory, 'idle.js');
  fs.writeFileSync(idlePage, "console.log('running'); setTimeout(() => {}, 600000);\n");
  const observe = async (args) => {
    const child = spawn(shell, [...args, '--timeout=300', idlePage], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    let err = '';
    child.stderr.on('data', (chunk) => { err += chunk; });
    await new Promise((resolve, reject) => {
      child.stdout.on('data', (chunk) => { out += chunk; if (out.includes('running\n')) resolve(); });
      child.on('exit', () => reject(new Error(`shell exited: ${out}${err}`)));
      setTimeout(() => reject(new Error('the page never ran')), kDeadlineMs).unref();
    });
    const seen = threadsAndListeningPorts(child.pid);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    return { ...seen, stderr: err };
  };
  const plain = await observe([]);
  assert.deepEqual(plain.ports, [], 'no listening port without --inspect');
  assert.ok(!plain.threads.includes('sb-devtools'), `no DevTools thread: ${plain.threads}`);
  assert.equal(plain.stderr, '');
  const inspected = await observe(['--inspect=0']);
  const port = Number(/ws:\/\/127\.0\.0\.1:(\d+)\//.exec(inspected.stderr)[1]);
  assert.deepEqual(inspected.ports, [port]);
  assert.equal(inspected.threads.filter((name) => name === 'sb-devtools').length, 1);
  assert.equal(inspected.threads.length, plain.threads.length + 1, `${plain.threads} vs ${inspected.threads}`);
  console.log(`PASS without --inspect: no DevTools thread, no port (threads: ${plain.threads.join(', ')})`);
}

async function main() {
  await inspectBrk();
  await inspectWait();
  await timeoutWhileWaiting();
  await inspectRunning();
  await disconnectWhilePaused();
  await replInspectBrk();
  await networkEvents();
  await nothingWithoutInspect();
  fs.rmSync(directory, { recursive: true });
}

main().catch((error) => {
  console.error(error);
  for (const child of children) child.kill('SIGKILL');
  fs.rmSync(directory, { recursive: true, force: true });
  process.exit(1);
});
