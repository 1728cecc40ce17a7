#!/usr/bin/env node
// node-shell.js: a stand-in for switchboard-shell with the same command-line contract, built on
// Node's vm module. It exists so that the runner and the harness can be tested apart from
// engine/ (and before the real shell existed); `web_tests/run --shell tools/node-shell.js`.
//
//   node-shell.js [--timeout SECONDS] [--origin ORIGIN] PAGE
//
// PAGE is a .js or .html file or an http(s):// URL. console.log/info/debug go to stdout and
// console.error/warn to stderr, one line per call, written at once (so that both keep their order
// in one file); the other console methods are Node's own. An uncaught exception prints "file:line:col: Uncaught Name: message" to stderr and makes
// the exit status 1 (the page keeps running). --timeout ends the run with status 124. The
// process exits when nothing is pending. Globals: console, setTimeout, clearTimeout,
// setInterval, clearInterval, queueMicrotask, location, window, self — nothing else of the
// web platform (in particular no TCPConnection, fetch or DOM).
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const util = require('node:util');
const vm = require('node:vm');
const {pathToFileURL} = require('node:url');

function usage(stream) {
  stream.write('usage: node-shell.js [--timeout SECONDS] [--origin ORIGIN] PAGE\n');
}

function parseArguments(argv) {
  const options = {timeoutSeconds: 0, origin: null, page: null};
  for (let index = 0; index < argv.length; ++index) {
    const argument = argv[index];
    if (argument === '--help' || argument === '-h') {
      usage(process.stdout);
      process.exit(0);
    } else if (argument === '--timeout') {
      options.timeoutSeconds = Number(argv[++index]);
      if (!(options.timeoutSeconds >= 0)) throw new Error('bad --timeout');
    } else if (argument === '--origin') {
      options.origin = argv[++index];
    } else if (['--dns-server', '--proxy', '--ca-file', '--cookie-jar', '--net-log'].includes(argument)) {
      ++index;  // network options: this stand-in has no network API to apply them to
    } else if (argument.startsWith('--')) {
      throw new Error(`unknown option ${argument}`);
    } else if (options.page === null) {
      options.page = argument;
    } else {
      throw new Error('only one PAGE');
    }
  }
  if (options.page === null) throw new Error('missing PAGE');
  return options;
}

async function load(url) {
  if (url.protocol === 'file:') return fs.readFileSync(url, 'utf8');
  const response = await fetch(url, {redirect: 'follow'});
  if (!response.ok) throw new Error(`${url.href}: HTTP ${response.status}`);
  return response.text();
}

// The page's scripts in document order: {url, source} for <script src> and inline scripts.
// A regular expression is enough for test pages; the real shell uses an HTML parser.
async function scriptsOf(pageUrl, text) {
  if (!/\.html?$/i.test(pageUrl.pathname)) return [{url: pageUrl.href, source: text, line: 0}];
  const scripts = [];
  const pattern = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;
  for (let match; (match = pattern.exec(text)) !== null;) {
    const attributes = match[1];
    const source = /\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(attributes);
    if (source !== null) {
      const scriptUrl = new URL(source[1] ?? source[2] ?? source[3], pageUrl);
      scripts.push({url: scriptUrl.href, source: await load(scriptUrl), line: 0});
    } else {
      const before = text.slice(0, match.index + match[0].indexOf('>') + 1);
      scripts.push({url: pageUrl.href, source: match[2], line: before.split('\n').length - 1});
    }
  }
  return scripts;
}

function formatArguments(values) {
  return values.map((value) => (typeof value === 'string' ? value : util.inspect(value))).join(' ');
}

function describeUncaught(error) {
  if (error !== null && typeof error === 'object' && 'name' in error && 'message' in error) {
    return `${error.name}: ${error.message}`;
  }
  return String(error);
}

function location(error, fallbackUrl) {
  const stack = error !== null && typeof error === 'object' ? String(error.stack || '') : '';
  const frame = /\(?((?:https?|file):[^\s()]+):(\d+):(\d+)\)?/.exec(stack);
  return frame ? `${frame[1]}:${frame[2]}:${frame[3]}` : `${fallbackUrl}:0:0`;
}

async function main() {
  let options;
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`node-shell: ${error.message}\n`);
    usage(process.stderr);
    return 2;
  }
  const pageUrl = /^[a-z]+:\/\//i.test(options.page)
      ? new URL(options.page)
      : pathToFileURL(path.resolve(options.page));

  if (options.timeoutSeconds > 0) {
    setTimeout(() => {
      process.stderr.write(`node-shell: timed out after ${options.timeoutSeconds} s\n`);
      process.exit(124);
    }, options.timeoutSeconds * 1000).unref();
  }

  let text;
  try {
    text = await load(pageUrl);
  } catch (error) {
    process.stderr.write(`node-shell: cannot load ${pageUrl.href}: ${error.message}\n`);
    return 1;
  }

  let hadUncaughtException = false;
  let currentScriptUrl = pageUrl.href;
  const reportUncaught = (error) => {
    hadUncaughtException = true;
    process.stderr.write(`${location(error, currentScriptUrl)}: Uncaught ${describeUncaught(error)}\n`);
  };
  // Callbacks from the page run through this, like the shell's one entry into script.
  const guard = (callback) => function (...args) {
    try {
      return callback.apply(this, args);
    } catch (error) {
      reportUncaught(error);
      return undefined;
    }
  };

  const {Console} = require('node:console');
  const nodeConsole = new Console({stdout: process.stdout, stderr: process.stderr, colorMode: false});
  const consoleObject = {};
  for (const method of ['dir', 'dirxml', 'table', 'trace', 'assert', 'count', 'countReset', 'time', 'timeLog',
    'timeEnd', 'group', 'groupCollapsed', 'groupEnd', 'clear']) {
    consoleObject[method] = nodeConsole[method].bind(nodeConsole);
  }
  for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
    // Writes to files and pipes are synchronous in Node on Linux: the order holds.
    const stream = level === 'warn' || level === 'error' ? process.stderr : process.stdout;
    consoleObject[level] = (...values) => stream.write(`${formatArguments(values)}\n`);
  }
  const timerIds = new Map();
  let nextTimerId = 1;
  const addTimer = (repeat) => (callback, delay = 0, ...args) => {
    const id = nextTimerId++;
    const run = guard(() => {
      if (!repeat) timerIds.delete(id);
      if (typeof callback === 'function') callback(...args);
    });
    timerIds.set(id, repeat ? setInterval(run, Number(delay) || 0)
                            : setTimeout(run, Number(delay) || 0));
    return id;
  };
  const clearTimer = (id) => {
    const handle = timerIds.get(id);
    if (handle !== undefined) {
      clearTimeout(handle);
      clearInterval(handle);
      timerIds.delete(id);
    }
  };
  const locationObject = Object.freeze({
    href: pageUrl.href,
    protocol: pageUrl.protocol,
    host: pageUrl.host,
    hostname: pageUrl.hostname,
    port: pageUrl.port,
    pathname: pageUrl.pathname,
    search: pageUrl.search,
    hash: pageUrl.hash,
    origin: options.origin ?? pageUrl.origin,
    toString() {
      return pageUrl.href;
    },
  });

  const context = vm.createContext({
    console: consoleObject,
    setTimeout: addTimer(false),
    setInterval: addTimer(true),
    clearTimeout: clearTimer,
    clearInterval: clearTimer,
    queueMicrotask: (callback) => queueMicrotask(guard(callback)),
    location: locationObject,
  });
  vm.runInContext('globalThis.window = globalThis; globalThis.self = globalThis;', context);

  let scripts;
  try {
    scripts = await scriptsOf(pageUrl, text);
  } catch (error) {
    process.stderr.write(`node-shell: ${error.message}\n`);
    return 1;
  }
  for (const script of scripts) {
    currentScriptUrl = script.url;
    try {
      new vm.Script(script.source, {filename: script.url, lineOffset: script.line})
          .runInContext(context);
    } catch (error) {
      reportUncaught(error);
    }
  }
  process.on('unhandledRejection', (reason) => {
    process.stderr.write(`${location(reason, pageUrl.href)}: Uncaught (in promise) ${describeUncaught(reason)}\n`);
  });
  process.on('exit', (code) => {
    if (code === 0 && hadUncaughtException) process.exitCode = 1;
  });
  return 0;
}

main().then((code) => {
  if (code !== 0) process.exit(code);
});
