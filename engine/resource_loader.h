// Loading a page's resources: file: URLs from the file system (here — no network), http(s):
// URLs through the page's NetworkService (net/http_fetch.h), on the IO thread like every load
// (architecture.md: only net/ touches the network). Redirects are followed there, TLS is
// verified against the page's CA file, the page's proxy and DNS servers are used, and cookies
// come from and go into the page's jar — the same jar TCPConnection handshakes use (seed
// ISSUE.6/ISSUE.7).
//
// Thread: main thread. LoadResource's callback runs as a task on the page's event loop;
// LoadResourceBlocking waits (for Page::Load, before the page and its loop exist).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "engine/page_settings.h"
#include "net/cookie_jar.h"
#include "net/network_service.h"
#include "net/page_url.h"
#include "net/result.h"

namespace switchboard {

class Page;

struct Resource {
  PageUrl url;  // after redirects
  std::string content_type;
  std::string body;
};

// A file: URL's contents: a regular file (or anything else that reads to an end, e.g. a pipe)
// of at most `max_bytes` (PageOptions::max_resource_bytes, as for http loads); a directory, an
// unreadable file or a longer one (/dev/zero) is an error saying so.
Result<Resource> LoadFile(const PageUrl& url, std::size_t max_bytes);

// "cannot load <url>: <stage>: <reason>" (credentials masked): a failed load is named the way
// a failed connection is (spec §7's stages, plus "http" and "load").
Error LoadFailure(const PageUrl& url, const Error& error);

// Loads `url` for `page` (`destination`: "script", … for the net log); `done` runs as a task.
void LoadResource(Page& page, const PageUrl& url, std::string destination,
                  std::function<void(Result<Resource>)> done);

// Loads `url` through `service` and waits for it.
Result<Resource> LoadResourceBlocking(NetworkService& service, const PageUrl& url,
                                      const PageSettings& settings,
                                      std::shared_ptr<CookieJar> cookie_jar);

}  // namespace switchboard
