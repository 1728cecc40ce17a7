// Cookie jar test helpers shared by net/'s cookie tests: a fixed `now`, request URLs, and
// setting and reading cookies as an HTTP API over the transport the URL's scheme implies.
//
// Thread: the test's (plain functions over the jar passed in).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "net/cookie_jar.h"

namespace switchboard::testing {

// 2024-06-01T12:00:00Z.
inline const CookieTime kNow = CookieTime(std::chrono::seconds(1717243200));
inline constexpr int64_t kNowUnix = 1717243200;

inline CookieExpiry UnixTime(int64_t seconds_since_epoch) {
  return CookieExpiry(std::chrono::seconds(seconds_since_epoch));
}

inline CookieUrl Http(std::string_view host, std::string_view path = "/") {
  return CookieUrl{"http", host, path};
}
inline CookieUrl Https(std::string_view host, std::string_view path = "/") {
  return CookieUrl{"https", host, path};
}

// Sets over the transport the URL's scheme implies, from an HTTP API.
inline SetCookieOutcome Set(CookieJar& jar, const CookieUrl& url, std::string_view set_cookie,
                            CookieTime now = kNow) {
  const CookieTransport transport =
      url.scheme == "https" ? CookieTransport::kSecure : CookieTransport::kInsecure;
  return jar.SetCookie(url, set_cookie, transport, CookieSource::kHttp, now);
}

inline std::string Get(CookieJar& jar, const CookieUrl& url, CookieTime now = kNow) {
  const CookieTransport transport =
      url.scheme == "https" ? CookieTransport::kSecure : CookieTransport::kInsecure;
  return jar.CookieHeaderFor(url, transport, CookieSource::kHttp, now);
}

inline std::optional<Cookie> Find(const CookieJar& jar, std::string_view name,
                                  CookieTime now = kNow) {
  for (const Cookie& cookie : jar.AllCookies(now)) {
    if (cookie.name == name) return cookie;
  }
  return std::nullopt;
}

}  // namespace switchboard::testing
