// Page and script loads as an embedder sees them: through the page's one network service on the
// IO thread (net/http_fetch.h), against real loopback servers — scripts run in document order
// while the page's event loop goes on, and failed loads name their stage.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "net/testing/scripted_http_server.h"
#include "net/testing/test_servers.h"
#include "switchboard/switchboard.h"

namespace switchboard::embed {
namespace {

// (The Engine is engine_environment_test.cc's, for the whole binary.)
using testing::ScriptedHttpServer;

std::string Ok(std::string_view type, std::string_view body) {
  return "HTTP/1.1 200 OK\r\nContent-Type: " + std::string(type) + "\r\nConnection: close\r\n\r\n" +
         std::string(body);
}

const std::string kNotFound =
    "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

struct Recorded {
  std::vector<std::string> console;
  std::vector<std::string> errors;
  PageOptions Options(std::string url) {
    PageOptions options;
    options.url = std::move(url);
    options.console = [this](ConsoleLevel, std::string_view text) { console.emplace_back(text); };
    options.errors = [this](std::string_view text) { errors.emplace_back(text); };
    return options;
  }
};

// A parser-blocking <script src> does not block the event loop: while slow.js is held back by
// the server, a timer of the first script fires — and only that timer lets the server answer.
// (A loader that blocked the main thread would never get there: the load would time out.)
TEST(EmbeddingPageLoad, ScriptsRunInDocumentOrderWhileTheEventLoopGoesOn) {
  ScriptedHttpServer server(
      {Ok("text/html",
          "<script>console.log('1 inline');"
          "  setTimeout(() => { console.log('timer while slow.js loads'); release(); }, 0);"
          "</script>\n"
          "<script src=\"/slow.js\"></script>\n"
          "<script>console.log('3 inline after slow.js');</script>\n"),
       Ok("text/javascript", "console.log('2 slow.js');")},
      /*held=*/1);
  Recorded recorded;
  std::unique_ptr<Page> page = Page::Load(recorded.Options(server.origin() + "/page.html"));
  page->DefineFunction("release", [&](std::span<const Value>) -> Value {
    server.Release();
    return Undefined{};
  });
  EXPECT_EQ(page->RunFor(std::chrono::seconds(60)), RunResult::kIdle);
  EXPECT_EQ(recorded.console, (std::vector<std::string>{"1 inline", "timer while slow.js loads",
                                                        "2 slow.js", "3 inline after slow.js"}));
  EXPECT_TRUE(recorded.errors.empty());
  EXPECT_NE(server.Request(1).find("GET /slow.js HTTP/1.1"), std::string::npos);
}

// Terminate() while the document's first script spins ends the page: the next <script> does not
// run, though V8 has unwound the first and would run it (before the fix, the second spinning
// script made the shell's --timeout hang forever).
TEST(EmbeddingPageLoad, TerminateDuringAScriptRunsNoLaterScript) {
  ScriptedHttpServer server({Ok("text/html",
                                "<script>spinning(); while (true) {}</script>\n"
                                "<script>secondRan(); while (true) {}</script>\n"
                                "<script>console.log('third');</script>\n")});
  Recorded recorded;
  std::unique_ptr<Page> page = Page::Load(recorded.Options(server.origin() + "/page.html"));
  std::atomic<bool> spinning_started = false;
  // What the watchdog waits for after its Terminate: the page's run ended, or (only if the bug
  // is back) the second script ran.
  std::mutex mutex;
  std::condition_variable changed;
  bool second_ran = false;
  bool finished = false;
  page->DefineFunction("spinning", [&](std::span<const Value>) -> Value {
    spinning_started = true;
    spinning_started.notify_all();
    return Undefined{};
  });
  page->DefineFunction("secondRan", [&](std::span<const Value>) -> Value {
    std::lock_guard lock(mutex);
    second_ran = true;
    changed.notify_all();
    return Undefined{};
  });
  std::thread watchdog([&] {
    spinning_started.wait(false);
    page->Terminate();
    // Only if the bug is back: end the second script too, so that the test fails, not hangs.
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return second_ran || finished; });
    if (second_ran && !finished) page->Terminate();
  });
  RunResult result = page->RunFor(std::chrono::seconds(60));
  {
    std::lock_guard lock(mutex);
    finished = true;
    changed.notify_all();
  }
  spinning_started = true;  // lets the watchdog go should the script have failed to start
  spinning_started.notify_all();
  watchdog.join();
  EXPECT_EQ(result, RunResult::kStopped);
  EXPECT_FALSE(second_ran);
  EXPECT_TRUE(recorded.console.empty());
}

// Like a <script> whose fetch fails in a browser: reported with its stage, skipped, and the
// next script runs.
TEST(EmbeddingPageLoad, AScriptThatFailsToLoadIsReportedWithItsStageAndSkipped) {
  ScriptedHttpServer server(
      {Ok("text/html",
          "<script src=\"/missing.js\"></script>\n<script>console.log('after');</script>\n"),
       kNotFound});
  Recorded recorded;
  std::unique_ptr<Page> page = Page::Load(recorded.Options(server.origin() + "/page.html"));
  EXPECT_EQ(page->RunFor(std::chrono::seconds(60)), RunResult::kIdle);
  EXPECT_EQ(recorded.console, std::vector<std::string>{"after"});
  std::string origin = server.origin();
  EXPECT_EQ(recorded.errors,
            std::vector<std::string>{origin + "/page.html:1: <script src>: cannot load " + origin +
                                     "/missing.js: http: status 404"});
}

TEST(EmbeddingPageLoad, ADocumentThatFailsToLoadThrowsWithItsStage) {
  ScriptedHttpServer server({kNotFound});
  try {
    Page::Load({.url = server.origin() + "/nope.html"});
    FAIL() << "loaded";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()),
              "cannot load " + server.origin() + "/nope.html: http: status 404");
  }
}

// Page loads make the same proxy choice as connections (spec §3.1): through tinyproxy with its
// Basic credentials the page loads; an explicit proxy that is down has no exceptions, so the
// page does not load at all — at stage proxy, never directly.
TEST(EmbeddingPageLoad, ThroughAProxyOrNotAtAll) {
  testing::Tinyproxy proxy({});
  ASSERT_GT(proxy.port(), 0) << "tinyproxy did not start";
  ScriptedHttpServer server({Ok("text/javascript", "console.log('through tinyproxy');")});
  Recorded recorded;
  PageOptions options = recorded.Options(server.origin() + "/page.js");
  options.proxy = "http://switchboard:proxy-secret@127.0.0.1:" + std::to_string(proxy.port());
  std::unique_ptr<Page> page = Page::Load(std::move(options));
  EXPECT_EQ(page->RunFor(std::chrono::seconds(60)), RunResult::kIdle);
  EXPECT_EQ(recorded.console, std::vector<std::string>{"through tinyproxy"});

  PageOptions down;
  down.url = server.origin() + "/page.js";
  down.proxy = "http://127.0.0.1:" + std::to_string(testing::RefusedPort());
  try {
    Page::Load(std::move(down));
    FAIL() << "loaded past a proxy that is down";
  } catch (const Error& error) {
    EXPECT_TRUE(std::string(error.what())
                    .starts_with("cannot load " + server.origin() + "/page.js: proxy: "))
        << error.what();
  }
}

// Limits: a server that never answers ends the load at the load timeout, with its stage.
TEST(EmbeddingPageLoad, ALoadThatNeverEndsTimesOut) {
  ScriptedHttpServer server({Ok("text/html", "never sent")}, /*held=*/0);
  PageOptions options;
  options.url = server.origin() + "/page.html";
  options.load_timeout = std::chrono::milliseconds(200);
  try {
    Page::Load(std::move(options));
    FAIL() << "loaded";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()),
              "cannot load " + server.origin() + "/page.html: timeout: not loaded within 200 ms");
  }
}

// A script the embedder holds (the shell's standard input): nothing is fetched — the URL is
// only the base and origin — it runs as the page's first task, and its name is in reports.
TEST(EmbeddingPageLoad, AScriptGivenAsSourceRunsAsTheFirstTaskUnderItsName) {
  Recorded recorded;
  std::unique_ptr<Page> page =
      Page::LoadScript(recorded.Options("http://127.0.0.1:1/dir/"),
                       "console.log(location.href, new URL('x.js', location.href).href);\n"
                       "setTimeout(() => console.log('timer'), 0);\n"
                       "throw new Error('boom');\n",
                       "[stdin]");
  EXPECT_TRUE(recorded.console.empty());
  EXPECT_EQ(page->url(), "http://127.0.0.1:1/dir/");
  page->RunUntilIdle();
  EXPECT_EQ(recorded.console, (std::vector<std::string>{
                                  "http://127.0.0.1:1/dir/ http://127.0.0.1:1/dir/x.js", "timer"}));
  ASSERT_EQ(recorded.errors.size(), 1u);
  EXPECT_TRUE(recorded.errors[0].starts_with("[stdin]:3:1: Uncaught Error: boom"))
      << recorded.errors[0];
}

// file: loads are bounded like http ones: a directory or an endless file (/dev/zero) is a
// clear error, never an empty page or memory without end.
TEST(EmbeddingPageLoad, FileLoadsRefuseDirectoriesAndEndlessFiles) {
  std::string directory = ::testing::TempDir();
  try {
    Page::Load({.url = directory});
    FAIL() << "loaded a directory";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("is a directory"), std::string::npos) << error.what();
  }
  PageOptions endless;
  endless.url = "/dev/zero";
  endless.max_resource_bytes = 1 << 20;
  try {
    Page::Load(std::move(endless));
    FAIL() << "loaded /dev/zero";
  } catch (const Error& error) {
    EXPECT_NE(
        std::string(error.what()).find("'/dev/zero' is larger than the limit of 1048576 bytes"),
        std::string::npos)
        << error.what();
  }
  // A page's <script src> of one: reported, skipped, and the next script runs.
  std::string page_file = directory + "/endless-script.html";
  {
    std::ofstream page(page_file);
    page << "<script src=\"file:///dev/zero\"></script><script>console.log('next');</script>\n";
  }
  Recorded recorded;
  PageOptions options = recorded.Options(page_file);
  options.max_resource_bytes = 1 << 20;
  std::unique_ptr<Page> page = Page::Load(std::move(options));
  EXPECT_EQ(page->RunFor(std::chrono::seconds(60)), RunResult::kIdle);
  EXPECT_EQ(recorded.console, std::vector<std::string>{"next"});
  ASSERT_EQ(recorded.errors.size(), 1u);
  EXPECT_NE(recorded.errors[0].find("is larger than the limit"), std::string::npos)
      << recorded.errors[0];
  std::remove(page_file.c_str());
}

}  // namespace
}  // namespace switchboard::embed
