#include "net/request_headers.h"

#include <algorithm>
#include <array>

#include "base/ascii.h"

namespace switchboard {
namespace {

// RFC 9110 §5.5 field-vchar / SP / HTAB (obs-text included).
bool IsFieldValueByte(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte == '\t' || (byte >= 0x20 && byte != 0x7F);
}

}  // namespace

bool IsForbiddenExtraHeaderName(std::string_view name) {
  static constexpr std::array<std::string_view, 13> kForbidden = {
      "Host",   "Connection", "Upgrade",        "Keep-Alive",     "Proxy-Connection",
      "TE",     "Trailer",    "Expect",         "Content-Length", "Transfer-Encoding",
      "Origin", "Cookie",     "Accept-Encoding"};
  return std::any_of(kForbidden.begin(), kForbidden.end(), [&](std::string_view forbidden) {
    return EqualsIgnoringAsciiCase(name, forbidden);
  });
}

std::optional<std::string> ExtraHeaderError(const HeaderField& field) {
  const std::string_view name = field.name;
  const std::string_view value = field.value;
  if (name.empty()) return "a request header needs a name";
  if (name.size() > kMaxExtraHeaderNameBytes) {
    return "the request header name " + QuoteBytesForMessage(name) + " is longer than " +
           std::to_string(kMaxExtraHeaderNameBytes) + " bytes";
  }
  if (!std::all_of(name.begin(), name.end(), IsHttpTokenChar)) {
    return "the request header name " + QuoteBytesForMessage(name) + " is not an HTTP token";
  }
  if (IsForbiddenExtraHeaderName(name)) {
    return "the request header " + QuoteBytesForMessage(name) +
           " is set by the network stack and cannot be added";
  }
  if (value.size() > kMaxExtraHeaderValueBytes) {
    return "the value of request header " + QuoteBytesForMessage(name) + " is longer than " +
           std::to_string(kMaxExtraHeaderValueBytes) + " bytes";
  }
  if (!std::all_of(value.begin(), value.end(), IsFieldValueByte)) {
    return "the value of request header " + QuoteBytesForMessage(name) +
           " holds a control byte: " + QuoteBytesForMessage(value);
  }
  if (!value.empty() && (value.front() == ' ' || value.front() == '\t' || value.back() == ' ' ||
                         value.back() == '\t')) {
    return "the value of request header " + QuoteBytesForMessage(name) +
           " starts or ends with whitespace: " + QuoteBytesForMessage(value);
  }
  return std::nullopt;
}

std::optional<std::string> ExtraHeadersError(const std::vector<HeaderField>& fields) {
  if (fields.size() > kMaxExtraHeaders) {
    return std::to_string(fields.size()) + " request headers are more than the limit of " +
           std::to_string(kMaxExtraHeaders);
  }
  for (const HeaderField& field : fields) {
    if (std::optional<std::string> error = ExtraHeaderError(field)) return error;
  }
  return std::nullopt;
}

}  // namespace switchboard
