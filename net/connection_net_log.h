// ConnectionNetLogObserver: writes one connection's ConnectionObserver events to the net log
// (net_log.h; the event names and params are listed in net/net_log.md, and net_log_test.cc,
// scripts/netlog-view and the web tests read them). The only place a connection's JSON is
// built: secrets are masked here (MaskUrlCredentials, MaskProxyUrl, SplitHeadLines).
//
// Thread: IO thread only. Ownership: owned by its Connection (made only when there is a
// log, so a page without --net-log builds no parameters); the NetLog outlives it.
// Callbacks: none.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "net/connection_observer.h"
#include "net/net_log.h"

namespace switchboard {

// The parameters of DNS events, the same for connections and for loads (http_fetch.cc).
std::vector<std::string> AddressList(const HostResolver::Addresses& addresses);
NetLogParams ResolveStartParams(const std::string& host, bool for_proxy,
                                const HostResolver& resolver);
NetLogParams ResolveEndParams(std::string_view host, const Result<HostResolver::Addresses>& result);

class ConnectionNetLogObserver : public ConnectionObserver {
 public:
  // `max_header_block_bytes` (§9): how much of a handshake response head is kept to log.
  ConnectionNetLogObserver(NetLog& net_log, std::uint64_t source,
                           std::size_t max_header_block_bytes);

  void OnStart(const ConnectionUrl& url, const Origin& document_origin, bool secure_requested,
               std::string_view proxy) override;
  void OnResolveStart(const std::string& host, ResolveFor purpose,
                      const HostResolver& resolver) override;
  void OnResolveEnd(std::string_view host, const Result<HostResolver::Addresses>& result) override;
  void OnEndpointWait(std::string_view endpoint) override;
  void OnConnectStart(const ConnectionUrl& url, const HostResolver::Addresses& addresses,
                      std::string_view proxy) override;
  void OnTlsStart(std::string_view server_name, bool upgrade) override;
  void OnTlsEnd(const TlsClient& tls, const std::optional<Error>& error) override;
  void OnHandshakeRequest(HandshakePurpose purpose, std::string_view request) override;
  void OnHandshakeResponseBytes(std::string_view bytes) override;
  void OnHandshakeResponse(bool complete, std::size_t leftover_bytes, int status_code) override;
  void OnHandshakeResponseCut(int status_code) override;
  void OnOpen(std::string_view peer, bool secure, std::size_t cookies_set) override;
  void OnFrameSent(std::string_view text) override;
  void OnFrameReceived(std::string_view text) override;
  void OnFlowControlPause(std::size_t unconsumed_bytes) override;
  void OnFlowControlResume(std::size_t unconsumed_bytes) override;
  void OnDisconnect() override;
  void OnClose(const std::optional<Error>& error, bool before_open, std::string_view clean_cause,
               ByteTotals bytes) override;

 private:
  NetLogParams FrameParams(std::string_view text) const;

  NetLog& net_log_;
  std::uint64_t source_;
  std::size_t max_header_block_bytes_;
  std::string handshake_head_;  // response bytes received so far
  std::uint64_t frames_sent_ = 0;
  std::uint64_t frames_received_ = 0;
};

// The observer of connection `source`: a ConnectionNetLogObserver when there is a log, null
// without one (the connection then uses ConnectionObserver::Ignoring()).
std::unique_ptr<ConnectionObserver> MakeConnectionObserver(NetLog* net_log, std::uint64_t source,
                                                           std::size_t max_header_block_bytes);

}  // namespace switchboard
