#include "engine/dom/event.h"

#include <utility>

#include "engine/dom/event_target.h"

namespace switchboard::dom {

bindings::RefPtr<Event> Event::Create(bindings::ScriptEnvironment& environment, std::string type,
                                      const EventInit& event_init) {
  return bindings::RefPtr<Event>(
      new Event(std::move(type), event_init, environment.CurrentHighResolutionTime()));
}

// DOM §2.5 "inner event creation steps" (the parts an Event has without a realm).
Event::Event(std::string type, const EventInit& event_init, double time_stamp)
    : type_(std::move(type)),
      bubbles_(event_init.bubbles),
      cancelable_(event_init.cancelable),
      composed_(event_init.composed),
      time_stamp_(time_stamp) {}

// composedPath() steps, for a target without parents: the path is the target alone, and it is
// observable only while the event is being dispatched.
std::vector<bindings::RefPtr<EventTarget>> Event::ComposedPath() const {
  std::vector<bindings::RefPtr<EventTarget>> composed_path;
  if (current_target_) composed_path.push_back(current_target_);
  return composed_path;
}

void Event::set_cancel_bubble(bool value) {
  // The cancelBubble setter steps: true sets the stop propagation flag; false does nothing.
  if (value) stop_propagation_flag_ = true;
}

void Event::StopImmediatePropagation() {
  stop_propagation_flag_ = true;
  stop_immediate_propagation_flag_ = true;
}

void Event::set_return_value(bool value) {
  // The returnValue setter steps: false sets the canceled flag; true does nothing.
  if (!value) SetCanceledFlag();
}

void Event::SetCanceledFlag() {
  if (cancelable_ && !in_passive_listener_flag_) canceled_flag_ = true;
}

// DOM §2.2 initEvent(): 1. nothing while dispatching; 2. initialize.
void Event::InitEvent(std::string type, bool bubbles, bool cancelable) {
  if (dispatch_flag_) return;
  initialized_flag_ = true;
  stop_propagation_flag_ = false;
  stop_immediate_propagation_flag_ = false;
  canceled_flag_ = false;
  is_trusted_ = false;
  target_ = nullptr;
  type_ = std::move(type);
  bubbles_ = bubbles;
  cancelable_ = cancelable;
}

}  // namespace switchboard::dom
