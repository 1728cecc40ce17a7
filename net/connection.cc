#include "net/connection.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cassert>
#include <cstdlib>

#include "base/host_port.h"
#include "net/connection_net_log.h"
#include "net/socket_info.h"

namespace switchboard {

namespace {

constexpr std::size_t kReadBufferBytes = 256 * 1024;
// §6 fairness: a connection reads at most this much before the other connections of the IO
// loop have had their turn (one full read buffer).
constexpr std::size_t kReadBudgetBytes = kReadBufferBytes;
// §7 linger: after the FIN, how often to look whether the peer has acknowledged everything
// (doubling from 1 ms up to this).
constexpr std::uint64_t kMaxAcknowledgePollMs = 50;

// One read buffer per IO thread, shared by all its connections: libuv fills it and calls the
// read callback before it asks for a buffer again, and every layer copies what it keeps
// (§6: 10,000 idle connections must not hold 64 KiB each).
char* SharedReadBuffer() {
  thread_local std::unique_ptr<char[]> buffer(new char[kReadBufferBytes]);
  return buffer.get();
}

// libuv turns a POLLHUP that follows a short read into end of stream without reading on, so
// a reset (RST) right behind data would pass for the server's clean close (§7). The socket's
// pending error tells them apart, or, once a write has taken that error, the socket's state.
// (Only for an open connection that has not sent its FIN: after ours, TCP_CLOSE is normal.)
int SocketErrorOr(uv_tcp_t* stream, int status, bool fin_sent) {
  uv_os_fd_t socket = -1;
  if (status != UV_EOF || !stream ||
      uv_fileno(reinterpret_cast<uv_handle_t*>(stream), &socket) != 0) {
    return status;
  }
  int error = 0;
  socklen_t length = sizeof error;
  if (getsockopt(socket, SOL_SOCKET, SO_ERROR, &error, &length) == 0 && error != 0) {
    return uv_translate_sys_error(error);
  }
  // A write may have taken the reset's error first (its own callback comes later).
  return !fin_sent && TcpConnectionIsClosed(socket) ? UV_ECONNRESET : status;
}

// A connection the peer reset reports EPIPE or ECONNRESET, to a write or a read, depending on
// timing (EPIPE when its FIN came first, as a proxy's may): both say the same.
std::string SocketErrorReason(int status) {
  if (status == UV_EPIPE || status == UV_ECONNRESET) return uv_strerror(UV_ECONNRESET);
  return uv_strerror(status);
}

template <typename Handle>
void CloseAndDelete(Handle* handle) {
  uv_close(reinterpret_cast<uv_handle_t*>(handle),
           [](uv_handle_t* closed) { delete reinterpret_cast<Handle*>(closed); });
}

// The net log's observer when there is a log; without one, events are dropped unbuilt.
std::unique_ptr<ConnectionObserver> MakeObserver(NetLog* net_log, ConnectionId id,
                                                 std::size_t max_header_block_bytes) {
  if (!net_log) return std::make_unique<ConnectionObserver>();
  return std::make_unique<ConnectionNetLogObserver>(*net_log, id, max_header_block_bytes);
}

}  // namespace

std::string UndeliveredBytesReason(std::uint64_t bytes, std::string_view why) {
  return std::to_string(bytes) + " bytes were not delivered: " + std::string(why);
}

Connection::Connection(ConnectionContext& context, ConnectionId id, ConnectionOptions options,
                       ConnectionEventSink sink)
    : context_(context),
      id_(id),
      options_(std::move(options)),
      sink_(std::move(sink)),
      handshake_parser_(HandshakeExpectation::kTcpConnection, options_.max_header_block_bytes),
      frame_decoder_(options_.max_frame_bytes),
      observer_(MakeObserver(context.net_log(), id, options_.max_header_block_bytes)) {}

Connection::~Connection() { assert(finished_ && !stream_ && !deadline_timer_ && !resume_reading_); }

// §3: resolve (the proxy's name when tunnelling, §3.2), then wait for the endpoint (§3.6).
void Connection::Start() {
  deadline_timer_ = new uv_timer_t;
  uv_timer_init(context_.loop(), deadline_timer_);
  deadline_timer_->data = this;
  uv_timer_start(
      deadline_timer_,
      [](uv_timer_t* timer) {
        auto* self = static_cast<Connection*>(timer->data);
        self->Fail(Error{Stage::kTimeout,
                         "no 101 response within " +
                             std::to_string(self->options_.handshake_timeout.count()) + " ms"});
      },
      static_cast<std::uint64_t>(options_.handshake_timeout.count()), 0);

  proxy_ = context_.ProxyFor(options_.url);
  observer_->OnStart(options_.url, options_.document_origin,
                     options_.secure == SecureOption::kRequested, proxy_);
  if (!proxy_.empty()) {
    // §3.2: with a proxy, our resolver resolves the proxy's name; the target's is left to
    // the proxy (CONNECT host:port).
    Result<ProxyEndpoint> endpoint = ParseProxyEndpoint(proxy_);
    if (!endpoint.ok()) {
      Fail(endpoint.error());
      return;
    }
    proxy_endpoint_ = endpoint.value();
    observer_->OnResolveStart(proxy_endpoint_.host, ConnectionObserver::ResolveFor::kProxy,
                              context_.resolver());
    resolve_request_ = context_.resolver().Resolve(
        proxy_endpoint_.host, [this](Result<HostResolver::Addresses> result) {
          resolve_request_.reset();
          observer_->OnResolveEnd(proxy_endpoint_.host, result);
          if (!result.ok()) {
            Fail(Error{Stage::kProxy, "could not resolve the proxy: " + result.error().message});
            return;
          }
          proxy_endpoint_.addresses = std::move(result).value();
          OnResolved(HostResolver::Addresses{});
        });
    return;
  }
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
    Fail(addresses.error());
    return;
  }
  addresses_ = std::move(addresses).value();
  state_ = State::kWaitingForEndpoint;
  observer_->OnEndpointWait(EndpointKey());
  context_.AcquireEndpoint(*this);
}

bool Connection::TakeEndpoint() {
  if (state_ != State::kWaitingForEndpoint) return false;
  holds_endpoint_ = true;
  state_ = State::kConnecting;
  TunnelRequest request;
  request.host = options_.url.host;
  request.port = options_.url.port;
  request.addresses = addresses_;
  request.proxy = proxy_;
  request.proxy_host = proxy_endpoint_.host;
  request.proxy_port = proxy_endpoint_.port;
  request.proxy_addresses = proxy_endpoint_.addresses;
  request.connect_timeout_ms = static_cast<long>(options_.handshake_timeout.count());
  request.net_log = context_.net_log();
  request.net_log_source = id_;
  observer_->OnConnectStart(options_.url, addresses_, proxy_);
  tunnel_attempt_ = context_.tunnels().Connect(request, [this](Result<ConnectedSocket> socket) {
    tunnel_attempt_.reset();
    OnConnected(std::move(socket));
  });
  return true;
}

// Once the byte stream is there: TLS first for https: (§3 step 4), the RFC 2817 upgrade
// for {secure: true} on http: (§4.3), else the §4.1 request at once.
void Connection::OnConnected(Result<ConnectedSocket> socket) {
  if (state_ != State::kConnecting) {
    if (socket.ok()) close(socket.value().socket);
    return;
  }
  if (!socket.ok()) {
    Fail(socket.error());
    return;
  }
  stream_ = new uv_tcp_t;
  uv_tcp_init(context_.loop(), stream_);
  stream_->data = this;
  if (int status = uv_tcp_open(stream_, socket.value().socket); status != 0) {
    close(socket.value().socket);
    Fail(Error{Stage::kConnect, uv_strerror(status)});
    return;
  }
  uv_tcp_nodelay(stream_, 1);
  // What the proxy acknowledged of curl's CONNECT is not ours to count (§7 linger).
  acknowledged_at_connect_ = TcpBytesAcknowledged(socket.value().socket).value_or(0);
  if (options_.url.scheme == "https") {
    StartTls();
  } else if (options_.secure == SecureOption::kRequested) {
    RequestTlsUpgrade();
  } else {
    SendHandshakeRequest();
  }
  UpdateReading();  // in the state just entered (a no-op if that failed)
}

// §4.3: OPTIONS with Upgrade: TLS/1.0 in clear; the 101 must list TLS/1.0.
void Connection::RequestTlsUpgrade() {
  Result<std::string> request =
      BuildTlsUpgradeRequest(options_.url.request_target, options_.url.HostHeader());
  if (!request.ok()) {
    Fail(request.error());
    return;
  }
  state_ = State::kUpgradingToTls;
  handshake_parser_ =
      HandshakeResponseParser(HandshakeExpectation::kTlsUpgrade, options_.max_header_block_bytes);
  observer_->OnHandshakeRequest(ConnectionObserver::HandshakePurpose::kTlsUpgrade, request.value());
  WriteToTransport(std::move(request).value(), WriteKind::kProtocol);
}

void Connection::StartTls() {
  Result<std::shared_ptr<TlsContext>> context = context_.tls_context();
  if (!context.ok()) {
    Fail(context.error());
    return;
  }
  Result<std::unique_ptr<TlsClient>> client = TlsClient::Create(context.value(), options_.url.host);
  if (!client.ok()) {
    Fail(client.error());
    return;
  }
  tls_ = std::move(client).value();
  state_ = State::kTlsHandshaking;
  observer_->OnTlsStart(options_.url.host, options_.url.scheme != "https");
  AdvanceTlsHandshake();
}

void Connection::AdvanceTlsHandshake() {
  Result<TlsClient::HandshakeStatus> status = tls_->Handshake();
  FlushCiphertext();
  if (!status.ok()) {
    observer_->OnTlsEnd(*tls_, status.error());
    Fail(status.error());
    return;
  }
  if (status.value() == TlsClient::HandshakeStatus::kInProgress) return;
  observer_->OnTlsEnd(*tls_, std::nullopt);
  SendHandshakeRequest();
  // Application data that came with the end of the handshake.
  ReadTlsPlaintext();
}

// §4.1 (inside TLS when there is TLS).
void Connection::SendHandshakeRequest() {
  state_ = State::kHandshaking;
  handshake_parser_ = HandshakeResponseParser(HandshakeExpectation::kTcpConnection,
                                              options_.max_header_block_bytes);
  // The cookies for this URL as the request leaves: over TLS, Secure ones too.
  std::string cookie = options_.cookie;
  if (options_.cookie_jar) {
    std::string from_jar = options_.cookie_jar->CookieHeaderFor(
        CookieUrl::FromConnectionUrl(options_.url), Transport(), CookieSource::kHttp,
        std::chrono::system_clock::now());
    if (!from_jar.empty()) cookie = cookie.empty() ? from_jar : cookie + "; " + from_jar;
  }
  Result<std::string> request =
      BuildHandshakeRequest({options_.url.request_target, options_.url.HostHeader(),
                             options_.document_origin.Serialize(), cookie});
  if (!request.ok()) {
    Fail(request.error());
    return;
  }
  observer_->OnHandshakeRequest(ConnectionObserver::HandshakePurpose::kTcpConnection,
                                request.value());
  WriteToTransport(std::move(request).value(), WriteKind::kProtocol);
}

CookieTransport Connection::Transport() const {
  return tls_ ? CookieTransport::kSecure : CookieTransport::kInsecure;
}

void Connection::Send(std::string frame_bytes) {
  if (state_ != State::kOpen) return;
  observer_->OnFrameSent(frame_bytes.size());
  WriteToTransport(std::move(frame_bytes), WriteKind::kScriptData);
}

// Plaintext goes through TLS when there is TLS; kScriptData writes report kWritten with
// the plaintext size (bufferedAmount counts what send() was given, §6).
void Connection::WriteToTransport(std::string bytes, WriteKind kind) {
  if (!stream_) return;
  std::size_t script_bytes = kind == WriteKind::kScriptData ? bytes.size() : 0;
  if (tls_) {
    if (Result<Ok> written = tls_->WritePlaintext(bytes); !written.ok()) {
      Fail(written.error());
      return;
    }
    bytes = tls_->TakeCiphertext();
  }
  WriteRaw(std::move(bytes), script_bytes);
}

void Connection::FlushCiphertext() {
  if (!tls_) return;
  std::string ciphertext = tls_->TakeCiphertext();
  if (!ciphertext.empty()) WriteRaw(std::move(ciphertext), 0);
}

void Connection::WriteRaw(std::string bytes, std::size_t script_bytes) {
  if (!stream_ || write_error_) return;  // after a failed write nothing more goes out
  if (bytes.empty()) {
    if (script_bytes) {
      ConnectionEvent event(ConnectionEvent::Kind::kWritten);
      event.bytes = script_bytes;
      sink_(std::move(event));
    }
    return;
  }
  bytes_sent_ += bytes.size();
  struct WriteRequest {
    uv_write_t request;
    std::string bytes;
    Connection* connection;
    std::size_t script_bytes;
  };
  auto* write = new WriteRequest{{}, std::move(bytes), this, script_bytes};
  uv_buf_t buffer = uv_buf_init(write->bytes.data(), static_cast<unsigned>(write->bytes.size()));
  int status =
      uv_write(&write->request, reinterpret_cast<uv_stream_t*>(stream_), &buffer, 1,
               [](uv_write_t* request, int write_status) {
                 std::unique_ptr<WriteRequest> done(reinterpret_cast<WriteRequest*>(request));
                 if (write_status == UV_ECANCELED) return;  // the stream is closing
                 Connection* self = done->connection;
                 if (write_status < 0) {
                   // §7: a peer that resets the connection while disconnect() flushes ends it
                   // as the linger limit would. (No SIGPIPE: the IO thread blocks it.)
                   Error error{Stage::kConnect,
                               write_status == UV_EPIPE || write_status == UV_ECONNRESET
                                   ? SocketErrorReason(write_status)
                                   : std::string("write failed: ") + uv_strerror(write_status)};
                   if (self->state_ == State::kClosing) {
                     self->FailDisconnect(SocketErrorReason(write_status));
                   } else if (self->state_ == State::kOpen) {
                     // §7: every complete frame received before the failure still reaches
                     // script. The write took the socket's error; what the peer sent before it
                     // is still unread in the kernel: read it, then fail with this error.
                     if (!self->write_error_) self->write_error_ = std::move(error);
                     self->UpdateReading();
                   } else {
                     self->Fail(std::move(error));
                   }
                   return;
                 }
                 if (done->script_bytes) {
                   ConnectionEvent event(ConnectionEvent::Kind::kWritten);
                   event.bytes = done->script_bytes;
                   self->sink_(std::move(event));
                 }
               });
  if (status != 0) {
    delete write;
    Fail(Error{Stage::kConnect, std::string("write failed: ") + uv_strerror(status)});
  }
}

void Connection::UpdateReading() {
  if (!stream_) return;
  // After disconnect() reading goes on only to notice a reset; what arrives is dropped.
  bool want = !resume_reading_ &&
              (state_ == State::kHandshaking || state_ == State::kUpgradingToTls ||
               state_ == State::kTlsHandshaking || state_ == State::kClosing ||
               (state_ == State::kOpen && unconsumed_bytes_ < options_.receive_window_bytes));
  if (want && !reading_) {
    if (paused_for_flow_control_) {
      paused_for_flow_control_ = false;
      observer_->OnFlowControlResume(unconsumed_bytes_);
    }
    uv_read_start(reinterpret_cast<uv_stream_t*>(stream_), &Connection::OnAllocate,
                  &Connection::OnStreamRead);
    reading_ = true;
  } else if (!want && reading_) {
    // §6 flow control: stop reading while the receive window is full.
    uv_read_stop(reinterpret_cast<uv_stream_t*>(stream_));
    reading_ = false;
    if (state_ == State::kOpen && !resume_reading_) {
      paused_for_flow_control_ = true;
      observer_->OnFlowControlPause(unconsumed_bytes_);
    }
  }
}

void Connection::OnAllocate(uv_handle_t*, std::size_t, uv_buf_t* buffer) {
  *buffer = uv_buf_init(SharedReadBuffer(), kReadBufferBytes);
}

void Connection::OnStreamRead(uv_stream_t* stream, ssize_t count, const uv_buf_t* buffer) {
  auto* self = static_cast<Connection*>(stream->data);
  if (count > 0) {
    self->bytes_since_yield_ += static_cast<std::size_t>(count);
    self->OnRead(std::string_view(buffer->base, static_cast<std::size_t>(count)));
    // The connection stays alive until a task after this callback, even if it failed.
    if (self->reading_ && self->bytes_since_yield_ >= kReadBudgetBytes) self->YieldReading();
  } else if (count < 0) {
    self->OnReadEnd(static_cast<int>(count));
  }
}

// §6 fairness: libuv would read a busy socket up to 32 times per loop turn; after one budget
// this connection waits for the check phase, after every other ready socket's callback, and
// reads again from the next poll on.
void Connection::YieldReading() {
  uv_read_stop(reinterpret_cast<uv_stream_t*>(stream_));
  reading_ = false;
  resume_reading_ = new uv_check_t;
  uv_check_init(context_.loop(), resume_reading_);
  resume_reading_->data = this;
  uv_check_start(resume_reading_, [](uv_check_t* check) {
    auto* self = static_cast<Connection*>(check->data);
    CloseAndDelete(self->resume_reading_);
    self->resume_reading_ = nullptr;
    self->bytes_since_yield_ = 0;
    self->UpdateReading();
  });
}

void Connection::OnRead(std::string_view bytes) {
  bytes_received_ += bytes.size();
  if (!tls_) {
    HandlePlaintext(bytes);
    return;
  }
  tls_->ReceiveCiphertext(bytes);
  if (state_ == State::kTlsHandshaking) {
    AdvanceTlsHandshake();
  } else {
    ReadTlsPlaintext();
  }
}

void Connection::ReadTlsPlaintext() {
  std::string plaintext;
  Result<Ok> read = tls_->ReadPlaintext(plaintext);
  FlushCiphertext();  // e.g. answers to key updates
  if (!plaintext.empty()) HandlePlaintext(plaintext);
  if (!read.ok()) {
    Fail(read.error());
    return;
  }
  if (tls_ && tls_->peer_closed() && state_ != State::kClosed) OnReadEnd(UV_EOF);
}

void Connection::HandlePlaintext(std::string_view bytes) {
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
  HandshakeStatus status = handshake_parser_.Feed(bytes);
  if (status != HandshakeStatus::kNeedMoreData) {
    observer_->OnHandshakeResponse(status != HandshakeStatus::kFailed,
                                   handshake_parser_.leftover().size(),
                                   handshake_parser_.response().status_code);
  }
  switch (status) {
    case HandshakeStatus::kNeedMoreData:
      return;
    case HandshakeStatus::kFailed:
      Fail(handshake_parser_.error());
      return;
    case HandshakeStatus::kTlsUpgradeRequired:
      // FIXME(§4.3): follow a 426 when the page asked for {secure: true}.
      Fail(Error{Stage::kHandshake, "server requires a TLS upgrade (426)"});
      return;
    case HandshakeStatus::kSwitchingProtocols:
      break;
  }
  if (state_ == State::kUpgradingToTls) {
    // §4.3: the 101 to Upgrade: TLS/1.0; TLS starts on the same socket. Bytes after it are
    // the server's first TLS records.
    std::string leftover = handshake_parser_.TakeLeftover();
    StartTls();
    if (!leftover.empty() && tls_) {
      tls_->ReceiveCiphertext(leftover);  // counted in bytes_received_ when it arrived
      AdvanceTlsHandshake();
    }
    return;
  }
  const HandshakeResponse& response = handshake_parser_.response();
  Result<Ok> allowed =
      CheckAccessControl(response, options_.document_origin, options_.url.origin());
  if (!allowed.ok()) {
    Fail(allowed.error());
    return;
  }
  // §4.2: Set-Cookie on the 101 goes into the jar (HttpOnly and Secure honoured there).
  const std::vector<std::string> set_cookies = response.SetCookieValues();
  if (options_.cookie_jar) {
    auto now = std::chrono::system_clock::now();
    for (const std::string& set_cookie : set_cookies) {
      options_.cookie_jar->SetCookie(CookieUrl::FromConnectionUrl(options_.url), set_cookie,
                                     Transport(), CookieSource::kHttp, now);
    }
  }
  // §3 step 5: open.
  state_ = State::kOpen;
  uv_timer_stop(deadline_timer_);
  if (holds_endpoint_) {
    holds_endpoint_ = false;
    context_.ReleaseEndpoint(*this);
  }
  peer_ = HostPort(options_.url.host, options_.url.port);
  ConnectionEvent open{ConnectionEvent::Kind::kOpen};
  open.peer = peer_;
  open.secure = tls_ != nullptr;
  observer_->OnOpen(peer_, open.secure, set_cookies.size());
  sink_(std::move(open));
  std::string leftover = handshake_parser_.TakeLeftover();
  if (!leftover.empty()) HandleFrameBytes(leftover);
}

// §6: complete frames go to script in order, one batch per read; each counts against the
// receive window with its per-frame overhead.
void Connection::HandleFrameBytes(std::string_view bytes) {
  ConnectionEvent frames{ConnectionEvent::Kind::kFrames};
  Result<Ok> decoded = frame_decoder_.Feed(bytes, [&](std::string_view text) {
    frames.frames.Append(text);
    observer_->OnFrameReceived(text.size() + 2);
  });
  if (!frames.frames.empty()) {
    frames.bytes = frames.frames.WindowBytes();
    unconsumed_bytes_ += frames.bytes;
    sink_(std::move(frames));
  }
  if (!decoded.ok()) {
    Fail(decoded.error());
    return;
  }
  UpdateReading();
}

void Connection::OnReadEnd(int status) {
  status = SocketErrorOr(stream_, status, /*fin_sent=*/state_ == State::kClosing);
  if (state_ == State::kTlsHandshaking) {
    Fail(Error{Stage::kTls, status == UV_EOF ? "connection closed during the TLS handshake"
                                             : std::string(uv_strerror(status))});
    return;
  }
  if (state_ == State::kHandshaking || state_ == State::kUpgradingToTls) {
    observer_->OnHandshakeResponseCut(handshake_parser_.response().status_code);
    Fail(Error{Stage::kHandshake, status == UV_EOF ? "connection closed before the 101 response"
                                                   : std::string(uv_strerror(status))});
    return;
  }
  if (state_ == State::kClosing) {
    // §7: the peer's FIN only ends its direction (it may still read what we send); a reset
    // ends disconnect() at once.
    if (status != UV_EOF) {
      FailDisconnect(SocketErrorReason(status));
    }
    return;
  }
  // §7: the server closed (clean) or the network failed, after every complete frame. A write
  // that failed first (and took the socket's error, so the end reads as EOF) decides.
  if (write_error_) {
    Fail(*write_error_);
  } else if (status == UV_EOF) {
    CloseTransport();
    Finish(std::nullopt);
  } else {
    Fail(Error{Stage::kConnect, SocketErrorReason(status)});
  }
}

void Connection::Consumed(std::size_t bytes) {
  unconsumed_bytes_ -= std::min(bytes, unconsumed_bytes_);
  if (state_ == State::kOpen) UpdateReading();
}

// §7 disconnect(): bytes already sent are written (libuv runs the shutdown after every
// queued write), then FIN, then close once the peer has acknowledged every byte. The linger
// limit bounds all of it: then the socket is reset and the failure names what was lost.
void Connection::Disconnect() {
  if (state_ != State::kClosing && state_ != State::kClosed) {
    clean_close_cause_ = "disconnect()";
    observer_->OnDisconnect();
  }
  switch (state_) {
    case State::kResolving:
    case State::kWaitingForEndpoint:
    case State::kConnecting:
    case State::kUpgradingToTls:
    case State::kTlsHandshaking:
    case State::kHandshaking:
      CloseTransport();
      Finish(std::nullopt);
      return;
    case State::kOpen: {
      state_ = State::kClosing;
      if (write_error_) {  // the peer is gone already: nothing more can be delivered
        FailDisconnect(write_error_->message);
        return;
      }
      UpdateReading();  // on (and dropping data) whatever the window said: a reset must be seen
      uv_update_time(context_.loop());
      linger_deadline_ =
          uv_now(context_.loop()) + static_cast<std::uint64_t>(std::max<std::int64_t>(
                                        0, options_.disconnect_timeout.count()));
      uv_timer_start(
          deadline_timer_,
          [](uv_timer_t* timer) { static_cast<Connection*>(timer->data)->CheckLinger(); },
          linger_deadline_ - uv_now(context_.loop()), 0);
      if (tls_) {
        tls_->Shutdown();  // close_notify, after everything already written
        FlushCiphertext();
      }
      auto* shutdown = new uv_shutdown_t;
      shutdown->data = this;
      int status = uv_shutdown(shutdown, reinterpret_cast<uv_stream_t*>(stream_),
                               [](uv_shutdown_t* request, int shutdown_status) {
                                 auto* self = static_cast<Connection*>(request->data);
                                 delete request;
                                 // Cancelled: the stream was closed (and `self` may be gone).
                                 if (shutdown_status == UV_ECANCELED) return;
                                 if (self->state_ != State::kClosing) return;
                                 if (shutdown_status < 0) {
                                   self->FailDisconnect(SocketErrorReason(shutdown_status));
                                   return;
                                 }
                                 self->OnShutdownSent();
                               });
      if (status != 0) {
        delete shutdown;
        FailDisconnect(SocketErrorReason(status));
      }
      return;
    }
    case State::kClosing:
    case State::kClosed:
      return;
  }
}

// Every byte is with the kernel and the FIN is queued behind them; close once the peer has
// acknowledged them all (looked at with a doubling interval), or at the linger limit.
void Connection::OnShutdownSent() {
  shutdown_sent_ = true;
  CheckLinger();
}

void Connection::CheckLinger() {
  if (state_ != State::kClosing) return;
  if (shutdown_sent_ && BytesNotAcknowledged() == 0) {
    CloseTransport();
    Finish(std::nullopt);
    return;
  }
  uv_loop_t* loop = context_.loop();
  uv_update_time(loop);
  std::uint64_t now = uv_now(loop);
  if (now >= linger_deadline_) {
    FailDisconnect("the peer did not take them within the linger limit of " +
                   std::to_string(options_.disconnect_timeout.count()) + " ms");
    return;
  }
  // Before the FIN is out, libuv's shutdown callback comes first; wait for the limit only.
  std::uint64_t wait = linger_deadline_ - now;
  if (shutdown_sent_) {
    wait = std::min(wait, acknowledge_poll_ms_);
    acknowledge_poll_ms_ = std::min(acknowledge_poll_ms_ * 2, kMaxAcknowledgePollMs);
  }
  uv_timer_start(
      deadline_timer_,
      [](uv_timer_t* timer) { static_cast<Connection*>(timer->data)->CheckLinger(); }, wait, 0);
}

// The bytes given to the socket that the peer has not acknowledged: still queued in libuv,
// in the kernel's send queue, or on the way. TLS records count as they are on the wire.
std::uint64_t Connection::BytesNotAcknowledged() const {
  uv_os_fd_t socket = -1;
  if (!stream_ || uv_fileno(reinterpret_cast<const uv_handle_t*>(stream_), &socket) != 0) {
    return 0;
  }
  std::optional<std::uint64_t> acknowledged = TcpBytesAcknowledged(socket);
  if (!acknowledged) {
    return uv_stream_get_write_queue_size(reinterpret_cast<const uv_stream_t*>(stream_));
  }
  std::uint64_t ours = *acknowledged - std::min(*acknowledged, acknowledged_at_connect_);
  return bytes_sent_ - std::min(bytes_sent_, ours);  // an acknowledged FIN counts one more
}

// §7: disconnect() could not deliver everything: reset the socket (nothing more will be
// sent), and say how much was lost (stage disconnect).
void Connection::FailDisconnect(const std::string& why) {
  if (state_ != State::kClosing) return;
  std::uint64_t lost = BytesNotAcknowledged();
  uv_os_fd_t socket = -1;
  if (stream_ && uv_fileno(reinterpret_cast<uv_handle_t*>(stream_), &socket) == 0) {
    ResetOnClose(socket);
  }
  Fail(Error{Stage::kDisconnect, UndeliveredBytesReason(lost, why)});
}

void Connection::Abort() {
  if (state_ == State::kClosed) return;
  clean_close_cause_ = "page closed";
  CloseTransport();
  Finish(std::nullopt);
}

// §7: one failure path per connection.
void Connection::Fail(Error error) {
  if (state_ == State::kClosed) return;
  bool before_open = state_ != State::kOpen && state_ != State::kClosing;
  ConnectionEvent closed{ConnectionEvent::Kind::kClosed};
  if (!before_open) closed.bytes_not_delivered = BytesNotAcknowledged();
  CloseTransport();
  closed.error = std::move(error);
  closed.failed_before_open = before_open;
  state_ = State::kClosed;
  finished_ = true;
  observer_->OnClose(closed.error, before_open, clean_close_cause_, {bytes_sent_, bytes_received_});
  // The owner forgets this connection (a posted task) before the page can hear of the close
  // and ask the IO thread anything.
  context_.OnConnectionFinished(id_);
  sink_(std::move(closed));
}

void Connection::Finish(std::optional<Error> error) {
  if (finished_) return;
  state_ = State::kClosed;
  finished_ = true;
  ConnectionEvent closed{ConnectionEvent::Kind::kClosed};
  closed.error = std::move(error);
  observer_->OnClose(closed.error, false, clean_close_cause_, {bytes_sent_, bytes_received_});
  context_.OnConnectionFinished(id_);  // before the close event, as in Fail()
  sink_(std::move(closed));
}

// Releases every resource: pending lookup or tunnel, the endpoint, the socket, the timer.
void Connection::CloseTransport() {
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
  if (stream_) {
    // Pending writes are cancelled by the close; their callbacks see UV_ECANCELED.
    stream_->data = nullptr;
    CloseAndDelete(stream_);
    stream_ = nullptr;
    reading_ = false;
  }
  if (resume_reading_) {
    CloseAndDelete(resume_reading_);
    resume_reading_ = nullptr;
  }
  if (deadline_timer_) {
    CloseAndDelete(deadline_timer_);
    deadline_timer_ = nullptr;
  }
}

}  // namespace switchboard
