// Connection: one accepted TCP connection of the reference server.
//
// It reads HTTP/1.1 requests (keep-alive), answers file and /ports.json requests itself, and
// hands the byte stream to a Handler when a request upgrades (spec §4.1 TCPConnection, RFC
// 6455 WebSocket). TLS (an https listener, or RFC 2817 "Upgrade: TLS/1.0" on a clear one, spec
// §4.3) sits between the socket and everything else, so handlers only ever see plaintext.
//
// States (one switch in each entry point, style.md rule 7):
//   kReadingRequest → kHandled (a handler owns the stream)
//   kReadingRequest | kHandled → kLingering (FIN sent after queued writes; input discarded
//   until the peer's FIN or a grace period) → kClosing (uv_close called) → deleted
//   any → kClosing on errors, RST (Reset) or server shutdown (Abort).
//
// Thread: the server's loop thread. Ownership: the Server owns every Connection and deletes it
// in ForgetConnection, called from the last close callback of its socket and timer; nothing
// touches the Connection afterwards. The Connection owns its Handler and TlsSession.
#pragma once

#include <uv.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "web_tests/servers/reference/handler.h"
#include "web_tests/servers/reference/tls_session.h"

namespace switchboard::reference_server {

class Server;

enum class ListenerKind { kHttp, kHttps };

class Connection final : public HandlerChannel {
 public:
  Connection(Server& server, std::uint64_t id, ListenerKind kind);
  ~Connection() override;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // The stream to uv_accept() into; then call Start().
  uv_stream_t* stream() { return reinterpret_cast<uv_stream_t*>(&socket_); }
  void Start();
  // Closes at once (server shutdown, failed accept).
  void Abort() { CloseNow(); }

  // HandlerChannel:
  void Write(std::string bytes, Callback on_written = {}) override;
  void CloseAfterWrites() override;
  void Reset() override;
  void StopReading() override;
  void StartTimer(std::uint64_t milliseconds, Callback on_timeout) override;
  std::size_t QueuedWriteBytes() const override;
  bool secure() const override { return tls_ != nullptr; }
  void Log(std::string_view message) override;

 private:
  enum class State { kReadingRequest, kHandled, kLingering, kClosing };
  enum class TimerPurpose { kNone, kRequestTimeout, kHandler, kLinger };
  enum class Next { kContinue, kStop };

  struct WriteRequest {
    uv_write_t request{};
    std::string bytes;
    std::vector<Callback> on_written;
    Connection* connection = nullptr;
  };

  static void OnAllocate(uv_handle_t* handle, std::size_t suggested_size, uv_buf_t* buffer);
  static void OnRead(uv_stream_t* stream, ssize_t bytes_read, const uv_buf_t* buffer);
  static void OnWriteDone(uv_write_t* request, int status);
  static void OnShutdownDone(uv_shutdown_t* request, int status);
  static void OnTimer(uv_timer_t* timer);
  static void OnHandleClosed(uv_handle_t* handle);

  void OnSocketBytes(std::string_view bytes);
  void OnPlaintext(std::string_view bytes);
  void OnPeerEnd();
  void ProcessRequests();
  Next Dispatch(const HttpRequest& request);
  Next AnswerPlainRequest(const HttpRequest& request);
  Next StartTlsUpgrade(const HttpRequest& request);
  void StartHandler(const HandlerEntry& entry, const HttpRequest& request);
  // Writes a response for a request the connection answers itself; closes after it unless
  // `keep_alive`.
  Next Respond(const HttpRequest* request, int status, std::string header_lines,
               std::string_view body, bool keep_alive);
  void WriteToSocket(std::string bytes, Callback on_written);
  void StartTimerFor(TimerPurpose purpose, std::uint64_t milliseconds, Callback on_timeout);
  void CloseNow();
  void PauseOrResumeReading();

  Server& server_;
  const std::uint64_t id_;
  State state_ = State::kReadingRequest;
  uv_tcp_t socket_{};
  uv_timer_t timer_{};
  uv_shutdown_t shutdown_request_{};
  int open_handles_ = 0;
  bool shutdown_requested_ = false;
  bool peer_ended_ = false;
  bool reading_ = false;
  bool reading_paused_for_writes_ = false;
  bool reading_stopped_ = false;  // StopReading(): never again
  TimerPurpose timer_purpose_ = TimerPurpose::kNone;
  Callback timer_callback_;
  std::vector<Callback> callbacks_for_next_write_;
  std::string input_;  // plaintext received and not yet parsed as a request
  std::unique_ptr<TlsSession> tls_;
  std::unique_ptr<Handler> handler_;
  std::string peer_name_;
};

}  // namespace switchboard::reference_server
