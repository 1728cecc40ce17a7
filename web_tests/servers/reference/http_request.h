// HttpRequest and ParseHttpRequestHead: the reference server's parser for an HTTP/1.1
// request head (RFC 9112 §2-§5). A pure function over bytes: it never reads a socket, so it
// is unit-tested by splitting its input at every byte offset (style.md rule 6).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::reference_server {

struct HttpHeader {
  std::string name;   // as received (compare case-insensitively)
  std::string value;  // without leading/trailing whitespace
};

struct HttpRequest {
  std::string method;
  std::string target;  // the request-target exactly as sent
  std::string path;    // target up to '?', not percent-decoded
  std::string query;   // target after '?', without the '?'
  int minor_version = 1;
  std::vector<HttpHeader> headers;
  // The request line, header lines and the empty line, byte for byte as received
  // (/echo-headers sends this back).
  std::string raw_head;
  std::size_t content_length = 0;

  // First header named `name` (case-insensitive), or nullptr.
  const std::string* Header(std::string_view name) const;
  // True when some `name` header holds `token` in its comma-separated list (case-insensitive),
  // e.g. HasToken("Connection", "upgrade").
  bool HasToken(std::string_view name, std::string_view token) const;
  // HTTP/1.1 without "Connection: close", or HTTP/1.0 with "Connection: keep-alive".
  bool KeepAlive() const;
};

struct HttpRequestParse {
  enum class Outcome { kComplete, kIncomplete, kError };
  Outcome outcome = Outcome::kIncomplete;
  HttpRequest request;             // set when kComplete
  std::size_t consumed_bytes = 0;  // head bytes (plus skipped leading empty lines), when kComplete
  int error_status = 0;            // 400, 431, 501 or 505 when kError
  std::string error_reason;        // one line for logs and the error page
};

// Parses the request head at the start of `bytes`. Lines end in CRLF (a bare LF is accepted
// too, as RFC 9112 §2.2 allows). Empty lines before the request line are skipped (§2.2).
// A head longer than `max_head_bytes` is a 431 error even before it is complete.
HttpRequestParse ParseHttpRequestHead(std::string_view bytes, std::size_t max_head_bytes);

// True for RFC 9110 §5.6.2 token characters.
bool IsTokenCharacter(char c);
bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b);

// Decodes %XX escapes (and '+' as space when `plus_is_space`); nullopt on a malformed escape.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);

// The name=value pairs of a query string, decoded, in order. Malformed pairs are skipped.
class QueryParameters {
 public:
  explicit QueryParameters(std::string_view query);

  bool Has(std::string_view name) const;
  // The first value of `name`, or `fallback`.
  std::string Get(std::string_view name, std::string_view fallback = {}) const;
  std::vector<std::string> GetAll(std::string_view name) const;
  // The first value as an integer clamped to [minimum, maximum]; `fallback` when absent or not
  // a number.
  long long GetInteger(std::string_view name, long long fallback, long long minimum,
                       long long maximum) const;

 private:
  std::vector<std::pair<std::string, std::string>> parameters_;
};

}  // namespace switchboard::reference_server
