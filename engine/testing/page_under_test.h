// A real page (real V8, the real network stack) for tests that drive connections against real
// peers, with its console lines captured, and `watch(url, options)` defined in it: it opens a
// connection and resolves with its events on one line, reads counted ("open read*3 close"),
// checking spec §7/§8 on the way — `open` first, `error` only before `open`, `source` = `peer`,
// `close` exactly once and last (a broken rule prints a VIOLATION line), readyState 2 at
// `close`. options: init, onopen(connection), onread(connection, event).
//
// Thread: the test's (main) thread; V8 must be initialised (V8TestEnvironment).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "bindings/script_wrappable.h"
#include "engine/page.h"

namespace switchboard::testing {

inline constexpr char kWatchScript[] = R"js(
  function watch(url, options = {}) {
    return new Promise((resolve) => {
      const connection = new TCPConnection(url, options.init);
      const events = [];
      let reads = 0;
      let closed = false;
      const violation = (what) => console.log(`VIOLATION ${url}: ${what}`);
      const flushReads = () => {
        if (reads) events.push(`read*${reads}`);
        reads = 0;
      };
      connection.onopen = () => {
        if (closed || events.length || reads) violation('open is not the first event');
        events.push('open');
        if (options.onopen) options.onopen(connection);
      };
      connection.onread = (event) => {
        if (closed) violation('read after close');
        if (event.source !== connection.peer) violation(`source ${event.source}`);
        ++reads;
        if (options.onread) options.onread(connection, event);
      };
      connection.onerror = () => {
        flushReads();
        if (closed || events.includes('open')) violation('error after open or close');
        events.push('error');
      };
      connection.onclose = () => {
        flushReads();
        if (closed) violation('second close');
        if (connection.readyState !== 2) violation(`readyState ${connection.readyState}`);
        closed = true;
        events.push('close');
        resolve(events.join(' '));
      };
    });
  }
)js";

class PageUnderTest {
 public:
  explicit PageUnderTest(const std::string& origin, PageSettings settings = {})
      : page_(std::make_unique<Page>(
            PageUrl::Parse(origin + "/page.html").value(), std::move(settings),
            [this](bindings::ConsoleLevel, std::string_view line) { console_.emplace_back(line); },
            [this](std::string_view text) { diagnostics_.emplace_back(text); })) {
    Evaluate(kWatchScript);
  }
  ~PageUnderTest() {
    page_.reset();
    EXPECT_EQ(bindings::ScriptWrappable::LiveObjectCountForTesting(), 0u);
  }
  PageUnderTest(const PageUnderTest&) = delete;
  PageUnderTest& operator=(const PageUnderTest&) = delete;

  void Evaluate(const std::string& script) {
    page_->EvaluateScript(script, {"test.js", 0, 0});
    ASSERT_EQ(page_->uncaught_exception_count(), 0) << Diagnostics();
  }
  // Runs until nothing is pending; then nothing may have thrown and no rule was broken.
  void Run() {
    page_->event_loop().Run();
    EXPECT_EQ(page_->uncaught_exception_count(), 0) << Diagnostics();
    for (const std::string& line : console_) {
      EXPECT_EQ(line.find("VIOLATION"), std::string::npos) << line;
    }
    EXPECT_EQ(page_->network().live_connection_count(), 0u);
  }
  Page& page() { return *page_; }
  const std::vector<std::string>& console() const { return console_; }
  std::string Diagnostics() const {
    std::string all;
    for (const std::string& text : diagnostics_) all += text;
    return all;
  }
  // The console lines that contain `text`.
  std::vector<std::string> LinesWith(const std::string& text) const {
    std::vector<std::string> lines;
    for (const std::string& line : console_) {
      if (line.find(text) != std::string::npos) lines.push_back(line);
    }
    return lines;
  }

 private:
  std::vector<std::string> console_;
  std::vector<std::string> diagnostics_;
  std::unique_ptr<Page> page_;
};

}  // namespace switchboard::testing
