// Fuzz target: HandshakeResponseParser, spec §4.2 and §4.3 (and §4.2's Access-Control step).
//
// Input: the response bytes, followed by control bytes that FuzzedDataProvider reads from the
// end: the last byte's low bit picks the expectation (0: TCPConnection, 1: TLS upgrade); the
// byte before it, if odd, asks for a small header block limit read from the two bytes before
// it (0-512; else the §9 default of 16 KiB); then two bytes of split offset.
//
// Oracles:
//  - one chunk, two chunks split at the fuzzer's offset, and single bytes give the same status,
//    response, error and leftover (the parser's contract);
//  - an accepted response's header block (status line to the empty line) is a prefix of the
//    input no larger than the limit, ending in CRLF CRLF, with one header per line; the
//    leftover is the rest of the input;
//  - while more data is needed, every byte so far is within the limit;
//  - error messages are printable ASCII (peer bytes are quoted, never forge a console line);
//  - header names are tokens, values hold no CR, LF or NUL and no surrounding whitespace;
//  - bytes fed after the decision never change it; a failed parser keeps no leftover.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "net/handshake.h"

namespace switchboard {
namespace {

using fuzz::Printable;

struct Outcome {
  HandshakeStatus status = HandshakeStatus::kNeedMoreData;
  std::string error;
  int status_code = 0;
  std::string reason_phrase;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string leftover;

  bool operator==(const Outcome&) const = default;
};

std::string Describe(const Outcome& outcome) {
  std::string text = "status " + std::to_string(static_cast<int>(outcome.status)) + " error \"" +
                     Printable(outcome.error) + "\" code " + std::to_string(outcome.status_code) +
                     " " + std::to_string(outcome.headers.size()) + " headers, leftover \"" +
                     Printable(outcome.leftover) + "\"";
  return text;
}

Outcome ParseChunks(const std::vector<std::string_view>& chunks, HandshakeExpectation expectation,
                    size_t limit) {
  HandshakeResponseParser parser(expectation, limit);
  for (std::string_view chunk : chunks) {
    const HandshakeStatus status = parser.Feed(chunk);
    FUZZ_CHECK(status == parser.status(), "Feed() and status() disagree");
  }
  Outcome outcome;
  outcome.status = parser.status();
  if (outcome.status == HandshakeStatus::kFailed ||
      outcome.status == HandshakeStatus::kTlsUpgradeRequired) {
    FUZZ_CHECK(parser.error().stage == Stage::kHandshake, "error stage");
    FUZZ_CHECK(!parser.error().message.empty(), "empty error message");
    outcome.error = parser.error().message;
  }
  if (outcome.status == HandshakeStatus::kSwitchingProtocols ||
      outcome.status == HandshakeStatus::kTlsUpgradeRequired) {
    outcome.status_code = parser.response().status_code;
    outcome.reason_phrase = parser.response().reason_phrase;
    for (const HeaderField& field : parser.response().headers) {
      outcome.headers.emplace_back(field.name, field.value);
    }
  }
  outcome.leftover = std::string(parser.leftover());
  return outcome;
}

bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsPrintableAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7F; });
}

bool HasLineBreakOrNul(std::string_view text) {
  return text.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

size_t CountCrLf(std::string_view text) {
  size_t count = 0;
  for (size_t at = text.find("\r\n"); at != std::string_view::npos;
       at = text.find("\r\n", at + 2)) {
    ++count;
  }
  return count;
}

void CheckOutcome(const Outcome& outcome, std::string_view input, HandshakeExpectation expectation,
                  size_t limit) {
  const std::string context = "input \"" + Printable(input) + "\" limit " + std::to_string(limit) +
                              ": " + Describe(outcome);
  switch (outcome.status) {
    case HandshakeStatus::kNeedMoreData:
      // Every byte so far belongs to the header block, which may not exceed the limit.
      FUZZ_CHECK(input.size() <= limit, context);
      FUZZ_CHECK(outcome.leftover.empty(), context);
      return;
    case HandshakeStatus::kFailed:
      FUZZ_CHECK(IsPrintableAscii(outcome.error), context);
      FUZZ_CHECK(outcome.leftover.empty(), context);
      return;
    case HandshakeStatus::kTlsUpgradeRequired:
      FUZZ_CHECK(expectation == HandshakeExpectation::kTcpConnection, context);
      FUZZ_CHECK(outcome.status_code == 426, context);
      FUZZ_CHECK(IsPrintableAscii(outcome.error), context);
      break;
    case HandshakeStatus::kSwitchingProtocols:
      FUZZ_CHECK(outcome.status_code == 101, context);
      break;
  }

  // An accepted response: header block + leftover == input.
  FUZZ_CHECK(outcome.leftover.size() <= input.size(), context);
  const std::string_view header_block = input.substr(0, input.size() - outcome.leftover.size());
  FUZZ_CHECK(input.substr(header_block.size()) == outcome.leftover, context);
  FUZZ_CHECK(header_block.size() <= limit, context);
  FUZZ_CHECK(header_block.ends_with("\r\n\r\n"), context);
  FUZZ_CHECK(
      header_block.starts_with(outcome.status_code == 101 ? "HTTP/1.1 101 " : "HTTP/1.1 426 "),
      context);
  // Only CRLF line ends: status line, one line per header, the empty line.
  FUZZ_CHECK(std::count(header_block.begin(), header_block.end(), '\n') ==
                 static_cast<std::ptrdiff_t>(CountCrLf(header_block)),
             context);
  FUZZ_CHECK(std::count(header_block.begin(), header_block.end(), '\r') ==
                 static_cast<std::ptrdiff_t>(CountCrLf(header_block)),
             context);
  FUZZ_CHECK(CountCrLf(header_block) == outcome.headers.size() + 2, context);
  FUZZ_CHECK(!HasLineBreakOrNul(outcome.reason_phrase), context);

  bool has_upgrade = false;
  bool has_connection = false;
  for (const auto& [name, value] : outcome.headers) {
    FUZZ_CHECK(!name.empty() && std::all_of(name.begin(), name.end(), IsTokenChar), context);
    FUZZ_CHECK(!HasLineBreakOrNul(value), context);
    FUZZ_CHECK(value.empty() || (value.front() != ' ' && value.front() != '\t' &&
                                 value.back() != ' ' && value.back() != '\t'),
               context);
    std::string lower_name = name;
    for (char& c : lower_name) c = static_cast<char>((c >= 'A' && c <= 'Z') ? c + 32 : c);
    has_upgrade = has_upgrade || lower_name == "upgrade";
    has_connection = has_connection || lower_name == "connection";
  }
  FUZZ_CHECK(has_upgrade, context);
  FUZZ_CHECK(has_connection || outcome.status_code == 426, context);
}

}  // namespace
}  // namespace switchboard

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace switchboard;
  FuzzedDataProvider provider(data, size);
  const HandshakeExpectation expectation = provider.ConsumeBool()
                                               ? HandshakeExpectation::kTlsUpgrade
                                               : HandshakeExpectation::kTcpConnection;
  const size_t limit = provider.ConsumeBool() ? provider.ConsumeIntegralInRange<size_t>(0, 512)
                                              : kDefaultMaxHeaderBlockBytes;
  const auto split_choice = provider.ConsumeIntegral<uint16_t>();
  const std::string input = provider.ConsumeRemainingBytesAsString();
  const std::string_view bytes = input;
  const size_t split = split_choice % (bytes.size() + 1);

  const Outcome whole = ParseChunks({bytes}, expectation, limit);
  CheckOutcome(whole, bytes, expectation, limit);

  const Outcome two_chunks =
      ParseChunks({bytes.substr(0, split), bytes.substr(split)}, expectation, limit);
  FUZZ_CHECK(two_chunks == whole, "split at " + std::to_string(split) + " of \"" +
                                      Printable(bytes) + "\": " + Describe(two_chunks) +
                                      " vs. whole " + Describe(whole));

  std::vector<std::string_view> single_bytes;
  single_bytes.reserve(bytes.size());
  for (size_t i = 0; i < bytes.size(); ++i) single_bytes.push_back(bytes.substr(i, 1));
  const Outcome byte_by_byte = ParseChunks(single_bytes, expectation, limit);
  FUZZ_CHECK(byte_by_byte == whole, "byte by byte \"" + Printable(bytes) + "\": " +
                                        Describe(byte_by_byte) + " vs. whole " + Describe(whole));

  // Bytes after the decision: appended to the leftover of an accepted response, else ignored.
  if (whole.status != HandshakeStatus::kNeedMoreData) {
    HandshakeResponseParser parser(expectation, limit);
    parser.Feed(bytes);
    const HandshakeStatus again = parser.Feed(bytes.substr(0, split));
    FUZZ_CHECK(again == whole.status, "status changed after the decision");
    const std::string expected_leftover =
        whole.status == HandshakeStatus::kFailed
            ? std::string()
            : whole.leftover + std::string(bytes.substr(0, split));
    FUZZ_CHECK(parser.leftover() == expected_leftover, "leftover after the decision");
  }

  // §4.2's Access-Control step over whatever headers were accepted: same-origin needs nothing.
  if (whole.status == HandshakeStatus::kSwitchingProtocols) {
    HandshakeResponseParser parser(expectation, limit);
    parser.Feed(bytes);
    const Origin document = Origin::Tuple("http", "example.com", 80);
    FUZZ_CHECK(CheckAccessControl(parser.response(), document, document).ok(), "same origin");
    const Result<Ok> cross =
        CheckAccessControl(parser.response(), document, Origin::Tuple("http", "example.org", 80));
    FUZZ_CHECK(cross.ok() || cross.error().stage == Stage::kAccessControl, "stage");
    (void)parser.response().SetCookieValues();
  }
  return 0;
}
