#include "bindings/script_value.h"

namespace switchboard::bindings {

ScriptValue::ScriptValue(v8::Isolate* isolate, v8::Local<v8::Value> value)
    : isolate_(isolate), value_(isolate, value) {}

ScriptValue::ScriptValue(const ScriptValue& other) : isolate_(other.isolate_) {
  if (!other.value_.IsEmpty()) value_.Reset(isolate_, other.value_);
}

ScriptValue& ScriptValue::operator=(const ScriptValue& other) {
  if (this == &other) return *this;
  isolate_ = other.isolate_;
  if (other.value_.IsEmpty()) {
    value_.Reset();
  } else {
    value_.Reset(isolate_, other.value_);
  }
  return *this;
}

bool ScriptValue::IsUndefined() const {
  if (IsEmpty()) return true;
  v8::HandleScope handle_scope(isolate_);
  return value_.Get(isolate_)->StrictEquals(v8::Undefined(isolate_));
}

bool ScriptValue::IsNull() const {
  if (IsEmpty()) return false;
  v8::HandleScope handle_scope(isolate_);
  return value_.Get(isolate_)->StrictEquals(v8::Null(isolate_));
}

bool ScriptValue::IsFalse() const {
  if (IsEmpty()) return false;
  v8::HandleScope handle_scope(isolate_);
  return value_.Get(isolate_)->IsFalse();
}

bool ScriptValue::IsTrue() const {
  if (IsEmpty()) return false;
  v8::HandleScope handle_scope(isolate_);
  return value_.Get(isolate_)->IsTrue();
}

bool ScriptValue::IsObject() const {
  if (IsEmpty()) return false;
  v8::HandleScope handle_scope(isolate_);
  return value_.Get(isolate_)->IsObject();
}

v8::Local<v8::Value> ScriptValue::Get(v8::Isolate* isolate) const {
  if (IsEmpty()) return v8::Undefined(isolate);
  return value_.Get(isolate);
}

}  // namespace switchboard::bindings
