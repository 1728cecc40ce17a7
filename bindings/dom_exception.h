// DOMException (WebIDL §3.14.1): the exception objects platform APIs throw, with a name from
// the error names table, a message and the legacy numeric code.
//
// Thread: main thread. Ownership: reference counted (bindings::ScriptWrappable). The bindings
// create one from a bindings::Exception of kind kDOMException; script creates one with
// `new DOMException(message, name)`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "bindings/script_wrappable.h"

namespace switchboard::bindings {

class DOMException final : public ScriptWrappable {
 public:
  DECLARE_WRAPPER_TYPE_INFO()

  // The legacy codes (WebIDL "error names" table, DOMException constants).
  static constexpr uint16_t kIndexSizeErr = 1;
  static constexpr uint16_t kDomstringSizeErr = 2;
  static constexpr uint16_t kHierarchyRequestErr = 3;
  static constexpr uint16_t kWrongDocumentErr = 4;
  static constexpr uint16_t kInvalidCharacterErr = 5;
  static constexpr uint16_t kNoDataAllowedErr = 6;
  static constexpr uint16_t kNoModificationAllowedErr = 7;
  static constexpr uint16_t kNotFoundErr = 8;
  static constexpr uint16_t kNotSupportedErr = 9;
  static constexpr uint16_t kInuseAttributeErr = 10;
  static constexpr uint16_t kInvalidStateErr = 11;
  static constexpr uint16_t kSyntaxErr = 12;
  static constexpr uint16_t kInvalidModificationErr = 13;
  static constexpr uint16_t kNamespaceErr = 14;
  static constexpr uint16_t kInvalidAccessErr = 15;
  static constexpr uint16_t kValidationErr = 16;
  static constexpr uint16_t kTypeMismatchErr = 17;
  static constexpr uint16_t kSecurityErr = 18;
  static constexpr uint16_t kNetworkErr = 19;
  static constexpr uint16_t kAbortErr = 20;
  static constexpr uint16_t kUrlMismatchErr = 21;
  static constexpr uint16_t kQuotaExceededErr = 22;
  static constexpr uint16_t kTimeoutErr = 23;
  static constexpr uint16_t kInvalidNodeTypeErr = 24;
  static constexpr uint16_t kDataCloneErr = 25;

  // Wrappers get an Error-like `stack` where they are created (generated_code_support.h).
  static constexpr bool kHasErrorStack = true;

  // constructor(optional DOMString message = "", optional DOMString name = "Error")
  static RefPtr<DOMException> Create(std::string message, std::string name);

  const std::string& name() const { return name_; }
  const std::string& message() const { return message_; }
  // The legacy code of `name`, 0 for names without one.
  uint16_t code() const { return LegacyCodeForName(name_); }

  static uint16_t LegacyCodeForName(std::string_view name);

 private:
  DOMException(std::string message, std::string name)
      : name_(std::move(name)), message_(std::move(message)) {}

  std::string name_;
  std::string message_;
};

}  // namespace switchboard::bindings
