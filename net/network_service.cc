#include "net/network_service.h"

#include <cassert>
#include <cstdio>
#include <cstdlib>
#include <future>

#include <ares.h>
#include <curl/curl.h>
#include <uv.h>

#include "net/proxy.h"

namespace switchboard {

void NetworkService::InitializeProcess() { curl_global_init(CURL_GLOBAL_DEFAULT); }

void NetworkService::ShutdownProcess() { curl_global_cleanup(); }

std::string NetworkService::LibraryVersions() {
  const curl_version_info_data* curl = curl_version_info(CURLVERSION_NOW);
  std::string versions = std::string("libcurl/") + curl->version;
  if (curl->ssl_version) versions += std::string(" ") + curl->ssl_version;
  versions += std::string(" c-ares/") + ares_version(nullptr);
  versions += std::string(" libuv/") + uv_version_string();
  return versions;
}

NetworkService::NetworkService(NetworkSettings settings) : settings_(std::move(settings)) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  if (!settings_.net_log_file.empty()) {
    // A log that cannot be written must not stop the page; say so once.
    Result<std::unique_ptr<NetLog>> opened = NetLog::OpenFile(settings_.net_log_file);
    if (opened.ok()) {
      net_log_ = std::move(opened).value();
    } else {
      std::fprintf(stderr, "switchboard: %s\n", opened.error().message.c_str());
    }
  }
  io_thread_ = std::make_unique<IoThread>();
  std::promise<void> started;
  io_thread_->PostTask([&] {
    StartOnIoThread();
    started.set_value();
  });
  started.get_future().wait();
}

NetworkService::~NetworkService() {
  std::promise<void> stopped;
  io_thread_->PostTask([&] {
    StopOnIoThread();
    stopped.set_value();
  });
  stopped.get_future().wait();
  io_thread_.reset();  // joins; asserts that no handle is left
  net_log_.reset();    // log_end, after every connection's close event
}

void NetworkService::StartOnIoThread() {
  Result<std::unique_ptr<HostResolver>> resolver =
      HostResolver::Create(*io_thread_, settings_.dns_servers);
  if (resolver.ok()) {
    resolver_ = std::move(resolver).value();
  } else {
    // Without servers nothing resolves; every connection fails at stage dns with the reason.
    resolver_error_ = resolver.error().message;
    resolver_ = std::move(HostResolver::Create(*io_thread_, {}).value());
  }
  curl_multi_ = std::make_unique<CurlMulti>(*io_thread_);
  tunnels_ = std::make_unique<TunnelConnector>(*curl_multi_);
  fetcher_ = std::make_unique<HttpFetcher>(*resolver_, *curl_multi_, net_log_.get(),
                                           FetchSettings{settings_.proxy, settings_.ca_file});
}

void NetworkService::StopOnIoThread() {
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

Result<std::shared_ptr<TlsContext>> NetworkService::tls_context() {
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

void NetworkService::Open(ConnectionId id, ConnectionOptions options, ConnectionEventSink sink) {
  io_thread_->PostTask([this, id, options = std::move(options), sink = std::move(sink)]() mutable {
    auto connection = std::make_unique<Connection>(*this, id, std::move(options), std::move(sink));
    Connection* raw = connection.get();
    connections_.emplace(id, std::move(connection));
    raw->Start();
  });
}

LoadId NetworkService::Fetch(FetchRequest request, HttpFetcher::Callback done) {
  LoadId id = next_load_id_++;
  io_thread_->PostTask([this, id, request = std::move(request), done = std::move(done)]() mutable {
    fetcher_->Start(id, std::move(request), std::move(done));
  });
  return id;
}

void NetworkService::CancelFetch(LoadId id) {
  io_thread_->PostTask([this, id] { fetcher_->Cancel(id); });
}

template <typename Operation>
void NetworkService::WithConnection(ConnectionId id, Operation operation) {
  io_thread_->PostTask([this, id, operation = std::move(operation)]() mutable {
    auto found = connections_.find(id);
    if (found != connections_.end()) operation(*found->second);
  });
}

void NetworkService::Send(ConnectionId id, std::string frame_bytes) {
  WithConnection(id, [bytes = std::move(frame_bytes)](Connection& connection) mutable {
    connection.Send(std::move(bytes));
  });
}

void NetworkService::Disconnect(ConnectionId id) {
  WithConnection(id, [](Connection& connection) { connection.Disconnect(); });
}

void NetworkService::Consumed(ConnectionId id, std::size_t bytes) {
  WithConnection(id, [bytes](Connection& connection) { connection.Consumed(bytes); });
}

std::pair<int, std::size_t> NetworkService::CountLiveResourcesForTesting() {
  std::promise<std::pair<int, std::size_t>> answer;
  io_thread_->PostTask([&] {
    answer.set_value(
        {io_thread_->CountOpenHandles(), connections_.size() + fetcher_->active_loads()});
  });
  return answer.get_future().get();
}

std::string NetworkService::ProxyFor(const ConnectionUrl& url) const {
  return ChooseProxy(settings_.proxy, url.scheme, url.host);
}

// §3.6: at most one connection per endpoint past DNS and not yet open; the others wait in
// order.
void NetworkService::AcquireEndpoint(Connection& connection) {
  std::string key = connection.EndpointKey();
  endpoint_waiters_[key].push_back(connection.id());
  GrantEndpoint(key);
}

void NetworkService::ReleaseEndpoint(Connection& connection) {
  std::string key = connection.EndpointKey();
  busy_endpoints_.erase(key);
  // Posted, so that the releasing connection finishes its own step first.
  if (endpoint_waiters_.contains(key)) io_thread_->PostTask([this, key] { GrantEndpoint(key); });
}

void NetworkService::GrantEndpoint(const std::string& key) {
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
  if (waiters != endpoint_waiters_.end() && waiters->second.empty())
    endpoint_waiters_.erase(waiters);
}

void NetworkService::OnConnectionFinished(ConnectionId id) {
  // Deferred: the connection is still on the stack.
  io_thread_->PostTask([this, id] { connections_.erase(id); });
}

}  // namespace switchboard
