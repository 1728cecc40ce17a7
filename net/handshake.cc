#include "net/handshake.h"

#include <algorithm>

#include "base/ascii.h"
#include "net/access_control.h"
#include "net/request_headers.h"
#include "net/url.h"

namespace switchboard {
namespace {

constexpr std::string_view kCrLf = "\r\n";
constexpr std::string_view kTcpConnectionProtocol = "TCPConnection/1.0";
constexpr std::string_view kTlsProtocol = "TLS/1.0";

// §4.2: the status line is decided after this many bytes if they cannot start it.
constexpr size_t kStatusLineDecisionBytes = 12;
constexpr std::string_view kSwitchingProtocolsStart = "HTTP/1.1 101";
constexpr std::string_view kUpgradeRequiredStart = "HTTP/1.1 426";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// RFC 7230 field-vchar / SP / HTAB, as allowed in field values and reason phrases (obs-text
// included, since servers send Latin-1 reasons).
bool IsFieldValueByte(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte == '\t' || (byte >= 0x20 && byte != 0x7F);
}

bool IsOptionalWhiteSpace(char c) { return c == ' ' || c == '\t'; }

std::string_view TrimOptionalWhiteSpace(std::string_view text) {
  while (!text.empty() && IsOptionalWhiteSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsOptionalWhiteSpace(text.back())) text.remove_suffix(1);
  return text;
}

// Explains why a status line (its first 12 bytes, or the whole line without CRLF when it was
// shorter or otherwise malformed) is not one we accept.
std::string DescribeRejectedStatusLine(std::string_view start) {
  if (start.substr(0, 5) != "HTTP/") {
    return "the server does not speak HTTP; it sent " + QuoteBytesForMessage(start);
  }
  if (start.substr(0, 9) != "HTTP/1.1 ") {
    return "the server does not answer in HTTP/1.1; its status line starts " +
           QuoteBytesForMessage(start);
  }
  const std::string_view code = start.substr(9, 3);
  if (code.size() != 3 || !std::all_of(code.begin(), code.end(), IsDigit)) {
    return "malformed status line " + QuoteBytesForMessage(start);
  }
  const std::string status = "status " + std::string(code);
  if (code.front() == '3') {
    return "the server answered with a redirect (" + status + "), which is not followed";
  }
  if (code == "401") {
    return "the server asks for authentication (" + status + ")";
  }
  if (code == "101" || code == "426") return "malformed status line " + QuoteBytesForMessage(start);
  return "the server answered with " + status + " instead of 101 Switching Protocols";
}

// The elements of a comma-separated list (RFC 7230 §7) across every field with that name.
std::vector<std::string_view> ListElements(const std::vector<HeaderField>& headers,
                                           std::string_view name) {
  std::vector<std::string_view> elements;
  for (const HeaderField& field : headers) {
    if (!EqualsIgnoringAsciiCase(field.name, name)) continue;
    std::string_view remaining = field.value;
    while (true) {
      const size_t comma = remaining.find(',');
      const std::string_view element = TrimOptionalWhiteSpace(remaining.substr(0, comma));
      if (!element.empty()) elements.push_back(element);
      if (comma == std::string_view::npos) break;
      remaining.remove_prefix(comma + 1);
    }
  }
  return elements;
}

bool ContainsIgnoringAsciiCase(const std::vector<std::string_view>& elements,
                               std::string_view wanted) {
  return std::any_of(elements.begin(), elements.end(), [&](std::string_view element) {
    return EqualsIgnoringAsciiCase(element, wanted);
  });
}

bool HasHeader(const std::vector<HeaderField>& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(), [&](const HeaderField& field) {
    return EqualsIgnoringAsciiCase(field.name, name);
  });
}

std::string JoinForMessage(const std::vector<std::string_view>& elements) {
  std::string joined;
  for (std::string_view element : elements) {
    if (!joined.empty()) joined += ", ";
    joined += element;
  }
  return QuoteBytesForMessage(joined);
}

// Guards for the request builders: a field that could end a line or the request is refused.
// The Host value is RFC 3986's host [":" port]: a reg-name's unreserved and sub-delims
// characters, or an IP literal in brackets. (A URL's host may also hold '"', '`', '{' or '}',
// which browsers accept; such a connection fails here, or earlier at DNS.)
bool IsSafeHostHeader(std::string_view host) {
  constexpr std::string_view kAllowed = "-._~!$&'()*+,;=:[]";
  return !host.empty() && std::all_of(host.begin(), host.end(), [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c) ||
           kAllowed.find(c) != std::string_view::npos;
  });
}

bool IsVisibleAscii(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c > 0x20 && c < 0x7F; });
}

bool IsSafeFieldValue(std::string_view value) {
  return std::all_of(value.begin(), value.end(), IsFieldValueByte);
}

Error RequestError(std::string message) { return Error{Stage::kHandshake, std::move(message)}; }

Result<Ok> CheckRequestLineAndHost(std::string_view request_target, std::string_view host) {
  if (!IsSafeRequestTarget(request_target)) {
    return RequestError("refusing to send the unsafe request target " +
                        QuoteBytesForMessage(request_target));
  }
  if (!IsSafeHostHeader(host))
    return RequestError("refusing to send the Host " + QuoteBytesForMessage(host));
  return Ok{};
}

}  // namespace

// §4.1, byte for byte.
Result<std::string> BuildHandshakeRequest(const HandshakeRequest& request) {
  if (Result<Ok> checked = CheckRequestLineAndHost(request.request_target, request.host);
      !checked) {
    return checked.error();
  }
  if (request.origin != "null" && !IsVisibleAscii(request.origin)) {
    return RequestError("refusing to send the Origin " + QuoteBytesForMessage(request.origin));
  }
  if (!IsSafeFieldValue(request.cookie)) {
    return RequestError("refusing to send a Cookie value with control bytes");
  }
  if (std::optional<std::string> refused = ExtraHeadersError(request.extra_headers)) {
    return Error{Stage::kPolicy, std::move(*refused)};
  }
  std::string bytes;
  bytes.reserve(128 + request.request_target.size() + request.host.size() + request.origin.size() +
                request.cookie.size());
  bytes.append("OPTIONS ").append(request.request_target).append(" HTTP/1.1").append(kCrLf);
  bytes.append("Host: ").append(request.host).append(kCrLf);
  bytes.append("Upgrade: ").append(kTcpConnectionProtocol).append(kCrLf);
  bytes.append("Connection: Upgrade").append(kCrLf);
  bytes.append("Origin: ").append(request.origin).append(kCrLf);
  if (!request.cookie.empty()) bytes.append("Cookie: ").append(request.cookie).append(kCrLf);
  for (const HeaderField& field : request.extra_headers) {
    bytes.append(field.name).append(": ").append(field.value).append(kCrLf);
  }
  bytes.append(kCrLf);
  return bytes;
}

// §4.3, the first exchange of RFC 2817's upgrade (its §3.2 request, with OPTIONS).
Result<std::string> BuildTlsUpgradeRequest(std::string_view request_target, std::string_view host) {
  if (Result<Ok> checked = CheckRequestLineAndHost(request_target, host); !checked) {
    return checked.error();
  }
  std::string bytes;
  bytes.append("OPTIONS ").append(request_target).append(" HTTP/1.1").append(kCrLf);
  bytes.append("Host: ").append(host).append(kCrLf);
  bytes.append("Upgrade: ").append(kTlsProtocol).append(kCrLf);
  bytes.append("Connection: Upgrade").append(kCrLf);
  bytes.append(kCrLf);
  return bytes;
}

std::vector<std::string> HandshakeResponse::HeaderValues(std::string_view name) const {
  std::vector<std::string> values;
  for (const HeaderField& field : headers) {
    if (EqualsIgnoringAsciiCase(field.name, name)) values.push_back(field.value);
  }
  return values;
}

HandshakeResponseParser::HandshakeResponseParser(HandshakeExpectation expectation,
                                                 size_t max_header_block_bytes)
    : expectation_(expectation), max_header_block_bytes_(max_header_block_bytes) {}

HandshakeStatus HandshakeResponseParser::Fail(std::string message) {
  state_ = State::kDone;
  status_ = HandshakeStatus::kFailed;
  error_ = Error{Stage::kHandshake, std::move(message)};
  current_line_.clear();
  leftover_.clear();
  return status_;
}

bool HandshakeResponseParser::StatusLineStartIsAcceptable(std::string_view first_bytes) const {
  const auto starts = [&](std::string_view expected) {
    return expected.substr(0, first_bytes.size()) == first_bytes.substr(0, expected.size());
  };
  return starts(kSwitchingProtocolsStart) ||
         (expectation_ == HandshakeExpectation::kTcpConnection && starts(kUpgradeRequiredStart));
}

// Splits the input into lines. Every decision is taken at the byte where it becomes certain —
// the 12th byte of a hopeless status line, the first byte past the header block limit, the LF
// of a line — so that any chunking of the same bytes gives the same outcome.
HandshakeStatus HandshakeResponseParser::Feed(std::string_view bytes) {
  if (state_ == State::kDone) {
    if (status_ != HandshakeStatus::kFailed) leftover_.append(bytes);
    return status_;
  }
  while (!bytes.empty()) {
    const size_t line_feed = bytes.find('\n');
    const size_t piece_size = line_feed == std::string_view::npos ? bytes.size() : line_feed + 1;
    const std::string_view piece = bytes.substr(0, piece_size);

    // 1. Where the header block limit would be exceeded, counted in bytes of the block.
    const size_t block_bytes_after_piece = header_block_bytes_ + piece_size;
    const bool exceeds_limit = block_bytes_after_piece > max_header_block_bytes_;

    // 2. §4.2: a status line whose first 12 bytes cannot start an acceptable one fails right
    //    there — before the limit does, unless the limit is smaller than 12 bytes.
    if (state_ == State::kStatusLine && current_line_.size() < kStatusLineDecisionBytes &&
        current_line_.size() + piece_size >= kStatusLineDecisionBytes) {
      std::string first_bytes = current_line_;
      first_bytes.append(piece.substr(0, kStatusLineDecisionBytes - current_line_.size()));
      if (!StatusLineStartIsAcceptable(first_bytes) &&
          !(exceeds_limit && max_header_block_bytes_ < kStatusLineDecisionBytes)) {
        return Fail(DescribeRejectedStatusLine(first_bytes));
      }
    }
    if (exceeds_limit) {
      return Fail("the response header block is larger than " +
                  std::to_string(max_header_block_bytes_) + " bytes");
    }

    // 3. Collect the line; act on it once its LF has arrived.
    current_line_.append(piece);
    header_block_bytes_ = block_bytes_after_piece;
    bytes.remove_prefix(piece_size);
    if (line_feed == std::string_view::npos) return status_;

    // RFC 7230 §3.5 allows recognizing a bare LF; we do not (see the class comment).
    if (current_line_.size() < 2 || current_line_[current_line_.size() - 2] != '\r') {
      return Fail("a line of the response ends in a bare LF instead of CRLF");
    }
    const std::string_view content(current_line_.data(), current_line_.size() - kCrLf.size());
    const HandshakeStatus line_status =
        state_ == State::kStatusLine ? ProcessStatusLine(content) : ProcessHeaderLine(content);
    current_line_.clear();
    if (line_status == HandshakeStatus::kFailed) return line_status;
    if (state_ == State::kDone) {
      // §4.2: whatever follows the header block belongs to the data stream.
      leftover_.assign(bytes);
      return status_;
    }
  }
  return status_;
}

// RFC 7230 §3.1.2: status-line = HTTP-version SP status-code SP reason-phrase CRLF, where only
// `HTTP/1.1 101` (and `HTTP/1.1 426` when expecting TCPConnection) can go on.
HandshakeStatus HandshakeResponseParser::ProcessStatusLine(std::string_view line) {
  const bool acceptable_code =
      line.substr(0, kStatusLineDecisionBytes) == kSwitchingProtocolsStart ||
      (expectation_ == HandshakeExpectation::kTcpConnection &&
       line.substr(0, kStatusLineDecisionBytes) == kUpgradeRequiredStart);
  if (!acceptable_code || line.size() <= kStatusLineDecisionBytes ||
      line[kStatusLineDecisionBytes] != ' ') {
    return Fail(DescribeRejectedStatusLine(line));
  }
  const std::string_view reason = line.substr(kStatusLineDecisionBytes + 1);
  if (!std::all_of(reason.begin(), reason.end(), IsFieldValueByte)) {
    return Fail("malformed status line " + QuoteBytesForMessage(line));
  }
  response_.status_code = line.substr(9, 3) == "101" ? 101 : 426;
  response_.reason_phrase = std::string(reason);
  state_ = State::kHeaderFields;
  return status_;
}

// RFC 7230 §3.2: header-field = field-name ":" OWS field-value OWS.
HandshakeStatus HandshakeResponseParser::ProcessHeaderLine(std::string_view line) {
  if (line.empty()) return FinishHeaderBlock();
  if (IsOptionalWhiteSpace(line.front())) {
    return Fail("the response uses obsolete line folding (a line starts with whitespace)");
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos)
    return Fail("malformed header line " + QuoteBytesForMessage(line));
  const std::string_view name = line.substr(0, colon);
  if (name.empty() || !std::all_of(name.begin(), name.end(), IsHttpTokenChar)) {
    return Fail("malformed header name " + QuoteBytesForMessage(name));
  }
  const std::string_view value = TrimOptionalWhiteSpace(line.substr(colon + 1));
  if (!std::all_of(value.begin(), value.end(), IsFieldValueByte)) {
    return Fail("the value of header " + QuoteBytesForMessage(name) + " contains a control byte");
  }
  response_.headers.push_back(HeaderField{std::string(name), std::string(value)});
  return status_;
}

// §4.2 (101 for TCPConnection), §4.3 (101 for TLS; 426 asking for TLS).
HandshakeStatus HandshakeResponseParser::FinishHeaderBlock() {
  const std::vector<std::string_view> upgrade = ListElements(response_.headers, "Upgrade");

  // A 426 Upgrade Required is only worth reporting when it offers TLS (RFC 2817 §4.2).
  if (response_.status_code == 426) {
    if (!ContainsIgnoringAsciiCase(upgrade, kTlsProtocol)) {
      return Fail("the server answered with status 426 without offering TLS/1.0");
    }
    state_ = State::kDone;
    status_ = HandshakeStatus::kTlsUpgradeRequired;
    error_ = Error{Stage::kHandshake,
                   "the server requires TLS (426 Upgrade Required, Upgrade: TLS/1.0); open the "
                   "connection with {secure: true}"};
    return status_;
  }

  // 1. Upgrade: exactly TCPConnection/1.0, or a list containing TLS/1.0 for §4.3.
  if (!HasHeader(response_.headers, "Upgrade")) {
    return Fail("the 101 response has no Upgrade header");
  }
  if (expectation_ == HandshakeExpectation::kTcpConnection) {
    if (upgrade.size() != 1 || !EqualsIgnoringAsciiCase(upgrade.front(), kTcpConnectionProtocol)) {
      return Fail("the 101 response upgrades to " + JoinForMessage(upgrade) +
                  ", not TCPConnection/1.0");
    }
  } else if (!ContainsIgnoringAsciiCase(upgrade, kTlsProtocol)) {
    return Fail("the 101 response upgrades to " + JoinForMessage(upgrade) +
                ", which does not include TLS/1.0");
  }

  // 2. Connection contains the token "upgrade".
  if (!ContainsIgnoringAsciiCase(ListElements(response_.headers, "Connection"), "upgrade")) {
    return Fail("the 101 response's Connection header does not contain 'upgrade'");
  }
  state_ = State::kDone;
  status_ = HandshakeStatus::kSwitchingProtocols;
  return status_;
}

// §4.2 bullet 4 with §5's matching.
Result<Ok> CheckAccessControl(const HandshakeResponse& response, const Origin& document_origin,
                              const Origin& target_origin) {
  if (document_origin.IsSameOrigin(target_origin)) return Ok{};
  const std::vector<std::string> access_control = response.HeaderValues("Access-Control");
  const std::string context = "cross-origin connection from " + document_origin.Serialize() +
                              " to " + target_origin.Serialize() + ": ";
  if (access_control.empty()) {
    return Error{Stage::kAccessControl, context + "the server sent no Access-Control header"};
  }
  if (!AccessControlAllows(access_control, document_origin)) {
    return Error{Stage::kAccessControl,
                 context + "the server's Access-Control header does not allow this origin"};
  }
  return Ok{};
}

int ParseStatusCode(std::string_view line) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  // "HTTP/1.1 200" is 12 bytes; after the code comes SP or the end of the line.
  if (line.size() < 12 || !line.starts_with("HTTP/") || !digit(line[5]) || line[6] != '.' ||
      !digit(line[7]) || line[8] != ' ' || !digit(line[9]) || !digit(line[10]) ||
      !digit(line[11])) {
    return 0;
  }
  if (line.size() > 12 && line[12] != ' ' && line[12] != '\r' && line[12] != '\n') return 0;
  return (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
}

}  // namespace switchboard
