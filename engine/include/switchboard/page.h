// Page: one document of Switchboard — a V8 context with window/self, console, timers,
// location and TCPConnection — and the event loop its script runs on.
//
// Thread: a Page lives on the thread that created it, which must be the Engine's thread (the
// page's thread). Threading rules:
//   any thread:          PostTask, Terminate, TerminateScript, PollFd, url, origin,
//                        inspector_url, isolate (the pointer; V8's own rules apply to its use);
//   the page's thread:   everything else — Create/Load/LoadScript (the Engine's thread),
//                        Evaluate, DefineFunction, DefineValue, Set*Handler, RunUntilIdle,
//                        RunFor, RunOnce, PollTimeout, HasPendingWork, Stop, WatchReadable,
//                        Unwatch, WaitForDebuggerToDisconnect, uncaught_exception_count,
//                        context, and destroying the Page.
// Builds of the library without NDEBUG check the page's-thread rule: such a call from another
// thread aborts with "switchboard: Page::Evaluate called off the page's thread" (naming the
// call). Release builds do not check; breaking the rule there is undefined behaviour.
// Ownership: the embedder owns the Page (Create/Load return a unique_ptr). Destroying it
// closes every connection without events (spec §8), cancels timers, saves the cookie jar
// file and releases the isolate; functions and handlers given to it are dropped then.
// Callbacks: console, error, DefineFunction and WatchReadable callbacks run only while the
// page runs script or its loop (Evaluate, Load, Run*), on the page's thread, never after
// the Page is destroyed.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "switchboard/export.h"
#include "switchboard/network_hooks.h"
#include "switchboard/value.h"

// V8's types, for the advanced accessors at the end of Page (see switchboard/v8.h).
namespace v8 {
class Context;
class Isolate;
template <class T>
class Local;
}  // namespace v8

namespace switchboard::embed {

enum class ConsoleLevel { kLog, kInfo, kWarn, kError, kDebug };

// One console line (console.log and friends, and the engine's own lines such as a
// TCPConnection's failure reason), already formatted the way Node.js prints it.
using ConsoleHandler = std::function<void(ConsoleLevel level, std::string_view text)>;
// An uncaught exception or unhandled rejection from a task ("file:line:col: Uncaught
// TypeError: …" and its stack), or a <script src> that failed to load.
using ErrorHandler = std::function<void(std::string_view report)>;

struct PageOptions {
  // The document URL: the base for relative URLs (TCPConnection, <script src>) and, unless
  // `origin` says otherwise, the origin. A file path, a file: URL or an http(s): URL; empty
  // means the current directory as a file: URL. Page::Load fetches it.
  std::string url{};
  // The document origin: "null" (opaque) or "scheme://host[:port]"; empty means the URL's.
  std::string origin{};
  // Forward proxy for page loads and connections; empty means the proxy environment
  // variables (http_proxy, https_proxy, all_proxy, no_proxy).
  std::string proxy{};
  // CA bundle for TLS verification; empty means the system store.
  std::string ca_file{};
  // DNS servers ("host:port" each); empty means the system's.
  std::vector<std::string> dns_servers{};
  // Cookie jar file in curl's Netscape format: read by Create/Load, written when the Page is
  // destroyed. Empty means an in-memory jar.
  std::string cookie_jar{};
  // JSON net log file; empty means none.
  std::string net_log{};
  // Spec §3.6 and §9 limits (the engine's base/limits.h holds the same defaults; a test checks
  // that they agree).
  std::uint32_t max_connections = 1024;
  std::chrono::milliseconds handshake_timeout{30'000};
  std::size_t max_response_header_bytes = 16 * 1024;
  std::size_t max_frame_bytes = 16 * 1024 * 1024;
  std::size_t receive_window_bytes = 4 * 1024 * 1024;
  // How long disconnect() waits for the peer to take every byte sent before it resets the
  // connection and says on the console how many bytes were not delivered (spec §7).
  std::chrono::milliseconds disconnect_timeout{30'000};
  // Page and script loads: the largest body, and how long one load may take in all.
  std::size_t max_resource_bytes = 256 * 1024 * 1024;
  std::chrono::milliseconds load_timeout{120'000};
  // DevTools (issue 16): when set, the page is a target of the Chrome DevTools Protocol — an
  // HTTP/WebSocket endpoint on a thread of its own (/json/list, ws://host:port/<id>). Unset,
  // nothing starts: no thread, no port.
  struct Inspect {
    // An IP literal or "localhost"; anything but loopback exposes the debugger to the network.
    std::string host = "127.0.0.1";
    std::uint16_t port = 9229;  // 0: a free port (Page::inspector_url() says which)
    // kWait: the document's scripts wait until a client sends
    // Runtime.runIfWaitingForDebugger; kBreak: and then pause before the first statement.
    enum class Start { kNoWait, kWait, kBreak };
    Start start = Start::kNoWait;
  };
  std::optional<Inspect> inspect{};
  // Where console lines and uncaught-exception reports go; null means standard output
  // (kLog, kInfo, kDebug) and standard error (kWarn, kError, and the reports), each line
  // flushed. Page::SetConsoleHandler/SetErrorHandler change them later.
  ConsoleHandler console{};
  ErrorHandler errors{};
  // Network hooks (issue 18; switchboard/network_hooks.h says when and where they run):
  // the connection policy, asked before each TCPConnection and http(s) page or script load
  // (null: everything is allowed, nothing added); each TCPConnection's open, close and failure
  // (null: none); every net log entry (null: none; independent of `net_log`, the file).
  ConnectionPolicy connection_policy{};
  ConnectionEventHandler connection_events{};
  NetLogHandler net_log_handler{};
};

struct EvaluateResult {
  enum class Status {
    kCompleted,        // ran to the end; `value` is the completion value
    kThrew,            // threw (or did not compile); `value` is the exception
    kIncompleteInput,  // the source ends too early ("Unexpected end of input"): more to come
    kTerminated,       // Terminate() stopped it
  };
  Status status = Status::kCompleted;
  Value value;
  // How Node's REPL shows the outcome: util.inspect of the completion value ("2", "'text'",
  // "{ a: 1 }", "undefined"), or "Uncaught " + the exception ("Uncaught Error: boom",
  // "Uncaught SyntaxError: Unexpected token ')'", "Uncaught 42").
  std::string inspected;
  // False when the source did not compile (an early SyntaxError): nothing of it ran.
  bool compiled = true;

  bool ok() const { return status == Status::kCompleted; }
};

enum class RunResult {
  kIdle,      // nothing is pending: no task, timer, open connection or watched descriptor
  kStopped,   // Stop() or Terminate() was called
  kTimedOut,  // RunFor's time ran out first
};

class SWITCHBOARD_EXPORT Page {
 public:
  // A blank page at options.url; nothing is fetched. Throws Error for a URL that does not
  // parse or a cookie jar file that cannot be read.
  static std::unique_ptr<Page> Create(PageOptions options = {});
  // Fetches options.url (a .js or .html file or an http(s) URL, redirects followed) and
  // makes a page at the final URL whose first task runs the document's scripts — classic
  // <script> elements in document order — once the loop runs (RunUntilIdle, RunFor, …).
  // Throws Error when the document cannot be fetched; script errors go to the error handler.
  static std::unique_ptr<Page> Load(PageOptions options);
  // Like Load, for a classic script the embedder already holds (the shell's standard input):
  // nothing is fetched; options.url is the page's URL (empty: the working directory) and
  // `name` names the script in stacks and error reports ("[stdin]:1:5: Uncaught …").
  static std::unique_ptr<Page> LoadScript(PageOptions options, std::string source,
                                          std::string name);
  ~Page();
  Page(const Page&) = delete;
  Page& operator=(const Page&) = delete;

  // Runs `source` as a classic script, then a microtask checkpoint. Exceptions are returned,
  // not reported to the error handler. `name` appears in stacks ("name:line:col").
  EvaluateResult Evaluate(std::string_view source, std::string_view name = "<evaluate>");

  // Defines `name` on the global object as a function that calls `function`.
  void DefineFunction(std::string_view name, Function function);
  // Defines `name` on the global object as `value`.
  void DefineValue(std::string_view name, const Value& value);

  void SetConsoleHandler(ConsoleHandler handler);
  void SetErrorHandler(ErrorHandler handler);

  // Runs tasks, timers and connection events until nothing is pending or Stop() is called.
  RunResult RunUntilIdle();
  // Like RunUntilIdle, but returns kTimedOut after `timeout` if the page is still busy.
  RunResult RunFor(std::chrono::milliseconds timeout);
  // Runs the tasks that are ready now and polls I/O once without waiting (for embedders with
  // their own loop). Returns HasPendingWork().
  bool RunOnce();
  // Whether a task, timer, open connection or watched descriptor is pending.
  bool HasPendingWork() const;
  // Makes the current Run* return kStopped after the current task.
  void Stop();

  // Any thread: queues `task` to run on the page's thread as a task. It wakes a waiting
  // loop but does not keep RunUntilIdle from returning: posted to an idle page, it runs at
  // the next Run*. (Keep the loop alive with a timer or WatchReadable while you expect one.)
  void PostTask(std::function<void()> task);
  // Any thread: ends the running script (if any) and stops the loop (kStopped). The page
  // runs no more script afterwards; destroy it.
  void Terminate();
  // Any thread: ends the script running now, as if it had hit an uncatchable exception
  // (Evaluate returns kTerminated); the page and its loop go on. Meant for a user's Ctrl-C
  // while Evaluate runs: if no script is running, the next script to start is ended.
  void TerminateScript();

  // Calls `on_readable` (as a task) whenever `fd` is readable, until Unwatch. Watched
  // descriptors keep RunUntilIdle running. Returns an id for Unwatch.
  int WatchReadable(int fd, std::function<void()> on_readable);
  void Unwatch(int watch_id);

  // --- Event-loop integration (issue 18): run the page from the embedder's own poll() ------
  // The page's loop as libuv shows it (uv_backend_fd / uv_backend_timeout): a descriptor and
  // a timeout, so that RunOnce is called only when the page has something to do.
  //
  //   for (;;) {
  //     std::optional<std::chrono::milliseconds> timeout = page->PollTimeout();
  //     pollfd fds[] = {{page->PollFd(), POLLIN, 0}, /* the embedder's own descriptors */};
  //     poll(fds, std::size(fds), timeout ? static_cast<int>(timeout->count()) : -1);
  //     page->RunOnce();  // whether the descriptor was readable or the timeout ran out
  //   }
  //
  // Any thread: the descriptor, owned by the page (do not read, write or close it; it is
  // valid until the page is destroyed). It is level-triggered: readable while the page has
  // something to take in — a task posted with PostTask (from any thread), a delivery from the
  // network thread (a TCPConnection's open, read, close), a descriptor given to
  // WatchReadable that is readable, a foreground task V8 posted from its worker threads.
  // Timers do not make it readable: wait at most PollTimeout(). Once RunOnce has taken in
  // everything, it is no longer readable, so a poll() on it never spins — unless a
  // WatchReadable callback leaves its descriptor unread: that one stays readable, and so does
  // this one (level-triggered), and the callback runs again at each RunOnce.
  int PollFd() const;
  // Page's thread: how long the embedder may wait on PollFd() before calling RunOnce: 0 when
  // work is ready now (a queued task, a due timer), the time until the page's next timer, or
  // nullopt when no timer is pending (wait for the descriptor alone; the page may still be
  // busy with connections or watched descriptors — HasPendingWork() says so). Call it right
  // before each wait: it also hands descriptors watched since the last RunOnce to the
  // descriptor above and takes in what is ready, so an answer of 0 may come from it. It runs
  // no script and calls no callback of the embedder.
  std::optional<std::chrono::milliseconds> PollTimeout();
  // --- end of event-loop integration ---

  // The document URL and origin (serialized; "null" when opaque).
  const std::string& url() const;
  const std::string& origin() const;
  // The DevTools WebSocket URL ("ws://127.0.0.1:9229/<id>") when options.inspect was set;
  // empty otherwise.
  std::string inspector_url() const;
  // With options.inspect, once the page has finished (after RunUntilIdle): while a DevTools
  // client is attached, serves it — DevTools can still inspect what the scripts left — until
  // every client has gone or Terminate(). Calls `before_waiting` first if it will wait (the
  // shell prints Node's "Waiting for the debugger to disconnect..."). Returns whether it
  // waited; at once false without options.inspect or with no client attached.
  bool WaitForDebuggerToDisconnect(const std::function<void()>& before_waiting = {});
  // Uncaught exceptions and unhandled rejections reported to the error handler so far.
  int uncaught_exception_count() const;

  // --- Values (issue 18): script objects as Handles, calls, promises (switchboard/value.h).
  // All four run on the page's thread only (Error otherwise).
  //
  // Calls `function` (a Handle of a script function) with `arguments` and `receiver` as
  // `this`, then — unless script is running below (a DefineFunction callback calling back)
  // — a microtask checkpoint. Returns what Evaluate returns: kCompleted with the return
  // value, kThrew with the exception (not reported to the error handler), kTerminated.
  // Throws Error for a `function` that is not a function Handle of this page, or arguments
  // that cannot cross (a Handle of another page, a malformed BigInt).
  EvaluateResult Call(const Value& function, std::span<const Value> arguments = {},
                      const Value& receiver = Undefined{});
  // A new script array or object made of `containers` (an Array or a Dictionary, nested
  // containers too), as a Handle. Error for other values.
  Handle NewObject(const Value& containers);
  // The global object (window), to read and set globals through.
  Handle global();
  // A new pending script promise and its resolver; resolver.promise() is the promise to hand
  // to script (e.g. as a DefineFunction result). Resolve/Reject may come from any thread.
  // Until settled (or dropped) it keeps the page's loop from going idle.
  PromiseResolver NewPromise();
  // --- end of Values

  // For advanced embedders, with V8's headers (#include <switchboard/v8.h>): the page's
  // isolate, entered on the page's thread for the page's lifetime, and its context (call
  // inside a v8::HandleScope). Script run this way is the embedder's own business: catch
  // with a v8::TryCatch and call page->RunOnce()/Run* to get microtasks and tasks going.
  v8::Isolate* isolate() const;
  v8::Local<v8::Context> context() const;

  struct Impl;

 private:
  explicit Page(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  friend struct Impl;
};

}  // namespace switchboard::embed
