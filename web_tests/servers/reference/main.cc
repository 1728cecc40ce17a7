// switchboard-server: the reference TCPConnection/1.0 server for the web tests (see
// web_tests/README.md for every option and every handler's bytes).
#include <uv.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

#include "web_tests/servers/reference/handler.h"
#include "web_tests/servers/reference/server.h"

namespace {

using switchboard::reference_server::Server;
using switchboard::reference_server::ServerOptions;
using switchboard::reference_server::TlsContext;

constexpr std::string_view kUsage = R"(usage: switchboard-server [options]

Serves files and the TCPConnection/1.0 (spec §4, §6) test handlers on 127.0.0.1 and ::1.
Prints "listening <http|https> <address> <port>" per listener, then "ready".

  --root DIR                 serve files under DIR (GET/HEAD); /ports.json is always served
  --port PORT                http port on every address (default 0: pick one)
  --extra-ports N            N more http ports on every address, each picked at start-up
                             (a "listening" line each; clients that need more than one
                             destination, as 100,000 connections from one host do)
  --address ADDR             listen on ADDR (repeatable; default 127.0.0.1 and ::1)
  --tls-cert FILE            PEM certificate chain: enables https and RFC 2817 upgrades
  --tls-key FILE             PEM private key for --tls-cert
  --tls-port PORT            https port (default 0 when --tls-cert is given)
  --require-tls-upgrade      answer clear TCPConnection requests with 426 (spec §4.3)
  --ports-json JSON          a JSON object merged into /ports.json
  --ports-json-file FILE     a JSON object file merged into /ports.json (read per request)
  --exit-when-stdin-closes   stop when stdin reaches EOF (default when stdin is a pipe)
  --no-exit-when-stdin-closes
  --idle-timeout SECONDS     stop after SECONDS without network activity (default: never)
  --max-header-bytes N       largest request head accepted (default 16384; else 431)
  --verbose                  log connections and requests to stderr
  --list-handlers            print the handler table and exit
  --help                     print this help and exit
)";

bool ParsePort(std::string_view text, int& port) {
  try {
    std::size_t used = 0;
    const int value = std::stoi(std::string(text), &used);
    if (used != text.size() || value < 0 || value > 65535) return false;
    port = value;
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

int Fail(std::string_view message) {
  std::cerr << "switchboard-server: " << message << "\n(--help for usage)\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);  // write errors come back from libuv instead

  ServerOptions options;
  std::optional<bool> exit_when_stdin_closes;
  bool https_port_given = false;
  for (int index = 1; index < argc; ++index) {
    std::string_view argument = argv[index];
    std::string inline_value;
    bool has_inline_value = false;
    if (const std::size_t equals = argument.find('=');
        argument.starts_with("--") && equals != std::string_view::npos) {
      inline_value = std::string(argument.substr(equals + 1));
      argument = argument.substr(0, equals);
      has_inline_value = true;
    }
    const auto value = [&](std::string& out) {
      if (has_inline_value) {
        out = inline_value;
        return true;
      }
      if (index + 1 >= argc) return false;
      out = argv[++index];
      return true;
    };
    std::string text;
    if (argument == "--help" || argument == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (argument == "--list-handlers") {
      for (const auto& entry : switchboard::reference_server::TcpConnectionHandlers()) {
        std::cout << "OPTIONS " << entry.path << "  " << entry.summary << "\n";
      }
      for (const auto& entry : switchboard::reference_server::WebSocketHandlers()) {
        std::cout << "GET " << entry.path << "  " << entry.summary << "\n";
      }
      return 0;
    } else if (argument == "--root") {
      if (!value(options.root)) return Fail("--root needs a directory");
    } else if (argument == "--port") {
      if (!value(text) || !ParsePort(text, options.http_port)) return Fail("bad --port");
    } else if (argument == "--extra-ports") {
      if (!value(text) || !ParsePort(text, options.extra_http_ports) ||
          options.extra_http_ports > 1000) {
        return Fail("bad --extra-ports (0..1000)");
      }
    } else if (argument == "--address") {
      if (!value(text)) return Fail("--address needs an address");
      options.addresses.push_back(text);
    } else if (argument == "--tls-cert") {
      if (!value(options.tls_certificate_file)) return Fail("--tls-cert needs a file");
    } else if (argument == "--tls-key") {
      if (!value(options.tls_private_key_file)) return Fail("--tls-key needs a file");
    } else if (argument == "--tls-port") {
      if (!value(text) || !ParsePort(text, options.https_port)) return Fail("bad --tls-port");
      https_port_given = true;
    } else if (argument == "--require-tls-upgrade") {
      options.require_tls_upgrade = true;
    } else if (argument == "--ports-json") {
      if (!value(options.extra_ports_json)) return Fail("--ports-json needs a JSON object");
      if (options.extra_ports_json.find('{') == std::string::npos) {
        return Fail("--ports-json needs a JSON object");
      }
    } else if (argument == "--ports-json-file") {
      if (!value(options.ports_json_file)) return Fail("--ports-json-file needs a file");
    } else if (argument == "--exit-when-stdin-closes") {
      exit_when_stdin_closes = true;
    } else if (argument == "--no-exit-when-stdin-closes") {
      exit_when_stdin_closes = false;
    } else if (argument == "--idle-timeout") {
      double seconds = 0;
      try {
        if (!value(text)) return Fail("--idle-timeout needs seconds");
        seconds = std::stod(text);
      } catch (const std::exception&) {
        return Fail("bad --idle-timeout");
      }
      if (seconds < 0) return Fail("bad --idle-timeout");
      options.idle_timeout_milliseconds = static_cast<std::uint64_t>(seconds * 1000);
    } else if (argument == "--max-header-bytes") {
      int bytes = 0;
      if (!value(text) || !ParsePort(text, bytes) || bytes < 64) {
        return Fail("bad --max-header-bytes (64..65535)");
      }
      options.max_header_bytes = static_cast<std::size_t>(bytes);
    } else if (argument == "--verbose" || argument == "-v") {
      options.verbose = true;
    } else {
      return Fail("unknown option " + std::string(argument));
    }
  }
  if (options.addresses.empty()) options.addresses = {"127.0.0.1", "::1"};
  options.exit_when_stdin_closes =
      exit_when_stdin_closes.value_or(uv_guess_handle(0) == UV_NAMED_PIPE);

  std::unique_ptr<TlsContext> tls_context;
  if (!options.tls_certificate_file.empty() || !options.tls_private_key_file.empty()) {
    if (options.tls_certificate_file.empty() || options.tls_private_key_file.empty()) {
      return Fail("--tls-cert and --tls-key go together");
    }
    std::string error;
    tls_context =
        TlsContext::Create(options.tls_certificate_file, options.tls_private_key_file, error);
    if (!tls_context) return Fail("TLS: " + error);
    if (!https_port_given) options.https_port = 0;
  }

  uv_loop_t* loop = uv_default_loop();
  int exit_code = 0;
  {
    Server server(loop, std::move(options), std::move(tls_context));
    std::string error;
    if (!server.Start(error)) {
      std::cerr << "switchboard-server: " << error << "\n";
      exit_code = 1;
      server.Stop("start failed");
    }
    uv_run(loop, UV_RUN_DEFAULT);
  }
  uv_loop_close(loop);
  return exit_code;
}
