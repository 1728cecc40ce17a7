// switchboard-shell: runs a page (a .js or .html file or an http(s) URL) in a Page until
// nothing is pending, then exits 0, or 1 after an uncaught exception, 124 on --timeout.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include <curl/curl.h>

#include "engine/page.h"
#include "engine/page_loader.h"
#include "engine/script_platform.h"
#include "engine/shell_options.h"

namespace switchboard {
namespace {

constexpr int kExitUsage = 2;
constexpr int kExitTimeout = 124;

// Stops a page that runs past --timeout: terminates running script and ends the loop.
class Watchdog {
 public:
  Watchdog(Page& page, double seconds) : page_(page) {
    auto deadline = std::chrono::steady_clock::now() +
                    std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                        std::chrono::duration<double>(seconds));
    thread_ = std::thread([this, deadline] {
      std::unique_lock lock(mutex_);
      if (condition_.wait_until(lock, deadline, [this] { return finished_; })) return;
      fired_ = true;
      page_.isolate()->TerminateExecution();
      page_.event_loop().PostTaskFromAnyThread([this] { page_.event_loop().Stop(); });
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
  Page& page_;
  std::mutex mutex_;
  std::condition_variable condition_;
  bool finished_ = false;
  std::atomic<bool> fired_ = false;
  std::thread thread_;
};

int RunShell(int argc, char** argv) {
  std::vector<std::string_view> arguments(argv + 1, argv + argc);
  Result<ShellOptions> parsed = ParseShellOptions(arguments);
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
    std::printf("switchboard-shell 0.1.0 (V8 %s, %s)\n", v8::V8::GetVersion(), curl_version());
    return 0;
  }

  std::string_view page_argument = options.page;
  Result<PageUrl> url =
      page_argument.starts_with("http://") || page_argument.starts_with("https://")
          ? PageUrl::Parse(page_argument)
          : PageUrl::FromFilePath(page_argument);
  if (!url.ok()) {
    std::fprintf(stderr, "switchboard-shell: %s\n", url.error().message.c_str());
    return 1;
  }
  // One cookie jar for the page, its script loads and its TCPConnection handshakes;
  // --cookie-jar keeps it in a file in curl's format (read now, written at exit).
  auto cookie_jar = std::make_shared<CookieJar>();
  const std::string& jar_file = options.settings.cookie_jar;
  if (!jar_file.empty() && std::filesystem::exists(jar_file)) {
    Result<std::size_t> loaded =
        cookie_jar->LoadNetscapeFile(jar_file, std::chrono::system_clock::now());
    if (!loaded.ok()) {
      std::fprintf(stderr, "switchboard-shell: %s\n", loaded.error().message.c_str());
      return 1;
    }
  }
  Result<Resource> document = LoadResource(url.value(), options.settings, cookie_jar.get());
  if (!document.ok()) {
    std::fprintf(stderr, "switchboard-shell: %s\n", document.error().message.c_str());
    return 1;
  }

  ScriptPlatform::Initialize(argv[0]);
  int exit_code = 0;
  {
    // The page's console is its standard output, every level, in order; the engine's own
    // diagnostics (uncaught exceptions, load failures) go to standard error.
    Page page(
        document.value().url, options.settings,
        [](bindings::ConsoleLevel, std::string_view line) {
          std::fwrite(line.data(), 1, line.size(), stdout);
          std::fputc('\n', stdout);
          std::fflush(stdout);
        },
        [](std::string_view text) {
          std::fflush(stdout);
          std::fwrite(text.data(), 1, text.size(), stderr);
          std::fputc('\n', stderr);
          std::fflush(stderr);
        },
        cookie_jar);
    std::optional<Watchdog> watchdog;
    if (options.timeout_seconds) watchdog.emplace(page, *options.timeout_seconds);
    RunDocument(page, document.value());
    page.event_loop().Run();
    bool timed_out = watchdog && watchdog->fired();
    watchdog.reset();
    if (timed_out) {
      std::fprintf(stderr, "switchboard-shell: timed out after %g s\n", *options.timeout_seconds);
      exit_code = kExitTimeout;
    } else if (page.uncaught_exception_count() > 0) {
      exit_code = 1;
    }
  }
  ScriptPlatform::Shutdown();
  if (!jar_file.empty()) {
    Result<Ok> saved = cookie_jar->SaveNetscapeFile(jar_file, std::chrono::system_clock::now());
    if (!saved.ok()) {
      std::fprintf(stderr, "switchboard-shell: %s\n", saved.error().message.c_str());
      if (exit_code == 0) exit_code = 1;
    }
  }
  return exit_code;
}

}  // namespace
}  // namespace switchboard

int main(int argc, char** argv) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  int exit_code = switchboard::RunShell(argc, argv);
  curl_global_cleanup();
  return exit_code;
}
