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
  thread_ = std::thread([this] { Main(); });
  pthread_setname_np(thread_.native_handle(), name);
}

IoThread::~IoThread() {
  assert(!IsCurrent());
  PostTask([this] {
    stopping_ = true;
    std::vector<Task> hooks = std::move(shutdown_hooks_);
    for (Task& hook : hooks) hook();
    tasks_->Close();
  });
  thread_.join();
  int status = uv_loop_close(&loop_);
  assert(status == 0 && "a handle outlived the IO thread");
  (void)status;
}

void IoThread::PostTask(Task task) { tasks_->Post(std::move(task)); }

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
  // The task queue's handle keeps the loop running until shutdown closes it; then the loop
  // runs until every other handle has been closed.
  uv_run(&loop_, UV_RUN_DEFAULT);
}

}  // namespace switchboard
