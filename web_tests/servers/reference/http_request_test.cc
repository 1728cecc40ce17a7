#include "web_tests/servers/reference/http_request.h"

#include <gtest/gtest.h>

namespace switchboard::reference_server {
namespace {

using Outcome = HttpRequestParse::Outcome;

constexpr std::string_view kTcpConnectionRequest =
    "OPTIONS /echo?x=1 HTTP/1.1\r\n"
    "Host: 127.0.0.1:8080\r\n"
    "Upgrade: TCPConnection/1.0\r\n"
    "Connection: Upgrade\r\n"
    "Origin: http://127.0.0.1:8080\r\n"
    "\r\n";

TEST(HttpRequestTest, ParsesTheSpecHandshakeRequest) {
  const std::string bytes = std::string(kTcpConnectionRequest) +
                            "\x02"
                            "after\x17";
  const HttpRequestParse parse = ParseHttpRequestHead(bytes, 16384);
  ASSERT_EQ(parse.outcome, Outcome::kComplete);
  EXPECT_EQ(parse.consumed_bytes, kTcpConnectionRequest.size());
  const HttpRequest& request = parse.request;
  EXPECT_EQ(request.method, "OPTIONS");
  EXPECT_EQ(request.target, "/echo?x=1");
  EXPECT_EQ(request.path, "/echo");
  EXPECT_EQ(request.query, "x=1");
  EXPECT_EQ(request.minor_version, 1);
  EXPECT_EQ(request.raw_head, kTcpConnectionRequest);
  ASSERT_EQ(request.headers.size(), 4u);
  EXPECT_EQ(*request.Header("upgrade"), "TCPConnection/1.0");
  EXPECT_TRUE(request.HasToken("Upgrade", "tcpconnection/1.0"));
  EXPECT_TRUE(request.HasToken("CONNECTION", "upgrade"));
  EXPECT_FALSE(request.HasToken("Connection", "close"));
  EXPECT_TRUE(request.KeepAlive());
}

// Style rule 6: every split of the input gives the same result once all bytes are in.
TEST(HttpRequestTest, EverySplitIsIncompleteUntilTheEmptyLine) {
  for (std::size_t split = 0; split < kTcpConnectionRequest.size(); ++split) {
    const HttpRequestParse parse =
        ParseHttpRequestHead(kTcpConnectionRequest.substr(0, split), 16384);
    EXPECT_EQ(parse.outcome, Outcome::kIncomplete) << "split at " << split;
  }
  EXPECT_EQ(ParseHttpRequestHead(kTcpConnectionRequest, 16384).outcome, Outcome::kComplete);
}

TEST(HttpRequestTest, AcceptsBareLineFeedsAndSkipsLeadingEmptyLines) {
  const HttpRequestParse parse =
      ParseHttpRequestHead("\r\n\nGET / HTTP/1.0\nHost: a\n\nrest", 16384);
  ASSERT_EQ(parse.outcome, Outcome::kComplete);
  EXPECT_EQ(parse.consumed_bytes, std::string_view("\r\n\nGET / HTTP/1.0\nHost: a\n\n").size());
  EXPECT_EQ(parse.request.minor_version, 0);
  EXPECT_FALSE(parse.request.KeepAlive());
  EXPECT_EQ(parse.request.raw_head, "GET / HTTP/1.0\nHost: a\n\n");
}

TEST(HttpRequestTest, ConnectionTokensAreCommaSeparatedAndCaseInsensitive) {
  const HttpRequestParse parse = ParseHttpRequestHead(
      "GET / HTTP/1.1\r\nConnection: keep-alive, UPGRADE\r\nConnection: close\r\n\r\n", 16384);
  ASSERT_EQ(parse.outcome, Outcome::kComplete);
  EXPECT_TRUE(parse.request.HasToken("Connection", "upgrade"));
  EXPECT_FALSE(parse.request.HasToken("Connection", "upgrad"));
  EXPECT_FALSE(parse.request.KeepAlive());
}

TEST(HttpRequestTest, TrimsHeaderValuesAndReadsContentLength) {
  const HttpRequestParse parse = ParseHttpRequestHead(
      "POST /x HTTP/1.1\r\nX-A: \t spaced \t\r\nContent-Length: 12\r\n\r\n", 16384);
  ASSERT_EQ(parse.outcome, Outcome::kComplete);
  EXPECT_EQ(*parse.request.Header("x-a"), "spaced");
  EXPECT_EQ(parse.request.content_length, 12u);
}

struct BadRequest {
  std::string_view name;  // the test's name
  std::string_view bytes;
  int status;
};

void PrintTo(const BadRequest& bad_request, std::ostream* stream) { *stream << bad_request.name; }

class HttpRequestErrorTest : public testing::TestWithParam<BadRequest> {};

TEST_P(HttpRequestErrorTest, IsRefused) {
  const HttpRequestParse parse = ParseHttpRequestHead(GetParam().bytes, 16384);
  EXPECT_EQ(parse.outcome, Outcome::kError);
  EXPECT_EQ(parse.error_status, GetParam().status) << parse.error_reason;
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, HttpRequestErrorTest,
    testing::Values(
        BadRequest{"NoVersion", "GET /\r\n\r\n", 400},
        BadRequest{"DoubleSpace", "GET  / HTTP/1.1\r\n\r\n", 400},
        BadRequest{"BadMethod", "G(T / HTTP/1.1\r\n\r\n", 400},
        BadRequest{"TrailingSpace", "GET / HTTP/1.1 \r\n\r\n", 400},
        BadRequest{"Http2", "GET / HTTP/2.0\r\n\r\n", 505},
        BadRequest{"NotHttp", "GET / FTP/1.1\r\n\r\n", 400},
        BadRequest{"NoColon", "GET / HTTP/1.1\r\nNo colon\r\n\r\n", 400},
        BadRequest{"ObsoleteFolding", "GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n", 400},
        BadRequest{"SpaceInName", "GET / HTTP/1.1\r\nBad Name: b\r\n\r\n", 400},
        BadRequest{"EmptyName", "GET / HTTP/1.1\r\n: empty\r\n\r\n", 400},
        BadRequest{"Nul", std::string_view("GET / HTTP/1.1\r\nA: \0\r\n\r\n", 24), 400},
        BadRequest{"BareCr", "GET / HTTP/1.1\r\nA: b\rc\r\n\r\n", 400},
        BadRequest{"BadContentLength", "GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n", 400},
        BadRequest{"ConflictingContentLength",
                   "GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400},
        BadRequest{"TransferEncoding", "GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 501},
        // A TLS ClientHello sent to the clear port.
        BadRequest{"TlsClientHello",
                   std::string_view("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 15),
                   400}),
    [](const testing::TestParamInfo<BadRequest>& param_info) {
      return std::string(param_info.param.name);
    });

TEST(HttpRequestTest, RefusesHeadsOverTheLimitBeforeTheyEnd) {
  std::string endless = "GET / HTTP/1.1\r\n";
  while (endless.size() <= 1024) endless += "X-Filler: aaaaaaaaaaaaaaaaaaaa\r\n";
  const HttpRequestParse incomplete = ParseHttpRequestHead(endless, 1024);
  EXPECT_EQ(incomplete.outcome, Outcome::kError);
  EXPECT_EQ(incomplete.error_status, 431);
  const HttpRequestParse complete = ParseHttpRequestHead(endless + "\r\n", 1024);
  EXPECT_EQ(complete.error_status, 431);
  EXPECT_EQ(ParseHttpRequestHead(endless + "\r\n", 4096).outcome, Outcome::kComplete);
}

TEST(HttpRequestTest, PercentDecode) {
  EXPECT_EQ(PercentDecode("a%20b+c", true), "a b c");
  EXPECT_EQ(PercentDecode("a%20b+c", false), "a b+c");
  EXPECT_EQ(PercentDecode("%3C%2a%3e", false), "<*>");
  EXPECT_EQ(PercentDecode("%", false), std::nullopt);
  EXPECT_EQ(PercentDecode("%4", false), std::nullopt);
  EXPECT_EQ(PercentDecode("%zz", false), std::nullopt);
}

TEST(HttpRequestTest, QueryParameters) {
  const QueryParameters query("count=3&size=&cookie=a%3D1&cookie=b%3D2&flag&n=x&big=99999");
  EXPECT_EQ(query.Get("count"), "3");
  EXPECT_TRUE(query.Has("size"));
  EXPECT_EQ(query.Get("size", "d"), "");
  EXPECT_EQ(query.Get("missing", "d"), "d");
  EXPECT_EQ(query.GetAll("cookie"), (std::vector<std::string>{"a=1", "b=2"}));
  EXPECT_TRUE(query.Has("flag"));
  EXPECT_EQ(query.GetInteger("count", 0, 0, 10), 3);
  EXPECT_EQ(query.GetInteger("n", 7, 0, 10), 7);
  EXPECT_EQ(query.GetInteger("big", 7, 0, 10), 10);
  EXPECT_EQ(query.GetInteger("missing", 7, 0, 10), 7);
}

}  // namespace
}  // namespace switchboard::reference_server
