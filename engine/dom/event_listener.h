// callback interface EventListener { undefined handleEvent(Event event); };
//
// The script side of an event listener: a function, or an object with a handleEvent method.
// Implemented by the generated V8EventListener ("call a user object's operation").
//
// Thread: main thread. Ownership: reference counted; an EventTarget retains the listeners it
// stores (bindings::ScriptWrappable::RetainScriptReference).
#pragma once

#include "bindings/callback.h"
#include "bindings/script_wrappable.h"

namespace switchboard::dom {

class Event;

class EventListener : public bindings::CallbackInterfaceBase {
 public:
  // Calls handleEvent with `event`, `this_value` being the this value when the listener is a
  // function. An exception is reported to the console (through EnterScript), not returned.
  virtual bindings::ScriptOutcome HandleEvent(bindings::ScriptWrappable* this_value,
                                              Event& event) = 0;

 protected:
  using CallbackInterfaceBase::CallbackInterfaceBase;
};

}  // namespace switchboard::dom
