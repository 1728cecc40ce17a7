// The web tests' harness. A page loads it with <script src="/resources/harness.js"> and then
// declares tests; they run one after another, in order, once the page's scripts have run.
// Output is plain console.log lines, so a test's -expected.txt baseline stays readable:
//
//   PASS <name>
//   FAIL <name>: <message>
//   SUMMARY: <n> tests, <p> passed, <f> failed        (once every declared test has run)
//
// It needs only console.log, setTimeout/clearTimeout, Promise and queueMicrotask: nothing of the
// DOM, so it runs the same in switchboard-shell, in tools/node-shell.js and in a browser.
//
// API
//   test(name, fn)                    fn runs synchronously; a throw fails the test.
//   asyncTest(name, fn[, {timeout}])  fn() returns a promise, or fn(done) calls done() (done(error)
//                                     fails it; done.step(callback) wraps a callback so that a throw
//                                     inside it fails the test; done.fail(message)). Default timeout
//                                     5000 ms (setup({timeout}) changes it).
//   setup({timeout})                  the default asyncTest timeout, in milliseconds.
//   assert_equals(actual, expected[, message])       SameValue (Object.is) comparison
//   assert_not_equals(actual, unexpected[, message])
//   assert_true(value[, message]), assert_false(value[, message])   value must be === true/false
//   assert_throws(name, fn[, message])  fn must throw; name is e.name ("SyntaxError", "TypeError",
//                                     "InvalidStateError" …) or a constructor
//   assert_array_equals(actual, expected[, message])  same length, elements SameValue
//   assert_unreached([message])       always fails
//   println(text)                     prints a line as-is
(function (global) {
  'use strict';

  const kDefaultTimeoutMilliseconds = 5000;
  const log = (line) => console.log(line);

  const state = {
    queue: [],
    running: false,
    scheduled: false,
    passed: 0,
    failed: 0,
    timeoutMilliseconds: kDefaultTimeoutMilliseconds,
  };

  class AssertionError extends Error {
    constructor(message) {
      super(message);
      this.name = 'AssertionError';
    }
  }

  // --- Formatting ------------------------------------------------------------------------------

  function format(value) {
    if (typeof value === 'string') return JSON.stringify(value);
    if (Object.is(value, -0)) return '-0';
    if (typeof value === 'bigint') return `${value}n`;
    if (typeof value === 'symbol') return value.toString();
    if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
    if (Array.isArray(value)) return `[${value.map(format).join(', ')}]`;
    if (value === null || typeof value !== 'object') return String(value);
    try {
      return String(value);
    } catch (error) {
      return Object.prototype.toString.call(value);
    }
  }

  function describeError(error) {
    if (error instanceof AssertionError) return error.message;
    if (error !== null && typeof error === 'object' && 'name' in error && 'message' in error) {
      return `${error.name}: ${error.message}`;
    }
    return `threw ${format(error)}`;
  }

  function fail(assertion, message, detail) {
    const prefix = message === undefined || message === '' ? '' : `${message} `;
    throw new AssertionError(`${assertion}: ${prefix}${detail}`);
  }

  // --- Assertions ------------------------------------------------------------------------------

  function assert_equals(actual, expected, message) {
    if (!Object.is(actual, expected)) {
      fail('assert_equals', message, `expected ${format(expected)} but got ${format(actual)}`);
    }
  }

  function assert_not_equals(actual, unexpected, message) {
    if (Object.is(actual, unexpected)) {
      fail('assert_not_equals', message, `got disallowed value ${format(actual)}`);
    }
  }

  function assert_true(value, message) {
    if (value !== true) fail('assert_true', message, `expected true got ${format(value)}`);
  }

  function assert_false(value, message) {
    if (value !== false) fail('assert_false', message, `expected false got ${format(value)}`);
  }

  function assert_throws(expected, fn, message) {
    const expectedName = typeof expected === 'function' ? expected.name : String(expected);
    try {
      fn();
    } catch (error) {
      const matches = typeof expected === 'function'
          ? error instanceof expected
          : error !== null && typeof error === 'object' && error.name === expected;
      if (!matches) {
        fail('assert_throws', message, `expected ${expectedName} but got ${describeError(error)}`);
      }
      return error;
    }
    fail('assert_throws', message, `function did not throw (expected ${expectedName})`);
  }

  function assert_array_equals(actual, expected, message) {
    if (actual === null || typeof actual !== 'object' || typeof actual.length !== 'number') {
      fail('assert_array_equals', message, `expected an array but got ${format(actual)}`);
    }
    if (actual.length !== expected.length) {
      fail('assert_array_equals', message,
           `lengths differ, expected ${expected.length} but got ${actual.length}` +
               ` (expected ${format(Array.from(expected))}, got ${format(Array.from(actual))})`);
    }
    for (let index = 0; index < expected.length; ++index) {
      if (!Object.is(actual[index], expected[index])) {
        fail('assert_array_equals', message,
             `expected ${format(expected[index])} but got ${format(actual[index])} at index ${index}`);
      }
    }
  }

  function assert_unreached(message) {
    fail('assert_unreached', undefined, message === undefined ? 'reached unreachable code' : message);
  }

  // --- Running tests ---------------------------------------------------------------------------

  function report(name, error) {
    if (error === undefined) {
      state.passed += 1;
      log(`PASS ${name}`);
    } else {
      state.failed += 1;
      log(`FAIL ${name}: ${describeError(error)}`);
    }
  }

  const kPassed = undefined;

  function runSync(entry) {
    let outcome = kPassed;
    try {
      const result = entry.fn();
      if (result !== null && typeof result === 'object' && typeof result.then === 'function') {
        outcome = new AssertionError('test() body returned a promise; use asyncTest()');
      }
    } catch (error) {
      outcome = error === undefined ? new AssertionError('threw undefined') : error;
    }
    report(entry.name, outcome);
    return Promise.resolve();
  }

  function runAsync(entry) {
    return new Promise((resolve) => {
      let finished = false;
      let timer;
      const finish = (error) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        report(entry.name, error);
        resolve();
      };
      const failWith = (error) => finish(error === undefined ? new AssertionError('threw undefined') : error);
      timer = setTimeout(
          () => failWith(new AssertionError(`timed out after ${entry.timeout} ms`)), entry.timeout);

      const done = (error) => (error === undefined || error === null ? finish(kPassed) : failWith(error));
      done.step = (callback) => function (...args) {
        if (finished) return undefined;
        try {
          return callback.apply(this, args);
        } catch (error) {
          failWith(error);
          return undefined;
        }
      };
      done.fail = (message) => failWith(new AssertionError(String(message)));

      try {
        const usesDone = entry.fn.length >= 1;
        const result = usesDone ? entry.fn(done) : entry.fn();
        const isThenable = result !== null && typeof result === 'object' && typeof result.then === 'function';
        if (isThenable) {
          // With done, a resolved promise does not end the test, a rejected one fails it.
          result.then(() => { if (!usesDone) finish(kPassed); }, failWith);
        } else if (!usesDone) {
          failWith(new AssertionError('asyncTest() body must return a promise or take a done callback'));
        }
      } catch (error) {
        failWith(error);
      }
    });
  }

  function runNext() {
    state.scheduled = false;
    const entry = state.queue.shift();
    if (entry === undefined) {
      state.running = false;
      const total = state.passed + state.failed;
      log(`SUMMARY: ${total} ${total === 1 ? 'test' : 'tests'}, ${state.passed} passed, ${state.failed} failed`);
      return;
    }
    state.running = true;
    const run = entry.kind === 'async' ? runAsync(entry) : runSync(entry);
    // A macrotask between tests lets the previous test's stray callbacks settle first.
    run.then(() => setTimeout(runNext, 0));
  }

  function enqueue(entry) {
    if (typeof entry.name !== 'string' || entry.name === '') {
      throw new TypeError('a test needs a non-empty name');
    }
    if (typeof entry.fn !== 'function') throw new TypeError(`test "${entry.name}" needs a function`);
    state.queue.push(entry);
    // Tests start after the current script (and the page's other scripts) finished.
    if (!state.running && !state.scheduled) {
      state.scheduled = true;
      setTimeout(runNext, 0);
    }
  }

  function test(name, fn) {
    enqueue({kind: 'sync', name, fn});
  }

  function asyncTest(name, fn, options) {
    const timeout = options !== undefined && options.timeout !== undefined
        ? options.timeout
        : state.timeoutMilliseconds;
    enqueue({kind: 'async', name, fn, timeout});
  }

  function setup(options) {
    if (options !== undefined && typeof options.timeout === 'number') {
      state.timeoutMilliseconds = options.timeout;
    }
  }

  function println(text) {
    log(String(text));
  }

  Object.assign(global, {
    test,
    asyncTest,
    setup,
    println,
    assert_equals,
    assert_not_equals,
    assert_true,
    assert_false,
    assert_throws,
    assert_array_equals,
    assert_unreached,
  });
})(typeof globalThis !== 'undefined' ? globalThis : this);
