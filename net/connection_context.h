// ConnectionContext: the few IO-thread services a Connection needs (spec §3): the loop, the
// resolver (§3.2), the tunnels (§3.1, §3.3), the page's TLS configuration (§3 step 4, §4.3),
// the proxy choice (§3.1), the endpoint throttle (§3.6) and the net log — instead of the whole
// NetworkService, whose main-thread API a Connection has no business with.
//
// Thread: IO thread only; every method is called from it. Ownership: implemented by the
// NetworkService, which outlives each of its connections. Callbacks: AcquireEndpoint() answers
// later through Connection::TakeEndpoint() (never from inside AcquireEndpoint's caller's step
// when another connection holds the endpoint); OnConnectionFinished() forgets the connection
// in a posted task, so the connection may still be on the stack when it is called.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <uv.h>

#include "net/host_resolver.h"
#include "net/net_log.h"
#include "net/result.h"
#include "net/tls_client.h"
#include "net/tunnel.h"
#include "net/url.h"

namespace switchboard {

class Connection;

using ConnectionId = std::uint64_t;

class ConnectionContext {
 public:
  virtual uv_loop_t* loop() = 0;
  virtual HostResolver& resolver() = 0;
  virtual TunnelConnector& tunnels() = 0;
  // The page's TLS configuration, made on first use.
  virtual Result<std::shared_ptr<TlsContext>> tls_context() = 0;
  // §3.1: the proxy URL for a target, "" for a direct connection.
  virtual std::string ProxyFor(const ConnectionUrl& url) const = 0;
  // §3.6: queue `connection` for its endpoint; TakeEndpoint() is called when it is its turn.
  virtual void AcquireEndpoint(Connection& connection) = 0;
  virtual void ReleaseEndpoint(Connection& connection) = 0;
  // The connection has reported kClosed (or is about to): the owner may destroy it later.
  virtual void OnConnectionFinished(ConnectionId id) = 0;
  // Null when there is no net log.
  virtual NetLog* net_log() = 0;

 protected:
  ~ConnectionContext() = default;
};

}  // namespace switchboard
