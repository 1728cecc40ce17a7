// The embedding API's Page (engine/include/switchboard/page.h) over the engine's Page.
#include "switchboard/page.h"

#include <unistd.h>

#include <atomic>
#include <cassert>
#include <chrono>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <map>
#include <system_error>
#include <utility>

#include <uv.h>

#include "base/ascii.h"
#include "engine/console.h"
#include "engine/embedding/network_hooks.h"
#include "engine/embedding/thread_check.h"
#include "engine/embedding/values.h"
#include "engine/inspector/network_domain.h"
#include "engine/inspector/page_inspector.h"
#include "engine/page.h"
#include "engine/page_loader.h"
#include "engine/resource_loader.h"
#include "engine/v8_strings.h"
#include "net/cookie_jar.h"

namespace switchboard::embed {

namespace {

ConsoleLevel ToEmbedLevel(bindings::ConsoleLevel level) {
  switch (level) {
    case bindings::ConsoleLevel::kLog:
      return ConsoleLevel::kLog;
    case bindings::ConsoleLevel::kInfo:
      return ConsoleLevel::kInfo;
    case bindings::ConsoleLevel::kWarn:
      return ConsoleLevel::kWarn;
    case bindings::ConsoleLevel::kError:
      return ConsoleLevel::kError;
    case bindings::ConsoleLevel::kDebug:
      return ConsoleLevel::kDebug;
  }
  return ConsoleLevel::kLog;
}

void WriteLine(FILE* stream, std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), stream);
  std::fputc('\n', stream);
  std::fflush(stream);
}

PageSettings ToSettings(const PageOptions& options) {
  PageSettings settings;
  settings.origin_override = options.origin;
  settings.proxy = options.proxy;
  settings.ca_file = options.ca_file;
  settings.dns_servers = options.dns_servers;
  settings.net_log = options.net_log;
  settings.limits.max_connections = options.max_connections;
  settings.limits.handshake_timeout = options.handshake_timeout;
  settings.limits.max_response_header_bytes = options.max_response_header_bytes;
  settings.limits.max_frame_bytes = options.max_frame_bytes;
  settings.limits.receive_window_bytes = options.receive_window_bytes;
  settings.limits.disconnect_timeout = options.disconnect_timeout;
  settings.limits.max_resource_bytes = options.max_resource_bytes;
  settings.limits.load_timeout = options.load_timeout;
  return settings;
}

// A file path, a file: URL or an http(s): URL; empty is the working directory.
PageUrl ParsePageUrl(std::string_view input) {
  Result<PageUrl> url = [&] {
    if (input.empty()) {
      std::error_code error;
      std::string directory = std::filesystem::current_path(error).string();
      return PageUrl::FromFilePath(error ? std::string("/") : directory + "/");
    }
    // A URL's scheme (URL Standard §4.4 scheme start state: ASCII letters in any case) before
    // the first ':', or else a path.
    const std::string_view scheme = input.substr(0, input.find(':'));
    if (scheme.size() < input.size() &&
        (EqualsIgnoringAsciiCase(scheme, "http") || EqualsIgnoringAsciiCase(scheme, "https") ||
         EqualsIgnoringAsciiCase(scheme, "file"))) {
      return PageUrl::Parse(input);
    }
    return PageUrl::FromFilePath(input);
  }();
  if (!url.ok()) throw Error(url.error().message);
  return url.value();
}

// How Node's REPL names an exception: the first line of an error's stack ("TypeError: x"),
// util.inspect of anything else ("42", "'text'").
std::string DescribeException(v8::Local<v8::Context> context, v8::Local<v8::Value> exception) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::TryCatch try_catch(isolate);
  if (exception->IsObject()) {
    v8::Local<v8::Value> stack;
    if (exception.As<v8::Object>()->Get(context, V8String(isolate, "stack")).ToLocal(&stack) &&
        stack->IsString()) {
      std::string text = Utf8(isolate, stack.As<v8::String>());
      std::size_t frames = text.find("\n    at ");
      if (frames != std::string::npos) text.resize(frames);
      return text;
    }
  }
  return Inspect(context, exception);
}

// Compile errors that mean "the input stops too early", like Node's REPL's recoverable
// errors: an open brace, bracket or parenthesis, an unterminated template literal.
bool IsIncompleteInput(std::string_view message) {
  return message.find("Unexpected end of input") != std::string_view::npos ||
         message.find("Unterminated template literal") != std::string_view::npos;
}

}  // namespace

struct Page::Impl {
  // A descriptor watched with WatchReadable. Its uv_poll_t stops while its task is queued,
  // so that one readiness makes one task.
  struct Watch {
    Impl* impl;
    int id;
    std::function<void()> on_readable;
    uv_poll_t handle;
  };

  // RunFor's deadline: an unreferenced timer, so that an idle page still returns kIdle.
  struct Deadline {
    switchboard::EventLoop* event_loop;
    bool fired = false;
    uv_timer_t handle;
  };

  ~Impl() {
    // Values (issue 18): every Handle's script value goes before the isolate does.
    if (link) link->Close();
    for (auto& [id, watch] : watches) CloseWatch(watch);
    watches.clear();
    // The engine's page closes its loop, which runs the close callbacks above.
    page.reset();
    SaveCookieJar();
  }

  static void OnReadable(uv_poll_t* handle, int, int) {
    auto* watch = static_cast<Watch*>(handle->data);
    uv_poll_stop(handle);
    Impl* impl = watch->impl;
    int id = watch->id;
    impl->page->event_loop().PostTask([impl, id] {
      auto found = impl->watches.find(id);
      if (found == impl->watches.end()) return;
      std::function<void()> on_readable = found->second->on_readable;
      on_readable();
      // The callback may have unwatched (or replaced) the descriptor.
      found = impl->watches.find(id);
      if (found != impl->watches.end()) {
        uv_poll_start(&found->second->handle, UV_READABLE, &Impl::OnReadable);
      }
    });
    // Make the loop's current wait return so the task runs now (as EventLoop::OnTimer does).
    uv_stop(handle->loop);
  }

  static void CloseWatch(Watch* watch) {
    uv_close(reinterpret_cast<uv_handle_t*>(&watch->handle),
             [](uv_handle_t* handle) { delete static_cast<Watch*>(handle->data); });
  }

  // A function given to DefineFunction, and the page whose Handles its arguments become.
  struct DefinedFunction {
    Function function;
    std::shared_ptr<values::PageLink> link;
  };

  static void CallFunction(const v8::FunctionCallbackInfo<v8::Value>& info) {
    auto* defined = static_cast<DefinedFunction*>(info.Data().As<v8::External>()->Value());
    v8::Isolate* isolate = info.GetIsolate();
    v8::Local<v8::Context> context = isolate->GetCurrentContext();
    try {
      std::vector<Value> arguments;
      arguments.reserve(static_cast<std::size_t>(info.Length()));
      for (int i = 0; i < info.Length(); ++i) {
        arguments.push_back(values::ToValue(defined->link, context, info[i]));
      }
      Value result = defined->function(arguments);
      info.GetReturnValue().Set(values::ToV8(*defined->link, context, result));
    } catch (const std::exception& error) {
      // A script termination inside the function (ScriptError from a Handle call) goes on.
      if (!isolate->IsExecutionTerminating()) {
        isolate->ThrowException(v8::Exception::Error(V8String(isolate, error.what())));
      }
    }
  }

  // Without a handler: console.error/warn/trace/assert and the engine's own lines (spec §7's
  // failure lines) go to standard error, the rest to standard output, as in Node, d8 and
  // content_shell. Each stream is flushed after every line, so that both keep the order they
  // were written in when they go to the same file.
  void PrintConsole(bindings::ConsoleLevel level, std::string_view line) {
    if (console) {
      console(ToEmbedLevel(level), line);
    } else if (level == bindings::ConsoleLevel::kError || level == bindings::ConsoleLevel::kWarn) {
      std::fflush(stdout);
      WriteLine(stderr, line);
    } else {
      WriteLine(stdout, line);
    }
  }

  void PrintError(std::string_view report) {
    if (errors) {
      errors(report);
    } else {
      std::fflush(stdout);
      WriteLine(stderr, report);
    }
  }

  void LoadCookieJar() {
    if (cookie_jar_file.empty() || !std::filesystem::exists(cookie_jar_file)) return;
    Result<std::size_t> loaded =
        cookie_jar->LoadNetscapeFile(cookie_jar_file, std::chrono::system_clock::now());
    if (!loaded.ok()) throw Error(loaded.error().message);
  }

  void SaveCookieJar() {
    if (cookie_jar_file.empty()) return;
    Result<Ok> saved =
        cookie_jar->SaveNetscapeFile(cookie_jar_file, std::chrono::system_clock::now());
    if (!saved.ok()) PrintError(saved.error().message);
  }

  // The page's settings; with `inspect`, the net log also feeds DevTools' Network domain
  // (the same relay for the document's load, made before the page, and for the page).
  PageSettings SettingsFor(const PageOptions& options) {
    PageSettings settings = ToSettings(options);
    if (options.inspect) {
      if (!network_domain) network_domain = std::make_shared<inspector::NetworkDomain>();
      settings.net_log_relay = network_domain->relay();
    }
    // Network hooks (issue 18): policy, connection events, net log callback.
    ApplyNetworkHooks(options, settings, net_log_hook_relay,
                      [this](std::string_view report) { PrintError(report); });
    return settings;
  }

  void MakePage(PageUrl url, const PageOptions& options,
                std::unique_ptr<NetworkService> network_service = nullptr) {
    page = std::make_unique<switchboard::Page>(
        std::move(url), SettingsFor(options),
        [this](bindings::ConsoleLevel level, std::string_view line) { PrintConsole(level, line); },
        [this](std::string_view report) { PrintError(report); }, cookie_jar,
        std::move(network_service));
    link = std::make_shared<values::PageLink>(*page);
    if (options.inspect) StartInspector(*options.inspect);
  }

  void StartInspector(const PageOptions::Inspect& inspect) {
    InspectorSettings settings;
    settings.host = inspect.host;
    settings.port = inspect.port;
    switch (inspect.start) {
      case PageOptions::Inspect::Start::kNoWait:
        settings.start = InspectorSettings::Start::kNoWait;
        break;
      case PageOptions::Inspect::Start::kWait:
        settings.start = InspectorSettings::Start::kWait;
        break;
      case PageOptions::Inspect::Start::kBreak:
        settings.start = InspectorSettings::Start::kBreak;
        break;
    }
    Result<std::unique_ptr<PageInspector>> inspector = PageInspector::Create(*page, settings);
    if (!inspector.ok()) throw Error(inspector.error().message);
    inspector_url = inspector.value()->WebSocketUrl();
    page->SetInspector(std::move(inspector.value()));
    network_domain->Attach(*page);
  }

  ConsoleHandler console;
  ErrorHandler errors;
  std::string cookie_jar_file;
  std::shared_ptr<CookieJar> cookie_jar = std::make_shared<CookieJar>();
  // Functions given to DefineFunction; script holds pointers to them (v8::External).
  std::deque<DefinedFunction> functions;
  std::map<int, Watch*> watches;
  int next_watch_id = 1;
  std::atomic<bool> script_termination_requested = false;
  std::string inspector_url;
  std::shared_ptr<inspector::NetworkDomain> network_domain;  // with `inspect`
  std::shared_ptr<NetLogRelay> net_log_hook_relay;  // network hooks: with `net_log_handler`
  // Values (issue 18): what the page's Handles and promise resolvers check and release.
  std::shared_ptr<values::PageLink> link;
  // Last: destroyed first, while everything its callbacks use is still alive.
  std::unique_ptr<switchboard::Page> page;
};

// Threading rules (issue 18, switchboard/page.h): in debug builds, a page-thread call made
// from another thread aborts, naming the call.
#define SWITCHBOARD_ON_PAGE_THREAD(call) \
  CheckThread(impl_->page->event_loop().main_thread(), "Page::" call, "page's thread")

Page::Page(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Page::~Page() {
  if (impl_) SWITCHBOARD_ON_PAGE_THREAD("~Page");
}

namespace {

// What Create and Load share before the page exists: its handlers and its cookie jar.
std::unique_ptr<Page::Impl> NewImpl(PageOptions& options, const char* call) {
  RequireEngineThread(call);
  auto impl = std::make_unique<Page::Impl>();
  impl->console = std::move(options.console);
  impl->errors = std::move(options.errors);
  impl->cookie_jar_file = options.cookie_jar;
  impl->LoadCookieJar();
  return impl;
}

}  // namespace

std::unique_ptr<Page> Page::Create(PageOptions options) {
  PageUrl url = ParsePageUrl(options.url);
  std::unique_ptr<Impl> impl = NewImpl(options, "Page::Create");
  impl->MakePage(std::move(url), options);
  // --inspect-wait / --inspect-brk: as for a loaded document, the page's first task waits for
  // a debugger (Evaluate waits too, if it comes first).
  if (PageInspector* inspector = impl->page->inspector()) {
    impl->page->event_loop().PostTask([inspector] { inspector->WaitForDebuggerIfAsked(); });
  }
  return std::unique_ptr<Page>(new Page(std::move(impl)));
}

std::unique_ptr<Page> Page::Load(PageOptions options) {
  PageUrl url = ParsePageUrl(options.url);
  std::unique_ptr<Impl> impl = NewImpl(options, "Page::Load");
  // The page's URL is the document's after redirects, so the fetch comes first — through the
  // network service the page then goes on using (one net log, one connection cache).
  // (A file: page starts its network service with its first connection, if any.)
  PageSettings settings = impl->SettingsFor(options);
  std::unique_ptr<NetworkService> network_service;
  if (!url.IsFile())
    network_service = std::make_unique<NetworkService>(NetworkSettingsFor(settings));
  Result<Resource> document =
      url.IsFile() ? LoadFile(url, settings.limits.max_resource_bytes)
                   : LoadResourceBlocking(*network_service, url, settings, impl->cookie_jar);
  if (!document.ok()) throw Error(document.error().message);
  impl->MakePage(document.value().url, options, std::move(network_service));
  // The scripts run as the page's first task, so that a watchdog started after Load (the
  // shell's --timeout) can stop a script that never ends.
  switchboard::Page* page = impl->page.get();
  page->event_loop().PostTask([page, loaded = std::move(document.value())] {
    // --inspect-wait / --inspect-brk: no script runs before a debugger says so (and none at
    // all if the page is terminated while it waits).
    PageInspector* inspector = page->inspector();
    if (inspector && !inspector->WaitForDebuggerIfAsked()) return;
    RunDocument(*page, loaded);
  });
  return std::unique_ptr<Page>(new Page(std::move(impl)));
}

std::unique_ptr<Page> Page::LoadScript(PageOptions options, std::string source, std::string name) {
  PageUrl url = ParsePageUrl(options.url);
  std::unique_ptr<Impl> impl = NewImpl(options, "Page::LoadScript");
  impl->MakePage(std::move(url), options);
  // As Load does: the first task, after a debugger said to run if one was asked for.
  switchboard::Page* page = impl->page.get();
  page->event_loop().PostTask([page, source = std::move(source), name = std::move(name)] {
    PageInspector* inspector = page->inspector();
    if (inspector && !inspector->WaitForDebuggerIfAsked()) return;
    page->EvaluateScript(source, {name, 0, 0});
  });
  return std::unique_ptr<Page>(new Page(std::move(impl)));
}

EvaluateResult Page::Evaluate(std::string_view source, std::string_view name) {
  SWITCHBOARD_ON_PAGE_THREAD("Evaluate");
  switchboard::Page& page = *impl_->page;
  v8::Isolate* isolate = page.isolate();
  EvaluateResult result;
  if (page.terminated()) {
    result.status = EvaluateResult::Status::kTerminated;
    return result;
  }
  // --inspect-wait / --inspect-brk on a page made by Create: no script before the debugger.
  if (PageInspector* inspector = page.inspector();
      inspector && !inspector->WaitForDebuggerIfAsked()) {
    result.status = EvaluateResult::Status::kTerminated;
    return result;
  }
  {
    // Like bindings::EnterScript, except that the exception goes to the caller instead of
    // the error handler.
    v8::HandleScope handle_scope(isolate);
    v8::Local<v8::Context> context = page.context();
    v8::Context::Scope context_scope(context);
    v8::TryCatch try_catch(isolate);
    v8::ScriptOrigin origin(isolate, V8String(isolate, name));
    v8::Local<v8::Script> script;
    v8::Local<v8::Value> completion;
    bool compiled =
        v8::Script::Compile(context, V8String(isolate, source), &origin).ToLocal(&script);
    result.compiled = compiled;
    if (compiled && script->Run(context).ToLocal(&completion)) {
      result.value = values::ToValue(impl_->link, context, completion);
      result.inspected = Inspect(context, completion);
    } else if (try_catch.HasTerminated() || isolate->IsExecutionTerminating()) {
      result.status = EvaluateResult::Status::kTerminated;
    } else if (try_catch.HasCaught()) {
      v8::Local<v8::Value> exception = try_catch.Exception();
      result.status = EvaluateResult::Status::kThrew;
      result.value = values::ToValue(impl_->link, context, exception);
      result.inspected = "Uncaught " + DescribeException(context, exception);
      if (!compiled && !try_catch.Message().IsEmpty() &&
          IsIncompleteInput(Utf8(isolate, try_catch.Message()->Get()))) {
        result.status = EvaluateResult::Status::kIncompleteInput;
      }
    } else {
      result.status = EvaluateResult::Status::kTerminated;
    }
  }
  // HTML "clean up after running script".
  page.PerformMicrotaskCheckpoint();
  // A TerminateScript() that came after the script ended must not end the next one.
  if (impl_->script_termination_requested.exchange(false)) isolate->CancelTerminateExecution();
  return result;
}

void Page::DefineFunction(std::string_view name, Function function) {
  SWITCHBOARD_ON_PAGE_THREAD("DefineFunction");
  switchboard::Page& page = *impl_->page;
  v8::Isolate* isolate = page.isolate();
  v8::HandleScope handle_scope(isolate);
  v8::Local<v8::Context> context = page.context();
  v8::Context::Scope context_scope(context);
  Impl::DefinedFunction& stored =
      impl_->functions.emplace_back(Impl::DefinedFunction{std::move(function), impl_->link});
  v8::Local<v8::Function> wrapper;
  if (!v8::Function::New(context, &Impl::CallFunction, v8::External::New(isolate, &stored), 0,
                         v8::ConstructorBehavior::kThrow)
           .ToLocal(&wrapper)) {
    return;
  }
  v8::Local<v8::String> key = V8String(isolate, name);
  wrapper->SetName(key);
  context->Global()->Set(context, key, wrapper).Check();
}

void Page::DefineValue(std::string_view name, const Value& value) {
  SWITCHBOARD_ON_PAGE_THREAD("DefineValue");
  switchboard::Page& page = *impl_->page;
  v8::Isolate* isolate = page.isolate();
  v8::HandleScope handle_scope(isolate);
  v8::Local<v8::Context> context = page.context();
  v8::Context::Scope context_scope(context);
  v8::Local<v8::Value> converted = values::ToV8(*impl_->link, context, value);
  context->Global()->Set(context, V8String(isolate, name), converted).Check();
}

void Page::SetConsoleHandler(ConsoleHandler handler) {
  SWITCHBOARD_ON_PAGE_THREAD("SetConsoleHandler");
  impl_->console = std::move(handler);
}
void Page::SetErrorHandler(ErrorHandler handler) {
  SWITCHBOARD_ON_PAGE_THREAD("SetErrorHandler");
  impl_->errors = std::move(handler);
}

RunResult Page::RunUntilIdle() {
  SWITCHBOARD_ON_PAGE_THREAD("RunUntilIdle");
  return impl_->page->event_loop().Run() == EventLoop::RunResult::kIdle ? RunResult::kIdle
                                                                        : RunResult::kStopped;
}

RunResult Page::RunFor(std::chrono::milliseconds timeout) {
  SWITCHBOARD_ON_PAGE_THREAD("RunFor");
  EventLoop& event_loop = impl_->page->event_loop();
  auto* deadline = new Impl::Deadline{&event_loop, false, {}};
  deadline->handle.data = deadline;
  uv_timer_init(event_loop.uv_loop(), &deadline->handle);
  uv_timer_start(
      &deadline->handle,
      [](uv_timer_t* handle) {
        auto* fired = static_cast<Impl::Deadline*>(handle->data);
        fired->fired = true;
        fired->event_loop->Stop();
        uv_stop(handle->loop);
      },
      static_cast<std::uint64_t>(std::max<std::int64_t>(timeout.count(), 0)), 0);
  uv_unref(reinterpret_cast<uv_handle_t*>(&deadline->handle));
  EventLoop::RunResult outcome = event_loop.Run();
  bool timed_out = deadline->fired;
  uv_close(reinterpret_cast<uv_handle_t*>(&deadline->handle),
           [](uv_handle_t* handle) { delete static_cast<Impl::Deadline*>(handle->data); });
  if (outcome == EventLoop::RunResult::kIdle) return RunResult::kIdle;
  return timed_out ? RunResult::kTimedOut : RunResult::kStopped;
}

bool Page::RunOnce() {
  SWITCHBOARD_ON_PAGE_THREAD("RunOnce");
  impl_->page->event_loop().RunUntilNoReadyTasks();
  return HasPendingWork();
}

bool Page::HasPendingWork() const {
  SWITCHBOARD_ON_PAGE_THREAD("HasPendingWork");
  return impl_->page->event_loop().HasPendingWork();
}

void Page::Stop() {
  SWITCHBOARD_ON_PAGE_THREAD("Stop");
  impl_->page->event_loop().Stop();
}

void Page::PostTask(std::function<void()> task) {
  impl_->page->event_loop().PostTaskFromAnyThread(std::move(task));
}

void Page::Terminate() {
  switchboard::Page& page = *impl_->page;
  page.MarkTerminated();  // no script at all from now on (bindings::EnterScript)
  page.isolate()->TerminateExecution();
  // A page paused in the debugger, or waiting for one, blocks on the inspector's queue.
  if (PageInspector* inspector = page.inspector()) inspector->Interrupt();
  page.event_loop().PostTaskFromAnyThread([&page] { page.event_loop().Stop(); });
}

void Page::TerminateScript() {
  impl_->script_termination_requested = true;
  impl_->page->isolate()->TerminateExecution();
}

int Page::WatchReadable(int fd, std::function<void()> on_readable) {
  SWITCHBOARD_ON_PAGE_THREAD("WatchReadable");
  int id = impl_->next_watch_id++;
  auto* watch = new Impl::Watch{impl_.get(), id, std::move(on_readable), {}};
  watch->handle.data = watch;
  if (uv_poll_init(impl_->page->event_loop().uv_loop(), &watch->handle, fd) != 0) {
    delete watch;
    throw Error("cannot watch file descriptor " + std::to_string(fd));
  }
  uv_poll_start(&watch->handle, UV_READABLE, &Impl::OnReadable);
  impl_->watches.emplace(id, watch);
  return id;
}

void Page::Unwatch(int watch_id) {
  SWITCHBOARD_ON_PAGE_THREAD("Unwatch");
  auto found = impl_->watches.find(watch_id);
  if (found == impl_->watches.end()) return;
  Impl::CloseWatch(found->second);
  impl_->watches.erase(found);
}

// --- Values (issue 18): Call, NewObject, global, NewPromise (switchboard/value.h) ----------

EvaluateResult Page::Call(const Value& function, std::span<const Value> arguments,
                          const Value& receiver) {
  switchboard::Page& page = *impl_->page;
  v8::Isolate* isolate = page.isolate();
  impl_->link->CheckUsable("Page::Call");
  const Handle* handle = std::get_if<Handle>(&function);
  if (!handle) throw Error("Page::Call: the function is not a Handle");
  EvaluateResult result;
  if (page.terminated()) {
    result.status = EvaluateResult::Status::kTerminated;
    return result;
  }
  // Script below this call (a DefineFunction callback calling back) owns the checkpoint.
  const bool nested = isolate->InContext();
  {
    v8::HandleScope handle_scope(isolate);
    v8::Local<v8::Context> context = page.context();
    v8::Context::Scope context_scope(context);
    v8::Local<v8::Value> callee = values::Unwrap(*impl_->link, *handle, "Page::Call");
    if (!callee->IsFunction()) throw Error("Page::Call: the Handle is not a function");
    std::vector<v8::Local<v8::Value>> argv;
    argv.reserve(arguments.size());
    for (const Value& argument : arguments) {
      argv.push_back(values::ToV8(*impl_->link, context, argument));
    }
    v8::Local<v8::Value> this_value = values::ToV8(*impl_->link, context, receiver);
    v8::TryCatch try_catch(isolate);
    v8::Local<v8::Value> returned;
    if (callee.As<v8::Function>()
            ->Call(context, this_value, static_cast<int>(argv.size()), argv.data())
            .ToLocal(&returned)) {
      result.value = values::ToValue(impl_->link, context, returned);
      result.inspected = Inspect(context, returned);
    } else if (try_catch.HasTerminated() || isolate->IsExecutionTerminating() ||
               !try_catch.HasCaught()) {
      result.status = EvaluateResult::Status::kTerminated;
    } else {
      v8::Local<v8::Value> exception = try_catch.Exception();
      result.status = EvaluateResult::Status::kThrew;
      result.value = values::ToValue(impl_->link, context, exception);
      result.inspected = "Uncaught " + DescribeException(context, exception);
    }
  }
  if (!nested) {
    page.PerformMicrotaskCheckpoint();
    if (impl_->script_termination_requested.exchange(false)) isolate->CancelTerminateExecution();
  }
  return result;
}

Handle Page::NewObject(const Value& containers) {
  impl_->link->CheckUsable("Page::NewObject");
  if (!std::holds_alternative<Array>(containers) &&
      !std::holds_alternative<Dictionary>(containers)) {
    throw Error("Page::NewObject: give it an Array or a Dictionary");
  }
  v8::HandleScope handle_scope(impl_->page->isolate());
  v8::Local<v8::Context> context = impl_->page->context();
  v8::Context::Scope context_scope(context);
  return values::MakeHandle(impl_->link, values::ToV8(*impl_->link, context, containers));
}

Handle Page::global() {
  impl_->link->CheckUsable("Page::global");
  v8::HandleScope handle_scope(impl_->page->isolate());
  v8::Local<v8::Context> context = impl_->page->context();
  return values::MakeHandle(impl_->link, context->Global());
}

PromiseResolver Page::NewPromise() { return values::NewPromise(impl_->link); }

// --- end of Values -------------------------------------------------------------------------

const std::string& Page::url() const { return impl_->page->url().href; }

std::string Page::inspector_url() const { return impl_->inspector_url; }

bool Page::WaitForDebuggerToDisconnect(const std::function<void()>& before_waiting) {
  SWITCHBOARD_ON_PAGE_THREAD("WaitForDebuggerToDisconnect");
  PageInspector* inspector = impl_->page->inspector();
  if (!inspector || !inspector->HasSessions()) return false;
  if (before_waiting) before_waiting();
  inspector->WaitForSessionsToClose();
  return true;
}
const std::string& Page::origin() const { return impl_->page->origin(); }
int Page::uncaught_exception_count() const {
  SWITCHBOARD_ON_PAGE_THREAD("uncaught_exception_count");
  return impl_->page->uncaught_exception_count();
}
v8::Isolate* Page::isolate() const { return impl_->page->isolate(); }
v8::Local<v8::Context> Page::context() const {
  SWITCHBOARD_ON_PAGE_THREAD("context");
  return impl_->page->context();
}

// --- Event-loop integration (issue 18) ---------------------------------------------------
int Page::PollFd() const { return impl_->page->event_loop().BackendFd(); }

std::optional<std::chrono::milliseconds> Page::PollTimeout() {
  SWITCHBOARD_ON_PAGE_THREAD("PollTimeout");
  std::optional<std::uint64_t> timeout = impl_->page->event_loop().TimeoutForExternalWait();
  if (!timeout) return std::nullopt;
  return std::chrono::milliseconds(*timeout);
}
// --- end of event-loop integration ---

}  // namespace switchboard::embed
