// Handler and HandlerChannel: how the reference server's test endpoints are written.
//
// A Connection reads HTTP requests. A request that upgrades (spec §4.1 OPTIONS +
// "Upgrade: TCPConnection/1.0", or RFC 6455 GET + "Upgrade: websocket") selects an entry of a
// handler table by path; the entry creates a Handler that owns the rest of the byte stream.
// Handlers only see plaintext: when the connection runs over TLS (an https listener, or an
// RFC 2817 upgrade) the Connection encrypts and decrypts around them, so every handler works
// unchanged over TLS.
//
// Thread: the server's one libuv loop thread. Ownership: the Connection owns its Handler and
// destroys it only after the socket and timer are closed; no Handler callback (OnData,
// OnPeerClosed, write or timer callbacks) runs once the connection started closing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "web_tests/servers/reference/http_request.h"

namespace switchboard::reference_server {

// What a handler may do with the connection it serves. Implemented by Connection.
class HandlerChannel {
 public:
  using Callback = std::function<void()>;
  virtual ~HandlerChannel() = default;

  // Queues `bytes` as one write (one uv_write, so one TCP segment train). `on_written` runs
  // once the bytes went to the kernel, never if the connection started closing first.
  virtual void Write(std::string bytes, Callback on_written = {}) = 0;
  // Sends FIN after every queued byte; input is then discarded until the peer closes, or a
  // grace period ends. Writes after this are dropped.
  virtual void CloseAfterWrites() = 0;
  // Closes at once with a TCP RST (SO_LINGER 0, uv_tcp_close_reset); unwritten bytes are lost.
  virtual void Reset() = 0;
  // Stops reading for good: what the peer sends stays unread in the kernel, whose buffers fill
  // (a peer that never reads). OnData and OnPeerClosed are not called again.
  virtual void StopReading() = 0;
  // A one-shot timer; starting it again replaces the pending one.
  virtual void StartTimer(std::uint64_t milliseconds, Callback on_timeout) = 0;
  // Bytes queued but not yet handed to the kernel.
  virtual std::size_t QueuedWriteBytes() const = 0;
  // True when the connection runs over TLS.
  virtual bool secure() const = 0;
  // One line to stderr with --verbose.
  virtual void Log(std::string_view message) = 0;
};

class Handler {
 public:
  virtual ~Handler() = default;
  // Called once, with the request that selected the handler; writes the answer (usually 101).
  virtual void Start(const HttpRequest& request) = 0;
  // Bytes the client sent after the request head, in order, as they arrive.
  virtual void OnData(std::string_view bytes);
  // The client sent FIN. By default the connection closes once queued bytes are written.
  virtual void OnPeerClosed();

 protected:
  explicit Handler(HandlerChannel& channel) : channel_(channel) {}
  HandlerChannel& channel_;
};

struct HandlerEntry {
  std::string_view path;
  std::string_view summary;  // one line, for --list-handlers
  std::unique_ptr<Handler> (*create)(HandlerChannel& channel, const QueryParameters& query);
};

// Handlers selected by spec §4.1's "OPTIONS <path> HTTP/1.1" + "Upgrade: TCPConnection/1.0".
std::span<const HandlerEntry> TcpConnectionHandlers();
// Handlers selected by RFC 6455's "GET <path> HTTP/1.1" + "Upgrade: websocket".
std::span<const HandlerEntry> WebSocketHandlers();
// The entry whose path is `path` (the request path without query) or a path-segment prefix of
// it ("/echo" serves "/echo" and "/echo/x", not "/echoes"), or nullptr.
const HandlerEntry* FindHandler(std::span<const HandlerEntry> table, std::string_view path);

// "HTTP/1.1 101 Switching Protocols\r\nUpgrade: TCPConnection/1.0\r\nConnection: Upgrade\r\n"
// + `extra_header_lines` (each ending in CRLF) + "\r\n": the spec §4.2 answer.
std::string TcpConnectionSwitchingProtocols(std::string_view extra_header_lines = {});

// A complete HTTP/1.1 response with Content-Length (and no body when `head_only`).
std::string HttpResponse(int status, std::string_view header_lines, std::string_view body,
                         bool head_only = false);
std::string_view ReasonPhrase(int status);

}  // namespace switchboard::reference_server
