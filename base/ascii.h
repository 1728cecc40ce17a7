// ASCII helpers for the protocols' case-insensitive parts (HTTP field names and tokens, URL
// schemes and hosts, cookie attributes, Access-Control keywords): only A-Z fold, never by
// locale, and bytes outside ASCII compare as they are.
//
// Thread: any (pure functions).
#pragma once

#include <algorithm>
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

}  // namespace switchboard
