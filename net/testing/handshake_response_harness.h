// A harness for tests of HandshakeResponseParser (net/handshake.h): feeds a response in given
// chunks and records everything the parser reports (status, error, response, leftover), so
// that different chunkings can be compared (style rule 6: split at every byte offset).
//
// Thread: the test's (plain functions; each call uses a parser of its own).
#pragma once

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "net/handshake.h"

namespace switchboard::testing {

inline constexpr std::string_view kSeedResponse =
    "HTTP/1.1 101 Switching Protocols\r\n"
    "Connection: Upgrade\r\n"
    "Upgrade: TCPConnection/1.0\r\n"
    "\r\n";

// Everything the parser reports, so that different chunkings can be compared.
struct Outcome {
  HandshakeStatus status = HandshakeStatus::kNeedMoreData;
  std::string error;
  int status_code = 0;
  std::string reason_phrase;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string leftover;

  bool operator==(const Outcome&) const = default;
};

inline const char* StatusName(HandshakeStatus status) {
  switch (status) {
    case HandshakeStatus::kNeedMoreData:
      return "need-more-data";
    case HandshakeStatus::kSwitchingProtocols:
      return "switching-protocols";
    case HandshakeStatus::kTlsUpgradeRequired:
      return "tls-upgrade-required";
    case HandshakeStatus::kFailed:
      return "failed";
  }
  return "?";
}

inline void PrintTo(const Outcome& outcome, std::ostream* os) {
  *os << StatusName(outcome.status) << " error='" << outcome.error << "' " << outcome.status_code
      << " '" << outcome.reason_phrase << "' " << outcome.headers.size() << " headers, leftover "
      << ::testing::PrintToString(outcome.leftover);
}

inline Outcome ParseChunks(const std::vector<std::string_view>& chunks,
                           HandshakeExpectation expectation = HandshakeExpectation::kTcpConnection,
                           size_t max_header_block_bytes = kDefaultMaxHeaderBlockBytes) {
  HandshakeResponseParser parser(expectation, max_header_block_bytes);
  Outcome outcome;
  for (std::string_view chunk : chunks) {
    const HandshakeStatus status = parser.Feed(chunk);
    EXPECT_EQ(status, parser.status());
  }
  outcome.status = parser.status();
  if (outcome.status == HandshakeStatus::kFailed ||
      outcome.status == HandshakeStatus::kTlsUpgradeRequired) {
    EXPECT_EQ(parser.error().stage, Stage::kHandshake);
    EXPECT_FALSE(parser.error().message.empty());
    outcome.error = parser.error().message;
  }
  if (outcome.status == HandshakeStatus::kSwitchingProtocols ||
      outcome.status == HandshakeStatus::kTlsUpgradeRequired) {
    outcome.status_code = parser.response().status_code;
    outcome.reason_phrase = parser.response().reason_phrase;
    for (const HeaderField& field : parser.response().headers) {
      outcome.headers.emplace_back(field.name, field.value);
    }
    outcome.leftover = std::string(parser.leftover());
  }
  return outcome;
}

inline Outcome Parse(std::string_view bytes,
                     HandshakeExpectation expectation = HandshakeExpectation::kTcpConnection,
                     size_t max_header_block_bytes = kDefaultMaxHeaderBlockBytes) {
  return ParseChunks({bytes}, expectation, max_header_block_bytes);
}

// Splits `bytes` at every offset into two chunks, and into single bytes: the same outcome.
inline void ExpectSplitInvariant(
    std::string_view bytes, HandshakeExpectation expectation = HandshakeExpectation::kTcpConnection,
    size_t max_header_block_bytes = kDefaultMaxHeaderBlockBytes) {
  const Outcome whole = Parse(bytes, expectation, max_header_block_bytes);
  for (size_t split = 0; split <= bytes.size(); ++split) {
    ASSERT_EQ(ParseChunks({bytes.substr(0, split), bytes.substr(split)}, expectation,
                          max_header_block_bytes),
              whole)
        << "split at " << split << " of " << ::testing::PrintToString(bytes);
  }
  std::vector<std::string_view> single_bytes;
  for (size_t i = 0; i < bytes.size(); ++i) single_bytes.push_back(bytes.substr(i, 1));
  ASSERT_EQ(ParseChunks(single_bytes, expectation, max_header_block_bytes), whole)
      << "byte by byte: " << ::testing::PrintToString(bytes);
}

// The number of bytes fed one at a time until the parser failed, or nullopt.
inline std::optional<size_t> BytesUntilFailure(
    std::string_view bytes,
    HandshakeExpectation expectation = HandshakeExpectation::kTcpConnection) {
  HandshakeResponseParser parser(expectation);
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (parser.Feed(bytes.substr(i, 1)) == HandshakeStatus::kFailed) return i + 1;
  }
  return std::nullopt;
}

inline bool Contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// A response with the seed's 101 headers plus `extra` header lines.
inline std::string Response101(std::string_view extra) {
  return "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
         "Upgrade: TCPConnection/1.0\r\n" +
         std::string(extra) + "\r\n";
}

}  // namespace switchboard::testing
