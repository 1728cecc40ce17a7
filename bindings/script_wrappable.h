// ScriptWrappable: the base of every implementation class that script can see (EventTarget,
// Event, DOMException, TCPConnection...).
//
// Thread: main thread only.
// Ownership (see bindings/README.md "Ownership"):
//   - The object is reference counted (RefPtr); C++ holds it with RefPtr.
//   - Its JavaScript wrapper is created lazily, the first time the object reaches script, and
//     holds one reference to it. This object refers back to its wrapper through a weak
//     v8::Global: when script drops the wrapper, the garbage collector collects it and its
//     finalizer releases that reference. A later trip to script creates a new wrapper.
//   - While HasPendingActivity() is true the wrapper is held strongly (spec §8 keep-alive).
//     Call UpdatePendingActivity() whenever the answer may have changed.
//   - Script values this object stores on behalf of script (event listeners, event handler
//     values) are retained with RetainScriptReference(): they live as long as the wrapper, and
//     a reference cycle through them (a listener closing over its own target) stays
//     collectable because it only runs through the JavaScript heap.
//   - DisposeBindings() cuts every wrapper and callback from V8 before the isolate goes;
//     objects C++ still holds live on without wrappers.
#pragma once

#include <cstddef>
#include <vector>

#include <v8.h>

#include "bindings/ref_counted.h"
#include "bindings/wrapper_type_info.h"

namespace switchboard::bindings {

class CallbackBase;
class PerIsolateData;

class ScriptWrappable : public RefCounted {
 public:
  // Each concrete class declares its own type info with DECLARE_WRAPPER_TYPE_INFO().
  virtual const WrapperTypeInfo* GetWrapperTypeInfo() const = 0;

  // Whether the wrapper must stay alive although script may hold no reference to it, because
  // the object can still fire events (spec §8). Re-evaluated by UpdatePendingActivity().
  virtual bool HasPendingActivity() const { return false; }
  void UpdatePendingActivity();

  // Keeps `callback`'s script object alive exactly as long as this object's wrapper; each call
  // needs one ReleaseScriptReference() with the same callback.
  void RetainScriptReference(CallbackBase& callback);
  void ReleaseScriptReference(CallbackBase& callback);

  // Bytes outside the JavaScript heap that this object keeps alive until its wrapper is
  // collected (a `read` event's frame text). They are reported to V8 while a wrapper exists,
  // so that collections keep pace with them rather than with the wrappers' small size. Must
  // not change while the object has a wrapper.
  virtual size_t ExternalMemoryBytes() const { return 0; }

  bool HasWrapper() const { return !wrapper_.IsEmpty(); }

  // Objects alive in this process, for tests that prove nothing leaks.
  static size_t LiveObjectCountForTesting();

  // --- For the bindings runtime only -----------------------------------------------------
  // The wrapper in `isolate`, creating it (in the current context) when there is none yet.
  // Empty only when V8 threw while creating it.
  v8::Local<v8::Object> GetOrCreateWrapper(v8::Isolate* isolate);
  // Makes `wrapper` (a fresh object from this interface's template, e.g. `this` in a
  // constructor call) the wrapper of this object.
  void AssociateWithWrapper(v8::Isolate* isolate, v8::Local<v8::Object> wrapper);
  // Reads the implementation back from a wrapper (nullptr when `object` is not one).
  static ScriptWrappable* FromWrapper(v8::Local<v8::Object> object);
  // Drops the wrapper and script references without touching a dying isolate.
  void DetachFromIsolate();

 protected:
  ScriptWrappable();
  ~ScriptWrappable() override;

 private:
  static void WrapperCollected(const v8::WeakCallbackInfo<ScriptWrappable>& info);
  void SetWrapperStrength();
  v8::Local<v8::Array> ScriptReferenceArray(v8::Local<v8::Context> context, bool create);

  v8::Isolate* isolate_ = nullptr;  // set while a wrapper exists
  v8::Global<v8::Object> wrapper_;
  bool wrapper_is_strong_ = false;
  std::vector<RefPtr<CallbackBase>> retained_callbacks_;
};

}  // namespace switchboard::bindings

// Put in the public section of each concrete implementation class. The generated code
// defines `wrapper_type_info` from the class's .idl file.
#define DECLARE_WRAPPER_TYPE_INFO()                                                     \
  static const ::switchboard::bindings::WrapperTypeInfo wrapper_type_info;              \
  const ::switchboard::bindings::WrapperTypeInfo* GetWrapperTypeInfo() const override { \
    return &wrapper_type_info;                                                          \
  }
