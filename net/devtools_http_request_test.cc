#include "net/devtools_http_request.h"

#include <gtest/gtest.h>

namespace switchboard {
namespace {

TEST(DevToolsHttpRequest, ParsesAnUpgrade) {
  std::string head =
      "GET /0f8e HTTP/1.1\r\nHost: 127.0.0.1:9229\r\nUpgrade: websocket\r\n"
      "Connection: keep-alive, Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
      "Sec-WebSocket-Version: 13\r\n\r\n";
  ASSERT_EQ(FindHttpHeadEnd(head + "rest"), head.size());
  auto request = ParseDevToolsHttpRequest(head);
  ASSERT_TRUE(request.ok()) << request.error();
  EXPECT_EQ(request.value().method, "GET");
  EXPECT_EQ(request.value().target, "/0f8e");
  EXPECT_EQ(request.value().Header("host"), "127.0.0.1:9229");
  EXPECT_TRUE(request.value().IsWebSocketUpgrade());
}

TEST(DevToolsHttpRequest, UpgradeNeedsEveryPart) {
  const std::string base = "GET / HTTP/1.1\r\nHost: localhost\r\n";
  const std::string upgrade = "Upgrade: websocket\r\n";
  const std::string connection = "Connection: Upgrade\r\n";
  const std::string key = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
  const std::string version = "Sec-WebSocket-Version: 13\r\n";
  for (const std::string& head :
       {base + connection + key + version, base + upgrade + key + version,
        base + upgrade + connection + version, base + upgrade + connection + key,
        base + upgrade + connection + key + "Sec-WebSocket-Version: 8\r\n",
        base + upgrade + connection + "Sec-WebSocket-Key: c2hvcnQ=\r\n" + version}) {
    auto request = ParseDevToolsHttpRequest(head + "\r\n");
    ASSERT_TRUE(request.ok());
    EXPECT_FALSE(request.value().IsWebSocketUpgrade()) << head;
  }
}

TEST(DevToolsHttpRequest, RefusesMalformedHeads) {
  for (const char* head :
       {"GET /json\r\n\r\n", "GET  /json HTTP/1.1\r\n\r\n", "GET json HTTP/1.1\r\n\r\n",
        "GET /json HTTP/2\r\n\r\n", "G(T /json HTTP/1.1\r\n\r\n",
        "GET /json HTTP/1.1\r\n: x\r\n\r\n", "GET /json HTTP/1.1\r\nno colon\r\n\r\n",
        "GET /js on HTTP/1.1\r\n\r\n", "GET /json HTTP/1.1\r\nHo st: x\r\n\r\n"}) {
    EXPECT_FALSE(ParseDevToolsHttpRequest(head).ok()) << head;
  }
}

TEST(DevToolsHttpRequest, HostCheckAgainstDnsRebinding) {
  for (const char* allowed :
       {"localhost", "localhost:9229", "LOCALHOST:1", "127.0.0.1", "127.0.0.1:9229", "10.1.2.3:80",
        "[::1]", "[::1]:9229", "[fe80::1]:1"}) {
    EXPECT_TRUE(IsAllowedDevToolsHost(allowed)) << allowed;
  }
  for (const char* refused :
       {"attacker.example", "attacker.example:9229", "localhost.attacker.example",
        "127.0.0.1.nip.io", "127.1", "0x7f.0.0.1", "", ":9229", "localhost:", "localhost:x", "[::1",
        "[::1]x", "[nope]:1", "::1", "127.0.0.1:123456", "localhost:9229@evil"}) {
    EXPECT_FALSE(IsAllowedDevToolsHost(refused)) << refused;
  }
  // Found by fuzz/devtools_http_request_fuzzer: a NUL must not end the address early.
  EXPECT_FALSE(IsAllowedDevToolsHost(std::string("127.0.0.1\0.attacker.example", 27)));
  EXPECT_FALSE(IsAllowedDevToolsHost(std::string("[::\0attacker]", 13)));
  EXPECT_FALSE(IsAllowedDevToolsHost("127.0.0.1 "));
}

TEST(DevToolsHttpRequest, WebSocketAccept) {
  // RFC 6455 §1.3's example.
  EXPECT_EQ(WebSocketAcceptFor("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(DevToolsHttpRequest, JsonQuote) {
  EXPECT_EQ(JsonQuote("a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\n\\u0001\"");
}

}  // namespace
}  // namespace switchboard
