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
  std::string href;             // the URL serializer's output, the `url` attribute (§1)
  std::string scheme;           // "http" or "https"
  std::string host;             // ASCII (punycode), lower case; IPv6 without brackets
  uint16_t port = 0;            // explicit or the scheme's default (§2 step 2)
  bool port_is_default = true;  // port equals the scheme's default
  std::string request_target;   // §4.1: the serialized path and query; never empty ("/")

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

// Spec §2 steps 1, 2 and 4: parses `input` against `base_url` (the document's base URL; may
// be a file: URL, or empty when there is none) with the URL Standard's basic URL parser
// (net/whatwg_url.h), as browsers do, and checks scheme, fragment and port.
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

// The canonical ASCII form of a host, as the URL Standard's host parser (§3.5) reads the host of
// an http(s) URL: IDN → punycode (UTS #46), lower case, IPv4 in any of its number forms as a
// dotted quad, IPv6 (with or without brackets) compressed and without brackets. nullopt for a
// host the parser refuses, such as one ending in a number that is not an IPv4 address
// ("1.2.3.4.5") or holding a forbidden domain code point. So a cookie's or an Access-Control
// domain compares equal to the host of every URL that names it.
std::optional<std::string> CanonicalizeHost(std::string_view host);

// Whether a canonical host is an IP address (IPv4 dotted quad or IPv6), not a domain name.
bool HostIsIpAddress(std::string_view canonical_host);

// §4.1: whether `target` can be written on a request line as it is: starts with '/' and holds
// only visible ASCII without '#' — never a space, control byte or non-ASCII byte. Every
// ConnectionUrl's request_target (the URL serializer's path and query) passes.
bool IsSafeRequestTarget(std::string_view target);

}  // namespace switchboard
