// switchboard-shell: runs a page (a .js or .html file, an http(s) URL, or a script on standard
// input) in a Page until nothing is pending, then exits 0, or 1 after an uncaught exception,
// 124 on --timeout; or, with --repl (or no PAGE on a terminal), reads JavaScript interactively
// (engine/repl.h). A bad command line is one line on stderr and exit 2, as curl does.
// It is an embedder like any other: it runs pages through the embedding API
// (include/switchboard/), linked statically.
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

#include "base/ascii.h"
#include "engine/repl.h"
#include "engine/shell_options.h"
#include "net/network_service.h"
#include "switchboard/switchboard.h"

namespace switchboard {
namespace {

constexpr int kExitUsage = 2;
constexpr int kExitTimeout = 124;
// How Node names a script from standard input in stacks and error reports.
constexpr std::string_view kStandardInputName = "[stdin]";

// Standard input to its end, at most `limit` bytes (--max-resource-bytes, as for any page).
Result<std::string> ReadStandardInput(std::size_t limit) {
  std::string source;
  char chunk[64 * 1024];
  while (true) {
    const ssize_t count = read(STDIN_FILENO, chunk, sizeof chunk);
    if (count < 0 && errno == EINTR) continue;
    if (count < 0) {
      return Error{Stage::kLoad,
                   std::string("cannot read standard input: ") + std::strerror(errno)};
    }
    if (count == 0) return source;
    source.append(chunk, static_cast<std::size_t>(count));
    if (source.size() > limit) {
      return Error{Stage::kLoad, "the script on standard input is larger than " +
                                     std::to_string(limit) + " bytes (--max-resource-bytes)"};
    }
  }
}

// The program beside this shell (a build tree's bin/ or an install's), else its bare name.
std::string CommandBesideShell(std::string_view name) {
  std::error_code error;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return std::string(name);
  std::filesystem::path beside = self.parent_path() / name;
  return std::filesystem::exists(beside, error) ? beside.string() : std::string(name);
}

// A page run from a file (or standard input) has a file: URL, so `new TCPConnection("/echo")`
// resolves to a file: URL and throws. After that report, says how to serve the page over
// http instead, with the server's real options (once a run).
class FileSchemeHint {
 public:
  explicit FileSchemeHint(const ShellOptions& options) : options_(options) {}

  void AfterReport(std::string_view report) {
    if (given_ || report.find("scheme 'file' is not supported") == std::string_view::npos) return;
    given_ = true;
    const bool from_stdin = options_.action == ShellOptions::Action::kRunStandardInput;
    // An http(s) page has no file: URLs of its own; a TCPConnection("file:…") is just wrong.
    if (!from_stdin && IsPageUrl(options_.page) &&
        !StartsWithIgnoringAsciiCase(options_.page, "file:")) {
      return;
    }
    // A page given as a path: its directory is the server's root; otherwise placeholders.
    std::string root = "DIR";
    std::string name = from_stdin ? "script.js" : "page.html";
    std::error_code error;
    if (!from_stdin && !IsPageUrl(options_.page)) {
      std::filesystem::path file = std::filesystem::absolute(options_.page, error);
      if (!error) {
        root = "'" + file.parent_path().string() + "'";
        name = file.filename().string();
      }
    }
    std::fprintf(stderr,
                 "switchboard-shell: %s, so its relative URLs are file: URLs, which "
                 "TCPConnection cannot use; %s over http:\n"
                 "  %s --root %s --port 8080 &\n"
                 "  %s http://127.0.0.1:8080/%s\n",
                 from_stdin ? "a script on standard input runs at the working directory"
                            : "this page is a file",
                 from_stdin ? "give it an http(s):// URL, or save the script and serve it"
                            : "serve the page",
                 CommandBesideShell("switchboard-server").c_str(), root.c_str(),
                 CommandBesideShell("switchboard-shell").c_str(), name.c_str());
  }

 private:
  const ShellOptions& options_;
  bool given_ = false;
};

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
  Result<ShellOptions> parsed = ParseShellOptions(arguments, isatty(STDIN_FILENO) != 0);
  if (!parsed.ok()) {
    std::fprintf(stderr,
                 "switchboard-shell: %s\nTry 'switchboard-shell --help' for more information.\n",
                 parsed.error().message.c_str());
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
  // Each connection is a socket: the soft open-file limit (often 1024) goes up to the hard one.
  if (rlimit files{}; getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
  }
  // Paths that cannot work stop the shell before anything starts, not when first used.
  if (Result<Ok> checked = CheckPathOptions(options); !checked.ok()) {
    std::fprintf(stderr, "switchboard-shell: %s\n", checked.error().message.c_str());
    return kExitUsage;
  }
  if (Result<Ok> checked = CheckPageFile(options); !checked.ok()) {
    std::fprintf(stderr, "switchboard-shell: %s\n", checked.error().message.c_str());
    return 1;
  }
  std::string standard_input;
  if (options.action == ShellOptions::Action::kRunStandardInput) {
    Result<std::string> read = ReadStandardInput(options.page_options.max_resource_bytes);
    if (!read.ok()) {
      std::fprintf(stderr, "switchboard-shell: %s\n", read.error().message.c_str());
      return 1;
    }
    standard_input = std::move(read).value();
  }

  embed::Engine engine;
  // The page's console goes where Node's does (log, info, debug, dir, table to standard
  // output; warn, error, assert, trace and the §7 failure lines to standard error, in order
  // when both are one file); the engine's own diagnostics (uncaught exceptions, load failures,
  // a cookie jar that cannot be written) go to standard error and make the exit code 1.
  int errors_reported = 0;
  FileSchemeHint file_scheme_hint(options);
  embed::PageOptions page_options = options.page_options;
  page_options.url = options.page;
  page_options.errors = [&errors_reported, &file_scheme_hint](std::string_view report) {
    ++errors_reported;
    std::fflush(stdout);
    std::fwrite(report.data(), 1, report.size(), stderr);
    std::fputc('\n', stderr);
    file_scheme_hint.AfterReport(report);
    std::fflush(stderr);
  };
  std::unique_ptr<embed::Page> page;
  try {
    // --cookie-jar is read now and written when the page goes away; the jar serves the
    // page, its script loads and its TCPConnection handshakes.
    if (options.action == ShellOptions::Action::kRunStandardInput) {
      page = embed::Page::LoadScript(std::move(page_options), std::move(standard_input),
                                     std::string(kStandardInputName));
    } else if (options.page.empty()) {
      page = embed::Page::Create(std::move(page_options));
    } else {
      page = embed::Page::Load(std::move(page_options));
    }
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
