// Test helpers for CDP messages: reading one member of a JSON object as raw text, and making
// messages comparable (times and run-time ports replaced by placeholders).
#pragma once

#include <regex>
#include <string>
#include <string_view>

namespace switchboard::inspector::testing {

// The raw JSON text of the first member named `key` anywhere in `json` (an object, array,
// string with its quotes, number or literal); "" when there is none.
inline std::string JsonMember(std::string_view json, std::string_view key) {
  std::string needle = "\"" + std::string(key) + "\":";
  std::size_t at = json.find(needle);
  if (at == std::string_view::npos) return "";
  std::size_t start = at + needle.size();
  std::size_t end = start;
  int depth = 0;
  bool in_string = false;
  for (; end < json.size(); ++end) {
    char c = json[end];
    if (in_string) {
      if (c == '\\') {
        ++end;
      } else if (c == '"') {
        in_string = false;
        if (depth == 0) return std::string(json.substr(start, end + 1 - start));
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (depth == 0) break;
      if (--depth == 0) return std::string(json.substr(start, end + 1 - start));
    } else if (c == ',' && depth == 0) {
      break;
    }
  }
  return std::string(json.substr(start, end - start));
}

// The message with its times ("timestamp", "wallTime", "requestTime" and ResourceTiming's
// members) as T, and `port` as PORT.
inline std::string Normalized(const std::string& json, int port) {
  static const std::regex kTimes(
      R"re("(timestamp|wallTime|requestTime|dnsStart|dnsEnd|connectStart|connectEnd|sslStart|sslEnd|sendStart|sendEnd|receiveHeadersStart|receiveHeadersEnd)":-?[0-9.]+)re");
  std::string normalized = std::regex_replace(json, kTimes, "\"$1\":T");
  return std::regex_replace(normalized, std::regex(std::to_string(port)), "PORT");
}

}  // namespace switchboard::inspector::testing
