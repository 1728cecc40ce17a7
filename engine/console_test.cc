// The console (issue 17): the Console Standard's methods with Node's formatting (the expected
// texts are what Node 20 prints for the same calls), the level of each line (which decides
// stdout or stderr), and platform objects printed with their IDL attributes.
#include "engine/console.h"

#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/page.h"
#include "engine/testing/v8_test_environment.h"

namespace switchboard {
namespace {

const auto* const kV8Environment =
    ::testing::AddGlobalTestEnvironment(new testing::V8TestEnvironment);

using bindings::ConsoleLevel;

struct Line {
  ConsoleLevel level;
  std::string text;
  bool operator==(const Line&) const = default;
};

void PrintTo(const Line& line, std::ostream* out) {
  static const char* const kNames[] = {"log", "info", "warn", "error", "debug"};
  *out << kNames[static_cast<int>(line.level)] << ": \"" << line.text << "\"";
}

class ConsoleTest : public ::testing::Test {
 protected:
  // Runs `source` as test.js, then the event loop until idle.
  void Run(std::string_view source) {
    Page page(
        PageUrl::Parse("http://example.com/page.html").value(), PageSettings{},
        [this](ConsoleLevel level, std::string_view line) {
          lines_.push_back({level, std::string(line)});
        },
        [this](std::string_view text) { diagnostics_.emplace_back(text); });
    page.EvaluateScript(source, {"test.js", 0, 0});
    page.event_loop().Run();
  }

  std::vector<std::string> Texts() const {
    std::vector<std::string> texts;
    for (const Line& line : lines_) texts.push_back(line.text);
    return texts;
  }

  std::vector<Line> lines_;
  std::vector<std::string> diagnostics_;
};

constexpr ConsoleLevel kLog = ConsoleLevel::kLog;
constexpr ConsoleLevel kInfo = ConsoleLevel::kInfo;
constexpr ConsoleLevel kWarn = ConsoleLevel::kWarn;
constexpr ConsoleLevel kError = ConsoleLevel::kError;
constexpr ConsoleLevel kDebug = ConsoleLevel::kDebug;

// warn/error/trace/assert are the levels the shell writes to stderr; the rest go to stdout.
TEST_F(ConsoleTest, EachMethodPrintsAtItsLevel) {
  Run(R"js(
    console.log('log'); console.info('info'); console.debug('debug'); console.warn('warn');
    console.error('error'); console.dir('dir'); console.dirxml('dirxml'); console.table('table');
    console.assert(false, 'assert'); console.count(); console.trace('trace');
  )js");
  ASSERT_EQ(lines_.size(), 11u);
  EXPECT_EQ(std::vector<Line>(lines_.begin(), lines_.end() - 1),
            (std::vector<Line>{{kLog, "log"},
                               {kInfo, "info"},
                               {kDebug, "debug"},
                               {kWarn, "warn"},
                               {kError, "error"},
                               {kLog, "'dir'"},
                               {kLog, "dirxml"},
                               {kLog, "table"},
                               {kWarn, "Assertion failed: assert"},
                               {kLog, "default: 1"}}));
  EXPECT_EQ(lines_.back().level, kError);
  EXPECT_EQ(lines_.back().text, "Trace: trace\n    at test.js:4:63");
}

TEST_F(ConsoleTest, TraceFromAFunctionAndFromTopLevel) {
  Run("function outer() { inner(); }\nfunction inner() { console.trace(); }\nouter();");
  EXPECT_EQ(Texts(), (std::vector<std::string>{
                         "Trace\n    at inner (test.js:2:28)\n    at outer (test.js:1:20)\n"
                         "    at test.js:3:1"}));
}

TEST_F(ConsoleTest, CountAndCountReset) {
  Run(R"js(
    console.count(); console.count('x'); console.count(); console.countReset(); console.count();
    console.count(undefined); console.count(null); console.countReset('nope');
  )js");
  EXPECT_EQ(lines_, (std::vector<Line>{{kLog, "default: 1"},
                                       {kLog, "x: 1"},
                                       {kLog, "default: 2"},
                                       {kLog, "default: 1"},
                                       {kLog, "default: 2"},
                                       {kLog, "null: 1"},
                                       {kWarn, "Warning: Count for 'nope' does not exist"}}));
}

TEST_F(ConsoleTest, GroupsIndentEveryLineByTwoSpaces) {
  Run(R"js(
    console.group('Group %s', 'A'); console.log('inside\nsecond line'); console.groupCollapsed();
    console.info({a: 1}); console.groupEnd(); console.error('err'); console.table([[1]]);
    console.groupEnd(); console.groupEnd(); console.log('outside');
    console.group(); console.group(); console.clear(); console.log('cleared');
  )js");
  EXPECT_EQ(Texts(),
            (std::vector<std::string>{"Group A", "  inside\n  second line", "    { a: 1 }", "  err",
                                      "  ┌─────────┬───┐\n"
                                      "  │ (index) │ 0 │\n"
                                      "  ├─────────┼───┤\n"
                                      "  │ 0       │ 1 │\n"
                                      "  └─────────┴───┘",
                                      "outside", "cleared"}));
}

TEST_F(ConsoleTest, DirTakesNodesDepthOption) {
  Run(R"js(
    const nested = {a: {b: {c: {d: 1}}}};
    console.dir(nested); console.dir(nested, {depth: 0}); console.dir(nested, {depth: null});
    console.dir(nested, {depth: Infinity}); console.dir('str', {depth: 1}); console.dirxml('x', {y: 1});
  )js");
  EXPECT_EQ(Texts(),
            (std::vector<std::string>{"{ a: { b: { c: [Object] } } }", "{ a: [Object] }",
                                      "{\n  a: { b: { c: { d: 1 } } }\n}",
                                      "{\n  a: { b: { c: { d: 1 } } }\n}", "'str'", "x { y: 1 }"}));
}

TEST_F(ConsoleTest, AssertWordsItAsNode) {
  Run(R"js(
    console.assert(true, 'not printed'); console.assert(1); console.assert(false);
    console.assert(false, 'm %s', 'x', 2); console.assert(0, {a: 1}); console.assert('', 1, 2);
  )js");
  EXPECT_EQ(lines_, (std::vector<Line>{{kWarn, "Assertion failed"},
                                       {kWarn, "Assertion failed: m x 2"},
                                       {kWarn, "Assertion failed: [object Object]"},
                                       {kWarn, "Assertion failed: 1 2"}}));
}

TEST_F(ConsoleTest, TableDrawsNodesBoxes) {
  Run(R"js(
    console.table([{a: 1, b: 'x'}, {a: 2, c: true}]);
    console.table({r1: {c: 1, d: 2}, r2: {c: 2}}, ['c']);
    console.table([1, 'two', {x: 1}]);
    console.table(new Map([['k', {v: 1}]]));
    console.table(new Set(['s']));
    console.table([{name: '日本', list: [1, 2, 3, 4, 5], deep: {p: 1, q: 2, r: 3}}]);
    console.table({b: {2: 1, z: 1, 1: 2}});
    console.table([]);
    console.table(5);
    try { console.table([], 'a'); } catch (e) { console.log(e.name); }
  )js");
  EXPECT_EQ(Texts(), (std::vector<std::string>{
                         "┌─────────┬───┬─────┬──────┐\n"
                         "│ (index) │ a │ b   │ c    │\n"
                         "├─────────┼───┼─────┼──────┤\n"
                         "│ 0       │ 1 │ 'x' │      │\n"
                         "│ 1       │ 2 │     │ true │\n"
                         "└─────────┴───┴─────┴──────┘",
                         "┌─────────┬───┐\n"
                         "│ (index) │ c │\n"
                         "├─────────┼───┤\n"
                         "│ r1      │ 1 │\n"
                         "│ r2      │ 2 │\n"
                         "└─────────┴───┘",
                         "┌─────────┬───┬────────┐\n"
                         "│ (index) │ x │ Values │\n"
                         "├─────────┼───┼────────┤\n"
                         "│ 0       │   │ 1      │\n"
                         "│ 1       │   │ 'two'  │\n"
                         "│ 2       │ 1 │        │\n"
                         "└─────────┴───┴────────┘",
                         "┌───────────────────┬─────┬──────────┐\n"
                         "│ (iteration index) │ Key │ Values   │\n"
                         "├───────────────────┼─────┼──────────┤\n"
                         "│ 0                 │ 'k' │ { v: 1 } │\n"
                         "└───────────────────┴─────┴──────────┘",
                         "┌───────────────────┬────────┐\n"
                         "│ (iteration index) │ Values │\n"
                         "├───────────────────┼────────┤\n"
                         "│ 0                 │ 's'    │\n"
                         "└───────────────────┴────────┘",
                         "┌─────────┬────────┬───────────────────────────────┬──────────┐\n"
                         "│ (index) │ name   │ list                          │ deep     │\n"
                         "├─────────┼────────┼───────────────────────────────┼──────────┤\n"
                         "│ 0       │ '日本' │ [ 1, 2, 3, ... 2 more items ] │ [Object] │\n"
                         "└─────────┴────────┴───────────────────────────────┴──────────┘",
                         "┌─────────┬───┬───┬───┐\n"
                         "│ (index) │ 1 │ 2 │ z │\n"
                         "├─────────┼───┼───┼───┤\n"
                         "│ b       │ 2 │ 1 │ 1 │\n"
                         "└─────────┴───┴───┴───┘",
                         "┌─────────┐\n"
                         "│ (index) │\n"
                         "├─────────┤\n"
                         "└─────────┘",
                         "5",
                         "TypeError",
                     }));
}

// The durations are Node's: "label: 1.234ms" (at most three decimals); only their form is
// checked.
TEST_F(ConsoleTest, TimersPrintTheirLabelAndDuration) {
  Run(R"js(
    console.time(); console.timeLog(undefined, {a: 1}, '%d'); console.timeEnd();
    console.time('t'); console.time('t'); console.timeEnd('t'); console.timeEnd('t'); console.timeLog('t');
  )js");
  ASSERT_EQ(lines_.size(), 6u);
  EXPECT_TRUE(
      std::regex_match(lines_[0].text, std::regex(R"(default: \d+(\.\d{1,3})?ms \{ a: 1 \} %d)")))
      << lines_[0].text;
  EXPECT_TRUE(std::regex_match(lines_[1].text, std::regex(R"(default: \d+(\.\d{1,3})?ms)")))
      << lines_[1].text;
  EXPECT_EQ(lines_[2], (Line{kWarn, "Warning: Label 't' already exists for console.time()"}));
  EXPECT_TRUE(std::regex_match(lines_[3].text, std::regex(R"(t: \d+(\.\d{1,3})?ms)")))
      << lines_[3].text;
  EXPECT_EQ(lines_[3].level, kLog);
  EXPECT_EQ(lines_[4], (Line{kWarn, "Warning: No such label 't' for console.timeEnd()"}));
  EXPECT_EQ(lines_[5], (Line{kWarn, "Warning: No such label 't' for console.timeLog()"}));
}

// Chrome's console shows a platform object's attributes; Node-style formatting otherwise.
TEST_F(ConsoleTest, PlatformObjectsShowTheirAttributes) {
  Run(R"js(
    const url = new URL('http://user@a.example/b?c=1#d');
    console.log(url);
    console.dir(url, {depth: 0});
    console.log(new URLSearchParams('a=1&b=2'), new AbortController());
    const target = new EventTarget(); target.self = target; console.log(target);
    const event = new CustomEvent('ping', {detail: [1]});
    // The only attribute that varies; an own property shadows the attribute, and comes first.
    Object.defineProperty(event, 'timeStamp', {value: 0, enumerable: true});
    const hidden = new Event('e');
    Object.defineProperty(hidden, 'timeStamp', {value: 0});
    console.log(hidden);
    console.log(event);
    console.log(new DOMException('bad', 'SyntaxError'));  // an error: its stack, as Node and Chrome
  )js");
  ASSERT_EQ(lines_.size(), 7u) << ::testing::PrintToString(Texts());
  EXPECT_EQ(lines_[0].text,
            "URL {\n"
            "  href: 'http://user@a.example/b?c=1#d',\n"
            "  origin: 'http://a.example',\n"
            "  protocol: 'http:',\n"
            "  username: 'user',\n"
            "  password: '',\n"
            "  host: 'a.example',\n"
            "  hostname: 'a.example',\n"
            "  port: '',\n"
            "  pathname: '/b',\n"
            "  search: '?c=1',\n"
            "  searchParams: URLSearchParams { size: 1 },\n"
            "  hash: '#d'\n"
            "}");
  EXPECT_NE(lines_[1].text.find("  searchParams: [URLSearchParams],\n"), std::string::npos)
      << lines_[1].text;
  EXPECT_EQ(lines_[2].text,
            "URLSearchParams { size: 2 } AbortController {\n"
            "  signal: AbortSignal { aborted: false, reason: undefined, onabort: null }\n"
            "}");
  EXPECT_EQ(lines_[3].text, "<ref *1> EventTarget { self: [Circular *1] }");
  EXPECT_EQ(lines_[5].text,
            "CustomEvent {\n"
            "  isTrusted: false,\n"
            "  timeStamp: 0,\n"
            "  detail: [ 1 ],\n"
            "  type: 'ping',\n"
            "  target: null,\n"
            "  srcElement: null,\n"
            "  currentTarget: null,\n"
            "  eventPhase: 0,\n"
            "  cancelBubble: false,\n"
            "  bubbles: false,\n"
            "  cancelable: false,\n"
            "  returnValue: true,\n"
            "  defaultPrevented: false,\n"
            "  composed: false\n"
            "}");
  // A non-enumerable own property hides the attribute it shadows.
  EXPECT_EQ(lines_[4].text.find("timeStamp"), std::string::npos) << lines_[4].text;
  EXPECT_NE(lines_[4].text.find("type: 'e'"), std::string::npos) << lines_[4].text;
  EXPECT_TRUE(lines_[6].text.starts_with("SyntaxError: bad\n    at test.js:")) << lines_[6].text;
  EXPECT_TRUE(diagnostics_.empty()) << diagnostics_.front();
}

// Only the getters the bindings installed run: a getter script put on an interface prototype,
// or on an object that merely inherits from one (no brand), is shown as [Getter] and not called.
TEST_F(ConsoleTest, FormattingRunsNoUserDefinedGetter) {
  Run(R"js(
    let ran = [];
    Object.defineProperty(URL.prototype, 'pathname', {
      get() { ran.push('pathname'); return 'x'; }, enumerable: true, configurable: true});
    Object.defineProperty(URL.prototype, 'extra', {
      get: function() { ran.push('extra'); }.bind(null), enumerable: true, configurable: true});
    const url = new URL('http://a.example/p');
    console.log(url.hostname, url);
    const fake = Object.create(URL.prototype);
    console.log(fake);
    const proxy = new Proxy(new EventTarget(), {});
    console.log(proxy);
    console.log('ran:', ran);
  )js");
  std::vector<std::string> texts = Texts();
  ASSERT_EQ(texts.size(), 4u) << ::testing::PrintToString(texts);
  EXPECT_NE(texts[0].find("  pathname: [Getter/Setter],\n"), std::string::npos) << texts[0];
  EXPECT_NE(texts[0].find("  extra: [Getter]\n"), std::string::npos) << texts[0];
  EXPECT_NE(texts[0].find("  hostname: 'a.example',\n"), std::string::npos) << texts[0];
  EXPECT_EQ(texts[1], "URL {}");
  EXPECT_EQ(texts[2], "EventTarget {}");
  EXPECT_EQ(texts[3], "ran: []");
}

}  // namespace
}  // namespace switchboard
