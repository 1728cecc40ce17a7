#include "net/cookie_jar.h"

#include <libpsl.h>

#include <algorithm>
#include <tuple>
#include <utility>

#include "base/ascii.h"
#include "net/cookie_file.h"

namespace switchboard {
namespace {

using std::chrono::seconds;

// RFC 6265 §5.1.1 rejects years before 1601: the earliest date the jar represents, used for
// Max-Age ≤ 0 (§5.2.2).
constexpr CookieExpiry kEarliestExpiry =
    std::chrono::sys_days{std::chrono::year{1601} / std::chrono::January / 1};

constexpr std::string_view kSecurePrefix = "__Secure-";
constexpr std::string_view kHostPrefix = "__Host-";

// --- Public suffixes (libpsl) ----------------------------------------------------------------

// psl_latest() picks the newer of the distribution's list (/usr/share/publicsuffix) and the
// one built into libpsl. The context is read-only once loaded, so every thread shares it; it
// lives until the process ends.
const psl_ctx_t* PublicSuffixList() {
  static const psl_ctx_t* const list = []() -> const psl_ctx_t* {
    if (const psl_ctx_t* latest = psl_latest(nullptr)) return latest;
    return psl_builtin();
  }();
  return list;
}

// RFC 6265 §5.3 step 5, with the list's implicit "*" rule (every unlisted TLD is a suffix).
bool IsPublicSuffix(const std::string& domain) {
  const psl_ctx_t* list = PublicSuffixList();
  // Without any list, at least every top-level domain is a public suffix.
  if (list == nullptr) return domain.find('.') == std::string::npos;
  return psl_is_public_suffix(list, domain.c_str()) != 0;
}

// What CookieJarLimits::max_cookies_per_domain counts: the registrable domain (eTLD+1).
std::string DomainGroupOf(const std::string& domain) {
  if (HostIsIpAddress(domain)) return domain;
  const psl_ctx_t* list = PublicSuffixList();
  const char* registrable = list ? psl_registrable_domain(list, domain.c_str()) : nullptr;
  return registrable != nullptr ? std::string(registrable) : domain;
}

// --- Request URLs ------------------------------------------------------------------------------

// The canonical request-host of a URL the jar serves (http and https only), or nullopt.
std::optional<std::string> CookieHostOf(const CookieUrl& url) {
  if (!EqualsIgnoringAsciiCase(url.scheme, "http") &&
      !EqualsIgnoringAsciiCase(url.scheme, "https")) {
    return std::nullopt;
  }
  if (url.host.empty()) return std::nullopt;
  return CanonicalizeHost(url.host);
}

// The request-uri's path: without query and fragment; "/" when empty.
std::string_view RequestPathOf(const CookieUrl& url) {
  std::string_view path = url.path.substr(0, url.path.find_first_of("?#"));
  return path.empty() ? std::string_view("/") : path;
}

bool IsExpired(const Cookie& cookie, CookieExpiry now_seconds) {
  return cookie.expiry && *cookie.expiry <= now_seconds;
}

}  // namespace

// RFC 6265 §5.1.3.
bool DomainMatches(std::string_view host, std::string_view domain) {
  // 1. The domain string and the string are identical.
  if (host == domain) return true;
  // 2. Or all of: the domain string is a suffix of the string; the last character of the
  //    string not in the domain string is "."; the string is a host name (not an IP address).
  if (domain.empty() || host.size() <= domain.size() || !host.ends_with(domain)) return false;
  return host[host.size() - domain.size() - 1] == '.' && !HostIsIpAddress(host);
}

// RFC 6265 §5.1.4, default-path.
std::string DefaultCookiePath(std::string_view request_path) {
  // 2. Empty or not starting with "/": "/".
  if (request_path.empty() || request_path.front() != '/') return "/";
  // 3. No more than one "/": "/".
  const size_t last_slash = request_path.rfind('/');
  if (last_slash == 0) return "/";
  // 4. Up to, but not including, the right-most "/".
  return std::string(request_path.substr(0, last_slash));
}

// RFC 6265 §5.1.4, path-match.
bool PathMatches(std::string_view request_path, std::string_view cookie_path) {
  // 1. Identical.
  if (request_path == cookie_path) return true;
  if (!request_path.starts_with(cookie_path)) return false;
  // 2. A prefix whose last character is "/".
  if (!cookie_path.empty() && cookie_path.back() == '/') return true;
  // 3. A prefix followed in the request path by "/".
  return request_path[cookie_path.size()] == '/';
}

// Limits of zero would leave no room for the cookie being stored.
CookieJar::CookieJar(CookieJarLimits limits)
    : limits_{std::max<size_t>(limits.max_cookies_per_domain, 1),
              std::max<size_t>(limits.max_cookies, 1)} {}

// RFC 6265 §5.3 steps 1-7; StoreLocked() does the rest.
SetCookieOutcome CookieJar::SetCookie(const CookieUrl& url, std::string_view set_cookie_value,
                                      CookieTransport transport, CookieSource source,
                                      CookieTime now) {
  const std::optional<std::string> request_host = CookieHostOf(url);
  if (!request_host) return SetCookieOutcome::kIgnoredNoCookieUrl;
  const CookieExpiry now_seconds = std::chrono::floor<seconds>(now);

  // 1. Parse the set-cookie-string (§5.2).
  SetCookieOutcome rejection = SetCookieOutcome::kIgnoredSyntax;
  std::optional<ParsedSetCookie> parsed = ParseSetCookie(set_cookie_value, &rejection);
  if (!parsed) return rejection;

  // 2. A new cookie: name, value, creation and last-access times.
  Cookie cookie;
  cookie.name = std::move(parsed->name);
  cookie.value = std::move(parsed->value);
  cookie.creation_time = now;
  cookie.last_access_time = now;

  // 3. Expiry: the last Max-Age wins over any Expires; neither makes a session cookie.
  //    Capped at 400 days (6265bis).
  if (parsed->max_age) {
    cookie.expiry = *parsed->max_age <= 0
                        ? kEarliestExpiry
                        : now_seconds + std::min(seconds(*parsed->max_age), kMaxCookieLifetime);
  } else if (parsed->expires) {
    cookie.expiry = std::min(*parsed->expires, now_seconds + kMaxCookieLifetime);
  }

  // 4. The domain-attribute: the last Domain, canonicalized (IDN to punycode, as 6265bis
  //    asks); one that cannot be canonicalized matches no host.
  std::string domain_attribute;
  if (parsed->domain) {
    std::optional<std::string> canonical = CanonicalizeHost(*parsed->domain);
    if (!canonical) return SetCookieOutcome::kIgnoredDomainMismatch;
    domain_attribute = std::move(*canonical);
  }
  // An IP address domain-matches only itself (§5.1.3); the cookie is then host-only.
  if (!domain_attribute.empty() && HostIsIpAddress(*request_host)) {
    if (domain_attribute != *request_host) return SetCookieOutcome::kIgnoredDomainMismatch;
    domain_attribute.clear();
  }
  // 5. A public suffix as domain-attribute: host-only if it is the host itself, else ignored.
  if (!domain_attribute.empty() && IsPublicSuffix(domain_attribute)) {
    if (domain_attribute != *request_host) return SetCookieOutcome::kIgnoredPublicSuffix;
    domain_attribute.clear();
  }
  // 6. A domain cookie if the request-host domain-matches the domain-attribute, else ignored;
  //    no domain-attribute: a host-only cookie for the request-host.
  if (!domain_attribute.empty()) {
    if (!DomainMatches(*request_host, domain_attribute)) {
      return SetCookieOutcome::kIgnoredDomainMismatch;
    }
    cookie.host_only = false;
    cookie.domain = std::move(domain_attribute);
  } else {
    cookie.host_only = true;
    cookie.domain = *request_host;
  }
  if (cookie.domain.size() > kMaxCookieDomainBytes) return SetCookieOutcome::kIgnoredTooLarge;

  // 7. The path: the last Path attribute, else the default-path of the request-uri.
  cookie.path = parsed->path && !parsed->path->empty() ? std::move(*parsed->path)
                                                       : DefaultCookiePath(RequestPathOf(url));
  if (cookie.path.size() > kMaxCookiePathBytes) return SetCookieOutcome::kIgnoredTooLarge;

  // 8-9. Secure and HttpOnly; SameSite kept for later enforcement.
  cookie.secure_only = parsed->secure;
  cookie.http_only = parsed->http_only;
  cookie.same_site = parsed->same_site;

  // 6265bis cookie prefixes: a __Host- cookie must carry Path=/ itself (StoreLocked checks the
  // rest).
  if (StartsWithIgnoringAsciiCase(cookie.name, kHostPrefix) && !parsed->path) {
    return SetCookieOutcome::kIgnoredCookiePrefix;
  }

  std::lock_guard lock(mutex_);
  return StoreLocked(std::move(cookie), transport, source, now_seconds);
}

// RFC 6265 §5.3 steps 10-12, with RFC 6265bis's Secure and prefix rules.
SetCookieOutcome CookieJar::StoreLocked(Cookie cookie, CookieTransport transport,
                                        CookieSource source, CookieExpiry now_seconds) {
  // 6265bis: a Secure cookie only from a secure transport.
  if (cookie.secure_only && transport == CookieTransport::kInsecure) {
    return SetCookieOutcome::kIgnoredSecureOverInsecureTransport;
  }
  // 10. A non-HTTP API may not set an HttpOnly cookie.
  if (cookie.http_only && source == CookieSource::kNonHttp) {
    return SetCookieOutcome::kIgnoredHttpOnlyFromNonHttp;
  }
  // 6265bis cookie prefixes: __Secure- needs Secure; __Host- needs Secure, host-only and path "/".
  if (StartsWithIgnoringAsciiCase(cookie.name, kSecurePrefix) && !cookie.secure_only) {
    return SetCookieOutcome::kIgnoredCookiePrefix;
  }
  if (StartsWithIgnoringAsciiCase(cookie.name, kHostPrefix) &&
      (!cookie.secure_only || !cookie.host_only || cookie.path != "/")) {
    return SetCookieOutcome::kIgnoredCookiePrefix;
  }

  RemoveExpiredLocked(now_seconds);

  // 6265bis ("Leave Secure Cookies Alone"): over an insecure transport, no cookie may
  // shadow a Secure cookie of the same name whose domain and path it overlaps.
  if (!cookie.secure_only && transport == CookieTransport::kInsecure) {
    for (const StoredCookie& stored : cookies_) {
      const Cookie& existing = stored.cookie;
      if (existing.secure_only && existing.name == cookie.name &&
          (DomainMatches(existing.domain, cookie.domain) ||
           DomainMatches(cookie.domain, existing.domain)) &&
          PathMatches(cookie.path, existing.path)) {
        return SetCookieOutcome::kIgnoredWouldOverwriteSecure;
      }
    }
  }

  // 11. A cookie with the same name, domain and path is replaced.
  uint64_t creation_sequence = 0;
  const auto old = std::find_if(cookies_.begin(), cookies_.end(), [&](const StoredCookie& stored) {
    return stored.cookie.name == cookie.name && stored.cookie.domain == cookie.domain &&
           stored.cookie.path == cookie.path;
  });
  if (old != cookies_.end()) {
    // 11.2. Not by a non-HTTP API if the old cookie is HttpOnly.
    if (source == CookieSource::kNonHttp && old->cookie.http_only) {
      return SetCookieOutcome::kIgnoredHttpOnlyFromNonHttp;
    }
    // 11.3. The new cookie keeps the old one's creation time (and so its place in §5.4 order).
    cookie.creation_time = old->cookie.creation_time;
    creation_sequence = old->creation_sequence;
    // 11.4. Remove the old cookie.
    cookies_.erase(old);
  } else {
    creation_sequence = next_creation_sequence_++;
  }

  // An already expired cookie (Max-Age ≤ 0, a past Expires) only deletes: §5.3's eviction of
  // expired cookies would remove it at once.
  if (IsExpired(cookie, now_seconds)) return SetCookieOutcome::kExpiredOnArrival;

  // 12. Insert the cookie, evicting others if a limit would be exceeded.
  StoredCookie stored{std::move(cookie), "", creation_sequence, next_access_sequence_++};
  stored.domain_group = DomainGroupOf(stored.cookie.domain);
  MakeRoomLocked(stored.domain_group);
  cookies_.push_back(std::move(stored));
  return SetCookieOutcome::kStored;
}

void CookieJar::RemoveExpiredLocked(CookieExpiry now_seconds) {
  std::erase_if(cookies_, [now_seconds](const StoredCookie& stored) {
    return IsExpired(stored.cookie, now_seconds);
  });
}

// RFC 6265 §5.3, after step 12: expired cookies first (already gone), then cookies of a domain
// over its limit, then any cookie; within each, the earliest last-access time first.
void CookieJar::MakeRoomLocked(const std::string& domain_group) {
  const auto least_recently_accessed = [](const StoredCookie& a, const StoredCookie& b) {
    return std::tie(a.cookie.last_access_time, a.access_sequence) <
           std::tie(b.cookie.last_access_time, b.access_sequence);
  };
  size_t in_group = static_cast<size_t>(std::count_if(
      cookies_.begin(), cookies_.end(),
      [&](const StoredCookie& stored) { return stored.domain_group == domain_group; }));
  while (in_group >= limits_.max_cookies_per_domain) {
    auto victim = cookies_.end();
    for (auto it = cookies_.begin(); it != cookies_.end(); ++it) {
      if (it->domain_group != domain_group) continue;
      if (victim == cookies_.end() || least_recently_accessed(*it, *victim)) victim = it;
    }
    cookies_.erase(victim);
    --in_group;
  }
  while (cookies_.size() >= limits_.max_cookies) {
    cookies_.erase(std::min_element(cookies_.begin(), cookies_.end(), least_recently_accessed));
  }
}

// RFC 6265 §5.4.
std::string CookieJar::CookieHeaderFor(const CookieUrl& url, CookieTransport transport,
                                       CookieSource source, CookieTime now) {
  const std::optional<std::string> request_host = CookieHostOf(url);
  if (!request_host) return {};
  const std::string_view request_path = RequestPathOf(url);

  std::lock_guard lock(mutex_);
  RemoveExpiredLocked(std::chrono::floor<seconds>(now));

  // 1. The cookies whose domain, path, Secure and HttpOnly flags admit this request.
  std::vector<StoredCookie*> cookie_list;
  for (StoredCookie& stored : cookies_) {
    const Cookie& cookie = stored.cookie;
    const bool domain_admits = cookie.host_only ? cookie.domain == *request_host
                                                : DomainMatches(*request_host, cookie.domain);
    if (!domain_admits || !PathMatches(request_path, cookie.path)) continue;
    if (cookie.secure_only && transport != CookieTransport::kSecure) continue;
    if (cookie.http_only && source != CookieSource::kHttp) continue;
    cookie_list.push_back(&stored);
  }
  // 2. Longer paths first; among equal lengths, earlier creation times first.
  std::sort(cookie_list.begin(), cookie_list.end(),
            [](const StoredCookie* a, const StoredCookie* b) {
              if (a->cookie.path.size() != b->cookie.path.size()) {
                return a->cookie.path.size() > b->cookie.path.size();
              }
              return std::tie(a->cookie.creation_time, a->creation_sequence) <
                     std::tie(b->cookie.creation_time, b->creation_sequence);
            });
  // 3. Update the last-access time of each cookie sent.
  // 4. Serialize as name=value pairs separated by "; ".
  std::string header;
  for (StoredCookie* stored : cookie_list) {
    stored->cookie.last_access_time = now;
    stored->access_sequence = next_access_sequence_++;
    if (!header.empty()) header += "; ";
    header += stored->cookie.name;
    header += '=';
    header += stored->cookie.value;
  }
  return header;
}
Result<size_t> CookieJar::LoadNetscapeFile(const std::string& path, CookieTime now) {
  Result<std::vector<Cookie>> cookies = ReadNetscapeCookieFile(path, now);
  if (!cookies.ok()) return cookies.error();

  // The file is the jar's own store: its cookies count as set by HTTP over a secure transport,
  // but every other rule of StoreLocked() still applies.
  const CookieExpiry now_seconds = std::chrono::floor<seconds>(now);
  size_t added = 0;
  std::lock_guard lock(mutex_);
  for (Cookie& cookie : cookies.value()) {
    // A domain cookie for a public suffix is one no server could have set (§5.3 step 5).
    if (!cookie.host_only && IsPublicSuffix(cookie.domain)) continue;
    if (StoreLocked(std::move(cookie), CookieTransport::kSecure, CookieSource::kHttp,
                    now_seconds) == SetCookieOutcome::kStored) {
      ++added;
    }
  }
  return added;
}

Result<Ok> CookieJar::SaveNetscapeFile(const std::string& path, CookieTime now) const {
  // Written outside the lock: the IO thread's handshakes never wait for the disk.
  return WriteNetscapeCookieFile(path, AllCookies(now));
}

void CookieJar::EndSession() {
  std::lock_guard lock(mutex_);
  std::erase_if(cookies_, [](const StoredCookie& stored) { return !stored.cookie.expiry; });
}

void CookieJar::Clear() {
  std::lock_guard lock(mutex_);
  cookies_.clear();
}

std::vector<Cookie> CookieJar::AllCookies(CookieTime now) const {
  const CookieExpiry now_seconds = std::chrono::floor<seconds>(now);
  std::vector<const StoredCookie*> live;
  std::lock_guard lock(mutex_);
  for (const StoredCookie& stored : cookies_) {
    if (!IsExpired(stored.cookie, now_seconds)) live.push_back(&stored);
  }
  std::sort(live.begin(), live.end(), [](const StoredCookie* a, const StoredCookie* b) {
    return std::tie(a->cookie.creation_time, a->creation_sequence) <
           std::tie(b->cookie.creation_time, b->creation_sequence);
  });
  std::vector<Cookie> cookies;
  cookies.reserve(live.size());
  for (const StoredCookie* stored : live) cookies.push_back(stored->cookie);
  return cookies;
}

}  // namespace switchboard
