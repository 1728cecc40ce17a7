// ASCII helpers for the protocols' case-insensitive parts (HTTP field names and tokens, URL
// schemes and hosts, cookie attributes, Access-Control keywords): only A-Z fold, never by
// locale, and bytes outside ASCII compare as they are.
//
// Thread: any (pure functions).
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

namespace switchboard {

constexpr char AsciiLower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

inline std::string AsciiLowercase(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = AsciiLower(c);
  return lower;
}

inline bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return AsciiLower(x) == AsciiLower(y);
         });
}

inline bool StartsWithIgnoringAsciiCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         EqualsIgnoringAsciiCase(text.substr(0, prefix.size()), prefix);
}

// RFC 9110 §5.6.2 tchar: the bytes of an HTTP token (methods, field names).
constexpr bool IsHttpTokenChar(char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Bytes from a peer or an embedder for an error message: in single quotes, printable ASCII as
// is, every other byte (and \ and ') as \xNN, at most `max_bytes` of input then "...", so
// that what ends up in a console line cannot forge another.
inline std::string QuoteBytesForMessage(std::string_view bytes, std::size_t max_bytes = 64) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string quoted = "'";
  for (char c : bytes.substr(0, max_bytes)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7F && c != '\\' && c != '\'') {
      quoted += c;
    } else {
      quoted += "\\x";
      quoted += kHex[byte >> 4];
      quoted += kHex[byte & 0x0F];
    }
  }
  if (bytes.size() > max_bytes) quoted += "...";
  return quoted + "'";
}

}  // namespace switchboard
