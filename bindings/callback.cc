#include "bindings/callback.h"

#include <string>

#include "bindings/per_isolate_data.h"
#include "bindings/to_v8_traits.h"

namespace switchboard::bindings {

CallbackBase::CallbackBase(v8::Isolate* isolate, v8::Local<v8::Object> callback_object)
    : isolate_(isolate),
      callback_object_(isolate, callback_object),
      callback_context_(isolate, isolate->GetCurrentContext()) {
  PerIsolateData::Ensure(isolate).RegisterCallback(this);
}

CallbackBase::~CallbackBase() {
  if (!isolate_) return;
  if (PerIsolateData* data = PerIsolateData::From(isolate_)) data->UnregisterCallback(this);
}

bool CallbackBase::IsSameCallback(const CallbackBase& other) const {
  if (!IsAlive() || !other.IsAlive()) return this == &other;
  return callback_object_ == other.callback_object_;
}

v8::Local<v8::Object> CallbackBase::CallbackObject() const {
  return callback_object_.Get(isolate_);
}

void CallbackBase::MakeWeak() {
  if (IsAlive() && !callback_object_.IsWeak()) callback_object_.SetWeak();
}

void CallbackBase::DetachFromIsolate() {
  callback_object_.Reset();
  callback_context_.Reset();
  isolate_ = nullptr;
}

CallbackResult<ScriptValue> CallbackFunctionBase::InvokeWithArguments(
    ScriptWrappable* this_value, const ArgumentsBuilder& make_arguments) {
  CallbackResult<ScriptValue> result;
  result.outcome = EnterCallback([&](v8::Local<v8::Context> context) {
    v8::Isolate* isolate = context->GetIsolate();
    v8::Local<v8::Object> function = CallbackObject();
    if (!function->IsCallable()) {
      result.value = ScriptValue(isolate, v8::Undefined(isolate));
      return true;
    }
    v8::Local<v8::Value> receiver = ThisValueToV8(isolate, this_value);
    if (receiver.IsEmpty()) return false;
    std::vector<v8::Local<v8::Value>> arguments;
    if (!make_arguments(context, arguments)) return false;
    v8::Local<v8::Value> return_value;
    if (!function
             ->CallAsFunction(context, receiver, static_cast<int>(arguments.size()),
                              arguments.data())
             .ToLocal(&return_value)) {
      return false;
    }
    result.value = ScriptValue(isolate, return_value);
    return true;
  });
  return result;
}

bool CallbackInterfaceBase::GetUserObjectOperation(v8::Local<v8::Context> context,
                                                   const char* operation_name,
                                                   v8::Local<v8::Value> this_value,
                                                   v8::Local<v8::Object>& function,
                                                   v8::Local<v8::Value>& receiver) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::Local<v8::Object> object = CallbackObject();
  // Step 5: a callable object is the operation itself, called with the given this value.
  if (object->IsCallable()) {
    function = object;
    receiver = this_value;
    return true;
  }
  // Step 6: otherwise its `operation_name` property, called with the object as this value.
  v8::Local<v8::String> name;
  v8::Local<v8::Value> property;
  if (!v8::String::NewFromUtf8(isolate, operation_name, v8::NewStringType::kInternalized)
           .ToLocal(&name) ||
      !object->Get(context, name).ToLocal(&property)) {
    return false;
  }
  if (!property->IsObject() || !property.As<v8::Object>()->IsCallable()) {
    std::string message = std::string("The '") + operation_name + "' property is not callable.";
    isolate->ThrowException(v8::Exception::TypeError(
        v8::String::NewFromUtf8(isolate, message.c_str()).ToLocalChecked()));
    return false;
  }
  function = property.As<v8::Object>();
  receiver = object;
  return true;
}

}  // namespace switchboard::bindings
