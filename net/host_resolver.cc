#include "net/host_resolver.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cassert>
#include <limits>
#include <mutex>

#include "base/ascii.h"

namespace switchboard {

namespace {

std::once_flag g_ares_library_init;

// The name as the cache and c-ares know it: lowercase, an IPv6 literal without its brackets.
std::string LookupName(const std::string& host) {
  std::string name = AsciiLowercase(host);
  if (name.size() > 2 && name.front() == '[' && name.back() == ']') {
    name = name.substr(1, name.size() - 2);
  }
  return name;
}

// AF_INET or AF_INET6 for an IP literal, which needs no lookup; 0 for a name.
int IpLiteralFamily(const std::string& name) {
  in6_addr ipv6;
  in_addr ipv4;
  if (inet_pton(AF_INET, name.c_str(), &ipv4) == 1) return AF_INET;
  if (inet_pton(AF_INET6, name.c_str(), &ipv6) == 1) return AF_INET6;
  return 0;
}

}  // namespace

struct HostResolver::Request {
  HostResolver* resolver;
  RequestId id;
  std::string host;
};

struct HostResolver::SocketWatcher {
  HostResolver* resolver;
  ares_socket_t socket;
  uv_poll_t poll;
};

HostResolver::HostResolver(IoThread& io_thread) : io_thread_(io_thread) {}

Result<std::unique_ptr<HostResolver>> HostResolver::Create(
    IoThread& io_thread, const std::vector<std::string>& servers) {
  assert(io_thread.IsCurrent());
  std::call_once(g_ares_library_init, [] { ares_library_init(ARES_LIB_INIT_ALL); });
  std::unique_ptr<HostResolver> resolver(new HostResolver(io_thread));
  ares_options options{};
  options.sock_state_cb = &HostResolver::OnSocketState;
  options.sock_state_cb_data = resolver.get();
  options.timeout = 2000;  // per try, milliseconds
  options.tries = 2;
  int status = ares_init_options(&resolver->channel_, &options,
                                 ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES);
  if (status != ARES_SUCCESS) {
    return Error{Stage::kDns, std::string("c-ares could not start: ") + ares_strerror(status)};
  }
  if (!servers.empty()) {
    std::string csv;
    for (const std::string& server : servers) csv += (csv.empty() ? "" : ",") + server;
    status = ares_set_servers_ports_csv(resolver->channel_, csv.c_str());
    if (status != ARES_SUCCESS) {
      ares_destroy(resolver->channel_);
      resolver->channel_ = nullptr;
      return Error{Stage::kDns, "bad DNS servers '" + csv + "': " + ares_strerror(status)};
    }
  }
  resolver->timer_ = new uv_timer_t;
  uv_timer_init(io_thread.loop(), resolver->timer_);
  resolver->timer_->data = resolver.get();
  return resolver;
}

HostResolver::~HostResolver() { Shutdown(); }

void HostResolver::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  pending_.clear();  // callbacks of cancelled requests never run
  if (channel_) {
    ares_destroy(channel_);  // completes queries with ARES_EDESTRUCTION, closes sockets
    channel_ = nullptr;
  }
  for (auto& [socket, watcher] : watchers_) {
    uv_close(reinterpret_cast<uv_handle_t*>(&watcher->poll),
             [](uv_handle_t* handle) { delete static_cast<SocketWatcher*>(handle->data); });
  }
  watchers_.clear();
  if (timer_) {
    uv_close(reinterpret_cast<uv_handle_t*>(timer_),
             [](uv_handle_t* handle) { delete reinterpret_cast<uv_timer_t*>(handle); });
    timer_ = nullptr;
  }
}

std::string_view HostResolver::AnswerSource(const std::string& host) const {
  const std::string name = LookupName(host);
  if (IpLiteralFamily(name) != 0) return "literal";
  auto cached = cache_.find(name);
  if (cached != cache_.end() && cached->second.expires_at_ms > uv_now(io_thread_.loop())) {
    return "cache";
  }
  return "dns";
}

HostResolver::RequestId HostResolver::Resolve(const std::string& host, Callback callback) {
  assert(io_thread_.IsCurrent());
  RequestId id = next_id_++;
  pending_.emplace(id, std::move(callback));
  if (shut_down_) {
    io_thread_.PostTask([this, id] { pending_.erase(id); });
    return id;
  }
  std::string name = LookupName(host);
  // IP literals need no lookup.
  if (const int family = IpLiteralFamily(name); family != 0) {
    io_thread_.PostTask([this, id, family, name] { Deliver(id, Addresses{{family, name}}); });
    return id;
  }
  auto cached = cache_.find(name);
  if (cached != cache_.end()) {
    if (cached->second.expires_at_ms > uv_now(io_thread_.loop())) {
      io_thread_.PostTask(
          [this, id, addresses = cached->second.addresses] { Deliver(id, addresses); });
      return id;
    }
    cache_.erase(cached);
  }
  ares_addrinfo_hints hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  // Not ARES_AI_NOSORT: c-ares orders the answers by RFC 6724, the order to try them in.
  ares_getaddrinfo(channel_, name.c_str(), nullptr, &hints, &HostResolver::OnAddressInfo,
                   new Request{this, id, name});
  UpdateTimer();
  return id;
}

void HostResolver::Cancel(RequestId id) {
  assert(io_thread_.IsCurrent());
  pending_.erase(id);
}

void HostResolver::Deliver(RequestId id, Result<Addresses> result) {
  auto found = pending_.find(id);
  if (found == pending_.end()) return;  // cancelled
  Callback callback = std::move(found->second);
  pending_.erase(found);
  callback(std::move(result));
}

void HostResolver::OnAddressInfo(void* data, int status, int /*timeouts*/, ares_addrinfo* info) {
  std::unique_ptr<Request> request(static_cast<Request*>(data));
  HostResolver* self = request->resolver;
  if (status == ARES_EDESTRUCTION || status == ARES_ECANCELLED) {
    if (info) ares_freeaddrinfo(info);
    return;
  }
  if (status != ARES_SUCCESS || !info || !info->nodes) {
    if (info) ares_freeaddrinfo(info);
    self->Deliver(request->id, Error{Stage::kDns, "could not resolve '" + request->host +
                                                      "': " + ares_strerror(status)});
    return;
  }
  Addresses addresses;
  int min_ttl = std::numeric_limits<int>::max();
  for (ares_addrinfo_node* node = info->nodes; node; node = node->ai_next) {
    char text[INET6_ADDRSTRLEN] = {};
    if (node->ai_family == AF_INET) {
      inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(node->ai_addr)->sin_addr, text,
                sizeof text);
    } else if (node->ai_family == AF_INET6) {
      inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(node->ai_addr)->sin6_addr, text,
                sizeof text);
    } else {
      continue;
    }
    ResolvedAddress address{node->ai_family, text};
    if (std::find(addresses.begin(), addresses.end(), address) == addresses.end()) {
      addresses.push_back(address);
    }
    min_ttl = std::min(min_ttl, node->ai_ttl);
  }
  ares_freeaddrinfo(info);
  if (addresses.empty()) {
    self->Deliver(request->id, Error{Stage::kDns, "no addresses for '" + request->host + "'"});
    return;
  }
  if (min_ttl > 0 && min_ttl != std::numeric_limits<int>::max()) {
    self->cache_[request->host] = {
        addresses, uv_now(self->io_thread_.loop()) + static_cast<std::uint64_t>(min_ttl) * 1000};
  }
  self->Deliver(request->id, std::move(addresses));
}

void HostResolver::OnSocketState(void* data, ares_socket_t socket, int readable, int writable) {
  auto* self = static_cast<HostResolver*>(data);
  auto found = self->watchers_.find(socket);
  if (!readable && !writable) {
    if (found == self->watchers_.end()) return;
    uv_close(reinterpret_cast<uv_handle_t*>(&found->second->poll),
             [](uv_handle_t* handle) { delete static_cast<SocketWatcher*>(handle->data); });
    self->watchers_.erase(found);
    return;
  }
  SocketWatcher* watcher;
  if (found == self->watchers_.end()) {
    watcher = new SocketWatcher{self, socket, {}};
    uv_poll_init_socket(self->io_thread_.loop(), &watcher->poll, socket);
    watcher->poll.data = watcher;
    self->watchers_.emplace(socket, watcher);
  } else {
    watcher = found->second;
  }
  int events = (readable ? UV_READABLE : 0) | (writable ? UV_WRITABLE : 0);
  uv_poll_start(&watcher->poll, events, [](uv_poll_t* poll, int status, int ready) {
    auto* ready_watcher = static_cast<SocketWatcher*>(poll->data);
    HostResolver* resolver = ready_watcher->resolver;
    ares_socket_t fd = ready_watcher->socket;
    // On a poll error let c-ares read and write, so that it sees the error itself.
    bool read = status < 0 || (ready & UV_READABLE);
    bool write = status < 0 || (ready & UV_WRITABLE);
    ares_process_fd(resolver->channel_, read ? fd : ARES_SOCKET_BAD, write ? fd : ARES_SOCKET_BAD);
    resolver->UpdateTimer();
  });
}

void HostResolver::UpdateTimer() {
  if (!timer_ || !channel_) return;
  timeval max_wait{1, 0};
  timeval wait{};
  if (!ares_timeout(channel_, &max_wait, &wait) || pending_.empty()) {
    uv_timer_stop(timer_);
    return;
  }
  // Round up, and never 0: a 0 ms timer re-armed from its own callback would run again in
  // the same timer phase of libuv and starve the socket polls.
  std::uint64_t delay_ms = static_cast<std::uint64_t>(wait.tv_sec) * 1000 +
                           (static_cast<std::uint64_t>(wait.tv_usec) + 999) / 1000;
  delay_ms = std::max<std::uint64_t>(delay_ms, 1);
  uv_timer_start(
      timer_,
      [](uv_timer_t* timer) {
        auto* resolver = static_cast<HostResolver*>(timer->data);
        ares_process_fd(resolver->channel_, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
        resolver->UpdateTimer();
      },
      delay_ms, 0);
}

}  // namespace switchboard
