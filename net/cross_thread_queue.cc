#include "net/cross_thread_queue.h"

#include <cassert>

namespace switchboard {

CrossThreadQueue::CrossThreadQueue(uv_loop_t* loop, BatchHandler on_batch)
    : on_batch_(std::move(on_batch)) {
  int status = uv_async_init(loop, &wake_up_, &CrossThreadQueue::OnWakeUp);
  assert(status == 0);
  (void)status;
  wake_up_.data = this;
}

CrossThreadQueue::~CrossThreadQueue() {
  assert(closed_ && "Close() the queue before destroying it");
}

void CrossThreadQueue::Post(Task task) {
  bool was_empty;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    was_empty = incoming_.empty();
    incoming_.push_back(std::move(task));
    // Sending under the lock keeps the handle alive for the send: Close() takes the lock.
    if (was_empty) uv_async_send(&wake_up_);
  }
}

void CrossThreadQueue::TakeAll(std::vector<Task>& batch) {
  std::vector<Task> taken;
  {
    std::lock_guard lock(mutex_);
    taken.swap(incoming_);
  }
  for (Task& task : taken) batch.push_back(std::move(task));
}

void CrossThreadQueue::Close() {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    closed_ = true;
    incoming_.clear();
  }
  uv_close(reinterpret_cast<uv_handle_t*>(&wake_up_), nullptr);
}

void CrossThreadQueue::SetKeepsLoopAlive(bool keeps_alive) {
  auto* handle = reinterpret_cast<uv_handle_t*>(&wake_up_);
  if (keeps_alive) {
    uv_ref(handle);
  } else {
    uv_unref(handle);
  }
}

void CrossThreadQueue::OnWakeUp(uv_async_t* handle) {
  auto* self = static_cast<CrossThreadQueue*>(handle->data);
  std::vector<Task> batch;
  self->TakeAll(batch);
  if (!batch.empty()) self->on_batch_(batch);
}

}  // namespace switchboard
