// RetainedScriptValue: a script value (WebIDL `any`) that an implementation object keeps for
// script and gives back later, such as CustomEvent's detail or AbortSignal's reason.
//
// Objects are kept like event listeners (ScriptWrappable::RetainScriptReference): they live
// exactly as long as the owner's wrapper and hang off it in the JavaScript heap, so a value
// that refers back to its owner (`event.detail.self = event`) stays collectable. Primitives
// cannot form such a cycle and are held directly.
//
// Thread: main thread only. Ownership: a member of its owner; call Set()/Clear() with that
// owner, and Clear() (or let the owner die) before the page goes.
#pragma once

#include <string>

#include "bindings/callback.h"
#include "bindings/ref_counted.h"
#include "bindings/script_value.h"
#include "bindings/script_wrappable.h"

namespace switchboard::bindings {

class RetainedScriptValue {
 public:
  RetainedScriptValue() = default;
  RetainedScriptValue(const RetainedScriptValue&) = delete;
  RetainedScriptValue& operator=(const RetainedScriptValue&) = delete;

  // Replaces the value, releasing the previous one from `owner`.
  void Set(ScriptWrappable& owner, const ScriptValue& value);
  void Clear(ScriptWrappable& owner);
  // Sets a new DOMException (with an Error-like stack), created in the current context, as
  // the value (AbortSignal's default abort reason). False when V8 threw; the value is then
  // undefined.
  bool SetNewDOMException(ScriptWrappable& owner, const std::string& name,
                          const std::string& message);

  // The value; undefined when none was set, or after DisposeBindings cut it from V8.
  ScriptValue Get() const;
  bool IsEmpty() const { return !object_ && primitive_.IsEmpty(); }

 private:
  // An object value as a callback-like reference, so that the owner's wrapper retains it.
  class ObjectReference final : public CallbackBase {
   public:
    ObjectReference(v8::Isolate* isolate, v8::Local<v8::Object> object)
        : CallbackBase(isolate, object) {}
  };

  ScriptValue primitive_;
  RefPtr<ObjectReference> object_;
};

}  // namespace switchboard::bindings
