// Cookie: the vocabulary the cookie code shares (RFC 6265 §5): a stored cookie, the request URL
// it is set from or sent to, how that request travels, what became of a Set-Cookie value, and
// the size limits every way into the jar (a Set-Cookie header, a cookie file) enforces.
// Thread: any (plain values). Owner: whoever holds them; the jar keeps copies.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "net/url.h"

namespace switchboard {

using CookieTime = std::chrono::system_clock::time_point;
// Expiry times need RFC 6265 §5.1.1's range (years 1601 to 9999), which nanosecond time points
// cannot hold, so they are kept in seconds.
using CookieExpiry = std::chrono::sys_seconds;

// The request URL a cookie is set from or sent to, as views into the caller's strings, so that
// both ConnectionUrl and the engine's page URLs can use the jar.
struct CookieUrl {
  std::string_view scheme;  // "http" or "https" (any case); other schemes have no cookies
  std::string_view host;    // canonical ASCII host (CanonicalizeHost()); IPv6 without brackets
  std::string_view path;    // the path; a "?query" or "#fragment" after it is ignored

  // Views into `url`, which must outlive the CookieUrl.
  static CookieUrl FromConnectionUrl(const ConnectionUrl& url) {
    return CookieUrl{url.scheme, url.host, url.request_target};
  }
};

// Whether the request travels over TLS. Not derived from the scheme: an http: TCPConnection
// with `{secure: true}` runs over TLS after its RFC 2817 upgrade (spec §4.3).
enum class CookieTransport { kInsecure, kSecure };

// RFC 6265 §5.2 / §5.3 steps 10-11: whether the cookie comes from (or goes to) an HTTP API —
// page loads and TCPConnection handshakes — or a non-HTTP API such as `document.cookie`, which
// may neither see nor set HttpOnly cookies.
enum class CookieSource { kHttp, kNonHttp };

// RFC 6265bis "The SameSite Attribute": parsed and stored; not enforced yet (see CookieJar).
enum class SameSite { kUnspecified, kNone, kLax, kStrict };

// A stored cookie, RFC 6265 §5.3's fields.
struct Cookie {
  std::string name;
  std::string value;
  std::string domain;                  // canonical host, no leading dot
  std::string path;                    // starts with '/'
  std::optional<CookieExpiry> expiry;  // nullopt: a session cookie (persistent-flag false)
  CookieTime creation_time;
  CookieTime last_access_time;
  bool host_only = true;
  bool secure_only = false;
  bool http_only = false;
  SameSite same_site = SameSite::kUnspecified;

  friend bool operator==(const Cookie&, const Cookie&) = default;
};

// What SetCookie() did with a Set-Cookie value; the reason a cookie was ignored is for logs and
// tests (web content never learns it).
enum class SetCookieOutcome {
  kStored,            // stored, replacing any cookie with the same name, domain and path
  kExpiredOnArrival,  // already expired (Max-Age ≤ 0, a past Expires): removed the cookie it
                      // would replace, if any, and stored nothing
  kIgnoredSyntax,     // no '=' or an empty name (RFC 6265 §5.2 steps 2 and 5)
  kIgnoredControlCharacter,  // a control byte other than HTAB (RFC 6265bis)
  kIgnoredTooLarge,          // name + value over 4096 bytes, or a path/domain too long
  kIgnoredNoCookieUrl,       // a scheme other than http(s), or no host
  kIgnoredDomainMismatch,    // the request host does not domain-match Domain (§5.3 step 6)
  kIgnoredPublicSuffix,      // Domain is a public suffix other than the host (§5.3 step 5)
  kIgnoredSecureOverInsecureTransport,  // Secure set over an insecure transport (6265bis)
  kIgnoredWouldOverwriteSecure,         // "Leave Secure Cookies Alone" (RFC 6265bis)
  kIgnoredHttpOnlyFromNonHttp,          // §5.3 steps 10 and 11.2
  kIgnoredCookiePrefix,                 // __Secure- / __Host- requirements not met (RFC 6265bis)
};

// RFC 6265bis (parsing Set-Cookie): name and value together at most this many bytes.
inline constexpr std::size_t kMaxCookieNameAndValueBytes = 4096;
// Cookies whose path comes from a long request path (no attribute limit applies to it) or
// whose domain is longer than any DNS name are refused, so that no cookie exceeds ~6 KiB.
inline constexpr std::size_t kMaxCookiePathBytes = 1024;
inline constexpr std::size_t kMaxCookieDomainBytes = 253;
// RFC 6265bis (Expires and Max-Age): Expires and Max-Age are capped at 400 days after the cookie
// is stored.
inline constexpr std::chrono::seconds kMaxCookieLifetime = std::chrono::days(400);

}  // namespace switchboard
