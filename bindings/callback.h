// Callback objects: script functions and objects that implementation classes store and call
// later (WebIDL callback functions and callback interfaces).
//
// An implementation class declares, for each IDL callback it uses, an abstract class deriving
// from CallbackFunctionBase or CallbackInterfaceBase with one pure virtual method per call
// (e.g. `HandleEvent`); the generated code implements it ("call a user object's operation",
// "invoke a callback function"). Every call goes through EnterScript: an exception is reported
// to the page's console and never propagates to the C++ caller, which learns the outcome from
// the returned ScriptOutcome / CallbackResult.
//
// Thread: main thread only. Ownership: reference counted. The script object is held strongly
// until a ScriptWrappable retains the callback (RetainScriptReference), which makes it weak
// and hangs it off that wrapper instead; see script_wrappable.h.
#pragma once

#include <functional>
#include <utility>
#include <vector>

#include <v8.h>

#include "bindings/ref_counted.h"
#include "bindings/script_environment.h"
#include "bindings/script_value.h"

namespace switchboard::bindings {

template <typename T>
struct CallbackResult {
  ScriptOutcome outcome = ScriptOutcome::kCompleted;
  T value{};  // meaningful only when outcome is kCompleted
};

class CallbackBase : public RefCounted {
 public:
  // Whether the script object still exists (false once its owner's wrapper was collected, or
  // after DisposeBindings).
  bool IsAlive() const { return !callback_object_.IsEmpty(); }
  // Whether both refer to the same script object (removeEventListener's "same callback").
  bool IsSameCallback(const CallbackBase& other) const;

  // --- For the bindings runtime only -----------------------------------------------------
  v8::Isolate* isolate() const { return isolate_; }
  v8::Local<v8::Object> CallbackObject() const;
  void MakeWeak();
  void DetachFromIsolate();

 protected:
  // Remembers the current context as the callback context (WebIDL's "incumbent settings").
  CallbackBase(v8::Isolate* isolate, v8::Local<v8::Object> callback_object);
  ~CallbackBase() override;

  // Runs `body(context)` in the callback context through EnterScript.
  template <typename Body>
  ScriptOutcome EnterCallback(Body&& body) {
    if (!IsAlive() || callback_context_.IsEmpty()) return ScriptOutcome::kCompleted;
    v8::HandleScope handle_scope(isolate_);
    v8::Local<v8::Context> context = callback_context_.Get(isolate_);
    return EnterScript(context, [&] { return body(context); });
  }

 private:
  v8::Isolate* isolate_;
  v8::Global<v8::Object> callback_object_;
  v8::Global<v8::Context> callback_context_;
};

class ScriptWrappable;

class CallbackFunctionBase : public CallbackBase {
 public:
  // --- For the engine's hand-written special cases only (HTML's OnErrorEventHandler) -----
  // WebIDL "invoke a callback function" with the arguments `make_arguments` builds in the
  // callback context (returning false when V8 threw). A non-callable object (allowed by
  // [LegacyTreatNonObjectAsNull]) returns undefined.
  using ArgumentsBuilder =
      std::function<bool(v8::Local<v8::Context>, std::vector<v8::Local<v8::Value>>&)>;
  CallbackResult<ScriptValue> InvokeWithArguments(ScriptWrappable* this_value,
                                                  const ArgumentsBuilder& make_arguments);

 protected:
  using CallbackBase::CallbackBase;
};

class CallbackInterfaceBase : public CallbackBase {
 protected:
  using CallbackBase::CallbackBase;

  // WebIDL "call a user object's operation", steps 5-6: the function to call and its this
  // value. Throws a TypeError (and returns false) when the object is not callable and its
  // `operation_name` property is not callable either.
  bool GetUserObjectOperation(v8::Local<v8::Context> context, const char* operation_name,
                              v8::Local<v8::Value> this_value, v8::Local<v8::Object>& function,
                              v8::Local<v8::Value>& receiver);
};

}  // namespace switchboard::bindings
