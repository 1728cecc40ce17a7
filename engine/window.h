// Window (HTML §7.2): the implementation of the page's global object. The page creates its
// V8 context from Window's interface template ([Global], WebIDL §3.7) and binds this object to
// the global, so `self` is an EventTarget whose listeners run with `this === self`. Also the
// WindowOrWorkerGlobalScope members (atob, btoa, structuredClone, performance) and HTML's special
// error event handling of `onerror`.
//
// Thread: main thread. Ownership: reference counted; the Page holds one reference and the
// global object (its wrapper) another, which stays strong for the page's lifetime
// (HasPendingActivity) until bindings::DisposeBindings cuts it.
#pragma once

#include <string>
#include <vector>

#include "bindings/exception_or.h"
#include "bindings/ref_counted.h"
#include "bindings/script_environment.h"
#include "bindings/script_value.h"
#include "engine/dom/event_target.h"
#include "engine/performance.h"

namespace switchboard {

// dictionary StructuredSerializeOptions
struct StructuredSerializeOptions {
  std::vector<bindings::ScriptValue> transfer;
};

class Window final : public dom::EventTarget {
 public:
  DECLARE_WRAPPER_TYPE_INFO()

  // `time_origin_unix_ms`: the page's time origin (ScriptEnvironment::TimeOriginUnixMs), for
  // `performance.timeOrigin`.
  static bindings::RefPtr<Window> Create(double time_origin_unix_ms);

  // The global object is alive as long as its context: its wrapper is never weak.
  bool HasPendingActivity() const override { return true; }

  // [LegacyUnforgeable] readonly attribute WindowProxy window; [Replaceable] ... self.
  Window* window() { return this; }
  Window* self() { return this; }

  // HTML §8.3 base64 utility methods.
  bindings::ExceptionOr<std::string> Btoa(const std::string& data) const;
  bindings::ExceptionOr<std::string> Atob(const std::string& data) const;

  // High Resolution Time §6: [Replaceable] readonly attribute Performance performance.
  Performance* performance() { return performance_.get(); }

  // HTML §2.7.11 structuredClone(value, options).
  bindings::ExceptionOr<bindings::ScriptValue> StructuredClone(bindings::ScriptValue value,
                                                               StructuredSerializeOptions options);

 protected:
  bindings::ScriptOutcome RunEventHandler(dom::Event& event, const std::string& type) override;

 private:
  explicit Window(double time_origin_unix_ms);
  ~Window() override = default;

  bindings::RefPtr<Performance> performance_;
};

}  // namespace switchboard
