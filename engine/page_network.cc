#include "engine/page_network.h"

#include <cassert>
#include <optional>

#include "engine/net_log_relay.h"
#include "net/framer.h"
#include "net/net_log.h"

namespace switchboard {

NetworkSettings NetworkSettingsFor(const PageSettings& settings) {
  NetworkSettings network{
      settings.dns_servers, settings.proxy, settings.ca_file, settings.net_log, {}};
  if (settings.net_log_relay) network.net_log_subscriber = settings.net_log_relay->Subscriber();
  if (settings.embedder_net_log_relay) {
    NetLogSubscriber embedder = settings.embedder_net_log_relay->Subscriber();
    if (!network.net_log_subscriber.on_event) {
      network.net_log_subscriber = std::move(embedder);
    } else {
      // Both (DevTools and the embedder's callback): each gets every event, with the content
      // members only if it asked for them.
      NetLogSubscriber first = std::move(network.net_log_subscriber);
      network.net_log_subscriber.capture_contents =
          first.capture_contents || embedder.capture_contents;
      network.net_log_subscriber.on_event = [first, embedder](NetLogEvent event) {
        NetLogEvent copy = event;
        if (!embedder.capture_contents) copy.params = copy.params.WithoutContents();
        if (!first.capture_contents) event.params = event.params.WithoutContents();
        first.on_event(std::move(event));
        embedder.on_event(std::move(copy));
      };
    }
  }
  return network;
}

FetchRequest FetchRequestFor(const PageUrl& url, const PageSettings& settings,
                             std::shared_ptr<CookieJar> cookie_jar, std::string destination) {
  FetchRequest request;
  request.url = url;
  request.destination = std::move(destination);
  request.cookie_jar = std::move(cookie_jar);
  request.limits = settings.limits;
  return request;
}

PageNetwork::PageNetwork(EventLoop& event_loop, const PageSettings& settings,
                         std::shared_ptr<CookieJar> cookie_jar, ConsoleLine console_error,
                         std::unique_ptr<NetworkService> service)
    : event_loop_(event_loop),
      settings_(settings),
      cookie_jar_(std::move(cookie_jar)),
      console_error_(std::move(console_error)),
      service_(std::move(service)) {}

NetworkService& PageNetwork::service() {
  if (!service_) service_ = std::make_unique<NetworkService>(NetworkSettingsFor(settings_));
  return *service_;
}

void PageNetwork::Fetch(const PageUrl& url, std::string destination,
                        const std::string& document_origin, FetchDone done) {
  assert(event_loop_.IsMainThread());
  std::uint64_t key = next_load_key_++;
  loads_.emplace(key, std::move(done));
  event_loop_.AddPendingActivity();  // the page stays alive until the load is done
  EventLoop* loop = &event_loop_;
  // Issue 18: the embedder's policy, before the IO thread hears of the load.
  Result<std::vector<HeaderField>> allowed = AskConnectionPolicy(
      settings_.connection_policy,
      {destination == "script" ? PolicyTarget::kScript : PolicyTarget::kDocument, url.href,
       document_origin, url.scheme == "https"});
  if (!allowed.ok()) {
    event_loop_.PostTask([this, key, error = allowed.error()] { FinishLoad(key, error); });
    return;
  }
  FetchRequest request = FetchRequestFor(url, settings_, cookie_jar_, std::move(destination));
  request.extra_headers = std::move(allowed).value();
  service().Fetch(std::move(request), [this, loop, key](Result<FetchResponse> result) {
    // IO thread: the answer becomes a task on the page's loop.
    loop->PostTaskFromAnyThread(
        [this, key, result = std::move(result)]() mutable { FinishLoad(key, std::move(result)); });
  });
}

void PageNetwork::FinishLoad(std::uint64_t key, Result<FetchResponse> result) {
  auto found = loads_.find(key);
  if (found == loads_.end()) return;
  FetchDone finished = std::move(found->second);
  loads_.erase(found);
  event_loop_.ReleasePendingActivity();
  finished(std::move(result));
}

PageNetwork::~PageNetwork() {
  std::map<ConnectionId, Live> closing = std::move(live_);
  live_.clear();
  disconnected_count_ = 0;
  for (auto& [id, live] : closing) {
    if (live.client) live.client->OnPageClosing();
    event_loop_.ReleasePendingActivity();
  }
  for (std::size_t i = 0; i < loads_.size(); ++i) event_loop_.ReleasePendingActivity();
  loads_.clear();    // unfinished loads never call back
  service_.reset();  // aborts every connection and joins the IO thread
}

ConnectionId PageNetwork::Open(const ConnectionRequest& request, ConnectionClient& client) {
  assert(event_loop_.IsMainThread());
  ConnectionId id = next_id_++;
  Live live;
  live.client = &client;
  live.url = MaskUrlCredentials(request.url.href);
  live_.emplace(id, std::move(live));
  event_loop_.AddPendingActivity();  // the shell stays alive while a connection is not closed

  // Issue 18: the embedder's policy, before the IO thread hears of the connection. A refusal
  // is a §7 failure before open (stage `policy`): `error` then `close`, as tasks (§2 step 4:
  // nothing is observable before the constructor's script has returned), and the console line.
  const bool secure = request.url.scheme == "https" || request.secure == SecureOption::kRequested;
  Result<std::vector<HeaderField>> allowed = AskConnectionPolicy(
      settings_.connection_policy,
      {PolicyTarget::kConnection, request.url.href, request.document_origin.Serialize(), secure});
  if (!allowed.ok()) {
    ConnectionEvent refused(ConnectionEvent::Kind::kClosed);
    refused.error = allowed.error();
    refused.failed_before_open = true;
    event_loop_.PostTask(
        [this, id, refused = std::move(refused)]() mutable { Receive(id, std::move(refused)); });
    return id;
  }
  NetworkService& network_service = service();

  ConnectionOptions options;
  options.url = request.url;
  options.secure = request.secure;
  options.extra_headers = std::move(allowed).value();
  options.settings = ConnectionSettingsFor(request.document_origin);
  // Runs on the IO thread: post, in order, to the page's loop (frames as whole batches). The
  // IO thread wakes the page once per turn of its loop, after every connection it read.
  // Two words of capture fit std::function's inline buffer: no allocation per connection
  // (event_loop_ is set once, before any IO-thread call).
  network_service.Open(id, std::move(options), [this, id](ConnectionEvent event) {
    event_loop_.PostTaskFromAnyThread(
        [this, id, event = std::move(event)]() mutable { Receive(id, std::move(event)); },
        CrossThreadQueue::WakeUp::kEndOfBatch);
  });
  return id;
}

// One object for every connection of the page (a new one only if the document's origin
// changed): each Connection refers to it instead of holding a copy.
std::shared_ptr<const ConnectionSettings> PageNetwork::ConnectionSettingsFor(
    const Origin& document_origin) {
  if (!connection_settings_ || connection_settings_->document_origin != document_origin) {
    connection_settings_ = std::make_shared<const ConnectionSettings>(
        ConnectionSettings{document_origin, cookie_jar_, "", settings_.limits});
  }
  return connection_settings_;
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
  // (A connection the policy refused never reached a service, which may not exist.)
  if (service_) service_->Disconnect(id);
}

void PageNetwork::MarkDisconnectRequested(Live& live) {
  if (live.disconnect_requested) return;
  live.disconnect_requested = true;
  ++disconnected_count_;
}

void PageNetwork::Receive(ConnectionId id, ConnectionEvent event) {
  auto found = live_.find(id);
  if (found == live_.end()) return;
  Live& live = found->second;
  if (event.kind == ConnectionEvent::Kind::kWritten) {
    // Not an event: bufferedAmount (§6) shrinks as soon as the kernel has the bytes.
    if (live.client) live.client->OnWritten(event.bytes);
    return;
  }
  if (event.kind == ConnectionEvent::Kind::kFrames) live.window_outstanding += event.bytes;
  live.inbox.push_back(std::move(event));
  if (!live.dispatch_queued) {
    live.dispatch_queued = true;
    event_loop_.PostTask([this, id] { DispatchNext(id); });
  }
}

// One network event, one task (spec §8), in the order the network observed them. The IO
// thread learns what script has consumed (flow control, §6) at the end of each batch, and
// earlier — in steps of at least a quarter window — once that lets it read on while script
// works through a large batch; never per frame.
void PageNetwork::DispatchNext(ConnectionId id) {
  auto found = live_.find(id);
  if (found == live_.end()) return;
  Live& live = found->second;
  live.dispatch_queued = false;
  if (live.inbox.empty()) return;
  ConnectionEvent& event = live.inbox.front();
  switch (event.kind) {
    case ConnectionEvent::Kind::kOpen: {
      ConnectionEvent open = std::move(event);
      live.inbox.pop_front();
      live.opened = true;
      live.peer = open.peer;
      live.secure = open.secure;
      Report(id, live, ConnectionReport::Kind::kOpen);
      if (live.client) live.client->OnOpen(open.peer, open.secure);
      break;
    }
    case ConnectionEvent::Kind::kFrames: {
      std::size_t index = live.next_frame++;
      bool last = live.next_frame == event.frames.size();
      // The client may call back into this object (disconnect(), new connections), but only
      // DispatchNext erases a connection, so `live` and `event` stay where they are.
      live.consumed_unreported += event.frames[index].size() + kFrameOverheadBytes;
      if (live.client) live.client->OnRead(event.frames.Take(index), event.frames.IsAscii(index));
      if (last) {
        live.inbox.pop_front();
        live.next_frame = 0;
      }
      const std::size_t window = settings_.limits.receive_window_bytes;
      if (last || (live.consumed_unreported >= window / 4 &&
                   live.window_outstanding - live.consumed_unreported < window)) {
        if (service_) service_->Consumed(id, live.consumed_unreported);
        live.window_outstanding -= live.consumed_unreported;
        live.consumed_unreported = 0;
      }
      break;
    }
    case ConnectionEvent::Kind::kWritten:
      live.inbox.pop_front();  // never queued (Receive), but harmless
      break;
    case ConnectionEvent::Kind::kClosed: {
      ConnectionEvent closed = std::move(event);
      Close(found, std::move(closed));
      return;
    }
  }
  if (!live.inbox.empty() && !live.dispatch_queued) {
    live.dispatch_queued = true;
    event_loop_.PostTask([this, id] { DispatchNext(id); });
  }
}

void PageNetwork::Close(std::map<ConnectionId, Live>::iterator found, ConnectionEvent event) {
  ConnectionId id = found->first;
  Live live = std::move(found->second);
  live_.erase(found);
  if (live.disconnect_requested) --disconnected_count_;
  // §7: script never learns why; the console gets one line. Once script called disconnect(),
  // what matters is only whether the peer took every byte: a failure that raced the call (the
  // IO thread had not seen it yet) is reported as what disconnect() could not deliver.
  std::optional<Error> failure;
  if (event.error) {
    Error error = *event.error;
    if (live.disconnect_requested && error.stage != Stage::kDisconnect) {
      error = Error{Stage::kDisconnect,
                    UndeliveredBytesReason(event.bytes_not_delivered, error.message)};
    }
    if (!live.disconnect_requested || event.bytes_not_delivered > 0) failure = std::move(error);
  }
  if (failure && console_error_) {
    console_error_("TCPConnection to '" + live.url +
                   "' failed: " + std::string(StageName(failure->stage)) + ": " + failure->message);
  }
  Report(id, live, failure ? ConnectionReport::Kind::kFailure : ConnectionReport::Kind::kClose,
         &event, failure ? &*failure : nullptr);
  if (live.client) live.client->OnClosed(event.failed_before_open);
  event_loop_.ReleasePendingActivity();
}

void PageNetwork::Report(ConnectionId id, const Live& live, ConnectionReport::Kind kind,
                         const ConnectionEvent* closed, const Error* failure) {
  if (!settings_.connection_reports) return;
  ConnectionReport report;
  report.kind = kind;
  report.id = id;
  report.url = live.url;
  report.peer = live.peer;
  report.secure = live.secure;
  report.opened = live.opened;
  report.by_script = live.disconnect_requested;
  if (closed) {
    report.bytes_sent = closed->bytes_sent;
    report.bytes_received = closed->bytes_received;
  }
  if (failure) {
    report.stage = failure->stage;
    report.reason = failure->message;
  }
  settings_.connection_reports(report);
}

}  // namespace switchboard
