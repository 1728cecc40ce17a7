// CrossThreadQueue's wake-up rules (cross_thread_queue.h): a post wakes the receiver at once
// unless it is kEndOfBatch inside the posting thread's WakeUpBatch, which wakes it once when the
// batch ends or flushes. "Woken" is read off the receiving loop's epoll descriptor without
// running the loop, so the checks wait for nothing.
#include "base/cross_thread_queue.h"

#include <poll.h>

#include <memory>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace switchboard {
namespace {

class CrossThreadQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(uv_loop_init(&loop_), 0);
    queue_ = std::make_unique<CrossThreadQueue>(&loop_,
                                                [this](std::vector<CrossThreadQueue::Task>& batch) {
                                                  ++batches_;
                                                  for (auto& task : batch) task();
                                                });
    // libuv hands the eventfd's watcher to epoll on its first poll.
    uv_run(&loop_, UV_RUN_NOWAIT);
    ASSERT_FALSE(Woken());
  }
  void TearDown() override {
    if (queue_) Close();
    uv_run(&loop_, UV_RUN_DEFAULT);
    EXPECT_EQ(uv_loop_close(&loop_), 0);
  }
  void Close() {
    queue_->Close();
    queue_.reset();
  }

  // Whether the loop would wake now: its epoll descriptor is readable.
  bool Woken() {
    pollfd descriptor{uv_backend_fd(&loop_), POLLIN, 0};
    return poll(&descriptor, 1, 0) == 1;
  }
  void RunLoopOnce() { uv_run(&loop_, UV_RUN_NOWAIT); }

  uv_loop_t loop_;
  std::unique_ptr<CrossThreadQueue> queue_;
  int batches_ = 0;
  int ran_ = 0;
};

TEST_F(CrossThreadQueueTest, APostWakesTheReceiverAtOnceAndLaterPostsJoinItsBatch) {
  queue_->Post([this] { ++ran_; });
  EXPECT_TRUE(Woken());
  queue_->Post([this] { ++ran_; });
  RunLoopOnce();
  EXPECT_EQ(ran_, 2);
  EXPECT_EQ(batches_, 1);
  EXPECT_FALSE(Woken());
}

TEST_F(CrossThreadQueueTest, EndOfBatchPostsWakeTheReceiverOnceWhenTheBatchEnds) {
  {
    CrossThreadQueue::WakeUpBatch batch;
    for (int i = 0; i < 3; ++i)
      queue_->Post([this] { ++ran_; }, CrossThreadQueue::WakeUp::kEndOfBatch);
    EXPECT_FALSE(Woken());
    {
      CrossThreadQueue::WakeUpBatch nested;  // only the outermost batch's end wakes
    }
    EXPECT_FALSE(Woken());
    EXPECT_TRUE(queue_->HasTasks());
  }
  EXPECT_TRUE(Woken());
  RunLoopOnce();
  EXPECT_EQ(ran_, 3);
  EXPECT_EQ(batches_, 1);
}

TEST_F(CrossThreadQueueTest, FlushWakesNowAndKeepsTheBatchOpen) {
  CrossThreadQueue::WakeUpBatch batch;
  EXPECT_FALSE(CrossThreadQueue::FlushWakeUps());  // nothing owed
  queue_->Post([this] { ++ran_; }, CrossThreadQueue::WakeUp::kEndOfBatch);
  EXPECT_FALSE(Woken());
  EXPECT_TRUE(CrossThreadQueue::FlushWakeUps());
  EXPECT_TRUE(Woken());
  RunLoopOnce();
  EXPECT_EQ(ran_, 1);
  queue_->Post([this] { ++ran_; }, CrossThreadQueue::WakeUp::kEndOfBatch);
  EXPECT_FALSE(Woken());  // still deferred: the batch is open
  EXPECT_TRUE(CrossThreadQueue::FlushWakeUps());
  EXPECT_TRUE(Woken());
}

// A thread that defers a send and then posts something it blocks on must not wait for its own
// batch: the kNow post writes the wake-up the queue owes.
TEST_F(CrossThreadQueueTest, ANowPostBehindADeferredOneWakesAtOnce) {
  CrossThreadQueue::WakeUpBatch batch;
  queue_->Post([this] { ++ran_; }, CrossThreadQueue::WakeUp::kEndOfBatch);
  EXPECT_FALSE(Woken());
  queue_->Post([this] { ++ran_; });
  EXPECT_TRUE(Woken());
  RunLoopOnce();
  EXPECT_EQ(ran_, 2);
  CrossThreadQueue::FlushWakeUps();
  EXPECT_FALSE(Woken());  // the debt was paid: no second wake-up
}

TEST_F(CrossThreadQueueTest, EndOfBatchOutsideABatchWakesAtOnce) {
  queue_->Post([this] { ++ran_; }, CrossThreadQueue::WakeUp::kEndOfBatch);
  EXPECT_TRUE(Woken());
}

TEST_F(CrossThreadQueueTest, ASpinningReceiverIsNotWokenAndTakesTheTasksItself) {
  queue_->SetReceiverSpinning(true);
  queue_->Post([this] { ++ran_; }, CrossThreadQueue::WakeUp::kNow);
  {
    CrossThreadQueue::WakeUpBatch batch;
    queue_->Post([this] { ++ran_; }, CrossThreadQueue::WakeUp::kEndOfBatch);
  }
  EXPECT_FALSE(Woken());
  EXPECT_TRUE(queue_->HasTasks());
  queue_->SetReceiverSpinning(false);
  std::vector<CrossThreadQueue::Task> taken;
  queue_->TakeAll(taken);
  for (auto& task : taken) task();
  EXPECT_EQ(ran_, 2);
  EXPECT_FALSE(queue_->HasTasks());
}

// A queue destroyed while the destroying thread's batch owes it a wake-up leaves the batch
// (ASan would report the batch's end touching it).
TEST_F(CrossThreadQueueTest, AQueueDestroyedWhileOwedAWakeUpLeavesTheBatch) {
  CrossThreadQueue::WakeUpBatch batch;
  queue_->Post([] {}, CrossThreadQueue::WakeUp::kEndOfBatch);
  Close();
  EXPECT_FALSE(CrossThreadQueue::FlushWakeUps());
}

// Posts from other threads in their own batches: every task runs, in each thread's order.
TEST_F(CrossThreadQueueTest, BatchesOnSeveralThreadsLoseNoTaskAndKeepEachThreadsOrder) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 5000;
  std::vector<std::vector<int>> seen(kThreads);
  std::vector<std::thread> posters;
  for (int t = 0; t < kThreads; ++t) {
    posters.emplace_back([this, t, &seen] {
      for (int i = 0; i < kPerThread;) {
        CrossThreadQueue::WakeUpBatch batch;
        for (int j = 0; j < 7 && i < kPerThread; ++j, ++i) {
          queue_->Post(
              [t, i, &seen] { seen[t].push_back(i); },
              t % 2 ? CrossThreadQueue::WakeUp::kEndOfBatch : CrossThreadQueue::WakeUp::kNow);
        }
      }
    });
  }
  std::size_t total = 0;
  while (total < kThreads * kPerThread) {
    uv_run(&loop_, UV_RUN_ONCE);  // sleeps until a wake-up: a lost one would hang here
    total = 0;
    for (const auto& one : seen) total += one.size();
  }
  for (auto& poster : posters) poster.join();
  for (const auto& one : seen) {
    ASSERT_EQ(one.size(), static_cast<std::size_t>(kPerThread));
    for (int i = 0; i < kPerThread; ++i) ASSERT_EQ(one[i], i);
  }
}

}  // namespace
}  // namespace switchboard
