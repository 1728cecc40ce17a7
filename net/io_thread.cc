#include "net/io_thread.h"

#include <pthread.h>
#include <signal.h>

#include <cassert>
#include <future>

namespace switchboard {

IoThread::IoThread(const char* name) {
  int status = uv_loop_init(&loop_);
  assert(status == 0);
  (void)status;
  tasks_ = std::make_unique<CrossThreadQueue>(&loop_, [](std::vector<Task>& batch) {
    for (Task& task : batch) task();
  });
  uv_prepare_init(&loop_, &flush_wake_ups_);
  uv_prepare_start(&flush_wake_ups_, [](uv_prepare_t*) { CrossThreadQueue::FlushWakeUps(); });
  uv_unref(reinterpret_cast<uv_handle_t*>(&flush_wake_ups_));
  thread_ = std::thread([this] { Main(); });
  pthread_setname_np(thread_.native_handle(), name);
}

IoThread::~IoThread() {
  assert(!IsCurrent());
  PostTask([this] {
    stopping_ = true;
    std::vector<Task> hooks = std::move(shutdown_hooks_);
    for (Task& hook : hooks) hook();
    uv_close(reinterpret_cast<uv_handle_t*>(&flush_wake_ups_), nullptr);
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
  // flush_wake_ups_ is the loop's own machinery, like the task queue: not counted.
  if (!uv_is_closing(reinterpret_cast<uv_handle_t*>(&flush_wake_ups_))) --count;
  return count;
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
  // The whole thread is one batch of wake-ups, flushed before every poll (flush_wake_ups_)
  // and at the end: a turn that reads a thousand sockets wakes the page once.
  CrossThreadQueue::WakeUpBatch batch;
  // The task queue's handle keeps the loop running until shutdown closes it; then the loop
  // runs until every other handle has been closed.
  uv_run(&loop_, UV_RUN_DEFAULT);
}

}  // namespace switchboard
