// Server: the reference server's listeners, connections and lifetime.
//
// It binds every configured address on one port per listener kind (port 0: the first bind
// picks the port, the other addresses reuse it), prints one "listening <scheme> <address>
// <port>" line per listener and then "ready" on stdout (the web test runner reads them), and
// stops by itself when stdin closes, after an idle period, or on SIGINT/SIGTERM.
//
// Thread: one libuv loop thread; nothing here is thread-safe. Ownership: main() owns the
// Server and runs the loop until every handle is closed; the Server owns its listeners,
// connections, TLS context and file server.
#pragma once

#include <uv.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "web_tests/servers/reference/connection.h"
#include "web_tests/servers/reference/file_server.h"
#include "web_tests/servers/reference/tls_session.h"

namespace switchboard::reference_server {

struct ServerOptions {
  std::string root;                    // files served by GET/HEAD; empty: none
  std::vector<std::string> addresses;  // IPv4 or IPv6 literals
  int http_port = 0;                   // 0: pick one
  int extra_http_ports = 0;            // more http ports, each picked at start-up
  int https_port = -1;                 // -1: no https listener
  std::string tls_certificate_file;    // PEM; enables https and RFC 2817
  std::string tls_private_key_file;    // PEM
  bool require_tls_upgrade = false;    // spec §4.3: 426 for clear TCPConnection requests
  std::string extra_ports_json;        // a JSON object merged into /ports.json
  std::string ports_json_file;         // a JSON object file, re-read for every /ports.json
  bool exit_when_stdin_closes = false;
  std::uint64_t idle_timeout_milliseconds = 0;  // 0: never
  std::size_t max_header_bytes = 16 * 1024;
  bool verbose = false;
};

class Server {
 public:
  Server(uv_loop_t* loop, ServerOptions options, std::unique_ptr<TlsContext> tls_context);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; prints the listening lines and "ready". False (and `error`) on failure.
  bool Start(std::string& error);
  // Closes listeners, connections and watchers; the loop then runs out.
  void Stop(std::string_view reason);

  // For Connection:
  uv_loop_t* loop() const { return loop_; }
  const ServerOptions& options() const { return options_; }
  const FileServer& files() const { return files_; }
  const TlsContext* tls_context() const { return tls_context_.get(); }
  std::string PortsJson() const;
  void NoteActivity();
  void Log(std::string_view line) const;
  void ForgetConnection(std::uint64_t id);

 private:
  struct Listener {
    uv_tcp_t handle{};
    Server* server = nullptr;
    ListenerKind kind = ListenerKind::kHttp;
    std::string address;
    int port = 0;
  };

  bool BindAll(ListenerKind kind, int requested_port, std::string& error);
  static void OnConnection(uv_stream_t* listener, int status);
  static void OnStdinRead(uv_stream_t* stream, ssize_t bytes_read, const uv_buf_t* buffer);
  static void OnSignal(uv_signal_t* signal, int signal_number);
  static void OnIdleCheck(uv_timer_t* timer);
  void WatchStdin();

  uv_loop_t* loop_;
  const ServerOptions options_;
  const std::unique_ptr<TlsContext> tls_context_;
  const FileServer files_;
  bool stopping_ = false;
  std::vector<std::unique_ptr<Listener>> listeners_;
  std::vector<std::unique_ptr<Listener>> discarded_listeners_;  // closed, freed with the Server
  std::map<std::uint64_t, std::unique_ptr<Connection>> connections_;
  std::uint64_t next_connection_id_ = 1;
  std::uint64_t last_activity_ = 0;
  uv_timer_t idle_timer_{};
  bool idle_timer_active_ = false;
  uv_pipe_t stdin_pipe_{};
  uv_tty_t stdin_tty_{};
  uv_stream_t* stdin_stream_ = nullptr;
  uv_signal_t interrupt_signal_{};
  uv_signal_t terminate_signal_{};
  bool signals_started_ = false;
};

}  // namespace switchboard::reference_server
