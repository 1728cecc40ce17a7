#include "engine/net_log_relay.h"

#include <cassert>
#include <utility>

#include "engine/event_loop.h"

namespace switchboard {

std::shared_ptr<NetLogRelay> NetLogRelay::Create(Observer observer, bool capture_contents) {
  return std::shared_ptr<NetLogRelay>(new NetLogRelay(std::move(observer), capture_contents));
}

NetLogRelay::NetLogRelay(Observer observer, bool capture_contents)
    : observer_(std::move(observer)), capture_contents_(capture_contents) {}

NetLogSubscriber NetLogRelay::Subscriber() {
  return NetLogSubscriber{
      [self = shared_from_this()](NetLogEvent event) { self->Receive(std::move(event)); },
      capture_contents_};
}

void NetLogRelay::Receive(NetLogEvent event) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!accepting_) return;
  if (!loop_) {
    waiting_.push_back(std::move(event));
    return;
  }
  // Posted under the lock: Detach() cannot let the loop go between the test and the post.
  loop_->PostTaskFromAnyThread(
      [self = shared_from_this(), event = std::move(event)] { self->Deliver(event); });
}

void NetLogRelay::AttachTo(EventLoop& loop) {
  assert(loop.IsMainThread());
  std::lock_guard<std::mutex> lock(mutex_);
  loop_ = &loop;
  accepting_ = true;
  detached_ = false;
  for (NetLogEvent& event : waiting_) {
    loop.PostTask([self = shared_from_this(), event = std::move(event)] { self->Deliver(event); });
  }
  waiting_.clear();
}

void NetLogRelay::Detach() {
  std::lock_guard<std::mutex> lock(mutex_);
  detached_ = true;
  accepting_ = false;
  loop_ = nullptr;
  waiting_.clear();
}

void NetLogRelay::Deliver(const NetLogEvent& event) {
  if (!detached_ && observer_) observer_(event);
}

}  // namespace switchboard
