#include "engine/timers.h"

#include <algorithm>
#include <memory>

#include "bindings/script_environment.h"
#include "engine/page.h"
#include "engine/v8_strings.h"

namespace switchboard {

namespace {

Timers* TimersFrom(const v8::FunctionCallbackInfo<v8::Value>& info) {
  return static_cast<Timers*>(info.Data().As<v8::External>()->Value());
}

struct QueuedMicrotask {
  Page* page;
  v8::Global<v8::Function> callback;
};

}  // namespace

Timers::~Timers() { CancelAll(); }

void Timers::CancelAll() {
  for (auto& [handle, timer] : timers_) page_.event_loop().CancelTimer(timer.loop_timer);
  timers_.clear();
}

void Timers::Install(v8::Local<v8::Context> context) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::Local<v8::External> self = v8::External::New(isolate, this);
  auto define = [&](const char* name, v8::FunctionCallback callback, int length) {
    v8::Local<v8::Function> function;
    if (!v8::Function::New(context, callback, self, length, v8::ConstructorBehavior::kThrow)
             .ToLocal(&function)) {
      return;
    }
    function->SetName(V8String(isolate, name));
    context->Global()->Set(context, V8String(isolate, name), function).Check();
  };
  define("setTimeout", &Timers::SetTimeout, 1);
  define("setInterval", &Timers::SetInterval, 1);
  define("clearTimeout", &Timers::ClearTimer, 0);
  define("clearInterval", &Timers::ClearTimer, 0);
  define("queueMicrotask", &Timers::QueueMicrotask, 1);
}

void Timers::SetTimeout(const v8::FunctionCallbackInfo<v8::Value>& info) {
  TimersFrom(info)->Start(info, EventLoop::Repeat::kOnce);
}

void Timers::SetInterval(const v8::FunctionCallbackInfo<v8::Value>& info) {
  TimersFrom(info)->Start(info, EventLoop::Repeat::kRepeating);
}

// HTML "timer initialization steps".
void Timers::Start(const v8::FunctionCallbackInfo<v8::Value>& info, EventLoop::Repeat repeat) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  // WebIDL: (Function or TrustedScript/DOMString) handler, optional long timeout = 0.
  v8::Local<v8::Value> handler =
      info.Length() > 0 ? info[0] : v8::Undefined(isolate).As<v8::Value>();
  if (!handler->IsFunction()) {
    v8::Local<v8::String> text;
    if (!handler->ToString(context).ToLocal(&text)) return;  // exception propagates
    handler = text;
  }
  int32_t timeout = 0;
  if (info.Length() > 1 && !info[1]->Int32Value(context).To(&timeout)) return;
  // Steps 4-5 and 10: negative timeouts are 0; beyond nesting level 5, at least 4 ms.
  timeout = std::max(timeout, 0);
  int nesting_level = current_nesting_level_ + 1;
  if (nesting_level > 5 && timeout < 4) timeout = 4;

  Timer timer;
  timer.handler.Reset(isolate, handler);
  for (int i = 2; i < info.Length(); ++i) timer.arguments.emplace_back(isolate, info[i]);
  timer.repeat = repeat;
  timer.nesting_level = nesting_level;
  Handle handle = next_handle_++;
  timer.loop_timer = page_.event_loop().StartTimer(static_cast<std::uint64_t>(timeout), repeat,
                                                   [this, handle] { Fire(handle); });
  timers_.emplace(handle, std::move(timer));
  info.GetReturnValue().Set(handle);
}

// HTML "timer initialization steps", the task part (step 8).
void Timers::Fire(Handle handle) {
  auto found = timers_.find(handle);
  if (found == timers_.end()) return;
  v8::Isolate* isolate = page_.isolate();
  v8::HandleScope handle_scope(isolate);
  v8::Local<v8::Context> context = page_.context();
  current_nesting_level_ = found->second.nesting_level;
  bindings::EnterScript(context, [&] {
    // Take what the call needs first: the callback may clear its own timer.
    Timer& timer = found->second;
    v8::Local<v8::Value> handler = timer.handler.Get(isolate);
    std::vector<v8::Local<v8::Value>> arguments;
    for (auto& argument : timer.arguments) arguments.push_back(argument.Get(isolate));
    if (timer.repeat == EventLoop::Repeat::kOnce) timers_.erase(found);
    if (handler->IsFunction()) {
      return !handler.As<v8::Function>()
                  ->Call(context, context->Global(), static_cast<int>(arguments.size()),
                         arguments.data())
                  .IsEmpty();
    }
    v8::ScriptOrigin origin(isolate, V8String(isolate, page_.url().DisplayName()));
    v8::Local<v8::Script> script;
    return v8::Script::Compile(context, handler.As<v8::String>(), &origin).ToLocal(&script) &&
           !script->Run(context).IsEmpty();
  });
  current_nesting_level_ = 0;
}

void Timers::ClearTimer(const v8::FunctionCallbackInfo<v8::Value>& info) {
  Timers* self = TimersFrom(info);
  if (info.Length() == 0) return;
  v8::Local<v8::Context> context = info.GetIsolate()->GetCurrentContext();
  int32_t handle = 0;
  if (!info[0]->Int32Value(context).To(&handle) || handle <= 0) return;
  auto found = self->timers_.find(handle);
  if (found == self->timers_.end()) return;
  self->page_.event_loop().CancelTimer(found->second.loop_timer);
  self->timers_.erase(found);
}

void Timers::QueueMicrotask(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  if (info.Length() == 0 || !info[0]->IsFunction()) {
    isolate->ThrowException(v8::Exception::TypeError(V8String(
        isolate, "Failed to execute 'queueMicrotask': parameter 1 is not of type 'Function'.")));
    return;
  }
  auto* microtask = new QueuedMicrotask{
      &TimersFrom(info)->page_, v8::Global<v8::Function>(isolate, info[0].As<v8::Function>())};
  // A C++ microtask so that the callback is entered through EnterScript and its exception
  // is reported like any other uncaught exception.
  isolate->EnqueueMicrotask(
      [](void* data) {
        std::unique_ptr<QueuedMicrotask> task(static_cast<QueuedMicrotask*>(data));
        v8::Isolate* task_isolate = task->page->isolate();
        v8::HandleScope handle_scope(task_isolate);
        v8::Local<v8::Context> context = task->page->context();
        bindings::EnterScript(context, [&] {
          v8::Local<v8::Function> callback = task->callback.Get(task_isolate);
          return !callback->Call(context, v8::Undefined(task_isolate), 0, nullptr).IsEmpty();
        });
      },
      microtask);
}

}  // namespace switchboard
