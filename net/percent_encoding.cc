// URL Standard §1.3 "Percent-encoded bytes".
#include "net/percent_encoding.h"

#include <cstddef>
#include <optional>

namespace switchboard {
namespace {

constexpr char kUpperHex[] = "0123456789ABCDEF";

std::optional<int> HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return std::nullopt;
}

// The length of the well-formed UTF-8 sequence at the start of `bytes` (Encoding's UTF-8
// decoder, whose "bytes needed" and bounds are the table below), or 0 when it is ill-formed.
// `consumed` is how many bytes the decoder takes for an ill-formed one (the maximal subpart).
size_t WellFormedSequenceLength(std::string_view bytes, size_t& consumed) {
  const auto lead = static_cast<unsigned char>(bytes[0]);
  consumed = 1;
  if (lead < 0x80) return 1;
  size_t needed = 0;
  unsigned char lower = 0x80;
  unsigned char upper = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    needed = 1;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    needed = 2;
    if (lead == 0xE0) lower = 0xA0;
    if (lead == 0xED) upper = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    needed = 3;
    if (lead == 0xF0) lower = 0x90;
    if (lead == 0xF4) upper = 0x8F;
  } else {
    return 0;
  }
  for (size_t seen = 1; seen <= needed; ++seen) {
    if (seen >= bytes.size()) return 0;
    const auto byte = static_cast<unsigned char>(bytes[seen]);
    if (byte < lower || byte > upper) return 0;
    lower = 0x80;
    upper = 0xBF;
    consumed = seen + 1;
  }
  return needed + 1;
}

}  // namespace

bool IsInPercentEncodeSet(unsigned char byte, PercentEncodeSet set) {
  // The C0 control percent-encode set.
  if (byte < 0x20 || byte > 0x7E) return true;
  const char c = static_cast<char>(byte);
  switch (set) {
    case PercentEncodeSet::kC0Control:
      return false;
    case PercentEncodeSet::kFragment:
      return c == ' ' || c == '"' || c == '<' || c == '>' || c == '`';
    case PercentEncodeSet::kQuery:
      return c == ' ' || c == '"' || c == '#' || c == '<' || c == '>';
    case PercentEncodeSet::kSpecialQuery:
      return c == '\'' || IsInPercentEncodeSet(byte, PercentEncodeSet::kQuery);
    case PercentEncodeSet::kPath:
      return c == '?' || c == '^' || c == '`' || c == '{' || c == '}' ||
             IsInPercentEncodeSet(byte, PercentEncodeSet::kQuery);
    case PercentEncodeSet::kUserinfo:
      return c == '/' || c == ':' || c == ';' || c == '=' || c == '@' || (c >= '[' && c <= ']') ||
             c == '|' || IsInPercentEncodeSet(byte, PercentEncodeSet::kPath);
    case PercentEncodeSet::kComponent:
      return (c >= '$' && c <= '&') || c == '+' || c == ',' ||
             IsInPercentEncodeSet(byte, PercentEncodeSet::kUserinfo);
    case PercentEncodeSet::kFormUrlencoded:
      return c == '!' || (c >= '\'' && c <= ')') || c == '~' ||
             IsInPercentEncodeSet(byte, PercentEncodeSet::kComponent);
  }
  return true;
}

void AppendPercentEncoded(std::string_view text, PercentEncodeSet set, std::string& output) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (!IsInPercentEncodeSet(byte, set)) {
      output += c;
      continue;
    }
    output += '%';
    output += kUpperHex[byte >> 4];
    output += kUpperHex[byte & 0x0F];
  }
}

std::string PercentEncode(std::string_view text, PercentEncodeSet set) {
  std::string output;
  AppendPercentEncoded(text, set, output);
  return output;
}

std::string PercentDecode(std::string_view text) {
  std::string output;
  output.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) && HexValue(text[i + 2])) {
      output += static_cast<char>(*HexValue(text[i + 1]) * 16 + *HexValue(text[i + 2]));
      i += 2;
    } else {
      output += text[i];
    }
  }
  return output;
}

std::string ToWellFormedUtf8(std::string_view bytes) {
  std::string output;
  output.reserve(bytes.size());
  while (!bytes.empty()) {
    size_t consumed = 0;
    const size_t length = WellFormedSequenceLength(bytes, consumed);
    if (length == 0) {
      output += "\xEF\xBF\xBD";
      bytes.remove_prefix(consumed);
    } else {
      output.append(bytes.substr(0, length));
      bytes.remove_prefix(length);
    }
  }
  return output;
}

bool IsWellFormedUtf8(std::string_view bytes) {
  while (!bytes.empty()) {
    size_t consumed = 0;
    const size_t length = WellFormedSequenceLength(bytes, consumed);
    if (length == 0) return false;
    bytes.remove_prefix(length);
  }
  return true;
}

}  // namespace switchboard
