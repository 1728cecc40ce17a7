// Limits: spec §9's limits with their defaults, defined once, and embedded by value wherever
// limits travel — the page's settings (engine/page_settings.h), each connection's options
// (net/connection.h), each load's request (net/http_fetch.h). The embedding API's PageOptions
// mirrors these fields for embedders (a test checks the defaults agree).
//
// Thread: any (a value type).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace switchboard {

struct Limits {
  // §3.6: connections a page may hold in readyState 0 or 1.
  std::uint32_t max_connections = 1024;
  // §9: no 101 within this time → the connection fails (stage timeout).
  std::chrono::milliseconds handshake_timeout{30'000};
  // §9: the response's header block, status line to the empty line.
  std::size_t max_response_header_bytes = 16 * 1024;
  // §9: one frame's payload.
  std::size_t max_frame_bytes = 16 * 1024 * 1024;
  // §6/§9: received frames script has not consumed yet before reading pauses.
  std::size_t receive_window_bytes = 4 * 1024 * 1024;
  // §7/§9: how long disconnect() waits for the peer to take every byte before it resets.
  std::chrono::milliseconds disconnect_timeout{30'000};
  // Page and script loads: the largest body, and how long one load may take in all.
  std::size_t max_resource_bytes = 256 * 1024 * 1024;
  std::chrono::milliseconds load_timeout{120'000};
};

}  // namespace switchboard
