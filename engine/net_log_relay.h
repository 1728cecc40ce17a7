// NetLogRelay: a page's net log events on the main thread, as they happen — what DevTools'
// Network domain (engine/inspector/network_agent.h) is fed with. The network stack calls its
// subscriber on the IO thread (net/net_log.h); the relay hands each event to the page's event
// loop through its cross-thread door (EventLoop::PostTaskFromAnyThread), in order. Events
// that come before the page has a loop (the document's own load, made by Page::Load before
// the Page exists) wait in the relay and are posted, first, when the page attaches it.
//
// Thread: made and attached/detached on the main thread; Subscriber()'s function runs on the
// IO thread. The observer runs on the main thread only, as tasks, never after Detach().
// Ownership: shared — PageSettings::net_log_relay holds it, the NetworkService's subscriber
// and each posted task hold it too, so it outlives both threads' use of it.
// Cost: a page without a relay (and without --net-log) has no net log at all.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "net/net_log.h"

namespace switchboard {

class EventLoop;

class NetLogRelay : public std::enable_shared_from_this<NetLogRelay> {
 public:
  using Observer = std::function<void(const NetLogEvent&)>;

  // `capture_contents`: events carry frame text and unmasked heads (net/net_log.md).
  static std::shared_ptr<NetLogRelay> Create(Observer observer, bool capture_contents);
  NetLogRelay(const NetLogRelay&) = delete;
  NetLogRelay& operator=(const NetLogRelay&) = delete;

  // For NetworkSettings::net_log_subscriber.
  NetLogSubscriber Subscriber();
  // Events go to `loop` from now on, those that waited first (again after a Detach(): a
  // relay may serve one page after another). Main thread.
  void AttachTo(EventLoop& loop);
  // The observer is not called again; later events are dropped. Main thread.
  void Detach();

 private:
  NetLogRelay(Observer observer, bool capture_contents);
  void Receive(NetLogEvent event);         // IO thread
  void Deliver(const NetLogEvent& event);  // main thread

  Observer observer_;  // main thread
  const bool capture_contents_;
  bool detached_ = false;  // main thread

  std::mutex mutex_;
  EventLoop* loop_ = nullptr;         // guarded by mutex_
  std::vector<NetLogEvent> waiting_;  // guarded by mutex_: before AttachTo
  bool accepting_ = true;             // guarded by mutex_: false once detached
};

}  // namespace switchboard
