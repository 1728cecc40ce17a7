// The embedding API's network hooks (switchboard/network_hooks.h) turned into the engine's
// (engine/network_hooks.h, engine/net_log_relay.h). Internal to libswitchboard.
//
// Thread: the page's thread.
#pragma once

#include <functional>
#include <memory>
#include <string_view>

#include "engine/net_log_relay.h"
#include "engine/page_settings.h"
#include "switchboard/page.h"

namespace switchboard::embed {

// Sets the connection policy, the connection event sink and the embedder's net log relay of
// `settings` from `options`. `relay` is the net log relay: made on the first call (when
// options.net_log_handler is set) and reused by later ones, so that the document load made by
// Page::Load and the page it becomes feed one handler. `report_error` receives what a
// connection event or net log handler threw.
void ApplyNetworkHooks(const PageOptions& options, PageSettings& settings,
                       std::shared_ptr<NetLogRelay>& relay,
                       std::function<void(std::string_view)> report_error);

}  // namespace switchboard::embed
