#include "web_tests/servers/reference/server.h"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <iostream>

namespace switchboard::reference_server {

namespace {

// The members of a JSON object text ("{...}" → "..."), or "" when it is empty or not an object.
std::string ObjectMembers(std::string_view json) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!json.empty() && is_space(json.front())) json.remove_prefix(1);
  while (!json.empty() && is_space(json.back())) json.remove_suffix(1);
  if (json.size() < 2 || json.front() != '{' || json.back() != '}') return {};
  json = json.substr(1, json.size() - 2);
  while (!json.empty() && is_space(json.front())) json.remove_prefix(1);
  while (!json.empty() && is_space(json.back())) json.remove_suffix(1);
  return std::string(json);
}

// Connections the kernel completes before accept() (capped by net.core.somaxconn): bench/run
// opens 10,000 and more at once, and a full queue drops SYNs, which clients retry after 1 s.
constexpr int kBacklog = 4096;

std::string_view SchemeOf(ListenerKind kind) {
  return kind == ListenerKind::kHttps ? "https" : "http";
}

}  // namespace

Server::Server(uv_loop_t* loop, ServerOptions options, std::unique_ptr<TlsContext> tls_context)
    : loop_(loop),
      options_(std::move(options)),
      tls_context_(std::move(tls_context)),
      files_(options_.root) {}

Server::~Server() = default;

bool Server::Start(std::string& error) {
  if (!options_.root.empty() && !files_.has_root()) {
    error = "--root " + options_.root + " is not a directory";
    return false;
  }
  if (!BindAll(ListenerKind::kHttp, options_.http_port, error)) return false;
  for (int extra = 0; extra < options_.extra_http_ports; ++extra) {
    if (!BindAll(ListenerKind::kHttp, 0, error)) return false;
  }
  if (options_.https_port >= 0) {
    if (tls_context_ == nullptr) {
      error = "an https port needs --tls-cert and --tls-key";
      return false;
    }
    if (!BindAll(ListenerKind::kHttps, options_.https_port, error)) return false;
  }
  for (const std::unique_ptr<Listener>& listener : listeners_) {
    std::printf("listening %s %s %d\n", std::string(SchemeOf(listener->kind)).c_str(),
                listener->address.c_str(), listener->port);
  }
  std::printf("ready\n");
  std::fflush(stdout);

  last_activity_ = uv_now(loop_);
  if (options_.idle_timeout_milliseconds > 0) {
    uv_timer_init(loop_, &idle_timer_);
    idle_timer_.data = this;
    const std::uint64_t period = std::min<std::uint64_t>(options_.idle_timeout_milliseconds, 1000);
    uv_timer_start(&idle_timer_, OnIdleCheck, period, period);
    idle_timer_active_ = true;
  }
  if (options_.exit_when_stdin_closes) WatchStdin();
  uv_signal_init(loop_, &interrupt_signal_);
  uv_signal_init(loop_, &terminate_signal_);
  interrupt_signal_.data = this;
  terminate_signal_.data = this;
  uv_signal_start(&interrupt_signal_, OnSignal, SIGINT);
  uv_signal_start(&terminate_signal_, OnSignal, SIGTERM);
  signals_started_ = true;
  return true;
}

bool Server::BindAll(ListenerKind kind, int requested_port, std::string& error) {
  const auto discard = [this](std::unique_ptr<Listener> listener) {
    uv_close(reinterpret_cast<uv_handle_t*>(&listener->handle), nullptr);
    discarded_listeners_.push_back(std::move(listener));  // freed once the loop has finished
  };
  // With port 0 the first address picks a port that another address may already use; retry.
  constexpr int kAttempts = 20;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    std::vector<std::unique_ptr<Listener>> bound;
    int port = requested_port;
    bool retry = false;
    for (const std::string& address : options_.addresses) {
      auto listener = std::make_unique<Listener>();
      listener->server = this;
      listener->kind = kind;
      listener->address = address;
      uv_tcp_init(loop_, &listener->handle);
      listener->handle.data = listener.get();
      const bool ipv6 = address.find(':') != std::string::npos;
      sockaddr_storage socket_address{};
      int result =
          ipv6
              ? uv_ip6_addr(address.c_str(), port, reinterpret_cast<sockaddr_in6*>(&socket_address))
              : uv_ip4_addr(address.c_str(), port, reinterpret_cast<sockaddr_in*>(&socket_address));
      if (result == 0) {
        result = uv_tcp_bind(&listener->handle, reinterpret_cast<const sockaddr*>(&socket_address),
                             ipv6 ? UV_TCP_IPV6ONLY : 0);
      }
      if (result == 0) {
        // libuv reports some bind errors (EADDRINUSE) only at listen time.
        result =
            uv_listen(reinterpret_cast<uv_stream_t*>(&listener->handle), kBacklog, OnConnection);
      }
      if (result == 0) {
        sockaddr_storage bound_address{};
        int length = sizeof(bound_address);
        uv_tcp_getsockname(&listener->handle, reinterpret_cast<sockaddr*>(&bound_address), &length);
        listener->port = ntohs(bound_address.ss_family == AF_INET6
                                   ? reinterpret_cast<sockaddr_in6*>(&bound_address)->sin6_port
                                   : reinterpret_cast<sockaddr_in*>(&bound_address)->sin_port);
        port = listener->port;
        bound.push_back(std::move(listener));
        continue;
      }
      const bool first = bound.empty();
      discard(std::move(listener));
      if (!first && requested_port == 0 && result == UV_EADDRINUSE) {
        retry = true;
        break;
      }
      if (!first && (result == UV_EADDRNOTAVAIL || result == UV_EAFNOSUPPORT)) {
        std::cerr << "switchboard-server: skipping " << address << ": " << uv_strerror(result)
                  << "\n";
        continue;
      }
      error = "cannot listen on " + address + " port " + std::to_string(port) + ": " +
              uv_strerror(result);
      for (std::unique_ptr<Listener>& listener_bound : bound) discard(std::move(listener_bound));
      return false;
    }
    if (retry) {
      for (std::unique_ptr<Listener>& listener : bound) discard(std::move(listener));
      continue;
    }
    if (bound.empty()) {
      error = "no address to listen on";
      return false;
    }
    for (std::unique_ptr<Listener>& listener : bound) listeners_.push_back(std::move(listener));
    return true;
  }
  error = "no free port shared by all addresses";
  return false;
}

void Server::OnConnection(uv_stream_t* listener_stream, int status) {
  auto* listener = static_cast<Listener*>(listener_stream->data);
  Server& server = *listener->server;
  if (status != 0 || server.stopping_) return;
  const std::uint64_t id = server.next_connection_id_++;
  auto connection = std::make_unique<Connection>(server, id, listener->kind);
  Connection& accepted = *connection;
  server.connections_.emplace(id, std::move(connection));
  server.NoteActivity();
  if (uv_accept(listener_stream, accepted.stream()) != 0) {
    accepted.Abort();
    return;
  }
  accepted.Start();
}

void Server::ForgetConnection(std::uint64_t id) { connections_.erase(id); }

void Server::NoteActivity() { last_activity_ = uv_now(loop_); }

void Server::Log(std::string_view line) const {
  std::cerr << "switchboard-server: " << line << "\n";
}

std::string Server::PortsJson() const {
  std::string json = "{";
  for (ListenerKind kind : {ListenerKind::kHttp, ListenerKind::kHttps}) {
    for (const std::unique_ptr<Listener>& listener : listeners_) {
      if (listener->kind != kind) continue;
      if (json.size() > 1) json += ",";
      json += "\"" + std::string(SchemeOf(kind)) + "\":" + std::to_string(listener->port);
      break;
    }
  }
  std::string from_file;
  if (!options_.ports_json_file.empty()) ReadWholeFile(options_.ports_json_file, from_file);
  for (const std::string& members :
       {ObjectMembers(options_.extra_ports_json), ObjectMembers(from_file)}) {
    if (members.empty()) continue;
    if (json.size() > 1) json += ",";
    json += members;
  }
  return json + "}\n";
}

void Server::WatchStdin() {
  uv_stream_t* stream = nullptr;
  int result = UV_EINVAL;
  switch (uv_guess_handle(0)) {
    case UV_NAMED_PIPE:
      result = uv_pipe_init(loop_, &stdin_pipe_, 0);
      stream = reinterpret_cast<uv_stream_t*>(&stdin_pipe_);
      if (result == 0) {
        result = uv_pipe_open(&stdin_pipe_, 0);
        if (result != 0) uv_close(reinterpret_cast<uv_handle_t*>(stream), nullptr);
      }
      break;
    case UV_TTY:
      result = uv_tty_init(loop_, &stdin_tty_, 0, 1);
      stream = reinterpret_cast<uv_stream_t*>(&stdin_tty_);
      break;
    default:
      std::cerr << "switchboard-server: stdin is neither a pipe nor a terminal; "
                   "--exit-when-stdin-closes ignored\n";
      return;
  }
  if (result == 0) {
    stream->data = this;
    result = uv_read_start(
        stream,
        [](uv_handle_t*, std::size_t, uv_buf_t* buffer) {
          static char discard[4096];
          *buffer = uv_buf_init(discard, sizeof(discard));
        },
        OnStdinRead);
    stdin_stream_ = stream;  // closed by Stop()
  }
  if (result != 0) {
    std::cerr << "switchboard-server: cannot watch stdin: " << uv_strerror(result) << "\n";
  }
}

void Server::OnStdinRead(uv_stream_t* stream, ssize_t bytes_read, const uv_buf_t*) {
  if (bytes_read >= 0) return;  // input on stdin is ignored
  static_cast<Server*>(stream->data)->Stop("stdin closed");
}

void Server::OnSignal(uv_signal_t* signal, int signal_number) {
  static_cast<Server*>(signal->data)->Stop(signal_number == SIGINT ? "SIGINT" : "SIGTERM");
}

void Server::OnIdleCheck(uv_timer_t* timer) {
  auto* server = static_cast<Server*>(timer->data);
  if (uv_now(server->loop_) - server->last_activity_ >=
      server->options_.idle_timeout_milliseconds) {
    server->Stop("idle timeout");
  }
}

void Server::Stop(std::string_view reason) {
  if (stopping_) return;
  stopping_ = true;
  if (options_.verbose) Log("stopping: " + std::string(reason));
  for (const std::unique_ptr<Listener>& listener : listeners_) {
    uv_close(reinterpret_cast<uv_handle_t*>(&listener->handle), nullptr);
  }
  for (auto& [id, connection] : connections_) connection->Abort();
  if (idle_timer_active_) uv_close(reinterpret_cast<uv_handle_t*>(&idle_timer_), nullptr);
  if (stdin_stream_ != nullptr) uv_close(reinterpret_cast<uv_handle_t*>(stdin_stream_), nullptr);
  if (signals_started_) {
    uv_close(reinterpret_cast<uv_handle_t*>(&interrupt_signal_), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&terminate_signal_), nullptr);
  }
}

}  // namespace switchboard::reference_server
