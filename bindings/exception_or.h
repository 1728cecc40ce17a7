// Exception and ExceptionOr<T>: how implementation classes report an error that becomes a
// JavaScript exception (a TypeError, a RangeError or a DOMException), without seeing V8.
// Style rule 4: only methods the bindings call return these.
//
// The generated code turns an Exception into the thrown object, prefixing the message with
// where it happened ("Failed to execute 'send' on 'TCPConnection': ...").
#pragma once

#include <cassert>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace switchboard::bindings {

class ScriptValue;

class Exception {
 public:
  // kScriptValue: a value script gave earlier, thrown as is (AbortSignal's throwIfAborted()
  // throws the abort reason).
  enum class Kind { kTypeError, kRangeError, kDOMException, kScriptValue };

  static Exception TypeError(std::string message) {
    return Exception(Kind::kTypeError, "TypeError", std::move(message));
  }
  static Exception RangeError(std::string message) {
    return Exception(Kind::kRangeError, "RangeError", std::move(message));
  }
  // `name` is a DOMException name from WebIDL's error names table ("SyntaxError",
  // "InvalidStateError", ...); the DOMException's legacy code follows from it.
  static Exception DOMException(std::string name, std::string message) {
    return Exception(Kind::kDOMException, std::move(name), std::move(message));
  }
  static Exception SyntaxError(std::string message) {
    return DOMException("SyntaxError", std::move(message));
  }
  static Exception SecurityError(std::string message) {
    return DOMException("SecurityError", std::move(message));
  }
  static Exception InvalidStateError(std::string message) {
    return DOMException("InvalidStateError", std::move(message));
  }
  static Exception NotSupportedError(std::string message) {
    return DOMException("NotSupportedError", std::move(message));
  }

  // Throws `value` itself, without a message prefix. Make the pointer where ScriptValue is
  // complete: `std::make_shared<const ScriptValue>(value)`.
  static Exception ScriptValueException(std::shared_ptr<const ScriptValue> value) {
    Exception exception(Kind::kScriptValue, "", "");
    exception.value_ = std::move(value);
    return exception;
  }

  Kind kind() const { return kind_; }
  // The value to throw, for kScriptValue.
  const ScriptValue* value() const { return value_.get(); }
  const std::string& name() const { return name_; }
  const std::string& message() const { return message_; }

 private:
  Exception(Kind kind, std::string name, std::string message)
      : kind_(kind), name_(std::move(name)), message_(std::move(message)) {}

  Kind kind_;
  std::string name_;
  std::string message_;
  std::shared_ptr<const ScriptValue> value_;
};

// Either a value or the Exception to throw. ExceptionOr<void> carries no value.
template <typename T>
class [[nodiscard]] ExceptionOr {
 public:
  ExceptionOr(T value) : storage_(std::in_place_index<0>, std::move(value)) {}  // NOLINT
  ExceptionOr(Exception exception)  // NOLINT(google-explicit-constructor)
      : storage_(std::in_place_index<1>, std::move(exception)) {}
  template <typename U>
  requires(std::is_convertible_v<U&&, T> && !std::is_same_v<std::decay_t<U>, Exception>)
      ExceptionOr(U&& value)  // NOLINT(google-explicit-constructor)
      : storage_(std::in_place_index<0>, std::forward<U>(value)) {}

  bool IsException() const { return storage_.index() == 1; }
  const Exception& exception() const {
    assert(IsException());
    return std::get<1>(storage_);
  }
  T& value() {
    assert(!IsException());
    return std::get<0>(storage_);
  }
  T ReleaseValue() { return std::move(value()); }

 private:
  std::variant<T, Exception> storage_;
};

template <>
class [[nodiscard]] ExceptionOr<void> {
 public:
  ExceptionOr() = default;
  ExceptionOr(Exception exception)
      : exception_(std::move(exception)), has_exception_(true) {}  // NOLINT

  bool IsException() const { return has_exception_; }
  const Exception& exception() const {
    assert(IsException());
    return exception_;
  }

 private:
  Exception exception_ = Exception::TypeError("");
  bool has_exception_ = false;
};

template <typename T>
inline constexpr bool kIsExceptionOr = false;
template <typename T>
inline constexpr bool kIsExceptionOr<ExceptionOr<T>> = true;

}  // namespace switchboard::bindings
