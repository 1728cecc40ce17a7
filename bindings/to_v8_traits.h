// ToV8Traits<IDLType>: WebIDL's "converting an IDL value to an ECMAScript value".
//
//   static v8::Local<v8::Value> ToV8(v8::Isolate*, const ImplValue&);
//
// returns an empty handle only when V8 threw (creating a wrapper failed), so callers check.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <v8.h>

#include "bindings/callback.h"
#include "bindings/idl_types.h"
#include "bindings/ref_counted.h"
#include "bindings/script_value.h"
#include "bindings/script_wrappable.h"
#include "bindings/string_conversions.h"

namespace switchboard::bindings {

template <typename IDLType>
struct ToV8Traits;

template <>
struct ToV8Traits<IDLUndefined> {
  static v8::Local<v8::Value> ToV8(v8::Isolate* isolate) { return v8::Undefined(isolate); }
};

template <>
struct ToV8Traits<IDLAny> {
  static v8::Local<v8::Value> ToV8(v8::Isolate* isolate, const ScriptValue& value) {
    return value.Get(isolate);
  }
};

template <>
struct ToV8Traits<IDLObject> : ToV8Traits<IDLAny> {};

template <>
struct ToV8Traits<IDLBoolean> {
  static v8::Local<v8::Value> ToV8(v8::Isolate* isolate, bool value) {
    return v8::Boolean::New(isolate, value);
  }
};

template <typename Integer, IntegerConversionMode mode>
struct ToV8Traits<IDLIntegerType<Integer, mode>> {
  // Implementation classes may return an enum for an integer attribute (readyState).
  template <typename Value>
  requires(std::is_integral_v<Value> ||
           std::is_enum_v<Value>) static v8::Local<v8::Value> ToV8(v8::Isolate* isolate,
                                                                   Value value) {
    Integer integer = static_cast<Integer>(value);
    if constexpr (sizeof(Integer) == 8) {
      return v8::Number::New(isolate, static_cast<double>(integer));
    } else if constexpr (std::is_signed_v<Integer>) {
      return v8::Integer::New(isolate, integer);
    } else {
      return v8::Integer::NewFromUnsigned(isolate, integer);
    }
  }
};

template <typename Float, FloatRestriction restriction>
struct ToV8Traits<IDLFloatingPoint<Float, restriction>> {
  static v8::Local<v8::Value> ToV8(v8::Isolate* isolate, double value) {
    return v8::Number::New(isolate, value);
  }
};

template <>
struct ToV8Traits<IDLDOMString> {
  static v8::Local<v8::Value> ToV8(v8::Isolate* isolate, std::string_view value) {
    return CheckLength(isolate, ToV8String(isolate, value));
  }
  // Possibly an external string sharing the text (string_conversions.h).
  static v8::Local<v8::Value> ToV8(v8::Isolate* isolate, const ScriptText& value) {
    return CheckLength(isolate, value.ToV8(isolate));
  }

 private:
  static v8::Local<v8::Value> CheckLength(v8::Isolate* isolate, v8::Local<v8::String> string) {
    if (string.IsEmpty()) {
      isolate->ThrowException(v8::Exception::RangeError(
          v8::String::NewFromUtf8Literal(isolate, "Invalid string length")));
    }
    return string;
  }
};

template <>
struct ToV8Traits<IDLUSVString> : ToV8Traits<IDLDOMString> {};

inline v8::Local<v8::Value> WrappableToV8(v8::Isolate* isolate, ScriptWrappable* wrappable) {
  if (!wrappable) return v8::Null(isolate);
  return wrappable->GetOrCreateWrapper(isolate);
}

// A callback's this value: the object's wrapper, or undefined for none.
inline v8::Local<v8::Value> ThisValueToV8(v8::Isolate* isolate, ScriptWrappable* wrappable) {
  if (!wrappable) return v8::Undefined(isolate);
  return wrappable->GetOrCreateWrapper(isolate);
}

template <typename Implementation>
struct ToV8Traits<IDLInterface<Implementation>> {
  static v8::Local<v8::Value> ToV8(v8::Isolate* isolate, Implementation* value) {
    return WrappableToV8(isolate, value);
  }
  static v8::Local<v8::Value> ToV8(v8::Isolate* isolate, Implementation& value) {
    return WrappableToV8(isolate, &value);
  }
  static v8::Local<v8::Value> ToV8(v8::Isolate* isolate, const RefPtr<Implementation>& value) {
    return WrappableToV8(isolate, value.get());
  }
};

inline v8::Local<v8::Value> CallbackToV8(v8::Isolate* isolate, const CallbackBase* callback) {
  if (!callback || !callback->IsAlive()) return v8::Null(isolate);
  return callback->CallbackObject();
}

template <typename Implementation>
struct ToV8Traits<IDLCallbackFunction<Implementation>> {
  static v8::Local<v8::Value> ToV8(v8::Isolate* isolate, const CallbackBase* value) {
    return CallbackToV8(isolate, value);
  }
};

template <typename Implementation>
struct ToV8Traits<IDLCallbackInterface<Implementation>>
    : ToV8Traits<IDLCallbackFunction<Implementation>> {};

template <typename T>
struct ToV8Traits<IDLNullable<T>> {
  template <typename Value>
  static v8::Local<v8::Value> ToV8(v8::Isolate* isolate, const std::optional<Value>& value) {
    if (!value) return v8::Null(isolate);
    return ToV8Traits<T>::ToV8(isolate, *value);
  }
  template <typename Value>
  static v8::Local<v8::Value> ToV8(v8::Isolate* isolate, const Value& value) {
    if (!value) return v8::Null(isolate);
    return ToV8Traits<T>::ToV8(isolate, value);
  }
};

template <typename T>
struct ToV8Traits<IDLSequence<T>> {
  template <typename Value>
  static v8::Local<v8::Value> ToV8(v8::Isolate* isolate, const std::vector<Value>& values) {
    v8::Local<v8::Context> context = isolate->GetCurrentContext();
    v8::Local<v8::Array> array = v8::Array::New(isolate, static_cast<int>(values.size()));
    uint32_t index = 0;
    for (const Value& value : values) {
      v8::Local<v8::Value> element = ToV8Traits<T>::ToV8(isolate, value);
      if (element.IsEmpty() || array->CreateDataProperty(context, index++, element).IsNothing()) {
        return {};
      }
    }
    return array;
  }
};

// record<K, V>: an ordinary object with a data property per entry, in order (WebIDL §3.2.23).
template <typename K, typename V>
struct ToV8Traits<IDLRecord<K, V>> {
  template <typename Key, typename Value>
  static v8::Local<v8::Value> ToV8(v8::Isolate* isolate,
                                   const std::vector<std::pair<Key, Value>>& entries) {
    v8::Local<v8::Context> context = isolate->GetCurrentContext();
    v8::Local<v8::Object> object = v8::Object::New(isolate);
    for (const auto& [key, value] : entries) {
      v8::Local<v8::Value> js_key = ToV8Traits<K>::ToV8(isolate, key);
      v8::Local<v8::Value> js_value = ToV8Traits<V>::ToV8(isolate, value);
      if (js_key.IsEmpty() || js_value.IsEmpty() ||
          object->CreateDataProperty(context, js_key.As<v8::Name>(), js_value).IsNothing()) {
        return {};
      }
    }
    return object;
  }
};

// A returned Uint8Array: a new one (on a new ArrayBuffer) holding a copy of the bytes. Empty
// when V8 cannot allocate it (a RangeError is then pending).
v8::Local<v8::Value> NewUint8Array(v8::Isolate* isolate, const std::vector<uint8_t>& bytes);

template <SharedBuffers shared>
struct ToV8Traits<IDLBufferSourceType<BufferSourceKind::kUint8Array, shared>> {
  static v8::Local<v8::Value> ToV8(v8::Isolate* isolate, const std::vector<uint8_t>& bytes) {
    return NewUint8Array(isolate, bytes);
  }
};

}  // namespace switchboard::bindings
