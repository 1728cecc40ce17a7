#include "engine/inspector/network_domain.h"

#include <cassert>
#include <utility>

#include "engine/page.h"

namespace switchboard::inspector {

std::shared_ptr<NetLogRelay> NetworkDomain::relay() {
  if (!relay_) {
    // The relay outlives no page it serves; a weak reference keeps the two from owning each
    // other in a cycle.
    std::weak_ptr<NetworkDomain> weak = weak_from_this();
    relay_ = NetLogRelay::Create(
        [weak](const NetLogEvent& event) {
          if (std::shared_ptr<NetworkDomain> domain = weak.lock()) domain->OnNetLogEvent(event);
        },
        /*capture_contents=*/true);
  }
  return relay_;
}

void NetworkDomain::Attach(Page& page) {
  page_ = &page;
  if (PageInspector* inspector = page.inspector()) inspector->AddDomain(*this);
}

void NetworkDomain::HandleCommand(DevToolsServer::SessionId session, int id,
                                  std::string_view method, std::string_view message) {
  std::unique_ptr<NetworkAgent>& agent = agents_[session];
  if (!agent) {
    agent = std::make_unique<NetworkAgent>(
        [this, session](std::string json) { Send(session, std::move(json)); });
  }
  // The prefix routes only Network.* commands here, and the agent answers every one of them
  // (an error for those it does not serve).
  std::string response;
  [[maybe_unused]] const bool answered = agent->HandleMethod(id, method, message, response);
  assert(answered);
  Send(session, std::move(response));
  if (method == "Network.enable" && !enabled_once_) {
    enabled_once_ = true;
    for (const NetLogEvent& event : early_events_) agent->OnNetLogEvent(event);
    early_events_.clear();
    early_events_.shrink_to_fit();
  }
}

void NetworkDomain::SessionClosed(DevToolsServer::SessionId session) { agents_.erase(session); }

namespace {

std::size_t ContentBytes(const NetLogParams& params) {
  std::size_t bytes = 0;
  for (const NetLogParams::Field& field : params.fields()) {
    if (field.content) bytes += field.value.size();
  }
  return bytes;
}

}  // namespace

void NetworkDomain::OnNetLogEvent(const NetLogEvent& event) {
  if (!enabled_once_ && early_events_.size() < kMaxEarlyEvents) {
    std::size_t content_bytes = ContentBytes(event.params);
    if (early_content_bytes_ + content_bytes <= kMaxEarlyContentBytes) {
      early_content_bytes_ += content_bytes;
      early_events_.push_back(event);
    } else {
      NetLogEvent without_contents = event;
      without_contents.params = event.params.WithoutContents();
      early_events_.push_back(std::move(without_contents));
    }
  }
  for (auto& [session, agent] : agents_) agent->OnNetLogEvent(event);
}

void NetworkDomain::Send(DevToolsServer::SessionId session, std::string message) {
  if (page_ == nullptr) return;
  if (PageInspector* inspector = page_->inspector()) inspector->Send(session, std::move(message));
}

}  // namespace switchboard::inspector
