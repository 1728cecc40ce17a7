// Transport: the byte stream under one Connection — the connected socket a tunnel handed over
// (spec §3 steps 1-3), optionally wrapped in TLS (§3 step 4, §4.3: the TlsClient's handshake
// driven, its ciphertext flushed, its plaintext read). It reads into the IO thread's shared
// read buffer within the §6 per-turn budget, writes with completion reports, shuts down (TLS
// close_notify, then FIN), tells how many bytes the peer has not acknowledged and when it has
// acknowledged them all (§7 linger).
// It knows nothing of handshakes or frames: what to do with bytes is its Delegate's business.
//
// Thread: IO thread only. Ownership: owned by its Connection; Close() closes every handle
// (libuv frees them later), and the Transport may be destroyed any time after Close() — it
// must outlive the libuv callback it was called from, so its owner destroys it from a task.
// Callbacks: to the Delegate, from libuv callbacks — except where noted (OnTlsHandshakeDone
// and OnTransportError may come from inside StartTls(), Write()'s empty-write report from
// inside Write(), as they always have; OnTransportAcknowledged from inside
// NotifyWhenAcknowledged() when nothing is outstanding) — and never after Close().
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <uv.h>

#include "net/result.h"
#include "net/tls_client.h"

namespace switchboard {

// libuv's reason for a socket error, with a reset reported the same whether a write saw EPIPE
// or ECONNRESET (it depends on timing: EPIPE when the peer's FIN came first).
std::string SocketErrorReason(int status);

class Transport {
 public:
  class Delegate {
   public:
    // Plaintext from the peer (decrypted when there is TLS).
    virtual void OnTransportBytes(std::string_view bytes) = 0;
    // The stream ended: UV_EOF for the peer's clean end (FIN or TLS close_notify), else the
    // error — a reset right behind data included, which libuv alone would report as EOF.
    virtual void OnTransportEnd(int status) = 0;
    // `script_bytes` handed to the kernel (Write()'s count, never TLS overhead).
    virtual void OnTransportWritten(std::size_t script_bytes) = 0;
    // A queued write failed (`status` from libuv); nothing more is written after it.
    virtual void OnTransportWriteError(int status) = 0;
    // A failure of the transport that is not the socket's: TLS, or a write refused at once.
    virtual void OnTransportError(Error error) = 0;
    // StartTls()'s handshake finished: `error` absent when it succeeded.
    virtual void OnTlsHandshakeDone(std::optional<Error> error) = 0;
    // Shutdown()'s FIN went out after every queued write (`status` 0), or failed.
    virtual void OnTransportShutdownDone(int status) = 0;
    // After NotifyWhenAcknowledged(): the peer has acknowledged every byte (§7 linger).
    virtual void OnTransportAcknowledged() = 0;
    // Whether the layer above takes bytes now (asked whenever reading could start).
    virtual bool WantsToRead() const = 0;

   protected:
    ~Delegate() = default;
  };

  Transport(uv_loop_t* loop, Delegate& delegate);
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // Takes `socket` (closing it on failure). Not reading until UpdateReading().
  Result<Ok> Open(uv_os_sock_t socket);
  // TLS from here on (§3 step 4, §4.3): `early_ciphertext` is what was read already that
  // belongs to TLS (bytes after a §4.3 101).
  void StartTls(std::unique_ptr<TlsClient> tls, std::string_view early_ciphertext);
  // Sends `bytes` (through TLS when there is TLS); `script_bytes` of them are reported to
  // OnTransportWritten once with the kernel. An error here is TLS's or libuv's, at once.
  Result<Ok> Write(std::string bytes, std::size_t script_bytes);
  // §7: TLS close_notify and FIN after every queued write; OnTransportShutdownDone follows,
  // unless this fails at once (a libuv status).
  int Shutdown();
  // Starts or stops reading as the Delegate wants (and the §6 budget allows).
  enum class ReadingChange { kNone, kStarted, kStopped };
  ReadingChange UpdateReading();
  // Bytes given to the socket the peer has not acknowledged (TLS records as on the wire;
  // not what a proxy acknowledged of the CONNECT before the socket was ours).
  std::uint64_t BytesNotAcknowledged() const;
  // §7 linger, once Shutdown()'s FIN is out: OnTransportAcknowledged() when BytesNotAcknowledged()
  // is 0, looked at with a doubling interval (1 ms up to 50 ms). Close() stops looking.
  void NotifyWhenAcknowledged();
  // Close() will reset the connection (RST) instead of sending FIN after what is queued.
  void ResetWhenClosed();
  // Closes every handle; pending writes and the shutdown are cancelled without callbacks.
  void Close();

  bool is_open() const { return stream_ != nullptr; }
  // Null until StartTls(); kept after Close() (the net log and cookies ask about it).
  const TlsClient* tls() const { return tls_.get(); }
  // On the socket since it was ours, TLS records included.
  std::uint64_t bytes_sent() const { return bytes_sent_; }
  std::uint64_t bytes_received() const { return bytes_received_; }

 private:
  static void OnAllocate(uv_handle_t* handle, std::size_t suggested, uv_buf_t* buffer);
  static void OnStreamRead(uv_stream_t* stream, ssize_t count, const uv_buf_t* buffer);
  void OnRead(std::string_view bytes);
  void OnReadEnd(int status);
  void AdvanceTlsHandshake();
  void ReadTlsPlaintext();
  // TLS records the TlsClient produced on its own (handshake, key updates, close_notify).
  void FlushCiphertext();
  Result<Ok> WriteToSocket(std::string bytes, std::size_t script_bytes);
  // §6 fairness: after a read budget, stop reading until the loop's next turn.
  void YieldReading();

  uv_loop_t* loop_;
  Delegate& delegate_;
  uv_tcp_t* stream_ = nullptr;  // closed asynchronously; the close callback frees it
  bool reading_ = false;
  // §6 fairness: bytes read since reading last yielded; the check handle that resumes it.
  std::size_t bytes_since_yield_ = 0;
  uv_check_t* resume_reading_ = nullptr;
  // §7 linger: the timer of NotifyWhenAcknowledged() and its next interval.
  uv_timer_t* acknowledge_timer_ = nullptr;
  std::uint64_t acknowledge_poll_ms_ = 1;
  std::unique_ptr<TlsClient> tls_;
  bool tls_handshake_done_ = false;
  bool shutdown_requested_ = false;            // our FIN is queued or out
  bool write_failed_ = false;                  // after a failed write nothing more goes out
  std::uint64_t acknowledged_at_connect_ = 0;  // the proxy's CONNECT, when tunnelled
  std::uint64_t bytes_sent_ = 0;
  std::uint64_t bytes_received_ = 0;
};

}  // namespace switchboard
