// Tag types naming WebIDL types in C++, for NativeValueTraits (script → C++) and ToV8Traits
// (C++ → script). The generated code spells every IDL type with these, e.g.
// `IDLNullable<IDLInterface<dom::EventTarget>>` for `EventTarget?`.
//
// How each maps to the C++ type implementation classes use:
//   undefined → void              boolean → bool             byte..unsigned long long →
//   int8_t..uint64_t float, unrestricted float → float                        double, unrestricted
//   double → double DOMString → std::string (WTF-8)                          USVString →
//   std::string (UTF-8) any, object → ScriptValue      T? → std::optional<T> (T* / RefPtr<T> for
//   objects) interface I → I& argument, I* or RefPtr<I> result       sequence<T> → std::vector<T>
//   dictionary D → struct D        (A or B) → std::variant<A, B>   callback C → RefPtr<C>
//   record<K, V> → std::vector<std::pair<K, V>>
//   ArrayBuffer, ArrayBufferView, BufferSource, Uint8Array → BufferSourceBytes argument,
//   Uint8Array result → std::vector<uint8_t>
#pragma once

#include <cstdint>

namespace switchboard::bindings {

enum class IntegerConversionMode { kModulo, kEnforceRange, kClamp };

struct IDLUndefined {};
struct IDLAny {};
struct IDLObject {};
struct IDLBoolean {};
template <typename Integer, IntegerConversionMode mode = IntegerConversionMode::kModulo>
struct IDLIntegerType {};
using IDLByte = IDLIntegerType<int8_t>;
using IDLOctet = IDLIntegerType<uint8_t>;
using IDLShort = IDLIntegerType<int16_t>;
using IDLUnsignedShort = IDLIntegerType<uint16_t>;
using IDLLong = IDLIntegerType<int32_t>;
using IDLUnsignedLong = IDLIntegerType<uint32_t>;
using IDLLongLong = IDLIntegerType<int64_t>;
using IDLUnsignedLongLong = IDLIntegerType<uint64_t>;
// [EnforceRange] / [Clamp] applied to an integer type.
template <typename IntegerType>
struct IDLEnforceRangeOf;
template <typename Integer, IntegerConversionMode mode>
struct IDLEnforceRangeOf<IDLIntegerType<Integer, mode>> {
  using Type = IDLIntegerType<Integer, IntegerConversionMode::kEnforceRange>;
};
template <typename IntegerType>
struct IDLClampOf;
template <typename Integer, IntegerConversionMode mode>
struct IDLClampOf<IDLIntegerType<Integer, mode>> {
  using Type = IDLIntegerType<Integer, IntegerConversionMode::kClamp>;
};
template <typename IntegerType>
using IDLEnforceRange = typename IDLEnforceRangeOf<IntegerType>::Type;
template <typename IntegerType>
using IDLClamp = typename IDLClampOf<IntegerType>::Type;

enum class FloatRestriction { kRestricted, kUnrestricted };
template <typename Float, FloatRestriction restriction>
struct IDLFloatingPoint {};
using IDLFloat = IDLFloatingPoint<float, FloatRestriction::kRestricted>;
using IDLUnrestrictedFloat = IDLFloatingPoint<float, FloatRestriction::kUnrestricted>;
using IDLDouble = IDLFloatingPoint<double, FloatRestriction::kRestricted>;
using IDLUnrestrictedDouble = IDLFloatingPoint<double, FloatRestriction::kUnrestricted>;

struct IDLDOMString {};
struct IDLUSVString {};

template <typename T>
struct IDLNullable {};
template <typename T>
struct IDLSequence {};
// record<K, V>: K is a string type; the C++ value is a vector of (key, value) pairs in order.
template <typename K, typename V>
struct IDLRecord {};
template <typename Implementation>
struct IDLInterface {};
template <typename Implementation>
struct IDLDictionary {};
template <typename Implementation>
struct IDLCallbackFunction {};
template <typename Implementation>
struct IDLCallbackInterface {};

// Buffer source types (WebIDL §3.2.26), with [AllowShared] as kAllowed. Arguments convert to
// BufferSourceBytes (bindings/buffer_source.h); a returned Uint8Array is a
// std::vector<uint8_t>.
enum class BufferSourceKind { kArrayBuffer, kArrayBufferView, kBufferSource, kUint8Array };
enum class SharedBuffers { kRejected, kAllowed };
template <BufferSourceKind kind, SharedBuffers shared>
struct IDLBufferSourceType {};

}  // namespace switchboard::bindings
