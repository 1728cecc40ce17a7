// PageSettings: everything an embedder (or the shell's command line) chooses for one page.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace switchboard {

struct PageSettings {
  // The document origin: "null" (opaque) or "scheme://host[:port]". Empty means the page
  // URL's own origin (opaque for file: URLs).
  std::string origin_override;
  // Forward proxy for page loads and connections (spec §3.1); empty means the proxy
  // environment variables.
  std::string proxy;
  // CA bundle for TLS verification; empty means the system store.
  std::string ca_file;
  // DNS servers ("host:port" each); empty means the system's.
  std::vector<std::string> dns_servers;
  // JSON net log file; empty means no net log.
  std::string net_log;

  // Spec §3.6 and §9 limits.
  std::uint32_t max_connections = 1024;
  std::chrono::milliseconds handshake_timeout{30'000};
  std::size_t max_response_header_bytes = 16 * 1024;
  std::size_t max_frame_bytes = 16 * 1024 * 1024;
  std::size_t receive_window_bytes = 4 * 1024 * 1024;
  std::chrono::milliseconds disconnect_timeout{30'000};  // §7 linger after disconnect()

  // Page and script loads: the largest body, and how long one load may take in all.
  std::size_t max_resource_bytes = 256 * 1024 * 1024;
  std::chrono::milliseconds load_timeout{120'000};
};

}  // namespace switchboard
