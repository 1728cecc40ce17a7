#include "net/io_thread.h"

#include <pthread.h>
#include <sched.h>
#include <signal.h>

#include <algorithm>
#include <cassert>
#include <future>

namespace switchboard {

IoThread::IoThread(const char* name) {
  int status = uv_loop_init(&loop_);
  assert(status == 0);
  (void)status;
  tasks_ = std::make_unique<CrossThreadQueue>(&loop_, [this](std::vector<Task>& batch) {
    // An answer that came soon after a hand-over the IO thread slept through: a spin would
    // have caught it, so start spinning again (BeforePoll).
    if (handed_over_at_ != std::chrono::steady_clock::time_point{}) {
      if (std::chrono::steady_clock::now() - handed_over_at_ < kMaxSpin) {
        spin_budget_ = kMaxSpin / 8;
      }
      handed_over_at_ = {};
    }
    for (Task& task : batch) task();
  });
  uv_prepare_init(&loop_, &before_poll_);
  before_poll_.data = this;
  uv_prepare_start(&before_poll_, &IoThread::OnBeforePoll);
  uv_unref(reinterpret_cast<uv_handle_t*>(&before_poll_));
  thread_ = std::thread([this] { Main(); });
  pthread_setname_np(thread_.native_handle(), name);
}

IoThread::~IoThread() {
  assert(!IsCurrent());
  PostTask([this] {
    stopping_ = true;
    std::vector<Task> hooks = std::move(shutdown_hooks_);
    for (Task& hook : hooks) hook();
    uv_close(reinterpret_cast<uv_handle_t*>(&before_poll_), nullptr);
    tasks_->Close();
  });
  thread_.join();
  int status = uv_loop_close(&loop_);
  assert(status == 0 && "a handle outlived the IO thread");
  (void)status;
}

void IoThread::PostTask(Task task, CrossThreadQueue::WakeUp wake_up) {
  tasks_->Post(std::move(task), wake_up);
}

void IoThread::AddShutdownHook(Task hook) {
  assert(IsCurrent());
  shutdown_hooks_.push_back(std::move(hook));
}

int IoThread::CountOpenHandles() {
  int count = 0;
  uv_walk(
      &loop_,
      [](uv_handle_t* handle, void* counter) {
        if (!uv_is_closing(handle)) ++*static_cast<int*>(counter);
      },
      &count);
  // before_poll_ is the loop's own machinery, like the task queue: not counted.
  if (!uv_is_closing(reinterpret_cast<uv_handle_t*>(&before_poll_))) --count;
  return count;
}

void IoThread::OnBeforePoll(uv_prepare_t* handle) {
  static_cast<IoThread*>(handle->data)->BeforePoll();
}

// What this turn posted wakes its receivers now, before the loop can sleep. When that handed a
// page something (a frame for script, usually), the page often answers within microseconds (a
// send): polling the queue for that answer a short while, rather than asleep in epoll_wait,
// saves a thread wake-up per exchange (bench/README.md, ping-pong). The budget adapts as the
// page loop's does (EventLoop::SpinForIncoming); sockets wait at most kMaxSpin longer.
void IoThread::BeforePoll() {
  if (!CrossThreadQueue::FlushWakeUps() || stopping_) return;
  if (spin_budget_.count() == 0) {
    handed_over_at_ = std::chrono::steady_clock::now();
    return;
  }
  if (!SpinForTasks()) return;
  tasks_->Drain();
  CrossThreadQueue::FlushWakeUps();  // what those tasks posted (a send's kWritten)
}

bool IoThread::SpinForTasks() {
  const auto deadline = std::chrono::steady_clock::now() + spin_budget_;
  tasks_->SetReceiverSpinning(true);  // posts skip the eventfd write meanwhile
  bool found = false;
  do {
    for (int i = 0; i < 16 && !found; ++i) {
      found = tasks_->HasTasks();
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#endif
    }
    if (!found) sched_yield();  // the page's thread or a local server may want this core
  } while (!found && std::chrono::steady_clock::now() < deadline);
  tasks_->SetReceiverSpinning(false);
  // A post that saw us spinning wrote no wake-up: look once more before sleeping.
  found = found || tasks_->HasTasks();
  spin_budget_ = found ? std::min(kMaxSpin, spin_budget_ * 2) : spin_budget_ / 2;
  return found;
}

void IoThread::Main() {
  // Spec §7: nothing a peer does may terminate the process. Writing to a socket the peer has
  // reset raises SIGPIPE in the writing thread, and libuv writes with write(), not
  // send(MSG_NOSIGNAL). Blocked in this thread's own mask, the signal stays pending here and
  // the write fails with EPIPE; the process's signal dispositions are left to the embedder.
  sigset_t pipe_signal;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);
  // The whole thread is one batch of wake-ups, flushed before every poll (before_poll_)
  // and at the end: a turn that reads a thousand sockets wakes the page once.
  CrossThreadQueue::WakeUpBatch batch;
  // The task queue's handle keeps the loop running until shutdown closes it; then the loop
  // runs until every other handle has been closed.
  uv_run(&loop_, UV_RUN_DEFAULT);
}

}  // namespace switchboard
