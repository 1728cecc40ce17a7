// The Set-Cookie header of RFC 6265 §5.2 (with RFC 6265bis's rejection of control bytes and its
// size limits) and the cookie-date of §5.1.1, as pure functions over a header value: what the
// server asked for, before the jar's storage model (§5.3) decides what to keep.
// Thread: any (pure functions: no clocks, no sockets, no state).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "net/cookie.h"

namespace switchboard {

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

// RFC 6265 WSP: `text` without leading and trailing SP and HTAB.
std::string_view TrimCookieWhiteSpace(std::string_view text);

// RFC 6265bis (parsing Set-Cookie, first step): whether `text` holds a control byte other than
// HTAB (%x00-08 / %x0A-1F / %x7F), which makes a cookie be ignored.
bool HasCookieControlByte(std::string_view text);

}  // namespace switchboard
