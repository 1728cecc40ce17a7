#include "bindings/dom_exception.h"

#include <array>
#include <utility>

namespace switchboard::bindings {

RefPtr<DOMException> DOMException::Create(std::string message, std::string name) {
  return RefPtr<DOMException>(new DOMException(std::move(message), std::move(name)));
}

uint16_t DOMException::LegacyCodeForName(std::string_view name) {
  // WebIDL §2.8.1 "error names": the names that have a legacy code.
  static constexpr std::array<std::pair<std::string_view, uint16_t>, 22> kLegacyCodes{{
      {"IndexSizeError", kIndexSizeErr},
      {"HierarchyRequestError", kHierarchyRequestErr},
      {"WrongDocumentError", kWrongDocumentErr},
      {"InvalidCharacterError", kInvalidCharacterErr},
      {"NoModificationAllowedError", kNoModificationAllowedErr},
      {"NotFoundError", kNotFoundErr},
      {"NotSupportedError", kNotSupportedErr},
      {"InUseAttributeError", kInuseAttributeErr},
      {"InvalidStateError", kInvalidStateErr},
      {"SyntaxError", kSyntaxErr},
      {"InvalidModificationError", kInvalidModificationErr},
      {"NamespaceError", kNamespaceErr},
      {"InvalidAccessError", kInvalidAccessErr},
      {"TypeMismatchError", kTypeMismatchErr},
      {"SecurityError", kSecurityErr},
      {"NetworkError", kNetworkErr},
      {"AbortError", kAbortErr},
      {"URLMismatchError", kUrlMismatchErr},
      {"QuotaExceededError", kQuotaExceededErr},
      {"TimeoutError", kTimeoutErr},
      {"InvalidNodeTypeError", kInvalidNodeTypeErr},
      {"DataCloneError", kDataCloneErr},
  }};
  for (const auto& [legacy_name, code] : kLegacyCodes) {
    if (legacy_name == name) return code;
  }
  return 0;
}

}  // namespace switchboard::bindings
