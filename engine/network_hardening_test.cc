// Hardening II (issue 13): a hostile peer must never end the process, exhaust its memory or
// starve other connections. Real pages (real V8, the real network stack) against the real
// reference server (plain and TLS) and raw listeners on run-time ports; no mocks. Covers spec
// §6 (flow control with a per-frame overhead, fairness), §7 (disconnect()'s linger limit, a
// reset while it flushes, no SIGPIPE, masked credentials) and §9 (the linger limit's setting).
// Cases 1 and 6 run through a real proxy (tinyproxy) here and in
// web_tests/proxy/disconnect-hostile-peers.html.
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/testing/page_under_test.h"
#include "engine/testing/v8_test_environment.h"
#include "net/framer.h"
#include "net/testing/test_servers.h"

namespace switchboard {
namespace {

const auto* const kV8Environment =
    ::testing::AddGlobalTestEnvironment(new testing::V8TestEnvironment);

using testing::kMiB;
using testing::PageUnderTest;
using testing::ReferenceServer;
using testing::ResidentSetBytes;
using testing::ResidentSetSampler;
using testing::ScriptedListener;

constexpr char kSwitchingProtocols[] =
    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: TCPConnection/1.0\r\nConnection: Upgrade\r\n"
    "Access-Control: allow <*>\r\n\r\n";

// The reference server with TLS on a second port, and the test CA, for the whole suite.
class NetworkHardeningTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    certificates_ = new testing::TestCertificates;
    server_ = new ReferenceServer({"--tls-cert", certificates_->Path("server.pem"), "--tls-key",
                                   certificates_->Path("server.key"), "--tls-port", "0"});
    ASSERT_GT(server_->port(), 0) << "switchboard-server did not start";
    ASSERT_GT(server_->tls_port(), 0) << "switchboard-server did not start TLS";
  }
  static void TearDownTestSuite() {
    delete server_;
    delete certificates_;
    server_ = nullptr;
    certificates_ = nullptr;
  }
  static std::vector<std::string> Origins() {
    return {"http://127.0.0.1:" + std::to_string(server_->port()),
            "https://127.0.0.1:" + std::to_string(server_->tls_port())};
  }
  static PageSettings Settings() {
    PageSettings settings;
    settings.ca_file = certificates_->Path("ca.pem");
    return settings;
  }
  static testing::TestCertificates* certificates_;
  static ReferenceServer* server_;
};
testing::TestCertificates* NetworkHardeningTest::certificates_ = nullptr;
ReferenceServer* NetworkHardeningTest::server_ = nullptr;

// The undelivered byte count of a console line "… failed: disconnect: N bytes were not
// delivered: <why>", or -1 when `line` is not one of those for `why`.
long long UndeliveredBytes(const std::string& line, const std::string& why) {
  std::smatch match;
  static const std::regex kLine("failed: disconnect: ([0-9]+) bytes were not delivered: (.*)$");
  if (!std::regex_search(line, match, kLine) || match[2] != why) return -1;
  return std::stoll(match[1]);
}

// Sends 8 MiB, then disconnect(), when the connection opens; prints its events at close.
std::string SendThenDisconnectScript(const std::string& url) {
  return R"js(
    const started = {};
    watch(')js" +
         url + R"js(', {
      onopen: (connection) => {
        connection.send('x'.repeat(8 * 1024 * 1024));
        connection.disconnect();
        started.at = Date.now();
      },
    }).then((events) => console.log(`${events} after ${Date.now() - started.at} ms`));
  )js";
}

// --- Must show 1: no signal from the network ends the process ------------------------------

// Case 1 of the issue: the server answers 101, reads nothing, and resets the connection while
// 8 MiB sent before disconnect() are still being written. libuv writes with write(), which
// raises SIGPIPE; this test binary leaves SIGPIPE at its default (terminate), as an embedder
// may, so without the IO thread's signal mask the process dies here with signal 13.
TEST_F(NetworkHardeningTest, APeerThatResetsWhileDisconnectFlushesCannotEndTheProcess) {
  struct sigaction current {};
  ASSERT_EQ(sigaction(SIGPIPE, nullptr, &current), 0);
  ASSERT_EQ(current.sa_handler, SIG_DFL) << "the test proves nothing if SIGPIPE is ignored";
  for (const std::string& origin : Origins()) {
    PageUnderTest page(origin, Settings());
    page.Evaluate(SendThenDisconnectScript("/never-read?then=reset"));
    page.Run();
    ASSERT_EQ(page.console().size(), 2u) << origin;
    // §7: the reset ends disconnect() as the linger limit would: one line, how much was lost.
    long long lost = UndeliveredBytes(page.console()[0], "connection reset by peer");
    EXPECT_GT(lost, 0) << page.console()[0];
    EXPECT_EQ(page.console()[0].find("TCPConnection to '" + origin + "/never-read?then=reset'"),
              0u);
    EXPECT_TRUE(page.console()[1].starts_with("open close after ")) << page.console()[1];
    std::printf("[ figures  ] %s: reset during disconnect(): %lld bytes not delivered\n",
                origin.c_str(), lost);
  }
  ASSERT_EQ(sigaction(SIGPIPE, nullptr, &current), 0);
  EXPECT_EQ(current.sa_handler, SIG_DFL) << "the library must not change the process's signals";
}

// --- Must show 6: the linger limit -----------------------------------------------------------

struct LingerOutcome {
  long long lost = -1;  // the bytes the console line says were not delivered
  int elapsed_ms = -1;  // from disconnect() to `close`
};

// Case 6 on one page: 8 MiB sent, then disconnect() towards a peer that never reads, with a
// linger limit of 300 ms; `open close` and one disconnect line that names the limit.
LingerOutcome DisconnectTowardsAPeerThatNeverReads(const std::string& origin,
                                                   PageSettings settings) {
  settings.limits.disconnect_timeout = std::chrono::milliseconds(300);
  PageUnderTest page(origin, settings);
  page.Evaluate(SendThenDisconnectScript("/never-read?then=stay"));
  page.Run();
  LingerOutcome outcome;
  EXPECT_EQ(page.console().size(), 2u) << origin;
  if (page.console().size() != 2) return outcome;
  outcome.lost = UndeliveredBytes(page.console()[0],
                                  "the peer did not take them within the linger limit of 300 ms");
  EXPECT_GT(outcome.lost, 0) << page.console()[0];
  EXPECT_EQ(std::sscanf(page.console()[1].c_str(), "open close after %d ms", &outcome.elapsed_ms),
            1)
      << page.console()[1];
  return outcome;
}

// Case 6: a peer that never reads. disconnect() cannot flush 8 MiB into its full buffers;
// at the linger limit the socket is reset and `close` fires, with a console line that says how
// many bytes were not delivered.
TEST_F(NetworkHardeningTest, DisconnectTowardsAPeerThatNeverReadsEndsAtTheLingerLimit) {
  for (const std::string& origin : Origins()) {
    LingerOutcome outcome = DisconnectTowardsAPeerThatNeverReads(origin, Settings());
    // More than the kernels' buffers can hold was sent; not more than the frame and the
    // handshake (plus TLS records) in all.
    EXPECT_LT(outcome.lost, 9 * 1024 * 1024);
    EXPECT_GE(outcome.elapsed_ms, 300) << "close came before the linger limit";
    std::printf(
        "[ figures  ] %s: never-reading peer: close %d ms after disconnect() (limit 300 ms), "
        "%lld bytes not delivered\n",
        origin.c_str(), outcome.elapsed_ms, outcome.lost);
  }
}

// The same limit is no deadline for a peer that does read: 8 MiB to /sink take longer than the
// (tiny) limit's first look, and still end cleanly, every byte delivered (§7, §6 no data loss).
TEST_F(NetworkHardeningTest, APeerThatReadsIsNotCutOffByTheLingerLimit) {
  for (const std::string& origin : Origins()) {
    PageUnderTest page(origin, Settings());
    page.Evaluate(SendThenDisconnectScript("/sink?name=linger-" + origin.substr(0, 5)));
    page.Run();
    ASSERT_EQ(page.console().size(), 1u) << page.console().front();
    EXPECT_TRUE(page.console()[0].starts_with("open close after ")) << page.console()[0];
  }
}

// Cases 1 and 6 through a real forward proxy (tinyproxy, Basic credentials, CONNECT), plain and
// TLS inside the tunnel. A never-reading server fills tinyproxy's bounded buffer, so the linger
// limit ends disconnect() as it does directly. A server's reset reaches the page as tinyproxy
// passes it on: usually as a reset (one disconnect line), but tinyproxy may first take every
// byte itself, and then disconnect() rightly ends clean (spec §7 can only count what the peer
// — here the proxy — acknowledged). Either way the process survives and `close` fires once.
TEST_F(NetworkHardeningTest, ThroughARealProxyNeitherCaseEndsTheProcess) {
  testing::Tinyproxy proxy({server_->port(), server_->tls_port()});
  ASSERT_GT(proxy.port(), 0) << "tinyproxy did not start";
  for (const std::string& origin : Origins()) {
    PageSettings settings = Settings();
    settings.proxy = proxy.Url();
    settings.limits.disconnect_timeout = std::chrono::milliseconds(300);
    LingerOutcome outcome = DisconnectTowardsAPeerThatNeverReads(origin, settings);
    std::printf(
        "[ figures  ] %s through tinyproxy: never-reading peer: close %d ms after "
        "disconnect(), %lld bytes not delivered\n",
        origin.c_str(), outcome.elapsed_ms, outcome.lost);
    {
      PageUnderTest page(origin, settings);
      page.Evaluate(SendThenDisconnectScript("/never-read?then=reset"));
      page.Run();
      ASSERT_GE(page.console().size(), 1u);
      ASSERT_LE(page.console().size(), 2u);
      EXPECT_TRUE(page.console().back().starts_with("open close after ")) << page.console().back();
      long long lost = 0;
      if (page.console().size() == 2) {
        EXPECT_NE(page.console()[0].find("failed: disconnect: "), std::string::npos)
            << page.console()[0];
        std::smatch match;
        std::regex_search(page.console()[0], match, std::regex("([0-9]+) bytes were not"));
        lost = match.empty() ? -1 : std::stoll(match[1]);
        EXPECT_GT(lost, 0) << page.console()[0];
      }
      std::printf("[ figures  ] %s through tinyproxy: resetting peer: %lld bytes not delivered\n",
                  origin.c_str(), lost);
    }
  }
}

// --- Must show 5: credentials in URLs are masked ---------------------------------------------

TEST_F(NetworkHardeningTest, CredentialsInAConnectionUrlNeverReachTheConsoleOrTheNetLog) {
  std::string log_path = std::string(::testing::TempDir()) + "/hardening-net-log-" +
                         std::to_string(getpid()) + ".jsonl";
  {
    PageSettings settings = Settings();
    settings.net_log = log_path;
    std::string origin = Origins()[0];
    PageUnderTest page(origin, settings);
    std::string url = "http://alice:secret@127.0.0.1:" + std::to_string(server_->port());
    page.Evaluate("watch('" + url + "/status?code=403').then((events) => console.log(events));" +
                  "watch('http://token-only@127.0.0.1:" + std::to_string(server_->port()) +
                  "/status?code=403');");
    page.Run();
    EXPECT_EQ(page.LinesWith("error close").size(), 1u);
    std::vector<std::string> failures = page.LinesWith("failed: handshake");
    ASSERT_EQ(failures.size(), 2u);
    for (const std::string& line : failures) {
      EXPECT_NE(line.find("'http://<masked>@127.0.0.1:"), std::string::npos) << line;
      EXPECT_EQ(line.find("secret"), std::string::npos) << line;
      EXPECT_EQ(line.find("token-only"), std::string::npos) << line;
    }
  }
  std::ifstream file(log_path);
  std::stringstream log;
  log << file.rdbuf();
  EXPECT_NE(log.str().find("http://<masked>@127.0.0.1:"), std::string::npos);
  EXPECT_EQ(log.str().find("secret"), std::string::npos);
  EXPECT_EQ(log.str().find("token-only"), std::string::npos);
  std::remove(log_path.c_str());
}

// --- Must show 2: memory is bounded by the receive window whatever the frame sizes ------------

// Each connection's flood: 16 MiB over the 4 connections (2 million frames each, about 10 s of
// script each here; before issue 13 each such connection held some 500 MB), an eighth of it
// under the sanitizers, which run V8 ten times slower and do not measure memory anyway. The
// fairness test's flood: a million frames, a quarter under the sanitizers.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SWITCHBOARD_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SWITCHBOARD_SANITIZED 1
#endif
#endif
#ifdef SWITCHBOARD_SANITIZED
constexpr std::size_t kFloodBytes = 512 * 1024;
constexpr std::size_t kFairnessFloodBytes = 512 * 1024;
#else
constexpr std::size_t kFloodBytes = 4 * 1024 * 1024;
constexpr std::size_t kFairnessFloodBytes = 2 * 1024 * 1024;
#endif
// Every kMarkerEvery-th frame carries its index, so that script can check order and count.
constexpr std::size_t kMarkerEvery = 65536;

// A peer that answers 101 and then writes `bytes` of frames (a quarter for a /warm-up
// request), nearly all empty (0x02 0x17), as fast as the client takes them, then FIN. Returns
// the number of frames it wrote.
std::size_t WriteEmptyFrameFlood(ScriptedListener& listener, int socket, std::size_t bytes) {
  std::string request = listener.ReadUntil(socket, "\r\n\r\n");
  if (request.empty()) return 0;
  if (request.starts_with("OPTIONS /warm-up ")) bytes /= 4;
  ScriptedListener::WriteAll(socket, kSwitchingProtocols);
  std::size_t frames = 0;
  std::size_t written = 0;
  std::string chunk;
  while (written < bytes && !listener.stopping()) {
    chunk.clear();
    while (chunk.size() < 256 * 1024) {
      if (frames % kMarkerEvery == 0) {
        chunk += '\x02' + std::to_string(frames) + '\x17';
      } else {
        chunk += "\x02\x17";
      }
      ++frames;
    }
    ScriptedListener::WriteAll(socket, chunk);
    written += chunk.size();
  }
  return frames;
}

// Script counts every frame and checks each marker against its position.
constexpr char kCountFramesScript[] = R"js(
  function countFrames(url) {
    let reads = 0;
    let wrong = 0;
    return watch(url, {
      onread: (connection, event) => {
        if (event.data !== (reads % 65536 === 0 ? String(reads) : '')) ++wrong;
        ++reads;
      },
    }).then((events) => `${events.replace(/read\*[0-9]+/, 'reads')}: ${reads} frames, ${wrong} wrong`);
  }
)js";

// Issue 13 case 2: 16 MiB of empty frames on 4 connections at once, script reading.
// Each waiting frame counts 64 bytes on top of its (empty) text (§6), so what waits for script
// stays within the window, and the process grows by less than 4 windows plus V8's young
// generation; every frame arrives in order.
TEST_F(NetworkHardeningTest, AFloodOfEmptyFramesIsBoundedByTheReceiveWindow) {
  constexpr int kConnections = 4;
  std::atomic<std::size_t> frames_sent = 0;
  ScriptedListener flood([&](ScriptedListener& listener, int socket) {
    frames_sent += WriteEmptyFrameFlood(listener, socket, kFloodBytes);
  });
  PageSettings settings;
  PageUnderTest page("http://127.0.0.1:" + std::to_string(flood.port()), settings);
  page.Evaluate(kCountFramesScript);
  // Warm up: V8's heap and the network thread at their working size, with a small flood.
  page.Evaluate("watch('/warm-up');");
  page.Run();
  page.page().isolate()->LowMemoryNotification();
  frames_sent = 0;
  std::size_t baseline = ResidentSetBytes();
  ResidentSetSampler sampler;
  auto start = std::chrono::steady_clock::now();
  page.Evaluate("for (let i = 0; i < " + std::to_string(kConnections) +
                "; ++i) countFrames(`/flood-${i}`).then(console.log);");
  page.Run();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::size_t peak = sampler.Peak();
  ASSERT_EQ(page.console().size(), static_cast<std::size_t>(kConnections));
  std::size_t per_connection = frames_sent / kConnections;
  for (const std::string& line : page.console()) {
    EXPECT_EQ(line, "open reads close: " + std::to_string(per_connection) + " frames, 0 wrong");
  }
  std::size_t window = settings.limits.receive_window_bytes;
  std::printf(
      "[ figures  ] %d connections x %.1f MiB of empty frames (%zu frames each) in %.1f s: RSS "
      "baseline %.1f MiB, peak +%.1f MiB (4 receive windows: %.1f MiB)\n",
      kConnections, static_cast<double>(kFloodBytes) / kMiB, per_connection, seconds,
      static_cast<double>(baseline) / kMiB, static_cast<double>(peak - baseline) / kMiB,
      static_cast<double>(kConnections * window) / kMiB);
  if (testing::kResidentMemoryIsMeaningful) {
    // The constant: V8's young generation and the IO thread's read buffer.
    EXPECT_LT(peak, baseline + kConnections * window + 8 * 1024 * 1024);
  }
}

// --- Must show 3: fairness --------------------------------------------------------------------

// While connection A is flooded with empty frames (script reading), connection B opens and
// receives 200 frames. The page's loop interleaves them: between two of B's `read` events at
// most one of A's fires, and B's `open` comes while A's flood is still arriving. The delay from
// B's constructor to its `open` is printed beside the same figure without a flood.
TEST_F(NetworkHardeningTest, AFloodedConnectionDoesNotDelayAnotherConnectionsEvents) {
  ScriptedListener flood([&](ScriptedListener& listener, int socket) {
    WriteEmptyFrameFlood(listener, socket, kFairnessFloodBytes);
  });
  ScriptedListener second([&](ScriptedListener& listener, int socket) {
    if (listener.ReadUntil(socket, "\r\n\r\n").empty()) return;
    std::string frames;
    for (int i = 0; i < 200; ++i)
      frames +=
          "\x02"
          "b" +
          std::to_string(i) + "\x17";
    ScriptedListener::WriteAll(socket, kSwitchingProtocols + frames);
    listener.DrainUntilClosed(socket);
  });
  PageUnderTest page("http://127.0.0.1:" + std::to_string(flood.port()));
  std::string second_url = "http://127.0.0.1:" + std::to_string(second.port()) + "/second";
  page.Evaluate(R"js(
    // B: its open delay, and the most of A's reads between two of its own.
    function openSecond(floodReads) {
      const constructed = Date.now();
      let openDelay = -1;
      let readsOfAAtOpen = -1;
      let lastAReads = -1;
      let largestGap = 0;
      let bReads = 0;
      return watch(')js" +
                second_url + R"js(', {
        onopen: () => {
          openDelay = Date.now() - constructed;
          readsOfAAtOpen = floodReads();
        },
        onread: (connection) => {
          const now = floodReads();
          if (lastAReads >= 0) largestGap = Math.max(largestGap, now - lastAReads);
          lastAReads = now;
          if (++bReads === 200) connection.disconnect();
        },
      }).then((events) => ({events, openDelay, readsOfAAtOpen, largestGap}));
    }
  )js");
  // Without a flood first: the normal time.
  page.Evaluate(R"js(
    openSecond(() => 0).then((b) => console.log(`alone: ${b.events} open after ${b.openDelay} ms`));
  )js");
  page.Run();
  page.Evaluate(R"js(
    let aReads = 0;
    let startSecond;
    const second = new Promise((resolve) => { startSecond = resolve; });
    const first = watch('/flood', {
      onread: () => {
        // B starts once A's flood is well under way.
        if (++aReads === 100000) startSecond(openSecond(() => aReads));
      },
    });
    Promise.all([first, second])
        .then(([a, b]) => {
          console.log(`flooded: ${b.events} open after ${b.openDelay} ms`);
          console.log(`A still flooding at B's open: ${b.readsOfAAtOpen < aReads} ` +
                      `(A's read ${b.readsOfAAtOpen} of ${aReads})`);
          console.log(`largest run of A's reads between two of B's: ${b.largestGap}`);
          console.log(`A: ${a.replace(/read\*[0-9]+/, 'reads')}`);
        });
  )js");
  page.Run();
  for (const std::string& line : page.console()) std::printf("[ figures  ] %s\n", line.c_str());
  ASSERT_EQ(page.LinesWith("alone: open read*200 close").size(), 1u);
  ASSERT_EQ(page.LinesWith("flooded: open read*200 close").size(), 1u);
  EXPECT_EQ(page.LinesWith("A still flooding at B's open: true ").size(), 1u);
  EXPECT_EQ(page.LinesWith("A: open reads close").size(), 1u);
  std::vector<std::string> gap = page.LinesWith("largest run of A's reads between two of B's: ");
  ASSERT_EQ(gap.size(), 1u);
  EXPECT_LE(std::stoi(gap[0].substr(gap[0].rfind(' ') + 1)), 2) << gap[0];
}

}  // namespace
}  // namespace switchboard
