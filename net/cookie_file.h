// curl's Netscape cookie file, the format the jar is saved in (`--cookie-jar FILE`): one
// cookie a line, `[#HttpOnly_]domain TAB include-subdomains TAB path TAB secure TAB expires TAB
// name TAB value`, as https://curl.se/docs/http-cookies.html describes it. Reading and writing
// only: which cookies to keep is the jar's business (CookieJar::LoadNetscapeFile()).
// Thread: any (pure functions, and blocking file I/O on the caller's thread; the jar calls
// them outside its lock).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/cookie.h"
#include "net/result.h"

namespace switchboard {

// One line of a curl cookie file, as the cookie it holds (created at `now`; expiry capped at
// 400 days after `now`). nullopt for comments, blank lines and anything that is not a cookie
// the jar could hold. A domain cookie for a public suffix is returned: the jar refuses it.
std::optional<Cookie> ParseNetscapeCookieLine(std::string_view line, CookieTime now);

// The line of `cookie`, with its LF (a session cookie with expiry 0, as curl writes it). A
// name or value holding a HTAB cannot be written in this format: the caller leaves it out.
std::string NetscapeCookieLine(const Cookie& cookie);

// Reads `path` (LF or CRLF line ends) and returns its cookies in file order. Fails
// (Stage::kLoad) only when the file cannot be read or is over 64 MiB.
Result<std::vector<Cookie>> ReadNetscapeCookieFile(const std::string& path, CookieTime now);

// Writes `cookies` in curl's format, in the order given, to a temporary file renamed over
// `path`, mode 0600. A cookie whose name or value holds a HTAB is left out. Fails with
// Stage::kLoad.
Result<Ok> WriteNetscapeCookieFile(const std::string& path, const std::vector<Cookie>& cookies);

}  // namespace switchboard
