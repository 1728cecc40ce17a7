// IoThread: the network thread — one libuv loop on its own std::thread. Every socket, the
// c-ares channel, libcurl's multi handle and OpenSSL state live here; it never calls V8.
//
// Thread: construct and destroy on the owning (main) thread; PostTask from any thread; the
// posted tasks run on the IO thread in posting order (per posting thread).
// Ownership: owns the thread and the loop. The destructor runs the registered shutdown
// hooks on the IO thread (they close their handles), waits until no handle is left, and
// joins — a handle that outlives shutdown is a bug and asserts in debug builds.
// Wake-ups: what the IO thread posts with WakeUp::kEndOfBatch in one turn of its loop (one
// event per socket read) wakes each receiver once, just before the loop polls again. (It
// does not spin waiting for the answer: on two cores that cost CPU and won nothing,
// bench/README.md.)
// Signals: the thread blocks SIGPIPE in its own mask (spec §7), so a write to a reset socket
// fails with EPIPE instead of ending the process; nothing process-wide is changed.
#pragma once

#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include <uv.h>

#include "base/cross_thread_queue.h"

namespace switchboard {

class IoThread {
 public:
  using Task = std::function<void()>;

  // `name`: the thread's name as ps, top -H, gdb and perf show it (at most 15 bytes).
  explicit IoThread(const char* name = "sb-io");
  ~IoThread();
  IoThread(const IoThread&) = delete;
  IoThread& operator=(const IoThread&) = delete;

  // kEndOfBatch: the IO thread is woken at the end of the posting thread's WakeUpBatch
  // (cross_thread_queue.h), e.g. once for every send of one turn of the page's loop.
  void PostTask(Task task, CrossThreadQueue::WakeUp wake_up = CrossThreadQueue::WakeUp::kNow);
  // Registers a hook that runs on the IO thread at shutdown, before the loop is drained.
  // IO thread only.
  void AddShutdownHook(Task hook);

  uv_loop_t* loop() { return &loop_; }
  bool IsCurrent() const { return std::this_thread::get_id() == thread_.get_id(); }
  // Handles open on the loop right now, the task queue's among them (tests use it to prove
  // nothing leaked). IO thread only.
  int CountOpenHandles();

 private:
  void Main();

  uv_loop_t loop_;
  std::unique_ptr<CrossThreadQueue> tasks_;
  // Runs before the loop polls: writes the wake-ups of what this turn posted (Main()).
  uv_prepare_t flush_wake_ups_;
  std::vector<Task> shutdown_hooks_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace switchboard
