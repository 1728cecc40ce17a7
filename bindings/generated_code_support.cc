#include "bindings/generated_code_support.h"

namespace switchboard::bindings {

bool IsWrapperOf(v8::Isolate* isolate, v8::Local<v8::Value> value,
                 const WrapperTypeInfo& type_info) {
  if (!value->IsObject()) return false;
  return PerIsolateData::Ensure(isolate).InterfaceTemplate(type_info)->HasInstance(value);
}

bool GetIterator(const ExceptionContext& context, v8::Local<v8::Value> value,
                 v8::Local<v8::Object>& iterator, v8::Local<v8::Function>& next) {
  v8::Isolate* isolate = context.isolate();
  v8::Local<v8::Context> v8_context = context.context();
  if (!value->IsObject()) {
    context.ThrowTypeError(context.ValueDescription() + " is not iterable.");
    return false;
  }
  v8::Local<v8::Object> object = value.As<v8::Object>();
  v8::Local<v8::Value> method;
  if (!object->Get(v8_context, v8::Symbol::GetIterator(isolate)).ToLocal(&method)) return false;
  return GetIteratorFromMethod(context, object, method, iterator, next);
}

bool GetIteratorFromMethod(const ExceptionContext& context, v8::Local<v8::Object> object,
                           v8::Local<v8::Value> method, v8::Local<v8::Object>& iterator,
                           v8::Local<v8::Function>& next) {
  v8::Isolate* isolate = context.isolate();
  v8::Local<v8::Context> v8_context = context.context();
  if (!method->IsFunction()) {
    context.ThrowTypeError(context.ValueDescription() + " is not iterable.");
    return false;
  }
  v8::Local<v8::Value> iterator_value;
  if (!method.As<v8::Function>()->Call(v8_context, object, 0, nullptr).ToLocal(&iterator_value)) {
    return false;
  }
  if (!iterator_value->IsObject()) {
    context.ThrowTypeError("The iterator is not an object.");
    return false;
  }
  iterator = iterator_value.As<v8::Object>();
  v8::Local<v8::Value> next_value;
  if (!iterator->Get(v8_context, v8::String::NewFromUtf8Literal(isolate, "next"))
           .ToLocal(&next_value)) {
    return false;
  }
  if (!next_value->IsFunction()) {
    context.ThrowTypeError("The iterator's next is not a function.");
    return false;
  }
  next = next_value.As<v8::Function>();
  return true;
}

bool IteratorStep(const ExceptionContext& context, v8::Local<v8::Object> iterator,
                  v8::Local<v8::Function> next, bool& done, v8::Local<v8::Value>& element) {
  v8::Isolate* isolate = context.isolate();
  v8::Local<v8::Context> v8_context = context.context();
  v8::Local<v8::Value> result;
  if (!next->Call(v8_context, iterator, 0, nullptr).ToLocal(&result)) return false;
  if (!result->IsObject()) {
    context.ThrowTypeError("The iterator result is not an object.");
    return false;
  }
  v8::Local<v8::Object> result_object = result.As<v8::Object>();
  v8::Local<v8::Value> done_value;
  if (!result_object->Get(v8_context, v8::String::NewFromUtf8Literal(isolate, "done"))
           .ToLocal(&done_value)) {
    return false;
  }
  done = done_value->BooleanValue(isolate);
  if (done) return true;
  return result_object->Get(v8_context, v8::String::NewFromUtf8Literal(isolate, "value"))
      .ToLocal(&element);
}

bool GetOwnPropertyKeys(const ExceptionContext& context, v8::Local<v8::Object> object,
                        v8::Local<v8::Array>& keys) {
  return object
      ->GetPropertyNames(context.context(), v8::KeyCollectionMode::kOwnOnly,
                         v8::PropertyFilter::ALL_PROPERTIES, v8::IndexFilter::kIncludeIndices,
                         v8::KeyConversionMode::kConvertToString)
      .ToLocal(&keys);
}

bool IsOwnEnumerableProperty(const ExceptionContext& context, v8::Local<v8::Object> object,
                             v8::Local<v8::Value> key, bool& enumerable) {
  v8::Local<v8::Context> v8_context = context.context();
  enumerable = false;
  if (!key->IsName()) return true;
  v8::Local<v8::Value> descriptor;
  if (!object->GetOwnPropertyDescriptor(v8_context, key.As<v8::Name>()).ToLocal(&descriptor)) {
    return false;
  }
  if (descriptor->IsUndefined()) return true;
  // A descriptor object V8 made: its "enumerable" is an own data property.
  v8::Local<v8::Value> flag;
  if (!descriptor.As<v8::Object>()
           ->Get(v8_context, v8::String::NewFromUtf8Literal(context.isolate(), "enumerable"))
           .ToLocal(&flag)) {
    return false;
  }
  enumerable = flag->BooleanValue(context.isolate());
  return true;
}

bool GetDictionaryObject(const ExceptionContext& context, v8::Local<v8::Value> value,
                         const char* dictionary_name, v8::Local<v8::Object>& object) {
  if (value->IsNullOrUndefined()) {
    object = v8::Local<v8::Object>();
    return true;
  }
  if (!value->IsObject()) {
    context.ThrowNotOfType(dictionary_name);
    return false;
  }
  object = value.As<v8::Object>();
  return true;
}

bool GetDictionaryMember(const ExceptionContext& context, v8::Local<v8::Object> object,
                         const char* member_name, v8::Local<v8::Value>& value) {
  v8::Isolate* isolate = context.isolate();
  if (object.IsEmpty()) {
    value = v8::Undefined(isolate);
    return true;
  }
  v8::Local<v8::String> key;
  if (!v8::String::NewFromUtf8(isolate, member_name, v8::NewStringType::kInternalized)
           .ToLocal(&key)) {
    return false;
  }
  return object->Get(context.context(), key).ToLocal(&value);
}

void ReplaceAttribute(const v8::FunctionCallbackInfo<v8::Value>& info, const char* name) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::String> key;
  if (!v8::String::NewFromUtf8(isolate, name, v8::NewStringType::kInternalized).ToLocal(&key)) {
    return;
  }
  v8::Maybe<bool> defined =
      info.This()->CreateDataProperty(isolate->GetCurrentContext(), key, info[0]);
  if (defined.IsJust() && !defined.FromJust()) {
    isolate->ThrowException(v8::Exception::TypeError(
        v8::String::NewFromUtf8Literal(isolate, "Cannot redefine the property.")));
  }
}

void IllegalConstructor(const v8::FunctionCallbackInfo<v8::Value>& info) {
  info.GetIsolate()->ThrowException(v8::Exception::TypeError(
      v8::String::NewFromUtf8Literal(info.GetIsolate(), "Illegal constructor")));
}

}  // namespace switchboard::bindings
