// Tests of how a handshake response's bytes arrive: what follows the header block (§4.2), the
// §9 header-block limit, and the parser's results whatever the chunking. What the response must
// say is tested in handshake_response_test.cc.
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

// --- §4.2: bytes after the header block ---------------------------------------------------------

TEST(HandshakeResponseParserTest, BytesAfterTheHeaderBlockAreKept) {
  const std::string response = std::string(kSeedResponse) + "\x02hello\x17";
  const Outcome outcome = Parse(response);
  EXPECT_EQ(outcome.status, HandshakeStatus::kSwitchingProtocols);
  EXPECT_EQ(outcome.leftover, "\x02hello\x17");
  ExpectSplitInvariant(response);
}

TEST(HandshakeResponseParserTest, BinaryLeftoverIsKeptIntact) {
  const std::string data = "\x02one\x17\x02two\r\n\r\n\x17\0\xFF\x02par"s;
  const std::string response = std::string(kSeedResponse) + data;
  EXPECT_EQ(Parse(response).leftover, data);
  ExpectSplitInvariant(response);
}

TEST(HandshakeResponseParserTest, LaterBytesAreAppendedToTheLeftover) {
  HandshakeResponseParser parser(HandshakeExpectation::kTcpConnection);
  ASSERT_EQ(parser.Feed(std::string(kSeedResponse) + "\x02he"),
            HandshakeStatus::kSwitchingProtocols);
  EXPECT_EQ(parser.Feed("llo\x17"), HandshakeStatus::kSwitchingProtocols);
  EXPECT_EQ(parser.leftover(), "\x02hello\x17");
  EXPECT_EQ(parser.TakeLeftover(), "\x02hello\x17");
  EXPECT_EQ(parser.leftover(), "");
}

TEST(HandshakeResponseParserTest, NeedsMoreDataUntilTheEmptyLine) {
  HandshakeResponseParser parser(HandshakeExpectation::kTcpConnection);
  EXPECT_EQ(parser.Feed(""), HandshakeStatus::kNeedMoreData);
  EXPECT_EQ(parser.Feed(kSeedResponse.substr(0, kSeedResponse.size() - 2)),
            HandshakeStatus::kNeedMoreData);
  EXPECT_EQ(parser.Feed("\r"), HandshakeStatus::kNeedMoreData);
  EXPECT_EQ(parser.Feed("\n"), HandshakeStatus::kSwitchingProtocols);
}

// --- §9: the header block limit ---------------------------------------------------------------

// A 101 response padded with an X-Padding header to exactly `size` bytes.
std::string ResponseOfSize(size_t size) {
  const std::string base = Response101("X-Padding: \r\n");
  EXPECT_GE(size, base.size());
  return Response101("X-Padding: " + std::string(size - base.size(), 'p') + "\r\n");
}

TEST(HandshakeResponseParserTest, HeaderBlockOfExactlyTheLimitIsAccepted) {
  EXPECT_EQ(kDefaultMaxHeaderBlockBytes, 16u * 1024);
  const std::string response = ResponseOfSize(kDefaultMaxHeaderBlockBytes);
  ASSERT_EQ(response.size(), kDefaultMaxHeaderBlockBytes);
  EXPECT_EQ(Parse(response + "\x02"
                             "data\x17")
                .status,
            HandshakeStatus::kSwitchingProtocols);
  EXPECT_EQ(Parse(response + "\x02"
                             "data\x17")
                .leftover,
            "\x02"
            "data\x17");
}

TEST(HandshakeResponseParserTest, HeaderBlockOneByteOverTheLimitFails) {
  const std::string response = ResponseOfSize(kDefaultMaxHeaderBlockBytes + 1);
  const Outcome outcome = Parse(response);
  EXPECT_EQ(outcome.status, HandshakeStatus::kFailed);
  EXPECT_TRUE(Contains(outcome.error, "16384")) << outcome.error;
}

TEST(HandshakeResponseParserTest, LimitIsAParameter) {
  const std::string response = ResponseOfSize(100);
  EXPECT_EQ(Parse(response, HandshakeExpectation::kTcpConnection, 100).status,
            HandshakeStatus::kSwitchingProtocols);
  EXPECT_EQ(Parse(response, HandshakeExpectation::kTcpConnection, 99).status,
            HandshakeStatus::kFailed);
  ExpectSplitInvariant(response, HandshakeExpectation::kTcpConnection, 100);
  ExpectSplitInvariant(response, HandshakeExpectation::kTcpConnection, 99);
  ExpectSplitInvariant(response +
                           "\x02"
                           "x\x17",
                       HandshakeExpectation::kTcpConnection, 100);
}

TEST(HandshakeResponseParserTest, TinyLimitsDecideLikeByteByByte) {
  // Limits around the 12-byte status decision: the earlier of the two failures wins.
  for (size_t limit = 0; limit <= 16; ++limit) {
    ExpectSplitInvariant("220 mail.example.com ESMTP\r\n", HandshakeExpectation::kTcpConnection,
                         limit);
    ExpectSplitInvariant(kSeedResponse, HandshakeExpectation::kTcpConnection, limit);
  }
  EXPECT_TRUE(Contains(
      Parse("220 mail.example.com ESMTP\r\n", HandshakeExpectation::kTcpConnection, 12).error,
      "does not speak HTTP"));
  EXPECT_TRUE(Contains(
      Parse("220 mail.example.com ESMTP\r\n", HandshakeExpectation::kTcpConnection, 11).error,
      "larger than 11"));
}

TEST(HandshakeResponseParserTest, GiantHeaderFailsOnceTheLimitIsPassed) {
  HandshakeResponseParser parser(HandshakeExpectation::kTcpConnection);
  ASSERT_EQ(parser.Feed("HTTP/1.1 101 Switching Protocols\r\nX-Giant: "),
            HandshakeStatus::kNeedMoreData);
  const std::string kilobyte(1024, 'g');
  size_t fed = 0;
  while (parser.Feed(kilobyte) == HandshakeStatus::kNeedMoreData) {
    fed += kilobyte.size();
    ASSERT_LE(fed, kDefaultMaxHeaderBlockBytes) << "the parser kept buffering";
  }
  EXPECT_EQ(parser.status(), HandshakeStatus::kFailed);
  // A megabyte in one chunk fails the same way.
  EXPECT_EQ(Parse(Response101("X-Giant: " + std::string(1 << 20, 'g') + "\r\n")).status,
            HandshakeStatus::kFailed);
  // So do endless lines without LF, and endless header lines.
  EXPECT_EQ(Parse("HTTP/1.1 101 " + std::string(1 << 20, 'r')).status, HandshakeStatus::kFailed);
  std::string many_headers = "HTTP/1.1 101 x\r\n";
  for (int i = 0; i < 5000; ++i) many_headers += "X: y\r\n";
  EXPECT_EQ(Parse(many_headers).status, HandshakeStatus::kFailed);
}

// --- Parser lifecycle
// -------------------------------------------------------------------------------

TEST(HandshakeResponseParserTest, FeedingAfterFailureChangesNothing) {
  HandshakeResponseParser parser(HandshakeExpectation::kTcpConnection);
  ASSERT_EQ(parser.Feed("HTTP/1.1 200 OK\r\n"), HandshakeStatus::kFailed);
  const std::string message = parser.error().message;
  EXPECT_EQ(parser.Feed(kSeedResponse), HandshakeStatus::kFailed);
  EXPECT_EQ(parser.error().message, message);
  EXPECT_EQ(parser.leftover(), "");
}

// Many inputs, valid and not, each split at every offset.
TEST(HandshakeResponseParserTest, EveryInputSplitAnywhereGivesTheSameResult) {
  const std::vector<std::string> inputs = {
      std::string(kSeedResponse),
      std::string(kSeedResponse) + "\x02hello\x17\x02world\x17",
      Response101("Set-Cookie: a=b\r\nAccess-Control: allow <*>\r\n") + "\x02x",
      "HTTP/1.1 101 \r\nupgrade: tcpconnection/1.0\r\nconnection: UPGRADE\r\n\r\n\r\n\r\n",
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: TCPConnection/1.0\r\n\r\n",
      "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n\r\n",
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
      "HTTP/1.1 101 Switching Protocols\r\nX: a\r\n b\r\n\r\n",
      "HTTP/1.1 101 Switching Protocols\r\nX: a\0b\r\n\r\n"s,
      "HTTP/1.1 101 Switching Protocols\nUpgrade: TCPConnection/1.0\n\n",
      "HTTP/1.1 200 OK\r\n\r\n",
      "HTTP/1.1 426 Upgrade Required\r\nUpgrade: TLS/1.0\r\n\r\nbody",
      "HTTP/1.0 101 Switching Protocols\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
      "\x02hello\x17",
      "garbage garbage garbage\r\n\r\n",
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: TCPConnection/1.0\r\nConnection: Upgrade\r\n"
      "\r",
  };
  for (const std::string& input : inputs) ExpectSplitInvariant(input);
}

}  // namespace
}  // namespace switchboard
