#include "engine/page_network.h"

#include <cassert>

#include "net/framer.h"

namespace switchboard {

PageNetwork::PageNetwork(EventLoop& event_loop, const PageSettings& settings,
                         std::shared_ptr<CookieJar> cookie_jar, ConsoleLine console_error)
    : event_loop_(event_loop),
      settings_(settings),
      cookie_jar_(std::move(cookie_jar)),
      console_error_(std::move(console_error)) {}

PageNetwork::~PageNetwork() {
  std::map<ConnectionId, Live> closing = std::move(live_);
  live_.clear();
  disconnected_count_ = 0;
  for (auto& [id, live] : closing) {
    if (live.client) live.client->OnPageClosing();
    event_loop_.ReleasePendingActivity();
  }
  service_.reset();  // aborts every connection and joins the IO thread
}

ConnectionId PageNetwork::Open(const ConnectionRequest& request, ConnectionClient& client) {
  assert(event_loop_.IsMainThread());
  if (!service_) {
    service_ = std::make_unique<NetworkService>(NetworkSettings{
        settings_.dns_servers, settings_.proxy, settings_.ca_file, settings_.net_log});
  }
  ConnectionId id = next_id_++;
  live_.emplace(id, Live{&client, request.url.href});
  event_loop_.AddPendingActivity();  // the shell stays alive while a connection is not closed

  ConnectionOptions options;
  options.url = request.url;
  options.document_origin = request.document_origin;
  options.secure = request.secure;
  options.cookie_jar = cookie_jar_;
  options.handshake_timeout = settings_.handshake_timeout;
  options.max_header_block_bytes = settings_.max_response_header_bytes;
  options.max_frame_bytes = settings_.max_frame_bytes;
  options.receive_window_bytes = settings_.receive_window_bytes;
  // Runs on the IO thread: post, in order, to the page's loop.
  EventLoop* loop = &event_loop_;
  service_->Open(id, std::move(options), [this, loop, id](ConnectionEvent event) {
    if (event.kind == ConnectionEvent::Kind::kFrames) {
      // §8: every `read` is a task of its own; posting them one by one from the IO thread
      // keeps them in network order with the events that follow.
      std::size_t count = event.frames.size();
      for (std::size_t i = 0; i < count; ++i) {
        ConnectionEvent one(ConnectionEvent::Kind::kFrames);
        one.frames.push_back(std::move(event.frames[i]));
        one.bytes = i + 1 == count ? event.bytes : 0;  // acknowledged after the last one
        loop->PostTaskFromAnyThread(
            [this, id, one = std::move(one)]() mutable { Deliver(id, std::move(one)); });
      }
      return;
    }
    loop->PostTaskFromAnyThread(
        [this, id, event = std::move(event)]() mutable { Deliver(id, std::move(event)); });
  });
  return id;
}

std::size_t PageNetwork::Send(ConnectionId id, std::string_view utf8_text) {
  std::string frame;
  std::size_t size = AppendFrame(utf8_text, frame);
  service_->Send(id, std::move(frame));
  return size;
}

void PageNetwork::Disconnect(ConnectionId id) {
  if (auto found = live_.find(id); found != live_.end()) MarkDisconnectRequested(found->second);
  if (service_) service_->Disconnect(id);
}

void PageNetwork::Forget(ConnectionId id) {
  auto found = live_.find(id);
  if (found == live_.end()) return;
  found->second.client = nullptr;
  MarkDisconnectRequested(found->second);
  service_->Disconnect(id);
}

void PageNetwork::MarkDisconnectRequested(Live& live) {
  if (live.disconnect_requested) return;
  live.disconnect_requested = true;
  ++disconnected_count_;
}

// One network event, one task (spec §8). The IO thread learns that received bytes were
// consumed once script has had them (flow control, §6).
void PageNetwork::Deliver(ConnectionId id, ConnectionEvent event) {
  auto found = live_.find(id);
  if (found == live_.end()) return;
  switch (event.kind) {
    case ConnectionEvent::Kind::kOpen:
      if (ConnectionClient* client = found->second.client) client->OnOpen(event.peer, event.secure);
      return;
    case ConnectionEvent::Kind::kFrames: {
      std::size_t bytes = event.bytes;
      for (std::string& text : event.frames) {
        if (ConnectionClient* client = found->second.client) client->OnRead(std::move(text));
      }
      if (bytes && service_) service_->Consumed(id, bytes);
      return;
    }
    case ConnectionEvent::Kind::kWritten:
      if (ConnectionClient* client = found->second.client) client->OnWritten(event.bytes);
      return;
    case ConnectionEvent::Kind::kClosed: {
      Live live = found->second;
      live_.erase(found);
      if (live.disconnect_requested) --disconnected_count_;
      // §7: script never learns why; the console gets one line — unless script had already
      // closed the connection with disconnect() and the failure raced it.
      if (event.error && !live.disconnect_requested && console_error_) {
        console_error_("TCPConnection to '" + live.url + "' failed: " +
                       std::string(StageName(event.error->stage)) + ": " + event.error->message);
      }
      if (live.client) live.client->OnClosed(event.failed_before_open);
      event_loop_.ReleasePendingActivity();
      return;
    }
  }
}

}  // namespace switchboard
