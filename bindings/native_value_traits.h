// NativeValueTraits<IDLType>: WebIDL's "converting an ECMAScript value to an IDL value".
//
//   static bool Convert(const ExceptionContext&, v8::Local<v8::Value>, ImplType& out);
//
// returns false when an exception is pending (thrown by V8 during the conversion, such as a
// throwing toString, or by the conversion itself with a message naming the context). The
// generated code returns at once then. Dictionaries, callbacks and unions get their
// conversions from the generated code.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include <v8.h>

#include "bindings/buffer_source.h"
#include "bindings/exception_context.h"
#include "bindings/idl_types.h"
#include "bindings/per_isolate_data.h"
#include "bindings/ref_counted.h"
#include "bindings/script_value.h"
#include "bindings/script_wrappable.h"
#include "bindings/string_conversions.h"

namespace switchboard::bindings {

template <typename IDLType>
struct NativeValueTraits;

template <>
struct NativeValueTraits<IDLAny> {
  using ImplType = ScriptValue;
  static bool Convert(const ExceptionContext& context, v8::Local<v8::Value> value,
                      ScriptValue& out) {
    out = ScriptValue(context.isolate(), value);
    return true;
  }
};

template <>
struct NativeValueTraits<IDLObject> {
  using ImplType = ScriptValue;
  static bool Convert(const ExceptionContext& context, v8::Local<v8::Value> value,
                      ScriptValue& out) {
    if (!value->IsObject()) {
      context.ThrowNotOfType("object");
      return false;
    }
    out = ScriptValue(context.isolate(), value);
    return true;
  }
};

template <>
struct NativeValueTraits<IDLBoolean> {
  using ImplType = bool;
  static bool Convert(const ExceptionContext& context, v8::Local<v8::Value> value, bool& out) {
    out = value->BooleanValue(context.isolate());
    return true;
  }
};

// The IDL name of an integer type, for messages.
template <typename Integer>
constexpr const char* IntegerTypeName() {
  if constexpr (std::is_same_v<Integer, int8_t>) return "byte";
  if constexpr (std::is_same_v<Integer, uint8_t>) return "octet";
  if constexpr (std::is_same_v<Integer, int16_t>) return "short";
  if constexpr (std::is_same_v<Integer, uint16_t>) return "unsigned short";
  if constexpr (std::is_same_v<Integer, int32_t>) return "long";
  if constexpr (std::is_same_v<Integer, uint32_t>) return "unsigned long";
  if constexpr (std::is_same_v<Integer, int64_t>) return "long long";
  if constexpr (std::is_same_v<Integer, uint64_t>) return "unsigned long long";
}

// WebIDL §3.2.4.9 ConvertToInt(V, bitLength, signedness), after ToNumber.
template <typename Integer>
bool ConvertToInt(const ExceptionContext& context, double x, IntegerConversionMode mode,
                  Integer& out) {
  constexpr bool kIsSigned = std::is_signed_v<Integer>;
  constexpr bool kIs64Bit = sizeof(Integer) == 8;
  // Step 1: the bounds (2^53 - 1 for 64-bit types, the largest safe integer).
  constexpr double kUpperBound =
      kIs64Bit ? 9007199254740991.0 : static_cast<double>(std::numeric_limits<Integer>::max());
  constexpr double kLowerBound = kIs64Bit
                                     ? (kIsSigned ? -9007199254740991.0 : 0.0)
                                     : static_cast<double>(std::numeric_limits<Integer>::min());
  // Step 3: -0 becomes +0.
  if (x == 0) x = 0;
  // Step 4: [EnforceRange].
  if (mode == IntegerConversionMode::kEnforceRange) {
    if (!std::isfinite(x)) {
      context.ThrowTypeError(context.ValueDescription() + " is not a finite number.");
      return false;
    }
    x = std::trunc(x);
    if (x < kLowerBound || x > kUpperBound) {
      context.ThrowTypeError(std::string("Value is outside the '") + IntegerTypeName<Integer>() +
                             "' value range.");
      return false;
    }
    out = static_cast<Integer>(x);
    return true;
  }
  // Step 5: [Clamp], rounding half to even.
  if (mode == IntegerConversionMode::kClamp && !std::isnan(x)) {
    x = std::nearbyint(std::clamp(x, kLowerBound, kUpperBound));
    out = static_cast<Integer>(x);
    return true;
  }
  // Step 6: NaN, 0 and the infinities become 0.
  if (!std::isfinite(x) || x == 0) {
    out = 0;
    return true;
  }
  // Steps 7-10: integer part, modulo 2^bitLength, then reinterpret as signed when signed.
  x = std::fmod(std::trunc(x), 18446744073709551616.0);  // 2^64; exact for integral doubles
  uint64_t bits = x >= 0 ? static_cast<uint64_t>(x) : 0 - static_cast<uint64_t>(-x);
  out = static_cast<Integer>(static_cast<std::make_unsigned_t<Integer>>(bits));
  return true;
}

template <typename Integer, IntegerConversionMode mode>
struct NativeValueTraits<IDLIntegerType<Integer, mode>> {
  using ImplType = Integer;
  static bool Convert(const ExceptionContext& context, v8::Local<v8::Value> value, Integer& out) {
    if (value->IsInt32()) {  // fast path: a small integer in range needs no conversion
      int64_t integer = value.As<v8::Int32>()->Value();
      if (integer >= static_cast<int64_t>(std::numeric_limits<Integer>::min()) &&
          (integer < 0 || static_cast<uint64_t>(integer) <=
                              static_cast<uint64_t>(std::numeric_limits<Integer>::max()))) {
        out = static_cast<Integer>(integer);
        return true;
      }
    }
    v8::Local<v8::Number> number;
    if (!value->ToNumber(context.context()).ToLocal(&number)) return false;
    return ConvertToInt(context, number->Value(), mode, out);
  }
};

template <typename Float, FloatRestriction restriction>
struct NativeValueTraits<IDLFloatingPoint<Float, restriction>> {
  using ImplType = Float;
  static bool Convert(const ExceptionContext& context, v8::Local<v8::Value> value, Float& out) {
    v8::Local<v8::Number> number;
    if (!value->ToNumber(context.context()).ToLocal(&number)) return false;
    double x = number->Value();
    if (restriction == FloatRestriction::kRestricted && !std::isfinite(x)) {
      context.ThrowTypeError(std::string("The provided ") +
                             (std::is_same_v<Float, float> ? "float" : "double") +
                             " value is non-finite.");
      return false;
    }
    if constexpr (std::is_same_v<Float, float>) {
      // Round to the nearest float; beyond the largest float's rounding range lies infinity.
      constexpr double kFloatOverflow = 340282356779733661637539395458142568448.0;  // 2^128-2^103
      if (std::isnan(x)) {
        out = std::numeric_limits<float>::quiet_NaN();
      } else if (std::fabs(x) >= kFloatOverflow) {
        if (restriction == FloatRestriction::kRestricted) {
          context.ThrowTypeError("The provided float value is non-finite.");
          return false;
        }
        out = x > 0 ? std::numeric_limits<float>::infinity()
                    : -std::numeric_limits<float>::infinity();
      } else if (std::fabs(x) > std::numeric_limits<float>::max()) {
        out = x > 0 ? std::numeric_limits<float>::max() : std::numeric_limits<float>::lowest();
      } else {
        out = static_cast<float>(x);
      }
    } else {
      out = x;
    }
    return true;
  }
};

template <>
struct NativeValueTraits<IDLDOMString> {
  using ImplType = std::string;
  static bool Convert(const ExceptionContext& context, v8::Local<v8::Value> value,
                      std::string& out) {
    v8::Local<v8::String> string;
    if (!value->ToString(context.context()).ToLocal(&string)) return false;
    out = FromV8String(context.isolate(), string, StringConversion::kDOMString);
    return true;
  }
};

template <>
struct NativeValueTraits<IDLUSVString> {
  using ImplType = std::string;
  static bool Convert(const ExceptionContext& context, v8::Local<v8::Value> value,
                      std::string& out) {
    v8::Local<v8::String> string;
    if (!value->ToString(context.context()).ToLocal(&string)) return false;
    out = FromV8String(context.isolate(), string, StringConversion::kUSVString);
    return true;
  }
};

// Whether a C++ type can itself say "null" (pointers, RefPtr), so that T? needs no optional.
template <typename T>
inline constexpr bool kIsNullableByItself = std::is_pointer_v<T>;
template <typename T>
inline constexpr bool kIsNullableByItself<RefPtr<T>> = true;

template <typename T>
using NullableImplType = std::conditional_t<kIsNullableByItself<T>, T, std::optional<T>>;

template <typename T>
struct NativeValueTraits<IDLNullable<T>> {
  using ImplType = NullableImplType<typename NativeValueTraits<T>::ImplType>;
  static bool Convert(const ExceptionContext& context, v8::Local<v8::Value> value, ImplType& out) {
    if (value->IsNullOrUndefined()) {
      out = ImplType();
      return true;
    }
    typename NativeValueTraits<T>::ImplType inner{};
    if (!NativeValueTraits<T>::Convert(context, value, inner)) return false;
    out = std::move(inner);
    return true;
  }
};

// An interface type: the value must be a wrapper of that interface (or a derived one).
bool IsWrapperOf(v8::Isolate* isolate, v8::Local<v8::Value> value,
                 const WrapperTypeInfo& type_info);

template <typename Implementation>
struct NativeValueTraits<IDLInterface<Implementation>> {
  using ImplType = Implementation*;
  static bool Convert(const ExceptionContext& context, v8::Local<v8::Value> value,
                      Implementation*& out) {
    const WrapperTypeInfo& type_info = Implementation::wrapper_type_info;
    if (!IsWrapperOf(context.isolate(), value, type_info)) {
      context.ThrowNotOfType(type_info.interface_name);
      return false;
    }
    out = static_cast<Implementation*>(ScriptWrappable::FromWrapper(value.As<v8::Object>()));
    if (!out) {
      context.ThrowNotOfType(type_info.interface_name);
      return false;
    }
    return true;
  }
};

// sequence<T>: WebIDL §3.2.17, through the iterator protocol.
bool GetIterator(const ExceptionContext& context, v8::Local<v8::Value> value,
                 v8::Local<v8::Object>& iterator, v8::Local<v8::Function>& next);
// The same with @@iterator already read (a union's conversion reads it once, WebIDL §3.2.24).
bool GetIteratorFromMethod(const ExceptionContext& context, v8::Local<v8::Object> object,
                           v8::Local<v8::Value> method, v8::Local<v8::Object>& iterator,
                           v8::Local<v8::Function>& next);
// One step: false with no pending exception and `done` set at the end of the iteration.
bool IteratorStep(const ExceptionContext& context, v8::Local<v8::Object> iterator,
                  v8::Local<v8::Function> next, bool& done, v8::Local<v8::Value>& element);

template <typename T>
struct NativeValueTraits<IDLSequence<T>> {
  using ImplType = std::vector<typename NativeValueTraits<T>::ImplType>;
  static bool Convert(const ExceptionContext& context, v8::Local<v8::Value> value, ImplType& out) {
    v8::Local<v8::Object> iterator;
    v8::Local<v8::Function> next;
    if (!GetIterator(context, value, iterator, next)) return false;
    return ConvertFromIterator(context, iterator, next, out);
  }
  // "Create a sequence from an iterable" with its method already read.
  static bool ConvertFromMethod(const ExceptionContext& context, v8::Local<v8::Object> object,
                                v8::Local<v8::Value> method, ImplType& out) {
    v8::Local<v8::Object> iterator;
    v8::Local<v8::Function> next;
    if (!GetIteratorFromMethod(context, object, method, iterator, next)) return false;
    return ConvertFromIterator(context, iterator, next, out);
  }

 private:
  static bool ConvertFromIterator(const ExceptionContext& context, v8::Local<v8::Object> iterator,
                                  v8::Local<v8::Function> next, ImplType& out) {
    out.clear();
    while (true) {
      bool done = false;
      v8::Local<v8::Value> element;
      if (!IteratorStep(context, iterator, next, done, element)) return false;
      if (done) return true;
      typename NativeValueTraits<T>::ImplType converted{};
      if (!NativeValueTraits<T>::Convert(context, element, converted)) return false;
      out.push_back(std::move(converted));
    }
  }
};

// record<K, V>: WebIDL §3.2.23. The object's own enumerable keys in [[OwnPropertyKeys]] order
// (string keys; an enumerable symbol key fails to convert to K, as the standard's steps do),
// each value read with Get; a key that converts to one already seen (a USVString key with
// lone surrogates) replaces that entry's value in place.
bool GetOwnPropertyKeys(const ExceptionContext& context, v8::Local<v8::Object> object,
                        v8::Local<v8::Array>& keys);
// Whether `object` has an own enumerable property `key` ([[GetOwnProperty]]).
bool IsOwnEnumerableProperty(const ExceptionContext& context, v8::Local<v8::Object> object,
                             v8::Local<v8::Value> key, bool& enumerable);

template <typename K, typename V>
struct NativeValueTraits<IDLRecord<K, V>> {
  using KeyType = typename NativeValueTraits<K>::ImplType;
  using ValueType = typename NativeValueTraits<V>::ImplType;
  using ImplType = std::vector<std::pair<KeyType, ValueType>>;
  static bool Convert(const ExceptionContext& context, v8::Local<v8::Value> value, ImplType& out) {
    // 1. If O is not an Object, throw a TypeError.
    if (!value->IsObject()) {
      context.ThrowTypeError(context.ValueDescription() + " is not an object.");
      return false;
    }
    v8::Local<v8::Object> object = value.As<v8::Object>();
    v8::Local<v8::Context> v8_context = context.context();
    // 3. keys = ? O.[[OwnPropertyKeys]]().
    v8::Local<v8::Array> keys;
    if (!GetOwnPropertyKeys(context, object, keys)) return false;
    out.clear();
    std::unordered_map<KeyType, size_t> positions;
    for (uint32_t index = 0; index < keys->Length(); ++index) {
      v8::Local<v8::Value> key;
      if (!keys->Get(v8_context, index).ToLocal(&key)) return false;
      // 4.1-4.2 Only own enumerable properties.
      bool enumerable = false;
      if (!IsOwnEnumerableProperty(context, object, key, enumerable)) return false;
      if (!enumerable) continue;
      KeyType typed_key{};
      if (!NativeValueTraits<K>::Convert(context, key, typed_key)) return false;
      v8::Local<v8::Value> member;
      if (!object->Get(v8_context, key).ToLocal(&member)) return false;
      ValueType typed_value{};
      if (!NativeValueTraits<V>::Convert(context, member, typed_value)) return false;
      // 4.2.4 Set result[typedKey] to typedValue.
      auto [position, inserted] = positions.emplace(typed_key, out.size());
      if (inserted) {
        out.emplace_back(std::move(typed_key), std::move(typed_value));
      } else {
        out[position->second].second = std::move(typed_value);
      }
    }
    return true;
  }
};

// Buffer source types (WebIDL §3.2.26). Without [AllowShared], a SharedArrayBuffer (or a view
// on one) is a TypeError; a detached buffer converts to no bytes.
bool ConvertBufferSource(const ExceptionContext& context, v8::Local<v8::Value> value,
                         BufferSourceKind kind, SharedBuffers shared, BufferSourceBytes& out);

template <BufferSourceKind kind, SharedBuffers shared>
struct NativeValueTraits<IDLBufferSourceType<kind, shared>> {
  using ImplType = BufferSourceBytes;
  static bool Convert(const ExceptionContext& context, v8::Local<v8::Value> value,
                      BufferSourceBytes& out) {
    return ConvertBufferSource(context, value, kind, shared, out);
  }
};

}  // namespace switchboard::bindings
