// LoadResource: fetches a page or script by URL — from the file system for file: URLs,
// through libcurl for http(s): (redirects followed, TLS verified against the system store
// or the page's CA file, the page's proxy used, cookies from and into `cookie_jar` — the
// same jar TCPConnection handshakes use, seed ISSUE.6/ISSUE.7).
//
// Thread: any; blocking. The shell loads a page and its scripts before the event loop
// starts, like a parser-blocking <script> does.
#pragma once

#include <string>

#include "engine/page_settings.h"
#include "engine/page_url.h"
#include "net/cookie_jar.h"
#include "net/result.h"

namespace switchboard {

struct Resource {
  PageUrl url;  // after redirects
  std::string content_type;
  std::string body;
};

Result<Resource> LoadResource(const PageUrl& url, const PageSettings& settings,
                              CookieJar* cookie_jar);

}  // namespace switchboard
