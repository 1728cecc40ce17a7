// Hostile and broken peers against a real page (real V8, the real network stack, the real
// reference server and raw listeners on run-time ports; no mocks): every handler of the
// reference server, servers that never answer, never end their headers or their frame, flood
// faster than script reads, reset mid-frame or close half-way, a proxy and a TLS peer that
// answer garbage, and the §9 limits set by the embedder (issue 8, items 3, 4 and 6). Each
// failure must name its §7 stage, every complete frame must reach script, memory must stay
// bounded, and every connection must end with exactly one `close`.
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "bindings/script_wrappable.h"
#include "engine/page.h"
#include "engine/testing/page_under_test.h"
#include "engine/testing/v8_test_environment.h"
#include "net/framer.h"
#include "net/testing/net_log_follower.h"
#include "net/testing/test_servers.h"

namespace switchboard {
namespace {

const auto* const kV8Environment =
    ::testing::AddGlobalTestEnvironment(new testing::V8TestEnvironment);

using testing::kMiB;
using testing::NetLogFollower;
using testing::PageUnderTest;
using testing::ReferenceServer;
using testing::ResidentSetBytes;
using testing::ResidentSetSampler;
using testing::ScriptedListener;

class HostilePeersTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ReferenceServer;
    ASSERT_GT(server_->port(), 0) << "switchboard-server did not start";
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static std::string Origin() { return "http://127.0.0.1:" + std::to_string(server_->port()); }
  static ReferenceServer* server_;
};
ReferenceServer* HostilePeersTest::server_ = nullptr;

// The paths of the reference server's TCPConnection handlers, from its --list-handlers.
std::vector<std::string> ListTcpConnectionHandlers() {
  std::vector<std::string> paths;
  FILE* list = popen(SWITCHBOARD_SERVER_PATH " --list-handlers", "r");
  char line[512];
  while (list && fgets(line, sizeof line, list)) {
    char path[256];
    if (std::sscanf(line, "OPTIONS %255s", path) == 1) paths.emplace_back(path);
  }
  if (list) pclose(list);
  return paths;
}

// --- Item 3: every handler, and the hostile ones in their hostile modes -----------------------

TEST_F(HostilePeersTest, EveryHandlerOfTheReferenceServerEndsCleanlyWithItsStage) {
  // What each handler's bare path does (spec §4.2, §6, §7): the events, and the §7 stage of the
  // console line ("" for none). A handler added to the server without a row here fails the test.
  struct Outcome {
    std::string events;
    std::string stage;
  };
  const std::map<std::string, Outcome> bare = {
      {"/echo", {"open close", ""}},
      {"/echo-raw", {"open close", ""}},
      {"/push", {"open read*1 close", ""}},
      {"/close-after-open", {"open close", ""}},
      {"/data-with-101", {"open read*1 close", ""}},
      {"/set-cookie", {"open close", ""}},
      {"/echo-headers", {"open read*1 close", ""}},
      {"/access-control", {"open close", ""}},
      {"/status", {"error close", "handshake"}},
      {"/no-upgrade-header", {"error close", "handshake"}},
      {"/wrong-upgrade", {"error close", "handshake"}},
      {"/no-connection-header", {"error close", "handshake"}},
      {"/huge-headers", {"error close", "handshake"}},
      {"/slow-headers", {"open close", ""}},
      {"/smtp-banner", {"error close", "handshake"}},
      {"/garbage", {"error close", "handshake"}},
      {"/reset-mid-frame", {"open read*1 close", "connect"}},
      {"/endless-frame", {"open read*1 close", "protocol"}},
      {"/invalid-utf8", {"open read*1 close", ""}},
      {"/no-etb-frame", {"open close", ""}},
      {"/unknown-frame-type", {"open read*1 close", ""}},
      {"/send-bytes", {"open close", ""}},
      {"/delay", {"open close", ""}},
      {"/never-read", {"open close", ""}},  // the page sends nothing: it never stops reading
      {"/sink", {"open close", ""}},
      {"/sink-totals", {"open close", ""}},
  };
  // Their hostile modes. (/slow-headers?endless=1 is in HandshakeTimeoutIsADeadlineForThe101:
  // here it would hold the endpoint, §3.6, until the others behind it time out too.) RSTs
  // right behind the data (delay=0, then=reset) must not pass for a clean close.
  const std::map<std::string, Outcome> variants = {
      {"/huge-headers?limit=20000", {"error close", "handshake"}},
      {"/status?code=101", {"error close", "handshake"}},
      {"/status?code=302", {"error close", "handshake"}},
      {"/wrong-upgrade?value=TCPConnection/2.0", {"error close", "handshake"}},
      {"/garbage?size=5&seed=9", {"error close", "handshake"}},
      {"/garbage?size=0", {"error close", "handshake"}},
      {"/reset-mid-frame?count=300&delay=0", {"open read*300 close", "connect"}},
      {"/send-bytes?hex=026f6e6517027477&then=reset", {"open read*1 close", "connect"}},
      {"/send-bytes?hex=1702ff17016117026f6b17&then=close", {"open read*1 close", ""}},
      {"/data-with-101?close=1", {"open read*1 close", ""}},
      {"/push?count=1000&size=100", {"open read*1000 close", ""}},
      {"/echo?close-after=1", {"open read*1 close", ""}},
  };

  std::vector<std::string> paths = ListTcpConnectionHandlers();
  ASSERT_GE(paths.size(), 20u);
  for (const std::string& path : paths) {
    EXPECT_TRUE(bare.contains(path)) << "no expectation for the handler " << path;
  }

  PageSettings settings;
  // Generous: §3.6 queues every connection behind /delay and /slow-headers (about 1 s each).
  settings.limits.handshake_timeout = std::chrono::milliseconds(10'000);
  settings.limits.max_frame_bytes = 1024 * 1024;  // /endless-frame fails soon
  PageUnderTest page(Origin(), settings);
  // [path, the reads expected, whether the server or a §7 failure ends it (a stage is expected)].
  std::string script = "const paths = [";
  auto add = [&](const std::string& path, const Outcome& outcome) {
    std::smatch reads;
    std::regex_search(outcome.events, reads, std::regex(R"(read\*(\d+))"));
    script += "['" + path + "'," + (reads.empty() ? "0" : reads[1].str()) + "," +
              (outcome.stage.empty() ? "false" : "true") + "],";
  };
  for (const auto& [path, outcome] : bare) add(path, outcome);
  for (const auto& [path, outcome] : variants) add(path, outcome);
  script += R"js(];
    // Handlers that stay open are closed from here once their expected frames have arrived and
    // a second of quiet followed (a frame too many would show); /echo?close-after=1 gets its
    // one frame. Connections a failure ends are left to it. So the outcome does not depend on
    // how fast the machine is (issue 13 item 7); a 30 s guard only ends a hang.
    for (const [path, expectedReads, failureEnds] of paths) {
      let reads = 0;
      let guard = 0;
      const quietAfterExpectedReads = (connection) => {
        if (!failureEnds && reads === expectedReads) {
          setTimeout(() => connection.disconnect(), 1000);
        }
      };
      watch(path, {
        onopen: (connection) => {
          guard = setTimeout(() => connection.disconnect(), 30000);
          if (path.startsWith('/echo?')) connection.send('x');
          quietAfterExpectedReads(connection);
        },
        onread: (connection) => {
          ++reads;
          quietAfterExpectedReads(connection);
        },
      }).then((events) => {
        clearTimeout(guard);
        console.log(`${path}: ${events}`);
      });
    }
  )js";
  page.Evaluate(script);
  page.Run();

  auto check = [&](const std::string& path, const Outcome& outcome) {
    std::vector<std::string> summary;
    for (const std::string& line : page.console()) {
      if (line.starts_with(path + ": ")) summary.push_back(line);
    }
    ASSERT_EQ(summary.size(), 1u) << path;
    EXPECT_EQ(summary[0], path + ": " + outcome.events);
    std::vector<std::string> failures =
        page.LinesWith(":" + std::to_string(server_->port()) + path + "' failed: ");
    if (outcome.stage.empty()) {
      EXPECT_TRUE(failures.empty()) << failures.front();
    } else {
      ASSERT_EQ(failures.size(), 1u) << path;
      EXPECT_NE(failures[0].find("' failed: " + outcome.stage + ": "), std::string::npos)
          << failures[0];
    }
  };
  for (const auto& [path, outcome] : bare) check(path, outcome);
  for (const auto& [path, outcome] : variants) check(path, outcome);
  EXPECT_EQ(page.console().size(),
            bare.size() + variants.size() + page.LinesWith("' failed: ").size());
}

// A server that accepts and never answers: the handshake timeout (§3 step 5, §9) fires.
TEST_F(HostilePeersTest, AServerThatAcceptsAndNeverAnswersTimesOut) {
  ScriptedListener silent(
      [](ScriptedListener& listener, int socket) { listener.DrainUntilClosed(socket); });
  PageSettings settings;
  settings.limits.handshake_timeout = std::chrono::milliseconds(300);
  std::string url = "http://127.0.0.1:" + std::to_string(silent.port()) + "/never";
  PageUnderTest page("http://127.0.0.1:" + std::to_string(silent.port()), settings);
  page.Evaluate("watch('" + url + "').then((events) => console.log(events));");
  page.Run();
  EXPECT_EQ(page.console(),
            (std::vector<std::string>{
                "TCPConnection to '" + url + "' failed: timeout: no 101 response within 300 ms",
                "error close"}));
  EXPECT_EQ(silent.accepted(), 1);
}

// 1 GiB of header lines offered (paced by our reading): the §4.2 16 KiB limit stops it, and
// the process's memory does not grow with what the server offers.
TEST_F(HostilePeersTest, AGibibyteHeaderStreamFailsAtTheHeaderLimitWithFlatMemory) {
  PageUnderTest page(Origin());
  // Warm up: the network thread, its buffers and one failure line exist before the baseline.
  page.Evaluate("watch('/huge-headers?limit=1073741824');");
  page.Run();
  std::size_t baseline = ResidentSetBytes();
  ResidentSetSampler sampler;
  page.Evaluate(R"js(
    for (let i = 0; i < 10; ++i) {
      watch('/huge-headers?limit=1073741824').then((events) => console.log(events));
    }
  )js");
  page.Run();
  std::size_t peak = sampler.Peak();
  std::printf("[ figures  ] 1 GiB header streams x10: RSS baseline %.1f MiB, peak %.1f MiB\n",
              static_cast<double>(baseline) / kMiB, static_cast<double>(peak) / kMiB);
  if (testing::kResidentMemoryIsMeaningful) {
    EXPECT_LT(peak, baseline + 4 * 1024 * 1024);
  }
  EXPECT_EQ(page.LinesWith("error close").size(), 10u);
  EXPECT_EQ(page.LinesWith("failed: handshake: the response header block is larger than 16384 "
                           "bytes")
                .size(),
            11u);
}

// A frame that never ends fails at the frame limit (§6, §9) after the complete frame before it
// was delivered; the buffered partial frame is all the memory it costs.
TEST_F(HostilePeersTest, AFrameThatNeverEndsFailsAtTheFrameLimit) {
  for (std::size_t limit : {std::size_t{1} << 20, kDefaultMaxFrameBytes}) {
    PageSettings settings;
    settings.limits.max_frame_bytes = limit;
    PageUnderTest page(Origin(), settings);
    std::size_t baseline = ResidentSetBytes();
    ResidentSetSampler sampler;
    page.Evaluate(R"js(
      watch('/endless-frame', {onread: (c, event) => console.log(`read ${event.data}`)})
          .then((events) => console.log(events));
    )js");
    page.Run();
    std::size_t peak = sampler.Peak();
    std::printf("[ figures  ] endless frame, limit %zu: RSS baseline %.1f MiB, peak %.1f MiB\n",
                limit, static_cast<double>(baseline) / kMiB, static_cast<double>(peak) / kMiB);
    std::string url = Origin() + "/endless-frame";
    EXPECT_EQ(page.console(),
              (std::vector<std::string>{"read before",
                                        "TCPConnection to '" + url +
                                            "' failed: protocol: received a frame larger than the "
                                            "maximum of " +
                                            std::to_string(limit) + " bytes",
                                        "open read*1 close"}));
    // The partial frame (up to the limit), whose buffer doubles as it grows: at the last step
    // the old buffer and its copy coexist, up to twice the limit; plus slack.
    if (testing::kResidentMemoryIsMeaningful) {
      EXPECT_LT(peak, baseline + 2 * limit + 8 * 1024 * 1024);
    }
  }
}

// §6 flow control: while script does not read (the page's loop does not run), the IO thread
// stops reading once a receive window of data waits for script (the net log's
// flow_control_pause), so a server that pushes as fast as it can does not grow the process. The
// same flood with a window of 1 GiB is read to its end (the net log's close) and does grow it,
// which shows the measurement can see it. Then every frame reaches script, in order, exactly
// once. Both measurements wait for what the IO thread did, not for time (issue 13 item 7).
TEST_F(HostilePeersTest, AFloodFasterThanScriptReadsIsHeldByTheReceiveWindow) {
  constexpr int kFrames = 2048;
  constexpr int kFrameBytes = 64 * 1024;  // 128 MiB offered
  const std::string flood_path =
      "/push?count=" + std::to_string(kFrames) + "&size=" + std::to_string(kFrameBytes);
  const std::string script = R"js(
    let expected = 0;
    let wrong = 0;
    watch(')js" + flood_path +
                             R"js(', {
      onread: (connection, event) => {
        // Frame i is 'a' + (i + j) % 26 at byte j (the /push handler).
        const first = 97 + expected % 26;
        const last = 97 + (expected + event.data.length - 1) % 26;
        if (event.data.length !== )js" +
                             std::to_string(kFrameBytes) + R"js( ||
            event.data.charCodeAt(0) !== first ||
            event.data.charCodeAt(event.data.length - 1) !== last) ++wrong;
        ++expected;
      },
    }).then((events) => console.log(`${events}, ${wrong} wrong`));
  )js";
  for (std::size_t window : {std::size_t{4} << 20, std::size_t{1} << 30}) {
    const bool held = window < std::size_t{kFrames} * kFrameBytes;
    PageSettings settings;
    settings.limits.receive_window_bytes = window;
    settings.net_log = std::string(::testing::TempDir()) + "/flood-" + std::to_string(getpid()) +
                       "-" + std::to_string(window) + ".netlog";
    std::remove(settings.net_log.c_str());
    PageUnderTest page(Origin(), settings);
    page.Evaluate("watch('/close-after-open');");  // warm up the network thread
    page.Run();
    std::size_t baseline = ResidentSetBytes();
    ResidentSetSampler sampler;
    page.Evaluate(script);
    // Script does not run (the page's loop is not running), so nothing is consumed: with the
    // window, the IO thread pauses once it is full and reads nothing more until script runs;
    // without it, it reads the whole flood and the server's FIN. Wait for that, however long
    // the machine takes.
    NetLogFollower net_log(settings.net_log);
    std::uint64_t flood = net_log.WaitForConnectionTo(Origin() + flood_path);
    ASSERT_NE(flood, 0u);
    if (held) {
      std::string pause = net_log.WaitForEvent(flood, "flow_control_pause");
      EXPECT_GE(NetLogFollower::Parameter(pause, "unconsumed_bytes"), window) << pause;
    } else {
      EXPECT_NE(net_log.WaitForEvent(flood, "close"), "");
    }
    std::size_t stalled_peak = sampler.Peak();
    page.Run();
    std::size_t run_peak = sampler.Peak();
    std::printf(
        "[ figures  ] flood of 128 MiB, receive window %zu: RSS baseline %.1f MiB, peak while "
        "script does not read %.1f MiB, peak overall %.1f MiB\n",
        window, static_cast<double>(baseline) / kMiB, static_cast<double>(stalled_peak) / kMiB,
        static_cast<double>(run_peak) / kMiB);
    EXPECT_EQ(page.console(),
              std::vector<std::string>{"open read*" + std::to_string(kFrames) + " close, 0 wrong"});
    std::remove(settings.net_log.c_str());
    if (!testing::kResidentMemoryIsMeaningful) continue;
    if (held) {
      EXPECT_LT(stalled_peak, baseline + window + 4 * 1024 * 1024);
      // While script reads, V8's heap comes on top; still far below the 128 MiB pushed.
      EXPECT_LT(run_peak, baseline + 64 * 1024 * 1024);
    } else {
      EXPECT_GT(stalled_peak, baseline + 64 * 1024 * 1024) << "the control did not flood";
    }
  }
}

// RST after many complete frames and half a frame: every complete frame first, then `close`
// (after open: no `error`), and the §7 line — also when the RST arrives right behind the data,
// before script has read any of it (delay=0: libuv then reports a hang-up, not the reset).
TEST_F(HostilePeersTest, ResetMidFrameDeliversEveryCompleteFrameFirst) {
  for (const std::string path :
       {"/reset-mid-frame?count=5000&delay=100", "/reset-mid-frame?count=5000&delay=0"}) {
    PageUnderTest page(Origin());
    page.Evaluate(R"js(
      let wrong = 0;
      watch(')js" +
                  path + R"js(', {
        onread: (connection, event) => { if (event.data !== 'complete') ++wrong; },
      }).then((events) => console.log(`${events}, ${wrong} wrong`));
    )js");
    page.Run();
    EXPECT_EQ(page.console(),
              (std::vector<std::string>{"TCPConnection to '" + Origin() + path +
                                            "' failed: connect: connection reset by peer",
                                        "open read*5000 close, 0 wrong"}));
  }
}

// Item 4: a server FIN after N frames (half-close): all N reach script in order, then `close`,
// with no failure; also when a tiny receive window pauses reading between most frames, so the
// FIN waits in the kernel behind unread frames.
TEST_F(HostilePeersTest, ServerFinAfterNFramesDeliversAllNThenClose) {
  for (std::size_t window : {std::size_t{4} << 20, std::size_t{1024}}) {
    PageSettings settings;
    settings.limits.receive_window_bytes = window;
    PageUnderTest page(Origin(), settings);
    page.Evaluate(R"js(
      let index = 0;
      let wrong = 0;
      watch('/push?count=20000&size=100', {
        onread: (connection, event) => {
          let text = '';
          for (let j = 0; j < 100; ++j) text += String.fromCharCode(97 + (index + j) % 26);
          if (event.data !== text) ++wrong;
          ++index;
        },
      }).then((events) => console.log(`${events}, ${wrong} wrong`));
    )js");
    page.Run();
    EXPECT_EQ(page.console(), std::vector<std::string>{"open read*20000 close, 0 wrong"})
        << "receive window " << window;
  }
}

// A proxy that answers CONNECT (§3.1) with 200 and then garbage: the garbage is what the
// tunnel carries, so the §4.2 check fails it at stage `handshake`, even when the garbage came
// in the same segment as the 200 (no byte may be lost in the tunnel). Garbage instead of a
// CONNECT reply fails at stage `proxy`, and so does a proxy that closes.
TEST_F(HostilePeersTest, AProxyThatAnswersConnectWithGarbageFailsAtTheRightStage) {
  enum class Then { kWait, kClose, kReadRequestThenFin };
  struct Case {
    std::string proxy_answer;
    Then then;
    std::string console_line_ending;
  };
  const std::string garbage = "\x16\x03\x01\xff garbage \x01\x02";
  const std::string established = "HTTP/1.1 200 Connection established\r\n\r\n";
  const std::vector<Case> cases = {
      {established + garbage, Then::kWait,
       "failed: handshake: the server does not speak HTTP; it sent '\\x16\\x03\\x01\\xFF"},
      {established + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", Then::kWait,
       "failed: handshake: the server answered with status 200 instead of 101 Switching "
       "Protocols"},
      {established, Then::kReadRequestThenFin,
       "failed: handshake: connection closed before the 101 response"},
      {garbage, Then::kClose, "failed: proxy: "},
      {"", Then::kClose, "failed: proxy: "},
  };
  for (const Case& test_case : cases) {
    std::string connect_request;
    std::vector<std::string> console;
    {
      ScriptedListener proxy([&](ScriptedListener& listener, int socket) {
        connect_request = listener.ReadUntil(socket, "\r\n\r\n");
        ScriptedListener::WriteAll(socket, test_case.proxy_answer);
        if (test_case.then == Then::kClose) return;
        if (test_case.then == Then::kReadRequestThenFin) {
          listener.ReadUntil(socket, "\r\n\r\n");  // the tunnelled OPTIONS request
          ScriptedListener::ShutdownWrite(socket);
        }
        listener.DrainUntilClosed(socket);
      });
      PageSettings settings;
      settings.proxy = "http://127.0.0.1:" + std::to_string(proxy.port());
      settings.limits.handshake_timeout = std::chrono::milliseconds(5000);
      PageUnderTest page(Origin(), settings);
      page.Evaluate("watch('/echo').then((events) => console.log(events));");
      page.Run();
      console = page.console();
    }  // the proxy's threads are joined: connect_request is ours to read
    ASSERT_EQ(console.size(), 2u) << test_case.console_line_ending;
    EXPECT_NE(console[0].find(test_case.console_line_ending), std::string::npos) << console[0];
    std::printf("[ stage    ] %s\n", console[0].c_str());
    EXPECT_EQ(console[1], "error close");
    EXPECT_TRUE(connect_request.starts_with("CONNECT 127.0.0.1:" + std::to_string(server_->port()) +
                                            " HTTP/1.1\r\n"))
        << connect_request;
  }
}

// A peer that answers a TLS ClientHello with bytes that are not TLS fails at stage `tls`
// (§3 step 4), for https: and for the RFC 2817 upgrade (§4.3) alike, whether it then waits or
// closes.
TEST_F(HostilePeersTest, NonTlsBytesFromATlsPeerFailAtStageTls) {
  const std::string not_tls = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
  ScriptedListener https_peer([&](ScriptedListener& listener, int socket) {
    if (listener.ReadSome(socket).empty()) return;  // the ClientHello
    ScriptedListener::WriteAll(socket, not_tls);
    listener.DrainUntilClosed(socket);
  });
  ScriptedListener closing_https_peer([&](ScriptedListener&, int socket) {
    ScriptedListener::WriteAll(socket, std::string(300, '\x7f'));
  });
  ScriptedListener upgrade_peer([&](ScriptedListener& listener, int socket) {
    listener.ReadUntil(socket, "\r\n\r\n");
    ScriptedListener::WriteAll(
        socket,
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: TLS/1.0, HTTP/1.1\r\nConnection: "
        "Upgrade\r\n\r\n" +
            not_tls);
    listener.DrainUntilClosed(socket);
  });
  PageSettings settings;
  settings.limits.handshake_timeout = std::chrono::milliseconds(5000);
  PageUnderTest page(Origin(), settings);
  std::string https = "https://127.0.0.1:" + std::to_string(https_peer.port()) + "/x";
  std::string closing = "https://127.0.0.1:" + std::to_string(closing_https_peer.port()) + "/x";
  std::string upgrade = "http://127.0.0.1:" + std::to_string(upgrade_peer.port()) + "/x";
  page.Evaluate("watch('" + https + "').then((events) => console.log('https: ' + events));" +
                "watch('" + closing + "').then((events) => console.log('closing: ' + events));" +
                "watch('" + upgrade +
                "', {init: {secure: true}}).then((events) => console.log('upgrade: ' + events));");
  page.Run();
  for (const std::string& url : {https, closing, upgrade}) {
    std::vector<std::string> failure = page.LinesWith("TCPConnection to '" + url + "' failed: ");
    ASSERT_EQ(failure.size(), 1u) << url;
    EXPECT_NE(failure[0].find("' failed: tls: "), std::string::npos) << failure[0];
    std::printf("[ stage    ] %s\n", failure[0].c_str());
  }
  for (const char* name : {"https: ", "closing: ", "upgrade: "}) {
    EXPECT_EQ(page.LinesWith(name), std::vector<std::string>{std::string(name) + "error close"});
  }
}

// --- Item 4: no data loss ----------------------------------------------------------------------

// disconnect() right after 10,000 send()s (about 6 MiB, with multi-byte characters and U+0000
// that §6 turns into U+FFFD): every byte reaches the server, checked there byte for byte (frame
// count, payload bytes and FNV-1a by /sink?name=, read back through /sink-totals), over TCP and
// over TLS (close_notify after the data).
std::string ExpectedPayload(int index) {
  // The UTF-8 the server must see for the script's payload(index) below.
  std::string text = std::to_string(index) + "|";
  for (int k = 0; k < index % 4; ++k) text += "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xef\xbf\xbd";
  text.append(static_cast<std::size_t>((index * 37) % 1200), 'x');
  return text;
}

constexpr char kSendThenDisconnectScript[] = R"js(
  const payload = (i) => `${i}|` + 'é€😀\u0000'.repeat(i % 4) + 'x'.repeat((i * 37) % 1200);
  const name = `bulk${Date.now()}`;
  const sink = new TCPConnection(`/sink?name=${name}`);
  sink.onopen = () => {
    for (let i = 0; i < 10000; ++i) sink.send(payload(i));
    const buffered = sink.bufferedAmount;
    sink.disconnect();
    console.log(`buffered at disconnect: ${buffered > 0 ? 'some' : 'none'}`);
  };
  sink.onerror = () => console.log('sink error');
  sink.onclose = () => {
    const totals = new TCPConnection(`/sink-totals?name=${name}`);
    totals.onread = (event) => console.log(event.data);
  };
)js";

TEST(NoDataLossTest, DisconnectRightAfterTenThousandSendsDeliversEveryByte) {
  unsigned long long bytes = 0;
  unsigned int hash = 2166136261u;
  for (int index = 0; index < 10000; ++index) {
    std::string payload = ExpectedPayload(index);
    bytes += payload.size();
    for (char c : payload) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
  }
  char expected[96];
  std::snprintf(expected, sizeof expected, "frames=10000 bytes=%llu fnv1a=%08x", bytes, hash);
  std::printf("[ figures  ] 10,000 frames, %.2f MiB of payload sent before disconnect()\n",
              static_cast<double>(bytes) / kMiB);

  testing::TestCertificates certificates;
  ReferenceServer server({"--tls-cert", certificates.Path("server.pem"), "--tls-key",
                          certificates.Path("server.key"), "--tls-port", "0"});
  ASSERT_GT(server.tls_port(), 0);
  PageSettings settings;
  settings.ca_file = certificates.Path("ca.pem");
  for (const std::string& origin : {"http://127.0.0.1:" + std::to_string(server.port()),
                                    "https://127.0.0.1:" + std::to_string(server.tls_port())}) {
    PageUnderTest page(origin, settings);
    page.Evaluate(kSendThenDisconnectScript);
    page.Run();
    EXPECT_EQ(page.console(), (std::vector<std::string>{"buffered at disconnect: some", expected}))
        << origin;
  }
}

// --- Item 6: the §9 limits, set by the embedder, change behaviour -------------------------------

TEST_F(HostilePeersTest, MaxFrameBytesIsTheLargestFrameAccepted) {
  auto run = [&](PageSettings settings) {
    PageUnderTest page(Origin(), settings);
    page.Evaluate(R"js(
      watch('/push?size=1000').then((events) => console.log(`1000: ${events}`));
      watch('/push?size=1001').then((events) => console.log(`1001: ${events}`));
    )js");
    page.Run();
    return page.console();
  };
  PageSettings small;
  small.limits.max_frame_bytes = 1000;
  std::vector<std::string> limited = run(small);
  std::sort(limited.begin(), limited.end());
  EXPECT_EQ(limited, (std::vector<std::string>{
                         "1000: open read*1 close", "1001: open close",
                         "TCPConnection to '" + Origin() +
                             "/push?size=1001' failed: protocol: received a frame larger than "
                             "the maximum of 1000 bytes"}));
  std::vector<std::string> unlimited = run(PageSettings{});
  std::sort(unlimited.begin(), unlimited.end());
  EXPECT_EQ(unlimited,
            (std::vector<std::string>{"1000: open read*1 close", "1001: open read*1 close"}));
}

TEST_F(HostilePeersTest, MaxResponseHeaderBytesBoundsThe101HeaderBlock) {
  // The 101 of /set-cookie with a 200-byte cookie is 85 + 12 + 200 + 2 = 299 bytes.
  const std::string script = R"js(
    watch('/set-cookie?cookie=' + 'c='.padEnd(200, 'v'))
        .then((events) => console.log(`cookie: ${events}`));
    watch('/echo', {onopen: (connection) => connection.disconnect()})
        .then((events) => console.log(`echo: ${events}`));
  )js";
  {
    PageSettings small;
    small.limits.max_response_header_bytes = 256;
    PageUnderTest limited(Origin(), small);
    limited.Evaluate(script);
    limited.Run();
    EXPECT_EQ(limited.LinesWith("echo: "), std::vector<std::string>{"echo: open close"});
    EXPECT_EQ(limited.LinesWith("cookie: "), std::vector<std::string>{"cookie: error close"});
    EXPECT_EQ(limited
                  .LinesWith("failed: handshake: the response header block is larger than 256 "
                             "bytes")
                  .size(),
              1u);
  }
  PageUnderTest unlimited(Origin());
  unlimited.Evaluate(R"js(
    watch('/set-cookie?cookie=' + 'c='.padEnd(200, 'v'),
          {onopen: (connection) => connection.disconnect()})
        .then((events) => console.log(`cookie: ${events}`));
  )js");
  unlimited.Run();
  EXPECT_EQ(unlimited.console(), std::vector<std::string>{"cookie: open close"});
}

TEST_F(HostilePeersTest, HandshakeTimeoutIsADeadlineForThe101) {
  // /delay holds the 101 for 600 ms: a 300 ms timeout fails it, a 5 s one does not. Dribbled
  // header lines do not extend the deadline.
  {
    PageSettings short_timeout;
    short_timeout.limits.handshake_timeout = std::chrono::milliseconds(300);
    PageUnderTest limited(Origin(), short_timeout);
    limited.Evaluate(R"js(
      watch('/delay?ms=600').then((events) => console.log(`delay: ${events}`));
      watch('/slow-headers?interval=5&endless=1')
          .then((events) => console.log(`dribble: ${events}`));
    )js");
    limited.Run();
    EXPECT_EQ(limited.LinesWith("delay: "), std::vector<std::string>{"delay: error close"});
    EXPECT_EQ(limited.LinesWith("dribble: "), std::vector<std::string>{"dribble: error close"});
    EXPECT_EQ(limited.LinesWith("failed: timeout: no 101 response within 300 ms").size(), 2u);
  }

  PageSettings long_timeout;
  long_timeout.limits.handshake_timeout = std::chrono::milliseconds(5000);
  PageUnderTest unlimited(Origin(), long_timeout);
  unlimited.Evaluate(R"js(
    watch('/delay?ms=600', {onopen: (connection) => connection.disconnect()})
        .then((events) => console.log(`delay: ${events}`));
  )js");
  unlimited.Run();
  EXPECT_EQ(unlimited.console(), std::vector<std::string>{"delay: open close"});
}

TEST_F(HostilePeersTest, MaxConnectionsCountsOnlyConnectionsInReadyState0Or1) {
  // §3.6: "at most a configured number of connections (… in readyState 0 or 1)": one that
  // script disconnected no longer counts, even before its close event.
  PageSettings settings;
  settings.limits.max_connections = 2;
  PageUnderTest page(Origin(), settings);
  page.Evaluate(R"js(
    const attempt = () => {
      try {
        const connection = new TCPConnection('/echo');
        return connection;
      } catch (e) {
        return e.name;
      }
    };
    const first = attempt();
    const second = attempt();
    console.log(`third while two connect: ${attempt()}`);
    first.onopen = () => {
      console.log(`third while two are open: ${attempt()}`);
      first.disconnect();
      const third = attempt();
      console.log(`third after disconnect(): readyState ${third.readyState}`);
      console.log(`fourth: ${attempt()}`);
      second.disconnect();
      third.disconnect();
    };
  )js");
  page.Run();
  EXPECT_EQ(page.console(), (std::vector<std::string>{
                                "third while two connect: SecurityError",
                                "third while two are open: SecurityError",
                                "third after disconnect(): readyState 0",
                                "fourth: SecurityError",
                            }));
}

// A `read` event keeps its frame's text outside the JavaScript heap until it is collected, so
// it reports that text to V8 as external memory while it has a wrapper (the mechanism behind
// the overall bound in ShellReceiveWindowBoundsTheShellsMemory).
TEST_F(HostilePeersTest, ReadEventsReportTheirTextToV8AsExternalMemory) {
  PageUnderTest page(Origin());
  v8::Isolate* isolate = page.page().isolate();
  auto external = [&] { return isolate->AdjustAmountOfExternalAllocatedMemory(0); };
  std::int64_t before = external();
  page.Evaluate(
      "globalThis.event = new ConnectionReadEvent('read', {data: 'x'.repeat(8 << 20)});"
      "event.data.length;");
  std::int64_t held = external();
  page.Evaluate("globalThis.event = null;");
  isolate->LowMemoryNotification();
  std::int64_t after = external();
  std::printf(
      "[ figures  ] V8 external memory: %lld before, %lld with an 8 MiB read event, %lld "
      "once it is collected\n",
      static_cast<long long>(before), static_cast<long long>(held), static_cast<long long>(after));
  EXPECT_GE(held - before, std::int64_t{8} << 20);
  EXPECT_LT(after - before, std::int64_t{1} << 20);
}

// The shell's --receive-window, end to end: a page whose script is held while the server
// pushes 128 MiB, and whose `read` listener never touches `event.data`. Script is held by a
// parser-blocking <script src> that our listener answers only once the shell's net log shows
// what the IO thread did meanwhile: it paused reading (--receive-window 65536), or it read the
// whole flood up to the server's FIN (--receive-window 1073741824) — a condition, however long
// the machine takes, not a time (issue 13 item 7). The shell's resident memory is sampled from
// outside, and looked at when the script request arrives and when it is answered. While script
// is held the shell must stay within the window plus slack with the small window, and grows by
// nearly the whole flood with the large one, which shows the measurement sees it. Overall, the
// `read` events' texts must not pile up outside V8's sight either (they are reported to V8 as
// external memory, whose collection threshold is 64 MiB).
struct ShellRun {
  std::size_t stalled_start = 0;  // resident bytes when script was held
  std::size_t stalled_peak = 0;   // the highest while script was held
  std::size_t peak = 0;           // the highest over the whole run
  std::string output;
};

// VmRSS of process `pid`, in bytes (0 once it is gone).
std::size_t ResidentSetBytesOf(pid_t pid) {
  std::size_t kilobytes = 0;
  std::string status_path = "/proc/" + std::to_string(pid) + "/status";
  if (std::FILE* status = std::fopen(status_path.c_str(), "r")) {
    char line[256];
    while (std::fgets(line, sizeof line, status)) {
      if (std::sscanf(line, "VmRSS: %zu kB", &kilobytes) == 1) break;
    }
    std::fclose(status);
  }
  return kilobytes * 1024;
}

// Runs the shell on the flood page; its script is held until the flood connection's
// `release_event` is in the net log.
ShellRun RunFloodedShell(const std::string& origin, const std::string& receive_window,
                         std::string_view release_event) {
  const std::string prefix = std::string(::testing::TempDir()) + "/flood-shell-" +
                             std::to_string(getpid()) + "-" + receive_window;
  const std::string page_file = prefix + ".html";
  const std::string net_log_file = prefix + ".netlog";
  const std::string flood_url = origin + "/push?count=2048&size=65536";
  std::remove(net_log_file.c_str());  // the follower must not read a previous run's log

  enum class Phase { kLoading, kHeld, kReleased };
  ShellRun run;
  std::mutex mutex;  // guards `run` and `phase`: the sampling loop and the listener observe
  Phase phase = Phase::kLoading;
  std::atomic<pid_t> shell = 0;
  ScriptedListener held_script([&](ScriptedListener& listener, int socket) {
    if (listener.ReadUntil(socket, "\r\n\r\n").empty()) return;
    shell.wait(0);
    {
      std::size_t resident = ResidentSetBytesOf(shell);
      std::lock_guard lock(mutex);
      run.stalled_start = resident;
      run.stalled_peak = std::max(run.stalled_peak, resident);
      run.peak = std::max(run.peak, resident);
      phase = Phase::kHeld;
    }
    NetLogFollower net_log(net_log_file);
    if (std::uint64_t flood = net_log.WaitForConnectionTo(flood_url)) {
      net_log.WaitForEvent(flood, release_event);
    }
    {
      std::size_t resident = ResidentSetBytesOf(shell);
      std::lock_guard lock(mutex);
      run.stalled_peak = std::max(run.stalled_peak, resident);
      run.peak = std::max(run.peak, resident);
      phase = Phase::kReleased;
    }
    const std::string body = "// the page's script runs again\n";
    ScriptedListener::WriteAll(socket,
                               "HTTP/1.1 200 OK\r\nContent-Type: text/javascript\r\n"
                               "Content-Length: " +
                                   std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
                                   body);
  });
  if (std::FILE* file = std::fopen(page_file.c_str(), "w")) {
    std::fputs((R"html(<!DOCTYPE html>
<script>
  const flood = new TCPConnection(')html" +
                flood_url + R"html(');
  let reads = 0;
  flood.onread = () => ++reads;  // never touches event.data
  flood.onclose = () => console.log(`reads ${reads}`);
</script>
<script src="http://127.0.0.1:)html" +
                std::to_string(held_script.port()) + R"html(/held.js"></script>
)html")
                   .c_str(),
               file);
    std::fclose(file);
  }
  int from_child[2];
  EXPECT_EQ(pipe(from_child), 0);
  pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    dup2(from_child[1], 1);
    close(from_child[0]);
    std::vector<std::string> arguments = {
        SWITCHBOARD_SHELL_PATH, "--timeout",    "60",        "--origin",   origin,
        "--receive-window",     receive_window, "--net-log", net_log_file, page_file};
    std::vector<char*> argv;
    for (std::string& argument : arguments) argv.push_back(argument.data());
    argv.push_back(nullptr);
    execv(SWITCHBOARD_SHELL_PATH, argv.data());
    _exit(127);
  }
  close(from_child[1]);
  shell = pid;
  shell.notify_all();
  // Samples between the two looks of the listener too, so that a peak between them is seen.
  while (waitpid(pid, nullptr, WNOHANG) != pid) {
    Phase before;
    {
      std::lock_guard lock(mutex);
      before = phase;
    }
    std::size_t resident = ResidentSetBytesOf(pid);
    {
      std::lock_guard lock(mutex);
      run.peak = std::max(run.peak, resident);
      if (before == Phase::kHeld && phase == Phase::kHeld) {
        run.stalled_peak = std::max(run.stalled_peak, resident);
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  char chunk[512];
  ssize_t count = 0;
  while ((count = read(from_child[0], chunk, sizeof chunk)) > 0) {
    run.output.append(chunk, static_cast<std::size_t>(count));
  }
  close(from_child[0]);
  std::remove(page_file.c_str());
  std::remove(net_log_file.c_str());
  std::lock_guard lock(mutex);  // the listener is done: the shell has exited
  return run;
}

TEST_F(HostilePeersTest, ShellReceiveWindowBoundsTheShellsMemory) {
  ShellRun small = RunFloodedShell(Origin(), "65536", "flow_control_pause");
  ShellRun large = RunFloodedShell(Origin(), "1073741824", "close");
  for (const auto& [window, run] : {std::pair{"65536", &small}, std::pair{"1073741824", &large}}) {
    std::printf(
        "[ figures  ] shell --receive-window %s, 128 MiB flood, script held until the IO thread "
        "paused or read it all: RSS %.1f MiB when held, %.1f MiB at most while held, %.1f MiB at "
        "most overall\n",
        window, static_cast<double>(run->stalled_start) / kMiB,
        static_cast<double>(run->stalled_peak) / kMiB, static_cast<double>(run->peak) / kMiB);
    EXPECT_EQ(run->output, "reads 2048\n");
    EXPECT_GT(run->stalled_start, 0u) << "the stall was not observed";
  }
  if (!testing::kResidentMemoryIsMeaningful) return;
  EXPECT_LT(small.stalled_peak, small.stalled_start + 8 * 1024 * 1024);
  EXPECT_GT(large.stalled_peak, large.stalled_start + 64 * 1024 * 1024) << "the control did not "
                                                                           "flood";
  // After the stall: V8 collects the `read` events by their reported size, well before the
  // whole flood is held.
  EXPECT_LT(small.peak, small.stalled_start + 96 * 1024 * 1024);
}

}  // namespace
}  // namespace switchboard
