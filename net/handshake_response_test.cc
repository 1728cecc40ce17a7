// Tests of the handshake response's validation: spec §4.2 (status line, header fields, the
// seed's responses), §4.3 (the TLS upgrade's 101 and a 426) and §4.2's Access-Control step (§5),
// and RFC 9112's status line for logs. How the response's bytes arrive is tested in
// handshake_response_bytes_test.cc, the requests in handshake_request_test.cc.
#include "net/handshake.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "net/testing/handshake_response_harness.h"

namespace switchboard {
namespace {

using namespace std::string_literals;
using namespace std::string_view_literals;
using namespace switchboard::testing;

// --- §4.2: the seed's responses -----------------------------------------------------------------

TEST(HandshakeResponseParserTest, SeedNormalHandshake) {
  const Outcome outcome = Parse(kSeedResponse);
  EXPECT_EQ(outcome.status, HandshakeStatus::kSwitchingProtocols);
  EXPECT_EQ(outcome.status_code, 101);
  EXPECT_EQ(outcome.reason_phrase, "Switching Protocols");
  EXPECT_EQ(outcome.headers, (std::vector<std::pair<std::string, std::string>>{
                                 {"Connection", "Upgrade"}, {"Upgrade", "TCPConnection/1.0"}}));
  EXPECT_EQ(outcome.leftover, "");
  ExpectSplitInvariant(kSeedResponse);
}

TEST(HandshakeResponseParserTest, SeedCrossDomainHandshake) {
  const std::string response = Response101("Access-Control: allow <example.com>\r\n");
  HandshakeResponseParser parser(HandshakeExpectation::kTcpConnection);
  ASSERT_EQ(parser.Feed(response), HandshakeStatus::kSwitchingProtocols);
  const Origin document = *Origin::Parse("http://example.com");
  const Origin target = *Origin::Parse("http://www.example.com");
  EXPECT_TRUE(CheckAccessControl(parser.response(), document, target).ok());
  ExpectSplitInvariant(response);
}

TEST(HandshakeResponseParserTest, SeedTlsUpgradeResponse) {
  constexpr std::string_view kResponse =
      "HTTP/1.1 101 Switching Protocols\r\n"
      "Connection: Upgrade\r\n"
      "Upgrade: TLS/1.0, HTTP/1.1\r\n"
      "\r\n";
  EXPECT_EQ(Parse(kResponse, HandshakeExpectation::kTlsUpgrade).status,
            HandshakeStatus::kSwitchingProtocols);
  ExpectSplitInvariant(kResponse, HandshakeExpectation::kTlsUpgrade);
  // Not a TCPConnection upgrade.
  EXPECT_EQ(Parse(kResponse).status, HandshakeStatus::kFailed);
}

// --- §4.2: the status line ----------------------------------------------------------------------

TEST(HandshakeResponseParserTest, SmtpBannerFailsWithinTwelveBytes) {
  constexpr std::string_view kBanner = "220 mail.example.com ESMTP Postfix\r\n";
  EXPECT_EQ(BytesUntilFailure(kBanner), 12u);
  const Outcome outcome = Parse(kBanner);
  EXPECT_EQ(outcome.status, HandshakeStatus::kFailed);
  EXPECT_TRUE(Contains(outcome.error, "does not speak HTTP")) << outcome.error;
  EXPECT_TRUE(Contains(outcome.error, "'220 mail.exa'")) << outcome.error;
  ExpectSplitInvariant(kBanner);
}

TEST(HandshakeResponseParserTest, OtherNonHttpServersFailWithinTwelveBytes) {
  const std::string_view banners[] = {
      "SSH-2.0-OpenSSH_9.2p1 Debian\r\n",
      "+OK POP3 server ready\r\n",
      "* OK [CAPABILITY IMAP4rev1] ready\r\n",
      "220 (vsFTPd 3.0.3)\r\n",
      "RFB 003.008\n",
      "\x16\x03\x01\x02\x00\x01\x00\x01\xFC\x03\x03\x00\x00"sv};  // a TLS ClientHello
  for (std::string_view banner : banners) {
    const std::optional<size_t> failed_after = BytesUntilFailure(banner);
    ASSERT_TRUE(failed_after.has_value()) << banner;
    EXPECT_LE(*failed_after, 12u) << banner;
    ExpectSplitInvariant(banner);
  }
}

TEST(HandshakeResponseParserTest, ShortNonHttpLineFailsAtItsEnd) {
  EXPECT_EQ(BytesUntilFailure("220 ok\r\n"), 8u);
  EXPECT_EQ(BytesUntilFailure("\r\n"), 2u);
  EXPECT_TRUE(Contains(Parse("220 ok\r\n").error, "does not speak HTTP"));
}

TEST(HandshakeResponseParserTest, WrongHttpVersionFails) {
  for (std::string_view response :
       {"HTTP/1.0 101 Switching Protocols\r\n\r\n", "HTTP/2 101 Switching Protocols\r\n\r\n",
        "HTTP/1.2 101 Switching Protocols\r\n\r\n", "http/1.1 101 Switching Protocols\r\n\r\n",
        "HTTP/1.1  101 Switching Protocols\r\n\r\n"}) {
    const Outcome outcome = Parse(response);
    EXPECT_EQ(outcome.status, HandshakeStatus::kFailed) << response;
    ExpectSplitInvariant(response);
  }
  EXPECT_TRUE(Contains(Parse("HTTP/1.0 101 Switching Protocols\r\n\r\n").error, "HTTP/1.1"));
  EXPECT_EQ(BytesUntilFailure("HTTP/1.0 101 Switching Protocols\r\n"), 12u);
}

TEST(HandshakeResponseParserTest, OtherStatusesFailWithTheStatusInTheMessage) {
  const std::vector<std::pair<std::string_view, std::string_view>> cases = {
      {"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "200"},
      {"HTTP/1.1 301 Moved Permanently\r\nLocation: http://evil/\r\n\r\n", "301"},
      {"HTTP/1.1 302 Found\r\n\r\n", "302"},
      {"HTTP/1.1 307 Temporary Redirect\r\n\r\n", "307"},
      {"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic\r\n\r\n", "401"},
      {"HTTP/1.1 400 Bad Request\r\n\r\n", "400"},
      {"HTTP/1.1 404 Not Found\r\n\r\n", "404"},
      {"HTTP/1.1 500 Internal Server Error\r\n\r\n", "500"},
      {"HTTP/1.1 100 Continue\r\n\r\n", "100"},
      {"HTTP/1.1 102 Processing\r\n\r\n", "102"},
  };
  for (const auto& [response, code] : cases) {
    const Outcome outcome = Parse(response);
    EXPECT_EQ(outcome.status, HandshakeStatus::kFailed) << response;
    EXPECT_TRUE(Contains(outcome.error, "status " + std::string(code))) << outcome.error;
    // Decided on the status code, before any header arrives.
    EXPECT_EQ(BytesUntilFailure(response), 12u) << response;
    ExpectSplitInvariant(response);
  }
  EXPECT_TRUE(Contains(Parse("HTTP/1.1 301 Moved\r\n\r\n").error, "redirect"));
  EXPECT_TRUE(Contains(Parse("HTTP/1.1 401 Unauthorized\r\n\r\n").error, "authentication"));
}

TEST(HandshakeResponseParserTest, MalformedStatusLinesFail) {
  const std::string_view responses[] = {
      "HTTP/1.1 101\r\n\r\n",                         // no SP before the reason
      "HTTP/1.1 1010 x\r\n\r\n",                      // four digits
      "HTTP/1.1 101\tSwitching\r\n\r\n",              // HTAB instead of SP
      "HTTP/1.1 10\r\n\r\n",                          // short code
      "HTTP/1.1 101 Switching\0Protocols\r\n\r\n"sv,  // NUL in the reason
      "HTTP/1.1 101 Switching\rProtocols\r\n\r\n",    // CR in the reason
      "HTTP/1.1 101 Switching Protocols\n\r\n",       // bare LF
      "HTTP/1.1 101 Switching Protocols\r\r\n\r\n",   // CR CR LF
      "\0\0\0\0\0\0\0\0\0\0\0\0\0\0"sv,               // NUL bytes
  };
  for (std::string_view response : responses) {
    EXPECT_EQ(Parse(response).status, HandshakeStatus::kFailed)
        << ::testing::PrintToString(response);
    ExpectSplitInvariant(response);
  }
}

TEST(HandshakeResponseParserTest, AnyReasonPhraseIsAccepted) {
  for (std::string_view reason :
       {"", "Switching Protocols", "OK", "\tweird  reason\t", "Prot\xE9gement", "\xFF\x80"}) {
    const std::string response = "HTTP/1.1 101 " + std::string(reason) +
                                 "\r\nUpgrade: TCPConnection/1.0\r\nConnection: Upgrade\r\n\r\n";
    const Outcome outcome = Parse(response);
    EXPECT_EQ(outcome.status, HandshakeStatus::kSwitchingProtocols) << outcome.error;
    EXPECT_EQ(outcome.reason_phrase, reason);
  }
}

// --- §4.2: header fields ------------------------------------------------------------------------

TEST(HandshakeResponseParserTest, UpgradeIsCaseInsensitive) {
  for (std::string_view upgrade :
       {"TCPConnection/1.0", "tcpconnection/1.0", "TCPCONNECTION/1.0", "  TCPConnection/1.0  ",
        "\tTCPConnection/1.0", ",TCPConnection/1.0,"}) {
    const std::string response =
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade:" + std::string(upgrade) +
        "\r\nConnection: Upgrade\r\n\r\n";
    EXPECT_EQ(Parse(response).status, HandshakeStatus::kSwitchingProtocols) << upgrade;
  }
}

TEST(HandshakeResponseParserTest, UpgradeMustBeExactlyTcpConnection) {
  for (std::string_view upgrade :
       {"websocket", "TCPConnection/1.1", "TCPConnection/2.0", "TCPConnection", "TLS/1.0",
        "TCPConnection/1.0, HTTP/1.1", "HTTP/1.1, TCPConnection/1.0", "TCPConnection/1.0x",
        "TCPConnection /1.0", "", " "}) {
    const std::string response =
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: " + std::string(upgrade) +
        "\r\nConnection: Upgrade\r\n\r\n";
    const Outcome outcome = Parse(response);
    EXPECT_EQ(outcome.status, HandshakeStatus::kFailed) << upgrade;
    EXPECT_TRUE(Contains(outcome.error, "TCPConnection/1.0")) << outcome.error;
  }
  // Two Upgrade fields form one list of two protocols.
  EXPECT_EQ(Parse("HTTP/1.1 101 x\r\nUpgrade: TCPConnection/1.0\r\nUpgrade: TCPConnection/1.0\r\n"
                  "Connection: Upgrade\r\n\r\n")
                .status,
            HandshakeStatus::kFailed);
}

TEST(HandshakeResponseParserTest, MissingUpgradeFails) {
  const Outcome outcome = Parse("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n\r\n");
  EXPECT_EQ(outcome.status, HandshakeStatus::kFailed);
  EXPECT_TRUE(Contains(outcome.error, "no Upgrade")) << outcome.error;
}

TEST(HandshakeResponseParserTest, ConnectionMustContainUpgrade) {
  for (std::string_view connection :
       {"Upgrade", "upgrade", "UPGRADE", "keep-alive, Upgrade", "Upgrade,close", " , upgrade , "}) {
    const std::string response =
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: TCPConnection/1.0\r\n"
        "Connection: " +
        std::string(connection) + "\r\n\r\n";
    EXPECT_EQ(Parse(response).status, HandshakeStatus::kSwitchingProtocols) << connection;
  }
  for (std::string_view connection : {"close", "keep-alive", "upgraded", "up grade", ""}) {
    const std::string response =
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: TCPConnection/1.0\r\n"
        "Connection: " +
        std::string(connection) + "\r\n\r\n";
    const Outcome outcome = Parse(response);
    EXPECT_EQ(outcome.status, HandshakeStatus::kFailed) << connection;
    EXPECT_TRUE(Contains(outcome.error, "Connection")) << outcome.error;
  }
  // Missing entirely, and split over two fields.
  EXPECT_EQ(Parse("HTTP/1.1 101 Switching Protocols\r\nUpgrade: TCPConnection/1.0\r\n\r\n").status,
            HandshakeStatus::kFailed);
  EXPECT_EQ(Parse(Response101("Connection: keep-alive\r\n")).status,
            HandshakeStatus::kSwitchingProtocols);
  EXPECT_EQ(Parse("HTTP/1.1 101 x\r\nUpgrade: TCPConnection/1.0\r\nConnection: close\r\n"
                  "Connection: upgrade\r\n\r\n")
                .status,
            HandshakeStatus::kSwitchingProtocols);
}

TEST(HandshakeResponseParserTest, HeaderNamesAreCaseInsensitive) {
  const Outcome outcome = Parse(
      "HTTP/1.1 101 Switching Protocols\r\nCONNECTION: upgrade\r\nupgrade: "
      "TCPConnection/1.0\r\n\r\n");
  EXPECT_EQ(outcome.status, HandshakeStatus::kSwitchingProtocols);
  EXPECT_EQ(outcome.headers.front().first, "CONNECTION");  // kept as received
}

TEST(HandshakeResponseParserTest, ValuesAreTrimmedOfOptionalWhiteSpace) {
  const Outcome outcome =
      Parse(Response101("X-Padded: \t value with  inner  spaces \t \r\nX-Empty:\r\n"
                        "X-Only-Space:   \r\n"));
  ASSERT_EQ(outcome.status, HandshakeStatus::kSwitchingProtocols) << outcome.error;
  EXPECT_EQ(outcome.headers[2], std::make_pair("X-Padded"s, "value with  inner  spaces"s));
  EXPECT_EQ(outcome.headers[3], std::make_pair("X-Empty"s, ""s));
  EXPECT_EQ(outcome.headers[4], std::make_pair("X-Only-Space"s, ""s));
}

TEST(HandshakeResponseParserTest, MalformedHeaderFieldsFail) {
  const std::string_view lines[] = {
      "X-Folded: a\r\n continued",  // obs-fold
      "X-Folded: a\r\n\tcontinued",
      " X-Leading: space",
      "Upgrade : TCPConnection/1.0",  // space before the colon
      "No colon here",
      ": no name",
      "X(bad): name",
      "X Bad: name",
      "X-Nul: a\0b"sv,
      "X-Cr: a\rb",
      "X-Ctl: a\x01"
      "b",
      "X-Del: a\x7F"
      "b",
      "X-Bare-Lf: a\nX-Next: b",
      "\xC3\xA9: non-ASCII name",
  };
  for (std::string_view line : lines) {
    const std::string response = Response101(std::string(line) + "\r\n");
    const Outcome outcome = Parse(response);
    EXPECT_EQ(outcome.status, HandshakeStatus::kFailed) << ::testing::PrintToString(line);
    ExpectSplitInvariant(response);
  }
}

TEST(HandshakeResponseParserTest, TokenCharactersInNamesAndObsTextInValues) {
  const Outcome outcome = Parse(Response101("!#$%&'*+-.^_`|~09azAZ: ok\r\nX-Latin1: caf\xE9\r\n"));
  EXPECT_EQ(outcome.status, HandshakeStatus::kSwitchingProtocols) << outcome.error;
}

TEST(HandshakeResponseParserTest, BareLfLineEndingsFail) {
  for (std::string_view response : {
           "HTTP/1.1 101 x\r\nUpgrade: TCPConnection/1.0\r\nConnection: Upgrade\r\n\n",
           "HTTP/1.1 101 x\nUpgrade: TCPConnection/1.0\nConnection: Upgrade\n\n",
           "HTTP/1.1 101 x\r\nUpgrade: TCPConnection/1.0\nConnection: Upgrade\r\n\r\n",
       }) {
    const Outcome outcome = Parse(response);
    EXPECT_EQ(outcome.status, HandshakeStatus::kFailed) << response;
    EXPECT_TRUE(Contains(outcome.error, "bare LF")) << outcome.error;
    ExpectSplitInvariant(response);
  }
}

TEST(HandshakeResponseParserTest, SetCookieValuesInOrder) {
  const std::string response = Response101(
      "Set-Cookie: a=1; HttpOnly\r\nX-Other: y\r\nset-cookie: b=2; Secure\r\nSET-COOKIE: c=3\r\n");
  HandshakeResponseParser parser(HandshakeExpectation::kTcpConnection);
  ASSERT_EQ(parser.Feed(response), HandshakeStatus::kSwitchingProtocols);
  EXPECT_EQ(parser.response().SetCookieValues(),
            (std::vector<std::string>{"a=1; HttpOnly", "b=2; Secure", "c=3"}));
  EXPECT_EQ(parser.response().HeaderValues("x-other"), std::vector<std::string>{"y"});
  EXPECT_TRUE(parser.response().HeaderValues("Missing").empty());
}

// --- §4.3: TLS upgrade
// ------------------------------------------------------------------------------

TEST(HandshakeResponseParserTest, TlsUpgradeRequiresTlsInTheUpgradeList) {
  for (std::string_view upgrade :
       {"TLS/1.0", "tls/1.0", "TLS/1.0, HTTP/1.1", "HTTP/1.1, TLS/1.0"}) {
    const std::string response =
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: " + std::string(upgrade) +
        "\r\nConnection: Upgrade\r\n\r\n";
    EXPECT_EQ(Parse(response, HandshakeExpectation::kTlsUpgrade).status,
              HandshakeStatus::kSwitchingProtocols)
        << upgrade;
  }
  for (std::string_view upgrade : {"TCPConnection/1.0", "TLS/1.2", "HTTP/1.1", "SSL/3.0"}) {
    const std::string response =
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: " + std::string(upgrade) +
        "\r\nConnection: Upgrade\r\n\r\n";
    const Outcome outcome = Parse(response, HandshakeExpectation::kTlsUpgrade);
    EXPECT_EQ(outcome.status, HandshakeStatus::kFailed) << upgrade;
    EXPECT_TRUE(Contains(outcome.error, "TLS/1.0")) << outcome.error;
  }
  EXPECT_EQ(
      Parse("HTTP/1.1 101 x\r\nUpgrade: TLS/1.0\r\n\r\n", HandshakeExpectation::kTlsUpgrade).status,
      HandshakeStatus::kFailed);
}

TEST(HandshakeResponseParserTest, BytesAfterTheTlsUpgradeAreKeptForTls) {
  const std::string response =
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: TLS/1.0, HTTP/1.1\r\nConnection: "
      "Upgrade\r\n\r\n"
      "\x16\x03\x03\x00\x05hello"s;
  EXPECT_EQ(Parse(response, HandshakeExpectation::kTlsUpgrade).leftover,
            "\x16\x03\x03\x00\x05hello"s);
  ExpectSplitInvariant(response, HandshakeExpectation::kTlsUpgrade);
}

TEST(HandshakeResponseParserTest, UpgradeRequiredOfferingTlsIsReportedDistinctly) {
  const std::string response =
      "HTTP/1.1 426 Upgrade Required\r\nUpgrade: TLS/1.0, HTTP/1.1\r\nConnection: Upgrade\r\n"
      "Content-Length: 0\r\n\r\n";
  const Outcome outcome = Parse(response);
  EXPECT_EQ(outcome.status, HandshakeStatus::kTlsUpgradeRequired);
  EXPECT_EQ(outcome.status_code, 426);
  EXPECT_TRUE(Contains(outcome.error, "426")) << outcome.error;
  ExpectSplitInvariant(response);
}

TEST(HandshakeResponseParserTest, UpgradeRequiredWithoutTlsFails) {
  const Outcome outcome = Parse("HTTP/1.1 426 Upgrade Required\r\nUpgrade: HTTP/2.0\r\n\r\n");
  EXPECT_EQ(outcome.status, HandshakeStatus::kFailed);
  EXPECT_TRUE(Contains(outcome.error, "426")) << outcome.error;
  EXPECT_EQ(Parse("HTTP/1.1 426 Upgrade Required\r\n\r\n").status, HandshakeStatus::kFailed);
}

TEST(HandshakeResponseParserTest, UpgradeRequiredDuringATlsUpgradeFailsAtOnce) {
  constexpr std::string_view kResponse =
      "HTTP/1.1 426 Upgrade Required\r\nUpgrade: TLS/1.0\r\n\r\n";
  EXPECT_EQ(Parse(kResponse, HandshakeExpectation::kTlsUpgrade).status, HandshakeStatus::kFailed);
  EXPECT_EQ(BytesUntilFailure(kResponse, HandshakeExpectation::kTlsUpgrade), 12u);
}

// --- §4.2 bullet 4: Access-Control
// ----------------------------------------------------------------

HandshakeResponse ResponseWithHeaders(std::vector<HeaderField> headers) {
  HandshakeResponse response;
  response.status_code = 101;
  response.headers = std::move(headers);
  return response;
}

TEST(CheckAccessControlTest, SameOriginNeedsNoHeader) {
  const Origin origin = *Origin::Parse("http://example.com");
  EXPECT_TRUE(CheckAccessControl(ResponseWithHeaders({}), origin, origin).ok());
}

TEST(CheckAccessControlTest, CrossOriginWithoutHeaderFails) {
  const Result<Ok> result =
      CheckAccessControl(ResponseWithHeaders({}), *Origin::Parse("http://example.com"),
                         *Origin::Parse("http://www.example.com"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().stage, Stage::kAccessControl);
  EXPECT_TRUE(Contains(result.error().message, "http://example.com")) << result.error().message;
}

TEST(CheckAccessControlTest, PortAndSchemeDifferencesAreCrossOrigin) {
  const HandshakeResponse no_header = ResponseWithHeaders({});
  const Origin document = *Origin::Parse("http://example.com");
  EXPECT_FALSE(
      CheckAccessControl(no_header, document, *Origin::Parse("http://example.com:8080")).ok());
  EXPECT_FALSE(CheckAccessControl(no_header, document, *Origin::Parse("https://example.com")).ok());
}

TEST(CheckAccessControlTest, HeaderMustAllowTheDocumentOrigin) {
  const Origin document = *Origin::Parse("http://example.com");
  const Origin target = *Origin::Parse("http://chat.example.net:8080");
  EXPECT_TRUE(CheckAccessControl(ResponseWithHeaders({{"Access-Control", "allow <example.com>"}}),
                                 document, target)
                  .ok());
  const Result<Ok> refused = CheckAccessControl(
      ResponseWithHeaders({{"Access-Control", "allow <other.com>"}}), document, target);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().stage, Stage::kAccessControl);
  // Several headers are one list; names are case-insensitive.
  EXPECT_TRUE(CheckAccessControl(ResponseWithHeaders({{"access-control", "allow <other.com>"},
                                                      {"ACCESS-CONTROL", "allow <example.com>"}}),
                                 document, target)
                  .ok());
  EXPECT_FALSE(CheckAccessControl(
                   ResponseWithHeaders({{"Access-Control", "allow <*> exclude <example.com>"}}),
                   document, target)
                   .ok());
}

TEST(CheckAccessControlTest, OpaqueDocumentNeedsStar) {
  const Origin target = *Origin::Parse("http://example.com");
  EXPECT_TRUE(CheckAccessControl(ResponseWithHeaders({{"Access-Control", "allow <*>"}}),
                                 Origin::Opaque(), target)
                  .ok());
  EXPECT_FALSE(CheckAccessControl(ResponseWithHeaders({{"Access-Control", "allow <example.com>"}}),
                                  Origin::Opaque(), target)
                   .ok());
}

// ParseStatusCode: RFC 9112 §4's status-line, for logs and proxy replies.
TEST(ParseStatusCodeTest, ReadsTheCodeOfAStatusLine) {
  EXPECT_EQ(ParseStatusCode("HTTP/1.1 200 OK"), 200);
  EXPECT_EQ(ParseStatusCode("HTTP/1.0 407 Proxy Authentication Required\r\n"), 407);
  EXPECT_EQ(ParseStatusCode("HTTP/1.1 101"), 101);       // the reason phrase may be absent
  EXPECT_EQ(ParseStatusCode("HTTP/1.1 204 \r\n"), 204);  // or empty
  EXPECT_EQ(ParseStatusCode("HTTP/2.0 599 x"), 599);
}

TEST(ParseStatusCodeTest, RefusesWhatIsNotAStatusLine) {
  for (std::string_view line :
       {"", "HTTP/1.1", "HTTP/1.1 20", "HTTP/1.1 2000 x", "HTTP/1.1 2x0 x", "http/1.1 200 OK",
        "HTTP/11 200 OK", "HTTP/1.1  200 OK", "ICY 200 OK", "HTTP/1.1\t200 OK", "HTTP/1.1 -20 x",
        "SSH-2.0-OpenSSH_9.2", "HTTP/1.1 200x"}) {
    EXPECT_EQ(ParseStatusCode(line), 0) << line;
  }
}

}  // namespace
}  // namespace switchboard
