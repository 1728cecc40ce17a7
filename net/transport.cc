#include "net/transport.h"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cassert>

#include "net/socket_info.h"
#include "net/uv_handle.h"

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

}  // namespace

std::string SocketErrorReason(int status) {
  if (status == UV_EPIPE || status == UV_ECONNRESET) return uv_strerror(UV_ECONNRESET);
  return uv_strerror(status);
}

Transport::Transport(uv_loop_t* loop, Delegate& delegate) : loop_(loop), delegate_(delegate) {}

Transport::~Transport() { assert(!stream_ && !resume_reading_ && !acknowledge_timer_); }

Result<Ok> Transport::Open(uv_os_sock_t socket) {
  assert(!stream_);
  stream_ = new uv_tcp_t;
  uv_tcp_init(loop_, stream_);
  stream_->data = this;
  if (int status = uv_tcp_open(stream_, socket); status != 0) {
    close(socket);
    return Error{Stage::kConnect, uv_strerror(status)};
  }
  uv_tcp_nodelay(stream_, 1);
  // What the proxy acknowledged of curl's CONNECT is not ours to count (§7 linger).
  acknowledged_at_connect_ = TcpBytesAcknowledged(socket).value_or(0);
  return Ok{};
}

void Transport::StartTls(std::unique_ptr<TlsClient> tls, std::string_view early_ciphertext) {
  tls_ = std::move(tls);
  tls_handshake_done_ = false;
  AdvanceTlsHandshake();
  if (!early_ciphertext.empty() && is_open()) {
    tls_->ReceiveCiphertext(early_ciphertext);  // counted in bytes_received_ when it arrived
    AdvanceTlsHandshake();
  }
}

void Transport::AdvanceTlsHandshake() {
  Result<TlsClient::HandshakeStatus> status = tls_->Handshake();
  FlushCiphertext();
  if (!status.ok()) {
    delegate_.OnTlsHandshakeDone(status.error());
    return;
  }
  if (status.value() == TlsClient::HandshakeStatus::kInProgress) return;
  tls_handshake_done_ = true;
  delegate_.OnTlsHandshakeDone(std::nullopt);
  // Application data that came with the end of the handshake.
  if (is_open()) ReadTlsPlaintext();
}

void Transport::ReadTlsPlaintext() {
  std::string plaintext;
  Result<Ok> read = tls_->ReadPlaintext(plaintext);
  FlushCiphertext();  // e.g. answers to key updates
  if (!plaintext.empty() && is_open()) delegate_.OnTransportBytes(plaintext);
  if (!read.ok()) {
    if (is_open()) delegate_.OnTransportError(read.error());
    return;
  }
  if (tls_->peer_closed() && is_open()) OnReadEnd(UV_EOF);
}

// Plaintext goes through TLS when there is TLS; OnTransportWritten reports `script_bytes`
// (bufferedAmount counts what send() was given, §6).
Result<Ok> Transport::Write(std::string bytes, std::size_t script_bytes) {
  if (!stream_) return Ok{};
  if (!tls_) return WriteToSocket(std::move(bytes), script_bytes);
  if (Result<Ok> written = tls_->WritePlaintext(bytes); !written.ok()) return written;
  return WriteToSocket(tls_->TakeCiphertext(), script_bytes);
}

void Transport::FlushCiphertext() {
  if (!tls_) return;
  std::string ciphertext = tls_->TakeCiphertext();
  if (ciphertext.empty()) return;
  if (Result<Ok> written = WriteToSocket(std::move(ciphertext), 0); !written.ok()) {
    delegate_.OnTransportError(written.error());
  }
}

Result<Ok> Transport::WriteToSocket(std::string bytes, std::size_t script_bytes) {
  if (!stream_ || write_failed_) return Ok{};
  if (bytes.empty()) {
    if (script_bytes) delegate_.OnTransportWritten(script_bytes);
    return Ok{};
  }
  bytes_sent_ += bytes.size();
  struct WriteRequest {
    uv_write_t request;
    std::string bytes;
    Transport* transport;
    std::size_t script_bytes;
  };
  auto* write = new WriteRequest{{}, std::move(bytes), this, script_bytes};
  uv_buf_t buffer = uv_buf_init(write->bytes.data(), static_cast<unsigned>(write->bytes.size()));
  int status =
      uv_write(&write->request, reinterpret_cast<uv_stream_t*>(stream_), &buffer, 1,
               [](uv_write_t* request, int write_status) {
                 std::unique_ptr<WriteRequest> done(reinterpret_cast<WriteRequest*>(request));
                 // The stream is closing: pending writes see UV_ECANCELED, but one that had
                 // completed before Close() and not yet called back sees 0 (libuv runs it from
                 // the close) — the Transport may be gone either way. Close() cleared `data`.
                 if (write_status == UV_ECANCELED || request->handle->data == nullptr) return;
                 Transport* self = done->transport;
                 if (write_status < 0) {
                   // (No SIGPIPE: the IO thread blocks it.)
                   self->write_failed_ = true;
                   self->delegate_.OnTransportWriteError(write_status);
                   return;
                 }
                 if (done->script_bytes) {
                   self->delegate_.OnTransportWritten(done->script_bytes);
                 }
               });
  if (status != 0) {
    delete write;
    return Error{Stage::kConnect, std::string("write failed: ") + uv_strerror(status)};
  }
  return Ok{};
}

int Transport::Shutdown() {
  shutdown_requested_ = true;
  if (tls_) {
    tls_->Shutdown();  // close_notify, after everything already written
    FlushCiphertext();
  }
  if (!stream_) return 0;  // a failed flush closed it
  auto* shutdown = new uv_shutdown_t;
  shutdown->data = this;
  int status = uv_shutdown(shutdown, reinterpret_cast<uv_stream_t*>(stream_),
                           [](uv_shutdown_t* request, int shutdown_status) {
                             auto* self = static_cast<Transport*>(request->data);
                             delete request;
                             // Cancelled: the stream was closed (and `self` may be gone).
                             if (shutdown_status == UV_ECANCELED) return;
                             self->delegate_.OnTransportShutdownDone(shutdown_status);
                           });
  if (status != 0) delete shutdown;
  return status;
}

Transport::ReadingChange Transport::UpdateReading() {
  if (!stream_) return ReadingChange::kNone;
  bool want = !resume_reading_ && delegate_.WantsToRead();
  if (want && !reading_) {
    uv_read_start(reinterpret_cast<uv_stream_t*>(stream_), &Transport::OnAllocate,
                  &Transport::OnStreamRead);
    reading_ = true;
    return ReadingChange::kStarted;
  }
  if (!want && reading_) {
    uv_read_stop(reinterpret_cast<uv_stream_t*>(stream_));
    reading_ = false;
    return ReadingChange::kStopped;
  }
  return ReadingChange::kNone;
}

void Transport::OnAllocate(uv_handle_t*, std::size_t, uv_buf_t* buffer) {
  *buffer = uv_buf_init(SharedReadBuffer(), kReadBufferBytes);
}

void Transport::OnStreamRead(uv_stream_t* stream, ssize_t count, const uv_buf_t* buffer) {
  auto* self = static_cast<Transport*>(stream->data);
  if (count > 0) {
    self->bytes_since_yield_ += static_cast<std::size_t>(count);
    self->OnRead(std::string_view(buffer->base, static_cast<std::size_t>(count)));
    // The transport stays alive until a task after this callback, even if it was closed.
    if (self->reading_ && self->bytes_since_yield_ >= kReadBudgetBytes) self->YieldReading();
  } else if (count < 0) {
    self->OnReadEnd(static_cast<int>(count));
  }
}

// §6 fairness: libuv would read a busy socket up to 32 times per loop turn; after one budget
// this transport waits for the check phase, after every other ready socket's callback, and
// reads again from the next poll on.
void Transport::YieldReading() {
  uv_read_stop(reinterpret_cast<uv_stream_t*>(stream_));
  reading_ = false;
  resume_reading_ = new uv_check_t;
  uv_check_init(loop_, resume_reading_);
  resume_reading_->data = this;
  uv_check_start(resume_reading_, [](uv_check_t* check) {
    auto* self = static_cast<Transport*>(check->data);
    CloseAndDelete(self->resume_reading_);
    self->resume_reading_ = nullptr;
    self->bytes_since_yield_ = 0;
    // Never a flow-control change: a yield only follows a read that left reading on.
    self->UpdateReading();
  });
}

void Transport::OnRead(std::string_view bytes) {
  bytes_received_ += bytes.size();
  if (!tls_) {
    delegate_.OnTransportBytes(bytes);
    return;
  }
  tls_->ReceiveCiphertext(bytes);
  if (!tls_handshake_done_) {
    AdvanceTlsHandshake();
  } else {
    ReadTlsPlaintext();
  }
}

void Transport::OnReadEnd(int status) {
  delegate_.OnTransportEnd(SocketErrorOr(stream_, status, shutdown_requested_));
}

// The bytes given to the socket that the peer has not acknowledged: still queued in libuv,
// in the kernel's send queue, or on the way. TLS records count as they are on the wire.
std::uint64_t Transport::BytesNotAcknowledged() const {
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

void Transport::NotifyWhenAcknowledged() {
  if (BytesNotAcknowledged() == 0) {
    delegate_.OnTransportAcknowledged();
    return;
  }
  if (!acknowledge_timer_) {
    acknowledge_timer_ = new uv_timer_t;
    uv_timer_init(loop_, acknowledge_timer_);
    acknowledge_timer_->data = this;
  }
  uv_timer_start(
      acknowledge_timer_,
      [](uv_timer_t* timer) { static_cast<Transport*>(timer->data)->NotifyWhenAcknowledged(); },
      acknowledge_poll_ms_, 0);
  acknowledge_poll_ms_ = std::min(acknowledge_poll_ms_ * 2, kMaxAcknowledgePollMs);
}

void Transport::ResetWhenClosed() {
  uv_os_fd_t socket = -1;
  if (stream_ && uv_fileno(reinterpret_cast<uv_handle_t*>(stream_), &socket) == 0) {
    ResetOnClose(socket);
  }
}

void Transport::Close() {
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
  if (acknowledge_timer_) {
    CloseAndDelete(acknowledge_timer_);
    acknowledge_timer_ = nullptr;
  }
}

}  // namespace switchboard
