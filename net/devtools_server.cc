#include "net/devtools_server.h"

#include <openssl/rand.h>

#include <arpa/inet.h>

#include <array>
#include <cassert>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <map>
#include <vector>

#include <uv.h>

#include "base/host_port.h"
#include "net/devtools_http_request.h"
#include "net/io_thread.h"
#include "net/websocket_server_framer.h"

namespace switchboard {

std::string RandomUuid() {
  std::array<unsigned char, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    // Without randomness the id would be guessable; no target is better than that.
    std::fputs("switchboard: RAND_bytes failed\n", stderr);
    std::abort();
  }
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x40);  // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant
  char text[37];
  std::snprintf(text, sizeof text,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", bytes[0],
                bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8],
                bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]);
  return text;
}

namespace {

struct WriteRequest {
  uv_write_t request;
  std::string bytes;
};

std::string HttpResponse(std::string_view status, std::string_view content_type,
                         std::string_view body) {
  std::string response = "HTTP/1.1 ";
  response += status;
  response += "\r\nContent-Type: ";
  response += content_type;
  response += "\r\nContent-Length: " + std::to_string(body.size());
  response += "\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n";
  response += body;
  return response;
}

std::string TextResponse(std::string_view status, std::string_view text) {
  return HttpResponse(status, "text/plain; charset=UTF-8", std::string(text) + "\n");
}

}  // namespace

struct DevToolsServer::Impl {
  // One accepted TCP connection: first an HTTP request, then maybe a WebSocket session.
  struct Connection {
    enum class State { kReadingHead, kWebSocket, kClosing };
    Impl* server;
    SessionId id;
    State state = State::kReadingHead;
    uv_tcp_t tcp;
    uv_timer_t linger;     // started by Close()
    int open_handles = 1;  // tcp, and linger once started; deleted when both closed
    std::string head;
    WebSocketServerFramer framer;
    std::array<char, 64 * 1024> read_buffer;

    Connection(Impl* owner, SessionId session_id, std::size_t max_message_bytes)
        : server(owner), id(session_id), framer(max_message_bytes) {}
  };

  DevToolsServerOptions options;
  Callbacks callbacks;
  std::string target_id = RandomUuid();
  std::uint16_t port = 0;
  uv_tcp_t listener;
  std::map<SessionId, Connection*> connections;  // IO thread
  SessionId next_id = 1;
  std::size_t open_sessions = 0;
  // The IoThread's loop, kept apart: io is already null while its destructor runs Shutdown.
  uv_loop_t* loop = nullptr;
  bool stopping = false;  // IO thread: the destructor has begun; no more callbacks
  // Last: destroyed first, which runs the shutdown hook and joins the thread.
  std::unique_ptr<IoThread> io;

  Result<std::uint16_t> Listen() {
    std::string host = options.host == "localhost" ? "127.0.0.1" : options.host;
    host = StripIpv6Brackets(host);
    sockaddr_storage address{};
    if (uv_ip4_addr(host.c_str(), options.port, reinterpret_cast<sockaddr_in*>(&address)) != 0 &&
        uv_ip6_addr(host.c_str(), options.port, reinterpret_cast<sockaddr_in6*>(&address)) != 0) {
      return Error{Stage::kConnect,
                   "inspector host must be an IP address or localhost: " + options.host};
    }
    uv_tcp_init(loop, &listener);
    listener.data = this;
    int status = uv_tcp_bind(&listener, reinterpret_cast<const sockaddr*>(&address), 0);
    if (status == 0)
      status = uv_listen(reinterpret_cast<uv_stream_t*>(&listener), 64, &OnConnection);
    if (status != 0) {
      uv_close(reinterpret_cast<uv_handle_t*>(&listener), nullptr);
      return Error{Stage::kConnect,
                   "cannot listen on " + HostPort(host, options.port) + ": " + uv_strerror(status)};
    }
    sockaddr_storage bound{};
    int length = sizeof bound;
    uv_tcp_getsockname(&listener, reinterpret_cast<sockaddr*>(&bound), &length);
    std::uint16_t bound_port = bound.ss_family == AF_INET6
                                   ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
                                   : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
    io->AddShutdownHook([this] { Shutdown(); });
    return bound_port;
  }

  void Shutdown() {
    stopping = true;
    uv_close(reinterpret_cast<uv_handle_t*>(&listener), nullptr);
    std::map<SessionId, Connection*> open = connections;
    for (auto& [id, connection] : open) {
      if (connection->state == Connection::State::kWebSocket) {
        Write(*connection, WebSocketServerFramer::EncodeClose(WebSocketServerFramer::kGoingAway,
                                                              "target closed"));
      }
      Close(*connection);
    }
  }

  static void OnConnection(uv_stream_t* stream, int status) {
    auto* self = static_cast<Impl*>(stream->data);
    if (status != 0 || self->stopping) return;
    auto* connection = new Connection(self, self->next_id++, self->options.max_message_bytes);
    uv_tcp_init(self->loop, &connection->tcp);
    connection->tcp.data = connection;
    if (uv_accept(stream, reinterpret_cast<uv_stream_t*>(&connection->tcp)) != 0) {
      uv_close(reinterpret_cast<uv_handle_t*>(&connection->tcp),
               [](uv_handle_t* handle) { delete static_cast<Connection*>(handle->data); });
      return;
    }
    if (self->connections.size() >= self->options.max_connections) {
      // Over the limit: the newest connection is closed unanswered.
      uv_close(reinterpret_cast<uv_handle_t*>(&connection->tcp),
               [](uv_handle_t* handle) { delete static_cast<Connection*>(handle->data); });
      return;
    }
    self->connections[connection->id] = connection;
    uv_read_start(
        reinterpret_cast<uv_stream_t*>(&connection->tcp),
        [](uv_handle_t* handle, std::size_t, uv_buf_t* buffer) {
          auto* reader = static_cast<Connection*>(handle->data);
          *buffer = uv_buf_init(reader->read_buffer.data(),
                                static_cast<unsigned>(reader->read_buffer.size()));
        },
        &OnRead);
  }

  static void OnRead(uv_stream_t* stream, ssize_t count, const uv_buf_t* buffer) {
    auto* connection = static_cast<Connection*>(stream->data);
    Impl* self = connection->server;
    if (count < 0) {
      self->Close(*connection);
      return;
    }
    std::string_view bytes(buffer->base, static_cast<std::size_t>(count));
    switch (connection->state) {
      case Connection::State::kReadingHead:
        self->ReadHead(*connection, bytes);
        return;
      case Connection::State::kWebSocket:
        self->ReadFrames(*connection, bytes);
        return;
      case Connection::State::kClosing:
        return;
    }
  }

  void ReadHead(Connection& connection, std::string_view bytes) {
    connection.head.append(bytes);
    std::optional<std::size_t> head_end = FindHttpHeadEnd(connection.head);
    if (!head_end) {
      if (connection.head.size() > options.max_head_bytes) {
        Refuse(connection, "431 Request Header Fields Too Large", "request head too large");
      }
      return;
    }
    if (*head_end > options.max_head_bytes) {
      Refuse(connection, "431 Request Header Fields Too Large", "request head too large");
      return;
    }
    std::string rest = connection.head.substr(*head_end);
    auto parsed = ParseDevToolsHttpRequest(std::string_view(connection.head).substr(0, *head_end));
    connection.head.clear();
    if (!parsed.ok()) {
      Refuse(connection, "400 Bad Request", parsed.error());
      return;
    }
    const DevToolsHttpRequest& request = parsed.value();
    std::optional<std::string_view> host = request.Header("host");
    if (!host) {
      Refuse(connection, "400 Bad Request", "no Host header");
      return;
    }
    if (!IsAllowedDevToolsHost(*host)) {
      Refuse(connection, "403 Forbidden",
             "Host header is not an IP address or localhost (DNS rebinding)");
      return;
    }
    if (request.method != "GET") {
      Refuse(connection, "405 Method Not Allowed", "only GET is served");
      return;
    }
    std::string path = request.target.substr(0, request.target.find('?'));
    if (path == "/" + target_id) {
      if (!request.IsWebSocketUpgrade()) {
        Refuse(connection, "400 Bad Request", "expected a WebSocket upgrade");
        return;
      }
      if (open_sessions >= options.max_sessions) {
        Refuse(connection, "503 Service Unavailable", "too many sessions");
        return;
      }
      Upgrade(connection, *request.Header("sec-websocket-key"), rest);
      return;
    }
    if (path == "/json" || path == "/json/list") {
      Respond(connection,
              HttpResponse("200 OK", "application/json; charset=UTF-8", TargetList(*host)));
    } else if (path == "/json/version") {
      std::string version =
          "{\n  \"Browser\": " + JsonQuote(options.browser) + ",\n  \"Protocol-Version\": \"1.3\"";
      if (!options.v8_version.empty()) {
        version += ",\n  \"V8-Version\": " + JsonQuote(options.v8_version);
      }
      Respond(connection,
              HttpResponse("200 OK", "application/json; charset=UTF-8", version + "\n}\n"));
    } else if (path == "/json/protocol" && !options.protocol_json.empty()) {
      Respond(connection, HttpResponse("200 OK", "application/json; charset=UTF-8",
                                       std::string(options.protocol_json)));
    } else {
      Refuse(connection, "404 Not Found", "unknown path");
    }
  }

  // The list as Chrome and Node print it, with URLs for the host the client reached us by. The
  // frontend is Chromium's full DevTools app (devtools_app.html: Network panel included), not
  // Node's js_app.html, nor inspector.html (the screencast variant, blank without a Page domain).
  std::string TargetList(std::string_view host) const {
    std::string address = std::string(host) + "/" + target_id;
    return "[ {\n  \"description\": \"Switchboard page\",\n  \"devtoolsFrontendUrl\": " +
           JsonQuote("devtools://devtools/bundled/devtools_app.html?ws=" + address) +
           ",\n  \"id\": " + JsonQuote(target_id) +
           ",\n  \"title\": " + JsonQuote(options.target_title) +
           ",\n  \"type\": \"page\",\n  \"url\": " + JsonQuote(options.target_url) +
           ",\n  \"webSocketDebuggerUrl\": " + JsonQuote("ws://" + address) + "\n} ]\n";
  }

  void Upgrade(Connection& connection, std::string_view key, std::string_view rest) {
    // RFC 6455 §4.2.2 step 5.
    Write(connection,
          "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
          "Connection: Upgrade\r\nSec-WebSocket-Accept: " +
              WebSocketAcceptFor(key) + "\r\n\r\n");
    connection.state = Connection::State::kWebSocket;
    ++open_sessions;
    if (callbacks.on_session_opened) callbacks.on_session_opened(connection.id);
    if (!rest.empty()) ReadFrames(connection, rest);
  }

  void ReadFrames(Connection& connection, std::string_view bytes) {
    std::vector<WebSocketServerFramer::Event> events;
    auto fed = connection.framer.Feed(
        {reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}, events);
    for (auto& event : events) {
      if (connection.state != Connection::State::kWebSocket) return;
      switch (event.kind) {
        case WebSocketServerFramer::Event::Kind::kText:
          if (callbacks.on_message) callbacks.on_message(connection.id, std::move(event.payload));
          break;
        case WebSocketServerFramer::Event::Kind::kPing:
          Write(connection, WebSocketServerFramer::EncodeFrame(WebSocketServerFramer::Opcode::kPong,
                                                               event.payload));
          break;
        case WebSocketServerFramer::Event::Kind::kPong:
          break;
        case WebSocketServerFramer::Event::Kind::kClose:
          // §5.5.1: answer with a close frame (echoing the code), then close the TCP side.
          Write(connection,
                WebSocketServerFramer::EncodeClose(
                    event.close_code == 1005 ? std::uint16_t{WebSocketServerFramer::kNormalClosure}
                                             : event.close_code,
                    ""));
          Close(connection);
          return;
      }
    }
    if (!fed.ok()) {
      // §7.1.7: fail the WebSocket connection, saying why.
      Write(connection,
            WebSocketServerFramer::EncodeClose(fed.error().close_code, fed.error().reason));
      Close(connection);
    }
  }

  void Respond(Connection& connection, std::string response) {
    Write(connection, std::move(response));
    Close(connection);
  }

  void Refuse(Connection& connection, std::string_view status, std::string_view reason) {
    Respond(connection, TextResponse(status, reason));
  }

  void Write(Connection& connection, std::string bytes) {
    if (connection.state == Connection::State::kClosing) return;
    auto* stream = reinterpret_cast<uv_stream_t*>(&connection.tcp);
    if (uv_stream_get_write_queue_size(stream) + bytes.size() > options.max_unsent_bytes) {
      // A client that stops reading does not get to grow our memory without bound.
      Close(connection);
      return;
    }
    auto* write = new WriteRequest{{}, std::move(bytes)};
    uv_buf_t buffer = uv_buf_init(write->bytes.data(), static_cast<unsigned>(write->bytes.size()));
    int status = uv_write(&write->request, stream, &buffer, 1, [](uv_write_t* request, int) {
      delete reinterpret_cast<WriteRequest*>(request);
    });
    if (status != 0) {
      delete write;
      Close(connection);
    }
  }

  // The one close path: queued writes go out first (uv_shutdown), then the handle closes —
  // or, for a client that stops reading, when the linger time is up.
  void Close(Connection& connection) {
    if (connection.state == Connection::State::kClosing) return;
    bool was_session = connection.state == Connection::State::kWebSocket;
    connection.state = Connection::State::kClosing;
    connections.erase(connection.id);
    if (was_session) {
      --open_sessions;
      if (!stopping && callbacks.on_session_closed) callbacks.on_session_closed(connection.id);
    }
    uv_read_stop(reinterpret_cast<uv_stream_t*>(&connection.tcp));
    uv_timer_init(loop, &connection.linger);
    connection.linger.data = &connection;
    ++connection.open_handles;
    uv_timer_start(
        &connection.linger,
        [](uv_timer_t* timer) { Finish(static_cast<Connection*>(timer->data)); },
        static_cast<std::uint64_t>(options.linger.count()), 0);
    auto* shutdown = new uv_shutdown_t;
    shutdown->data = &connection;
    if (uv_shutdown(shutdown, reinterpret_cast<uv_stream_t*>(&connection.tcp),
                    [](uv_shutdown_t* request, int) {
                      // Also called (UV_ECANCELED) when the linger timer closed the stream
                      // first; the connection lives until both handles' close callbacks ran.
                      auto* closing = static_cast<Connection*>(request->data);
                      delete request;
                      Finish(closing);
                    }) != 0) {
      delete shutdown;
      Finish(&connection);
    }
  }

  static void Finish(Connection* connection) {
    auto release = [](uv_handle_t* handle) {
      auto* closed = static_cast<Connection*>(handle->data);
      if (--closed->open_handles == 0) delete closed;
    };
    auto* tcp = reinterpret_cast<uv_handle_t*>(&connection->tcp);
    auto* linger = reinterpret_cast<uv_handle_t*>(&connection->linger);
    if (!uv_is_closing(tcp)) uv_close(tcp, release);
    if (!uv_is_closing(linger)) uv_close(linger, release);
  }
};

Result<std::unique_ptr<DevToolsServer>> DevToolsServer::Start(DevToolsServerOptions options,
                                                              Callbacks callbacks) {
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  impl->callbacks = std::move(callbacks);
  impl->io = std::make_unique<IoThread>("sb-devtools");
  impl->loop = impl->io->loop();
  std::promise<Result<std::uint16_t>> listening;
  Impl* raw = impl.get();
  raw->io->PostTask([raw, &listening] { listening.set_value(raw->Listen()); });
  Result<std::uint16_t> port = listening.get_future().get();
  if (!port.ok()) return port.error();
  impl->port = port.value();
  return std::unique_ptr<DevToolsServer>(new DevToolsServer(std::move(impl)));
}

DevToolsServer::DevToolsServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

DevToolsServer::~DevToolsServer() { impl_->io.reset(); }

std::uint16_t DevToolsServer::port() const { return impl_->port; }

const std::string& DevToolsServer::target_id() const { return impl_->target_id; }

std::string DevToolsServer::WebSocketUrl() const {
  std::string host = impl_->options.host == "localhost" ? "127.0.0.1" : impl_->options.host;
  return "ws://" + HostPort(StripIpv6Brackets(host), impl_->port) + "/" + impl_->target_id;
}

void DevToolsServer::Send(SessionId session, std::string message) {
  Impl* impl = impl_.get();
  impl->io->PostTask([impl, session, message = std::move(message)] {
    auto found = impl->connections.find(session);
    if (found == impl->connections.end()) return;
    if (found->second->state != Impl::Connection::State::kWebSocket) return;
    impl->Write(*found->second,
                WebSocketServerFramer::EncodeFrame(WebSocketServerFramer::Opcode::kText, message));
  });
}

void DevToolsServer::CloseSession(SessionId session) {
  Impl* impl = impl_.get();
  impl->io->PostTask([impl, session] {
    auto found = impl->connections.find(session);
    if (found == impl->connections.end()) return;
    impl->Write(*found->second,
                WebSocketServerFramer::EncodeClose(WebSocketServerFramer::kNormalClosure, ""));
    impl->Close(*found->second);
  });
}

}  // namespace switchboard
