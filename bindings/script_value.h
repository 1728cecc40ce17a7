// ScriptValue: a JavaScript value (WebIDL `any`/`object`) held by C++ without seeing V8.
//
// Thread: main thread only. Ownership: holds its value strongly; do not keep one beyond the
// page (DisposeBindings) and beware of cycles through the value.
#pragma once

#include <v8.h>

namespace switchboard::bindings {

class ScriptValue {
 public:
  ScriptValue() = default;
  ScriptValue(v8::Isolate* isolate, v8::Local<v8::Value> value);
  ScriptValue(const ScriptValue& other);
  ScriptValue& operator=(const ScriptValue& other);
  ScriptValue(ScriptValue&&) noexcept = default;
  ScriptValue& operator=(ScriptValue&&) noexcept = default;

  // The value null (an IDL default value such as `any detail = null`).
  static ScriptValue Null(v8::Isolate* isolate) { return ScriptValue(isolate, v8::Null(isolate)); }

  bool IsEmpty() const { return value_.IsEmpty(); }
  bool IsUndefined() const;
  bool IsNull() const;
  // Whether the value is the boolean false (HTML's "return value is false" for event handlers).
  bool IsFalse() const;
  bool IsTrue() const;
  bool IsObject() const;

  // For the bindings runtime: the value, or undefined when empty.
  v8::Local<v8::Value> Get(v8::Isolate* isolate) const;
  v8::Isolate* isolate() const { return isolate_; }

 private:
  v8::Isolate* isolate_ = nullptr;
  v8::Global<v8::Value> value_;
};

}  // namespace switchboard::bindings
