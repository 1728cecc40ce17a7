// NetworkDomain: DevTools' Network domain served to every session of a page's inspector — one
// NetworkAgent (network_agent.h) per session that sent a Network command, all fed with the
// page's net log through a NetLogRelay (engine/net_log_relay.h) made with the page's settings.
//
// Use (engine/embedding/page.cc): before the page and its network service exist,
//   auto domain = std::make_shared<inspector::NetworkDomain>();
//   settings.net_log_relay = domain->relay();
// and once the page has its PageInspector, `domain->Attach(page)`.
//
// Events from before any session enabled the domain (the document's own load, which runs
// before --inspect-wait or --inspect-brk waits for a client) are kept, up to
// kMaxEarlyEvents, and given to the first session that sends Network.enable, so that its
// panel starts with the page's load, as a browser's does when DevTools is open before it.
//
// Thread: main thread. Ownership: shared by its creator and its relay's observer, so it
// lives as long as the page's settings; it sends through `page.inspector()` and sends nothing
// once the page has dropped its inspector (Page's destructor does that first).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/inspector/network_agent.h"
#include "engine/inspector/page_inspector.h"
#include "engine/net_log_relay.h"

namespace switchboard::inspector {

class NetworkDomain final : public InspectorDomain,
                            public std::enable_shared_from_this<NetworkDomain> {
 public:
  NetworkDomain() = default;
  NetworkDomain(const NetworkDomain&) = delete;
  NetworkDomain& operator=(const NetworkDomain&) = delete;

  // The relay to set in PageSettings::net_log_relay (made on first use, capturing contents:
  // frame text and raw heads).
  std::shared_ptr<NetLogRelay> relay();
  // Registers the domain with the page's inspector.
  void Attach(Page& page);

  // InspectorDomain
  static constexpr size_t kMaxEarlyEvents = 1024;
  // Of those, the bytes of content (frame text, heads, bodies) kept: later early events are
  // kept without their contents.
  static constexpr size_t kMaxEarlyContentBytes = 16 * 1024 * 1024;

  std::string_view method_prefix() const override { return "Network."; }
  void HandleCommand(DevToolsServer::SessionId session, int id, std::string_view method,
                     std::string_view message) override;
  void SessionClosed(DevToolsServer::SessionId session) override;

 private:
  void OnNetLogEvent(const NetLogEvent& event);
  void Send(DevToolsServer::SessionId session, std::string message);

  Page* page_ = nullptr;
  std::shared_ptr<NetLogRelay> relay_;
  std::map<DevToolsServer::SessionId, std::unique_ptr<NetworkAgent>> agents_;
  std::vector<NetLogEvent> early_events_;
  std::size_t early_content_bytes_ = 0;
  bool enabled_once_ = false;  // some session has sent Network.enable
};

}  // namespace switchboard::inspector
