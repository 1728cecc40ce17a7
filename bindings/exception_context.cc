#include "bindings/exception_context.h"

#include "bindings/string_conversions.h"

namespace switchboard::bindings {

ExceptionContext ExceptionContext::ForArgument(int index) const {
  ExceptionContext copy = *this;
  copy.argument_index_ = index;
  return copy;
}

ExceptionContext ExceptionContext::ForDictionaryMember(const char* dictionary_name,
                                                       const char* member_name) const {
  ExceptionContext copy = *this;
  copy.dictionary_name_ = dictionary_name;
  copy.member_name_ = member_name;
  return copy;
}

std::string ExceptionContext::Message(std::string_view detail) const {
  std::string message;
  switch (kind_) {
    case Kind::kConstructor:
      message = std::string("Failed to construct '") + interface_name_ + "': ";
      break;
    case Kind::kOperation:
      message =
          std::string("Failed to execute '") + property_name_ + "' on '" + interface_name_ + "': ";
      break;
    case Kind::kGetter:
      message = std::string("Failed to read the '") + property_name_ + "' property from '" +
                interface_name_ + "': ";
      break;
    case Kind::kSetter:
      message = std::string("Failed to set the '") + property_name_ + "' property on '" +
                interface_name_ + "': ";
      break;
    case Kind::kCallback:
      message = std::string("Failed to call '") + interface_name_ + "': ";
      break;
  }
  if (member_name_) {
    message += std::string("Failed to read the '") + member_name_ + "' property from '" +
               dictionary_name_ + "': ";
  }
  message += detail;
  return message;
}

std::string ExceptionContext::ValueDescription() const {
  if (member_name_) return std::string("member ") + member_name_;
  if (argument_index_ > 0) return "parameter " + std::to_string(argument_index_);
  return "The provided value";
}

void ExceptionContext::ThrowTypeError(std::string_view detail) const {
  isolate_->ThrowException(v8::Exception::TypeError(ToV8String(isolate_, Message(detail))));
}

void ExceptionContext::ThrowRangeError(std::string_view detail) const {
  isolate_->ThrowException(v8::Exception::RangeError(ToV8String(isolate_, Message(detail))));
}

void ExceptionContext::ThrowNotOfType(std::string_view type_name) const {
  ThrowTypeError(ValueDescription() + " is not of type '" + std::string(type_name) + "'.");
}

void ExceptionContext::ThrowNotEnoughArguments(int required, int provided) const {
  ThrowTypeError(std::to_string(required) + " argument" + (required == 1 ? "" : "s") +
                 " required, but only " + std::to_string(provided) + " present.");
}

}  // namespace switchboard::bindings
