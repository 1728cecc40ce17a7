// DevToolsServer: the inspector's transport (issue 16) — an HTTP endpoint that lists one
// target (/json, /json/list, /json/version) and upgrades GET /<target-id> to a WebSocket
// (RFC 6455, net/websocket_server_framer.h) per DevTools session, on a thread of its own so
// that a page paused in the debugger still receives messages.
//
// Thread: constructed (Start) and destroyed on the owner's thread; Send and CloseSession from
// any thread. Everything else runs on the server's own IoThread.
// Ownership: owns its IoThread, the listening socket and every connection. Destruction sends
// each WebSocket a close frame (1001) after what was queued for it, closes everything and
// joins the thread.
// Callbacks: on the server's thread, in the order things happened on each session; none after
// the destructor has begun.
// Security: answers only requests whose Host is an IP literal or localhost (DNS rebinding);
// the target id is 128 random bits; heads, messages, sessions and unsent bytes are bounded.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "net/result.h"

namespace switchboard {

struct DevToolsServerOptions {
  // An IP literal or "localhost" (127.0.0.1); port 0 picks a free port (see port()).
  std::string host = "127.0.0.1";
  std::uint16_t port = 9229;
  // /json/version's "Browser" and "V8-Version" (left out when empty), and the target's title
  // and URL in /json/list.
  std::string browser = "Switchboard";
  std::string v8_version;
  std::string target_title;
  std::string target_url;
  // /json/protocol: the protocol's description (JSON; it must outlive the server); when empty,
  // /json/protocol is 404.
  std::string_view protocol_json;
  std::size_t max_head_bytes = 16 * 1024;
  std::size_t max_message_bytes = 16 * 1024 * 1024;
  // Bytes queued to a client that does not read before its session is dropped.
  std::size_t max_unsent_bytes = 256 * 1024 * 1024;
  std::size_t max_sessions = 8;
  // Open TCP connections of any kind (a client that never finishes its head holds one).
  std::size_t max_connections = 64;
  // How long a closing connection may take to flush what was queued for it before it is
  // reset (so a client that stops reading cannot hold the server, or its shutdown, open).
  std::chrono::milliseconds linger{5000};
};

class DevToolsServer {
 public:
  using SessionId = int;
  struct Callbacks {
    std::function<void(SessionId)> on_session_opened;
    std::function<void(SessionId, std::string message)> on_message;
    std::function<void(SessionId)> on_session_closed;
  };

  // Binds and listens; an error (stage kConnect) when the address cannot be bound.
  static Result<std::unique_ptr<DevToolsServer>> Start(DevToolsServerOptions options,
                                                       Callbacks callbacks);
  ~DevToolsServer();
  DevToolsServer(const DevToolsServer&) = delete;
  DevToolsServer& operator=(const DevToolsServer&) = delete;

  // The port listened on (the real one when options.port was 0).
  std::uint16_t port() const;
  const std::string& target_id() const;
  // "ws://127.0.0.1:9229/<target-id>".
  std::string WebSocketUrl() const;

  // Queues a text message to a session; unknown or closed sessions are ignored. Any thread.
  void Send(SessionId session, std::string message);
  // Closes a session's WebSocket (1000). Any thread.
  void CloseSession(SessionId session);

  struct Impl;

 private:
  explicit DevToolsServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// 128 random bits from OpenSSL, as a UUID (version 4) string.
std::string RandomUuid();

}  // namespace switchboard
