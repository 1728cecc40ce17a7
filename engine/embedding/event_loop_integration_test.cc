// Issue 18: a page driven from the embedder's own poll() — Page::PollFd() and
// Page::PollTimeout() — and the debug builds' threading checks. Linked against
// libswitchboard.so only, like an embedder.
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "net/testing/test_servers.h"
#include "switchboard/switchboard.h"

namespace switchboard::embed {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// (The Engine is engine_environment_test.cc's, for the whole binary.)
// Generous: the deadlines only bound a broken run, they are never waited out by a good one.
constexpr milliseconds kDeadline{20'000};

bool Readable(int fd, int timeout_ms = 0) {
  pollfd entry{fd, POLLIN, 0};
  return poll(&entry, 1, timeout_ms) == 1 && (entry.revents & POLLIN) != 0;
}

// The embedder's loop of page.h: wait on PollFd() for at most PollTimeout(), then RunOnce,
// until `done`. Fails if only the test's deadline ended a wait: the page did not wake it.
// Returns how many times RunOnce ran.
int DriveUntil(Page& page, const std::function<bool()>& done) {
  const auto deadline = steady_clock::now() + kDeadline;
  int runs = 0;
  while (!done()) {
    std::optional<milliseconds> timeout = page.PollTimeout();
    auto left = std::chrono::duration_cast<milliseconds>(deadline - steady_clock::now());
    if (left <= milliseconds(0)) {
      ADD_FAILURE() << "not done after " << runs << " RunOnce calls";
      return runs;
    }
    const bool deadline_bound = !timeout || *timeout >= left;
    milliseconds wait = timeout ? std::min(*timeout, left) : left;
    bool readable = Readable(page.PollFd(), static_cast<int>(wait.count()));
    if (!readable && deadline_bound) {
      ADD_FAILURE() << "nothing woke the poll within " << kDeadline.count() << " ms (after " << runs
                    << " RunOnce calls)";
      return runs;
    }
    page.RunOnce();
    ++runs;
  }
  return runs;
}

// After RunOnce has taken everything in, the descriptor is quiet (before PollTimeout is
// asked, and after) and no timer is pending.
void ExpectQuiet(Page& page) {
  EXPECT_FALSE(Readable(page.PollFd())) << "readable after RunOnce: a poll() would spin";
  EXPECT_EQ(page.PollTimeout(), std::nullopt);
  EXPECT_FALSE(Readable(page.PollFd())) << "the descriptor stays readable: a poll() would spin";
}

std::unique_ptr<Page> QuietPage(PageOptions options = {}) {
  options.console = [](ConsoleLevel, std::string_view) {};
  auto page = Page::Create(std::move(options));
  page->RunOnce();
  return page;
}

TEST(EmbeddingPollLoop, IdlePageHasNoTimeoutAndAQuietDescriptor) {
  auto page = QuietPage();
  EXPECT_GE(page->PollFd(), 0);
  ExpectQuiet(*page);
  EXPECT_FALSE(page->HasPendingWork());
  // Still quiet after more passes with nothing to do.
  EXPECT_FALSE(page->RunOnce());
  ExpectQuiet(*page);
}

TEST(EmbeddingPollLoop, PostTaskFromAnotherThreadMakesTheDescriptorReadable) {
  auto page = QuietPage();
  ExpectQuiet(*page);
  std::atomic<bool> ran = false;
  std::thread poster([&] { page->PostTask([&] { ran = true; }); });
  // Readable while the task waits: the embedder's poll() wakes (well before the deadline).
  EXPECT_TRUE(Readable(page->PollFd(), static_cast<int>(kDeadline.count())));
  poster.join();
  EXPECT_FALSE(ran);
  EXPECT_EQ(page->PollTimeout(), milliseconds(0));
  page->RunOnce();
  EXPECT_TRUE(ran);
  ExpectQuiet(*page);
}

TEST(EmbeddingPollLoop, ManyPostsFromManyThreadsEachRunOnceWithoutSpinning) {
  auto page = QuietPage();
  std::atomic<int> ran = 0;
  constexpr int kThreads = 4;
  constexpr int kPostsEach = 250;
  std::vector<std::thread> posters;
  for (int t = 0; t < kThreads; ++t) {
    posters.emplace_back([&] {
      for (int i = 0; i < kPostsEach; ++i) page->PostTask([&] { ++ran; });
    });
  }
  int runs = DriveUntil(*page, [&] { return ran == kThreads * kPostsEach; });
  for (std::thread& poster : posters) poster.join();
  // Each RunOnce takes in a whole batch: never more passes than posts (one more for the
  // eventfd a drained batch leaves behind).
  EXPECT_LE(runs, kThreads * kPostsEach + 1);
  page->RunOnce();
  ExpectQuiet(*page);
}

TEST(EmbeddingPollLoop, TimeoutIsTheTimeUntilTheNextTimerAndZeroWhenDue) {
  auto page = QuietPage();
  int fired = 0;
  page->DefineFunction("fired", [&](std::span<const Value>) -> Value {
    ++fired;
    return Undefined{};
  });
  ASSERT_TRUE(page->Evaluate("setTimeout(fired, 300); setTimeout(fired, 600);").ok());
  std::optional<milliseconds> timeout = page->PollTimeout();
  ASSERT_TRUE(timeout.has_value());
  EXPECT_GT(*timeout, milliseconds(0));
  EXPECT_LE(*timeout, milliseconds(300));
  // Timers do not make the descriptor readable: the timeout is what wakes the embedder.
  EXPECT_FALSE(Readable(page->PollFd()));
  // Waiting out the timeout makes the first timer due: RunOnce runs it, and the next
  // timeout is the second timer's.
  int runs = DriveUntil(*page, [&] { return fired == 1; });
  timeout = page->PollTimeout();
  ASSERT_TRUE(timeout.has_value());
  EXPECT_GT(*timeout, milliseconds(0));
  // (The second timer started a little after the first, as the script went on: some slack.)
  EXPECT_LE(*timeout, milliseconds(350));
  runs += DriveUntil(*page, [&] { return fired == 2; });
  // A poll() per timer (and one spare each for a coarse clock), not a spin.
  EXPECT_LE(runs, 2 * 3) << runs << " RunOnce calls for two timers";
  ExpectQuiet(*page);

  // A timer that is due now (setTimeout 0) is work ready now.
  ASSERT_TRUE(page->Evaluate("setTimeout(fired, 0)").ok());
  // HTML clamps it to 1 ms: wait as an embedder would, for the timeout the page gives, until
  // the page says the timer is due (nothing else can wake the descriptor meanwhile).
  for (int waits = 0; page->PollTimeout() != milliseconds(0); ++waits) {
    std::optional<milliseconds> left = page->PollTimeout();
    ASSERT_TRUE(left.has_value()) << "the timer is gone";
    ASSERT_LT(waits, 100) << "the timer never became due";
    Readable(page->PollFd(), static_cast<int>(left->count()));
  }
  page->RunOnce();
  page->RunOnce();
  EXPECT_EQ(fired, 3);
  ExpectQuiet(*page);
}

TEST(EmbeddingPollLoop, ClearedTimerLeavesNoTimeout) {
  auto page = QuietPage();
  ASSERT_TRUE(page->Evaluate("const t = setTimeout(() => {}, 10000)").ok());
  std::optional<milliseconds> timeout = page->PollTimeout();
  ASSERT_TRUE(timeout.has_value());
  EXPECT_GT(*timeout, milliseconds(5000));
  ASSERT_TRUE(page->Evaluate("clearTimeout(t)").ok());
  page->RunOnce();
  ExpectQuiet(*page);
}

TEST(EmbeddingPollLoop, WatchedDescriptorWakesThePollUntilItIsRead) {
  auto page = QuietPage();
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  std::string received;
  int watch = page->WatchReadable(pipe_fds[0], [&] {
    char buffer[64];
    ssize_t got = read(pipe_fds[0], buffer, sizeof buffer);
    if (got > 0) received.append(buffer, static_cast<std::size_t>(got));
  });
  // Watched just now, outside RunOnce: PollTimeout hands the descriptor to the poll set.
  EXPECT_EQ(page->PollTimeout(), std::nullopt);
  EXPECT_FALSE(Readable(page->PollFd()));
  std::thread writer([&] { ASSERT_EQ(write(pipe_fds[1], "line\n", 5), 5); });
  EXPECT_TRUE(Readable(page->PollFd(), static_cast<int>(kDeadline.count())));
  writer.join();
  int runs = DriveUntil(*page, [&] { return received == "line\n"; });
  EXPECT_LE(runs, 2);
  // Read: no longer readable (the page is still busy — the watch keeps it so).
  EXPECT_EQ(page->PollTimeout(), std::nullopt);
  EXPECT_FALSE(Readable(page->PollFd()));
  EXPECT_TRUE(page->HasPendingWork());
  page->Unwatch(watch);
  page->RunOnce();
  ExpectQuiet(*page);
  close(pipe_fds[0]);
  close(pipe_fds[1]);
}

TEST(EmbeddingPollLoop, TcpConnectionReadsWakeThePoll) {
  testing::ReferenceServer server;
  ASSERT_GT(server.port(), 0);
  auto page = QuietPage({.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/"});
  std::vector<std::string> echoes;
  bool closed = false;
  page->DefineFunction("echoed", [&](std::span<const Value> arguments) -> Value {
    echoes.push_back(std::get<std::string>(arguments[0]));
    return Undefined{};
  });
  page->DefineFunction("closed", [&](std::span<const Value>) -> Value {
    closed = true;
    return Undefined{};
  });
  ASSERT_TRUE(page->Evaluate(R"(
    const connection = new TCPConnection("/echo");
    let sent = 0;
    connection.onopen = () => connection.send("echo " + sent++);
    connection.onread = (event) => {
      echoed(event.data);
      if (sent < 5) connection.send("echo " + sent++); else connection.disconnect();
    };
    connection.onclose = closed;
  )")
                  .ok());
  int runs = DriveUntil(*page, [&] { return closed; });
  EXPECT_EQ(echoes, (std::vector<std::string>{"echo 0", "echo 1", "echo 2", "echo 3", "echo 4"}));
  // Open, five reads and the close: a handful of deliveries, each a wake-up or two — nothing
  // like the thousands of passes a spinning embedder makes.
  EXPECT_LE(runs, 40) << runs << " RunOnce calls";
  page->RunOnce();
  EXPECT_FALSE(page->HasPendingWork());
  ExpectQuiet(*page);
}

// V8 delivers an asynchronous WebAssembly compilation through a foreground task that one of its
// worker threads posts: it must wake the poll, or the promise would never settle.
TEST(EmbeddingPollLoop, ForegroundTaskFromV8WorkerThreadWakesThePoll) {
  auto page = QuietPage();
  bool compiled = false;
  page->DefineFunction("compiled", [&](std::span<const Value>) -> Value {
    compiled = true;
    return Undefined{};
  });
  ASSERT_TRUE(page->Evaluate(R"(
    WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])).then(compiled);
  )")
                  .ok());
  int runs = DriveUntil(*page, [&] { return compiled; });
  EXPECT_LE(runs, 20) << runs << " RunOnce calls";
}

// A delayed foreground task (Atomics.waitAsync's timeout) wakes the poll through the timeout.
TEST(EmbeddingPollLoop, DelayedForegroundTaskFromV8SetsTheTimeout) {
  auto page = QuietPage();
  std::string outcome;
  page->DefineFunction("settled", [&](std::span<const Value> arguments) -> Value {
    outcome = std::get<std::string>(arguments[0]);
    return Undefined{};
  });
  EvaluateResult started = page->Evaluate(R"(
    const cell = new Int32Array(new SharedArrayBuffer(4));
    const wait = Atomics.waitAsync(cell, 0, 0, 100);
    wait.async ? wait.value.then(settled) : settled("sync: " + wait.value);
  )");
  ASSERT_TRUE(started.ok()) << started.inspected;
  int runs = DriveUntil(*page, [&] { return !outcome.empty(); });
  EXPECT_EQ(outcome, "timed-out");
  EXPECT_LE(runs, 20) << runs << " RunOnce calls";
}

// --- The threading rules (page.h): checked in builds without NDEBUG -----------------------

TEST(EmbeddingThreadRules, AnyThreadCallsWorkFromAnotherThread) {
  auto page = QuietPage();
  std::atomic<bool> ran = false;
  std::thread other([&] {
    page->PostTask([&] { ran = true; });
    EXPECT_EQ(page->PollFd(), page->PollFd());
    EXPECT_FALSE(page->url().empty());
    EXPECT_FALSE(page->origin().empty());
    page->TerminateScript();
  });
  other.join();
  DriveUntil(*page, [&] { return ran.load(); });
}

#ifdef NDEBUG
constexpr bool kThreadChecksCompiledIn = false;
#else
constexpr bool kThreadChecksCompiledIn = true;
#endif

TEST(EmbeddingThreadRulesDeathTest, PageThreadCallFromAnotherThreadAborts) {
  if (!kThreadChecksCompiledIn) GTEST_SKIP() << "built with NDEBUG: the checks are compiled out";
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  auto page = QuietPage();
  EXPECT_DEATH(std::thread([&] { page->Evaluate("1 + 1"); }).join(),
               "switchboard: Page::Evaluate called off the page's thread");
  EXPECT_DEATH(std::thread([&] { page->RunOnce(); }).join(),
               "switchboard: Page::RunOnce called off the page's thread");
  EXPECT_DEATH(std::thread([&] { page->PollTimeout(); }).join(),
               "switchboard: Page::PollTimeout called off the page's thread");
  EXPECT_DEATH(std::thread([&] { Page::Create(); }).join(),
               "switchboard: Page::Create called off the Engine's thread");
  // The page is untouched in this process.
  EXPECT_TRUE(page->Evaluate("1 + 1").ok());
}

}  // namespace
}  // namespace switchboard::embed
