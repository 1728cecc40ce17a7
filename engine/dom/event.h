// Event (DOM §2.2): an event's type, flags and dispatch state. Subclasses (ConnectionReadEvent)
// add their own attributes and an init dictionary deriving from EventInit.
//
// Thread: main thread. Ownership: reference counted (bindings::ScriptWrappable); an event
// holds its target and current target while and after it is dispatched.
//
// From C++: `auto event = Event::Create(environment, "open");` then
// `target->FireEvent(*event);` (DOM "fire an event": isTrusted is true).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bindings/ref_counted.h"
#include "bindings/script_environment.h"
#include "bindings/script_wrappable.h"

namespace switchboard::dom {

class EventTarget;

// dictionary EventInit
struct EventInit {
  bool bubbles = false;
  bool cancelable = false;
  bool composed = false;
};

class Event : public bindings::ScriptWrappable {
 public:
  DECLARE_WRAPPER_TYPE_INFO()

  static constexpr uint16_t kNone = 0;
  static constexpr uint16_t kCapturingPhase = 1;
  static constexpr uint16_t kAtTarget = 2;
  static constexpr uint16_t kBubblingPhase = 3;

  // constructor(DOMString type, optional EventInit eventInitDict = {}); also for C++.
  static bindings::RefPtr<Event> Create(bindings::ScriptEnvironment& environment, std::string type,
                                        const EventInit& event_init = {});

  const std::string& type() const { return type_; }
  EventTarget* target() const { return target_.get(); }
  EventTarget* src_element() const { return target(); }
  EventTarget* current_target() const { return current_target_.get(); }
  std::vector<bindings::RefPtr<EventTarget>> ComposedPath() const;
  uint16_t event_phase() const { return event_phase_; }

  void StopPropagation() { stop_propagation_flag_ = true; }
  bool cancel_bubble() const { return stop_propagation_flag_; }
  void set_cancel_bubble(bool value);
  void StopImmediatePropagation();

  bool bubbles() const { return bubbles_; }
  bool cancelable() const { return cancelable_; }
  bool return_value() const { return !canceled_flag_; }
  void set_return_value(bool value);
  void PreventDefault() { SetCanceledFlag(); }
  bool default_prevented() const { return canceled_flag_; }
  bool composed() const { return composed_; }
  bool is_trusted() const { return is_trusted_; }
  double time_stamp() const { return time_stamp_; }

  void InitEvent(std::string type, bool bubbles, bool cancelable);

 protected:
  // Whether the dispatch flag is set (legacy init methods do nothing then).
  bool IsBeingDispatched() const { return dispatch_flag_; }

  Event(std::string type, const EventInit& event_init, double time_stamp);

 private:
  friend class EventTarget;

  // DOM "set the canceled flag".
  void SetCanceledFlag();

  std::string type_;
  bindings::RefPtr<EventTarget> target_;
  bindings::RefPtr<EventTarget> current_target_;
  uint16_t event_phase_ = kNone;
  bool bubbles_ = false;
  bool cancelable_ = false;
  bool composed_ = false;
  bool is_trusted_ = false;
  double time_stamp_ = 0;

  bool stop_propagation_flag_ = false;
  bool stop_immediate_propagation_flag_ = false;
  bool canceled_flag_ = false;
  bool in_passive_listener_flag_ = false;
  bool initialized_flag_ = true;
  bool dispatch_flag_ = false;
};

}  // namespace switchboard::dom
