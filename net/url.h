// ConnectionUrl: a TCPConnection URL parsed and checked by spec §2 steps 1, 2 and 4, with the
// pieces §4.1's request needs. Pure functions over strings: no sockets, no DNS.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "base/result.h"
#include "net/origin.h"

namespace switchboard {

// Which DOMException the constructor throws for a URL it refuses (spec §2).
enum class UrlErrorKind {
  kSyntax,    // SyntaxError: unparsable, not http(s), has a fragment
  kSecurity,  // SecurityError: bad port (§2 step 2), mixed content (§2 step 3)
};

struct UrlError {
  UrlErrorKind kind;
  std::string message;
};

// A parsed connection URL. Built only by ParseConnectionUrl(), whose checks guarantee that
// `host` and `request_target` are safe to write into an HTTP request as they are.
struct ConnectionUrl {
  std::string href;             // the resolved URL, the `url` attribute (§1); no default port
  std::string scheme;           // "http" or "https"
  std::string host;             // ASCII (punycode), lower case; IPv6 without brackets
  uint16_t port = 0;            // explicit or the scheme's default (§2 step 2)
  bool port_is_default = true;  // port equals the scheme's default
  std::string request_target;   // §4.1: path and query, percent-encoded; never empty ("/")

  // §4.1's Host value: "host", or "host:port" when the port is not the default; IPv6 in
  // brackets ("[::1]:8080").
  std::string HostHeader() const;
  // §2 step 4's `network` attribute: "host:port", always with the port; IPv6 in brackets so
  // that the port stays unambiguous ("[::1]:80").
  std::string Network() const;
  // The target origin (§4.2: cross-origin connections need Access-Control).
  Origin origin() const;
};

// The result of ParseConnectionUrl(): a ConnectionUrl or the UrlError to throw.
using UrlResult = ResultOf<ConnectionUrl, UrlError>;

// Spec §2 steps 1, 2 and 4: resolves `input` against `base_url` (the document's base URL; may
// be a file: URL, or empty when there is none) and checks scheme, fragment and port.
UrlResult ParseConnectionUrl(std::string_view input, std::string_view base_url);

// Whether the connection will run over TLS: an https: URL, or `{secure: true}` (§4.3).
enum class SecureOption { kNotRequested, kRequested };

// Spec §2 step 3: a SecurityError when an https document would open a connection that is not
// secure; nullopt when the connection is allowed.
std::optional<UrlError> CheckMixedContent(const Origin& document_origin, const ConnectionUrl& url,
                                          SecureOption secure);

// The origin of a document loaded from `document_url` (an absolute URL): a tuple origin for
// http(s) URLs, opaque for every other scheme (file:, data:, about:...) and for URLs that do not
// parse. Fragments and bad ports do not matter here.
Origin OriginOfDocumentUrl(std::string_view document_url);

// --- Host helpers, shared with origin.cc and access_control.cc -----------------------------

// The canonical ASCII form of a host: IDN → punycode (UTS #46, as browsers do), lower case,
// IPv6 (with or without brackets) in inet_ntop's compressed form without brackets, and only
// letters, digits, '-', '_' and '.' otherwise. nullopt for a host that cannot be used, such as
// one ending in a number that is not a dotted-quad IPv4 address ("1.2.3.4.5").
std::optional<std::string> CanonicalizeHost(std::string_view host);

// Whether a canonical host is an IP address (IPv4 dotted quad or IPv6), not a domain name.
bool HostIsIpAddress(std::string_view canonical_host);

// §4.1: whether `target` is a request target that can be written on a request line as it is:
// starts with '/', holds only RFC 3986 path/query characters and well-formed %XX escapes —
// never a space, control byte or non-ASCII byte.
bool IsSafeRequestTarget(std::string_view target);

}  // namespace switchboard
