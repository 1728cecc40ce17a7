// Performance (High Resolution Time §4): the page's `performance` object — now(), the time
// since the page's time origin (the same clock as Event.timeStamp, coarsened to 100 µs), and
// timeOrigin, that origin as milliseconds since the Unix epoch.
//
// Thread: main thread. Ownership: reference counted; the Window holds it ([SameObject] in
// effect: `performance` is the same object for the page's lifetime).
#pragma once

#include "bindings/ref_counted.h"
#include "bindings/script_environment.h"
#include "engine/dom/event_target.h"

namespace switchboard {

class Performance final : public dom::EventTarget {
 public:
  DECLARE_WRAPPER_TYPE_INFO()

  static bindings::RefPtr<Performance> Create(double time_origin_unix_ms);

  // DOMHighResTimeStamp now(): "current high resolution time" of the page (HR-Time §4.3).
  double Now(bindings::ScriptEnvironment& environment) const {
    return environment.CurrentHighResolutionTime();
  }
  // readonly attribute DOMHighResTimeStamp timeOrigin (HR-Time §4.2).
  double time_origin() const { return time_origin_unix_ms_; }

 private:
  explicit Performance(double time_origin_unix_ms) : time_origin_unix_ms_(time_origin_unix_ms) {}
  ~Performance() override = default;

  double time_origin_unix_ms_;
};

}  // namespace switchboard
