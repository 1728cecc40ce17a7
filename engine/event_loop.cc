#include "engine/event_loop.h"

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

void EventLoop::PostTaskFromAnyThread(Task task) { incoming_->Post(std::move(task)); }

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
}

void EventLoop::RunUntilNoReadyTasks() {
  assert(IsMainThread());
  uv_run(&loop_, UV_RUN_NOWAIT);
  DrainIncoming();
  while (!tasks_.empty() && !stop_requested_) {
    RunOneTask();
    uv_run(&loop_, UV_RUN_NOWAIT);
  }
}

bool EventLoop::HasPendingWork() {
  assert(IsMainThread());
  DrainIncoming();
  return !tasks_.empty() || uv_loop_alive(&loop_);
}

EventLoop::RunResult EventLoop::Run() {
  assert(IsMainThread());
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
    uv_run(&loop_, UV_RUN_ONCE);
  }
}

void EventLoop::Stop() {
  assert(IsMainThread());
  stop_requested_ = true;
}

}  // namespace switchboard
