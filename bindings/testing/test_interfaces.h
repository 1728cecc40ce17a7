// Implementation classes for the generator's test IDL (idl/tests/*.idl), compiled with the
// generated code into switchboard_bindings_tests.
//
// Thread: main thread. Ownership: reference counted like every ScriptWrappable.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "bindings/buffer_source.h"
#include "bindings/callback.h"
#include "bindings/exception_or.h"
#include "bindings/script_value.h"
#include "bindings/script_wrappable.h"
#include "engine/dom/event_target.h"

namespace switchboard::bindings::testing {

class TestObject;

struct TestParentDictionary {
  int32_t parent_member = 7;
};

struct TestDictionary : TestParentDictionary {
  bool flag = false;
  std::optional<std::string> text;
  std::optional<std::variant<TestObject*, bool>> choice;
  std::optional<int32_t> nullable_number;
  std::vector<int32_t> numbers;
  uint8_t small = 1;
};

struct TestRequiredDictionary {
  std::string name;
};

class TestObject final : public ScriptWrappable {
 public:
  DECLARE_WRAPPER_TYPE_INFO()

  static constexpr int16_t kMinusOne = -1;
  static constexpr double kHalf = 0.5;

  static RefPtr<TestObject> Create(ScriptEnvironment& environment, const std::string& name,
                                   int32_t count);

  bool boolean_value() const { return boolean_value_; }
  void set_boolean_value(bool value) { boolean_value_ = value; }
  int8_t byte_value() const { return byte_value_; }
  void set_byte_value(int8_t value) { byte_value_ = value; }
  uint8_t octet_value() const { return octet_value_; }
  void set_octet_value(uint8_t value) { octet_value_ = value; }
  int16_t short_value() const { return short_value_; }
  void set_short_value(int16_t value) { short_value_ = value; }
  uint16_t unsigned_short_value() const { return unsigned_short_value_; }
  void set_unsigned_short_value(uint16_t value) { unsigned_short_value_ = value; }
  int32_t long_value() const { return long_value_; }
  void set_long_value(int32_t value) { long_value_ = value; }
  uint32_t unsigned_long_value() const { return unsigned_long_value_; }
  void set_unsigned_long_value(uint32_t value) { unsigned_long_value_ = value; }
  int64_t long_long_value() const { return long_long_value_; }
  void set_long_long_value(int64_t value) { long_long_value_ = value; }
  uint64_t unsigned_long_long_value() const { return unsigned_long_long_value_; }
  void set_unsigned_long_long_value(uint64_t value) { unsigned_long_long_value_ = value; }
  int32_t enforced_long() const { return enforced_long_; }
  void set_enforced_long(int32_t value) { enforced_long_ = value; }
  uint64_t enforced_unsigned_long_long() const { return enforced_unsigned_long_long_; }
  void set_enforced_unsigned_long_long(uint64_t value) { enforced_unsigned_long_long_ = value; }
  uint8_t clamped_octet() const { return clamped_octet_; }
  void set_clamped_octet(uint8_t value) { clamped_octet_ = value; }
  int32_t clamped_long() const { return clamped_long_; }
  void set_clamped_long(int32_t value) { clamped_long_ = value; }
  double double_value() const { return double_value_; }
  void set_double_value(double value) { double_value_ = value; }
  double unrestricted_double_value() const { return unrestricted_double_value_; }
  void set_unrestricted_double_value(double value) { unrestricted_double_value_ = value; }
  float float_value() const { return float_value_; }
  void set_float_value(float value) { float_value_ = value; }
  const std::string& string_value() const { return string_value_; }
  void set_string_value(std::string value) { string_value_ = std::move(value); }
  const std::string& usv_string_value() const { return usv_string_value_; }
  void set_usv_string_value(std::string value) { usv_string_value_ = std::move(value); }
  const ScriptValue& any_value() const { return any_value_; }
  void set_any_value(ScriptValue value) { any_value_ = std::move(value); }
  const std::optional<std::string>& nullable_string() const { return nullable_string_; }
  void set_nullable_string(std::optional<std::string> value) {
    nullable_string_ = std::move(value);
  }
  std::optional<int32_t> nullable_long() const { return nullable_long_; }
  void set_nullable_long(std::optional<int32_t> value) { nullable_long_ = value; }
  TestObject* other() const { return other_.get(); }
  void set_other(TestObject* value) { other_ = value; }
  const std::string& name() const { return name_; }
  int32_t count() const { return count_; }

  int32_t Add(int32_t a, int32_t b) { return a + b; }
  std::string Describe(std::optional<std::optional<int32_t>> value);
  std::string Join(const std::vector<std::string>& parts, const std::string& separator);
  std::vector<int32_t> Range(uint32_t count);
  std::string TakeUnion(const std::variant<TestObject*, std::string, double>& value);
  std::string TakeDictionary(const TestDictionary& dictionary);
  std::string TakeRequired(const TestRequiredDictionary& dictionary) { return dictionary.name; }
  ExceptionOr<void> ThrowDOMException(const std::string& name, const std::string& message);
  ExceptionOr<void> ThrowTypeError(const std::string& message);
  ExceptionOr<void> ThrowRangeError(const std::string& message);
  ScriptValue Identity(ScriptValue value) { return value; }
  static int32_t Twice(int32_t value) { return 2 * value; }

 private:
  TestObject(std::string name, int32_t count) : name_(std::move(name)), count_(count) {}

  bool boolean_value_ = false;
  int8_t byte_value_ = 0;
  uint8_t octet_value_ = 0;
  int16_t short_value_ = 0;
  uint16_t unsigned_short_value_ = 0;
  int32_t long_value_ = 0;
  uint32_t unsigned_long_value_ = 0;
  int64_t long_long_value_ = 0;
  uint64_t unsigned_long_long_value_ = 0;
  int32_t enforced_long_ = 0;
  uint64_t enforced_unsigned_long_long_ = 0;
  uint8_t clamped_octet_ = 0;
  int32_t clamped_long_ = 0;
  double double_value_ = 0;
  double unrestricted_double_value_ = 0;
  float float_value_ = 0;
  std::string string_value_;
  std::string usv_string_value_;
  ScriptValue any_value_;
  std::optional<std::string> nullable_string_;
  std::optional<int32_t> nullable_long_;
  RefPtr<TestObject> other_;
  std::string name_;
  int32_t count_;
};

class TestNonConstructible final : public ScriptWrappable {
 public:
  DECLARE_WRAPPER_TYPE_INFO()
  int32_t value() const { return 42; }
};

// callback TestCallback = DOMString (DOMString text, long number);
class TestCallback : public CallbackFunctionBase {
 public:
  virtual CallbackResult<std::string> Invoke(ScriptWrappable* this_value, const std::string& text,
                                             int32_t number) = 0;

 protected:
  using CallbackFunctionBase::CallbackFunctionBase;
};

// callback TestVoidCallback = undefined ();
class TestVoidCallback : public CallbackFunctionBase {
 public:
  virtual ScriptOutcome Invoke(ScriptWrappable* this_value) = 0;

 protected:
  using CallbackFunctionBase::CallbackFunctionBase;
};

// callback interface TestCallbackInterface { long compute(long value); };
class TestCallbackInterface : public CallbackInterfaceBase {
 public:
  virtual CallbackResult<int32_t> Compute(ScriptWrappable* this_value, int32_t value) = 0;

 protected:
  using CallbackInterfaceBase::CallbackInterfaceBase;
};

class TestCallbackRunner final : public ScriptWrappable {
 public:
  DECLARE_WRAPPER_TYPE_INFO()

  static RefPtr<TestCallbackRunner> Create() { return RefPtr(new TestCallbackRunner()); }

  std::optional<std::string> CallFunction(RefPtr<TestCallback> callback, const std::string& text,
                                          int32_t number);
  void CallVoid(RefPtr<TestVoidCallback> callback);
  std::optional<int32_t> CallInterface(RefPtr<TestCallbackInterface> callback, int32_t value);
  void Store(RefPtr<TestVoidCallback> callback);
  void CallStored();

 private:
  TestCallbackRunner() = default;

  RefPtr<TestVoidCallback> stored_;
};

class TestEventTarget final : public dom::EventTarget {
 public:
  DECLARE_WRAPPER_TYPE_INFO()

  static RefPtr<TestEventTarget> Create() { return RefPtr(new TestEventTarget()); }

  bool Fire(ScriptEnvironment& environment, const std::string& type, bool cancelable);
  bool active() const { return active_; }
  void set_active(bool value);

  bool HasPendingActivity() const override { return active_ && HasEventListeners(); }

 private:
  TestEventTarget() = default;

  bool active_ = false;
};

// idl/tests/TestBuffers.idl
struct TestParentByteCounts {
  uint64_t total = 0;
};

struct TestByteCounts : TestParentByteCounts {
  std::optional<uint64_t> first;
  ScriptValue tag;
};

class TestBuffers final : public ScriptWrappable {
 public:
  DECLARE_WRAPPER_TYPE_INFO()
  static RefPtr<TestBuffers> Create() { return RefPtr<TestBuffers>(new TestBuffers()); }

  TestBuffers* self() { return this; }
  uint64_t BufferSourceLength(const BufferSourceBytes& source) const { return source.size(); }
  uint64_t ArrayBufferLength(const BufferSourceBytes& buffer) const { return buffer.size(); }
  uint64_t ViewLength(const BufferSourceBytes& view) const { return view.size(); }
  uint64_t SharedLength(const BufferSourceBytes& source) const { return source.size(); }
  std::vector<uint8_t> Reversed(const BufferSourceBytes& bytes) const {
    return std::vector<uint8_t>(bytes.bytes().rbegin(), bytes.bytes().rend());
  }
  void Fill(const BufferSourceBytes& destination, uint8_t value) const {
    for (uint8_t& byte : destination.writable_bytes()) byte = value;
  }
  // Absent members stay absent in the returned object (first, when there are no bytes).
  TestByteCounts Counts(std::optional<BufferSourceBytes> source, ScriptValue tag) const {
    TestByteCounts counts;
    counts.tag = std::move(tag);
    if (!source) return counts;
    counts.total = source->size();
    if (source->size() > 0) counts.first = source->bytes()[0];
    return counts;
  }

 private:
  TestBuffers() = default;
};

// A [Global] interface: the global object of a context made from its template.
class TestGlobalScope final : public dom::EventTarget {
 public:
  DECLARE_WRAPPER_TYPE_INFO()

  static constexpr uint16_t kMixinConstant = 7;

  static RefPtr<TestGlobalScope> Create() { return RefPtr(new TestGlobalScope()); }
  // Like Window: the global object lives as long as its context.
  bool HasPendingActivity() const override { return true; }

  TestGlobalScope* unforgeable_self() { return this; }
  TestGlobalScope* replaceable_self() { return this; }
  int32_t counter() const { return counter_; }
  void set_counter(int32_t value) { counter_ = value; }
  int32_t Increment(int32_t by) { return counter_ += by; }
  std::string mixin_name() const { return "TestGlobalMixin"; }
  std::string Echo(const std::string& text) const { return text; }

 private:
  TestGlobalScope() = default;

  int32_t counter_ = 0;
};

}  // namespace switchboard::bindings::testing
