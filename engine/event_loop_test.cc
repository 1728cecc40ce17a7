#include "engine/event_loop.h"

#include <atomic>
#include <chrono>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace switchboard {
namespace {

TEST(EventLoopTest, RunsTasksInOrderAndReturnsWhenIdle) {
  EventLoop loop;
  std::vector<int> order;
  loop.PostTask([&] { order.push_back(1); });
  loop.PostTask([&] {
    order.push_back(2);
    loop.PostTask([&] { order.push_back(4); });
  });
  loop.PostTask([&] { order.push_back(3); });
  EXPECT_EQ(loop.Run(), EventLoop::RunResult::kIdle);
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3, 4}));
}

TEST(EventLoopTest, NothingRunsSynchronouslyFromPost) {
  EventLoop loop;
  bool ran = false;
  loop.PostTask([&] { ran = true; });
  loop.StartTimer(0, EventLoop::Repeat::kOnce, [&] { ran = true; });
  EXPECT_FALSE(ran);
  loop.Run();
  EXPECT_TRUE(ran);
}

TEST(EventLoopTest, MicrotaskCheckpointAfterEveryTask) {
  EventLoop loop;
  std::string trace;
  loop.SetMicrotaskCheckpoint([&] { trace += "m"; });
  loop.PostTask([&] { trace += "a"; });
  loop.PostTask([&] { trace += "b"; });
  loop.StartTimer(0, EventLoop::Repeat::kOnce, [&] { trace += "t"; });
  loop.Run();
  EXPECT_EQ(trace, "ambmtm");
}

TEST(EventLoopTest, TimersWithEqualDelaysRunInStartOrderAndNestedTimersAfter) {
  EventLoop loop;
  std::vector<std::string> order;
  // "late" is due 5 ms after "a" ran, "a-nested" when "a" ran: their order does not depend on
  // how long the machine takes to get from here to "a" (issue 13 item 7). "long" is due 60 s
  // after it started, between "b" and "c": a longer timer does not hold up "c"; "c" cancels it.
  EventLoop::TimerId long_timer = 0;
  loop.StartTimer(0, EventLoop::Repeat::kOnce, [&] {
    order.push_back("a");
    loop.StartTimer(0, EventLoop::Repeat::kOnce, [&] { order.push_back("a-nested"); });
    loop.StartTimer(5, EventLoop::Repeat::kOnce, [&] { order.push_back("late"); });
  });
  loop.StartTimer(0, EventLoop::Repeat::kOnce, [&] { order.push_back("b"); });
  long_timer = loop.StartTimer(60'000, EventLoop::Repeat::kOnce, [&] { order.push_back("long"); });
  loop.StartTimer(0, EventLoop::Repeat::kOnce, [&] {
    order.push_back("c");
    loop.CancelTimer(long_timer);
  });
  loop.Run();
  EXPECT_EQ(order, (std::vector<std::string>{"a", "b", "c", "a-nested", "late"}));
}

TEST(EventLoopTest, CancelledTimerNeverRunsEvenWhenAlreadyDue) {
  EventLoop loop;
  int runs = 0;
  EventLoop::TimerId second = 0;
  // Both are due in the same loop iteration; the first cancels the second, whose task is
  // already queued.
  loop.StartTimer(0, EventLoop::Repeat::kOnce, [&] { loop.CancelTimer(second); });
  second = loop.StartTimer(0, EventLoop::Repeat::kOnce, [&] { ++runs; });
  EventLoop::TimerId never = loop.StartTimer(1000, EventLoop::Repeat::kOnce, [&] { ++runs; });
  loop.CancelTimer(never);
  loop.CancelTimer(12345);  // unknown ids are ignored
  EXPECT_EQ(loop.Run(), EventLoop::RunResult::kIdle);
  EXPECT_EQ(runs, 0);
}

TEST(EventLoopTest, RepeatingTimerRunsUntilItCancelsItself) {
  EventLoop loop;
  int runs = 0;
  EventLoop::TimerId id = 0;
  id = loop.StartTimer(1, EventLoop::Repeat::kRepeating, [&] {
    if (++runs == 3) loop.CancelTimer(id);
  });
  loop.Run();
  EXPECT_EQ(runs, 3);
  EXPECT_FALSE(loop.HasTimer(id));
}

TEST(EventLoopTest, TimerThatDoesNotKeepTheLoopAliveRunsOnlyWhileOtherWorkDoes) {
  EventLoop loop;
  std::vector<std::string> order;
  // Alone, an unreferenced timer lets Run() return at once, and never runs.
  EventLoop::TimerId lonely =
      loop.StartTimer(0, EventLoop::Repeat::kOnce, [&] { order.push_back("lonely"); });
  loop.SetTimerKeepsLoopAlive(lonely, EventLoop::KeepsLoopAlive::kNo);
  EXPECT_FALSE(loop.HasPendingWork());
  EXPECT_EQ(loop.Run(), EventLoop::RunResult::kIdle);
  EXPECT_TRUE(order.empty());
  loop.CancelTimer(lonely);
  // While a referenced timer keeps the loop running, the unreferenced one still fires.
  EventLoop::TimerId early =
      loop.StartTimer(1, EventLoop::Repeat::kOnce, [&] { order.push_back("unreferenced"); });
  loop.SetTimerKeepsLoopAlive(early, EventLoop::KeepsLoopAlive::kNo);
  loop.StartTimer(30, EventLoop::Repeat::kOnce, [&] { order.push_back("referenced"); });
  // And one made to keep the loop alive again does.
  EventLoop::TimerId late =
      loop.StartTimer(40, EventLoop::Repeat::kOnce, [&] { order.push_back("referenced again"); });
  loop.SetTimerKeepsLoopAlive(late, EventLoop::KeepsLoopAlive::kNo);
  loop.SetTimerKeepsLoopAlive(late, EventLoop::KeepsLoopAlive::kYes);
  EXPECT_EQ(loop.Run(), EventLoop::RunResult::kIdle);
  EXPECT_EQ(order, (std::vector<std::string>{"unreferenced", "referenced", "referenced again"}));
}

TEST(EventLoopTest, PendingActivityKeepsTheLoopWaitingForOtherThreads) {
  EventLoop loop;
  loop.AddPendingActivity();
  bool replied = false;
  std::thread worker([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    loop.PostTaskFromAnyThread([&] {
      replied = true;
      loop.ReleasePendingActivity();
    });
  });
  EXPECT_EQ(loop.Run(), EventLoop::RunResult::kIdle);
  EXPECT_TRUE(replied);
  worker.join();
}

TEST(EventLoopTest, CrossThreadPostingUnderLoadKeepsEveryTaskAndPerThreadOrder) {
  EventLoop loop;
  constexpr int kThreads = 4;
  constexpr int kTasksPerThread = 20000;
  std::vector<int> last_seen(kThreads, -1);
  std::atomic<int> out_of_order = 0;
  int received = 0;
  loop.AddPendingActivity();
  std::vector<std::thread> threads;
  for (int thread = 0; thread < kThreads; ++thread) {
    threads.emplace_back([&, thread] {
      for (int i = 0; i < kTasksPerThread; ++i) {
        loop.PostTaskFromAnyThread([&, thread, i] {
          if (last_seen[thread] != i - 1) ++out_of_order;
          last_seen[thread] = i;
          if (++received == kThreads * kTasksPerThread) loop.ReleasePendingActivity();
        });
      }
    });
  }
  loop.Run();
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(received, kThreads * kTasksPerThread);
  EXPECT_EQ(out_of_order, 0);
}

// Ping-pong with another thread whose answers come back at once, after a few microseconds, or
// after longer than the loop ever spins: the loop catches some while polling the queue and
// sleeps for others (SpinForIncoming), and no answer may go without a wake-up (a lost one
// would hang the test).
TEST(EventLoopTest, AnswersFromAnotherThreadArriveWhetherTheLoopSpinsOrSleeps) {
  EventLoop loop;
  constexpr int kRounds = 3000;
  std::atomic<int> requested = 0;
  int answered = 0;
  loop.AddPendingActivity();
  std::thread peer([&] {
    for (int round = 0; round < kRounds; ++round) {
      while (requested.load() <= round) std::this_thread::yield();
      // Rotate through answer delays around the loop's spin budget (at most 100 µs).
      static constexpr int kDelaysMicroseconds[] = {0, 0, 5, 30, 90, 150, 400};
      const int delay = kDelaysMicroseconds[round % std::size(kDelaysMicroseconds)];
      if (delay > 0) std::this_thread::sleep_for(std::chrono::microseconds(delay));
      loop.PostTaskFromAnyThread([&] {
        if (++answered == kRounds) {
          loop.ReleasePendingActivity();
        } else {
          ++requested;
        }
      });
    }
  });
  ++requested;
  EXPECT_EQ(loop.Run(), EventLoop::RunResult::kIdle);
  peer.join();
  EXPECT_EQ(answered, kRounds);
}

TEST(EventLoopTest, StopEndsRunAfterTheCurrentTask) {
  EventLoop loop;
  bool second_ran = false;
  loop.PostTask([&] { loop.Stop(); });
  loop.PostTask([&] { second_ran = true; });
  EXPECT_EQ(loop.Run(), EventLoop::RunResult::kStopped);
  EXPECT_FALSE(second_ran);
  EXPECT_EQ(loop.Run(), EventLoop::RunResult::kIdle);
  EXPECT_TRUE(second_ran);
}

TEST(EventLoopTest, DestroyingWithLiveTimersAndTasksLeavesNoHandles) {
  // The destructor asserts uv_loop_close succeeded, i.e. no handle outlived the loop.
  auto loop = std::make_unique<EventLoop>();
  loop->StartTimer(100000, EventLoop::Repeat::kRepeating, [] {});
  loop->StartTimer(0, EventLoop::Repeat::kOnce, [] {});
  loop->PostTask([] {});
  loop->PostTaskFromAnyThread([] {});
  loop.reset();
  SUCCEED();
}

}  // namespace
}  // namespace switchboard
