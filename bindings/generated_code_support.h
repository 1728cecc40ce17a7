// Helpers the generated code calls, so that what it writes per IDL member stays short and
// boring: receiver and argument checks, calling the implementation and turning its result (a
// value, or an ExceptionOr holding an Exception) into the return value or a thrown error,
// constructing wrappers, and reading dictionaries.
#pragma once

#include <string>
#include <type_traits>
#include <utility>

#include <v8.h>

#include "bindings/exception_context.h"
#include "bindings/exception_or.h"
#include "bindings/native_value_traits.h"
#include "bindings/per_isolate_data.h"
#include "bindings/script_environment.h"
#include "bindings/script_wrappable.h"
#include "bindings/to_v8_traits.h"

namespace switchboard::bindings {

// --- Static checks: what an implementation method may return for an IDL type ---------------
template <typename Value, typename IDLType>
concept ConvertibleToV8 = requires(v8::Isolate* isolate, Value& value) {
  ToV8Traits<IDLType>::ToV8(isolate, value);
};

template <typename Result>
struct ExceptionOrValue {
  using Type = void;
};
template <typename T>
struct ExceptionOrValue<ExceptionOr<T>> {
  using Type = T;
};

// A value of the IDL type, or an ExceptionOr of one; void (or ExceptionOr<void>) for undefined.
template <typename Result, typename IDLType>
concept ImplementationResultFor =
    (std::is_same_v<IDLType, IDLUndefined> &&
     (std::is_void_v<Result> || std::is_same_v<Result, ExceptionOr<void>>)) ||
    (!std::is_void_v<Result> && !kIsExceptionOr<Result> && ConvertibleToV8<Result, IDLType>) ||
    (kIsExceptionOr<Result> && !std::is_void_v<typename ExceptionOrValue<Result>::Type> &&
     ConvertibleToV8<typename ExceptionOrValue<Result>::Type, IDLType>);

// A constructor returns RefPtr<Implementation> or ExceptionOr of it.
template <typename Result, typename Implementation>
concept ConstructorResultFor = std::is_convertible_v<Result, RefPtr<Implementation>> ||
    std::is_convertible_v<Result, ExceptionOr<RefPtr<Implementation>>>;

// Throws `exception` (a TypeError, RangeError or DOMException) with the context's prefix.
// Defined with the DOMException implementation in switchboard_bindings.
void ThrowException(const ExceptionContext& context, const Exception& exception);

// A new DOMException's wrapper with an Error-like `stack` (see AttachErrorStack), in the
// current context. Empty when V8 threw.
v8::Local<v8::Object> NewDOMExceptionWrapper(v8::Isolate* isolate, const std::string& name,
                                             const std::string& message);
// Gives `wrapper` the own `stack` property an Error created here would have, its first line
// naming `name` instead of "Error". False when V8 threw.
bool AttachErrorStack(v8::Isolate* isolate, v8::Local<v8::Object> wrapper, const std::string& name,
                      const std::string& message);

// The implementation behind the receiver. V8 already did the brand check (the member's
// v8::Signature); this only catches a wrapper whose construction failed half-way.
template <typename Implementation>
Implementation* ImplementationFromReceiver(const v8::FunctionCallbackInfo<v8::Value>& info) {
  ScriptWrappable* wrappable = ScriptWrappable::FromWrapper(info.Holder());
  if (!wrappable) {
    info.GetIsolate()->ThrowException(v8::Exception::TypeError(
        v8::String::NewFromUtf8Literal(info.GetIsolate(), "Illegal invocation")));
    return nullptr;
  }
  return static_cast<Implementation*>(wrappable);
}

inline bool CheckArgumentCount(const v8::FunctionCallbackInfo<v8::Value>& info,
                               const ExceptionContext& context, int required) {
  if (info.Length() >= required) return true;
  context.ThrowNotEnoughArguments(required, info.Length());
  return false;
}

// WebIDL §3.7.1 interface object [[Call]]: a constructor needs `new`.
inline bool CheckConstructCall(const v8::FunctionCallbackInfo<v8::Value>& info,
                               const ExceptionContext& context) {
  if (info.IsConstructCall()) return true;
  context.ThrowTypeError(
      "Please use the 'new' operator, this DOM object constructor cannot be called as a "
      "function.");
  return false;
}

// [CallWith=ScriptEnvironment]: the page the call comes from.
inline ScriptEnvironment* CurrentScriptEnvironment(const ExceptionContext& context) {
  ScriptEnvironment* environment = ScriptEnvironment::From(context.context());
  if (!environment) context.ThrowTypeError("The page is gone.");
  return environment;
}

// Sets the return value from an implementation result of IDL type `IDLType`.
template <typename IDLType, typename Value>
bool SetReturnValue(const v8::FunctionCallbackInfo<v8::Value>& info, Value&& value) {
  v8::Local<v8::Value> converted = ToV8Traits<IDLType>::ToV8(info.GetIsolate(), value);
  if (converted.IsEmpty()) return false;
  info.GetReturnValue().Set(converted);
  return true;
}

// Calls the implementation (`call` returns a value, void, or an ExceptionOr of either) and
// sets the return value of IDL type `IDLType`, or throws the returned Exception.
template <typename IDLType, typename Call>
bool CallAndSetReturnValue(const v8::FunctionCallbackInfo<v8::Value>& info,
                           const ExceptionContext& context, Call&& call) {
  using Result = decltype(call());
  if constexpr (std::is_void_v<Result>) {
    call();
    return true;
  } else if constexpr (kIsExceptionOr<Result>) {
    Result result = call();
    if (result.IsException()) {
      ThrowException(context, result.exception());
      return false;
    }
    if constexpr (std::is_same_v<Result, ExceptionOr<void>>) {
      return true;
    } else {
      return SetReturnValue<IDLType>(info, result.value());
    }
  } else {
    return SetReturnValue<IDLType>(info, call());
  }
}

// Like CallAndSetReturnValue for an attribute whose value is a platform object, and keeps
// that object's wrapper reachable from the receiver's, so that what script stored on it
// (expandos, listeners) survives as long as script can reach it through this attribute.
template <typename IDLType, typename Call>
bool CallAndSetReturnValueKeepingWrapper(const v8::FunctionCallbackInfo<v8::Value>& info,
                                         const ExceptionContext& context, const char* cache_name,
                                         Call&& call) {
  if (!CallAndSetReturnValue<IDLType>(info, context, std::forward<Call>(call))) return false;
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Private> key = PerIsolateData::Ensure(isolate).PrivateSymbol(cache_name);
  return !info.Holder()
              ->SetPrivate(isolate->GetCurrentContext(), key, info.GetReturnValue().Get())
              .IsNothing();
}

// Runs a constructor: `call` returns RefPtr<Implementation> (or an ExceptionOr of it); the new
// object becomes the wrapper of the result (`this`, which V8 made with new.target's prototype).
template <typename Implementation, typename Call>
bool ConstructAndAssociate(const v8::FunctionCallbackInfo<v8::Value>& info,
                           const ExceptionContext& context, Call&& call) {
  using Result = decltype(call());
  RefPtr<Implementation> implementation;
  if constexpr (kIsExceptionOr<Result>) {
    Result result = call();
    if (result.IsException()) {
      ThrowException(context, result.exception());
      return false;
    }
    implementation = result.ReleaseValue();
  } else {
    implementation = call();
  }
  v8::Local<v8::Object> wrapper = info.This();
  implementation->AssociateWithWrapper(info.GetIsolate(), wrapper);
  // DOMException: a `stack` like an Error's, pointing at the `new` (kHasErrorStack).
  if constexpr (requires { Implementation::kHasErrorStack; }) {
    if (!AttachErrorStack(info.GetIsolate(), wrapper, implementation->name(),
                          implementation->message())) {
      return false;
    }
  }
  info.GetReturnValue().Set(wrapper);
  return true;
}

// WebIDL §3.2.19 dictionary conversion, step 1: `object` is empty for undefined and null.
bool GetDictionaryObject(const ExceptionContext& context, v8::Local<v8::Value> value,
                         const char* dictionary_name, v8::Local<v8::Object>& object);
// Step 5: the member's value (undefined when `object` is empty); false when a getter threw.
bool GetDictionaryMember(const ExceptionContext& context, v8::Local<v8::Object> object,
                         const char* member_name, v8::Local<v8::Value>& value);

// WebIDL §3.7.7 the attribute setter of a [Replaceable] attribute, step 5: defines an own data
// property `name` with the assigned value on the receiver (CreateDataPropertyOrThrow).
void ReplaceAttribute(const v8::FunctionCallbackInfo<v8::Value>& info, const char* name);

// The FunctionCallback of an interface object whose interface has no constructor.
void IllegalConstructor(const v8::FunctionCallbackInfo<v8::Value>& info);

}  // namespace switchboard::bindings
