// The TCPConnection handshake of spec §4 as pure functions over bytes: the OPTIONS/Upgrade
// requests (§4.1, §4.3), an incremental parser and validator of the response (§4.2, §4.3) and
// the Access-Control check (§4.2, §5). No sockets: the connection layer feeds bytes in.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/limits.h"
#include "net/origin.h"
#include "net/result.h"

namespace switchboard {

// §9: the default limit of a response's header block (status line to the empty line).
inline constexpr size_t kDefaultMaxHeaderBlockBytes = Limits{}.max_response_header_bytes;

struct HeaderField {
  std::string name;   // as received; compare case-insensitively
  std::string value;  // without leading and trailing whitespace
};

// The variable parts of §4.1's request.
struct HandshakeRequest {
  std::string request_target;  // ConnectionUrl::request_target
  std::string host;            // ConnectionUrl::HostHeader()
  std::string origin;          // Origin::Serialize() of the document
  std::string cookie;          // the Cookie value for the URL; empty: no Cookie line
  // The embedder's fields (issue 18, net/request_headers.h), after Cookie, in this order.
  std::vector<HeaderField> extra_headers{};
};

// §4.1, byte for byte: OPTIONS, Host, Upgrade: TCPConnection/1.0, Connection: Upgrade, Origin,
// Cookie (only if any), the embedder's extra fields (if any), empty line; CRLF line ends.
// Fails (Stage::kHandshake) rather than write a field that could break the request: a target
// that IsSafeRequestTarget() refuses, or a control byte in any field (§10: no request
// smuggling); an extra field that ExtraHeadersError() refuses fails with Stage::kPolicy.
Result<std::string> BuildHandshakeRequest(const HandshakeRequest& request);

// §4.3, the first request of an RFC 2817 upgrade: OPTIONS, Host, Upgrade: TLS/1.0,
// Connection: Upgrade, empty line. No Origin or Cookie: they are sent only inside TLS, by the
// §4.1 request that follows. Fails like BuildHandshakeRequest().
Result<std::string> BuildTlsUpgradeRequest(std::string_view request_target, std::string_view host);

// A response head that passed the parser's checks.
struct HandshakeResponse {
  int status_code = 0;
  std::string reason_phrase;
  std::vector<HeaderField> headers;  // in the order received

  // The values of every field named `name` (case-insensitive), in order.
  std::vector<std::string> HeaderValues(std::string_view name) const;
  // §4.2: the `Set-Cookie` values, for the cookie jar.
  std::vector<std::string> SetCookieValues() const { return HeaderValues("Set-Cookie"); }
};

// Which response the parser expects.
enum class HandshakeExpectation {
  // §4.2: `101` with `Upgrade: TCPConnection/1.0`. A `426` whose `Upgrade` lists `TLS/1.0` is
  // reported as kTlsUpgradeRequired (§4.3, last paragraph).
  kTcpConnection,
  // §4.3: `101` whose `Upgrade` lists `TLS/1.0`.
  kTlsUpgrade,
};

enum class HandshakeStatus {
  kNeedMoreData,
  kSwitchingProtocols,  // a valid 101: response() and the leftover bytes are ready
  kTlsUpgradeRequired,  // a 426 asking for TLS/1.0 (kTcpConnection only): response() is ready
                        // and error() says why the connection fails if `secure` was not asked
  kFailed,              // error() says why (Stage::kHandshake)
};

// HandshakeResponseParser — reads one handshake response, in any chunking.
//
// Lives on the IO thread, owned by the connection that reads the socket; one parser per
// response. Pure: it never calls out. Feed() returns the same status and, for equal input,
// the same response, error and leftover bytes however the input is split.
//
// Decisions where §4.2 leaves room (RFC 7230 §3 otherwise):
//  - Lines end in CRLF; a bare LF (or a CR inside a line) fails the handshake. Servers
//    "implementable in a few lines of perl" write CRLF, and strictness keeps other protocols out.
//  - The status line is decided once its line has arrived or its first 12 bytes cannot start
//    `HTTP/1.1 101` (or, for kTcpConnection, `HTTP/1.1 426`), so an SMTP banner fails after
//    12 bytes with those bytes in the message, and a 301 fails with its status code.
//  - A field is `token ":" OWS value OWS`: no space before the colon, no obs-fold, and the
//    value holds only HTAB, SP, visible ASCII and obs-text (no NUL, CR, LF or other controls).
//  - The header block is the status line through the empty line, at most
//    `max_header_block_bytes`; the failure happens as soon as that many bytes are exceeded.
//  - `Upgrade` (all fields together as one comma list) must hold exactly one protocol,
//    `TCPConnection/1.0` (case-insensitive); for kTlsUpgrade the list must contain `TLS/1.0`.
//    `Connection` (all fields together) must contain the token `upgrade`.
class HandshakeResponseParser {
 public:
  explicit HandshakeResponseParser(HandshakeExpectation expectation,
                                   size_t max_header_block_bytes = kDefaultMaxHeaderBlockBytes);

  // Consumes the next bytes of the response. After kSwitchingProtocols or
  // kTlsUpgradeRequired, further bytes are appended to the leftover; after kFailed they are
  // ignored.
  HandshakeStatus Feed(std::string_view bytes);

  HandshakeStatus status() const { return status_; }
  // Valid once status() is kSwitchingProtocols or kTlsUpgradeRequired.
  const HandshakeResponse& response() const { return response_; }
  // Valid once status() is kFailed or kTlsUpgradeRequired.
  const Error& error() const { return error_; }
  // §4.2: the bytes received after the header block; they belong to the data stream (§6) —
  // or, after a TLS upgrade's 101, to TLS.
  std::string_view leftover() const { return leftover_; }
  std::string TakeLeftover() { return std::move(leftover_); }

 private:
  // The parser's position in the response.
  enum class State { kStatusLine, kHeaderFields, kDone };

  HandshakeStatus Fail(std::string message);
  // The status line, with its first 12 bytes checked early (see the class comment).
  bool StatusLineStartIsAcceptable(std::string_view first_bytes) const;
  HandshakeStatus ProcessStatusLine(std::string_view line);
  HandshakeStatus ProcessHeaderLine(std::string_view line);
  // §4.2 / §4.3 checks once the empty line has arrived.
  HandshakeStatus FinishHeaderBlock();

  HandshakeExpectation expectation_;
  size_t max_header_block_bytes_;
  State state_ = State::kStatusLine;
  HandshakeStatus status_ = HandshakeStatus::kNeedMoreData;
  std::string current_line_;       // bytes of the line being received, including its CR LF
  size_t header_block_bytes_ = 0;  // bytes of the header block received so far
  HandshakeResponse response_;
  Error error_{Stage::kHandshake, ""};
  std::string leftover_;
};

// §4.2 bullet 4: a cross-origin connection (target origin ≠ document origin in scheme, host or
// port) needs an `Access-Control` header (§5) that allows the document origin. Fails with
// Stage::kAccessControl.
Result<Ok> CheckAccessControl(const HandshakeResponse& response, const Origin& document_origin,
                              const Origin& target_origin);

// RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ], with
// HTTP-version = "HTTP/" DIGIT "." DIGIT. The status code of `line` (its CRLF may be
// there), or 0 when `line` is not a status line. For logs and proxy replies, where any status
// is worth naming; the handshake itself goes through HandshakeResponseParser.
int ParseStatusCode(std::string_view line);

}  // namespace switchboard
