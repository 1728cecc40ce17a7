#include "web_tests/servers/reference/connection.h"

#include <array>
#include <cstdio>
#include <utility>

#include "web_tests/servers/reference/server.h"

namespace switchboard::reference_server {

namespace {

// Stop reading while this much is queued for a client that does not read (an echo flood must
// not grow memory without bound); resume below the low mark.
constexpr std::size_t kPauseReadingAbove = 4 * 1024 * 1024;
constexpr std::size_t kResumeReadingBelow = 1024 * 1024;
constexpr std::size_t kMaxRequestBody = 1024 * 1024;
// A connection that does not complete a request in this time is closed (slow-loris clients).
constexpr std::uint64_t kRequestTimeoutMilliseconds = 60'000;
// After our FIN, how long to drain the peer's input before closing anyway. Closing while
// unread input is pending would send RST and could destroy data the peer has not read yet.
constexpr std::uint64_t kLingerMilliseconds = 2'000;

constexpr std::string_view kTlsUpgradeSwitchingProtocols =
    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: TLS/1.0, HTTP/1.1\r\nConnection: Upgrade\r\n\r\n";

std::string PeerName(const uv_tcp_t& socket) {
  sockaddr_storage address{};
  int length = sizeof(address);
  if (uv_tcp_getpeername(&socket, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    return "?";
  }
  std::array<char, 64> host{};
  if (address.ss_family == AF_INET6) {
    const auto* ipv6 = reinterpret_cast<const sockaddr_in6*>(&address);
    uv_ip6_name(ipv6, host.data(), host.size());
    return "[" + std::string(host.data()) + "]:" + std::to_string(ntohs(ipv6->sin6_port));
  }
  const auto* ipv4 = reinterpret_cast<const sockaddr_in*>(&address);
  uv_ip4_name(ipv4, host.data(), host.size());
  return std::string(host.data()) + ":" + std::to_string(ntohs(ipv4->sin_port));
}

}  // namespace

Connection::Connection(Server& server, std::uint64_t id, ListenerKind kind)
    : server_(server), id_(id) {
  uv_tcp_init(server.loop(), &socket_);
  uv_timer_init(server.loop(), &timer_);
  socket_.data = this;
  timer_.data = this;
  open_handles_ = 2;
  if (kind == ListenerKind::kHttps && server.tls_context() != nullptr) {
    tls_ = std::make_unique<TlsSession>(*server.tls_context());
  }
}

Connection::~Connection() = default;

void Connection::Start() {
  uv_tcp_nodelay(&socket_, 1);
  peer_name_ = PeerName(socket_);
  Log(tls_ ? "accepted (https)" : "accepted");
  if (uv_read_start(stream(), OnAllocate, OnRead) != 0) {
    CloseNow();
    return;
  }
  reading_ = true;
  StartTimerFor(TimerPurpose::kRequestTimeout, kRequestTimeoutMilliseconds, [this] {
    Log("no complete request in time; closing");
    CloseNow();
  });
}

void Connection::Log(std::string_view message) {
  if (!server_.options().verbose) return;
  server_.Log("[#" + std::to_string(id_) + " " + peer_name_ + "] " + std::string(message));
}

// --- Reading ---------------------------------------------------------------------------------

// One read buffer per loop thread, not per connection (64 KiB each made 100,000 idle
// connections cost 6.5 GB): libuv fills it and calls OnRead before it asks for another, and
// everything downstream copies what it keeps.
void Connection::OnAllocate(uv_handle_t*, std::size_t, uv_buf_t* buffer) {
  thread_local std::array<char, 64 * 1024> read_buffer;
  *buffer = uv_buf_init(read_buffer.data(), static_cast<unsigned int>(read_buffer.size()));
}

void Connection::OnRead(uv_stream_t* stream, ssize_t bytes_read, const uv_buf_t* buffer) {
  auto* connection = static_cast<Connection*>(stream->data);
  if (bytes_read > 0) {
    connection->server_.NoteActivity();
    connection->OnSocketBytes(std::string_view(buffer->base, static_cast<std::size_t>(bytes_read)));
  } else if (bytes_read == UV_EOF) {
    connection->OnPeerEnd();
  } else if (bytes_read < 0) {
    connection->Log(std::string("read error: ") + uv_strerror(static_cast<int>(bytes_read)));
    connection->CloseNow();
  }
}

void Connection::OnSocketBytes(std::string_view bytes) {
  switch (state_) {
    case State::kLingering:
    case State::kClosing:
      return;  // input after our FIN is drained and dropped
    case State::kReadingRequest:
    case State::kHandled:
      break;
  }
  if (!tls_) {
    OnPlaintext(bytes);
    return;
  }
  TlsSession::Output output = tls_->ReceiveCiphertext(bytes);
  WriteToSocket(std::move(output.ciphertext_to_send), {});
  if (output.failed) {
    Log("TLS failed: " + output.error);
    CloseAfterWrites();  // lets the alert go out
    return;
  }
  if (!output.plaintext.empty()) OnPlaintext(output.plaintext);
  if (output.peer_closed) OnPeerEnd();
}

void Connection::OnPlaintext(std::string_view bytes) {
  switch (state_) {
    case State::kReadingRequest:
      input_.append(bytes);
      ProcessRequests();
      return;
    case State::kHandled:
      handler_->OnData(bytes);
      return;
    case State::kLingering:
    case State::kClosing:
      return;
  }
}

void Connection::OnPeerEnd() {
  peer_ended_ = true;
  if (reading_) {
    uv_read_stop(stream());
    reading_ = false;
  }
  switch (state_) {
    case State::kReadingRequest:
      Log("client closed");
      CloseAfterWrites();
      return;
    case State::kHandled:
      Log("client closed");
      handler_->OnPeerClosed();
      return;
    case State::kLingering:
      CloseNow();
      return;
    case State::kClosing:
      return;
  }
}

// --- Requests --------------------------------------------------------------------------------

void Connection::ProcessRequests() {
  while (state_ == State::kReadingRequest && !input_.empty()) {
    const HttpRequestParse parse = ParseHttpRequestHead(input_, server_.options().max_header_bytes);
    switch (parse.outcome) {
      case HttpRequestParse::Outcome::kIncomplete:
        return;
      case HttpRequestParse::Outcome::kError:
        Log("bad request: " + parse.error_reason);
        Respond(nullptr, parse.error_status, {}, parse.error_reason + "\n", false);
        return;
      case HttpRequestParse::Outcome::kComplete:
        break;
    }
    const HttpRequest& request = parse.request;
    if (request.content_length > kMaxRequestBody) {
      Respond(&request, 413, {}, "request body too large\n", false);
      return;
    }
    if (input_.size() < parse.consumed_bytes + request.content_length) return;  // body pending
    input_.erase(0, parse.consumed_bytes + request.content_length);  // bodies are ignored
    StartTimerFor(TimerPurpose::kRequestTimeout, kRequestTimeoutMilliseconds, [this] {
      Log("keep-alive connection idle; closing");
      CloseNow();
    });
    if (Dispatch(request) == Next::kStop) return;
  }
}

Connection::Next Connection::Dispatch(const HttpRequest& request) {
  Log(request.method + " " + request.target);
  const bool connection_upgrade = request.HasToken("Connection", "upgrade");

  // Spec §4.3 / RFC 2817 §3: "OPTIONS … Upgrade: TLS/1.0" switches this connection to TLS.
  if (request.HasToken("Upgrade", "TLS/1.0")) return StartTlsUpgrade(request);

  // Spec §4.1: OPTIONS + "Upgrade: TCPConnection/1.0" + "Connection: Upgrade" selects a handler.
  if (request.HasToken("Upgrade", "TCPConnection/1.0")) {
    if (request.method != "OPTIONS") {
      return Respond(&request, 405, "Allow: OPTIONS\r\n", "TCPConnection upgrades use OPTIONS\n",
                     false);
    }
    if (!connection_upgrade) {
      return Respond(&request, 400, {}, "Upgrade without Connection: Upgrade\n", false);
    }
    const HandlerEntry* entry = FindHandler(TcpConnectionHandlers(), request.path);
    if (entry == nullptr) return Respond(&request, 404, {}, "no such handler\n", false);
    // Spec §4.3's 426 mode: a clear request must first upgrade to TLS on this connection.
    const bool require_tls = server_.options().require_tls_upgrade ||
                             QueryParameters(request.query).Get("require-tls") == "1";
    if (require_tls && !secure()) {
      return Respond(&request, 426, "Upgrade: TLS/1.0, HTTP/1.1\r\nConnection: Upgrade\r\n", {},
                     request.KeepAlive());
    }
    StartHandler(*entry, request);
    return Next::kStop;
  }

  // RFC 6455 §4.2.1: GET + "Upgrade: websocket" + "Connection: Upgrade".
  if (request.HasToken("Upgrade", "websocket")) {
    if (request.method != "GET") {
      return Respond(&request, 405, "Allow: GET\r\n", "WebSocket upgrades use GET\n", false);
    }
    if (!connection_upgrade) {
      return Respond(&request, 400, {}, "Upgrade without Connection: Upgrade\n", false);
    }
    const HandlerEntry* entry = FindHandler(WebSocketHandlers(), request.path);
    if (entry == nullptr) return Respond(&request, 404, {}, "no such handler\n", false);
    StartHandler(*entry, request);
    return Next::kStop;
  }

  return AnswerPlainRequest(request);  // other Upgrade tokens are ignored (RFC 9110 §7.8)
}

Connection::Next Connection::AnswerPlainRequest(const HttpRequest& request) {
  const bool keep_alive = request.KeepAlive();
  const bool head_only = request.method == "HEAD";
  if (request.method == "OPTIONS") {
    if (FindHandler(TcpConnectionHandlers(), request.path) != nullptr) {
      return Respond(&request, 426, "Upgrade: TCPConnection/1.0\r\nConnection: Upgrade\r\n",
                     "this path speaks TCPConnection/1.0\n", keep_alive);
    }
    return Respond(&request, 204, "Allow: GET, HEAD, OPTIONS\r\n", {}, keep_alive);
  }
  if (request.method != "GET" && !head_only) {
    return Respond(&request, 405, "Allow: GET, HEAD, OPTIONS\r\n", "method not allowed\n",
                   keep_alive);
  }

  std::string body;
  std::string header_lines = "Cache-Control: no-store\r\n";
  if (request.path == "/ports.json") {
    body = server_.PortsJson();
    header_lines += "Content-Type: application/json\r\n";
  } else if (request.path == "/headers.js") {
    // For cookie tests of page loads: sets each `set-cookie=` value as a Set-Cookie header
    // and answers with the request head it received, as `var requestHead = "...";`.
    for (const std::string& cookie : QueryParameters(request.query).GetAll("set-cookie")) {
      if (cookie.find_first_of("\r\n") == std::string::npos) {
        header_lines += "Set-Cookie: " + cookie + "\r\n";
      }
    }
    std::string escaped;
    for (char c : request.raw_head) {
      auto byte = static_cast<unsigned char>(c);
      if (c == '"' || c == '\\') {
        escaped += '\\';
        escaped += c;
      } else if (byte < 0x20 || byte >= 0x7f) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "\\x%02x", byte);
        escaped += hex;
      } else {
        escaped += c;
      }
    }
    body = "var requestHead = \"" + escaped + "\";\n";
    header_lines += "Content-Type: text/javascript\r\n";
  } else if (request.path == "/ports.js") {
    // The same ports for pages, which have no fetch(): <script src="/ports.js"> sets `ports`.
    body = "var ports = " + server_.PortsJson() + ";\n";
    header_lines += "Content-Type: text/javascript\r\n";
  } else {
    const FileServer::Lookup lookup = server_.files().Resolve(request.path);
    switch (lookup.outcome) {
      case FileServer::Lookup::Outcome::kNotFound:
        return Respond(&request, 404, {}, "not found\n", keep_alive);
      case FileServer::Lookup::Outcome::kForbidden:
        return Respond(&request, 403, {}, "forbidden\n", keep_alive);
      case FileServer::Lookup::Outcome::kFound:
        break;
    }
    if (!ReadWholeFile(lookup.file_path, body)) {
      return Respond(&request, 500, {}, "cannot read file\n", false);
    }
    header_lines += "Content-Type: " + std::string(ContentTypeFor(lookup.file_path)) + "\r\n";
  }
  if (!keep_alive) header_lines += "Connection: close\r\n";
  Log(std::to_string(200) + " " + std::to_string(body.size()) + " bytes");
  Write(HttpResponse(200, header_lines, body, head_only));
  if (!keep_alive) {
    CloseAfterWrites();
    return Next::kStop;
  }
  return Next::kContinue;
}

Connection::Next Connection::StartTlsUpgrade(const HttpRequest& request) {
  if (server_.tls_context() == nullptr) {
    return Respond(&request, 501, {}, "TLS is not configured (--tls-cert, --tls-key)\n", false);
  }
  if (secure()) return Respond(&request, 400, {}, "already TLS\n", false);
  if (!request.HasToken("Connection", "upgrade")) {
    return Respond(&request, 400, {}, "Upgrade without Connection: Upgrade\n", false);
  }
  Log("101 TLS/1.0 (RFC 2817)");
  Write(std::string(kTlsUpgradeSwitchingProtocols));  // still in clear
  // RFC 2817 §3.3: TLS starts right after the 101; the next request arrives inside TLS.
  tls_ = std::make_unique<TlsSession>(*server_.tls_context());
  std::string early_ciphertext = std::move(input_);
  input_.clear();
  if (!early_ciphertext.empty()) OnSocketBytes(early_ciphertext);
  return Next::kStop;
}

void Connection::StartHandler(const HandlerEntry& entry, const HttpRequest& request) {
  Log(std::string("handler ") + std::string(entry.path));
  handler_ = entry.create(*this, QueryParameters(request.query));
  state_ = State::kHandled;
  uv_timer_stop(&timer_);
  timer_purpose_ = TimerPurpose::kNone;
  handler_->Start(request);
  if (state_ == State::kHandled && !input_.empty()) {
    const std::string early_bytes = std::move(input_);
    input_.clear();
    handler_->OnData(early_bytes);
  }
}

Connection::Next Connection::Respond(const HttpRequest* request, int status,
                                     std::string header_lines, std::string_view body,
                                     bool keep_alive) {
  Log(std::to_string(status) + " " + std::string(ReasonPhrase(status)));
  if (!body.empty()) header_lines += "Content-Type: text/plain\r\n";
  if (!keep_alive) header_lines += "Connection: close\r\n";
  const bool head_only = request != nullptr && request->method == "HEAD";
  Write(HttpResponse(status, header_lines, body, head_only));
  if (keep_alive) return Next::kContinue;
  CloseAfterWrites();
  return Next::kStop;
}

// --- Writing ---------------------------------------------------------------------------------

void Connection::Write(std::string bytes, Callback on_written) {
  switch (state_) {
    case State::kReadingRequest:
    case State::kHandled:
      break;
    case State::kLingering:
    case State::kClosing:
      return;
  }
  if (tls_) bytes = tls_->Encrypt(bytes);
  WriteToSocket(std::move(bytes), std::move(on_written));
}

void Connection::WriteToSocket(std::string bytes, Callback on_written) {
  if (state_ == State::kClosing) return;
  if (on_written) callbacks_for_next_write_.push_back(std::move(on_written));
  // Nothing to write yet (TLS data waiting for the handshake): the callbacks ride on the next
  // write, so they still run after the bytes went out.
  if (bytes.empty()) return;

  auto request = std::make_unique<WriteRequest>();
  request->bytes = std::move(bytes);
  request->on_written = std::move(callbacks_for_next_write_);
  callbacks_for_next_write_.clear();
  request->connection = this;
  request->request.data = request.get();
  const uv_buf_t buffer =
      uv_buf_init(request->bytes.data(), static_cast<unsigned int>(request->bytes.size()));
  const int result = uv_write(&request->request, stream(), &buffer, 1, OnWriteDone);
  if (result != 0) {
    Log(std::string("write failed: ") + uv_strerror(result));
    CloseNow();
    return;
  }
  request.release();  // owned by libuv until OnWriteDone
  server_.NoteActivity();
  PauseOrResumeReading();
}

void Connection::OnWriteDone(uv_write_t* uv_request, int status) {
  const std::unique_ptr<WriteRequest> request(static_cast<WriteRequest*>(uv_request->data));
  Connection& connection = *request->connection;
  if (connection.state_ == State::kClosing) return;
  if (status != 0) {
    connection.Log(std::string("write failed: ") + uv_strerror(status));
    connection.CloseNow();
    return;
  }
  connection.server_.NoteActivity();
  connection.PauseOrResumeReading();
  for (Callback& callback : request->on_written) {
    // The handler's contract: no callbacks once the connection started closing.
    if (connection.state_ != State::kHandled && connection.state_ != State::kReadingRequest) break;
    callback();
  }
}

void Connection::PauseOrResumeReading() {
  if (state_ == State::kClosing || peer_ended_) return;
  const std::size_t queued = socket_.write_queue_size;
  if (reading_ && queued > kPauseReadingAbove) {
    uv_read_stop(stream());
    reading_ = false;
    reading_paused_for_writes_ = true;
  } else if (!reading_ && reading_paused_for_writes_ && queued < kResumeReadingBelow) {
    reading_paused_for_writes_ = false;
    reading_ = uv_read_start(stream(), OnAllocate, OnRead) == 0;
  }
}

void Connection::StopReading() {
  reading_stopped_ = true;
  reading_paused_for_writes_ = false;
  if (reading_) uv_read_stop(stream());
  reading_ = false;
}

std::size_t Connection::QueuedWriteBytes() const { return socket_.write_queue_size; }

// --- Timers ----------------------------------------------------------------------------------

void Connection::StartTimer(std::uint64_t milliseconds, Callback on_timeout) {
  if (state_ != State::kHandled) return;
  StartTimerFor(TimerPurpose::kHandler, milliseconds, std::move(on_timeout));
}

void Connection::StartTimerFor(TimerPurpose purpose, std::uint64_t milliseconds,
                               Callback on_timeout) {
  if (state_ == State::kClosing) return;
  timer_purpose_ = purpose;
  timer_callback_ = std::move(on_timeout);
  uv_timer_start(&timer_, OnTimer, milliseconds, 0);
}

void Connection::OnTimer(uv_timer_t* timer) {
  auto* connection = static_cast<Connection*>(timer->data);
  const TimerPurpose purpose = std::exchange(connection->timer_purpose_, TimerPurpose::kNone);
  const Callback callback = std::move(connection->timer_callback_);
  connection->timer_callback_ = nullptr;
  switch (connection->state_) {
    case State::kReadingRequest:
    case State::kHandled:
      break;
    case State::kLingering:
      if (purpose != TimerPurpose::kLinger) return;  // a handler's timer after it closed
      break;
    case State::kClosing:
      return;
  }
  if (callback) callback();
}

// --- Closing ---------------------------------------------------------------------------------

void Connection::CloseAfterWrites() {
  switch (state_) {
    case State::kReadingRequest:
    case State::kHandled:
      break;
    case State::kLingering:
    case State::kClosing:
      return;
  }
  if (tls_) WriteToSocket(tls_->CloseNotify(), {});
  state_ = State::kLingering;
  uv_timer_stop(&timer_);
  timer_purpose_ = TimerPurpose::kNone;
  shutdown_request_.data = this;
  shutdown_requested_ = true;
  if (uv_shutdown(&shutdown_request_, stream(), OnShutdownDone) != 0) CloseNow();
}

void Connection::OnShutdownDone(uv_shutdown_t* request, int status) {
  auto* connection = static_cast<Connection*>(request->data);
  if (connection->state_ == State::kClosing) return;
  if (status != 0 || connection->peer_ended_) {
    connection->CloseNow();
    return;
  }
  // Keep reading (and dropping) until the peer's FIN, so that closing never sends RST.
  if (!connection->reading_ && !connection->reading_stopped_) {
    connection->reading_paused_for_writes_ = false;
    connection->reading_ = uv_read_start(connection->stream(), OnAllocate, OnRead) == 0;
  }
  connection->StartTimerFor(TimerPurpose::kLinger, kLingerMilliseconds,
                            [connection] { connection->CloseNow(); });
}

void Connection::Reset() {
  if (state_ == State::kClosing) return;
  if (shutdown_requested_) {  // libuv forbids mixing uv_shutdown and uv_tcp_close_reset
    CloseNow();
    return;
  }
  Log("RST");
  state_ = State::kClosing;
  uv_close(reinterpret_cast<uv_handle_t*>(&timer_), OnHandleClosed);
  if (uv_tcp_close_reset(&socket_, OnHandleClosed) != 0) {
    uv_close(reinterpret_cast<uv_handle_t*>(&socket_), OnHandleClosed);
  }
}

void Connection::CloseNow() {
  if (state_ == State::kClosing) return;
  Log("closed");
  state_ = State::kClosing;
  uv_close(reinterpret_cast<uv_handle_t*>(&timer_), OnHandleClosed);
  uv_close(reinterpret_cast<uv_handle_t*>(&socket_), OnHandleClosed);
}

void Connection::OnHandleClosed(uv_handle_t* handle) {
  auto* connection = static_cast<Connection*>(handle->data);
  if (--connection->open_handles_ == 0) {
    connection->server_.ForgetConnection(connection->id_);  // deletes the connection
  }
}

}  // namespace switchboard::reference_server
