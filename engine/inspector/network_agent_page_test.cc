// The Network domain end to end: a real page in-process against the real reference server
// (build/bin/switchboard-server on a run-time port), its net log relayed to a NetworkAgent
// that DevTools enabled — the exact CDP events of a page load with its <script src>, a
// TCPConnection echo, a failing connection and a failed load.
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/inspector/cdp_test_helpers.h"
#include "engine/inspector/network_agent.h"
#include "engine/net_log_relay.h"
#include "engine/page.h"
#include "engine/page_loader.h"
#include "engine/resource_loader.h"
#include "engine/testing/v8_test_environment.h"
#include "net/testing/test_servers.h"

namespace switchboard::inspector {
namespace {

const auto* const kV8Environment =
    ::testing::AddGlobalTestEnvironment(new switchboard::testing::V8TestEnvironment);

using switchboard::testing::ReferenceServer;
using testing::JsonMember;
using testing::Normalized;

// A DevTools session's Network domain, enabled, fed by a page's relay.
struct Session {
  Session() {
    std::string response;
    EXPECT_TRUE(agent.HandleMethod(1, "Network.enable", "{}", response));
    EXPECT_EQ(response, R"({"id":1,"result":{}})");
    settings.net_log_relay =
        NetLogRelay::Create([this](const NetLogEvent& event) { agent.OnNetLogEvent(event); },
                            /*capture_contents=*/true);
  }

  std::vector<std::string> Methods() const {
    std::vector<std::string> methods;
    for (const std::string& event : events) methods.push_back(JsonMember(event, "method"));
    return methods;
  }
  // The events of `method` (all when empty), normalized (cdp_test_helpers.h).
  std::vector<std::string> Of(std::string_view method, int port) const {
    std::vector<std::string> found;
    for (const std::string& event : events) {
      if (method.empty() || JsonMember(event, "method") == "\"" + std::string(method) + "\"") {
        found.push_back(Normalized(event, port));
      }
    }
    return found;
  }

  std::vector<std::string> events;
  NetworkAgent agent{[this](std::string json) { events.push_back(std::move(json)); }};
  PageSettings settings;
  std::vector<std::string> console;
};

// Loads `url` as Page::Load does (the document through the service the page goes on using),
// runs its scripts and the page until idle.
void LoadPage(Session& session, const std::string& url) {
  PageUrl page_url = PageUrl::Parse(url).value();
  auto cookie_jar = std::make_shared<CookieJar>();
  auto service = std::make_unique<NetworkService>(NetworkSettingsFor(session.settings));
  Result<Resource> document =
      LoadResourceBlocking(*service, page_url, session.settings, cookie_jar);
  ASSERT_TRUE(document.ok()) << document.error().message;
  auto page = std::make_unique<Page>(
      page_url, session.settings,
      [&](bindings::ConsoleLevel, std::string_view line) { session.console.emplace_back(line); },
      [&](std::string_view text) { session.console.emplace_back(text); }, cookie_jar,
      std::move(service));
  RunDocument(*page, document.value());
  page->event_loop().Run();
}

// Runs `script` on a page of `origin` until idle.
void RunScript(Session& session, const std::string& origin, const std::string& script) {
  auto page = std::make_unique<Page>(
      PageUrl::Parse(origin + "/page.html").value(), session.settings,
      [&](bindings::ConsoleLevel, std::string_view line) { session.console.emplace_back(line); },
      [&](std::string_view text) { session.console.emplace_back(text); });
  page->EvaluateScript(script, {"page.js", 0, 0});
  page->event_loop().Run();
}

double Number(const std::string& json, std::string_view key) {
  return std::stod(JsonMember(json, key));
}

const char kRequestHeaders[] =
    R"({"Host":"127.0.0.1:PORT","User-Agent":"Switchboard/0.1","Accept":"*/*","Accept-Encoding":"deflate, gzip, br, zstd"})";

std::string RequestHeadersText(std::string_view path) {
  return "GET " + std::string(path) +
         R"( HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\nUser-Agent: Switchboard/0.1\r\nAccept: */*\r\nAccept-Encoding: deflate, gzip, br, zstd\r\n\r\n)";
}

// The times the net log gave, in the order a load goes through them (ms since requestTime;
// -1, what did not happen, skipped: the script's request reuses the document's connection).
void ExpectTimingInOrder(const std::string& response_received) {
  std::string timing = JsonMember(response_received, "timing");
  EXPECT_GT(Number(timing, "requestTime"), 0);
  double previous = 0;
  for (std::string_view key : {"dnsStart", "dnsEnd", "connectStart", "connectEnd", "sendStart",
                               "sendEnd", "receiveHeadersStart", "receiveHeadersEnd"}) {
    double value = Number(timing, key);
    if (value == -1) continue;
    EXPECT_GE(value, previous) << key << " in " << timing;
    previous = value;
  }
  EXPECT_EQ(Number(timing, "sslStart"), -1);
}

TEST(NetworkAgentPageTest, APageLoadAndItsScriptAreRequestsWithTiming) {
  ReferenceServer server;
  ASSERT_GT(server.port(), 0) << "switchboard-server did not start";
  std::string origin = "http://127.0.0.1:" + std::to_string(server.port());
  Session session;
  LoadPage(session, origin + "/inspector/network.html");
  EXPECT_EQ(session.console, std::vector<std::string>{"network.js ran"});

  ASSERT_EQ(
      session.Methods(),
      (std::vector<std::string>{R"("Network.requestWillBeSent")", R"("Network.responseReceived")",
                                R"("Network.loadingFinished")", R"("Network.requestWillBeSent")",
                                R"("Network.responseReceived")", R"("Network.loadingFinished")"}));
  std::vector<std::string> events;
  for (const std::string& event : session.events) {
    events.push_back(Normalized(event, server.port()));
  }
  const std::string page = "http://127.0.0.1:PORT/inspector/network.html";
  const std::string script = "http://127.0.0.1:PORT/inspector/network.js";
  EXPECT_EQ(
      events[0],
      R"({"method":"Network.requestWillBeSent","params":{"requestId":"load-1","loaderId":"loader-1","documentURL":")" +
          page + R"(","request":{"url":")" + page + R"(","method":"GET","headers":)" +
          kRequestHeaders +
          R"(,"initialPriority":"VeryHigh","referrerPolicy":"strict-origin-when-cross-origin"},"timestamp":T,"wallTime":T,"initiator":{"type":"other"},"redirectHasExtraInfo":false,"type":"Document"}})");
  EXPECT_EQ(
      JsonMember(events[1], "response"),
      R"({"url":")" + page +
          R"(","status":200,"statusText":"OK","headers":{"Cache-Control":"no-store","Content-Type":"text/html; charset=utf-8","Content-Length":"81"},"headersText":"HTTP/1.1 200 OK\r\nCache-Control: no-store\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 81\r\n\r\n","mimeType":"text/html","charset":"utf-8","requestHeaders":)" +
          kRequestHeaders + R"(,"requestHeadersText":")" +
          RequestHeadersText("/inspector/network.html") +
          R"(","connectionReused":false,"connectionId":0,"remoteIPAddress":"127.0.0.1","remotePort":PORT,"encodedDataLength":104,"timing":{"requestTime":T,"proxyStart":-1.000000,"proxyEnd":-1.000000,"dnsStart":T,"dnsEnd":T,"connectStart":T,"connectEnd":T,"sslStart":T,"sslEnd":T,"workerStart":-1.000000,"workerReady":-1.000000,"workerFetchStart":-1.000000,"workerRespondWithSettled":-1.000000,"sendStart":T,"sendEnd":T,"pushStart":0.000000,"pushEnd":0.000000,"receiveHeadersStart":T,"receiveHeadersEnd":T},"protocol":"http/1.1","securityState":"insecure"})");
  EXPECT_EQ(
      events[2],
      R"({"method":"Network.loadingFinished","params":{"requestId":"load-1","timestamp":T,"encodedDataLength":185}})");
  EXPECT_EQ(
      events[3],
      R"({"method":"Network.requestWillBeSent","params":{"requestId":"load-2","loaderId":"loader-1","documentURL":")" +
          page + R"(","request":{"url":")" + script + R"(","method":"GET","headers":)" +
          kRequestHeaders +
          R"(,"initialPriority":"High","referrerPolicy":"strict-origin-when-cross-origin"},"timestamp":T,"wallTime":T,"initiator":{"type":"parser","url":")" +
          page + R"("},"redirectHasExtraInfo":false,"type":"Script"}})");
  EXPECT_EQ(
      JsonMember(events[4], "headersText"),
      R"("HTTP/1.1 200 OK\r\nCache-Control: no-store\r\nContent-Type: text/javascript; charset=utf-8\r\nContent-Length: 31\r\n\r\n")");
  EXPECT_EQ(JsonMember(events[4], "mimeType"), R"("text/javascript")");
  EXPECT_EQ(JsonMember(events[4], "charset"), R"("utf-8")");
  EXPECT_EQ(JsonMember(events[4], "type"), R"("Script")");
  EXPECT_EQ(
      events[5],
      R"({"method":"Network.loadingFinished","params":{"requestId":"load-2","timestamp":T,"encodedDataLength":141}})");
  ExpectTimingInOrder(session.events[1]);
  ExpectTimingInOrder(session.events[4]);
  EXPECT_EQ(JsonMember(session.events[1], "connectionReused"), "false");
}

TEST(NetworkAgentPageTest, ATcpConnectionEchoIsAWebSocketWithItsHandshakeAndFrames) {
  ReferenceServer server;
  ASSERT_GT(server.port(), 0) << "switchboard-server did not start";
  std::string origin = "http://127.0.0.1:" + std::to_string(server.port());
  Session session;
  RunScript(session, origin, R"js(
    const connection = new TCPConnection('/echo');
    connection.onopen = () => connection.send('hello');
    let reads = 0;
    connection.onread = () => {
      if (++reads === 1) connection.send('wörld "2"');
      else connection.disconnect();
    };
    connection.onclose = () => console.log('closed');
  )js");
  EXPECT_EQ(session.console, std::vector<std::string>{"closed"});
  const std::string request_headers =
      R"({"Host":"127.0.0.1:PORT","Upgrade":"TCPConnection/1.0","Connection":"Upgrade","Origin":"http://127.0.0.1:PORT"})";
  EXPECT_EQ(
      session.Of("", server.port()),
      (std::vector<std::string>{
          R"({"method":"Network.webSocketCreated","params":{"requestId":"connection-1","url":"http://127.0.0.1:PORT/echo","initiator":{"type":"script"}}})",
          R"({"method":"Network.webSocketWillSendHandshakeRequest","params":{"requestId":"connection-1","timestamp":T,"wallTime":T,"request":{"headers":)" +
              request_headers + "}}}",
          R"({"method":"Network.webSocketHandshakeResponseReceived","params":{"requestId":"connection-1","timestamp":T,"response":{"status":101,"statusText":"Switching Protocols","headers":{"Upgrade":"TCPConnection/1.0","Connection":"Upgrade"},"headersText":"HTTP/1.1 101 Switching Protocols\r\nUpgrade: TCPConnection/1.0\r\nConnection: Upgrade\r\n\r\n","requestHeaders":)" +
              request_headers +
              R"(,"requestHeadersText":"OPTIONS /echo HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\nUpgrade: TCPConnection/1.0\r\nConnection: Upgrade\r\nOrigin: http://127.0.0.1:PORT\r\n\r\n"}}})",
          R"({"method":"Network.webSocketFrameSent","params":{"requestId":"connection-1","timestamp":T,"response":{"opcode":1,"mask":false,"payloadData":"hello"}}})",
          R"({"method":"Network.webSocketFrameReceived","params":{"requestId":"connection-1","timestamp":T,"response":{"opcode":1,"mask":false,"payloadData":"hello"}}})",
          R"({"method":"Network.webSocketFrameSent","params":{"requestId":"connection-1","timestamp":T,"response":{"opcode":1,"mask":false,"payloadData":"wörld \"2\""}}})",
          R"({"method":"Network.webSocketFrameReceived","params":{"requestId":"connection-1","timestamp":T,"response":{"opcode":1,"mask":false,"payloadData":"wörld \"2\""}}})",
          R"({"method":"Network.webSocketClosed","params":{"requestId":"connection-1","timestamp":T}})",
      }));
}

TEST(NetworkAgentPageTest, AFailingConnectionReportsItsStageAndReason) {
  ReferenceServer server;
  ASSERT_GT(server.port(), 0) << "switchboard-server did not start";
  std::string origin = "http://127.0.0.1:" + std::to_string(server.port());
  Session session;
  RunScript(session, origin, R"js(
    const connection = new TCPConnection('/status?code=404');
    connection.onclose = () => console.log('closed');
  )js");
  // The console line of §7 says the same as the frame error.
  ASSERT_EQ(session.console.size(), 2u);
  EXPECT_NE(session.console[0].find("handshake: the server answered with status 404"),
            std::string::npos)
      << session.console[0];
  std::vector<std::string> events = session.Of("", server.port());
  ASSERT_EQ(events.size(), 5u);
  EXPECT_EQ(JsonMember(events[0], "method"), R"("Network.webSocketCreated")");
  EXPECT_EQ(JsonMember(events[1], "method"), R"("Network.webSocketWillSendHandshakeRequest")");
  EXPECT_EQ(
      JsonMember(events[2], "response"),
      R"({"status":404,"statusText":"Not Found","headers":{"Content-Type":"text/plain","Connection":"close","Content-Length":"11"},"headersText":"HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: 11\r\n\r\n","requestHeaders":{"Host":"127.0.0.1:PORT","Upgrade":"TCPConnection/1.0","Connection":"Upgrade","Origin":"http://127.0.0.1:PORT"},"requestHeadersText":"OPTIONS /status?code=404 HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\nUpgrade: TCPConnection/1.0\r\nConnection: Upgrade\r\nOrigin: http://127.0.0.1:PORT\r\n\r\n"})");
  EXPECT_EQ(
      events[3],
      R"({"method":"Network.webSocketFrameError","params":{"requestId":"connection-1","timestamp":T,"errorMessage":"handshake: the server answered with status 404 instead of 101 Switching Protocols"}})");
  EXPECT_EQ(
      events[4],
      R"({"method":"Network.webSocketClosed","params":{"requestId":"connection-1","timestamp":T}})");
}

// Nothing listens: the failure comes before any handshake.
TEST(NetworkAgentPageTest, ARefusedConnectionIsCreatedThenFailsAtConnect) {
  ReferenceServer server;
  ASSERT_GT(server.port(), 0) << "switchboard-server did not start";
  std::string origin = "http://127.0.0.1:" + std::to_string(server.port());
  int refused = switchboard::testing::RefusedPort();
  Session session;
  RunScript(
      session, origin,
      "const connection = new TCPConnection('http://127.0.0.1:" + std::to_string(refused) + "/');");
  std::vector<std::string> events = session.Of("", server.port());
  ASSERT_EQ(events.size(), 3u) << ::testing::PrintToString(session.console);
  EXPECT_EQ(JsonMember(events[0], "method"), R"("Network.webSocketCreated")");
  EXPECT_TRUE(JsonMember(events[1], "errorMessage").starts_with(R"("connect: )")) << events[1];
  EXPECT_EQ(JsonMember(events[2], "method"), R"("Network.webSocketClosed")");
}

TEST(NetworkAgentPageTest, AScriptThatFailsToLoadIsLoadingFailed) {
  ReferenceServer server;
  ASSERT_GT(server.port(), 0) << "switchboard-server did not start";
  std::string origin = "http://127.0.0.1:" + std::to_string(server.port());
  Session session;
  LoadPage(session, origin + "/inspector/missing-script.html");
  ASSERT_EQ(session.console.size(), 1u);
  EXPECT_NE(session.console[0].find("http: status 404"), std::string::npos) << session.console[0];
  std::vector<std::string> events = session.Of("", server.port());
  ASSERT_EQ(events.size(), 6u);
  EXPECT_EQ(JsonMember(events[3], "url"), R"("http://127.0.0.1:PORT/inspector/no-such-script.js")");
  EXPECT_EQ(JsonMember(events[4], "method"), R"("Network.responseReceived")");
  EXPECT_EQ(JsonMember(events[4], "status"), "404");
  EXPECT_EQ(
      events[5],
      R"({"method":"Network.loadingFailed","params":{"requestId":"load-2","timestamp":T,"type":"Script","errorText":"http: status 404","canceled":false}})");
}

// A document on a port where nothing listens: requestWillBeSent, then loadingFailed with the
// stage — no response.
TEST(NetworkAgentPageTest, ADocumentThatCannotBeLoadedIsLoadingFailed) {
  int refused = switchboard::testing::RefusedPort();
  Session session;
  PageUrl url = PageUrl::Parse("http://127.0.0.1:" + std::to_string(refused) + "/").value();
  {
    auto service = std::make_unique<NetworkService>(NetworkSettingsFor(session.settings));
    Result<Resource> document =
        LoadResourceBlocking(*service, url, session.settings, std::make_shared<CookieJar>());
    ASSERT_FALSE(document.ok());
    EXPECT_EQ(document.error().stage, Stage::kConnect);
  }
  // The page that would show it gets the events when it starts (they waited in the relay).
  auto page = std::make_unique<Page>(
      url, session.settings, [](bindings::ConsoleLevel, std::string_view) {},
      [](std::string_view) {});
  page->event_loop().Run();
  std::vector<std::string> events = session.Of("", refused);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(JsonMember(events[0], "method"), R"("Network.requestWillBeSent")");
  EXPECT_EQ(JsonMember(events[0], "headers"), "{}");
  EXPECT_EQ(JsonMember(events[1], "method"), R"("Network.loadingFailed")");
  EXPECT_TRUE(JsonMember(events[1], "errorText").starts_with(R"("connect: )")) << events[1];
}

}  // namespace
}  // namespace switchboard::inspector
