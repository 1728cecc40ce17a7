#include "engine/event_loop.h"

#include <sched.h>
#include <algorithm>
#include <cassert>
#include <utility>

namespace switchboard {

struct EventLoop::Timer {
  EventLoop* event_loop;
  TimerId id;
  Repeat repeat;
  Task callback;
  uv_timer_t handle;
};

EventLoop::EventLoop() : main_thread_(std::this_thread::get_id()) {
  int status = uv_loop_init(&loop_);
  assert(status == 0);
  (void)status;
  incoming_ = std::make_unique<CrossThreadQueue>(&loop_, [this](std::vector<Task>& batch) {
    // Make the current uv_run return instead of sleeping in poll (see OnTimer).
    uv_stop(&loop_);
    for (Task& task : batch) tasks_.push_back(std::move(task));
  });
  // Only pending activity makes the loop wait for other threads.
  incoming_->SetKeepsLoopAlive(false);
}

EventLoop::~EventLoop() {
  assert(IsMainThread());
  for (auto& [id, timer] : timers_) {
    uv_close(reinterpret_cast<uv_handle_t*>(&timer->handle),
             [](uv_handle_t* handle) { delete static_cast<Timer*>(handle->data); });
    timer.release();  // The close callback deletes it.
  }
  timers_.clear();
  incoming_->Close();
  tasks_.clear();
  uv_run(&loop_, UV_RUN_DEFAULT);
  int status = uv_loop_close(&loop_);
  assert(status == 0 && "a handle outlived the event loop");
  (void)status;
}

void EventLoop::PostTask(Task task) {
  assert(IsMainThread());
  tasks_.push_back(std::move(task));
}

void EventLoop::PostTaskFromAnyThread(Task task, CrossThreadQueue::WakeUp wake_up) {
  incoming_->Post(std::move(task), wake_up);
}

EventLoop::TimerId EventLoop::StartTimer(std::uint64_t delay_ms, Repeat repeat, Task callback) {
  assert(IsMainThread());
  auto timer = std::make_unique<Timer>();
  timer->event_loop = this;
  timer->id = next_timer_id_++;
  timer->repeat = repeat;
  timer->callback = std::move(callback);
  uv_timer_init(&loop_, &timer->handle);
  timer->handle.data = timer.get();
  // libuv runs timers with equal deadlines in start order, which is HTML's timer order.
  uv_update_time(&loop_);
  uv_timer_start(&timer->handle, &EventLoop::OnTimer, delay_ms,
                 repeat == Repeat::kRepeating ? (delay_ms == 0 ? 1 : delay_ms) : 0);
  TimerId id = timer->id;
  timers_.emplace(id, std::move(timer));
  return id;
}

void EventLoop::CancelTimer(TimerId id) {
  assert(IsMainThread());
  auto found = timers_.find(id);
  if (found == timers_.end()) return;
  Timer* timer = found->second.release();
  timers_.erase(found);
  uv_close(reinterpret_cast<uv_handle_t*>(&timer->handle),
           [](uv_handle_t* handle) { delete static_cast<Timer*>(handle->data); });
}

void EventLoop::SetTimerKeepsLoopAlive(TimerId id, KeepsLoopAlive keeps_loop_alive) {
  assert(IsMainThread());
  auto found = timers_.find(id);
  if (found == timers_.end()) return;
  auto* handle = reinterpret_cast<uv_handle_t*>(&found->second->handle);
  if (keeps_loop_alive == KeepsLoopAlive::kYes) {
    uv_ref(handle);
  } else {
    uv_unref(handle);
  }
}

void EventLoop::OnTimer(uv_timer_t* handle) {
  auto* timer = static_cast<Timer*>(handle->data);
  EventLoop* self = timer->event_loop;
  TimerId id = timer->id;
  // The timer's callback runs as a task; it looks the timer up again so that a timer
  // cancelled between now and then does not run.
  // Waking from a libuv callback: make the current uv_run return instead of sleeping in
  // poll until the next timer, so the queued task runs before later timers fire.
  uv_stop(&self->loop_);
  self->tasks_.push_back([self, id] {
    auto found = self->timers_.find(id);
    if (found == self->timers_.end()) return;
    Timer* due = found->second.get();
    if (due->repeat == Repeat::kOnce) {
      Task callback = std::move(due->callback);
      self->CancelTimer(id);
      callback();
    } else {
      Task callback = due->callback;  // The callback may cancel its own timer.
      callback();
    }
  });
}

void EventLoop::AddPendingActivity() {
  assert(IsMainThread());
  if (++pending_activity_ == 1) incoming_->SetKeepsLoopAlive(true);
}

void EventLoop::ReleasePendingActivity() {
  assert(IsMainThread());
  assert(pending_activity_ > 0);
  if (--pending_activity_ == 0) incoming_->SetKeepsLoopAlive(false);
}

void EventLoop::DrainIncoming() {
  std::vector<Task> batch;
  incoming_->TakeAll(batch);
  for (Task& task : batch) tasks_.push_back(std::move(task));
}

void EventLoop::RunOneTask() {
  Task task = std::move(tasks_.front());
  tasks_.pop_front();
  task();
  if (microtask_checkpoint_) microtask_checkpoint_();
  // The last ready task's posts (a send answering a read) leave at once; a long run of tasks
  // wakes their receiver (the IO thread) every kTasksPerWakeUpFlush tasks, so it starts early.
  if (tasks_.empty() || ++tasks_since_flush_ == kTasksPerWakeUpFlush) {
    tasks_since_flush_ = 0;
    CrossThreadQueue::FlushWakeUps();
  }
}

void EventLoop::PollWithoutWaiting() {
  incoming_->SetKeepsLoopAlive(true);
  uv_run(&loop_, UV_RUN_NOWAIT);
  incoming_->SetKeepsLoopAlive(pending_activity_ > 0);
}

void EventLoop::RunUntilNoReadyTasks() {
  assert(IsMainThread());
  CrossThreadQueue::WakeUpBatch batch;  // ends before the caller waits
  PollWithoutWaiting();
  DrainIncoming();
  while (!tasks_.empty() && !stop_requested_) {
    RunOneTask();
    PollWithoutWaiting();
  }
  // What Run() does before it waits (V8's foreground tasks), since the caller waits next.
  if (before_wait_) before_wait_();
  // A Stop() ends this pass, not the next ones.
  stop_requested_ = false;
}

std::optional<std::uint64_t> EventLoop::TimeoutForExternalWait() {
  assert(IsMainThread());
  // Reads the eventfd (so that a wake-up already taken leaves the descriptor quiet), hands
  // new and restarted watchers to epoll, and queues the tasks of due timers and ready
  // descriptors.
  PollWithoutWaiting();
  DrainIncoming();
  if (!tasks_.empty()) return 0;
  // uv_backend_timeout says 0 ("do not block") for a loop with no referenced handle: with the
  // wake-up referenced it gives the next timer (referenced or not), or -1 for none.
  uv_update_time(&loop_);
  incoming_->SetKeepsLoopAlive(true);
  const int timeout = uv_backend_timeout(&loop_);
  incoming_->SetKeepsLoopAlive(pending_activity_ > 0);
  if (timeout < 0) return std::nullopt;
  return static_cast<std::uint64_t>(timeout);
}

bool EventLoop::HasPendingWork() {
  assert(IsMainThread());
  DrainIncoming();
  return !tasks_.empty() || uv_loop_alive(&loop_);
}

EventLoop::RunResult EventLoop::Run() {
  assert(IsMainThread());
  CrossThreadQueue::WakeUpBatch batch;  // flushed below before every wait, and when Run returns
  while (true) {
    if (stop_requested_) {
      stop_requested_ = false;
      return RunResult::kStopped;
    }
    if (!tasks_.empty()) {
      RunOneTask();
      // Poll I/O between tasks so that a busy task queue cannot starve timers and sockets.
      uv_run(&loop_, UV_RUN_NOWAIT);
      continue;
    }
    DrainIncoming();
    if (!tasks_.empty()) continue;
    if (before_wait_) before_wait_();
    if (!tasks_.empty()) continue;
    if (!uv_loop_alive(&loop_)) return RunResult::kIdle;
    CrossThreadQueue::FlushWakeUps();
    tasks_since_flush_ = 0;
    if (SpinForIncoming()) continue;
    const auto sleep_start = std::chrono::steady_clock::now();
    uv_run(&loop_, UV_RUN_ONCE);
    // Adapt the spin to how long the loop slept: work that came back soon after would have been
    // caught by a spin (grow it), a long sleep means spinning would only have burnt a core.
    const auto slept = std::chrono::steady_clock::now() - sleep_start;
    if (pending_activity_ > 0 && slept < kMaxSpin) {
      spin_budget_ = std::min(kMaxSpin, std::max(spin_budget_ * 2, kMaxSpin / 8));
    } else {
      spin_budget_ /= 2;
    }
  }
}

// While connections are open, work from the IO thread (a frame for script, say) often comes
// back within tens of microseconds of the task that asked for it: waiting for it in a short
// poll of the queue, rather than asleep in the kernel, saves a thread wake-up per exchange
// (bench/README.md, ping-pong). The budget adapts: it grows while work keeps arriving soon
// after the loop runs out of tasks, and shrinks to nothing when it does not. Timers and
// sockets of this loop wait at most one budget (kMaxSpin) longer.
bool EventLoop::SpinForIncoming() {
  if (pending_activity_ == 0 || spin_budget_.count() == 0) return false;
  const auto deadline = std::chrono::steady_clock::now() + spin_budget_;
  incoming_->SetReceiverSpinning(true);  // posts skip the eventfd write meanwhile
  bool found = false;
  do {
    for (int i = 0; i < 16 && !found; ++i) {
      found = incoming_->HasTasks();
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();  // let the core's other hardware thread run
#endif
    }
    // Give the core to a thread that is ready to run here (the IO thread, a local server):
    // the spin is for latency, not at their expense.
    if (!found) sched_yield();
  } while (!found && std::chrono::steady_clock::now() < deadline);
  incoming_->SetReceiverSpinning(false);
  // A post that saw us spinning wrote no wake-up: look once more before sleeping.
  found = found || incoming_->HasTasks();
  if (found) {
    DrainIncoming();
  } else {
    spin_budget_ /= 2;
  }
  return found;
}

void EventLoop::Stop() {
  assert(IsMainThread());
  stop_requested_ = true;
}

}  // namespace switchboard
