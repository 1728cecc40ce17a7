// switchboard-shell: runs a page (a .js or .html file or an http(s) URL) in a Page until
// nothing is pending, then exits 0, or 1 after an uncaught exception, 124 on --timeout; or,
// with --repl (or no PAGE on a terminal), reads JavaScript interactively (engine/repl.h).
// It is an embedder like any other: it runs pages through the embedding API
// (include/switchboard/), linked statically.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

#include "engine/repl.h"
#include "engine/shell_options.h"
#include "net/network_service.h"
#include "switchboard/switchboard.h"

namespace switchboard {
namespace {

constexpr int kExitUsage = 2;
constexpr int kExitTimeout = 124;

// Stops a page that runs past --timeout: terminates running script and ends the loop.
class Watchdog {
 public:
  Watchdog(embed::Page& page, double seconds) : page_(page) {
    auto deadline = std::chrono::steady_clock::now() +
                    std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                        std::chrono::duration<double>(seconds));
    thread_ = std::thread([this, deadline] {
      std::unique_lock lock(mutex_);
      if (condition_.wait_until(lock, deadline, [this] { return finished_; })) return;
      fired_ = true;
      page_.Terminate();
    });
  }
  ~Watchdog() {
    {
      std::lock_guard lock(mutex_);
      finished_ = true;
    }
    condition_.notify_one();
    thread_.join();
  }
  bool fired() const { return fired_; }

 private:
  embed::Page& page_;
  std::mutex mutex_;
  std::condition_variable condition_;
  bool finished_ = false;
  std::atomic<bool> fired_ = false;
  std::thread thread_;
};

int RunShell(int argc, char** argv) {
  std::vector<std::string_view> arguments(argv + 1, argv + argc);
  Result<ShellOptions> parsed = ParseShellOptions(arguments, isatty(0) != 0);
  if (!parsed.ok()) {
    std::fprintf(stderr, "switchboard-shell: %s\n\n%s", parsed.error().message.c_str(),
                 ShellUsage().c_str());
    return kExitUsage;
  }
  ShellOptions& options = parsed.value();
  if (options.action == ShellOptions::Action::kHelp) {
    std::fputs(ShellUsage().c_str(), stdout);
    return 0;
  }
  if (options.action == ShellOptions::Action::kVersion) {
    std::printf("switchboard-shell %s (V8 %s, %s)\n", SWITCHBOARD_VERSION_STRING,
                std::string(embed::Engine::V8Version()).c_str(),
                NetworkService::LibraryVersions().c_str());
    return 0;
  }

  embed::Engine engine;
  // The page's console is its standard output, every level, in order; the engine's own
  // diagnostics (uncaught exceptions, load failures, a cookie jar that cannot be written)
  // go to standard error and make the exit code 1.
  int errors_reported = 0;
  embed::PageOptions page_options = options.page_options;
  page_options.url = options.page;
  page_options.errors = [&errors_reported](std::string_view report) {
    ++errors_reported;
    std::fflush(stdout);
    std::fwrite(report.data(), 1, report.size(), stderr);
    std::fputc('\n', stderr);
    std::fflush(stderr);
  };
  std::unique_ptr<embed::Page> page;
  try {
    // --cookie-jar is read now and written when the page goes away; the jar serves the
    // page, its script loads and its TCPConnection handshakes.
    page = options.page.empty() ? embed::Page::Create(std::move(page_options))
                                : embed::Page::Load(std::move(page_options));
  } catch (const embed::Error& error) {
    std::fprintf(stderr, "switchboard-shell: %s\n", error.what());
    return 1;
  }

  // As Node prints it; with port 0 this is where the real port is told.
  if (std::string url = page->inspector_url(); !url.empty()) {
    std::fprintf(stderr, "Debugger listening on %s\n", url.c_str());
    std::fflush(stderr);
  }

  // DevTools can still inspect a finished page (as Node at exit); --timeout still bounds it.
  auto print_waiting_for_debugger = [] {
    std::fprintf(stderr, "Waiting for the debugger to disconnect...\n");
    std::fflush(stderr);
  };
  if (options.action == ShellOptions::Action::kRepl) {
    // --inspect-wait / --inspect-brk: the first prompt comes once a debugger has attached and
    // let the page run (with --inspect-brk, it pauses before the first input's first statement).
    if (options.page_options.inspect &&
        options.page_options.inspect->start != embed::PageOptions::Inspect::Start::kNoWait) {
      page->RunOnce();
    }
    int exit_code = Repl(*page, Repl::DefaultHistoryFile()).Run();
    page->WaitForDebuggerToDisconnect(print_waiting_for_debugger);
    page.reset();
    return exit_code;
  }

  std::optional<Watchdog> watchdog;
  if (options.timeout_seconds) watchdog.emplace(*page, *options.timeout_seconds);
  page->RunUntilIdle();
  page->WaitForDebuggerToDisconnect(print_waiting_for_debugger);
  bool timed_out = watchdog && watchdog->fired();
  watchdog.reset();
  page.reset();
  if (timed_out) {
    std::fprintf(stderr, "switchboard-shell: timed out after %g s\n", *options.timeout_seconds);
    return kExitTimeout;
  }
  return errors_reported > 0 ? 1 : 0;
}

}  // namespace
}  // namespace switchboard

int main(int argc, char** argv) { return switchboard::RunShell(argc, argv); }
