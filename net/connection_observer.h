// ConnectionObserver: what a Connection reports of its way through spec §3-§7, as typed
// events (Chromium's NetLogWithSource: the state machine says what happened, an observer
// decides what to record). The base class ignores everything; ConnectionNetLogObserver
// (connection_net_log.h) writes the net log.
//
// Thread: IO thread only (Ignoring(), which has no state, on every IO thread). Ownership: owned
// by its Connection; Ignoring() is one for all. Callbacks: none — an observer
// only records; it never calls back into the Connection. Events come in the order the
// connection observed them; OnClose is the last, exactly once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "net/host_resolver.h"
#include "net/origin.h"
#include "net/result.h"
#include "net/tls_client.h"
#include "net/url.h"

namespace switchboard {

class ConnectionObserver {
 public:
  enum class ResolveFor { kTarget, kProxy };                    // §3.2
  enum class HandshakePurpose { kTlsUpgrade, kTcpConnection };  // §4.3, §4.1
  // The socket's totals at close, TLS records included.
  struct ByteTotals {
    std::uint64_t sent = 0;
    std::uint64_t received = 0;
  };

  ConnectionObserver() = default;
  virtual ~ConnectionObserver() = default;
  // The observer of connections without a net log: drops every event unbuilt, and is shared
  // so that such a connection allocates none.
  static ConnectionObserver& Ignoring();
  ConnectionObserver(const ConnectionObserver&) = delete;
  ConnectionObserver& operator=(const ConnectionObserver&) = delete;

  // §3 step 1: the connection starts, through `proxy` ("" direct).
  virtual void OnStart(const ConnectionUrl&, const Origin& /*document_origin*/,
                       bool /*secure_requested*/, std::string_view /*proxy*/) {}
  // §3.2: `resolver` says where the answer will come from.
  virtual void OnResolveStart(const std::string& /*host*/, ResolveFor, const HostResolver&) {}
  virtual void OnResolveEnd(std::string_view /*host*/, const Result<HostResolver::Addresses>&) {}
  virtual void OnEndpointWait(std::string_view /*endpoint*/) {}  // §3.6
  virtual void OnConnectStart(const ConnectionUrl&, const HostResolver::Addresses&,
                              std::string_view /*proxy*/) {}
  // §3 step 4 / §4.3.
  virtual void OnTlsStart(std::string_view /*server_name*/, bool /*upgrade*/) {}
  virtual void OnTlsEnd(const TlsClient&, const std::optional<Error>&) {}
  // §4.1 / §4.3: the request head as sent.
  virtual void OnHandshakeRequest(HandshakePurpose, std::string_view /*request*/) {}
  // §4.2: response bytes as they arrive, until the response is complete or refused.
  virtual void OnHandshakeResponseBytes(std::string_view) {}
  // §4.2: the parser finished with the response (accepted it, or refused it); the last
  // `leftover_bytes` of what arrived are not part of it.
  virtual void OnHandshakeResponse(bool /*complete*/, std::size_t /*leftover_bytes*/,
                                   int /*status_code*/) {}
  // The stream ended before the parser finished with the response.
  virtual void OnHandshakeResponseCut(int /*status_code*/) {}
  virtual void OnOpen(std::string_view /*peer*/, bool /*secure*/, std::size_t /*cookies_set*/) {}
  // §6: one frame, `text` being its contents without 0x02 and 0x17 (the file records only
  // the size; an in-process subscriber may ask for the text, net_log.h).
  virtual void OnFrameSent(std::string_view /*text*/) {}
  virtual void OnFrameReceived(std::string_view /*text*/) {}
  virtual void OnFlowControlPause(std::size_t /*unconsumed_bytes*/) {}
  virtual void OnFlowControlResume(std::size_t /*unconsumed_bytes*/) {}
  virtual void OnDisconnect() {}  // §7 disconnect() from script
  // §7: `error` absent for a clean close, which `clean_cause` names.
  virtual void OnClose(const std::optional<Error>&, bool /*before_open*/,
                       std::string_view /*clean_cause*/, ByteTotals) {}
};

}  // namespace switchboard
