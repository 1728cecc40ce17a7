#include "net/network_service_io.h"

#include <cassert>

#include "net/proxy.h"

namespace switchboard {

NetworkServiceIo::NetworkServiceIo(IoThread& io_thread, const NetworkSettings& settings,
                                   NetLog* net_log)
    : io_thread_(io_thread), settings_(settings), net_log_(net_log) {
  assert(io_thread_.IsCurrent());
  Result<std::unique_ptr<HostResolver>> resolver =
      HostResolver::Create(io_thread_, settings_.dns_servers);
  // Servers that cannot be used leave the system's (HostResolver::Create says why it failed).
  resolver_ = resolver.ok() ? std::move(resolver).value()
                            : std::move(HostResolver::Create(io_thread_, {}).value());
  curl_multi_ = std::make_unique<CurlMulti>(io_thread_);
  tunnels_ = std::make_unique<TunnelConnector>(*curl_multi_);
  fetcher_ = std::make_unique<HttpFetcher>(*resolver_, *curl_multi_, net_log_,
                                           FetchSettings{settings_.proxy, settings_.ca_file});
}

NetworkServiceIo::~NetworkServiceIo() { Shutdown(); }

void NetworkServiceIo::Shutdown() {
  // Abort in id order; each reports kClosed to its sink.
  while (!connections_.empty()) {
    auto first = connections_.begin();
    std::unique_ptr<Connection> connection = std::move(first->second);
    connections_.erase(first);
    connection->Abort();
  }
  fetcher_->Shutdown();
  tunnels_->Shutdown();
  curl_multi_->Shutdown();
  resolver_->Shutdown();
}

void NetworkServiceIo::Open(ConnectionId id, ConnectionOptions options, ConnectionEventSink sink) {
  auto connection = std::make_unique<Connection>(*this, id, std::move(options), std::move(sink));
  Connection* raw = connection.get();
  connections_.emplace(id, std::move(connection));
  raw->Start();
}

void NetworkServiceIo::Fetch(LoadId id, FetchRequest request, HttpFetcher::Callback done) {
  fetcher_->Start(id, std::move(request), std::move(done));
}

void NetworkServiceIo::CancelFetch(LoadId id) { fetcher_->Cancel(id); }

Result<std::shared_ptr<TlsContext>> NetworkServiceIo::tls_context() {
  // Made once, on the first TLS connection; a failure (an unreadable CA file) is kept too, so
  // that each later connection does not load the store again only to fail the same way.
  if (!tls_context_ && !tls_context_error_) {
    Result<std::shared_ptr<TlsContext>> created = TlsContext::Create(settings_.ca_file);
    if (created.ok()) {
      tls_context_ = std::move(created).value();
    } else {
      tls_context_error_ = created.error();
    }
  }
  if (tls_context_error_) return *tls_context_error_;
  return tls_context_;
}

std::string NetworkServiceIo::ProxyFor(const ConnectionUrl& url) const {
  return ChooseProxy(settings_.proxy, url.scheme, url.host);
}

// §3.6: at most one connection per endpoint past DNS and not yet open; the others wait in
// order.
void NetworkServiceIo::AcquireEndpoint(Connection& connection) {
  std::string key = connection.EndpointKey();
  endpoint_waiters_[key].push_back(connection.id());
  GrantEndpoint(key);
}

void NetworkServiceIo::ReleaseEndpoint(Connection& connection) {
  std::string key = connection.EndpointKey();
  busy_endpoints_.erase(key);
  // Posted, so that the releasing connection finishes its own step first.
  if (endpoint_waiters_.contains(key)) io_thread_.PostTask([this, key] { GrantEndpoint(key); });
}

void NetworkServiceIo::GrantEndpoint(const std::string& key) {
  if (busy_endpoints_.contains(key)) return;
  auto waiters = endpoint_waiters_.find(key);
  while (waiters != endpoint_waiters_.end() && !waiters->second.empty()) {
    ConnectionId next = waiters->second.front();
    waiters->second.pop_front();
    auto found = connections_.find(next);
    if (found != connections_.end() && found->second->TakeEndpoint()) {
      busy_endpoints_.insert(key);
      break;
    }
  }
  if (waiters != endpoint_waiters_.end() && waiters->second.empty()) {
    endpoint_waiters_.erase(waiters);
  }
}

void NetworkServiceIo::OnConnectionFinished(ConnectionId id) {
  // Deferred: the connection is still on the stack.
  io_thread_.PostTask([this, id] { connections_.erase(id); });
}

}  // namespace switchboard
