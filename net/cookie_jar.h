// CookieJar: the shell's HTTP cookie store (RFC 6265 §5, with the RFC 6265bis safety rules),
// shared by page and script loads (libcurl) and TCPConnection handshakes (spec §4.1 `Cookie`,
// §4.2 `Set-Cookie` on the 101), persisted in curl's Netscape cookie-file format. The storage
// model and matching (§5.1.3, §5.1.4, §5.3, §5.4) live here; a Set-Cookie value is parsed by
// set_cookie_parser.h (included for the jar's callers), the file is read and written by
// cookie_file.h, and the shared types are in cookie.h.
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

#include "net/cookie.h"
#include "net/result.h"
#include "net/set_cookie_parser.h"
#include "net/url.h"

namespace switchboard {

// --- RFC 6265 §5.1.3 / §5.1.4 matching, exposed for tests ------------------------------------

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
