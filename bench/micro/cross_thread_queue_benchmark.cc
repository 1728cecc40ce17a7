// Micro-benchmarks of the one cross-thread door (architecture.md "Threads"): a producer thread
// posts tasks, the receiving libuv loop drains them in batches. Measures tasks per second and
// how many wake-ups (batches) they cost; ping-pong measures one hop there and back, which is
// what every TCPConnection round trip pays twice.
#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
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

// A Receiver whose loop runs on a thread of its own until the object goes.
struct ReceiverThread {
  Receiver receiver;
  std::atomic<bool> stop{false};
  std::thread loop_thread{[this] {
    while (!stop.load(std::memory_order_acquire)) uv_run(&receiver.loop, UV_RUN_ONCE);
  }};
  ~ReceiverThread() {
    stop.store(true, std::memory_order_release);
    receiver.queue->Post([] {});  // wake the loop so that it sees `stop`
    loop_thread.join();
  }
};

// Busy-waits (untimed) long enough for a receiver that just ran a task to be asleep again.
void LetTheReceiverFallAsleep() {
  const auto settle = std::chrono::steady_clock::now() + std::chrono::microseconds(200);
  while (std::chrono::steady_clock::now() < settle) {
  }
}

void PostBurst(Receiver& receiver, int count, CrossThreadQueue::WakeUp wake_up) {
  for (int i = 0; i < count; ++i) {
    receiver.queue->Post([&receiver] { receiver.ran.fetch_add(1, std::memory_order_release); },
                         wake_up);
  }
}

void BM_CrossThreadQueuePostToOtherThread(benchmark::State& state) {
  ReceiverThread running;
  Receiver& receiver = running.receiver;
  std::int64_t posted = 0;
  for (auto _ : state) {
    receiver.queue->Post([&receiver] { receiver.ran.fetch_add(1, std::memory_order_relaxed); });
    ++posted;
  }
  while (receiver.ran.load() < posted) std::this_thread::yield();
  state.SetItemsProcessed(posted);
  state.counters["tasks_per_wakeup"] =
      static_cast<double>(posted) /
      static_cast<double>(std::max<std::int64_t>(1, receiver.batches));
}
BENCHMARK(BM_CrossThreadQueuePostToOtherThread)->UseRealTime();

// One task there, one back: two hops and two wake-ups per iteration.
void BM_CrossThreadQueueRoundTrip(benchmark::State& state) {
  Receiver back;
  ReceiverThread there_running;  // destroyed first: its tasks post to `back`
  Receiver& there = there_running.receiver;
  std::atomic<bool> answered{false};
  for (auto _ : state) {
    answered.store(false, std::memory_order_relaxed);
    there.queue->Post([&] { back.queue->Post([&] { answered.store(true); }); });
    while (!answered.load()) uv_run(&back.loop, UV_RUN_ONCE);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CrossThreadQueueRoundTrip)->UseRealTime();

// Wake-up latency: the receiver is asleep in epoll_wait when the task is posted; the time is
// from just before Post() to the task starting on the receiving thread. Between iterations
// the poster waits (untimed) until the receiver has had time to go back to sleep.
void BM_CrossThreadQueueWakeUpLatency(benchmark::State& state) {
  ReceiverThread running;
  Receiver& receiver = running.receiver;
  using Clock = std::chrono::steady_clock;
  std::atomic<std::int64_t> started_ns{0};
  for (auto _ : state) {
    LetTheReceiverFallAsleep();
    started_ns.store(0, std::memory_order_relaxed);
    const auto posted = Clock::now();
    receiver.queue->Post([&started_ns] {
      started_ns.store(Clock::now().time_since_epoch().count(), std::memory_order_release);
    });
    std::int64_t ran;
    while ((ran = started_ns.load(std::memory_order_acquire)) == 0) {
    }
    state.SetIterationTime(static_cast<double>(ran - posted.time_since_epoch().count()) / 1e9);
  }
  state.counters["wakeups_per_task"] =
      static_cast<double>(receiver.batches) / static_cast<double>(state.iterations() + 1);
}
BENCHMARK(BM_CrossThreadQueueWakeUpLatency)->UseManualTime();

// A burst of 64 posts from one thread to a sleeping receiver, as the IO thread posts one
// event per connection in a loop turn that read 64 sockets: the time until the last one has
// run, and how many wake-ups (batches) the burst cost; posted one by one, and in one
// WakeUpBatch (as the IO thread posts in one turn of its loop).
template <bool kInOneBatch>
void BM_CrossThreadQueueBurstOf64(benchmark::State& state) {
  ReceiverThread running;
  Receiver& receiver = running.receiver;
  using Clock = std::chrono::steady_clock;
  constexpr int kBurst = 64;
  std::int64_t expected = 0;
  for (auto _ : state) {
    LetTheReceiverFallAsleep();
    const auto start = Clock::now();
    if constexpr (kInOneBatch) {
      CrossThreadQueue::WakeUpBatch batch;
      PostBurst(receiver, kBurst, CrossThreadQueue::WakeUp::kEndOfBatch);
    } else {
      PostBurst(receiver, kBurst, CrossThreadQueue::WakeUp::kNow);
    }
    expected += kBurst;
    while (receiver.ran.load(std::memory_order_acquire) < expected) {
    }
    state.SetIterationTime(std::chrono::duration<double>(Clock::now() - start).count());
  }
  state.SetItemsProcessed(expected);
  state.counters["wakeups_per_burst"] =
      static_cast<double>(receiver.batches) / static_cast<double>(state.iterations() + 1);
}
BENCHMARK(BM_CrossThreadQueueBurstOf64<false>)
    ->Name("BM_CrossThreadQueueBurstOf64")
    ->UseManualTime();
BENCHMARK(BM_CrossThreadQueueBurstOf64<true>)
    ->Name("BM_CrossThreadQueueBurstOf64InOneWakeUpBatch")
    ->UseManualTime();

}  // namespace
}  // namespace switchboard
