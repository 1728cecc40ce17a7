#include "net/connection.h"

#include <unistd.h>

#include <algorithm>
#include <cassert>

#include "base/host_port.h"
#include "net/connection_net_log.h"
#include "net/uv_handle.h"

namespace switchboard {

std::string UndeliveredBytesReason(std::uint64_t bytes, std::string_view why) {
  return std::to_string(bytes) + " bytes were not delivered: " + std::string(why);
}

ConnectionObserver& ConnectionObserver::Ignoring() {
  static ConnectionObserver ignoring;
  return ignoring;
}

Connection::Connection(ConnectionContext& context, ConnectionId id, ConnectionOptions options,
                       ConnectionEventSink sink)
    : context_(context),
      id_(id),
      options_(std::move(options)),
      sink_(std::move(sink)),
      net_log_observer_(MakeConnectionObserver(context.net_log(), id,
                                               settings().limits.max_response_header_bytes)),
      observer_(net_log_observer_ ? net_log_observer_.get() : &ConnectionObserver::Ignoring()),
      transport_(context.loop(), *this),
      frame_decoder_(settings().limits.max_frame_bytes) {}

Connection::~Connection() { assert(state_ == State::kClosed && !deadline_timer_); }

void Connection::Start() {
  // §9: the whole connect path, up to the 101, runs against the handshake timeout.
  deadline_timer_ = new uv_timer_t;
  uv_timer_init(context_.loop(), deadline_timer_);
  deadline_timer_->data = this;
  uv_timer_start(
      deadline_timer_,
      [](uv_timer_t* timer) {
        auto* self = static_cast<Connection*>(timer->data);
        self->Close(Error{Stage::kTimeout,
                          "no 101 response within " +
                              std::to_string(self->settings().limits.handshake_timeout.count()) +
                              " ms"});
      },
      static_cast<std::uint64_t>(settings().limits.handshake_timeout.count()), 0);
  AdvanceTo(State::kResolving);
}

// One switch advances the connection (style rule 7): `next` is entered and its first step
// runs. Each step asserts the state it belongs to; what completes it (a callback) advances.
void Connection::AdvanceTo(State next) {
  state_ = next;
  switch (next) {
    case State::kResolving:
      DoResolve();
      return;
    case State::kWaitingForEndpoint:
      DoWaitForEndpoint();
      return;
    case State::kConnecting:
      DoConnect();
      return;
    case State::kUpgradingToTls:
      DoRequestTlsUpgrade();
      return;
    case State::kTlsHandshaking:
      DoTlsHandshake();
      return;
    case State::kHandshaking:
      DoHandshakeRequest();
      return;
    case State::kOpen:
      DoOpen();
      return;
    case State::kClosing:
      DoDisconnect();
      return;
    case State::kClosed:
      assert(false && "kClosed is entered through Close()");
      return;
  }
}

// §3 steps 1-2.
void Connection::DoResolve() {
  assert(state_ == State::kResolving);
  // 1. Proxy (§3.1): the configured one, else the environment's; "" for a direct connection.
  proxy_ = context_.ProxyFor(options_.url);
  observer_->OnStart(options_.url, settings().document_origin,
                     options_.secure == SecureOption::kRequested, proxy_);
  if (!proxy_.empty()) {
    Result<ProxyEndpoint> endpoint = ParseProxyEndpoint(proxy_);
    if (!endpoint.ok()) {
      Close(endpoint.error());
      return;
    }
    proxy_endpoint_ = endpoint.value();
    // 2. DNS (§3.2): with a proxy, our resolver resolves the proxy's name; the target's is
    //    left to the proxy (CONNECT host:port).
    observer_->OnResolveStart(proxy_endpoint_.host, ConnectionObserver::ResolveFor::kProxy,
                              context_.resolver());
    resolve_request_ = context_.resolver().Resolve(
        proxy_endpoint_.host, [this](Result<HostResolver::Addresses> result) {
          resolve_request_.reset();
          observer_->OnResolveEnd(proxy_endpoint_.host, result);
          if (!result.ok()) {
            Close(Error{Stage::kProxy, "could not resolve the proxy: " + result.error().message});
            return;
          }
          proxy_endpoint_.addresses = std::move(result).value();
          OnResolved(HostResolver::Addresses{});
        });
    return;
  }
  // 2. DNS (§3.2): the target's name, once for this connection.
  observer_->OnResolveStart(options_.url.host, ConnectionObserver::ResolveFor::kTarget,
                            context_.resolver());
  resolve_request_ = context_.resolver().Resolve(
      options_.url.host, [this](Result<HostResolver::Addresses> result) {
        resolve_request_.reset();
        observer_->OnResolveEnd(options_.url.host, result);
        OnResolved(std::move(result));
      });
}

void Connection::OnResolved(Result<HostResolver::Addresses> addresses) {
  if (state_ != State::kResolving) return;
  if (!addresses.ok()) {
    Close(addresses.error());
    return;
  }
  addresses_ = std::move(addresses).value();
  AdvanceTo(State::kWaitingForEndpoint);
}

// 6. Throttling (§3.6): one connection per endpoint past DNS and not yet open; the context
//    calls TakeEndpoint() when it is this one's turn (at once when nobody holds it).
void Connection::DoWaitForEndpoint() {
  assert(state_ == State::kWaitingForEndpoint);
  observer_->OnEndpointWait(EndpointKey());
  context_.AcquireEndpoint(*this);
}

bool Connection::TakeEndpoint() {
  if (state_ != State::kWaitingForEndpoint) return false;
  holds_endpoint_ = true;
  AdvanceTo(State::kConnecting);
  return true;
}

// 3. TCP connect (§3 step 3): the tunnel tries the resolved addresses in turn, directly or
//    through the proxy's CONNECT (§3.1).
void Connection::DoConnect() {
  assert(state_ == State::kConnecting);
  observer_->OnConnectStart(options_.url, addresses_, proxy_);
  // The tunnel takes the addresses: an open connection keeps none.
  TunnelRequest request;
  request.host = options_.url.host;
  request.port = options_.url.port;
  request.addresses = std::move(addresses_);
  request.proxy = proxy_;
  request.proxy_host = proxy_endpoint_.host;
  request.proxy_port = proxy_endpoint_.port;
  request.proxy_addresses = std::move(proxy_endpoint_.addresses);
  request.connect_timeout_ms = static_cast<long>(settings().limits.handshake_timeout.count());
  request.net_log = context_.net_log();
  request.net_log_source = id_;
  tunnel_attempt_ = context_.tunnels().Connect(request, [this](Result<ConnectedSocket> socket) {
    tunnel_attempt_.reset();
    OnConnected(std::move(socket));
  });
}

// Once the byte stream is there: TLS first for https: (§3 step 4), the RFC 2817 upgrade
// for {secure: true} on http: (§4.3), else the §4.1 request at once (§3 step 5).
void Connection::OnConnected(Result<ConnectedSocket> socket) {
  if (state_ != State::kConnecting) {
    if (socket.ok()) close(socket.value().socket);
    return;
  }
  if (!socket.ok()) {
    Close(socket.error());
    return;
  }
  if (Result<Ok> opened = transport_.Open(socket.value().socket); !opened.ok()) {
    Close(opened.error());
    return;
  }
  if (options_.url.scheme == "https") {
    AdvanceTo(State::kTlsHandshaking);
  } else if (options_.secure == SecureOption::kRequested) {
    AdvanceTo(State::kUpgradingToTls);
  } else {
    AdvanceTo(State::kHandshaking);
  }
  UpdateReading();  // in the state just entered (a no-op if that failed)
}

// §4.3: OPTIONS with Upgrade: TLS/1.0 in clear; the 101 must list TLS/1.0.
void Connection::DoRequestTlsUpgrade() {
  assert(state_ == State::kUpgradingToTls);
  Result<std::string> request =
      BuildTlsUpgradeRequest(options_.url.request_target, options_.url.HostHeader());
  if (!request.ok()) {
    Close(request.error());
    return;
  }
  handshake_parser_ = std::make_unique<HandshakeResponseParser>(
      HandshakeExpectation::kTlsUpgrade, settings().limits.max_response_header_bytes);
  observer_->OnHandshakeRequest(ConnectionObserver::HandshakePurpose::kTlsUpgrade, request.value());
  WriteToTransport(std::move(request).value(), WriteKind::kProtocol);
}

// 4. TLS (§3 step 4, or §4.3 after the 101 to Upgrade: TLS/1.0): SNI = host, verified. The
//    transport drives the handshake; OnTlsHandshakeDone() goes on.
void Connection::DoTlsHandshake() {
  assert(state_ == State::kTlsHandshaking);
  // Bytes after a §4.3 101 are the server's first TLS records (none for https:, which has no
  // parser yet). The §4.1 handshake makes its own parser.
  std::string early_ciphertext;
  if (handshake_parser_) {
    early_ciphertext = handshake_parser_->TakeLeftover();
    handshake_parser_.reset();
  }
  Result<std::shared_ptr<TlsContext>> context = context_.tls_context();
  if (!context.ok()) {
    Close(context.error());
    return;
  }
  Result<std::unique_ptr<TlsClient>> client = TlsClient::Create(context.value(), options_.url.host);
  if (!client.ok()) {
    Close(client.error());
    return;
  }
  observer_->OnTlsStart(options_.url.host, options_.url.scheme != "https");
  transport_.StartTls(std::move(client).value(), early_ciphertext);
}

void Connection::OnTlsHandshakeDone(std::optional<Error> error) {
  observer_->OnTlsEnd(*transport_.tls(), error);
  if (error) {
    Close(std::move(error));
    return;
  }
  if (state_ == State::kTlsHandshaking) AdvanceTo(State::kHandshaking);
}

// 5. Handshake (§4.1, inside TLS when there is TLS).
void Connection::DoHandshakeRequest() {
  assert(state_ == State::kHandshaking);
  handshake_parser_ = std::make_unique<HandshakeResponseParser>(
      HandshakeExpectation::kTcpConnection, settings().limits.max_response_header_bytes);
  // The cookies for this URL as the request leaves: over TLS, Secure ones too.
  std::string cookie = settings().cookie;
  if (settings().cookie_jar) {
    std::string from_jar = settings().cookie_jar->CookieHeaderFor(
        CookieUrl::FromConnectionUrl(options_.url), CookieTransportInUse(), CookieSource::kHttp,
        std::chrono::system_clock::now());
    if (!from_jar.empty()) cookie = cookie.empty() ? from_jar : cookie + "; " + from_jar;
  }
  Result<std::string> request = BuildHandshakeRequest(
      {options_.url.request_target, options_.url.HostHeader(),
       settings().document_origin.Serialize(), cookie, options_.extra_headers});
  if (!request.ok()) {
    Close(request.error());
    return;
  }
  observer_->OnHandshakeRequest(ConnectionObserver::HandshakePurpose::kTcpConnection,
                                request.value());
  WriteToTransport(std::move(request).value(), WriteKind::kProtocol);
}

CookieTransport Connection::CookieTransportInUse() const {
  return transport_.tls() ? CookieTransport::kSecure : CookieTransport::kInsecure;
}

void Connection::OnTransportBytes(std::string_view bytes) {
  switch (state_) {
    case State::kUpgradingToTls:
    case State::kHandshaking:
      HandleHandshakeBytes(bytes);
      return;
    case State::kOpen:
      HandleFrameBytes(bytes);
      return;
    default:
      return;  // kClosing: script will never read it (§7 readyState 2)
  }
}

// §4.2: nothing before the end of the 101 header block reaches script; what follows it in
// the same read is the start of the data stream.
void Connection::HandleHandshakeBytes(std::string_view bytes) {
  observer_->OnHandshakeResponseBytes(bytes);
  HandshakeStatus status = handshake_parser_->Feed(bytes);
  if (status != HandshakeStatus::kNeedMoreData) {
    observer_->OnHandshakeResponse(status != HandshakeStatus::kFailed,
                                   handshake_parser_->leftover().size(),
                                   handshake_parser_->response().status_code);
  }
  switch (status) {
    case HandshakeStatus::kNeedMoreData:
      return;
    case HandshakeStatus::kFailed:
      Close(handshake_parser_->error());
      return;
    case HandshakeStatus::kTlsUpgradeRequired:
      // FIXME(§4.3): follow a 426 when the page asked for {secure: true}.
      Close(Error{Stage::kHandshake, "server requires a TLS upgrade (426)"});
      return;
    case HandshakeStatus::kSwitchingProtocols:
      break;
  }
  if (state_ == State::kUpgradingToTls) {
    // §4.3: the 101 to Upgrade: TLS/1.0; TLS starts on the same socket.
    AdvanceTo(State::kTlsHandshaking);
    return;
  }
  Result<Ok> allowed = CheckAccessControl(handshake_parser_->response(), settings().document_origin,
                                          options_.url.origin());
  if (!allowed.ok()) {
    Close(allowed.error());
    return;
  }
  AdvanceTo(State::kOpen);
}

// 5. (continued) The 101 passed §4.2 and §5: the connection is open.
void Connection::DoOpen() {
  assert(state_ == State::kOpen);
  // §4.2: Set-Cookie on the 101 goes into the jar (HttpOnly and Secure honoured there).
  const std::vector<std::string> set_cookies = handshake_parser_->response().SetCookieValues();
  if (settings().cookie_jar) {
    auto now = std::chrono::system_clock::now();
    for (const std::string& set_cookie : set_cookies) {
      settings().cookie_jar->SetCookie(CookieUrl::FromConnectionUrl(options_.url), set_cookie,
                                       CookieTransportInUse(), CookieSource::kHttp, now);
    }
  }
  // Open and idle, a connection holds no timer (the linger limit makes one if needed).
  CloseAndDelete(deadline_timer_);
  deadline_timer_ = nullptr;
  if (holds_endpoint_) {
    holds_endpoint_ = false;
    context_.ReleaseEndpoint(*this);
  }
  ConnectionEvent open{ConnectionEvent::Kind::kOpen};
  open.peer = HostPort(options_.url.host, options_.url.port);
  open.secure = transport_.tls() != nullptr;
  observer_->OnOpen(open.peer, open.secure, set_cookies.size());
  sink_(std::move(open));
  std::string leftover = handshake_parser_->TakeLeftover();
  handshake_parser_.reset();
  if (!leftover.empty()) HandleFrameBytes(leftover);
}

void Connection::Send(std::string frame_bytes) {
  if (state_ != State::kOpen) return;
  // Script's frames are whole: 0x02, the text, 0x17 (framer.h).
  std::string_view text = frame_bytes;
  if (text.size() >= 2) text = text.substr(1, text.size() - 2);
  observer_->OnFrameSent(text);
  WriteToTransport(std::move(frame_bytes), WriteKind::kScriptData);
}

// kScriptData writes report kWritten with the plaintext size (bufferedAmount counts what
// send() was given, §6).
void Connection::WriteToTransport(std::string bytes, WriteKind kind) {
  std::size_t script_bytes = kind == WriteKind::kScriptData ? bytes.size() : 0;
  if (Result<Ok> written = transport_.Write(std::move(bytes), script_bytes); !written.ok()) {
    Close(written.error());
  }
}

void Connection::OnTransportWritten(std::size_t script_bytes) {
  ConnectionEvent event(ConnectionEvent::Kind::kWritten);
  event.bytes = script_bytes;
  sink_(std::move(event));
}

void Connection::OnTransportWriteError(int status) {
  // §7: a peer that resets the connection while disconnect() flushes ends it as the linger
  // limit would.
  if (state_ == State::kClosing) {
    FailDisconnect(SocketErrorReason(status));
    return;
  }
  Error error{Stage::kConnect, status == UV_EPIPE || status == UV_ECONNRESET
                                   ? SocketErrorReason(status)
                                   : std::string("write failed: ") + uv_strerror(status)};
  if (state_ != State::kOpen) {
    Close(std::move(error));
    return;
  }
  // §7: every complete frame received before the failure still reaches script. The write took
  // the socket's error; what the peer sent before it is still unread in the kernel: read it,
  // then fail with this error.
  if (!write_error_) write_error_ = std::move(error);
  UpdateReading();
}

void Connection::OnTransportError(Error error) { Close(std::move(error)); }

bool Connection::WantsToRead() const {
  // After disconnect() reading goes on only to notice a reset; what arrives is dropped.
  return state_ == State::kHandshaking || state_ == State::kUpgradingToTls ||
         state_ == State::kTlsHandshaking || state_ == State::kClosing ||
         (state_ == State::kOpen && unconsumed_bytes_ < settings().limits.receive_window_bytes);
}

void Connection::UpdateReading() {
  switch (transport_.UpdateReading()) {
    case Transport::ReadingChange::kStarted:
      if (paused_for_flow_control_) {
        paused_for_flow_control_ = false;
        observer_->OnFlowControlResume(unconsumed_bytes_);
      }
      return;
    case Transport::ReadingChange::kStopped:
      // §6 flow control: reading stopped while the receive window is full.
      if (state_ == State::kOpen) {
        paused_for_flow_control_ = true;
        observer_->OnFlowControlPause(unconsumed_bytes_);
      }
      return;
    case Transport::ReadingChange::kNone:
      return;
  }
}

// §6: complete frames go to script in order, one batch per read; each counts against the
// receive window with its per-frame overhead.
void Connection::HandleFrameBytes(std::string_view bytes) {
  ConnectionEvent frames{ConnectionEvent::Kind::kFrames};
  Result<Ok> decoded = frame_decoder_.Feed(bytes, [&](ReceivedText& text) {
    observer_->OnFrameReceived(text);
    frames.frames.Append(text);  // takes a large frame's text, by move when gathered
  });
  if (!frames.frames.empty()) {
    frames.bytes = frames.frames.WindowBytes();
    unconsumed_bytes_ += frames.bytes;
    sink_(std::move(frames));
  }
  if (!decoded.ok()) {
    Close(decoded.error());
    return;
  }
  UpdateReading();
}

void Connection::Consumed(std::size_t bytes) {
  unconsumed_bytes_ -= std::min(bytes, unconsumed_bytes_);
  if (state_ == State::kOpen) UpdateReading();
}

void Connection::OnTransportEnd(int status) {
  switch (state_) {
    case State::kTlsHandshaking:
      Close(Error{Stage::kTls, status == UV_EOF ? "connection closed during the TLS handshake"
                                                : std::string(uv_strerror(status))});
      return;
    case State::kHandshaking:
    case State::kUpgradingToTls:
      observer_->OnHandshakeResponseCut(handshake_parser_->response().status_code);
      Close(Error{Stage::kHandshake, status == UV_EOF ? "connection closed before the 101 response"
                                                      : std::string(uv_strerror(status))});
      return;
    case State::kClosing:
      // §7: the peer's FIN only ends its direction (it may still read what we send); a reset
      // ends disconnect() at once.
      if (status != UV_EOF) FailDisconnect(SocketErrorReason(status));
      return;
    case State::kOpen:
      // §7: the server closed (clean) or the network failed, after every complete frame. A
      // write that failed first (and took the socket's error, so the end reads as EOF) decides.
      if (write_error_) {
        Close(*write_error_);
      } else if (status == UV_EOF) {
        Close(std::nullopt);
      } else {
        Close(Error{Stage::kConnect, SocketErrorReason(status)});
      }
      return;
    case State::kResolving:
    case State::kWaitingForEndpoint:
    case State::kConnecting:
    case State::kClosed:
      return;  // no stream yet, or none any more
  }
}

// §7 disconnect(): bytes already sent are written (libuv runs the shutdown after every
// queued write), then FIN, then close once the peer has acknowledged every byte. The linger
// limit bounds all of it: then the socket is reset and the failure names what was lost.
void Connection::Disconnect() {
  if (state_ == State::kClosing || state_ == State::kClosed) return;
  clean_close_cause_ = "disconnect()";
  observer_->OnDisconnect();
  if (state_ == State::kOpen) {
    AdvanceTo(State::kClosing);
  } else {
    Close(std::nullopt);  // still connecting: give up at once
  }
}

void Connection::DoDisconnect() {
  assert(state_ == State::kClosing);
  if (write_error_) {  // the peer is gone already: nothing more can be delivered
    FailDisconnect(write_error_->message);
    return;
  }
  UpdateReading();  // on (and dropping data) whatever the window said: a reset must be seen
  uv_update_time(context_.loop());
  if (!deadline_timer_) {
    deadline_timer_ = new uv_timer_t;
    uv_timer_init(context_.loop(), deadline_timer_);
    deadline_timer_->data = this;
  }
  uv_timer_start(
      deadline_timer_,
      [](uv_timer_t* timer) { static_cast<Connection*>(timer->data)->OnLingerLimit(); },
      static_cast<std::uint64_t>(
          std::max<std::int64_t>(0, settings().limits.disconnect_timeout.count())),
      0);
  if (int status = transport_.Shutdown(); status != 0) FailDisconnect(SocketErrorReason(status));
}

// Every byte is with the kernel and the FIN is queued behind them; close once the peer has
// acknowledged them all (the transport looks), or at the linger limit.
void Connection::OnTransportShutdownDone(int status) {
  if (state_ != State::kClosing) return;
  if (status < 0) {
    FailDisconnect(SocketErrorReason(status));
    return;
  }
  shutdown_sent_ = true;
  transport_.NotifyWhenAcknowledged();
}

void Connection::OnTransportAcknowledged() {
  if (state_ == State::kClosing) Close(std::nullopt);
}

// §7: the linger limit ran out. The peer may have taken the last byte since the transport
// last looked; before the FIN is out, libuv's shutdown callback comes first.
void Connection::OnLingerLimit() {
  if (state_ != State::kClosing) return;
  if (shutdown_sent_ && transport_.BytesNotAcknowledged() == 0) {
    Close(std::nullopt);
    return;
  }
  FailDisconnect("the peer did not take them within the linger limit of " +
                 std::to_string(settings().limits.disconnect_timeout.count()) + " ms");
}

// §7: disconnect() could not deliver everything: reset the socket (nothing more will be
// sent), and say how much was lost (stage disconnect).
void Connection::FailDisconnect(const std::string& why) {
  if (state_ != State::kClosing) return;
  std::uint64_t lost = transport_.BytesNotAcknowledged();
  transport_.ResetWhenClosed();
  Close(Error{Stage::kDisconnect, UndeliveredBytesReason(lost, why)});
}

void Connection::Abort() {
  if (state_ == State::kClosed) return;
  clean_close_cause_ = "page closed";
  Close(std::nullopt);
}

// §7: the one close path, whatever ended the connection — once. A failure after open reports
// what the peer never acknowledged (a failure that races disconnect()).
void Connection::Close(std::optional<Error> error) {
  if (state_ == State::kClosed) return;
  bool before_open = state_ != State::kOpen && state_ != State::kClosing;
  ConnectionEvent closed{ConnectionEvent::Kind::kClosed};
  if (error && !before_open) closed.bytes_not_delivered = transport_.BytesNotAcknowledged();
  ReleaseResources();
  closed.failed_before_open = error.has_value() && before_open;
  closed.error = std::move(error);
  state_ = State::kClosed;
  closed.bytes_sent = transport_.bytes_sent();
  closed.bytes_received = transport_.bytes_received();
  observer_->OnClose(closed.error, before_open, clean_close_cause_,
                     {transport_.bytes_sent(), transport_.bytes_received()});
  // The owner forgets this connection (a posted task) before the page can hear of the close
  // and ask the IO thread anything.
  context_.OnConnectionFinished(id_);
  sink_(std::move(closed));
}

// Releases every resource: pending lookup or tunnel, the endpoint, the transport, the timer.
void Connection::ReleaseResources() {
  if (resolve_request_) {
    context_.resolver().Cancel(*resolve_request_);
    resolve_request_.reset();
  }
  if (tunnel_attempt_) {
    context_.tunnels().Cancel(*tunnel_attempt_);
    tunnel_attempt_.reset();
  }
  if (holds_endpoint_) {
    holds_endpoint_ = false;
    context_.ReleaseEndpoint(*this);
  }
  transport_.Close();
  if (deadline_timer_) {
    CloseAndDelete(deadline_timer_);
    deadline_timer_ = nullptr;
  }
}

}  // namespace switchboard
