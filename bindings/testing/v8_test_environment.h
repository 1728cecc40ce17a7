// V8Test: a GoogleTest fixture with a V8 isolate and a context holding every interface (the
// real ones and the test ones from idl/tests), a `log` function and a test ScriptEnvironment
// that records console lines and reported exceptions.
//
// The V8 platform is initialized once per process (V8 allows one initialization) with
// --expose-gc, so tests can prove what the garbage collector may and may not collect.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <v8.h>

#include "bindings/script_environment.h"

namespace switchboard::bindings::testing {

class TestScriptEnvironment final : public ScriptEnvironment {
 public:
  void ReportException(v8::Local<v8::Context> context, v8::Local<v8::Value> exception,
                       v8::Local<v8::Message> message) override;
  void PrintToConsole(ConsoleLevel level, std::string_view line) override;
  PlatformTimerId StartPlatformTimer(std::uint64_t delay_ms, KeepAlive keep_alive,
                                     std::function<void()> task) override;
  void SetPlatformTimerKeepAlive(PlatformTimerId id, KeepAlive keep_alive) override;
  void CancelPlatformTimer(PlatformTimerId id) override;

  // Runs every pending platform timer (shortest delay first, then in start order), each as a
  // task in `context` through EnterScript, without waiting for its delay.
  void RunPlatformTimers(v8::Local<v8::Context> context);

  struct PendingTimer {
    PlatformTimerId id;
    std::uint64_t delay_ms;
    KeepAlive keep_alive;
    std::function<void()> task;
  };
  std::vector<std::string> lines;  // console lines, reported exceptions as "Uncaught ..."
  std::vector<PendingTimer> timers;

 private:
  PlatformTimerId next_timer_id_ = 1;
};

class V8Test : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  v8::Isolate* isolate() const { return isolate_; }
  v8::Local<v8::Context> context() const { return context_.Get(isolate_); }

  // Runs `source` as a script; returns its completion value (empty when it threw; the
  // exception is then reported to the environment's lines).
  v8::Local<v8::Value> Evaluate(std::string_view source);
  // Runs `source` and returns the lines it logged (log(...) / console.log(...)) and the
  // exceptions it reported, one string.
  std::string Run(std::string_view source);
  // A full garbage collection, running weak callbacks.
  void CollectGarbage();

  TestScriptEnvironment environment_;

 private:
  v8::Isolate* isolate_ = nullptr;
  v8::ArrayBuffer::Allocator* allocator_ = nullptr;
  v8::Global<v8::Context> context_;
  // Each test gets its own HandleScope and Context::Scope for its duration.
  std::optional<v8::HandleScope> handle_scope_;
  std::optional<v8::Context::Scope> context_scope_;
};

}  // namespace switchboard::bindings::testing
