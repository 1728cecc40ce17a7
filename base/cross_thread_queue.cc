#include "base/cross_thread_queue.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cassert>
#include <cstdint>
#include <vector>

namespace switchboard {

namespace {

// The calling thread's open WakeUpBatch: its depth and the queues it owes a wake-up.
struct ThreadBatch {
  int depth = 0;
  std::vector<CrossThreadQueue*> owed;
};
thread_local ThreadBatch t_batch;

}  // namespace

CrossThreadQueue::CrossThreadQueue(uv_loop_t* loop, BatchHandler on_batch)
    : on_batch_(std::move(on_batch)) {
  wake_up_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  assert(wake_up_fd_ >= 0);
  int status = uv_poll_init(loop, &wake_up_, wake_up_fd_);
  assert(status == 0);
  wake_up_.data = this;
  status = uv_poll_start(&wake_up_, UV_READABLE, &CrossThreadQueue::OnWakeUp);
  assert(status == 0);
  (void)status;
}

CrossThreadQueue::~CrossThreadQueue() {
  assert(closed_ && "Close() the queue before destroying it");
  std::erase(t_batch.owed, this);
}

CrossThreadQueue::WakeUpBatch::WakeUpBatch() { ++t_batch.depth; }

CrossThreadQueue::WakeUpBatch::~WakeUpBatch() {
  if (--t_batch.depth == 0) FlushWakeUps();
}

bool CrossThreadQueue::FlushWakeUps() {
  if (t_batch.owed.empty()) return false;
  // A wake-up written here may run tasks that post again on this thread: take the list first.
  std::vector<CrossThreadQueue*> owed;
  owed.swap(t_batch.owed);
  for (CrossThreadQueue* queue : owed) {
    if (queue->wake_up_owed_.exchange(false)) queue->WakeReceiver();
  }
  owed.clear();
  if (t_batch.owed.empty()) t_batch.owed.swap(owed);  // keep the capacity
  return true;
}

void CrossThreadQueue::Post(Task task, WakeUp wake_up) {
  bool was_empty;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    was_empty = incoming_.empty();
    incoming_.push_back(std::move(task));
    has_tasks_.store(true);  // seq_cst, paired with SetReceiverSpinning(false)
  }
  if (wake_up == WakeUp::kEndOfBatch && t_batch.depth > 0) {
    if (was_empty && !wake_up_owed_.exchange(true)) t_batch.owed.push_back(this);
    return;
  }
  // A post behind other tasks relies on the post that queued the first of them for the
  // wake-up, unless that one left it to its batch: then this one writes it now.
  if (!was_empty && !wake_up_owed_.exchange(false)) return;
  WakeReceiver();
}

void CrossThreadQueue::WakeReceiver() {
  // A receiver polling HasTasks() needs no wake-up: it clears receiver_spinning_ before it
  // checks HasTasks() a last time, so it either sees this task or this post sees it awake.
  if (receiver_spinning_.load()) return;
  // Written after mutex_ is released, or the receiver would wake only to block on it. Every
  // empty → non-empty change writes after it (or its batch does), so no wake-up is lost (at
  // worst one is spare). wake_up_mutex_ keeps the eventfd open for the write: Close() takes it.
  std::lock_guard lock(wake_up_mutex_);
  if (wake_up_fd_ < 0) return;
  std::uint64_t one = 1;
  ssize_t written = write(wake_up_fd_, &one, sizeof one);
  (void)written;  // EAGAIN only when the counter is full: the receiver is awake anyway
}

void CrossThreadQueue::TakeAll(std::vector<Task>& batch) {
  std::vector<Task> taken;
  {
    std::lock_guard lock(mutex_);
    taken.swap(incoming_);
    has_tasks_.store(false, std::memory_order_relaxed);
  }
  for (Task& task : taken) batch.push_back(std::move(task));
}

void CrossThreadQueue::Close() {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    closed_ = true;
    incoming_.clear();
    has_tasks_.store(false, std::memory_order_relaxed);
  }
  // uv_close stops watching the fd at once, so it can be closed right after.
  uv_close(reinterpret_cast<uv_handle_t*>(&wake_up_), nullptr);
  std::lock_guard lock(wake_up_mutex_);
  close(wake_up_fd_);
  wake_up_fd_ = -1;
}

void CrossThreadQueue::SetKeepsLoopAlive(bool keeps_alive) {
  auto* handle = reinterpret_cast<uv_handle_t*>(&wake_up_);
  if (keeps_alive) {
    uv_ref(handle);
  } else {
    uv_unref(handle);
  }
}

void CrossThreadQueue::OnWakeUp(uv_poll_t* handle, int, int) {
  auto* self = static_cast<CrossThreadQueue*>(handle->data);
  // Reset the eventfd before taking the tasks: a post after the reset writes again, so no
  // wake-up is lost.
  std::uint64_t count = 0;
  ssize_t got = read(self->wake_up_fd_, &count, sizeof count);
  (void)got;  // EAGAIN (nothing to reset) is harmless
  // Swapped with the incoming vector, so neither side allocates once both have grown.
  {
    std::lock_guard lock(self->mutex_);
    self->draining_.swap(self->incoming_);
    self->has_tasks_.store(false, std::memory_order_relaxed);
  }
  if (!self->draining_.empty()) self->on_batch_(self->draining_);
  self->draining_.clear();
}

}  // namespace switchboard
