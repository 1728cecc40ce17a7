// PageNetwork: the main-thread side of a page's network: its connections and its page and
// script loads, all through the page's one NetworkService (started on first use, or handed
// over by Page::Load, which used it for the document). Gives each connection an id, turns
// IO-thread events into tasks on the page's event loop (spec §8: in the order the network
// observed them), and keeps the loop alive while any connection is not yet closed or any load
// has not finished.
// Events wait in a per-connection inbox (received frames as the IO thread's batches) and each
// connection has at most one dispatch task queued at a time, which fires one event and queues
// itself again behind everything else: a flooded connection cannot delay another's events by
// more than one task (§6 fairness).
//
// Thread: main thread only. Ownership: the Page owns it; destroying it aborts every
// connection (spec §8: tearing down the page closes all) without calling clients back.
// Callbacks: ConnectionClient methods run as tasks, never inside Open/Send/Disconnect;
// OnClosed is the last call for a connection, exactly once. A load's callback runs once, as a
// task, never inside Fetch() — and never once the PageNetwork is being destroyed.
#pragma once

#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/event_loop.h"
#include "engine/page_settings.h"
#include "net/network_service.h"

namespace switchboard {

class ConnectionClient {
 public:
  virtual void OnOpen(const std::string& peer, bool secure) = 0;
  // `is_ascii`: the text is known to be all ASCII (false is always correct).
  virtual void OnRead(std::string text, bool is_ascii) = 0;
  virtual void OnWritten(std::size_t bytes) = 0;
  virtual void OnClosed(bool failed_before_open) = 0;
  // The page is being torn down: no event may fire; the client lets go of the page.
  virtual void OnPageClosing() = 0;

 protected:
  ~ConnectionClient() = default;
};

// What a script's constructor call asks for (spec §2).
struct ConnectionRequest {
  ConnectionUrl url;
  Origin document_origin;
  SecureOption secure = SecureOption::kNotRequested;
};

// The NetworkService settings of a page (with both net log relays' subscribers, if any).
NetworkSettings NetworkSettingsFor(const PageSettings& settings);
// A load of `url` (http: or https:) with the page's limits; `destination` names it in the net
// log ("document", "script"). No extra header fields: the caller sets those the policy gave.
FetchRequest FetchRequestFor(const PageUrl& url, const PageSettings& settings,
                             std::shared_ptr<CookieJar> cookie_jar, std::string destination);

class PageNetwork {
 public:
  using ConsoleLine = std::function<void(const std::string& line)>;
  using FetchDone = std::function<void(Result<FetchResponse>)>;

  // `service`: the page's network service if it already has one (Page::Load), else null.
  PageNetwork(EventLoop& event_loop, const PageSettings& settings,
              std::shared_ptr<CookieJar> cookie_jar, ConsoleLine console_error,
              std::unique_ptr<NetworkService> service = nullptr);
  ~PageNetwork();
  PageNetwork(const PageNetwork&) = delete;
  PageNetwork& operator=(const PageNetwork&) = delete;

  // §3.6: false when the page already holds the configured number of connections in
  // readyState 0 or 1; one that script disconnected (readyState 2, still closing) is not held.
  bool CanOpen() const {
    return live_.size() - disconnected_count_ < settings_.limits.max_connections;
  }
  ConnectionId Open(const ConnectionRequest& request, ConnectionClient& client);
  // §6: frames `utf8_text` and queues it; returns the frame's size for bufferedAmount.
  std::size_t Send(ConnectionId id, std::string_view utf8_text);
  void Disconnect(ConnectionId id);
  // The client is going away: no more calls to it (its connection is aborted).
  void Forget(ConnectionId id);

  // A page or script load (http: or https:) on the IO thread; `done` runs as a task. The
  // embedder's connection policy (PageSettings::connection_policy) is asked first, with
  // `document_origin`: a refusal is `done`'s Error (Stage::kPolicy), still as a task.
  void Fetch(const PageUrl& url, std::string destination, const std::string& document_origin,
             FetchDone done);

  std::size_t live_connection_count() const { return live_.size(); }
  NetworkService* service_for_testing() { return service_.get(); }

 private:
  struct Live {
    ConnectionClient* client;           // null once forgotten
    std::string url;                    // credentials masked: for the console line only
    bool disconnect_requested = false;  // script closed it: a late failure is not news
    // From the IO thread, not yet fired. A list: empty, it allocates nothing (a deque holds
    // ~0.5 KiB from the start, and most open connections are idle).
    std::list<ConnectionEvent> inbox;
    std::size_t next_frame = 0;           // in inbox.front(), when it holds frames
    std::size_t window_outstanding = 0;   // §6 window bytes received and not yet reported
    std::size_t consumed_unreported = 0;  // of those, what script has had
    bool dispatch_queued = false;
    // For the embedder's connection events (PageSettings::connection_reports).
    bool opened = false;
    std::string peer;
    bool secure = false;
  };

  // An event from the IO thread (a task): into the connection's inbox.
  void Receive(ConnectionId id, ConnectionEvent event);
  // A task: fires the next event of the connection's inbox, and queues itself again.
  void DispatchNext(ConnectionId id);
  void Close(std::map<ConnectionId, Live>::iterator found, ConnectionEvent event);
  void MarkDisconnectRequested(Live& live);
  // A load's end (a task): its `done` runs once, unless the page forgot it meanwhile.
  void FinishLoad(std::uint64_t key, Result<FetchResponse> result);
  // To PageSettings::connection_reports, if there is one.
  void Report(ConnectionId id, const Live& live, ConnectionReport::Kind kind,
              const ConnectionEvent* closed = nullptr, const Error* failure = nullptr);
  NetworkService& service();
  std::shared_ptr<const ConnectionSettings> ConnectionSettingsFor(const Origin& document_origin);

  EventLoop& event_loop_;
  const PageSettings& settings_;
  std::shared_ptr<CookieJar> cookie_jar_;
  ConsoleLine console_error_;
  std::unique_ptr<NetworkService> service_;
  std::shared_ptr<const ConnectionSettings> connection_settings_;  // the last one made
  std::map<ConnectionId, Live> live_;
  std::map<std::uint64_t, FetchDone> loads_;  // not yet finished, by key
  std::uint64_t next_load_key_ = 1;
  ConnectionId next_id_ = 1;
  std::size_t disconnected_count_ = 0;  // entries of live_ with disconnect_requested
};

}  // namespace switchboard
