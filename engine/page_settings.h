// PageSettings: everything an embedder (or the shell's command line) chooses for one page.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/limits.h"
#include "engine/network_hooks.h"

namespace switchboard {

class NetLogRelay;

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
  // Receives the page's net log events on the main thread (engine/net_log_relay.h: DevTools'
  // Network domain); null means none.
  std::shared_ptr<NetLogRelay> net_log_relay;

  // Issue 18, the embedder's network hooks (engine/network_hooks.h): the connection policy
  // (null: everything allowed), the sink of connection events (null: none) and a second net
  // log relay, for the embedder's net log callback (null: none; it may sit beside the one
  // above — both receive every event).
  ConnectionPolicy connection_policy;
  ConnectionReportSink connection_reports;
  std::shared_ptr<NetLogRelay> embedder_net_log_relay;

  // Spec §3.6 and §9 limits, and those of page and script loads (base/limits.h).
  Limits limits;
};

}  // namespace switchboard
