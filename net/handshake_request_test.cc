// Tests of the handshake's requests: spec §4.1 (request bytes) and §4.3 (the TLS upgrade
// request). The response's tests are in handshake_response_test.cc and
// handshake_response_bytes_test.cc.
#include "net/handshake.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "net/request_headers.h"
#include "net/url.h"

namespace switchboard {
namespace {

using namespace std::string_literals;

// --- §4.1: the request --------------------------------------------------------------------------

TEST(BuildHandshakeRequestTest, SeedExampleBytes) {
  Result<std::string> request =
      BuildHandshakeRequest({"/some/url", "example.com", "http://example.com", ""});
  ASSERT_TRUE(request.ok()) << request.error().message;
  EXPECT_EQ(request.value(),
            "OPTIONS /some/url HTTP/1.1\r\n"
            "Host: example.com\r\n"
            "Upgrade: TCPConnection/1.0\r\n"
            "Connection: Upgrade\r\n"
            "Origin: http://example.com\r\n"
            "\r\n");
}

TEST(BuildHandshakeRequestTest, CookieLineOnlyWhenThereAreCookies) {
  Result<std::string> request =
      BuildHandshakeRequest({"/chat?room=1", "example.com:8080", "null", "sid=abc; theme=dark"});
  ASSERT_TRUE(request.ok()) << request.error().message;
  EXPECT_EQ(request.value(),
            "OPTIONS /chat?room=1 HTTP/1.1\r\n"
            "Host: example.com:8080\r\n"
            "Upgrade: TCPConnection/1.0\r\n"
            "Connection: Upgrade\r\n"
            "Origin: null\r\n"
            "Cookie: sid=abc; theme=dark\r\n"
            "\r\n");
}

TEST(BuildHandshakeRequestTest, FromAParsedUrl) {
  const UrlResult url = ParseConnectionUrl("/a b\r\nHost: evil?x", "http://[::1]:8080/page");
  ASSERT_TRUE(url.ok());
  const Origin document = OriginOfDocumentUrl("http://example.com/page");
  Result<std::string> request = BuildHandshakeRequest(
      {url.value().request_target, url.value().HostHeader(), document.Serialize(), ""});
  ASSERT_TRUE(request.ok()) << request.error().message;
  EXPECT_EQ(request.value(),
            "OPTIONS /a%20bHost:%20evil?x HTTP/1.1\r\n"
            "Host: [::1]:8080\r\n"
            "Upgrade: TCPConnection/1.0\r\n"
            "Connection: Upgrade\r\n"
            "Origin: http://example.com\r\n"
            "\r\n");
}

TEST(BuildHandshakeRequestTest, RefusesFieldsThatCouldBreakTheRequest) {
  const HandshakeRequest good = {"/x", "example.com", "http://example.com", "a=b"};
  ASSERT_TRUE(BuildHandshakeRequest(good).ok());
  const auto expect_refused = [](HandshakeRequest request) {
    Result<std::string> built = BuildHandshakeRequest(request);
    ASSERT_FALSE(built.ok());
    EXPECT_EQ(built.error().stage, Stage::kHandshake);
  };
  for (std::string target :
       std::vector<std::string>{"", "x", "/a b", "/a\r\nb", "/\xC3\xA9", "/a\0"s, "/#", "/a\x7F"}) {
    HandshakeRequest request = good;
    request.request_target = target;
    expect_refused(request);
  }
  for (std::string host :
       {"", "exa mple.com", "example.com\r\nX: y", "a/b", "a@b", "a\"b", "a{b}", "a`b"}) {
    HandshakeRequest request = good;
    request.host = host;
    expect_refused(request);
  }
  // RFC 3986 reg-names that URLs allow too (issue 15: "a!b.com" is a valid host).
  for (std::string host : {"a!b.com", "a&b", "a~b_c", "a'b(c)*+,;=$", "[::1]:8080"}) {
    HandshakeRequest request = good;
    request.host = host;
    EXPECT_TRUE(BuildHandshakeRequest(request).ok()) << host;
  }
  for (std::string origin : {"", "http://a b", "http://a\r\nX: y", "http://\xC3\xA9"}) {
    HandshakeRequest request = good;
    request.origin = origin;
    expect_refused(request);
  }
  for (std::string cookie : std::vector<std::string>{"a=b\r\nX: y", "a=b\n", "a\0b"s, "\x7F"}) {
    HandshakeRequest request = good;
    request.cookie = cookie;
    expect_refused(request);
  }
}

// Issue 18: the embedder's fields follow the §4.1 ones, in order; a field that
// ExtraHeadersError() refuses fails the request with Stage::kPolicy, nothing written.
TEST(BuildHandshakeRequestTest, ExtraFieldsFollowCookie) {
  HandshakeRequest request = {"/x", "example.com", "http://example.com", "a=b"};
  request.extra_headers = {{"X-Embedder", "yes"}, {"Authorization", "Bearer t"}, {"X-Empty", ""}};
  Result<std::string> built = BuildHandshakeRequest(request);
  ASSERT_TRUE(built.ok()) << built.error().message;
  EXPECT_EQ(built.value(),
            "OPTIONS /x HTTP/1.1\r\n"
            "Host: example.com\r\n"
            "Upgrade: TCPConnection/1.0\r\n"
            "Connection: Upgrade\r\n"
            "Origin: http://example.com\r\n"
            "Cookie: a=b\r\n"
            "X-Embedder: yes\r\n"
            "Authorization: Bearer t\r\n"
            "X-Empty: \r\n"
            "\r\n");
}

TEST(BuildHandshakeRequestTest, RefusesExtraFieldsThatCouldBreakTheRequest) {
  const std::vector<HeaderField> refused = {
      {"X-A", "1\r\nX-Injected: 1"},
      {"X-A", "1\n"},
      {"X-A", "a\0b"s},
      {"X-A", "\x7F"},
      {"X-A", " lead"},
      {"X-A", "trail\t"},
      {"", "v"},
      {"X A", "v"},
      {"X:A", "v"},
      {"X-A\r\nX-B", "v"},
      {"Host", "evil"},
      {"upgrade", "h2c"},
      {"CONNECTION", "close"},
      {"Content-Length", "5"},
      {"Transfer-Encoding", "chunked"},
      {"Origin", "http://evil"},
      {"Cookie", "a=b"},
      {"TE", "trailers"},
      {"Expect", "100-continue"},
      {"X-Long", std::string(kMaxExtraHeaderValueBytes + 1, 'a')},
      {std::string(kMaxExtraHeaderNameBytes + 1, 'a'), "v"}};
  for (const HeaderField& field : refused) {
    HandshakeRequest request = {"/x", "example.com", "http://example.com", ""};
    request.extra_headers = {field};
    Result<std::string> built = BuildHandshakeRequest(request);
    ASSERT_FALSE(built.ok()) << field.name;
    EXPECT_EQ(built.error().stage, Stage::kPolicy);
    EXPECT_EQ(built.error().message, ExtraHeaderError(field).value_or("accepted")) << field.name;
  }
  HandshakeRequest too_many = {"/x", "example.com", "http://example.com", ""};
  too_many.extra_headers.assign(kMaxExtraHeaders + 1, HeaderField{"X-A", "1"});
  EXPECT_FALSE(BuildHandshakeRequest(too_many).ok());
  too_many.extra_headers.resize(kMaxExtraHeaders);
  EXPECT_TRUE(BuildHandshakeRequest(too_many).ok());
  // Control bytes are quoted in the reason, so that it cannot forge a console line either.
  EXPECT_EQ(ExtraHeaderError({"X-A", "1\r\nX-Injected: 1"}).value_or(""),
            "the value of request header 'X-A' holds a control byte: '1\\x0D\\x0AX-Injected: 1'");
}

// --- §4.3: the TLS upgrade request --------------------------------------------------------------

TEST(BuildTlsUpgradeRequestTest, SeedExampleBytes) {
  Result<std::string> request = BuildTlsUpgradeRequest("/some/url", "example.com");
  ASSERT_TRUE(request.ok()) << request.error().message;
  EXPECT_EQ(request.value(),
            "OPTIONS /some/url HTTP/1.1\r\n"
            "Host: example.com\r\n"
            "Upgrade: TLS/1.0\r\n"
            "Connection: Upgrade\r\n"
            "\r\n");
}

TEST(BuildTlsUpgradeRequestTest, RefusesUnsafeFields) {
  EXPECT_FALSE(BuildTlsUpgradeRequest("/a b", "example.com").ok());
  EXPECT_FALSE(BuildTlsUpgradeRequest("/", "example.com\r\n").ok());
  EXPECT_FALSE(BuildTlsUpgradeRequest("/", "").ok());
}

}  // namespace
}  // namespace switchboard
