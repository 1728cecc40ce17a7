// [LegacyTreatNonObjectAsNull] callback EventHandlerNonNull = any (Event event);
// typedef EventHandlerNonNull? EventHandler;
//
// The value of an event handler IDL attribute (HTML §8.1.8.1), e.g. TCPConnection.onopen.
// Implemented by the generated V8EventHandlerNonNull ("invoke a callback function"); an object
// that is not callable (allowed by [LegacyTreatNonObjectAsNull]) returns undefined.
//
// Thread: main thread. Ownership: reference counted; EventTarget retains the values it stores.
#pragma once

#include "bindings/callback.h"
#include "bindings/script_value.h"
#include "bindings/script_wrappable.h"

namespace switchboard::dom {

class Event;

class EventHandlerNonNull : public bindings::CallbackFunctionBase {
 public:
  // Invokes the handler with `event` and `this_value`; reports an exception to the console.
  virtual bindings::CallbackResult<bindings::ScriptValue> Invoke(
      bindings::ScriptWrappable* this_value, Event& event) = 0;

 protected:
  using CallbackFunctionBase::CallbackFunctionBase;
};

}  // namespace switchboard::dom
