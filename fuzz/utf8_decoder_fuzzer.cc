// Fuzz target: Utf8Decoder (Encoding Standard §8.1.1), both error modes.
//
// Input: bytes to decode, followed by two control bytes read from the end (FuzzedDataProvider)
// that seed the chunk sizes.
//
// Oracles:
//  - the output is well-formed UTF-8 (a reference validator, Unicode §3.9 D92);
//  - decoding in one chunk, in pseudo-random chunks and byte by byte gives the same text;
//  - on well-formed input the output is the input, and fatal mode succeeds; on ill-formed
//    input fatal mode fails, and the replacement output holds more U+FFFD than the input;
//  - fatal mode's output before the error is a prefix of the replacement mode's output.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/utf8_decoder.h"
#include "fuzz/fuzz_check.h"

namespace switchboard {
namespace {

using fuzz::Printable;

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

// The length of the well-formed sequence at the start of `bytes`, or 0 (Unicode Table 3-7).
size_t WellFormedLength(std::string_view bytes) {
  auto at = [&](size_t index) { return static_cast<uint8_t>(bytes[index]); };
  const uint8_t lead = at(0);
  auto in = [&](size_t index, uint8_t low, uint8_t high) {
    return index < bytes.size() && at(index) >= low && at(index) <= high;
  };
  if (lead <= 0x7F) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return in(1, 0x80, 0xBF) ? 2 : 0;
  if (lead == 0xE0) return in(1, 0xA0, 0xBF) && in(2, 0x80, 0xBF) ? 3 : 0;
  if ((lead >= 0xE1 && lead <= 0xEC) || lead == 0xEE || lead == 0xEF) {
    return in(1, 0x80, 0xBF) && in(2, 0x80, 0xBF) ? 3 : 0;
  }
  if (lead == 0xED) return in(1, 0x80, 0x9F) && in(2, 0x80, 0xBF) ? 3 : 0;
  if (lead == 0xF0) return in(1, 0x90, 0xBF) && in(2, 0x80, 0xBF) && in(3, 0x80, 0xBF) ? 4 : 0;
  if (lead >= 0xF1 && lead <= 0xF3) {
    return in(1, 0x80, 0xBF) && in(2, 0x80, 0xBF) && in(3, 0x80, 0xBF) ? 4 : 0;
  }
  if (lead == 0xF4) return in(1, 0x80, 0x8F) && in(2, 0x80, 0xBF) && in(3, 0x80, 0xBF) ? 4 : 0;
  return 0;
}

bool IsWellFormed(std::string_view bytes) {
  while (!bytes.empty()) {
    size_t length = WellFormedLength(bytes);
    if (length == 0) return false;
    bytes.remove_prefix(length);
  }
  return true;
}

size_t CountReplacements(std::string_view text) {
  size_t count = 0;
  for (size_t at = text.find(kReplacementCharacter); at != std::string_view::npos;
       at = text.find(kReplacementCharacter, at + 1)) {
    ++count;
  }
  return count;
}

// Decodes `bytes` in chunks whose sizes come from `next_size` (0 means one chunk).
template <typename NextSize>
std::string DecodeInChunks(std::span<const uint8_t> bytes, NextSize next_size) {
  Utf8Decoder decoder(Utf8Decoder::ErrorMode::kReplacement);
  std::string output;
  while (!bytes.empty()) {
    size_t size = next_size();
    if (size == 0 || size > bytes.size()) size = bytes.size();
    decoder.Decode(bytes.first(size), Utf8Decoder::Flush::kMoreToCome, output);
    bytes = bytes.subspan(size);
  }
  decoder.Decode({}, Utf8Decoder::Flush::kEndOfStream, output);
  return output;
}

}  // namespace
}  // namespace switchboard

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace switchboard;
  FuzzedDataProvider provider(data, size);
  const uint8_t seed_a = provider.ConsumeIntegralInRange<uint8_t>(0, 255);
  const uint8_t seed_b = provider.ConsumeIntegralInRange<uint8_t>(0, 255);
  const std::vector<uint8_t> bytes = provider.ConsumeRemainingBytes<uint8_t>();
  const std::string_view input(reinterpret_cast<const char*>(bytes.data()), bytes.size());

  const std::string whole = DecodeInChunks(bytes, [] { return size_t{0}; });
  FUZZ_CHECK(IsWellFormed(whole), "output is not well-formed UTF-8 for " + Printable(input));
  uint32_t state = seed_a * 256u + seed_b + 1;
  const std::string chunked = DecodeInChunks(bytes, [&] {
    state = state * 1103515245u + 12345u;
    return size_t{1} + (state >> 16) % 7;
  });
  FUZZ_CHECK(chunked == whole, "chunked decoding differs for " + Printable(input));
  const std::string byte_by_byte = DecodeInChunks(bytes, [] { return size_t{1}; });
  FUZZ_CHECK(byte_by_byte == whole, "byte-by-byte decoding differs for " + Printable(input));

  Utf8Decoder fatal(Utf8Decoder::ErrorMode::kFatal);
  std::string fatal_output;
  const bool fatal_ok = fatal.Decode(bytes, Utf8Decoder::Flush::kEndOfStream, fatal_output) ==
                        Utf8Decoder::Status::kOk;
  if (IsWellFormed(input)) {
    FUZZ_CHECK(whole == input, "well-formed input changed: " + Printable(input));
    FUZZ_CHECK(fatal_ok, "fatal mode failed on well-formed input " + Printable(input));
  } else {
    FUZZ_CHECK(!fatal_ok, "fatal mode accepted ill-formed input " + Printable(input));
    FUZZ_CHECK(CountReplacements(whole) > CountReplacements(input),
               "no U+FFFD for ill-formed input " + Printable(input));
  }
  FUZZ_CHECK(whole.compare(0, fatal_output.size(), fatal_output) == 0,
             "fatal output is not a prefix of the replacement output for " + Printable(input));
  return 0;
}
