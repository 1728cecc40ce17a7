// NetworkAgent's translation from recorded net log events (net/net_log.md) to CDP Network
// events, with fixed times: exact messages, what is sent only while enabled, and the calls
// DevTools makes.
#include "engine/inspector/network_agent.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/inspector/cdp_test_helpers.h"

namespace switchboard::inspector {
namespace {

using testing::JsonMember;

// An event at `seconds` on both clocks (monotonic 1000 s behind the wall clock).
NetLogEvent Event(NetLogEvent::SourceKind kind, std::uint64_t source, std::string type,
                  double seconds, NetLogParams params = {}) {
  NetLogEvent event;
  event.source_kind = kind;
  event.source = source;
  event.type = std::move(type);
  event.time = std::chrono::steady_clock::time_point(
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(
          std::chrono::duration<double>(seconds)));
  event.wall_time = std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::duration<double>(seconds + 1000)));
  event.params = std::move(params);
  return event;
}

NetLogEvent Connection(std::uint64_t id, std::string type, double seconds,
                       NetLogParams params = {}) {
  return Event(NetLogEvent::SourceKind::kConnection, id, std::move(type), seconds,
               std::move(params));
}

NetLogEvent Load(std::uint64_t id, std::string type, double seconds, NetLogParams params = {}) {
  return Event(NetLogEvent::SourceKind::kLoad, id, std::move(type), seconds, std::move(params));
}

class NetworkAgentTest : public ::testing::Test {
 protected:
  void Enable() {
    std::string response;
    ASSERT_TRUE(agent_.HandleMethod(7, "Network.enable", "{}", response));
    EXPECT_EQ(response, R"({"id":7,"result":{}})");
  }

  std::vector<std::string> events_;
  NetworkAgent agent_{[this](std::string json) { events_.push_back(std::move(json)); }};
};

TEST_F(NetworkAgentTest, AnswersTheNetworkCallsDevToolsMakes) {
  std::string response;
  EXPECT_FALSE(agent_.HandleMethod(1, "Runtime.enable", "{}", response));
  EXPECT_TRUE(response.empty());
  EXPECT_TRUE(agent_.HandleMethod(2, "Network.enable", R"({"maxPostDataSize":65536})", response));
  EXPECT_EQ(response, R"({"id":2,"result":{}})");
  EXPECT_TRUE(agent_.enabled());
  EXPECT_TRUE(
      agent_.HandleMethod(3, "Network.setCacheDisabled", R"({"cacheDisabled":true})", response));
  EXPECT_EQ(response, R"({"id":3,"result":{}})");
  EXPECT_TRUE(
      agent_.HandleMethod(4, "Network.getResponseBody", R"({"requestId":"load-1"})", response));
  EXPECT_EQ(
      response,
      R"({"id":4,"error":{"code":-32000,"message":"No data found for resource with given identifier"}})");
  EXPECT_TRUE(agent_.HandleMethod(5, "Network.emulateNetworkConditions", "{}", response));
  EXPECT_EQ(
      response,
      R"({"id":5,"error":{"code":-32601,"message":"'Network.emulateNetworkConditions' wasn't found"}})");
  EXPECT_TRUE(agent_.HandleMethod(6, "Network.disable", "{}", response));
  EXPECT_EQ(response, R"({"id":6,"result":{}})");
  EXPECT_FALSE(agent_.enabled());
  EXPECT_TRUE(events_.empty());
}

TEST_F(NetworkAgentTest, NothingIsSentWhileDisabledNorForAConnectionAnnouncedBeforeEnable) {
  agent_.OnNetLogEvent(
      Connection(1, "connection_start", 1, NetLogParams().Add("url", "tcp://example.test/")));
  Enable();
  agent_.OnNetLogEvent(Connection(1, "frame_sent", 2, NetLogParams().Add("bytes", 3)));
  agent_.OnNetLogEvent(Connection(1, "close", 3, NetLogParams().Add("clean", true)));
  EXPECT_TRUE(events_.empty());
}

TEST_F(NetworkAgentTest, AConnectionBecomesWebSocketEvents) {
  Enable();
  std::string request =
      "OPTIONS /echo HTTP/1.1\r\nHost: example.test\r\nUpgrade: TCPConnection/1.0\r\n"
      "Connection: Upgrade\r\nOrigin: http://example.test\r\nCookie: a=1\r\n\r\n";
  std::string response =
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: TCPConnection/1.0\r\nConnection: Upgrade\r\n"
      "\r\n";
  agent_.OnNetLogEvent(Connection(3, "connection_start", 1.5,
                                  NetLogParams().Add("url", "http://example.test/echo")));
  agent_.OnNetLogEvent(Connection(3, "handshake_request", 2,
                                  NetLogParams()
                                      .Add("purpose", "tcpconnection")
                                      .Add("headers", SplitHeadLines(request, true))
                                      .AddContent("text", request)));
  agent_.OnNetLogEvent(Connection(3, "handshake_response", 2.25,
                                  NetLogParams()
                                      .Add("complete", true)
                                      .Add("status", 101)
                                      .Add("headers", SplitHeadLines(response, true))
                                      .AddContent("text", response)));
  agent_.OnNetLogEvent(
      Connection(3, "frame_sent", 3, NetLogParams().Add("bytes", 7).AddContent("text", "hello")));
  agent_.OnNetLogEvent(Connection(3, "frame_received", 3.5,
                                  NetLogParams().Add("bytes", 7).AddContent("text", "h\"i\n")));
  agent_.OnNetLogEvent(Connection(3, "close", 4,
                                  NetLogParams()
                                      .Add("clean", false)
                                      .Add("stage", "disconnect")
                                      .Add("reason", "connection reset by peer")));
  EXPECT_EQ(
      events_,
      (std::vector<std::string>{
          R"({"method":"Network.webSocketCreated","params":{"requestId":"connection-3","url":"http://example.test/echo","initiator":{"type":"script"}}})",
          R"({"method":"Network.webSocketWillSendHandshakeRequest","params":{"requestId":"connection-3","timestamp":2.000000,"wallTime":1002.000000,"request":{"headers":{"Host":"example.test","Upgrade":"TCPConnection/1.0","Connection":"Upgrade","Origin":"http://example.test","Cookie":"a=1"}}}})",
          R"({"method":"Network.webSocketHandshakeResponseReceived","params":{"requestId":"connection-3","timestamp":2.250000,"response":{"status":101,"statusText":"Switching Protocols","headers":{"Upgrade":"TCPConnection/1.0","Connection":"Upgrade"},"headersText":"HTTP/1.1 101 Switching Protocols\r\nUpgrade: TCPConnection/1.0\r\nConnection: Upgrade\r\n\r\n","requestHeaders":{"Host":"example.test","Upgrade":"TCPConnection/1.0","Connection":"Upgrade","Origin":"http://example.test","Cookie":"a=1"},"requestHeadersText":"OPTIONS /echo HTTP/1.1\r\nHost: example.test\r\nUpgrade: TCPConnection/1.0\r\nConnection: Upgrade\r\nOrigin: http://example.test\r\nCookie: a=1\r\n\r\n"}}})",
          R"({"method":"Network.webSocketFrameSent","params":{"requestId":"connection-3","timestamp":3.000000,"response":{"opcode":1,"mask":false,"payloadData":"hello"}}})",
          R"({"method":"Network.webSocketFrameReceived","params":{"requestId":"connection-3","timestamp":3.500000,"response":{"opcode":1,"mask":false,"payloadData":"h\"i\n"}}})",
          R"({"method":"Network.webSocketFrameError","params":{"requestId":"connection-3","timestamp":4.000000,"errorMessage":"disconnect: connection reset by peer"}})",
          R"({"method":"Network.webSocketClosed","params":{"requestId":"connection-3","timestamp":4.000000}})",
      }));
}

// Without captured contents (a subscriber that did not ask) the masked lines are what there
// is, and frames carry no text.
TEST_F(NetworkAgentTest, WithoutContentsTheMaskedLinesAreUsed) {
  Enable();
  agent_.OnNetLogEvent(Connection(1, "connection_start", 1, NetLogParams().Add("url", "/x")));
  agent_.OnNetLogEvent(Connection(
      1, "handshake_request", 1,
      NetLogParams()
          .Add("purpose", "tcpconnection")
          .Add("headers", SplitHeadLines("OPTIONS /x HTTP/1.1\r\nCookie: a=1\r\n\r\n", true))));
  agent_.OnNetLogEvent(Connection(1, "frame_sent", 2, NetLogParams().Add("bytes", 4)));
  ASSERT_EQ(events_.size(), 3u);
  EXPECT_EQ(JsonMember(events_[1], "request"), R"({"headers":{"Cookie":"a=<masked>"}})");
  EXPECT_EQ(JsonMember(events_[2], "payloadData"), R"("")");
}

// §4.3: the RFC 2817 upgrade's OPTIONS and 101 are not the TCPConnection handshake.
TEST_F(NetworkAgentTest, TheTlsUpgradeHandshakeIsNotShown) {
  Enable();
  agent_.OnNetLogEvent(Connection(1, "connection_start", 1, NetLogParams().Add("url", "/x")));
  agent_.OnNetLogEvent(
      Connection(1, "handshake_request", 1,
                 NetLogParams()
                     .Add("purpose", "tls_upgrade")
                     .Add("headers", std::vector<std::string>{"OPTIONS * HTTP/1.1"})));
  agent_.OnNetLogEvent(
      Connection(1, "handshake_response", 1,
                 NetLogParams()
                     .Add("status", 101)
                     .Add("headers", std::vector<std::string>{"HTTP/1.1 101 OK"})));
  agent_.OnNetLogEvent(Connection(1, "close", 2, NetLogParams().Add("clean", true)));
  ASSERT_EQ(events_.size(), 2u);
  EXPECT_EQ(JsonMember(events_[0], "method"), R"("Network.webSocketCreated")");
  EXPECT_EQ(JsonMember(events_[1], "method"), R"("Network.webSocketClosed")");
}

TEST_F(NetworkAgentTest, ALoadBecomesARequestWithTiming) {
  Enable();
  std::string request = "GET /page.html HTTP/1.1\r\nHost: example.test\r\nAccept: */*\r\n\r\n";
  std::string response =
      "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 5\r\n\r\n";
  agent_.OnNetLogEvent(Load(
      1, "load_start", 10,
      NetLogParams().Add("url", "http://example.test/page.html").Add("destination", "document")));
  agent_.OnNetLogEvent(Load(1, "resolve_start", 10.001));
  agent_.OnNetLogEvent(Load(1, "resolve_end", 10.003));
  agent_.OnNetLogEvent(Load(1, "http_transfer_start", 10.004));
  agent_.OnNetLogEvent(Load(
      1, "http_request", 10.006,
      NetLogParams().Add("headers", SplitHeadLines(request, true)).AddContent("text", request)));
  agent_.OnNetLogEvent(Load(1, "http_response", 10.010,
                            NetLogParams()
                                .Add("status", 200)
                                .Add("headers", SplitHeadLines(response, true))
                                .AddContent("text", response)));
  agent_.OnNetLogEvent(Load(1, "http_transfer_end", 10.011,
                            NetLogParams()
                                .Add("ok", true)
                                .Add("address", "192.0.2.1")
                                .Add("port", 80)
                                .Add("connect_ms", 1.0)
                                .Add("tls_ms", 0.0)
                                .Add("request_sent_ms", 2.0)
                                .Add("first_byte_ms", 5.0)
                                .Add("header_bytes", 80)));
  agent_.OnNetLogEvent(
      Load(1, "load_end", 10.012,
           NetLogParams().Add("ok", true).Add("status", 200).Add("body_bytes", 5)));
  EXPECT_EQ(
      events_,
      (std::vector<std::string>{
          R"({"method":"Network.requestWillBeSent","params":{"requestId":"load-1","loaderId":"loader-1","documentURL":"http://example.test/page.html","request":{"url":"http://example.test/page.html","method":"GET","headers":{"Host":"example.test","Accept":"*/*"},"initialPriority":"VeryHigh","referrerPolicy":"strict-origin-when-cross-origin"},"timestamp":10.000000,"wallTime":1010.000000,"initiator":{"type":"other"},"redirectHasExtraInfo":false,"type":"Document"}})",
          R"({"method":"Network.responseReceived","params":{"requestId":"load-1","loaderId":"loader-1","timestamp":10.012000,"type":"Document","response":{"url":"http://example.test/page.html","status":200,"statusText":"OK","headers":{"Content-Type":"text/html; charset=utf-8","Content-Length":"5"},"headersText":"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 5\r\n\r\n","mimeType":"text/html","charset":"utf-8","requestHeaders":{"Host":"example.test","Accept":"*/*"},"requestHeadersText":"GET /page.html HTTP/1.1\r\nHost: example.test\r\nAccept: */*\r\n\r\n","connectionReused":false,"connectionId":0,"remoteIPAddress":"192.0.2.1","remotePort":80,"encodedDataLength":80,"timing":{"requestTime":10.000000,"proxyStart":-1.000000,"proxyEnd":-1.000000,"dnsStart":1.000000,"dnsEnd":3.000000,"connectStart":4.000000,"connectEnd":5.000000,"sslStart":-1.000000,"sslEnd":-1.000000,"workerStart":-1.000000,"workerReady":-1.000000,"workerFetchStart":-1.000000,"workerRespondWithSettled":-1.000000,"sendStart":5.000000,"sendEnd":6.000000,"pushStart":0.000000,"pushEnd":0.000000,"receiveHeadersStart":9.000000,"receiveHeadersEnd":10.000000},"protocol":"http/1.1","securityState":"insecure"},"hasExtraInfo":false}})",
          R"({"method":"Network.loadingFinished","params":{"requestId":"load-1","timestamp":10.012000,"encodedDataLength":85}})",
      }));
}

// The Response tab: a finished load's body (net log content) through Network.getResponseBody,
// text as it is, other bytes in base64; nothing for a TCPConnection or an unknown id.
TEST_F(NetworkAgentTest, GetResponseBodyGivesAFinishedLoadsBody) {
  Enable();
  auto finish = [&](std::uint64_t id, std::string url, std::string body) {
    agent_.OnNetLogEvent(
        Load(id, "load_start", 1, NetLogParams().Add("url", url).Add("destination", "script")));
    agent_.OnNetLogEvent(Load(id, "load_end", 2,
                              NetLogParams()
                                  .Add("ok", true)
                                  .Add("status", 200)
                                  .Add("body_bytes", body.size())
                                  .AddContent("body", body)));
  };
  finish(1, "http://example.test/a.js", "console.log(\"é\");\n");
  finish(2, "http://example.test/b.bin", std::string("\xff\x00\x01", 3));
  std::string response;
  ASSERT_TRUE(
      agent_.HandleMethod(8, "Network.getResponseBody", R"({"requestId":"load-1"})", response));
  EXPECT_EQ(response,
            R"({"id":8,"result":{"body":"console.log(\"é\");\n","base64Encoded":false}})");
  // Escapes in the id are decoded ("load-2" written with \u escapes), whitespace is allowed.
  ASSERT_TRUE(agent_.HandleMethod(9, "Network.getResponseBody",
                                  R"({ "requestId" : "\u006coad-\u0032" })", response));
  EXPECT_EQ(response, R"({"id":9,"result":{"body":"/wAB","base64Encoded":true}})");
  for (const char* params :
       {R"({"requestId":"load-3"})", R"({"requestId":"connection-1"})", R"({"requestId":7})",
        R"({"other":"\"requestId\":\"load-1\""})", "{}", R"({"requestId":"unterminated)"}) {
    ASSERT_TRUE(agent_.HandleMethod(10, "Network.getResponseBody", params, response));
    EXPECT_EQ(
        response,
        R"({"id":10,"error":{"code":-32000,"message":"No data found for resource with given identifier"}})")
        << params;
  }
}

// A load that failed before sending anything is still shown, with its stage and error; a
// script's initiator is the document.
TEST_F(NetworkAgentTest, AFailedLoadIsLoadingFailed) {
  Enable();
  agent_.SetFrameId("frame-7");
  agent_.OnNetLogEvent(
      Load(1, "load_start", 1,
           NetLogParams().Add("url", "http://example.test/").Add("destination", "document")));
  agent_.OnNetLogEvent(
      Load(2, "load_start", 2,
           NetLogParams().Add("url", "http://nowhere.test/a.js").Add("destination", "script")));
  agent_.OnNetLogEvent(Load(2, "load_end", 3,
                            NetLogParams()
                                .Add("ok", false)
                                .Add("stage", "dns")
                                .Add("error", "nowhere.test: Domain name not found")));
  ASSERT_EQ(events_.size(), 2u);
  EXPECT_EQ(JsonMember(events_[0], "initiator"),
            R"({"type":"parser","url":"http://example.test/"})");
  EXPECT_EQ(JsonMember(events_[0], "frameId"), R"("frame-7")");
  EXPECT_EQ(
      events_[1],
      R"({"method":"Network.loadingFailed","params":{"requestId":"load-2","timestamp":3.000000,"type":"Script","errorText":"dns: nowhere.test: Domain name not found","canceled":false}})");
}

// A redirect: the next hop is the same request again (same requestId), announced with the
// response that redirected it, as Chromium does.
TEST_F(NetworkAgentTest, ARedirectIsTheSameRequestAnnouncedAgainWithItsRedirectResponse) {
  Enable();
  agent_.OnNetLogEvent(
      Load(4, "load_start", 1,
           NetLogParams().Add("url", "http://example.test/old.js").Add("destination", "script")));
  agent_.OnNetLogEvent(
      Load(4, "http_request", 2,
           NetLogParams().Add("headers", std::vector<std::string>{"GET /old.js HTTP/1.1"})));
  agent_.OnNetLogEvent(Load(
      4, "http_response", 3,
      NetLogParams()
          .Add("status", 301)
          .Add("headers", std::vector<std::string>{"HTTP/1.1 301 Moved", "Location: /new.js"})));
  agent_.OnNetLogEvent(
      Load(4, "redirect", 4,
           NetLogParams().Add("status", 301).Add("location", "http://example.test/new.js")));
  agent_.OnNetLogEvent(
      Load(4, "http_request", 5,
           NetLogParams().Add("headers", std::vector<std::string>{"GET /new.js HTTP/1.1"})));
  agent_.OnNetLogEvent(Load(4, "http_response", 6,
                            NetLogParams()
                                .Add("status", 200)
                                .Add("headers", std::vector<std::string>{"HTTP/1.1 200 OK"})));
  agent_.OnNetLogEvent(Load(4, "load_end", 7, NetLogParams().Add("ok", true).Add("body_bytes", 3)));
  ASSERT_EQ(events_.size(), 4u);
  EXPECT_EQ(JsonMember(events_[0], "redirectResponse"), "");
  EXPECT_EQ(JsonMember(events_[1], "method"), R"("Network.requestWillBeSent")");
  EXPECT_EQ(JsonMember(events_[1], "requestId"), R"("load-4")");
  EXPECT_EQ(
      JsonMember(events_[1], "request"),
      R"({"url":"http://example.test/new.js","method":"GET","headers":{},"initialPriority":"High","referrerPolicy":"strict-origin-when-cross-origin"})");
  EXPECT_EQ(JsonMember(events_[1], "timestamp"), "5.000000");
  EXPECT_EQ(
      JsonMember(events_[1], "redirectResponse"),
      R"({"url":"http://example.test/old.js","status":301,"statusText":"Moved","headers":{"Location":"/new.js"},"mimeType":"","charset":"","connectionReused":false,"connectionId":0,"encodedDataLength":0,"securityState":"unknown"})");
  EXPECT_EQ(JsonMember(events_[2], "url"), R"("http://example.test/new.js")");
  EXPECT_EQ(JsonMember(events_[2], "status"), "200");
  EXPECT_EQ(JsonMember(events_[3], "method"), R"("Network.loadingFinished")");
}

}  // namespace
}  // namespace switchboard::inspector
