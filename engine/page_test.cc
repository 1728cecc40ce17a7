// Page tests run real V8: scripts in, console lines and diagnostics out.
#include "engine/page.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/script_platform.h"
#include "engine/testing/v8_test_environment.h"

namespace switchboard {
namespace {

const auto* const kV8Environment =
    ::testing::AddGlobalTestEnvironment(new testing::V8TestEnvironment);

class PageTest : public ::testing::Test {
 protected:
  std::unique_ptr<Page> MakePage(
      std::string url = "http://example.com:8080/dir/page.html?q=1#top") {
    return std::make_unique<Page>(
        PageUrl::Parse(url).value(), PageSettings{},
        [this](bindings::ConsoleLevel, std::string_view line) { console_.emplace_back(line); },
        [this](std::string_view text) { diagnostics_.emplace_back(text); });
  }

  // Runs `source` as test.js and then the event loop until idle.
  void Run(std::string_view source) {
    auto page = MakePage();
    page->EvaluateScript(source, {"test.js", 0, 0});
    page->event_loop().Run();
    uncaught_ = page->uncaught_exception_count();
  }

  std::vector<std::string> console_;
  std::vector<std::string> diagnostics_;
  int uncaught_ = 0;
};

using Lines = std::vector<std::string>;

TEST_F(PageTest, MicrotasksRunBeforeTimersQueuedEarlier) {
  Run(R"js(
    setTimeout(() => console.log('timeout'), 0);
    Promise.resolve().then(() => console.log('promise'));
    queueMicrotask(() => console.log('microtask'));
    console.log('script');
  )js");
  EXPECT_EQ(console_, (Lines{"script", "promise", "microtask", "timeout"}));
  EXPECT_EQ(uncaught_, 0);
}

TEST_F(PageTest, MicrotasksRunAfterEachTimerTask) {
  Run(R"js(
    setTimeout(() => { console.log('t1'); Promise.resolve().then(() => console.log('t1-micro')); }, 0);
    setTimeout(() => console.log('t2'), 0);
  )js");
  EXPECT_EQ(console_, (Lines{"t1", "t1-micro", "t2"}));
}

TEST_F(PageTest, TimerArgumentsStringHandlersClearAndIntervals) {
  Run(R"js(
    setTimeout((a, b) => console.log('args', a, b), 1, 'x', 2);
    setTimeout("console.log('string handler')", 2);
    const cleared = setTimeout(() => console.log('never'), 0);
    clearTimeout(cleared);
    clearTimeout(99999); clearTimeout(undefined); clearTimeout('nope');
    let n = 0;
    const interval = setInterval(() => { console.log('tick', ++n); if (n === 3) clearInterval(interval); }, 3);
    console.log(typeof cleared, cleared > 0, interval !== cleared);
  )js");
  EXPECT_EQ(console_, (Lines{"number true true", "args x 2", "string handler", "tick 1", "tick 2",
                             "tick 3"}));
}

TEST_F(PageTest, UncaughtExceptionIsReportedWithLocationAndStack) {
  Run("console.log('before');\nfunction f() {\n  null.x;\n}\nf();\nconsole.log('not reached');");
  EXPECT_EQ(console_, (Lines{"before"}));
  ASSERT_EQ(diagnostics_.size(), 1u);
  EXPECT_EQ(diagnostics_[0].substr(0, diagnostics_[0].find('\n')),
            "test.js:3:8: Uncaught TypeError: Cannot read properties of null (reading 'x')");
  EXPECT_NE(diagnostics_[0].find("    at f (test.js:3:8)"), std::string::npos);
  EXPECT_EQ(uncaught_, 1);
}

TEST_F(PageTest, ThrowingNonErrorsAndExceptionsInTimersAndMicrotasks) {
  Run(R"js(setTimeout(() => { throw 42; }, 0);
queueMicrotask(() => { throw {code: 7}; });
queueMicrotask(() => console.log('later microtask still runs'));
setTimeout(() => console.log('later timer still runs'), 1);)js");
  EXPECT_EQ(console_, (Lines{"later microtask still runs", "later timer still runs"}));
  ASSERT_EQ(diagnostics_.size(), 2u);
  EXPECT_EQ(diagnostics_[0], "test.js:2:24: Uncaught { code: 7 }");
  EXPECT_EQ(diagnostics_[1], "test.js:1:20: Uncaught 42");
  EXPECT_EQ(uncaught_, 2);
}

TEST_F(PageTest, UnhandledRejectionsAreReportedHandledOnesAreNot) {
  Run(R"js(Promise.reject(new RangeError('unhandled'));
Promise.reject(new Error('handled')).catch(() => console.log('caught'));)js");
  EXPECT_EQ(console_, (Lines{"caught"}));
  ASSERT_EQ(diagnostics_.size(), 1u);
  EXPECT_EQ(diagnostics_[0].substr(0, diagnostics_[0].find('\n')),
            "test.js:1:16: Uncaught (in promise) RangeError: unhandled");
  EXPECT_EQ(uncaught_, 1);
}

TEST_F(PageTest, ConsoleFormatsLikeNode) {
  Run(R"js(
    console.log('plain', 1, -0, 1.5, NaN, true, null, undefined, 12n, Symbol('s'));
    console.log(['a', 1, [2, [3, [4, [5]]]]], {});
    console.log({a: 1, 'b-c': "it's", nested: {deep: {deeper: {deepest: 1}}}});
    console.log(new Map([['k', {v: 1}]]), new Set(), Object.create(null));
    console.log('%s=%d %i %f %j %o %%', 'x', '42', 3.9, '1.5', {j: [1]}, [1]);
    console.log(function named() {}, () => {}, class K {}, new (class Point { constructor() { this.x = 1; } }));
    const a = [1]; a.push(a); console.log(a);
    console.log(Array.from({length: 30}, (_, i) => 'item' + i).slice(0, 12));
    console.info('info'); console.warn('warn'); console.error('error'); console.debug('debug');
    console.assert(true, 'no'); console.assert(false, 'yes %s', 'really');
    console.log({get g() { return 1; }, set s(v) {}}, Promise.resolve(5), new Date(0));
    console.log('quote', ["it's", 'say "hi"', 'a\nb']);
  )js");
  EXPECT_EQ(console_,
            (Lines{
                "plain 1 -0 1.5 NaN true null undefined 12n Symbol(s)",
                "[ 'a', 1, [ 2, [ 3, [Array] ] ] ] {}",
                "{ a: 1, 'b-c': \"it's\", nested: { deep: { deeper: [Object] } } }",
                "Map(1) { 'k' => { v: 1 } } Set(0) {} [Object: null prototype] {}",
                "x=42 3 1.5 {\"j\":[1]} [ 1 ] %",
                "[Function: named] [Function (anonymous)] [class K] Point { x: 1 }",
                "<ref *1> [ 1, [Circular *1] ]",
                "[\n  'item0',  'item1',\n  'item2',  'item3',\n  'item4',  'item5',\n  'item6',  "
                "'item7',\n  'item8',  'item9',\n  'item10', 'item11'\n]",
                "info",
                "warn",
                "error",
                "debug",
                "Assertion failed: yes really",
                "{ g: [Getter], s: [Setter] } Promise { 5 } 1970-01-01T00:00:00.000Z",
                "quote [ \"it's\", 'say \"hi\"', 'a\\nb' ]",
            }));
}

// HTML "report an exception": an ErrorEvent at the global first; printed only if not canceled.
TEST_F(PageTest, UncaughtExceptionFiresErrorEventThenPrintsUnlessCanceled) {
  Run(R"js(addEventListener('error', (e) => {
  console.log(e.constructor.name, e.isTrusted, e.cancelable, e.message, e.filename, e.lineno, e.colno,
              e.error instanceof RangeError, this === self);
});
setTimeout(() => { throw new RangeError('printed'); }, 0);
setTimeout(() => {
  addEventListener('error', (e) => e.preventDefault(), {once: true});
  throw new Error('canceled by preventDefault');
}, 1);
setTimeout(() => {
  onerror = (message, source, lineno, colno, error) => {
    console.log('onerror', message, source, lineno, colno, error.message);
    return true;
  };
  queueMicrotask(() => { throw new Error('canceled by onerror'); });
}, 2);)js");
  EXPECT_EQ(console_,
            (Lines{
                "ErrorEvent true true Uncaught RangeError: printed test.js 5 20 true true",
                "ErrorEvent true true Uncaught Error: canceled by preventDefault test.js "
                "8 3 false true",
                "ErrorEvent true true Uncaught Error: canceled by onerror test.js 15 26 "
                "false true",
                "onerror Uncaught Error: canceled by onerror test.js 15 26 canceled by "
                "onerror",
            }));
  ASSERT_EQ(diagnostics_.size(), 1u);
  EXPECT_EQ(diagnostics_[0].substr(0, diagnostics_[0].find('\n')),
            "test.js:5:20: Uncaught RangeError: printed");
  EXPECT_EQ(uncaught_, 1);
}

// An exception thrown by an error listener is printed, not dispatched again (no recursion).
TEST_F(PageTest, ExceptionInErrorListenerIsPrintedNotRedispatched) {
  Run(R"js(let calls = 0;
addEventListener('error', () => { ++calls; throw new Error('from the error listener'); });
addEventListener('error', () => console.log('second error listener still runs'));
setTimeout(() => console.log('error listener calls:', calls), 1);
throw new Error('original');)js");
  EXPECT_EQ(console_, (Lines{"second error listener still runs", "error listener calls: 1"}));
  ASSERT_EQ(diagnostics_.size(), 2u);
  EXPECT_EQ(diagnostics_[0].substr(0, diagnostics_[0].find('\n')),
            "test.js:2:44: Uncaught Error: from the error listener");
  EXPECT_EQ(diagnostics_[1].substr(0, diagnostics_[1].find('\n')),
            "test.js:5:1: Uncaught Error: original");
  EXPECT_EQ(uncaught_, 2);
}

// HTML "notify about rejected promises" and the rejection tracker's "handle".
TEST_F(PageTest, UnhandledRejectionEventsAndRejectionHandled) {
  Run(R"js(let late;
addEventListener('unhandledrejection', (e) => {
  console.log('unhandledrejection', e.constructor.name, e.isTrusted, e.cancelable, e.reason.message,
              e.promise instanceof Promise);
  if (e.reason.message === 'canceled') e.preventDefault();
  if (e.reason.message === 'handled later') late = e.promise;
});
onrejectionhandled = (e) => {
  console.log('rejectionhandled', e.promise === late, e.reason.message, e.cancelable);
};
Promise.reject(new Error('canceled'));
Promise.reject(new Error('handled later'));
setTimeout(() => late.catch(() => console.log('caught late')), 1);)js");
  EXPECT_EQ(console_, (Lines{
                          "unhandledrejection PromiseRejectionEvent true true canceled true",
                          "unhandledrejection PromiseRejectionEvent true true handled later true",
                          "caught late",
                          "rejectionhandled true handled later false",
                      }));
  ASSERT_EQ(diagnostics_.size(), 1u);
  EXPECT_EQ(diagnostics_[0].substr(0, diagnostics_[0].find('\n')),
            "test.js:12:16: Uncaught (in promise) Error: handled later");
  EXPECT_EQ(uncaught_, 1);
}

TEST_F(PageTest, GlobalsAndLocation) {
  Run(R"js(
    console.log(window === globalThis, self === globalThis, origin);
    console.log(location.href, String(location));
    console.log(location.protocol, location.host, location.hostname, location.port);
    console.log(location.pathname, location.search, location.hash, location.origin);
    console.log(Object.getOwnPropertyDescriptor(globalThis, 'console').enumerable);
  )js");
  EXPECT_EQ(console_, (Lines{
                          "true true http://example.com:8080",
                          "http://example.com:8080/dir/page.html?q=1#top "
                          "http://example.com:8080/dir/page.html?q=1#top",
                          "http: example.com:8080 example.com 8080",
                          "/dir/page.html ?q=1 #top http://example.com:8080",
                          "false",
                      }));
}

TEST_F(PageTest, TeardownWithPendingTimersAndCallbacksLeavesNothingBehind) {
  auto page = MakePage();
  page->EvaluateScript(
      "setInterval(() => {}, 100000); setTimeout(() => {}, 0); "
      "Promise.resolve().then(() => {});",
      {"test.js", 0, 0});
  page.reset();  // EventLoop's destructor asserts that no libuv handle is left.
  SUCCEED();
}

}  // namespace
}  // namespace switchboard
