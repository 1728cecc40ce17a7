// TCPConnection at page level against the real reference server (build/bin/switchboard-
// server, started here on a run-time port): a page that opens, uses and closes many
// connections leaves no file descriptor, libuv handle or connection behind (issue 5). The
// servers and process figures are in net/testing/test_servers.h.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bindings/script_wrappable.h"
#include "engine/page.h"
#include "engine/resource_loader.h"
#include "engine/script_platform.h"
#include "engine/testing/v8_test_environment.h"
#include "net/testing/test_servers.h"

namespace switchboard {
namespace {

const auto* const kV8Environment =
    ::testing::AddGlobalTestEnvironment(new testing::V8TestEnvironment);

using testing::CountOpenFileDescriptors;
using testing::ReferenceServer;
using testing::TestCertificates;

// Runs `script` on a page of `origin` until idle; returns the console lines.
std::vector<std::string> RunPage(const std::string& origin, const std::string& script,
                                 PageSettings settings = {}) {
  std::vector<std::string> console;
  auto page = std::make_unique<Page>(
      PageUrl::Parse(origin + "/page.html").value(), std::move(settings),
      [&](bindings::ConsoleLevel, std::string_view line) { console.emplace_back(line); },
      [&](std::string_view text) { console.emplace_back(text); });
  page->EvaluateScript(script, {"page.js", 0, 0});
  page->event_loop().Run();
  return console;
}

// Opens `url` (with `init`), sends one frame, and logs what happened on one line.
const char kTraceScript[] = R"js(
  function trace(url, init) {
    const connection = new TCPConnection(url, init);
    const log = [];
    connection.onopen = () => { log.push(`open secure=${connection.secure}`); connection.send('x'); };
    connection.onread = (event) => { log.push(`read ${event.data}`); connection.disconnect(); };
    connection.onerror = () => log.push('error');
    connection.onclose = () => console.log(log.concat('close').join(', '));
  }
)js";

TEST(TCPConnectionPageTest, ThousandConnectionsLeaveNoDescriptorsHandlesOrObjects) {
  ReferenceServer server;
  ASSERT_GT(server.port(), 0) << "switchboard-server did not start";
  std::vector<std::string> console;
  std::vector<std::string> diagnostics;
  std::string origin = "http://127.0.0.1:" + std::to_string(server.port());
  auto page = std::make_unique<Page>(
      PageUrl::Parse(origin + "/page.html").value(), PageSettings{},
      [&](bindings::ConsoleLevel, std::string_view line) { console.emplace_back(line); },
      [&](std::string_view text) { diagnostics.emplace_back(text); });

  // One connection first, so that the network thread and its own handles exist in the
  // baseline.
  page->EvaluateScript(R"js(
    const first = new TCPConnection('/close-after-open');
    first.onclose = () => console.log('warm-up closed');
  )js",
                       {"warm-up.js", 0, 0});
  page->event_loop().Run();
  ASSERT_EQ(console, std::vector<std::string>{"warm-up closed"});
  int baseline_descriptors = CountOpenFileDescriptors();
  auto [baseline_handles, baseline_connections] =
      page->network().service_for_testing()->CountLiveResourcesForTesting();

  page->EvaluateScript(R"js(
    let closed = 0;
    let echoed = 0;
    function batch(start) {
      let left = 50;
      for (let i = 0; i < 50; ++i) {
        const connection = new TCPConnection('/echo');
        connection.onopen = () => connection.send(`message ${start + i}`);
        connection.onread = (event) => {
          if (event.data === `message ${start + i}`) ++echoed;
          connection.disconnect();
        };
        connection.onclose = () => {
          ++closed;
          if (--left === 0) {
            if (start + 50 < 1000) batch(start + 50);
            else console.log(`closed ${closed}, echoed ${echoed}`);
          }
        };
      }
    }
    batch(0);
  )js",
                       {"thousand.js", 0, 0});
  page->event_loop().Run();
  EXPECT_EQ(console.back(), "closed 1000, echoed 1000");
  EXPECT_TRUE(diagnostics.empty()) << diagnostics.front();

  auto [handles, connections] =
      page->network().service_for_testing()->CountLiveResourcesForTesting();
  EXPECT_EQ(handles, baseline_handles);
  EXPECT_EQ(connections, baseline_connections);
  EXPECT_EQ(page->network().live_connection_count(), 0u);
  EXPECT_EQ(CountOpenFileDescriptors(), baseline_descriptors);
  page.reset();
  EXPECT_EQ(bindings::ScriptWrappable::LiveObjectCountForTesting(), 0u);
}

TEST(TCPConnectionPageTest, TearingDownThePageClosesOpenConnectionsWithoutEvents) {
  ReferenceServer server;
  ASSERT_GT(server.port(), 0) << "switchboard-server did not start";
  std::vector<std::string> console;
  auto page = std::make_unique<Page>(
      PageUrl::Parse("http://127.0.0.1:" + std::to_string(server.port()) + "/").value(),
      PageSettings{},
      [&](bindings::ConsoleLevel, std::string_view line) { console.emplace_back(line); },
      [](std::string_view) {});
  page->EvaluateScript(R"js(
    for (let i = 0; i < 20; ++i) {
      const connection = new TCPConnection('/echo');
      connection.onopen = () => { if (i === 19) console.log('all open'); };
      connection.onclose = () => console.log('close must not fire at teardown');
    }
  )js",
                       {"teardown.js", 0, 0});
  // Run until the last one is open (10 s at most), then stop with 20 connections open.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (console.empty() && std::chrono::steady_clock::now() < deadline) {
    page->event_loop().RunUntilNoReadyTasks();
    usleep(1000);
  }
  ASSERT_FALSE(console.empty()) << "not all 20 connections opened within 10 s";
  EXPECT_EQ(page->network().live_connection_count(), 20u);
  page.reset();
  EXPECT_EQ(console, std::vector<std::string>{"all open"});
  EXPECT_EQ(bindings::ScriptWrappable::LiveObjectCountForTesting(), 0u);
}

TEST(TCPConnectionPageTest, ConnectionLimitThrowsSecurityErrorUntilOneCloses) {
  ReferenceServer server;
  ASSERT_GT(server.port(), 0) << "switchboard-server did not start";
  std::vector<std::string> console;
  PageSettings settings;
  settings.limits.max_connections = 3;  // spec §3.6; the shell's --max-connections
  auto page = std::make_unique<Page>(
      PageUrl::Parse("http://127.0.0.1:" + std::to_string(server.port()) + "/").value(), settings,
      [&](bindings::ConsoleLevel, std::string_view line) { console.emplace_back(line); },
      [](std::string_view) {});
  page->EvaluateScript(R"js(
    const open = [1, 2, 3].map(() => new TCPConnection('/echo'));
    try {
      new TCPConnection('/echo');
      console.log('fourth: no exception');
    } catch (e) {
      console.log(`fourth: ${e.name}`);
    }
    open[0].onclose = () => {
      const again = new TCPConnection('/echo');
      console.log(`after one closed: readyState ${again.readyState}`);
      again.disconnect();
      open[1].disconnect();
      open[2].disconnect();
    };
    open[0].disconnect();
  )js",
                       {"limit.js", 0, 0});
  page->event_loop().Run();
  EXPECT_EQ(console,
            (std::vector<std::string>{"fourth: SecurityError", "after one closed: readyState 0"}));
}

TEST(TCPConnectionPageTest, MixedContentFromAnHttpsDocument) {
  std::vector<std::string> console;
  auto page = std::make_unique<Page>(
      PageUrl::Parse("https://secure.example.test/app.html").value(), PageSettings{},
      [&](bindings::ConsoleLevel, std::string_view line) { console.emplace_back(line); },
      [](std::string_view) {});
  // Spec §2 step 3: from an https document only connections that will be secure.
  page->EvaluateScript(R"js(
    const attempt = (url, init) => {
      try {
        const connection = new TCPConnection(url, init);
        connection.disconnect();
        return 'allowed';
      } catch (e) {
        return e.name;
      }
    };
    console.log(attempt('http://example.test/x'));
    console.log(attempt('http://example.test/x', {secure: true}));
    console.log(attempt('https://example.test/x'));
    console.log(attempt('/relative'));
  )js",
                       {"mixed.js", 0, 0});
  page->event_loop().Run();
  EXPECT_EQ(console, (std::vector<std::string>{"SecurityError", "allowed", "allowed", "allowed"}));
}

TEST(TCPConnectionPageTest, SetCookieOnThe101IsSentByTheNextHandshakeAndPersists) {
  ReferenceServer server;
  ASSERT_GT(server.port(), 0) << "switchboard-server did not start";
  std::string origin = "http://127.0.0.1:" + std::to_string(server.port());
  // Spec §4.2: Set-Cookie on the 101 is stored (HttpOnly too: a handshake is an HTTP API);
  // §4.1: the next handshake to the URL carries it.
  const char* script = R"js(
    const set = new TCPConnection('/set-cookie?cookie=' + encodeURIComponent('session=abc; HttpOnly') +
                                  '&cookie=' + encodeURIComponent('theme=dark'));
    set.onopen = () => {
      set.disconnect();
      const echo = new TCPConnection('/echo-headers');
      echo.onread = (event) => {
        console.log(event.data.split('\r\n').filter((line) => line.startsWith('Cookie')).join());
        echo.disconnect();
      };
    };
  )js";
  auto jar = std::make_shared<CookieJar>();
  std::vector<std::string> console;
  {
    Page page(
        PageUrl::Parse(origin + "/").value(), PageSettings{},
        [&](bindings::ConsoleLevel, std::string_view line) { console.emplace_back(line); },
        [&](std::string_view text) { console.emplace_back(text); }, jar);
    page.EvaluateScript(script, {"cookies.js", 0, 0});
    page.event_loop().Run();
  }
  EXPECT_EQ(console, std::vector<std::string>{"Cookie: session=abc; theme=dark"});

  // Persisted in curl's format and read back by a new jar: the next page's handshake.
  std::string file = std::string(SWITCHBOARD_TEST_TMPDIR) + "/cookies.txt";
  ASSERT_TRUE(jar->SaveNetscapeFile(file, std::chrono::system_clock::now()).ok());
  auto reloaded = std::make_shared<CookieJar>();
  ASSERT_TRUE(reloaded->LoadNetscapeFile(file, std::chrono::system_clock::now()).ok());
  console.clear();
  {
    Page page(
        PageUrl::Parse(origin + "/").value(), PageSettings{},
        [&](bindings::ConsoleLevel, std::string_view line) { console.emplace_back(line); },
        [](std::string_view) {}, reloaded);
    page.EvaluateScript(R"js(
      const echo = new TCPConnection('/echo-headers');
      echo.onread = (event) => {
        console.log(event.data.split('\r\n').filter((line) => line.startsWith('Cookie')).join());
        echo.disconnect();
      };
    )js",
                        {"next.js", 0, 0});
    page.event_loop().Run();
  }
  EXPECT_EQ(console, std::vector<std::string>{"Cookie: session=abc; theme=dark"});
}

// Issue 6: a page served by the reference server sets a session cookie; the TCPConnection
// handshake carries it; the 101's Set-Cookie is visible to the next page load.
TEST(TCPConnectionPageTest, CookiesFlowBetweenPageLoadsAndHandshakes) {
  ReferenceServer server;
  ASSERT_GT(server.port(), 0) << "switchboard-server did not start";
  std::string origin = "http://127.0.0.1:" + std::to_string(server.port());
  auto jar = std::make_shared<CookieJar>();
  NetworkService loads(NetworkSettings{});
  Result<Resource> first_load = LoadResourceBlocking(
      loads, PageUrl::Parse(origin + "/headers.js?set-cookie=session%3Dfrom-page").value(), {},
      jar);
  ASSERT_TRUE(first_load.ok()) << first_load.error().message;

  std::vector<std::string> console;
  {
    Page page(
        first_load.value().url, PageSettings{},
        [&](bindings::ConsoleLevel, std::string_view line) { console.emplace_back(line); },
        [&](std::string_view text) { console.emplace_back(text); }, jar);
    page.EvaluateScript(R"js(
      const echo = new TCPConnection('/echo-headers');
      echo.onread = (event) => {
        console.log(event.data.split('\r\n').filter((line) => line.startsWith('Cookie')).join());
        echo.disconnect();
        const set = new TCPConnection('/set-cookie?cookie=' + encodeURIComponent('from101=yes'));
        set.onopen = () => set.disconnect();
      };
    )js",
                        {"cookies.js", 0, 0});
    page.event_loop().Run();
  }
  EXPECT_EQ(console, std::vector<std::string>{"Cookie: session=from-page"});

  Result<Resource> next_load =
      LoadResourceBlocking(loads, PageUrl::Parse(origin + "/headers.js").value(), {}, jar);
  ASSERT_TRUE(next_load.ok()) << next_load.error().message;
  EXPECT_NE(next_load.value().body.find("Cookie: session=from-page; from101=yes"),
            std::string::npos)
      << next_load.value().body;
}

TEST(TCPConnectionTlsTest, HttpsVerifiedByNameAndAddressAndRfc2817Upgrade) {
  TestCertificates certificates;
  ReferenceServer server({"--tls-cert", certificates.Path("server.pem"), "--tls-key",
                          certificates.Path("server.key"), "--tls-port", "0"});
  ASSERT_GT(server.tls_port(), 0);
  std::string https = std::to_string(server.tls_port());
  std::string http = std::to_string(server.port());
  PageSettings settings;
  settings.ca_file = certificates.Path("ca.pem");
  // Spec §3 step 4 (https:) and §4.3 ({secure: true} on http:). The page is another origin
  // (https, or another port), so the server's Access-Control allows it (§5).
  std::vector<std::string> console =
      RunPage("http://127.0.0.1:" + http, std::string(kTraceScript) + R"js(
    const allow = '/access-control?allow=%3C*%3E';
    trace(`https://127.0.0.1:)js" + https + R"js(${allow}`);
    trace(`https://localhost:)js" + https + R"js(${allow}`);
    trace(`http://127.0.0.1:)js" + http + R"js(${allow}`, {secure: true});
    trace(`http://127.0.0.1:)js" + http + R"js(${allow}`);
  )js",
              settings);
  std::sort(console.begin(), console.end());
  EXPECT_EQ(console, (std::vector<std::string>{
                         "open secure=false, read x, close", "open secure=true, read x, close",
                         "open secure=true, read x, close", "open secure=true, read x, close"}));
}

TEST(TCPConnectionTlsTest, UntrustedAndWrongHostCertificatesFailAtStageTls) {
  TestCertificates certificates;
  ReferenceServer server({"--tls-cert", certificates.Path("wrong-host.pem"), "--tls-key",
                          certificates.Path("wrong-host.key"), "--tls-port", "0"});
  std::string https = std::to_string(server.tls_port());
  std::string script = std::string(kTraceScript) + "trace('https://127.0.0.1:" + https + "/echo');";
  PageSettings trusted;
  trusted.ca_file = certificates.Path("ca.pem");
  std::vector<std::string> wrong_host = RunPage("https://127.0.0.1:" + https, script, trusted);
  ASSERT_EQ(wrong_host.size(), 2u);
  EXPECT_NE(wrong_host[0].find("failed: tls: certificate verification failed: IP address mismatch"),
            std::string::npos)
      << wrong_host[0];
  EXPECT_EQ(wrong_host[1], "error, close");

  std::vector<std::string> untrusted = RunPage("https://127.0.0.1:" + https, script);
  ASSERT_EQ(untrusted.size(), 2u);
  EXPECT_NE(untrusted[0].find("failed: tls: certificate verification failed"), std::string::npos)
      << untrusted[0];
}

TEST(TCPConnectionTlsTest, A426ServerIsUpgradedOnlyWhenSecureWasAsked) {
  TestCertificates certificates;
  ReferenceServer server({"--tls-cert", certificates.Path("server.pem"), "--tls-key",
                          certificates.Path("server.key"), "--require-tls-upgrade"});
  std::string origin = "http://127.0.0.1:" + std::to_string(server.port());
  PageSettings settings;
  settings.ca_file = certificates.Path("ca.pem");
  std::vector<std::string> console = RunPage(origin, std::string(kTraceScript) + R"js(
    trace('/echo', {secure: true});
  )js",
                                             settings);
  EXPECT_EQ(console, std::vector<std::string>{"open secure=true, read x, close"});
  console = RunPage(origin, std::string(kTraceScript) + "trace('/echo');", settings);
  ASSERT_EQ(console.size(), 2u);
  EXPECT_NE(console[0].find("failed: handshake:"), std::string::npos) << console[0];
  EXPECT_NE(console[0].find("426"), std::string::npos) << console[0];
}

}  // namespace
}  // namespace switchboard
