// NetworkService: the network stack of one page, for every load it makes — its
// TCPConnections and its page and script loads. Owns the IO thread and, on it, the
// HostResolver, the CurlMulti with the TunnelConnector and the HttpFetcher on it, and every
// Connection; applies spec §3.1 (proxy choice) and §3.6 (one connection per endpoint past DNS
// at a time).
//
// Thread: constructed, used and destroyed on the main thread; its public methods post to
// the IO thread and return at once. Everything else runs on the IO thread.
// Ownership: the page owns it. The destructor aborts every connection (each reports
// kClosed to its sink, which must tolerate the page being gone — the engine's sink posts to
// a loop that is closing), shuts the IO side down and joins the thread with no handle left.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

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
};

class NetworkService final : public ConnectionContext {
 public:
  explicit NetworkService(NetworkSettings settings);
  ~NetworkService();
  NetworkService(const NetworkService&) = delete;
  NetworkService& operator=(const NetworkService&) = delete;

  // Once per process, before any service exists and before other threads start (libcurl's
  // global set-up); and its counterpart, after the last service is gone.
  static void InitializeProcess();
  static void ShutdownProcess();
  // The network libraries in use, e.g. "libcurl/7.88.1 OpenSSL/3.0.17 c-ares/1.18.1 libuv/1.44.2".
  static std::string LibraryVersions();

  // Main thread API.
  void Open(ConnectionId id, ConnectionOptions options, ConnectionEventSink sink);
  void Send(ConnectionId id, std::string frame_bytes);
  void Disconnect(ConnectionId id);
  void Consumed(ConnectionId id, std::size_t bytes);
  // A page or script load (http_fetch.h). `done` runs on the IO thread, once — unless the
  // load is cancelled or the service is destroyed first. Returns the load's id.
  LoadId Fetch(FetchRequest request, HttpFetcher::Callback done);
  void CancelFetch(LoadId id);
  // Blocks until the IO thread answers: handles open on its loop, and live connections.
  std::pair<int, std::size_t> CountLiveResourcesForTesting();

  // IO thread API: the ConnectionContext of every Connection (connection_context.h).
  IoThread& io_thread() { return *io_thread_; }
  uv_loop_t* loop() override { return io_thread_->loop(); }
  HostResolver& resolver() override { return *resolver_; }
  TunnelConnector& tunnels() override { return *tunnels_; }
  // Null when there is no net log (the common case: callers test it before logging).
  NetLog* net_log() override { return net_log_.get(); }
  // The page's TLS configuration, made on first use.
  Result<std::shared_ptr<TlsContext>> tls_context() override;
  // §3.1: the proxy URL for a target, "" for a direct connection.
  std::string ProxyFor(const ConnectionUrl& url) const override;
  void AcquireEndpoint(Connection& connection) override;
  void ReleaseEndpoint(Connection& connection) override;
  void OnConnectionFinished(ConnectionId id) override;

 private:
  void GrantEndpoint(const std::string& key);
  void StartOnIoThread();
  void StopOnIoThread();
  template <typename Operation>
  void WithConnection(ConnectionId id, Operation operation);

  NetworkSettings settings_;
  std::unique_ptr<NetLog> net_log_;  // opened before the IO thread starts, closed after it ends
  std::unique_ptr<IoThread> io_thread_;
  // IO thread state.
  std::unique_ptr<HostResolver> resolver_;
  std::unique_ptr<CurlMulti> curl_multi_;
  std::unique_ptr<TunnelConnector> tunnels_;
  std::unique_ptr<HttpFetcher> fetcher_;
  std::shared_ptr<TlsContext> tls_context_;
  std::optional<Error> tls_context_error_;
  std::map<ConnectionId, std::unique_ptr<Connection>> connections_;
  std::set<std::string> busy_endpoints_;
  std::map<std::string, std::deque<ConnectionId>> endpoint_waiters_;
  std::string resolver_error_;
  // Main thread state.
  LoadId next_load_id_ = 1;
};

}  // namespace switchboard
