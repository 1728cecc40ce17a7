// Fault-injection soak (issue 13, item 8), beside the 10,000-connection soak (soak_test.cc): one
// page (real V8, the real network stack) opens thousands of connections, a bounded number at a
// time, to an in-process peer (testing::FaultInjectingPeer) that splits what it sends anywhere,
// delays, and ends each connection with a clean close, a half-close, a reset (possibly inside
// the 101 or mid-frame) or a stall then close; seeded and reproducible (the seed is printed;
// SWITCHBOARD_SOAK_SEED overrides it, SWITCHBOARD_SOAK_CONNECTIONS the count). The page checks
// every frame against the text the peer sends for that (connection, index) and echoes it; the
// peer checks every echo. Then, per connection, the page's view is held against the peer's:
// - spec §6: frames arrive in order, each exactly once, uncorrupted; none is lost before the
//   fault point: after a FIN every frame, after an RST every frame the page's kernel had
//   acknowledged (and none the peer did not write);
// - spec §7/§8: `open` first, `error` only before it, `close` exactly once and last; one console
//   line for a failure and none for a clean end;
// - no hang (the page's loop ends by itself; a watchdog turns a hang into a failure that names
//   the connections), no crash (nothing here ignores SIGPIPE), and afterwards nothing is left
//   behind: file descriptors, libuv handles, connections and script wrappers are back to their
//   baseline (as soak_test.cc checks). The figures are printed, and the problems by kind.
// FaultSoakFindingsTest reproduces, without the soak and without timing, what the soak found
// wrong in the library (spec §7/§8 broken; see each test).
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "bindings/script_wrappable.h"
#include "engine/page.h"
#include "engine/testing/resource_figures.h"
#include "engine/testing/v8_test_environment.h"
#include "net/testing/fault_injecting_peer.h"
#include "net/testing/net_log_follower.h"
#include "net/testing/raw_peer.h"
#include "net/testing/test_servers.h"

namespace switchboard {
namespace {

const auto* const kV8Environment =
    ::testing::AddGlobalTestEnvironment(new testing::V8TestEnvironment);

using testing::Ending;
using testing::FaultInjectingPeer;
using testing::kMiB;
using testing::Measure;
using testing::PeerRecord;
using testing::Print;
using testing::ResourceFigures;

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kUnderSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kUnderSanitizer = true;
#else
constexpr bool kUnderSanitizer = false;
#endif
#else
constexpr bool kUnderSanitizer = false;
#endif
#ifdef NDEBUG
constexpr bool kOptimized = true;
#else
constexpr bool kOptimized = false;
#endif

// The soak's size: about 15 s in the default (RelWithDebInfo) build on two busy cores (the
// budget is 60 s); less under a sanitizer or in a debug build.
constexpr int kConnections = kUnderSanitizer ? 500 : kOptimized ? 3000 : 1000;
constexpr int kWarmUpConnections = kUnderSanitizer ? 100 : 300;
constexpr int kInFlight = 100;
// 4 loopback addresses x 4 ports: spec §3.6 lets one connection per endpoint handshake at a time.
constexpr int kAddresses = 4;
constexpr int kPortsPerAddress = 4;
constexpr std::uint64_t kDefaultSeed = 0x5eed'2008'0618;
// Nothing moving for this long (no byte, no timer, no `close`) is a hang: the peer's longest
// injected wait is a 300 ms stall.
constexpr std::chrono::seconds kQuietLimit{kUnderSanitizer ? 60 : 30};

std::uint64_t NumberFromEnvironment(const char* name, std::uint64_t fallback) {
  const char* value = std::getenv(name);
  if (!value || !*value) return fallback;
  return std::strtoull(value, nullptr, 0);
}

// What the page reported for one connection at its `close`.
struct PageRecord {
  int received = 0;
  int mismatch = -1;  // the first frame whose text was not the expected one
  bool opened = false;
  bool errored = false;
  int close_lines = 0;  // more than one: a second summary, i.e. a second `close`
};

// faultSoak(first, total, inFlight, endpoints) opens connections first … first+total-1 (at most
// inFlight at a time; connection c goes to endpoints[c % length]), checks each `read` against
// frameText(c, index) and echoes it, and prints one line per connection at its `close`:
// "R <c> <received> <first mismatch or -1> <opened 0|1> <error 0|1>". A rule of §7/§8 broken
// prints a VIOLATION line. soakOpen holds the connections not closed yet.
constexpr char kFaultSoakScript[] = R"js(
  const soakOpen = new Set();
  function faultSoak(first, total, inFlight, endpoints) {
    let next = first;
    let closed = 0;
    return new Promise((resolve) => {
      const start = () => {
        const c = next++;
        const connection =
            new TCPConnection(`http://${endpoints[c % endpoints.length]}/soak?c=${c}`);
        soakOpen.add(c);
        let received = 0;
        let mismatch = -1;
        let opened = false;
        let errored = false;
        let closes = 0;
        const violation = (what) => console.log(`VIOLATION ${c}: ${what}`);
        connection.onopen = () => {
          if (opened || errored || closes || received) violation('open is not the first event');
          opened = true;
        };
        connection.onread = (event) => {
          if (closes) violation('read after close');
          if (!opened) violation('read before open');
          if (event.source !== connection.peer) violation(`source '${event.source}'`);
          if (mismatch < 0) {
            const expected = frameText(c, received);
            if (event.data !== expected) {
              mismatch = received;
              let same = 0;
              while (same < expected.length && event.data[same] === expected[same]) ++same;
              console.log(`MISMATCH ${c}: frame ${received} has ${event.data.length} UTF-16 ` +
                          `units for ${expected.length}, the first ${same} equal`);
            }
          }
          ++received;
          connection.send(event.data);
        };
        connection.onerror = () => {
          if (opened || errored || closes) violation('error after open, error or close');
          errored = true;
        };
        connection.onclose = () => {
          if (closes++) {
            violation('a second close');
            return;
          }
          if (connection.readyState !== 2) violation(`readyState ${connection.readyState}`);
          soakOpen.delete(c);
          console.log(`R ${c} ${received} ${mismatch} ${opened ? 1 : 0} ${errored ? 1 : 0}`);
          if (next < first + total) start();
          if (++closed === total) resolve();
        };
      };
      for (let k = 0; k < Math.min(inFlight, total); ++k) start();
    });
  }
)js";

// One page on the peer's origin; console lines in order, counted for the watchdog.
class PageUnderTest {
 public:
  explicit PageUnderTest(const std::string& origin)
      : page_(std::make_unique<Page>(
            PageUrl::Parse(origin + "/page.html").value(), PageSettings{},
            [this](bindings::ConsoleLevel, std::string_view line) {
              console_.emplace_back(line);
              ++console_line_count_;
            },
            [this](std::string_view text) { diagnostics_ += text; })) {}
  ~PageUnderTest() {
    page_.reset();
    EXPECT_EQ(bindings::ScriptWrappable::LiveObjectCountForTesting(), 0u);
  }
  void Evaluate(const std::string& script) {
    page_->EvaluateScript(script, {"test.js", 0, 0});
    ASSERT_EQ(page_->uncaught_exception_count(), 0) << diagnostics_;
  }
  Page& page() { return *page_; }
  std::vector<std::string>& console() { return console_; }
  const std::atomic<std::uint64_t>& console_line_count() const { return console_line_count_; }
  const std::string& diagnostics() const { return diagnostics_; }

 private:
  std::vector<std::string> console_;
  std::atomic<std::uint64_t> console_line_count_ = 0;
  std::string diagnostics_;
  std::unique_ptr<Page> page_;
};

// Turns a hang into a failure: when neither the peer nor the page has moved for kQuietLimit, it
// asks both what is still open and stops the page's loop.
class HangWatchdog {
 public:
  HangWatchdog(PageUnderTest& page, FaultInjectingPeer& peer)
      : page_(page), peer_(peer), thread_([this] { Watch(); }) {}
  ~HangWatchdog() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    stop_.notify_all();
    thread_.join();
  }
  HangWatchdog(const HangWatchdog&) = delete;
  HangWatchdog& operator=(const HangWatchdog&) = delete;

  // Empty unless it fired: then what the peer still held.
  std::string report() {
    std::lock_guard lock(mutex_);
    return report_;
  }

 private:
  void Watch() {
    std::unique_lock lock(mutex_);
    auto progress = [&] { return peer_.progress() + page_.console_line_count(); };
    std::uint64_t last = progress();
    auto quiet_since = std::chrono::steady_clock::now();
    while (!stop_.wait_for(lock, std::chrono::milliseconds(500), [&] { return stopping_; })) {
      if (progress() != last) {
        last = progress();
        quiet_since = std::chrono::steady_clock::now();
        continue;
      }
      if (std::chrono::steady_clock::now() - quiet_since < kQuietLimit) continue;
      lock.unlock();
      std::string held = peer_.DescribeUnfinished();
      lock.lock();
      report_ = "nothing moved for " + std::to_string(kQuietLimit.count()) +
                " s; the peer still held:\n" + held;
      Page& page = page_.page();
      page.event_loop().PostTaskFromAnyThread([&page] {
        page.EvaluateScript("console.log(`OPEN ${[...soakOpen].join(' ')}`);", {"hang.js", 0, 0});
        page.event_loop().Stop();
      });
      return;
    }
  }

  PageUnderTest& page_;
  FaultInjectingPeer& peer_;
  std::mutex mutex_;
  std::condition_variable stop_;
  bool stopping_ = false;
  std::string report_;
  std::thread thread_;
};

// What broke, by kind (a short phrase), with one line per case naming the connection.
using Problems = std::map<std::string, std::vector<std::string>>;

// The console lines of one run, sorted out.
struct Outcome {
  std::map<std::uint32_t, PageRecord> pages;
  std::map<std::uint32_t, std::vector<std::string>> failure_lines;  // spec §7's, by connection
  std::vector<std::string> other_lines;  // VIOLATION, MISMATCH and anything unexpected
  bool done = false;
};

Outcome ReadConsole(const std::vector<std::string>& console) {
  Outcome outcome;
  for (const std::string& line : console) {
    unsigned connection = 0;
    int received = 0;
    int mismatch = 0;
    int opened = 0;
    int errored = 0;
    if (std::sscanf(line.c_str(), "R %u %d %d %d %d", &connection, &received, &mismatch, &opened,
                    &errored) == 5) {
      PageRecord& record = outcome.pages[connection];
      record = {received, mismatch, opened == 1, errored == 1, record.close_lines + 1};
      continue;
    }
    std::size_t query = line.find("/soak?c=");
    if (line.starts_with("TCPConnection to '") && query != std::string::npos &&
        line.find("' failed: ") != std::string::npos) {
      auto number = static_cast<std::uint32_t>(std::strtoul(line.c_str() + query + 8, nullptr, 10));
      outcome.failure_lines[number].push_back(line);
      continue;
    }
    if (line == "DONE") {
      outcome.done = true;
      continue;
    }
    outcome.other_lines.push_back(line);
  }
  return outcome;
}

// The failure's stage, from "TCPConnection to '…' failed: <stage>: <reason>".
std::string StageOf(const std::string& line) {
  std::size_t start = line.find("' failed: ") + 10;
  return line.substr(start, line.find(':', start) - start);
}

struct Totals {
  int connections = 0;  // that the peer finished
  int closed_in_page = 0;
  int endings[testing::kEndingCount] = {};
  int resets_in_header = 0;
  int resets_mid_frame = 0;
  int stalls_mid_frame = 0;
  long long frames_planned = 0;
  long long frames_written = 0;
  long long frames_delivered = 0;
  long long frames_beyond_acknowledged = 0;  // delivered past the acknowledged bytes
  long long text_bytes_delivered = 0;        // UTF-8 bytes of the delivered frames' texts
  long long echoes = 0;
  long long echo_bytes = 0;
  long long chunks = 0;
  long long splits_inside_character = 0;
  long long delays = 0;
  std::map<std::string, int> failure_stages;
};

// Holds the page's view of each connection against the peer's records (the rules are in the
// file comment).
void Compare(std::uint32_t first, int total, const std::map<std::uint32_t, PeerRecord>& peer,
             const Outcome& outcome, Totals& totals, Problems& problems) {
  for (std::uint32_t number = first; number < first + static_cast<std::uint32_t>(total); ++number) {
    std::string name = "connection " + std::to_string(number);
    auto peer_record = peer.find(number);
    auto page_record = outcome.pages.find(number);
    if (peer_record == peer.end()) {
      problems["the peer has no record of a connection"].push_back(name);
      continue;
    }
    const PeerRecord& sent = peer_record->second;
    ++totals.connections;
    ++totals.endings[static_cast<int>(sent.ending)];
    if (sent.ending == Ending::kReset && sent.cut_inside_header) ++totals.resets_in_header;
    if (sent.ending == Ending::kReset && sent.cut_inside_frame) ++totals.resets_mid_frame;
    if (sent.ending == Ending::kStall && sent.cut_inside_frame) ++totals.stalls_mid_frame;
    totals.frames_planned += sent.frames_planned;
    totals.frames_written += sent.frames_written;
    totals.echoes += sent.echoes;
    totals.echo_bytes += static_cast<long long>(sent.echo_bytes);
    totals.chunks += sent.chunks;
    totals.splits_inside_character += sent.splits_inside_character;
    totals.delays += sent.delays;
    name += std::string(" (") + EndingName(sent.ending) + ", " +
            std::to_string(sent.frames_planned) + " frames, cut at " + std::to_string(sent.cut) +
            " of " + std::to_string(sent.stream_bytes) + " bytes, " + std::to_string(sent.written) +
            " written, " + std::to_string(sent.acknowledged) + " acknowledged, " +
            std::to_string(sent.frames_written) + " frames written, " +
            std::to_string(sent.frames_acknowledged) + " acknowledged, " +
            std::to_string(sent.echoes) + " echoes)";
    if (page_record == outcome.pages.end()) {
      std::string lines;
      if (auto failure = outcome.failure_lines.find(number);
          failure != outcome.failure_lines.end()) {
        lines = "; console: '" + failure->second.front() + "'";
      }
      problems["`close` never fired"].push_back(name + lines);
      continue;
    }
    const PageRecord& got = page_record->second;
    auto failure = outcome.failure_lines.find(number);
    std::size_t failure_lines = failure == outcome.failure_lines.end() ? 0 : failure->second.size();
    name += ": the page got " + std::to_string(got.received) + " frames" +
            (got.opened ? "" : ", no open") + (got.errored ? ", error" : "") + ", " +
            std::to_string(failure_lines) + " failure lines" +
            (failure_lines ? " ('" + failure->second.front() + "')" : "");

    if (!sent.error.empty())
      problems["the peer saw the page break a rule"].push_back(name + "; " + sent.error);
    if (got.close_lines != 1) problems["`close` fired twice"].push_back(name);
    if (got.mismatch >= 0) {
      problems["a corrupt frame"].push_back(name + "; frame " + std::to_string(got.mismatch));
    }
    // §7: `error` exactly when the connection failed before `open`.
    if (got.errored == got.opened)
      problems["not exactly one of `open` and `error`"].push_back(name);
    if (sent.acknowledged >= sent.header_bytes && !got.opened) {
      problems["the 101 arrived but `open` never fired"].push_back(name);
    }
    if (sent.written < sent.header_bytes && got.opened) {
      problems["`open` without a whole 101"].push_back(name);
    }
    if (sent.ending == Ending::kClose || sent.ending == Ending::kHalfClose) {
      // A FIN after every frame: all of them, and no failure.
      if (got.received != sent.frames_planned) {
        problems["frames lost or duplicated before a FIN"].push_back(name);
      }
      if (failure_lines != 0) problems["a clean close logged a failure"].push_back(name);
    } else {
      // An RST: every frame the page's kernel acknowledged, none the peer did not write.
      if (got.received < sent.frames_acknowledged) {
        problems["frames lost that the page's kernel had acknowledged before an RST"].push_back(
            name);
      }
      if (got.received > sent.frames_written) {
        problems["more frames than the peer wrote"].push_back(name);
      }
      // §7: an RST is a network error, worth one console line; a stall's close() is a FIN
      // unless echoes were still unread.
      if (sent.ending == Ending::kReset && failure_lines == 0) {
        problems["a reset passed for a clean close (no console line)"].push_back(name);
      }
      if (failure_lines > 1) problems["more than one failure line"].push_back(name);
    }
    if (sent.ending == Ending::kClose ? sent.echoes != sent.frames_planned
                                      : sent.echoes > got.received) {
      problems["echoes lost or duplicated"].push_back(name);
    }

    ++totals.closed_in_page;
    totals.frames_delivered += got.received;
    totals.frames_beyond_acknowledged += std::max(0, got.received - sent.frames_acknowledged);
    if (got.received > 0 && got.received <= static_cast<int>(sent.frame_ends.size())) {
      totals.text_bytes_delivered +=
          static_cast<long long>(sent.frame_ends[static_cast<std::size_t>(got.received - 1)] -
                                 sent.header_bytes - 2 * static_cast<std::size_t>(got.received));
    }
    if (failure != outcome.failure_lines.end()) {
      for (const std::string& line : failure->second) ++totals.failure_stages[StageOf(line)];
    }
  }
  for (const auto& [number, lines] : outcome.failure_lines) {
    if (number < first || number >= first + static_cast<std::uint32_t>(total)) {
      problems["a failure line for no connection of this run"].push_back(lines.front());
    }
  }
  for (const std::string& line : outcome.other_lines) {
    problems["an unexpected console line"].push_back(line);
  }
}

// Runs connections first … first+total-1 to completion: the page's loop must end by itself and
// the peer must have finished every connection.
Outcome RunSoak(PageUnderTest& page, FaultInjectingPeer& peer, std::uint32_t first, int total) {
  std::string endpoints;
  for (const FaultInjectingPeer::Endpoint& endpoint : peer.endpoints()) {
    endpoints += "'" + endpoint.HostPort() + "',";
  }
  page.console().clear();
  page.Evaluate("faultSoak(" + std::to_string(first) + ", " + std::to_string(total) + ", " +
                std::to_string(kInFlight) + ", [" + endpoints +
                "]).then(() => console.log('DONE'));");
  EventLoop::RunResult result;
  std::string hang;
  {
    HangWatchdog watchdog(page, peer);
    result = page.page().event_loop().Run();
    hang = watchdog.report();
  }
  Outcome outcome = ReadConsole(page.console());
  EXPECT_TRUE(result == EventLoop::RunResult::kIdle) << "the watchdog stopped the loop: " << hang;
  EXPECT_TRUE(hang.empty()) << hang;
  EXPECT_TRUE(outcome.done) << "the page's loop ended before every connection closed";
  EXPECT_EQ(page.page().uncaught_exception_count(), 0) << page.diagnostics();
  EXPECT_TRUE(peer.WaitUntilFinished(first + static_cast<std::size_t>(total), kQuietLimit))
      << "the peer still holds connections:\n"
      << peer.DescribeUnfinished();
  return outcome;
}

// --- What the soak found, reproduced deterministically -------------------------------------

// Spec §7/§8: `close` fires exactly once per connection and is the last event. A connection
// that fails before `open` fires `error`, then `close` in a task of its own; script holds no
// reference to it. A full collection between the two (here in a microtask of `error`, which
// captures nothing) must not lose `close`.
TEST(FaultSoakFindingsTest, CloseFiresAfterErrorEvenIfACollectionComesBetweenThem) {
  std::unique_ptr<Page> page;
  std::vector<std::string> console;
  page = std::make_unique<Page>(
      PageUrl::Parse("http://127.0.0.1:1/page.html").value(), PageSettings{},
      [&](bindings::ConsoleLevel, std::string_view line) {
        console.emplace_back(line);
        if (line == "collect") page->isolate()->LowMemoryNotification();
      },
      [](std::string_view) {});
  page->EvaluateScript(
      "function collect() { console.log('collect'); }\n"
      "(() => {\n"
      "  const connection = new TCPConnection('http://127.0.0.1:" +
          std::to_string(testing::RefusedPort()) +
          "/');\n"
          "  connection.onerror = () => { console.log('error'); queueMicrotask(collect); };\n"
          "  connection.onclose = () => console.log('close');\n"
          "})();",
      {"test.js", 0, 0});
  page->event_loop().Run();
  std::erase_if(
      console, [](const std::string& line) { return line.find(" failed: ") != std::string::npos; });
  EXPECT_EQ(console, (std::vector<std::string>{"error", "collect", "close"}));
  page.reset();
}

// Spec §7: after a network error, "deliver every complete frame received before it". Frames the
// page's kernel has received and acknowledged before an RST are received: a page that reads
// them must get them whether or not it also sends. Set-up (no timing): a receive window of 1 KiB
// pauses reading after the first frame; 50 more frames then sit in the page's kernel (checked);
// the peer resets; only then does the page's loop run. The control page only reads; the other
// one echoes each frame, so its first write meets the RST before the paused read resumes.
TEST(FaultSoakFindingsTest, ResetAfterAcknowledgedFramesDeliversThemAlsoToAPageThatSends) {
  constexpr int kFramesAfterThePause = 50;
  for (bool echo : {false, true}) {
    testing::RawPeer raw_peer;
    ASSERT_GT(raw_peer.port(), 0);
    const std::string origin = raw_peer.origin();

    std::mutex mutex;
    std::condition_variable changed;
    bool reset_sent = false;
    std::string peer_failure;
    // The page's net log says when its IO thread paused reading (no timing).
    PageSettings settings;
    settings.limits.receive_window_bytes = 1024;
    settings.net_log = std::string(::testing::TempDir()) + "/reset-after-acknowledged-" +
                       std::to_string(getpid()) + (echo ? "-echo" : "-read") + ".jsonl";
    testing::NetLogFollower net_log(settings.net_log);
    std::thread peer([&] {
      auto fail = [&](const std::string& why) {
        std::lock_guard lock(mutex);
        peer_failure = why;
        reset_sent = true;
        changed.notify_all();
      };
      if (!raw_peer.AcceptAndReadRequestHead()) return fail("no request");
      int page_socket = raw_peer.FindPageSocket();
      if (page_socket < 0) return fail("the page's socket was not found");
      std::string first =
          "HTTP/1.1 101 Switching Protocols\r\nUpgrade: TCPConnection/1.0\r\n"
          "Connection: Upgrade\r\n\r\n\x02" +
          std::string(2000, 'a') + "\x17";
      raw_peer.Send(first);
      // The frame fills the window: the IO thread has read it all and stopped reading.
      if (net_log.WaitForEvent(1, "flow_control_pause").empty()) {
        return fail("the page did not pause reading after the first frame");
      }
      std::string rest;
      for (int index = 1; index <= kFramesAfterThePause; ++index) {
        rest += "\x02" + std::to_string(index) + "\x17";
      }
      raw_peer.Send(rest);
      // One small segment: once the page's socket is readable, all of it waits there unread.
      if (testing::RawPeer::UnreadBytesOnceReadable(page_socket, 30'000) !=
          static_cast<int>(rest.size())) {
        return fail("the page's kernel did not hold the later frames unread");
      }
      raw_peer.Reset();
      std::lock_guard lock(mutex);
      reset_sent = true;
      changed.notify_all();
    });

    std::vector<std::string> console;
    {
      auto page_with_window = std::make_unique<Page>(
          PageUrl::Parse(origin + "/page.html").value(), settings,
          [&](bindings::ConsoleLevel, std::string_view line) { console.emplace_back(line); },
          [](std::string_view) {});
      page_with_window->EvaluateScript(
          std::string("let received = 0;\n"
                      "const connection = new TCPConnection('/reset');\n"
                      "connection.onread = (event) => {\n"
                      "  ++received;\n") +
              (echo ? "  connection.send(event.data);\n" : "") +
              "};\n"
              "connection.onclose = () => console.log(`received ${received}`);\n",
          {"test.js", 0, 0});
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return reset_sent; });
      }
      peer.join();
      ASSERT_EQ(peer_failure, "");
      page_with_window->event_loop().Run();
    }
    std::erase_if(console, [](const std::string& line) {
      return line.find("' failed: connect: ") != std::string::npos;
    });
    EXPECT_EQ(console,
              std::vector<std::string>{"received " + std::to_string(1 + kFramesAfterThePause)})
        << (echo ? "a page that echoes" : "a page that only reads");
    std::remove(settings.net_log.c_str());
  }
}

// The page's frameText() is the peer's FrameText(), for texts of every kind.
TEST(FaultSoakTest, ScriptAndPeerComputeTheSameFrameTexts) {
  PageUnderTest page("http://127.0.0.1:1");
  page.Evaluate(testing::kFrameTextScript);
  const std::vector<std::uint32_t> connections = {0, 1, 7, 300, 2999, 65537, 4000000000u};
  std::string script = "for (const c of [";
  for (std::uint32_t connection : connections) script += std::to_string(connection) + ",";
  script += "]) for (let i = 0; i < 200; ++i) console.log(frameText(c, i));";
  page.Evaluate(script);
  std::size_t line = 0;
  int empty = 0;
  int large = 0;
  int non_ascii = 0;
  ASSERT_EQ(page.console().size(), connections.size() * 200);
  for (std::uint32_t connection : connections) {
    for (std::uint32_t index = 0; index < 200; ++index) {
      std::string expected = testing::FrameText(connection, index);
      ASSERT_EQ(page.console()[line++], expected) << connection << "/" << index;
      empty += expected.empty();
      large += expected.size() >= 16384;
      non_ascii += std::any_of(expected.begin(), expected.end(),
                               [](char byte) { return static_cast<unsigned char>(byte) >= 0x80; });
    }
  }
  EXPECT_GT(empty, 0);
  EXPECT_GT(large, 0);
  EXPECT_GT(non_ascii, 100);
}

TEST(FaultSoakTest, ThousandsOfFaultyConnectionsLoseNothingBeforeTheFaultAndLeaveNothingBehind) {
  const std::uint64_t seed = NumberFromEnvironment("SWITCHBOARD_SOAK_SEED", kDefaultSeed);
  const int connections =
      static_cast<int>(NumberFromEnvironment("SWITCHBOARD_SOAK_CONNECTIONS", kConnections));
  std::printf("[ figures  ] fault soak: seed 0x%llx (SWITCHBOARD_SOAK_SEED=0x%llx reproduces it)\n",
              static_cast<unsigned long long>(seed), static_cast<unsigned long long>(seed));
  std::fflush(stdout);

  FaultInjectingPeer peer(seed, kAddresses, kPortsPerAddress);
  ASSERT_EQ(peer.endpoints().size(), static_cast<std::size_t>(kAddresses * kPortsPerAddress))
      << "could not listen on 127.0.0.1-" << kAddresses;
  PageUnderTest page(peer.origin());
  page.Evaluate(testing::kFrameTextScript);
  page.Evaluate(kFaultSoakScript);

  // Warm-up: the network thread and the allocators' pools exist before the baseline.
  Problems problems;
  Outcome warm_up = RunSoak(page, peer, 0, kWarmUpConnections);
  Totals warm_up_totals;
  Compare(0, kWarmUpConnections, peer.Records(), warm_up, warm_up_totals, problems);
  ResourceFigures baseline = Measure(page.page());
  Print("baseline (after warm-up)", baseline);

  testing::ResidentSetSampler sampler;
  auto started = std::chrono::steady_clock::now();
  Outcome outcome = RunSoak(page, peer, kWarmUpConnections, connections);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::size_t peak = sampler.Peak();
  Totals totals;
  Compare(kWarmUpConnections, connections, peer.Records(), outcome, totals, problems);
  for (const std::string& stray : peer.StrayErrors()) {
    problems["the peer saw a stray connection"].push_back(stray);
  }
  ResourceFigures after = Measure(page.page());
  Print("after the soak", after);

  std::printf(
      "[ figures  ] fault soak: %d connections (%d closed in the page; %d in flight, %zu "
      "endpoints) in %.1f s; peak RSS %.1f MiB\n",
      totals.connections, totals.closed_in_page, kInFlight, peer.endpoints().size(), seconds,
      static_cast<double>(peak) / kMiB);
  std::printf(
      "[ figures  ] endings: clean close %d, half-close %d, reset %d (%d inside the 101, %d "
      "cutting a partial frame), stall then close %d (%d mid-frame)\n",
      totals.endings[static_cast<int>(Ending::kClose)],
      totals.endings[static_cast<int>(Ending::kHalfClose)],
      totals.endings[static_cast<int>(Ending::kReset)], totals.resets_in_header,
      totals.resets_mid_frame, totals.endings[static_cast<int>(Ending::kStall)],
      totals.stalls_mid_frame);
  std::printf(
      "[ figures  ] frames: %lld planned, %lld written before the fault, %lld delivered "
      "(%.1f MiB of UTF-8; %lld past the acknowledged bytes of a reset); %lld echoed back "
      "(%.1f MiB)\n",
      totals.frames_planned, totals.frames_written, totals.frames_delivered,
      static_cast<double>(totals.text_bytes_delivered) / kMiB, totals.frames_beyond_acknowledged,
      totals.echoes, static_cast<double>(totals.echo_bytes) / kMiB);
  std::string stages;
  for (const auto& [stage, count] : totals.failure_stages) {
    stages += " " + stage + " " + std::to_string(count);
  }
  std::printf(
      "[ figures  ] writes: %lld chunks (%lld split a UTF-8 character), %lld delays; failure "
      "lines by stage:%s\n",
      totals.chunks, totals.splits_inside_character, totals.delays, stages.c_str());
  std::size_t problem_count = 0;
  for (const auto& [kind, cases] : problems) {
    problem_count += cases.size();
    std::printf("[ problems ] %zu x %s\n", cases.size(), kind.c_str());
  }
  std::fflush(stdout);

  // Each kind of problem with its first few cases (the seed reproduces the schedule).
  constexpr std::size_t kShownPerKind = 4;
  for (const auto& [kind, cases] : problems) {
    std::string shown;
    for (std::size_t k = 0; k < std::min(cases.size(), kShownPerKind); ++k) {
      shown += "\n  " + cases[k];
    }
    ADD_FAILURE() << cases.size() << " x " << kind << " (SWITCHBOARD_SOAK_SEED=0x" << std::hex
                  << seed << std::dec << "), e.g.:" << shown;
  }
  EXPECT_EQ(problem_count, 0u);
  EXPECT_EQ(totals.connections, connections);

  EXPECT_EQ(after.descriptors, baseline.descriptors);
  EXPECT_EQ(after.handles, baseline.handles);
  EXPECT_EQ(after.connections, 0u);
  EXPECT_EQ(after.live_connections, 0u);
  EXPECT_EQ(after.wrappers, baseline.wrappers);
}

}  // namespace
}  // namespace switchboard
