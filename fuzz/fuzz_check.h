// Helpers shared by the fuzz targets in fuzz/: FUZZ_CHECK() states an oracle, Printable()
// shows peer bytes in its report, and SplitUrlAndBase() reads a URL and its base from one input. A
// failed check aborts, which libFuzzer reports as a crash and saves the input as an artifact.
#pragma once

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>

namespace switchboard::fuzz {

// Bytes as a C string literal body: printable ASCII as is, everything else as \xNN.
inline std::string Printable(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string printable;
  for (char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7F && c != '\\' && c != '"') {
      printable += c;
    } else {
      printable += "\\x";
      printable += kHex[byte >> 4];
      printable += kHex[byte & 0x0F];
    }
  }
  return printable;
}

// The URL fuzzers' input layout: the first byte chooses one of `bases` for the base URL, or
// (one past the last) says that the base is the input's first line. Empty input: nothing.
struct UrlAndBase {
  std::string_view input;
  std::string_view base;
};
inline bool SplitUrlAndBase(std::string_view data, std::span<const std::string_view> bases,
                            UrlAndBase& out) {
  if (data.empty()) return false;
  const size_t selector = static_cast<unsigned char>(data.front() - '0') % (bases.size() + 1);
  data.remove_prefix(1);
  if (selector < bases.size()) {
    out = {data, bases[selector]};
  } else {
    const size_t line_end = std::min(data.find('\n'), data.size());
    out = {data.substr(std::min(line_end + 1, data.size())), data.substr(0, line_end)};
  }
  return true;
}

[[noreturn]] inline void OracleFailed(const char* condition, const char* file, int line,
                                      const std::string& context) {
  std::fprintf(stderr, "%s:%d: oracle failed: %s\n  %s\n", file, line, condition, context.c_str());
  std::abort();
}

}  // namespace switchboard::fuzz

// Aborts with `context` (a std::string expression, evaluated only on failure) when `condition`
// does not hold.
#define FUZZ_CHECK(condition, context)                                              \
  do {                                                                              \
    if (!(condition)) {                                                             \
      ::switchboard::fuzz::OracleFailed(#condition, __FILE__, __LINE__, (context)); \
    }                                                                               \
  } while (false)
