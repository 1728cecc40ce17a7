// Timers: setTimeout/setInterval/clearTimeout/clearInterval and queueMicrotask (HTML
// "Timers" and "Microtask queuing") for one page.
//
// Thread: main thread. Ownership: owned by the Page; holds the v8::Globals of pending
// callbacks and releases them when a timer finishes or is cleared, and all of them when the
// page goes away.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include <v8.h>

#include "engine/event_loop.h"

namespace switchboard {

class Page;

class Timers {
 public:
  explicit Timers(Page& page) : page_(page) {}
  ~Timers();

  void Install(v8::Local<v8::Context> context);
  // Cancels every timer and drops every callback (page teardown).
  void CancelAll();

 private:
  using Handle = std::int32_t;  // the number script sees

  struct Timer {
    EventLoop::TimerId loop_timer;
    v8::Global<v8::Value> handler;  // a function, or a string to evaluate
    std::vector<v8::Global<v8::Value>> arguments;
    EventLoop::Repeat repeat;
    int nesting_level;
  };

  static void SetTimeout(const v8::FunctionCallbackInfo<v8::Value>& info);
  static void SetInterval(const v8::FunctionCallbackInfo<v8::Value>& info);
  static void ClearTimer(const v8::FunctionCallbackInfo<v8::Value>& info);
  static void QueueMicrotask(const v8::FunctionCallbackInfo<v8::Value>& info);

  void Start(const v8::FunctionCallbackInfo<v8::Value>& info, EventLoop::Repeat repeat);
  void Fire(Handle handle);

  Page& page_;
  std::map<Handle, Timer> timers_;
  Handle next_handle_ = 1;
  int current_nesting_level_ = 0;
};

}  // namespace switchboard
