// ExceptionContext: where a conversion or a call happens, so that thrown errors say so, as
// browsers do: "Failed to execute 'dispatchEvent' on 'EventTarget': parameter 1 is not of type
// 'Event'." Cheap to copy; generated code makes one per callback.
#pragma once

#include <string>
#include <string_view>

#include <v8.h>

namespace switchboard::bindings {

class ExceptionContext {
 public:
  enum class Kind { kConstructor, kOperation, kGetter, kSetter, kCallback };

  ExceptionContext(v8::Isolate* isolate, Kind kind, const char* interface_name,
                   const char* property_name = "")
      : isolate_(isolate),
        kind_(kind),
        interface_name_(interface_name),
        property_name_(property_name) {}

  v8::Isolate* isolate() const { return isolate_; }
  v8::Local<v8::Context> context() const { return isolate_->GetCurrentContext(); }

  // The same place, converting argument `index` (1-based) or a dictionary member.
  ExceptionContext ForArgument(int index) const;
  ExceptionContext ForDictionaryMember(const char* dictionary_name, const char* member_name) const;

  // "Failed to execute 'f' on 'I': " + detail.
  std::string Message(std::string_view detail) const;
  // What is being converted: "parameter 2", "The provided value", "member once".
  std::string ValueDescription() const;

  void ThrowTypeError(std::string_view detail) const;
  void ThrowRangeError(std::string_view detail) const;
  // "<value description> is not of type '<type_name>'."
  void ThrowNotOfType(std::string_view type_name) const;
  void ThrowNotEnoughArguments(int required, int provided) const;

 private:
  v8::Isolate* isolate_;
  Kind kind_;
  const char* interface_name_;
  const char* property_name_;
  int argument_index_ = 0;
  const char* dictionary_name_ = nullptr;
  const char* member_name_ = nullptr;
};

}  // namespace switchboard::bindings
