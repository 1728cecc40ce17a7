#include "bindings/testing/test_interfaces.h"

#include <cmath>
#include <utility>

namespace switchboard::bindings::testing {

RefPtr<TestObject> TestObject::Create(ScriptEnvironment& /*environment*/, const std::string& name,
                                      int32_t count) {
  return RefPtr(new TestObject(name, count));
}

std::string TestObject::Describe(std::optional<std::optional<int32_t>> value) {
  if (!value) return "missing";
  if (!*value) return "null";
  return std::to_string(**value);
}

std::string TestObject::Join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string result;
  for (size_t index = 0; index < parts.size(); ++index) {
    if (index) result += separator;
    result += parts[index];
  }
  return result;
}

std::vector<int32_t> TestObject::Range(uint32_t count) {
  std::vector<int32_t> result;
  for (uint32_t index = 0; index < count; ++index) result.push_back(static_cast<int32_t>(index));
  return result;
}

std::string TestObject::TakeUnion(const std::variant<TestObject*, std::string, double>& value) {
  if (auto* object = std::get_if<TestObject*>(&value)) return "TestObject " + (*object)->name();
  if (auto* string = std::get_if<std::string>(&value)) return "string " + *string;
  return "double " + std::to_string(std::get<double>(value));
}

std::string TestObject::TakeDictionary(const TestDictionary& dictionary) {
  std::string result = "parentMember=" + std::to_string(dictionary.parent_member);
  result += " flag=" + std::string(dictionary.flag ? "true" : "false");
  result += " text=" + dictionary.text.value_or("(none)");
  result += " choice=";
  if (!dictionary.choice) {
    result += "(none)";
  } else if (auto* object = std::get_if<TestObject*>(&*dictionary.choice)) {
    result += (*object)->name();
  } else {
    result += std::get<bool>(*dictionary.choice) ? "true" : "false";
  }
  result += " nullableNumber=" +
            (dictionary.nullable_number ? std::to_string(*dictionary.nullable_number) : "null");
  result += " numbers=" + std::to_string(dictionary.numbers.size());
  result += " small=" + std::to_string(dictionary.small);
  return result;
}

ExceptionOr<void> TestObject::ThrowDOMException(const std::string& name,
                                                const std::string& message) {
  return Exception::DOMException(name, message);
}

ExceptionOr<void> TestObject::ThrowTypeError(const std::string& message) {
  return Exception::TypeError(message);
}

ExceptionOr<void> TestObject::ThrowRangeError(const std::string& message) {
  return Exception::RangeError(message);
}

std::optional<std::string> TestCallbackRunner::CallFunction(RefPtr<TestCallback> callback,
                                                            const std::string& text,
                                                            int32_t number) {
  CallbackResult<std::string> result = callback->Invoke(this, text, number);
  if (result.outcome != ScriptOutcome::kCompleted) return std::nullopt;
  return result.value;
}

void TestCallbackRunner::CallVoid(RefPtr<TestVoidCallback> callback) { callback->Invoke(nullptr); }

std::optional<int32_t> TestCallbackRunner::CallInterface(RefPtr<TestCallbackInterface> callback,
                                                         int32_t value) {
  CallbackResult<int32_t> result = callback->Compute(this, value);
  if (result.outcome != ScriptOutcome::kCompleted) return std::nullopt;
  return result.value;
}

void TestCallbackRunner::Store(RefPtr<TestVoidCallback> callback) {
  if (stored_) ReleaseScriptReference(*stored_);
  stored_ = std::move(callback);
  if (stored_) RetainScriptReference(*stored_);
}

void TestCallbackRunner::CallStored() {
  if (stored_) stored_->Invoke(this);
}

bool TestEventTarget::Fire(ScriptEnvironment& environment, const std::string& type,
                           bool cancelable) {
  return FireEvent(environment, type, {.cancelable = cancelable});
}

void TestEventTarget::set_active(bool value) {
  active_ = value;
  UpdatePendingActivity();
}

}  // namespace switchboard::bindings::testing
