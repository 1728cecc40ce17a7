// CustomEvent (DOM §2.4): an event carrying a script value, its detail.
//
// Thread: main thread. Ownership: reference counted like every Event. The detail is kept for
// script with bindings::RetainedScriptValue, so a detail referring back to its event does not
// leak.
#pragma once

#include <string>

#include "bindings/retained_script_value.h"
#include "bindings/script_value.h"
#include "engine/dom/event.h"
#include "engine/dom/event_target.h"  // event.h needs it complete for ~Event()

namespace switchboard::dom {

// dictionary CustomEventInit : EventInit
struct CustomEventInit : EventInit {
  bindings::ScriptValue detail;  // `any detail = null`
};

class CustomEvent final : public Event {
 public:
  DECLARE_WRAPPER_TYPE_INFO()

  // constructor(DOMString type, optional CustomEventInit eventInitDict = {})
  static bindings::RefPtr<CustomEvent> Create(bindings::ScriptEnvironment& environment,
                                              std::string type,
                                              const CustomEventInit& event_init = {});

  bindings::ScriptValue detail() const { return detail_.Get(); }

  // Legacy initCustomEvent(type, bubbles, cancelable, detail).
  void InitCustomEvent(std::string type, bool bubbles, bool cancelable,
                       bindings::ScriptValue detail);

 private:
  CustomEvent(std::string type, const CustomEventInit& event_init, double time_stamp);

  bindings::RetainedScriptValue detail_;
};

}  // namespace switchboard::dom
