// NetworkServiceIo: the IO-thread half of a page's network service — everything that runs on
// the IO thread for every load: the HostResolver, the CurlMulti with the TunnelConnector and
// the HttpFetcher on it, the page's TLS configuration, every Connection and §3.6's endpoint
// throttle. It is the ConnectionContext of its connections (connection_context.h), and the
// main-thread NetworkService (network_service.h) reaches it only by posting tasks.
//
// Thread: created and used on the IO thread only. Ownership: the NetworkService owns it.
// Shutdown() (on the IO thread) aborts every connection (each reports kClosed to its sink),
// cancels every load (no callback) and closes every handle; the object itself is destroyed
// after the IO thread has ended, since tasks it posted may still run until then.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "net/connection.h"
#include "net/connection_context.h"
#include "net/curl_multi.h"
#include "net/host_resolver.h"
#include "net/http_fetch.h"
#include "net/io_thread.h"
#include "net/net_log.h"
#include "net/tunnel.h"

namespace switchboard {

struct NetworkSettings {
  std::vector<std::string> dns_servers;  // "host:port"; empty: the system's
  std::string proxy;                     // explicit proxy URL; empty: the environment
  std::string ca_file;                   // CA certificates for TLS; empty: the system's store
  std::string net_log_file;              // JSON Lines net log (net_log.h); empty: none
  // An in-process receiver of every net log event, on the IO thread (net_log.h); none
  // without on_event. With neither this nor a file there is no net log at all.
  NetLogSubscriber net_log_subscriber;
};

class NetworkServiceIo final : public ConnectionContext {
 public:
  // `net_log` may be null; it outlives this object.
  NetworkServiceIo(IoThread& io_thread, const NetworkSettings& settings, NetLog* net_log);
  ~NetworkServiceIo();
  NetworkServiceIo(const NetworkServiceIo&) = delete;
  NetworkServiceIo& operator=(const NetworkServiceIo&) = delete;

  void Open(ConnectionId id, ConnectionOptions options, ConnectionEventSink sink);
  // Runs `operation` on connection `id` if it is still there.
  template <typename Operation>
  void WithConnection(ConnectionId id, Operation operation) {
    auto found = connections_.find(id);
    if (found != connections_.end()) operation(*found->second);
  }
  void Fetch(LoadId id, FetchRequest request, HttpFetcher::Callback done);
  void CancelFetch(LoadId id);
  void Shutdown();
  // Connections and loads not yet finished.
  std::size_t live_count() const { return connections_.size() + fetcher_->active_loads(); }

  // ConnectionContext.
  uv_loop_t* loop() override { return io_thread_.loop(); }
  HostResolver& resolver() override { return *resolver_; }
  TunnelConnector& tunnels() override { return *tunnels_; }
  NetLog* net_log() override { return net_log_; }
  Result<std::shared_ptr<TlsContext>> tls_context() override;
  std::string ProxyFor(const ConnectionUrl& url) const override;
  void AcquireEndpoint(Connection& connection) override;
  void ReleaseEndpoint(Connection& connection) override;
  void OnConnectionFinished(ConnectionId id) override;

 private:
  void GrantEndpoint(const std::string& key);

  IoThread& io_thread_;
  NetworkSettings settings_;
  NetLog* net_log_;
  std::unique_ptr<HostResolver> resolver_;
  std::unique_ptr<CurlMulti> curl_multi_;
  std::unique_ptr<TunnelConnector> tunnels_;
  std::unique_ptr<HttpFetcher> fetcher_;
  std::shared_ptr<TlsContext> tls_context_;
  std::optional<Error> tls_context_error_;
  std::map<ConnectionId, std::unique_ptr<Connection>> connections_;
  std::set<std::string> busy_endpoints_;
  std::map<std::string, std::deque<ConnectionId>> endpoint_waiters_;
};

}  // namespace switchboard
