#include "engine/page.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>

#include "bindings/install.h"
#include "bindings/script_value.h"
#include "engine/console.h"
#include "engine/error_event.h"
#include "engine/exposed_interfaces.h"
#include "engine/inspector/page_inspector.h"
#include "engine/net_log_relay.h"
#include "engine/promise_rejection_event.h"
#include "engine/script_platform.h"
#include "engine/timers.h"
#include "engine/v8_strings.h"
#include "engine/window.h"

namespace switchboard {

namespace {

// A timer (not keeping the loop alive) that fires once V8's clock has reached `due` (seconds):
// the loop then pumps V8's delayed foreground task that became due.
void WakeAtV8Time(EventLoop& loop, double due) {
  double left = due - ScriptPlatform::Get().platform()->MonotonicallyIncreasingTime();
  if (left <= 0) return;  // due already: the loop pumps before it waits
  const auto delay_ms = static_cast<std::uint64_t>(std::ceil(left * 1000)) + 1;
  EventLoop::TimerId id = loop.StartTimer(delay_ms, EventLoop::Repeat::kOnce,
                                          [&loop, due] { WakeAtV8Time(loop, due); });
  loop.SetTimerKeepsLoopAlive(id, EventLoop::KeepsLoopAlive::kNo);
}

// An error's `stack` string, for native errors and error-like objects such as DOMException
// (which inherits from Error.prototype and carries its own stack).
std::string StackOf(v8::Local<v8::Context> context, v8::Local<v8::Value> exception) {
  if (!exception->IsObject()) return {};
  v8::Isolate* isolate = context->GetIsolate();
  v8::TryCatch try_catch(isolate);
  v8::Local<v8::Value> stack;
  if (!exception.As<v8::Object>()->Get(context, V8String(isolate, "stack")).ToLocal(&stack) ||
      !stack->IsString()) {
    return {};
  }
  return Utf8(isolate, stack.As<v8::String>());
}

// The exception's one-line description: "TypeError: message" for errors, the value's
// inspected form otherwise. Script could throw from toString; that is swallowed here.
std::string Describe(v8::Local<v8::Context> context, v8::Local<v8::Value> exception) {
  v8::Isolate* isolate = context->GetIsolate();
  std::string stack = StackOf(context, exception);
  if (!stack.empty()) return stack.substr(0, stack.find("\n    at "));
  v8::TryCatch try_catch(isolate);
  if (exception->IsObject()) return Inspect(context, exception);
  v8::Local<v8::String> text;
  if (!exception->ToDetailString(context).ToLocal(&text)) return "<exception>";
  return Utf8(isolate, text);
}

// The "    at ..." lines of an error's stack, if it has one.
std::string StackFrames(v8::Local<v8::Context> context, v8::Local<v8::Value> exception) {
  std::string stack = StackOf(context, exception);
  std::size_t first_frame = stack.find("\n    at ");
  return first_frame == std::string::npos ? std::string() : stack.substr(first_frame + 1);
}

}  // namespace

Page::Page(PageUrl url, PageSettings settings, ConsoleSink console, DiagnosticSink diagnostics,
           std::shared_ptr<CookieJar> cookie_jar, std::unique_ptr<NetworkService> network_service)
    : url_(std::move(url)),
      settings_(std::move(settings)),
      console_(std::move(console)),
      diagnostics_(std::move(diagnostics)),
      cookie_jar_(cookie_jar ? std::move(cookie_jar) : std::make_shared<CookieJar>()),
      event_loop_(std::make_unique<EventLoop>()) {
  origin_ = settings_.origin_override.empty() ? url_.Origin() : settings_.origin_override;
  document_origin_ = Origin::Parse(origin_).value_or(Origin::Opaque());
  // Net log events from now on (and the document load's, which came first) are tasks.
  if (settings_.net_log_relay) settings_.net_log_relay->AttachTo(*event_loop_);
  if (settings_.embedder_net_log_relay) settings_.embedder_net_log_relay->AttachTo(*event_loop_);

  ScriptPlatform& platform = ScriptPlatform::Get();
  v8::Isolate::CreateParams params;
  params.array_buffer_allocator = platform.array_buffer_allocator();
  isolate_ = v8::Isolate::New(params);
  // HTML runs microtasks at its own checkpoints: after each task and each script.
  isolate_->SetMicrotasksPolicy(v8::MicrotasksPolicy::kExplicit);
  isolate_->SetPromiseRejectCallback(&Page::OnPromiseReject);
  isolate_->AddMessageListener(&Page::OnMessage);
  isolate_->SetCaptureStackTraceForUncaughtExceptions(true, 10);
  // The page's isolate stays entered on the main thread for the page's lifetime: one
  // isolate per thread, and every task may touch it.
  isolate_->Enter();

  v8::HandleScope handle_scope(isolate_);
  // HTML §7.2: the global object is a Window (WebIDL [Global]): the context is made from
  // Window's template and the Window implementation is bound to it.
  window_ = Window::Create(TimeOriginUnixMs());
  v8::Local<v8::Context> context = v8::Context::New(
      isolate_, nullptr, bindings::GlobalObjectTemplate(isolate_, Window::wrapper_type_info));
  context_.Reset(isolate_, context);
  v8::Context::Scope context_scope(context);
  AttachTo(context);
  bindings::BindGlobalObject(context, *window_);
  InstallGlobals();

  network_ = std::make_unique<PageNetwork>(
      *event_loop_, settings_, cookie_jar_,
      [this](const std::string& line) { PrintToConsole(bindings::ConsoleLevel::kError, line); },
      std::move(network_service));
  event_loop_->SetMicrotaskCheckpoint([this] { PerformMicrotaskCheckpoint(); });
  // V8's own tasks settle promises too (WebAssembly.compile, Atomics.waitAsync): like any
  // task, they are followed by a microtask checkpoint.
  event_loop_->SetBeforeWait([this] {
    if (ScriptPlatform::Get().PumpForegroundTasks(isolate_)) PerformMicrotaskCheckpoint();
  });
  // V8's foreground tasks, posted from its worker threads too, wake the loop: a task (the loop
  // pumps them before it waits, so an empty one does), or an unreferenced timer for a delayed
  // one (issue 18: an embedder's poll() on Page::PollFd() must wake for them).
  // The timer follows V8's clock: libuv's whole-millisecond clock can fire it just before V8
  // counts the task due, so a timer that fires early waits again for the rest.
  platform.SetForegroundWakeUp(isolate_, [loop = event_loop_.get()](double delay_seconds) {
    if (!(delay_seconds > 0)) {
      loop->PostTaskFromAnyThread([] {});
      return;
    }
    const double due =
        ScriptPlatform::Get().platform()->MonotonicallyIncreasingTime() + delay_seconds;
    loop->PostTaskFromAnyThread([loop, due] { WakeAtV8Time(*loop, due); });
  });
}

Page::~Page() {
  // No wake-up reaches the loop once it is gone.
  ScriptPlatform::Get().ClearForegroundWakeUp(isolate_);
  // DevTools sessions end (and the server's thread stops) before anything they could reach.
  inspector_.reset();
  // Spec §8: tearing down the page closes every connection, without events.
  network_.reset();
  if (settings_.net_log_relay) settings_.net_log_relay->Detach();
  if (settings_.embedder_net_log_relay) settings_.embedder_net_log_relay->Detach();
  timers_.reset();
  pending_rejections_.clear();
  outstanding_rejections_.clear();
  // Closing the loop drops every queued task, and with them any handles they hold.
  event_loop_.reset();
  context_.Reset();
  bindings::DisposeBindings(isolate_);
  // The global's wrapper let go of it in DisposeBindings; its listeners are cut from V8.
  window_.reset();
  isolate_->Exit();
  isolate_->Dispose();
}

void Page::SetInspector(std::unique_ptr<PageInspector> inspector) {
  inspector_ = std::move(inspector);
}

Page* Page::From(v8::Local<v8::Context> context) {
  return static_cast<Page*>(ScriptEnvironment::From(context));
}

void Page::InstallGlobals() {
  v8::Local<v8::Context> context = this->context();
  v8::Local<v8::Object> global = context->Global();
  auto define = [&](const char* name, v8::Local<v8::Value> value,
                    v8::PropertyAttribute attributes = v8::None) {
    global->DefineOwnProperty(context, V8String(isolate_, name), value, attributes).Check();
  };
  // `window` and `self` are Window's own attributes (idl/Window.idl).
  define("origin", V8String(isolate_, origin_), v8::ReadOnly);

  // location: a read-only snapshot of the page URL (no navigation in a shell).
  v8::Local<v8::Object> location = v8::Object::New(isolate_);
  auto set = [&](const char* name, const std::string& value) {
    location
        ->DefineOwnProperty(context, V8String(isolate_, name), V8String(isolate_, value),
                            static_cast<v8::PropertyAttribute>(v8::ReadOnly))
        .Check();
  };
  set("href", url_.href);
  set("origin", url_.Origin());
  set("protocol", url_.scheme + ":");
  set("host", url_.Host());
  set("hostname", url_.hostname);
  set("port", url_.port);
  set("pathname", url_.path);
  set("search", url_.query.empty() ? "" : "?" + url_.query);
  set("hash", url_.fragment.empty() ? "" : "#" + url_.fragment);
  v8::Local<v8::Function> to_string;
  if (v8::Function::New(
          context,
          [](const v8::FunctionCallbackInfo<v8::Value>& info) {
            info.GetReturnValue().Set(info.Data());
          },
          V8String(isolate_, url_.href), 0, v8::ConstructorBehavior::kThrow)
          .ToLocal(&to_string)) {
    location->DefineOwnProperty(context, V8String(isolate_, "toString"), to_string, v8::DontEnum)
        .Check();
  }
  define("location", location, v8::ReadOnly);

  bindings::InstallInterfaces(context, bindings::ExposedInterfaces());
  InstallConsole(context);
  timers_ = std::make_unique<Timers>(*this);
  timers_->Install(context);
}

bindings::ScriptOutcome Page::EvaluateScript(std::string_view source,
                                             const ScriptLocation& location) {
  v8::HandleScope handle_scope(isolate_);
  v8::Local<v8::Context> context = this->context();
  bindings::ScriptOutcome outcome = bindings::EnterScript(context, [&] {
    v8::ScriptOrigin origin(isolate_, V8String(isolate_, location.name), location.line_offset,
                            location.column_offset);
    v8::Local<v8::Script> script;
    return v8::Script::Compile(context, V8String(isolate_, source), &origin).ToLocal(&script) &&
           !script->Run(context).IsEmpty();
  });
  // HTML "clean up after running script": a microtask checkpoint after each script.
  PerformMicrotaskCheckpoint();
  return outcome;
}

void Page::PerformMicrotaskCheckpoint() {
  if (isolate_->IsExecutionTerminating()) return;
  isolate_->PerformMicrotaskCheckpoint();
  NotifyAboutRejectedPromises();
}

// HTML §8.1.5.4 "report an exception".
void Page::ReportException(v8::Local<v8::Context> context, v8::Local<v8::Value> exception,
                           v8::Local<v8::Message> message) {
  // 3. An exception thrown while an error event is dispatched is not reported again.
  if (!window_ || in_error_reporting_mode_ || isolate_->IsExecutionTerminating()) {
    PrintUncaughtException(context, exception, message);
    return;
  }
  // 1-2. The script's location: filename, line and (1-based) column.
  ErrorEventInit init;
  init.cancelable = true;
  init.message = "Uncaught " + Describe(context, exception);
  if (!message.IsEmpty()) {
    v8::Local<v8::Value> resource = message->GetScriptResourceName();
    if (resource->IsString()) init.filename = Utf8(isolate_, resource.As<v8::String>());
    init.lineno = static_cast<uint32_t>(message->GetLineNumber(context).FromMaybe(0));
    init.colno = static_cast<uint32_t>(message->GetStartColumn(context).FromMaybe(0) + 1);
  }
  init.error = bindings::ScriptValue(isolate_, exception);
  // 4-7. Fire a trusted, cancelable ErrorEvent named error at the global, in error reporting
  //      mode; 8. if it was not canceled, report the exception to the developer console.
  bindings::RefPtr<ErrorEvent> event = ErrorEvent::Create(*this, "error", std::move(init));
  in_error_reporting_mode_ = true;
  bool not_canceled = window_->FireEvent(*event);
  in_error_reporting_mode_ = false;
  if (not_canceled) PrintUncaughtException(context, exception, message);
}

void Page::PrintUncaughtException(v8::Local<v8::Context> context, v8::Local<v8::Value> exception,
                                  v8::Local<v8::Message> message) {
  ++uncaught_exception_count_;
  std::string where;
  if (!message.IsEmpty()) {
    v8::Local<v8::Value> resource = message->GetScriptResourceName();
    std::string name = resource->IsString() ? Utf8(isolate_, resource.As<v8::String>()) : "";
    int line = message->GetLineNumber(context).FromMaybe(0);
    int column = message->GetStartColumn(context).FromMaybe(0) + 1;
    where = (name.empty() ? "<unknown>" : name) + ":" + std::to_string(line) + ":" +
            std::to_string(column) + ": ";
  }
  if (inspector_) inspector_->ExceptionThrown(context, "Uncaught", exception, message);
  std::string report = where + "Uncaught " + Describe(context, exception);
  std::string frames = StackFrames(context, exception);
  if (!frames.empty()) report += "\n" + frames;
  if (diagnostics_) diagnostics_(report);
}

void Page::ReportLoadError(std::string_view text) {
  ++uncaught_exception_count_;
  if (diagnostics_) diagnostics_(text);
}

void Page::PrintToConsole(bindings::ConsoleLevel level, std::string_view line) {
  if (console_) console_(level, line);
}

namespace {

EventLoop::KeepsLoopAlive ToKeepsLoopAlive(bindings::ScriptEnvironment::KeepAlive keep_alive) {
  return keep_alive == bindings::ScriptEnvironment::KeepAlive::kKeepsPageAlive
             ? EventLoop::KeepsLoopAlive::kYes
             : EventLoop::KeepsLoopAlive::kNo;
}

}  // namespace

Page::PlatformTimerId Page::StartPlatformTimer(std::uint64_t delay_ms, KeepAlive keep_alive,
                                               std::function<void()> task) {
  EventLoop::TimerId id =
      event_loop_->StartTimer(delay_ms, EventLoop::Repeat::kOnce, [this, task = std::move(task)] {
        // Platform code may run script (listeners enter it themselves); anything V8 throws
        // outside them is reported like an uncaught exception.
        v8::HandleScope handle_scope(isolate_);
        bindings::EnterScript(context(), [&] {
          task();
          return true;
        });
      });
  event_loop_->SetTimerKeepsLoopAlive(id, ToKeepsLoopAlive(keep_alive));
  return id;
}

void Page::SetPlatformTimerKeepAlive(PlatformTimerId id, KeepAlive keep_alive) {
  event_loop_->SetTimerKeepsLoopAlive(id, ToKeepsLoopAlive(keep_alive));
}

void Page::CancelPlatformTimer(PlatformTimerId id) { event_loop_->CancelTimer(id); }

// HTML §8.1.5.7 the rejection tracker (HostPromiseRejectionTracker): promises rejected without
// a handler wait for the end of the microtask checkpoint; a handler added to one that was
// already notified about queues a `rejectionhandled` event.
void Page::OnPromiseReject(v8::PromiseRejectMessage message) {
  v8::Local<v8::Promise> promise = message.GetPromise();
  v8::Isolate* isolate = promise->GetIsolate();
  Page* page = From(isolate->GetCurrentContext());
  if (!page) return;
  switch (message.GetEvent()) {
    case v8::kPromiseRejectWithNoHandler:
      // "reject": append promise to the about-to-be-notified rejected promises list.
      page->pending_rejections_.push_back({v8::Global<v8::Promise>(isolate, promise),
                                           v8::Global<v8::Value>(isolate, message.GetValue())});
      break;
    case v8::kPromiseHandlerAddedAfterReject: {
      // "handle" 1: a promise not yet notified about is simply taken off the list.
      auto pending =
          std::find_if(page->pending_rejections_.begin(), page->pending_rejections_.end(),
                       [&](const RejectedPromise& rejected) {
                         return rejected.promise.Get(isolate) == promise;
                       });
      if (pending != page->pending_rejections_.end()) {
        page->pending_rejections_.erase(pending);
        break;
      }
      // 2-4. One in the outstanding set leaves it, and rejectionhandled is queued.
      std::erase_if(page->outstanding_rejections_, [](const v8::Global<v8::Promise>& outstanding) {
        return outstanding.IsEmpty();
      });
      auto outstanding =
          std::find_if(page->outstanding_rejections_.begin(), page->outstanding_rejections_.end(),
                       [&](const v8::Global<v8::Promise>& candidate) {
                         return candidate.Get(isolate) == promise;
                       });
      if (outstanding == page->outstanding_rejections_.end()) break;
      page->outstanding_rejections_.erase(outstanding);
      page->QueueRejectionHandled(promise);
      break;
    }
    case v8::kPromiseRejectAfterResolved:
    case v8::kPromiseResolveAfterResolved:
      break;
  }
}

// "handle" step 5: queue a global task to fire `rejectionhandled` at the global.
void Page::QueueRejectionHandled(v8::Local<v8::Promise> promise) {
  auto handle = std::make_shared<v8::Global<v8::Promise>>(isolate_, promise);
  event_loop_->PostTask([this, handle] {
    if (!window_) return;
    v8::HandleScope handle_scope(isolate_);
    v8::Local<v8::Context> context = this->context();
    v8::Context::Scope context_scope(context);
    v8::Local<v8::Promise> handled = handle->Get(isolate_);
    PromiseRejectionEventInit init;
    init.promise = bindings::ScriptValue(isolate_, handled);
    init.reason = bindings::ScriptValue(isolate_, handled->Result());
    window_->FireEvent(*PromiseRejectionEvent::Create(*this, "rejectionhandled", std::move(init)));
  });
}

// HTML §8.1.5.7 "notify about rejected promises", at the end of each microtask checkpoint.
// (HTML queues a task for it; firing at the checkpoint's end, followed by another checkpoint,
// keeps the reports where they were printed before there was an event.)
void Page::NotifyAboutRejectedPromises() {
  if (notifying_about_rejected_promises_) return;
  notifying_about_rejected_promises_ = true;
  while (!pending_rejections_.empty() && !isolate_->IsExecutionTerminating()) {
    v8::HandleScope handle_scope(isolate_);
    v8::Local<v8::Context> context = this->context();
    v8::Context::Scope context_scope(context);
    // 2-3. Take the list and clear it.
    std::vector<RejectedPromise> rejections = std::move(pending_rejections_);
    pending_rejections_.clear();
    for (RejectedPromise& rejected : rejections) {
      v8::Local<v8::Promise> promise = rejected.promise.Get(isolate_);
      v8::Local<v8::Value> reason = rejected.reason.Get(isolate_);
      // 1. A promise that has a handler by now is not reported.
      if (promise->HasHandler()) continue;
      // 2. Fire a cancelable unhandledrejection PromiseRejectionEvent at the global.
      bool not_canceled = true;
      if (window_) {
        PromiseRejectionEventInit init;
        init.cancelable = true;
        init.promise = bindings::ScriptValue(isolate_, promise);
        init.reason = bindings::ScriptValue(isolate_, reason);
        not_canceled = window_->FireEvent(
            *PromiseRejectionEvent::Create(*this, "unhandledrejection", std::move(init)));
      }
      // 3. If not canceled, report the reason to the developer console.
      if (not_canceled) PrintUnhandledRejection(context, reason);
      // 4. A promise still unhandled is remembered, for rejectionhandled.
      if (!promise->HasHandler()) {
        v8::Global<v8::Promise> outstanding(isolate_, promise);
        outstanding.SetWeak();
        outstanding_rejections_.push_back(std::move(outstanding));
      }
    }
    // What the listeners queued runs before the next notification.
    isolate_->PerformMicrotaskCheckpoint();
  }
  notifying_about_rejected_promises_ = false;
}

void Page::PrintUnhandledRejection(v8::Local<v8::Context> context, v8::Local<v8::Value> reason) {
  v8::Local<v8::Message> message = v8::Exception::CreateMessage(isolate_, reason);
  ++uncaught_exception_count_;
  std::string where;
  v8::Local<v8::Value> resource = message->GetScriptResourceName();
  if (resource->IsString()) {
    where = Utf8(isolate_, resource.As<v8::String>()) + ":" +
            std::to_string(message->GetLineNumber(context).FromMaybe(0)) + ":" +
            std::to_string(message->GetStartColumn(context).FromMaybe(0) + 1) + ": ";
  }
  if (inspector_) inspector_->ExceptionThrown(context, "Uncaught (in promise)", reason, message);
  std::string report = where + "Uncaught (in promise) " + Describe(context, reason);
  std::string frames = StackFrames(context, reason);
  if (!frames.empty()) report += "\n" + frames;
  if (diagnostics_) diagnostics_(report);
}

// Exceptions V8 reports without a TryCatch of ours on the stack (a safety net: every entry
// into JS goes through EnterScript, which catches).
void Page::OnMessage(v8::Local<v8::Message> message, v8::Local<v8::Value> exception) {
  v8::Isolate* isolate = message->GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  if (Page* page = From(context)) page->ReportException(context, exception, message);
}

}  // namespace switchboard
