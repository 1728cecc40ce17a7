// HostResolver: asynchronous DNS with c-ares, driven from the IO thread's libuv loop (the
// channel's socket-state callback opens a uv_poll_t per socket; one uv_timer_t runs c-ares'
// timeouts). Answers are cached for their TTL. /etc/hosts is honoured; the servers can be
// set (tests point them at a local dnsmasq). Spec §3.2: one resolution per connection.
//
// Thread: IO thread only, asserted. Ownership: owned by the network service on the IO
// thread; Shutdown() (or the destructor) cancels every request and closes every handle.
// Callbacks: each Resolve() callback runs exactly once, on the IO thread, never inside
// Resolve() itself (style rule 8) — unless the request was cancelled, then never.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <ares.h>
#include <uv.h>

#include "net/io_thread.h"
#include "net/result.h"

namespace switchboard {

struct ResolvedAddress {
  int family;      // AF_INET or AF_INET6
  std::string ip;  // textual, without brackets
  bool operator==(const ResolvedAddress&) const = default;
};

class HostResolver {
 public:
  using Addresses = std::vector<ResolvedAddress>;
  using Callback = std::function<void(Result<Addresses>)>;
  using RequestId = std::uint64_t;

  // `servers`: "host:port" entries (IPv6 in brackets); empty means the system's resolv.conf.
  static Result<std::unique_ptr<HostResolver>> Create(IoThread& io_thread,
                                                      const std::vector<std::string>& servers);
  ~HostResolver();
  HostResolver(const HostResolver&) = delete;
  HostResolver& operator=(const HostResolver&) = delete;

  RequestId Resolve(const std::string& host, Callback callback);
  void Cancel(RequestId id);
  void Shutdown();

  std::size_t cache_size() const { return cache_.size(); }
  // Where Resolve(host) would take its answer from now: "literal" (an IP address), "cache"
  // or "dns" (for the net log, asked just before Resolve()).
  std::string_view AnswerSource(const std::string& host) const;

 private:
  struct Request;
  struct SocketWatcher;
  struct CacheEntry {
    Addresses addresses;
    std::uint64_t expires_at_ms;
  };

  explicit HostResolver(IoThread& io_thread);
  void Deliver(RequestId id, Result<Addresses> result);
  void UpdateTimer();
  static void OnSocketState(void* data, ares_socket_t socket, int readable, int writable);
  static void OnAddressInfo(void* data, int status, int timeouts, ares_addrinfo* result);

  IoThread& io_thread_;
  ares_channel channel_ = nullptr;
  uv_timer_t* timer_ = nullptr;
  std::map<ares_socket_t, SocketWatcher*> watchers_;
  std::map<RequestId, Callback> pending_;
  std::map<std::string, CacheEntry> cache_;
  RequestId next_id_ = 1;
  bool shut_down_ = false;
};

}  // namespace switchboard
