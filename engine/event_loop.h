// EventLoop: the page's HTML-style event loop (HTML "event loops": one task at a time, then
// a microtask checkpoint), on a libuv loop owned by the main thread.
//
// Thread: created, run and destroyed on the main thread. Only PostTaskFromAnyThread may be
// called from other threads; it is the one cross-thread door (a locked queue + one
// uv_async_t wake-up, architecture.md "Threads").
// Ownership: owns its uv_loop_t and every handle on it; the destructor closes them all and
// runs the loop until none is left.
// Callbacks: tasks and timer callbacks run only from Run(), one at a time, each followed by
// the microtask checkpoint. Nothing is ever called synchronously from Post*/StartTimer.
// Wake-ups: Run() and RunUntilNoReadyTasks() hold a CrossThreadQueue::WakeUpBatch, so what
// tasks post elsewhere with kEndOfBatch wakes the receiver once the ready tasks have run (or
// every kTasksPerWakeUpFlush tasks), not once per post.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include <uv.h>

#include "base/cross_thread_queue.h"

namespace switchboard {

class EventLoop {
 public:
  using Task = std::function<void()>;
  using TimerId = std::uint64_t;

  enum class Repeat { kOnce, kRepeating };
  enum class RunResult { kIdle, kStopped };

  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Queues a task on the main thread's task queue.
  void PostTask(Task task);
  // The cross-thread door: may be called from any thread, at any time while the loop exists.
  // Tasks from one thread run in the order posted.
  // kEndOfBatch: the loop is woken when the posting thread's WakeUpBatch ends or flushes (the
  // IO thread's: before it polls again), once for all that thread's posts of that turn.
  void PostTaskFromAnyThread(Task task,
                             CrossThreadQueue::WakeUp wake_up = CrossThreadQueue::WakeUp::kNow);

  // Runs `callback` as a task after `delay_ms` (and every `delay_ms` when repeating). Timers
  // with equal deadlines run in the order they were started. Returns an id for CancelTimer.
  TimerId StartTimer(std::uint64_t delay_ms, Repeat repeat, Task callback);
  // Cancels a timer; unknown or finished ids are ignored. A cancelled timer never runs,
  // even if its task was already due.
  void CancelTimer(TimerId id);
  bool HasTimer(TimerId id) const { return timers_.contains(id); }
  // Whether a pending timer keeps Run() from returning kIdle (the default) or only runs if the
  // loop is still running for other reasons (AbortSignal.timeout() nobody listens to).
  enum class KeepsLoopAlive { kYes, kNo };
  void SetTimerKeepsLoopAlive(TimerId id, KeepsLoopAlive keeps_loop_alive);

  // Work outside this loop's sight (an open connection, a pending cross-thread reply) keeps
  // Run() from returning kIdle while the count is positive.
  void AddPendingActivity();
  void ReleasePendingActivity();

  // Called after every task (HTML "perform a microtask checkpoint").
  void SetMicrotaskCheckpoint(std::function<void()> checkpoint) {
    microtask_checkpoint_ = std::move(checkpoint);
  }
  // Called when the loop is about to wait for something (e.g. to pump V8's platform tasks).
  void SetBeforeWait(std::function<void()> before_wait) { before_wait_ = std::move(before_wait); }

  // Runs tasks until nothing is pending (kIdle) or Stop() was called (kStopped).
  RunResult Run();
  // Runs the tasks that are ready now and polls I/O once, without waiting (a Stop() from one of
  // them ends this pass only); then what Run() does before waiting.
  void RunUntilNoReadyTasks();
  // Whether Run() would find something to do or wait for (a task, a live handle such as a
  // timer, pending activity).
  bool HasPendingWork();

  // For a loop driven from outside (an embedder's poll(), issue 18): BackendFd() is libuv's
  // epoll descriptor, level-triggered, readable while a watched descriptor — the cross-thread
  // queue's eventfd among them — has something. Timers are not descriptors: wait at most
  // TimeoutForExternalWait() ms (nullopt: no timer, wait for the descriptor alone; 0: work is
  // ready now, a queued task or a due timer). TimeoutForExternalWait() first registers every
  // started watcher with epoll (libuv does so lazily, on its next poll) and moves what is ready
  // into the task queue; it runs no task. Main thread only, except BackendFd().
  int BackendFd() const { return uv_backend_fd(&loop_); }
  std::optional<std::uint64_t> TimeoutForExternalWait();
  // Makes Run() return kStopped after the current task. Main thread only.
  void Stop();

  uv_loop_t* uv_loop() { return &loop_; }
  bool IsMainThread() const { return std::this_thread::get_id() == main_thread_; }
  std::thread::id main_thread() const { return main_thread_; }

 private:
  struct Timer;

  void RunOneTask();
  void DrainIncoming();
  // One uv_run(UV_RUN_NOWAIT) that polls even when only unreferenced handles are left (libuv
  // skips its poll for a loop that is not alive), so the eventfd is read and new watchers
  // reach epoll.
  void PollWithoutWaiting();
  bool SpinForIncoming();
  static void OnTimer(uv_timer_t* handle);

  uv_loop_t loop_;
  std::unique_ptr<CrossThreadQueue> incoming_;
  std::thread::id main_thread_;

  std::deque<Task> tasks_;
  std::map<TimerId, std::unique_ptr<Timer>> timers_;
  TimerId next_timer_id_ = 1;
  std::uint64_t pending_activity_ = 0;
  bool stop_requested_ = false;
  // How long Run() polls for work from other threads before it sleeps (see SpinForIncoming).
  static constexpr std::chrono::microseconds kMaxSpin{100};
  std::chrono::microseconds spin_budget_{0};
  // Run() keeps a WakeUpBatch open: what tasks post to other loops with kEndOfBatch (sends)
  // wakes them after the last ready task, or after this many tasks, whichever comes first.
  static constexpr int kTasksPerWakeUpFlush = 32;
  int tasks_since_flush_ = 0;

  std::function<void()> microtask_checkpoint_;
  std::function<void()> before_wait_;
};

}  // namespace switchboard
