// CrossThreadQueue: the one way work crosses threads (architecture.md "Threads"): a locked
// vector of tasks and one wake-up on the receiving loop, an eventfd watched by a uv_poll_t.
// Posting from any thread wakes the receiver once per batch; the receiver gets the whole
// batch, in posting order. A thread that posts many tasks in one turn of its own loop (the IO
// thread, one event per socket it read; the page, one send per task) can defer the wake-ups
// to the end of that turn (WakeUpBatch): the receiver then wakes once for all of them. (Not
// uv_async_t: libuv 1.44's receiver busy-waits, then sched_yield()s, while a sender is inside
// uv_async_send; on a loaded machine that spin cost more than half of a ping-pong round trip, see
// bench/README.md.)
//
// Thread: constructed, drained and closed on the loop's thread; Post from any thread (posts
// after Close() are dropped).
// Ownership: owns its eventfd and uv_poll_t; a thread's WakeUpBatch holds pointers to the
// queues it owes a wake-up until it ends (the destructor removes the queue from the
// destroying thread's batch; other threads' batches must have ended by then); Close() must run
// before the loop is closed, and the object must outlive the loop's next iteration (the close
// callback). Post writes the wake-up after it has released the queue's lock, so a Post that began
// before Close() can still be finishing after Close() returns: destroy the queue only once no
// thread can be inside Post (the owners here join the posting thread, or outlive it, first).
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <vector>

#include <uv.h>

namespace switchboard {

class CrossThreadQueue {
 public:
  using Task = std::function<void()>;
  using BatchHandler = std::function<void(std::vector<Task>& batch)>;

  CrossThreadQueue(uv_loop_t* loop, BatchHandler on_batch);
  ~CrossThreadQueue();
  CrossThreadQueue(const CrossThreadQueue&) = delete;
  CrossThreadQueue& operator=(const CrossThreadQueue&) = delete;

  // When a post wakes the receiver. kNow: at once (unless it is awake anyway). kEndOfBatch:
  // when the posting thread's WakeUpBatch ends or flushes (at once if it has none open).
  enum class WakeUp { kNow, kEndOfBatch };
  void Post(Task task, WakeUp wake_up = WakeUp::kNow);

  // On the posting thread, for the duration of one turn of its loop: kEndOfBatch posts made
  // meanwhile write their wake-ups when the outermost batch ends, each queue's once. A kNow
  // post to a queue that owes a wake-up writes it at once (so a thread that posts and then
  // blocks on the answer never waits for its own batch). Batches nest.
  class WakeUpBatch {
   public:
    WakeUpBatch();
    ~WakeUpBatch();
    WakeUpBatch(const WakeUpBatch&) = delete;
    WakeUpBatch& operator=(const WakeUpBatch&) = delete;
  };
  // Writes the wake-ups this thread's batch owes so far and keeps the batch open: before the
  // thread waits for anything, or to let a receiver start on a long batch early. Returns
  // whether this thread handed work over (a kEndOfBatch post to an idle queue) since the last
  // flush, whether or not a later kNow post already wrote the wake-up.
  static bool FlushWakeUps();
  // Moves the tasks posted so far into `batch` (receiving thread).
  void TakeAll(std::vector<Task>& batch);
  // Whether a task has been posted and not yet taken, without taking the lock: what a
  // receiver spinning before it sleeps polls (receiving thread).
  bool HasTasks() const { return has_tasks_.load(); }
  // While the receiver polls HasTasks(), posting skips the wake-up. After setting it false the
  // receiver must check HasTasks() once more before it sleeps (receiving thread).
  void SetReceiverSpinning(bool spinning) { receiver_spinning_.store(spinning); }
  void Close();

  // Whether the wake-up handle keeps the loop alive.
  void SetKeepsLoopAlive(bool keeps_alive);

 private:
  static void OnWakeUp(uv_poll_t* handle, int status, int events);
  // Writes the eventfd unless the receiver is polling HasTasks().
  void WakeReceiver();

  std::mutex wake_up_mutex_;
  int wake_up_fd_ = -1;  // guarded by wake_up_mutex_; written when a task lands in an empty queue
  uv_poll_t wake_up_;
  BatchHandler on_batch_;
  std::mutex mutex_;
  std::vector<Task> incoming_;           // guarded by mutex_
  std::vector<Task> draining_;           // receiving thread: the batch being run (kept capacity)
  std::atomic<bool> has_tasks_ = false;  // written under mutex_: !incoming_.empty()
  std::atomic<bool> receiver_spinning_ = false;
  // A kEndOfBatch post found the queue empty and left the wake-up to its thread's batch.
  std::atomic<bool> wake_up_owed_ = false;
  bool closed_ = false;  // guarded by mutex_
};

}  // namespace switchboard
