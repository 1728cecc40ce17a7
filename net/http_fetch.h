// HttpFetcher: page and script loads (HTTP GET) on the IO thread, beside the TCPConnections —
// the same network service for both (architecture.md): addresses from our resolver (handed
// to curl with CURLOPT_RESOLVE, so `--dns-server` applies), the same proxy choice (spec §3.1,
// proxy.h) with every authentication scheme libcurl offers and the same bounded rounds, the
// same TLS settings (the page's CA file), the same cookie jar, and the same net log.
//
// A load is a chain of hops: each resolves its host (or its proxy's), then runs one libcurl
// transfer on the service's CurlMulti. Redirects (301, 302, 303, 307, 308) are followed here,
// not by curl, so that every hop sends and stores the cookies of its own URL; at most
// kMaxRedirects, and only to http(s). Limits: the body size and a timeout for the whole load.
//
// Thread: IO thread only. Ownership: owned by the NetworkService; Shutdown() cancels every
// load without calling back.
// Callbacks: each Start()'s callback runs once, from a libuv callback, never inside Start() —
// unless cancelled.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "base/limits.h"
#include "net/cookie_jar.h"
#include "net/curl_multi.h"
#include "net/handshake.h"
#include "net/host_resolver.h"
#include "net/net_log.h"
#include "net/page_url.h"
#include "net/result.h"

namespace switchboard {

using LoadId = std::uint64_t;

struct FetchRequest {
  PageUrl url;  // http: or https:
  // What the load is for, in the net log: "document" or "script".
  std::string destination = "document";
  std::shared_ptr<CookieJar> cookie_jar;  // may be null: no cookies
  // The body limit and the timeout of the whole load, every hop (max_resource_bytes,
  // load_timeout); the connect timeout is handshake_timeout's.
  Limits limits;
  // Fields the embedder's connection policy added to the GET (issue 18), already checked by
  // ExtraHeadersError() (net/request_headers.h; checked again here). Sent on every hop whose
  // origin is the requested URL's: a redirect elsewhere does not carry them (as browsers drop
  // Authorization on a cross-origin redirect).
  std::vector<HeaderField> extra_headers{};
};

struct FetchResponse {
  PageUrl url;  // after redirects
  int status = 0;
  std::string content_type;
  std::string body;
};

struct FetchSettings {
  std::string proxy;    // explicit proxy URL; empty: the environment (ChooseProxy)
  std::string ca_file;  // CA certificates for TLS (servers and https proxies); empty: the system's
};

class HttpFetcher {
 public:
  using Callback = std::function<void(Result<FetchResponse>)>;
  static constexpr int kMaxRedirects = 10;

  // `net_log` may be null.
  HttpFetcher(HostResolver& resolver, CurlMulti& multi, NetLog* net_log, FetchSettings settings);
  ~HttpFetcher();
  HttpFetcher(const HttpFetcher&) = delete;
  HttpFetcher& operator=(const HttpFetcher&) = delete;

  // `id` names the load in the net log.
  void Start(LoadId id, FetchRequest request, Callback callback);
  void Cancel(LoadId id);
  void Shutdown();

  std::size_t active_loads() const { return loads_.size(); }

 private:
  class Load;
  void Finished(LoadId id);

  HostResolver& resolver_;
  CurlMulti& multi_;
  NetLog* net_log_;
  FetchSettings settings_;
  std::map<LoadId, std::unique_ptr<Load>> loads_;
};

}  // namespace switchboard
