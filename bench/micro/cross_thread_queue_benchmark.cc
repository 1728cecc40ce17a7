// Micro-benchmarks of the one cross-thread door (architecture.md "Threads"): a producer thread
// posts tasks, the receiving libuv loop drains them in batches. Measures tasks per second and
// how many wake-ups (batches) they cost; ping-pong measures one hop there and back, which is
// what every TCPConnection round trip pays twice.
#include <benchmark/benchmark.h>

#include <atomic>
#include <thread>

#include "base/cross_thread_queue.h"

namespace switchboard {
namespace {

// The receiving side: a loop on its own thread running until `stop`.
struct Receiver {
  uv_loop_t loop;
  std::unique_ptr<CrossThreadQueue> queue;
  std::atomic<std::int64_t> ran{0};
  std::atomic<std::int64_t> batches{0};

  Receiver() {
    uv_loop_init(&loop);
    queue = std::make_unique<CrossThreadQueue>(&loop,
                                               [this](std::vector<CrossThreadQueue::Task>& batch) {
                                                 batches.fetch_add(1, std::memory_order_relaxed);
                                                 for (auto& task : batch) task();
                                               });
  }
  ~Receiver() {
    queue->Close();
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
  }
};

void BM_CrossThreadQueuePostToOtherThread(benchmark::State& state) {
  Receiver receiver;
  std::atomic<bool> stop{false};
  std::thread loop_thread([&] {
    while (!stop.load(std::memory_order_acquire)) uv_run(&receiver.loop, UV_RUN_ONCE);
  });
  std::int64_t posted = 0;
  for (auto _ : state) {
    receiver.queue->Post([&receiver] { receiver.ran.fetch_add(1, std::memory_order_relaxed); });
    ++posted;
  }
  while (receiver.ran.load() < posted) std::this_thread::yield();
  stop.store(true, std::memory_order_release);
  receiver.queue->Post([] {});  // wake the loop so that it sees `stop`
  loop_thread.join();
  state.SetItemsProcessed(posted);
  state.counters["tasks_per_wakeup"] =
      static_cast<double>(posted) /
      static_cast<double>(std::max<std::int64_t>(1, receiver.batches));
}
BENCHMARK(BM_CrossThreadQueuePostToOtherThread)->UseRealTime();

// One task there, one back: two hops and two wake-ups per iteration.
void BM_CrossThreadQueueRoundTrip(benchmark::State& state) {
  Receiver there;
  Receiver back;
  std::atomic<bool> stop{false};
  std::thread loop_thread([&] {
    while (!stop.load(std::memory_order_acquire)) uv_run(&there.loop, UV_RUN_ONCE);
  });
  std::atomic<bool> answered{false};
  for (auto _ : state) {
    answered.store(false, std::memory_order_relaxed);
    there.queue->Post([&] { back.queue->Post([&] { answered.store(true); }); });
    while (!answered.load()) uv_run(&back.loop, UV_RUN_ONCE);
  }
  stop.store(true, std::memory_order_release);
  there.queue->Post([] {});
  loop_thread.join();
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CrossThreadQueueRoundTrip)->UseRealTime();

}  // namespace
}  // namespace switchboard
