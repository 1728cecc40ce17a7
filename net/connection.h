// Connection: the IO-thread half of one TCPConnection — the state machine of spec §3-§7:
// resolve (§3.2), wait for the endpoint (§3.6), reach it through a tunnel (§3.1, §3.3), TLS
// (§3 step 4, §4.3), send the §4.1 request, validate the §4.2 response (and §5
// Access-Control), then carry §6 frames both ways with flow control until either side closes
// (§7). The bytes go through a Transport (transport.h) it owns; what happens is told to a
// ConnectionObserver (connection_observer.h: the net log, when there is one).
//
// Thread: IO thread only. Ownership: owned by the NetworkService, which destroys it after
// it reports kClosed; it reaches the IO thread's services only through its ConnectionContext
// (connection_context.h). Callbacks: every event goes to the ConnectionEventSink (which posts
// it to the main thread); kClosed is always the last, exactly once.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <uv.h>

#include "base/limits.h"
#include "net/connection_context.h"
#include "net/connection_observer.h"
#include "net/cookie_jar.h"
#include "net/framer.h"
#include "net/handshake.h"
#include "net/host_resolver.h"
#include "net/origin.h"
#include "net/result.h"
#include "net/transport.h"
#include "net/tunnel.h"
#include "net/url.h"

namespace switchboard {

// What the connections of a page have in common: made once by the page and shared, immutable,
// instead of copied into every connection (a Connection lives as long as its socket).
struct ConnectionSettings {
  Origin document_origin;
  // §4.1 Cookie / §4.2 Set-Cookie: the jar shared with page loads (may be null), and a
  // Cookie value sent in addition (embedders, tests).
  std::shared_ptr<CookieJar> cookie_jar;
  std::string cookie;
  // §9 (base/limits.h): the handshake timeout, the header block and frame limits, the receive
  // window and the linger after disconnect().
  Limits limits;
};

struct ConnectionOptions {
  ConnectionUrl url;
  SecureOption secure = SecureOption::kNotRequested;  // §4.3 {secure: true}
  // Fields the embedder's connection policy added to the §4.1 request (issue 18), already
  // checked by ExtraHeadersError() (net/request_headers.h); BuildHandshakeRequest checks again.
  std::vector<HeaderField> extra_headers{};
  // The page's; never null.
  std::shared_ptr<const ConnectionSettings> settings;
};

struct ConnectionEvent {
  enum class Kind {
    kOpen,     // peer, secure
    kFrames,   // frames (in order, one batch per read), bytes = their §6 window charge
    kWritten,  // bytes handed to the kernel (bufferedAmount shrinks by this)
    kClosed,   // error: why it failed (absent for a clean close); failed_before_open
  };
  explicit ConnectionEvent(Kind event_kind) : kind(event_kind) {}
  Kind kind;
  std::string peer;
  bool secure = false;  // kOpen: the connection runs over TLS
  FrameBatch frames;
  std::size_t bytes = 0;
  std::optional<Error> error;
  bool failed_before_open = false;
  // kClosed after open: bytes given to the socket that the peer never acknowledged (§7: a
  // failure that races disconnect() is reported as what disconnect() could not deliver).
  std::uint64_t bytes_not_delivered = 0;
  // kClosed: every byte written to and read from the socket (handshake, TLS and frames), for
  // the embedder's connection events (issue 18).
  std::uint64_t bytes_sent = 0;
  std::uint64_t bytes_received = 0;
};

// §7's reason for a disconnect() that could not deliver everything.
std::string UndeliveredBytesReason(std::uint64_t bytes, std::string_view why);

using ConnectionEventSink = std::function<void(ConnectionEvent event)>;

class Connection final : private Transport::Delegate {
 public:
  Connection(ConnectionContext& context, ConnectionId id, ConnectionOptions options,
             ConnectionEventSink sink);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void Start();
  // Frame bytes from send() (already framed, §6). Ignored unless open.
  void Send(std::string frame_bytes);
  // disconnect() (§7): flush what was sent, FIN, close once the peer has taken every byte, or
  // reset at the linger limit. Also aborts a connection in progress.
  void Disconnect();
  // Script has taken `bytes` of received frames (flow control, §6).
  void Consumed(std::size_t bytes);
  // The page is going away: close at once, report kClosed.
  void Abort();

  ConnectionId id() const { return id_; }
  // The endpoint for §3.6 throttling: "host:port".
  std::string EndpointKey() const { return options_.url.Network(); }
  // The context offers the endpoint (§3.6); false when this connection no longer wants it.
  bool TakeEndpoint();

 private:
  // Each state is entered through AdvanceTo(), whose switch runs the state's first step.
  enum class State {
    kResolving,           // §3 steps 1-2
    kWaitingForEndpoint,  // §3.6
    kConnecting,          // §3 step 3, through the tunnel
    kUpgradingToTls,      // §4.3: waiting for the 101 to Upgrade: TLS/1.0
    kTlsHandshaking,      // §3 step 4 / §4.3
    kHandshaking,         // §4.1 sent, waiting for the 101
    kOpen,                // §3 step 5, §6
    kClosing,             // §7 disconnect(): flush, FIN, linger
    kClosed,              // entered only through Close()
  };
  enum class WriteKind { kProtocol, kScriptData };

  const ConnectionSettings& settings() const { return *options_.settings; }

  void AdvanceTo(State next);
  void DoResolve();
  void DoWaitForEndpoint();
  void DoConnect();
  void DoRequestTlsUpgrade();
  void DoTlsHandshake();
  void DoHandshakeRequest();
  void DoOpen();
  void DoDisconnect();

  void OnResolved(Result<HostResolver::Addresses> addresses);
  void OnConnected(Result<ConnectedSocket> socket);
  void HandleHandshakeBytes(std::string_view bytes);
  void HandleFrameBytes(std::string_view bytes);
  CookieTransport CookieTransportInUse() const;
  void WriteToTransport(std::string bytes, WriteKind kind);
  void UpdateReading();
  void OnLingerLimit();
  void FailDisconnect(const std::string& why);
  // §7: the one close path — error absent for a clean close.
  void Close(std::optional<Error> error);
  void ReleaseResources();

  // Transport::Delegate.
  void OnTransportBytes(std::string_view bytes) override;
  void OnTransportEnd(int status) override;
  void OnTransportWritten(std::size_t script_bytes) override;
  void OnTransportWriteError(int status) override;
  void OnTransportError(Error error) override;
  void OnTlsHandshakeDone(std::optional<Error> error) override;
  void OnTransportShutdownDone(int status) override;
  void OnTransportAcknowledged() override;
  bool WantsToRead() const override;

  ConnectionContext& context_;
  ConnectionId id_;
  ConnectionOptions options_;
  ConnectionEventSink sink_;
  // Typed events for the net log (connection_net_log.h); null without a net log, when
  // observer_ is the shared ConnectionObserver::Ignoring().
  std::unique_ptr<ConnectionObserver> net_log_observer_;
  ConnectionObserver* observer_;
  Transport transport_;
  State state_ = State::kResolving;

  HostResolver::Addresses addresses_;
  std::string proxy_;  // §3.1: "" for a direct connection
  ProxyEndpoint proxy_endpoint_;
  std::optional<HostResolver::RequestId> resolve_request_;
  std::optional<TunnelConnector::AttemptId> tunnel_attempt_;
  bool holds_endpoint_ = false;

  // The §9 handshake deadline until open; after disconnect() the linger limit (§7). Freed
  // while open (an idle open connection holds no timer).
  uv_timer_t* deadline_timer_ = nullptr;
  // §7 linger: whether the FIN went out (the transport then looks at what the peer
  // acknowledged).
  bool shutdown_sent_ = false;

  // Made when the §4.1 request (or the §4.3 one) goes out, freed at open with the 101's header
  // fields: a connection waiting for its endpoint and an open one keep none.
  std::unique_ptr<HandshakeResponseParser> handshake_parser_;
  FrameDecoder frame_decoder_;
  std::size_t unconsumed_bytes_ = 0;  // delivered to script, not yet consumed
  bool paused_for_flow_control_ = false;
  // A write failed while open: no more writes; the connection fails with it once everything
  // the peer sent before has been read (§7).
  std::optional<Error> write_error_;
  const char* clean_close_cause_ = "server closed";  // the close event's cause
};

}  // namespace switchboard
