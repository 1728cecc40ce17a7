// Helpers shared by the fuzz targets in fuzz/: FUZZ_CHECK() states an oracle, and Printable()
// shows peer bytes in its report. A failed check aborts, which libFuzzer reports as a crash and
// saves the input as an artifact.
#pragma once

#include <cstdio>
#include <cstdlib>
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
