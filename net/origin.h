// Origin: the (scheme, host, port) tuple of spec §5, or an opaque origin ("null").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard {

// The default port of a scheme, as spec §2 step 2 and §5 use it: 80 for http, 443 for https.
// Other schemes have none here (TCPConnection only ever connects to http and https URLs).
std::optional<uint16_t> DefaultPortForScheme(std::string_view scheme);

// Origin — an immutable value, safe to copy and to pass between threads.
//
// A tuple origin holds a lower-case scheme, a lower-case ASCII host (punycode for IDN; an IPv6
// address without brackets) and a port that is always explicit (80 for "http://example.com").
// An opaque origin (a file: page, a sandboxed document) holds nothing and serializes as "null".
// Used for the handshake's `Origin:` header (§4.1) and for Access-Control (§4.2, §5).
// RFC 3986: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
bool IsValidScheme(std::string_view scheme);
// A port: 1-5 digits with a value of at most 65535.
std::optional<uint16_t> ParsePort(std::string_view digits);

class Origin {
 public:
  // An opaque origin.
  Origin() = default;
  static Origin Opaque() { return Origin(); }
  // A tuple origin. `scheme` and `host` are lower-cased (ASCII only); `host` must already be in
  // ASCII form, IPv6 without brackets (ConnectionUrl::origin() builds it that way).
  static Origin Tuple(std::string_view scheme, std::string_view host, uint16_t port);

  // Parses a serialized origin as Serialize() writes it: "null", or "scheme://host[:port]"
  // with an ASCII host, "[v6]" for IPv6, and no path. The port may be omitted only for schemes
  // with a default port. Returns nullopt for anything else.
  static std::optional<Origin> Parse(std::string_view serialized);

  bool is_opaque() const { return opaque_; }
  // Empty / 0 for an opaque origin.
  const std::string& scheme() const { return scheme_; }
  const std::string& host() const { return host_; }
  uint16_t port() const { return port_; }

  // HTML's serialization of an origin: "http://example.com", "https://[::1]:8443", "null".
  // The port is omitted when it is the scheme's default.
  std::string Serialize() const;

  // HTML's "same origin": equal schemes, hosts and ports. An opaque origin is same-origin only
  // with itself, and we do not track opaque identities, so here it is never same-origin with
  // anything: a connection from a "null" document is always cross-origin (§4.2 then requires
  // an Access-Control `<*>`).
  bool IsSameOrigin(const Origin& other) const;
  // The same value (two opaque origins are equal here): not an origin check, see above.
  bool operator==(const Origin& other) const = default;

 private:
  bool opaque_ = true;
  std::string scheme_;
  std::string host_;
  uint16_t port_ = 0;
};

}  // namespace switchboard
