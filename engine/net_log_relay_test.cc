// NetLogRelay: net log events from another thread reach the observer on the loop's thread, in
// order, those from before the loop existed first; none after Detach().
#include "engine/net_log_relay.h"

#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "engine/event_loop.h"

namespace switchboard {
namespace {

NetLogEvent Event(std::uint64_t source, std::string type) {
  NetLogEvent event;
  event.source = source;
  event.type = std::move(type);
  event.params.Add("n", static_cast<int>(source));
  return event;
}

TEST(NetLogRelayTest, EventsFromBeforeTheLoopComeFirstThenTheIoThreadsInOrder) {
  constexpr int kFromIoThread = 500;
  EventLoop loop;
  std::vector<std::uint64_t> seen;
  std::shared_ptr<NetLogRelay> relay = NetLogRelay::Create(
      [&](const NetLogEvent& event) {
        EXPECT_TRUE(loop.IsMainThread());
        seen.push_back(event.source);
        if (seen.size() == kFromIoThread + 2) loop.ReleasePendingActivity();
      },
      /*capture_contents=*/true);
  NetLogSubscriber subscriber = relay->Subscriber();
  EXPECT_TRUE(subscriber.capture_contents);
  // The document's load, before the page (and its loop) exists.
  std::thread([&] {
    subscriber.on_event(Event(1, "load_start"));
    subscriber.on_event(Event(2, "load_end"));
  }).join();
  EXPECT_TRUE(seen.empty());

  loop.AddPendingActivity();  // until every event has been seen
  relay->AttachTo(loop);
  EXPECT_TRUE(seen.empty()) << "never synchronously";
  std::thread io([&] {
    for (int i = 0; i < kFromIoThread; ++i) subscriber.on_event(Event(3 + i, "frame_sent"));
  });
  EXPECT_EQ(loop.Run(), EventLoop::RunResult::kIdle);
  io.join();
  ASSERT_EQ(seen.size(), kFromIoThread + 2u);
  for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], i + 1);
}

TEST(NetLogRelayTest, NothingReachesTheObserverAfterDetach) {
  EventLoop loop;
  int seen = 0;
  std::shared_ptr<NetLogRelay> relay =
      NetLogRelay::Create([&](const NetLogEvent&) { ++seen; }, /*capture_contents=*/false);
  NetLogSubscriber subscriber = relay->Subscriber();
  EXPECT_FALSE(subscriber.capture_contents);
  relay->AttachTo(loop);
  subscriber.on_event(Event(1, "connection_start"));  // queued, not yet run
  relay->Detach();
  subscriber.on_event(Event(2, "close"));  // dropped
  loop.RunUntilNoReadyTasks();
  EXPECT_EQ(seen, 0);
  // A relay serves the next page once attached again.
  relay->AttachTo(loop);
  subscriber.on_event(Event(3, "connection_start"));
  loop.RunUntilNoReadyTasks();
  EXPECT_EQ(seen, 1);
}

}  // namespace
}  // namespace switchboard
