// TunnelConnector: reaches host:port with libcurl in connect-only mode — directly, or through
// a forward proxy with `CONNECT host:port` (answering 407 challenges, Basic/Digest/NTLM as
// curl does) — on the network service's CurlMulti (the IO thread's libuv loop). The URL handed to
// curl is always `http://host:port/` so that curl only reaches the host; the addresses of our own
// resolution go in with CURLOPT_RESOLVE (spec §3.2: one resolution per connection).
// When curl is done, the connected socket is duplicated and handed over as a plain byte
// stream; curl's handle (and its copy of the descriptor) is released. Every CONNECT reply
// passes through OnHeader, which ends the attempt after §3.1's limit of authentication rounds
// (ProxyAuthRounds, proxy.h).
//
// Thread: IO thread only. Ownership: owned by the NetworkService; Shutdown() cancels every
// attempt (no callback), before the CurlMulti shuts down.
// Callbacks: each Connect() callback runs once, from a libuv callback, never inside
// Connect() — unless cancelled.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <curl/curl.h>
#include <uv.h>

#include "net/curl_multi.h"
#include "net/host_resolver.h"
#include "net/io_thread.h"
#include "net/net_log.h"
#include "net/proxy.h"
#include "net/result.h"

namespace switchboard {

struct TunnelRequest {
  std::string host;  // the URL's host (ASCII; IPv6 without brackets)
  std::uint16_t port = 0;
  // The addresses to try, from one resolution. Empty when a proxy resolves the target.
  std::vector<ResolvedAddress> addresses;
  // "" for a direct connection, else the proxy URL (credentials inside it are used for 407).
  std::string proxy;
  // Proxy host addresses from our resolver, used with CURLOPT_RESOLVE for the proxy name.
  std::string proxy_host;
  std::uint16_t proxy_port = 0;
  std::vector<ResolvedAddress> proxy_addresses;
  long connect_timeout_ms = 30'000;
  // When set: each address tried, curl's messages, the proxy CONNECT exchange and the end
  // are logged as events of connection `net_log_source` (curl runs verbose only then).
  NetLog* net_log = nullptr;
  std::uint64_t net_log_source = 0;
};

struct ConnectedSocket {
  uv_os_sock_t socket;  // owned by the receiver: close it or hand it to uv_tcp_open
  std::string peer_ip;  // the address connected to (the proxy's when tunnelling)
  long peer_port;
};

class TunnelConnector {
 public:
  using Callback = std::function<void(Result<ConnectedSocket>)>;
  using AttemptId = std::uint64_t;

  explicit TunnelConnector(CurlMulti& multi);
  ~TunnelConnector();
  TunnelConnector(const TunnelConnector&) = delete;
  TunnelConnector& operator=(const TunnelConnector&) = delete;

  AttemptId Connect(const TunnelRequest& request, Callback callback);
  void Cancel(AttemptId id);
  void Shutdown();

 private:
  struct Attempt;

  void Finish(Attempt* attempt, CURLcode code);
  void Release(Attempt* attempt);
  static int OnDebug(CURL* easy, curl_infotype type, char* data, std::size_t size, void* user);
  static std::size_t OnHeader(char* data, std::size_t size, std::size_t count, void* user);

  CurlMulti& multi_;
  std::map<AttemptId, Attempt*> attempts_;
  AttemptId next_id_ = 1;
  bool shut_down_ = false;
};

}  // namespace switchboard
