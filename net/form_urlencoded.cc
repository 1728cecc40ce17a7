// URL Standard §5 "application/x-www-form-urlencoded".
#include "net/form_urlencoded.h"

#include "net/percent_encoding.h"

namespace switchboard {
namespace {

// Steps 3.4-3.5 for one of name and value: "+" → space, percent-decode, UTF-8 decode without
// BOM (a BOM stays; ill-formed bytes become U+FFFD).
std::string DecodeComponent(std::string_view bytes) {
  std::string plus_as_space(bytes);
  for (char& c : plus_as_space) {
    if (c == '+') c = ' ';
  }
  return ToWellFormedUtf8(PercentDecode(plus_as_space));
}

}  // namespace

FormUrlencodedList ParseFormUrlencoded(std::string_view input) {
  FormUrlencodedList output;
  // 1. Let sequences be the result of splitting input on 0x26 (&).
  while (true) {
    const size_t ampersand = input.find('&');
    const std::string_view bytes = input.substr(0, ampersand);
    // 3.1 If bytes is the empty byte sequence, then continue.
    if (!bytes.empty()) {
      // 3.2-3.3 Name up to the first "=", value after it (or empty).
      const size_t equals = bytes.find('=');
      const std::string_view name = bytes.substr(0, equals);
      const std::string_view value =
          equals == std::string_view::npos ? std::string_view() : bytes.substr(equals + 1);
      output.emplace_back(DecodeComponent(name), DecodeComponent(value));
    }
    if (ampersand == std::string_view::npos) break;
    input.remove_prefix(ampersand + 1);
  }
  return output;
}

void AppendFormUrlencoded(std::string_view text, std::string& output) {
  constexpr char kUpperHex[] = "0123456789ABCDEF";
  for (const char c : ToWellFormedUtf8(text)) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == ' ') {
      // spaceAsPlus: U+0020 SPACE is written "+".
      output += '+';
    } else if (IsInPercentEncodeSet(byte, PercentEncodeSet::kFormUrlencoded)) {
      output += '%';
      output += kUpperHex[byte >> 4];
      output += kUpperHex[byte & 0xF];
    } else {
      output += c;
    }
  }
}

std::string SerializeFormUrlencoded(const FormUrlencodedList& tuples) {
  std::string output;
  for (const auto& [name, value] : tuples) {
    // 3.4 "&" between tuples; 3.5 name "=" value.
    if (!output.empty()) output += '&';
    AppendFormUrlencoded(name, output);
    output += '=';
    AppendFormUrlencoded(value, output);
  }
  return output;
}

}  // namespace switchboard
