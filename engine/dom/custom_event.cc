#include "engine/dom/custom_event.h"

#include <utility>

namespace switchboard::dom {

bindings::RefPtr<CustomEvent> CustomEvent::Create(bindings::ScriptEnvironment& environment,
                                                  std::string type,
                                                  const CustomEventInit& event_init) {
  return bindings::RefPtr<CustomEvent>(
      new CustomEvent(std::move(type), event_init, environment.CurrentHighResolutionTime()));
}

// DOM §2.5 "inner event creation steps", step 4: each dictionary member sets the attribute of
// the same name, here detail.
CustomEvent::CustomEvent(std::string type, const CustomEventInit& event_init, double time_stamp)
    : Event(std::move(type), event_init, time_stamp) {
  detail_.Set(*this, event_init.detail);
}

// DOM §2.4 initCustomEvent(type, bubbles, cancelable, detail).
void CustomEvent::InitCustomEvent(std::string type, bool bubbles, bool cancelable,
                                  bindings::ScriptValue detail) {
  // 1. If this's dispatch flag is set, then return.
  if (IsBeingDispatched()) return;
  // 2. Initialize this with type, bubbles, and cancelable.
  InitEvent(std::move(type), bubbles, cancelable);
  // 3. Set this's detail attribute to detail.
  detail_.Set(*this, detail);
}

}  // namespace switchboard::dom
