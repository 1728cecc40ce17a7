// CookieJar: the shell's HTTP cookie store (RFC 6265 §5, with the RFC 6265bis safety rules),
// shared by page and script loads (libcurl) and TCPConnection handshakes (spec §4.1 `Cookie`,
// §4.2 `Set-Cookie` on the 101), persisted in curl's Netscape cookie-file format.
// Pure code: no sockets, no clocks (callers pass `now`), no V8.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/result.h"
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

// --- The pure algorithms, exposed for tests ------------------------------------------------

// A Set-Cookie value parsed by RFC 6265 §5.2, before the storage model (§5.3) applies it.
struct ParsedSetCookie {
  std::string name;
  std::string value;
  std::optional<CookieExpiry> expires;  // the last Expires that parsed (§5.2.1)
  std::optional<int64_t> max_age;       // the last valid Max-Age, in seconds (§5.2.2)
  std::optional<std::string> domain;    // the last non-empty Domain: leading '.' removed, lower
                                        // case (§5.2.3); not yet canonicalized
  std::optional<std::string> path;      // the last Path (§5.2.4); "" when that Path was empty or
                                        // did not start with '/' (the default-path then applies)
  bool secure = false;
  bool http_only = false;
  SameSite same_site = SameSite::kUnspecified;
};

// RFC 6265 §5.2 (with RFC 6265bis's rejection of control bytes and its 4096-byte name+value
// and 1024-byte attribute-value limits). nullopt when the value must be ignored entirely;
// `rejection`, if given, then says why.
std::optional<ParsedSetCookie> ParseSetCookie(std::string_view set_cookie_string,
                                              SetCookieOutcome* rejection = nullptr);

// RFC 6265 §5.1.1: the cookie-date algorithm. nullopt when the date fails to parse.
std::optional<CookieExpiry> ParseCookieDate(std::string_view cookie_date);

// RFC 6265 §5.1.3: whether `host` (canonical) domain-matches `domain` (canonical).
bool DomainMatches(std::string_view host, std::string_view domain);

// RFC 6265 §5.1.4: the default-path of a request path (query and fragment already removed).
std::string DefaultCookiePath(std::string_view request_path);

// RFC 6265 §5.1.4: whether `request_path` path-matches `cookie_path`.
bool PathMatches(std::string_view request_path, std::string_view cookie_path);

// --- The jar --------------------------------------------------------------------------------

// Limits on what the jar holds (RFC 6265 §6.1 asks for at least 4096 bytes per cookie, 50
// cookies per domain and 3000 cookies in total; these are those minimums).
struct CookieJarLimits {
  // Per "domain": cookies sharing a registrable domain (eTLD+1 by the public suffix list, or
  // the host itself for IP addresses and public suffixes), as browsers count them.
  size_t max_cookies_per_domain = 50;
  size_t max_cookies = 3000;
};

// CookieJar — RFC 6265's cookie store.
//
// Threads: one jar per shell, used on the main thread (page and script loads) and on the IO
// thread (handshakes). Every public method takes one internal mutex, so it may be called from
// any thread; no method calls out, so nothing runs under the lock but the jar's own code.
// Owner: the shell (engine/), which loads it from and saves it to `--cookie-jar FILE`.
//
// Decisions where RFC 6265 is silent or has been revised (the RFC 6265bis draft followed unless
// said):
//  - A Set-Cookie value with a control byte other than HTAB anywhere is ignored, so a Cookie
//    header can never hold CR or LF; name + value over 4096 bytes is ignored; an attribute
//    value over 1024 bytes is ignored; a path over 1024 bytes (from the default-path) or a
//    domain over 253 bytes ignores the cookie.
//  - A value without '=' or with an empty name is ignored (RFC 6265 §5.2; 6265bis would store
//    a nameless cookie, which curl's file format cannot hold).
//  - Expiry is capped at 400 days after `now` (6265bis), also for cookies loaded from a file.
//  - Public suffixes come from libpsl's newest list (psl_latest, else the built-in one),
//    including its implicit "*" rule: a single-label Domain such as "localhost" counts as a
//    public suffix, as in libpsl's psl_is_cookie_domain_acceptable() and curl.
//  - An IP-address host accepts a Domain attribute only when it equals the host, and the cookie
//    is then host-only.
//  - Secure cookies are set and sent only over CookieTransport::kSecure; an insecure transport
//    may not set a cookie that would shadow a Secure one ("Leave Secure Cookies Alone").
//    __Secure- and __Host- prefixes are enforced. SameSite is stored, not enforced
//    (FIXME: needs the page's site-for-cookies; TCPConnection handshakes are not top-level).
//  - Eviction (§5.3, last paragraphs): expired cookies first; then, in a domain over its
//    limit, and then in the whole jar over its limit, the least recently accessed (ties: the
//    least recently set) — the cookie just stored is never evicted by its own insertion.
class CookieJar {
 public:
  explicit CookieJar(CookieJarLimits limits = {});
  CookieJar(const CookieJar&) = delete;
  CookieJar& operator=(const CookieJar&) = delete;

  // RFC 6265 §5.3: stores the cookie of one Set-Cookie header value received for `url`.
  SetCookieOutcome SetCookie(const CookieUrl& url, std::string_view set_cookie_value,
                             CookieTransport transport, CookieSource source, CookieTime now);

  // RFC 6265 §5.4: the Cookie header value for a request to `url` ("" when no cookie applies),
  // updating the last-access time of the cookies it sends. Never holds CR, LF or NUL.
  std::string CookieHeaderFor(const CookieUrl& url, CookieTransport transport, CookieSource source,
                              CookieTime now);

  // Reads a curl Netscape cookie file, adding its cookies (a cookie in the file replaces one
  // with the same name, domain and path). Lines that are not valid cookies, expired cookies and
  // cookies the jar would refuse from a server are skipped. Returns the number of cookies added;
  // fails (Stage::kLoad) only when the file cannot be read or is over 64 MiB.
  Result<size_t> LoadNetscapeFile(const std::string& path, CookieTime now);
  // Writes every unexpired cookie (session cookies with expiry 0, as curl does) in curl's
  // format, in creation order, to a temporary file renamed over `path`, mode 0600. A cookie
  // whose name or value holds a HTAB cannot be written in this format and is left out.
  Result<Ok> SaveNetscapeFile(const std::string& path, CookieTime now) const;

  // Removes the session cookies (RFC 6265 §5.3: "when the current session is over").
  void EndSession();
  void Clear();

  // Every stored cookie that has not expired at `now`, in creation order.
  std::vector<Cookie> AllCookies(CookieTime now) const;

 private:
  struct StoredCookie {
    Cookie cookie;
    std::string domain_group;        // what max_cookies_per_domain counts (see CookieJarLimits)
    uint64_t creation_sequence = 0;  // orders cookies created in the same instant (§5.4 step 2)
    uint64_t access_sequence = 0;    // orders accesses in the same instant (eviction ties)
  };

  // RFC 6265 §5.3 steps 8-12 (with RFC 6265bis's rules) for a cookie built by steps 1-7.
  SetCookieOutcome StoreLocked(Cookie cookie, CookieTransport transport, CookieSource source,
                               CookieExpiry now_seconds);
  void RemoveExpiredLocked(CookieExpiry now_seconds);
  // Evicts until one more cookie of `domain_group` fits in both limits.
  void MakeRoomLocked(const std::string& domain_group);

  const CookieJarLimits limits_;
  mutable std::mutex mutex_;
  std::vector<StoredCookie> cookies_;  // guarded by mutex_
  uint64_t next_creation_sequence_ = 0;
  uint64_t next_access_sequence_ = 0;
};

}  // namespace switchboard
