// PromiseRejectionEvent (HTML §8.1.5.7): `unhandledrejection` and `rejectionhandled`, fired at
// the global object by "notify about rejected promises" and the rejection tracker.
//
// Thread: main thread. Ownership: reference counted like every Event; holds the promise and
// the reason strongly (neither refers back to the event).
#pragma once

#include <optional>
#include <string>

#include "bindings/script_value.h"
#include "engine/dom/event.h"
#include "engine/dom/event_target.h"  // event.h needs it complete for ~Event()

namespace switchboard {

// dictionary PromiseRejectionEventInit : EventInit
struct PromiseRejectionEventInit : dom::EventInit {
  bindings::ScriptValue promise;  // required object
  std::optional<bindings::ScriptValue> reason;
};

class PromiseRejectionEvent final : public dom::Event {
 public:
  DECLARE_WRAPPER_TYPE_INFO()

  // constructor(DOMString type, PromiseRejectionEventInit eventInitDict); also for C++.
  static bindings::RefPtr<PromiseRejectionEvent> Create(bindings::ScriptEnvironment& environment,
                                                        std::string type,
                                                        PromiseRejectionEventInit init);

  const bindings::ScriptValue& promise() const { return promise_; }
  // Undefined when the init dictionary had no `reason`.
  const bindings::ScriptValue& reason() const { return reason_; }

 private:
  PromiseRejectionEvent(std::string type, PromiseRejectionEventInit init, double time_stamp)
      : Event(std::move(type), init, time_stamp),
        promise_(std::move(init.promise)),
        reason_(init.reason ? std::move(*init.reason) : bindings::ScriptValue()) {}

  bindings::ScriptValue promise_;
  bindings::ScriptValue reason_;
};

}  // namespace switchboard
