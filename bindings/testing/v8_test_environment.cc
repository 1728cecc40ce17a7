#include "bindings/testing/v8_test_environment.h"

#include <libplatform/libplatform.h>

#include <algorithm>
#include <memory>
#include <span>

#include "bindings/install.h"
#include "bindings/interface_template_builder.h"
#include "bindings/script_wrappable.h"
#include "bindings/string_conversions.h"
#include "engine/exposed_interfaces.h"

namespace switchboard::bindings {
// Generated from idl/tests/*.idl.
std::span<const WrapperTypeInfo* const> TestExposedInterfaces();
}  // namespace switchboard::bindings

namespace switchboard::bindings::testing {

namespace {

void InitializeV8Once() {
  static std::unique_ptr<v8::Platform> platform = [] {
    v8::V8::SetFlagsFromString("--expose-gc");
    std::unique_ptr<v8::Platform> created = v8::platform::NewDefaultPlatform();
    v8::V8::InitializePlatform(created.get());
    v8::V8::Initialize();
    return created;
  }();
}

std::string ToStdString(v8::Isolate* isolate, v8::Local<v8::Value> value) {
  v8::Local<v8::String> string;
  if (!value->ToString(isolate->GetCurrentContext()).ToLocal(&string)) return "<unprintable>";
  return FromV8String(isolate, string, StringConversion::kDOMString);
}

void Log(const v8::FunctionCallbackInfo<v8::Value>& info) {
  std::string line;
  for (int index = 0; index < info.Length(); ++index) {
    if (index) line += ' ';
    line += ToStdString(info.GetIsolate(), info[index]);
  }
  auto* environment = ScriptEnvironment::From(info.GetIsolate()->GetCurrentContext());
  environment->PrintToConsole(ConsoleLevel::kLog, line);
}

}  // namespace

void TestScriptEnvironment::ReportException(v8::Local<v8::Context> context,
                                            v8::Local<v8::Value> /*exception*/,
                                            v8::Local<v8::Message> message) {
  lines.push_back(ToStdString(context->GetIsolate(), message->Get()));
}

void TestScriptEnvironment::PrintToConsole(ConsoleLevel /*level*/, std::string_view line) {
  lines.emplace_back(line);
}

ScriptEnvironment::PlatformTimerId TestScriptEnvironment::StartPlatformTimer(
    std::uint64_t delay_ms, KeepAlive keep_alive, std::function<void()> task) {
  PlatformTimerId id = next_timer_id_++;
  timers.push_back({id, delay_ms, keep_alive, std::move(task)});
  return id;
}

void TestScriptEnvironment::SetPlatformTimerKeepAlive(PlatformTimerId id, KeepAlive keep_alive) {
  for (PendingTimer& timer : timers) {
    if (timer.id == id) timer.keep_alive = keep_alive;
  }
}

void TestScriptEnvironment::CancelPlatformTimer(PlatformTimerId id) {
  std::erase_if(timers, [id](const PendingTimer& timer) { return timer.id == id; });
}

void TestScriptEnvironment::RunPlatformTimers(v8::Local<v8::Context> context) {
  while (!timers.empty()) {
    auto next = std::min_element(
        timers.begin(), timers.end(), [](const PendingTimer& a, const PendingTimer& b) {
          return a.delay_ms != b.delay_ms ? a.delay_ms < b.delay_ms : a.id < b.id;
        });
    std::function<void()> task = std::move(next->task);
    timers.erase(next);
    EnterScript(context, [&] {
      task();
      return true;
    });
  }
}

void V8Test::SetUp() {
  InitializeV8Once();
  allocator_ = v8::ArrayBuffer::Allocator::NewDefaultAllocator();
  v8::Isolate::CreateParams params;
  params.array_buffer_allocator = allocator_;
  isolate_ = v8::Isolate::New(params);
  isolate_->Enter();
  handle_scope_.emplace(isolate_);
  v8::Local<v8::Context> context = v8::Context::New(isolate_);
  context_.Reset(isolate_, context);
  context_scope_.emplace(context);
  environment_.AttachTo(context);
  InstallInterfaces(context, ExposedInterfaces());
  for (const WrapperTypeInfo* type_info : TestExposedInterfaces()) {
    InstallInterfaceObject(context, *type_info);
  }
  v8::Local<v8::Function> log = v8::Function::New(context, &Log).ToLocalChecked();
  context->Global()->Set(context, v8::String::NewFromUtf8Literal(isolate_, "log"), log).Check();
  v8::Local<v8::Object> console = v8::Object::New(isolate_);
  console->Set(context, v8::String::NewFromUtf8Literal(isolate_, "log"), log).Check();
  context->Global()
      ->Set(context, v8::String::NewFromUtf8Literal(isolate_, "console"), console)
      .Check();
}

void V8Test::TearDown() {
  environment_.timers.clear();  // their tasks may hold implementation objects
  context_scope_.reset();
  handle_scope_.reset();
  DisposeBindings(isolate_);
  // Every implementation object that only script held is gone with the bindings.
  EXPECT_EQ(ScriptWrappable::LiveObjectCountForTesting(), 0u);
  context_.Reset();
  isolate_->Exit();
  isolate_->Dispose();
  delete allocator_;
}

v8::Local<v8::Value> V8Test::Evaluate(std::string_view source) {
  v8::EscapableHandleScope scope(isolate_);
  v8::Local<v8::Value> result;
  v8::Local<v8::Context> current = context();
  EnterScript(current, [&] {
    v8::Local<v8::Script> script;
    return v8::Script::Compile(current, ToV8String(isolate_, source)).ToLocal(&script) &&
           script->Run(current).ToLocal(&result);
  });
  return scope.EscapeMaybe(v8::MaybeLocal<v8::Value>(result)).FromMaybe(v8::Local<v8::Value>());
}

std::string V8Test::Run(std::string_view source) {
  environment_.lines.clear();
  Evaluate(source);
  std::string output;
  for (const std::string& line : environment_.lines) output += line + "\n";
  return output;
}

void V8Test::CollectGarbage() {
  // Twice: objects released by the first collection's weak callbacks go in the second.
  for (int round = 0; round < 2; ++round) {
    isolate_->RequestGarbageCollectionForTesting(v8::Isolate::kFullGarbageCollection);
  }
}

}  // namespace switchboard::bindings::testing
