// ScriptEnvironment: what a page offers the bindings (reporting exceptions, console
// output), and EnterScript, the one door through which C++ calls into JavaScript.
//
// Thread: main thread only (everything that touches V8 is; architecture.md "Threads").
// Ownership: the page owns its ScriptEnvironment and outlives its context; the context holds
// a raw pointer to it in embedder data slot ContextSlot::kScriptEnvironment.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string_view>

#include <v8.h>

namespace switchboard::bindings {

// Indices of the context's embedder data that Switchboard uses. Slot 0 is V8's own.
enum class ContextSlot : int {
  kScriptEnvironment = 1,
};

enum class ConsoleLevel { kLog, kInfo, kWarn, kError, kDebug };

class ScriptEnvironment {
 public:
  virtual ~ScriptEnvironment() = default;

  // Reports an exception that escaped script: prints "file:line:col: Uncaught Name: message"
  // and the stack to stderr and remembers that the page had an uncaught exception.
  virtual void ReportException(v8::Local<v8::Context> context, v8::Local<v8::Value> exception,
                               v8::Local<v8::Message> message) = 0;

  // Writes one console line at `level` (console.log and friends, and the engine's own lines
  // such as spec §7's failure line).
  virtual void PrintToConsole(ConsoleLevel level, std::string_view line) = 0;

  // HR-Time "current high resolution time": milliseconds since the page's time origin, for
  // Event.timeStamp. The default counts from this environment's construction, coarsened to
  // 100 microseconds.
  virtual double CurrentHighResolutionTime() const;
  // HR-Time §4.2 timeOrigin: the time origin as milliseconds since the Unix epoch (the wall
  // clock read once, beside the monotonic origin CurrentHighResolutionTime counts from).
  double TimeOriginUnixMs() const { return time_origin_unix_ms_; }

  // Timers of the platform's own algorithms (AbortSignal.timeout()): `task` runs once, as a
  // task of the page's event loop inside the page's context, after `delay_ms`; never
  // synchronously. A page ends when it has no pending work, and whether a pending platform
  // timer counts as such is the caller's choice, changeable while it waits.
  using PlatformTimerId = std::uint64_t;
  enum class KeepAlive { kKeepsPageAlive, kDoesNotKeepPageAlive };
  virtual PlatformTimerId StartPlatformTimer(std::uint64_t delay_ms, KeepAlive keep_alive,
                                             std::function<void()> task) = 0;
  virtual void SetPlatformTimerKeepAlive(PlatformTimerId id, KeepAlive keep_alive) = 0;
  // Unknown or finished ids are ignored.
  virtual void CancelPlatformTimer(PlatformTimerId id) = 0;

  // Any thread: the page is being terminated (the embedder's Terminate, the shell's --timeout):
  // from now on EnterScript runs no script at all in this environment — not the document's
  // next <script>, nor a timer or an event listener already on its way — even after V8 has
  // unwound the terminated one and would run the next.
  void MarkTerminated() { terminated_.store(true, std::memory_order_relaxed); }
  bool terminated() const { return terminated_.load(std::memory_order_relaxed); }

  void AttachTo(v8::Local<v8::Context> context);
  static ScriptEnvironment* From(v8::Local<v8::Context> context);

 private:
  std::chrono::steady_clock::time_point time_origin_ = std::chrono::steady_clock::now();
  double time_origin_unix_ms_ =
      std::chrono::duration<double, std::milli>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  std::atomic<bool> terminated_ = false;
};

enum class ScriptOutcome { kCompleted, kThrew, kTerminated };

// Runs `body` (which calls into V8 and returns false when V8 reported an exception, i.e. an
// empty Maybe/MaybeLocal) inside a HandleScope, Context::Scope and TryCatch. An exception is
// reported through the context's ScriptEnvironment and never propagates to the caller.
// Style rule 9: every entry into JS goes through here (scripts, timers, tasks, listeners).
template <typename Body>
ScriptOutcome EnterScript(v8::Local<v8::Context> context, Body&& body) {
  v8::Isolate* isolate = context->GetIsolate();
  ScriptEnvironment* environment = ScriptEnvironment::From(context);
  if (environment && environment->terminated()) return ScriptOutcome::kTerminated;
  v8::HandleScope handle_scope(isolate);
  v8::Context::Scope context_scope(context);
  v8::TryCatch try_catch(isolate);
  bool completed = body();
  if (completed && !try_catch.HasCaught()) return ScriptOutcome::kCompleted;
  if (try_catch.HasTerminated() || isolate->IsExecutionTerminating()) {
    return ScriptOutcome::kTerminated;
  }
  if (try_catch.HasCaught()) {
    if (environment) {
      environment->ReportException(context, try_catch.Exception(), try_catch.Message());
    }
  }
  return ScriptOutcome::kThrew;
}

}  // namespace switchboard::bindings
