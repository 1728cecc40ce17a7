#include "engine/encoding/text_encoder.h"

#include <algorithm>
#include <span>

namespace switchboard {

bindings::RefPtr<TextEncoder> TextEncoder::Create() {
  return bindings::RefPtr<TextEncoder>(new TextEncoder());
}

// Encoding Standard §7.4 encode(input): the UTF-8 encoding of input's scalar values, which the
// USVString conversion already produced.
std::vector<std::uint8_t> TextEncoder::Encode(const std::string& input) const {
  return std::vector<std::uint8_t>(input.begin(), input.end());
}

namespace {

// The length of the UTF-8 sequence a lead byte starts (`source` is well-formed UTF-8).
std::size_t SequenceLength(std::uint8_t lead) {
  if (lead < 0x80) return 1;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  return 4;
}

}  // namespace

// Encoding Standard §7.4 encodeInto(source, destination).
TextEncoderEncodeIntoResult TextEncoder::EncodeInto(
    const std::string& source, const bindings::BufferSourceBytes& destination) const {
  std::span<std::uint8_t> bytes = destination.writable_bytes();
  // 1-2. Let read and written be 0.
  std::uint64_t read = 0;
  std::size_t written = 0;
  // 4. For each scalar value of source, while its whole UTF-8 encoding fits in the remaining
  //    destination: write it, add its length in UTF-16 code units to read (a supplementary
  //    code point is a surrogate pair in script, never split) and its bytes to written.
  std::size_t index = 0;
  while (index < source.size()) {
    std::size_t length = SequenceLength(static_cast<std::uint8_t>(source[index]));
    if (length > bytes.size() - written) break;
    std::copy_n(source.begin() + static_cast<std::ptrdiff_t>(index), length,
                bytes.begin() + static_cast<std::ptrdiff_t>(written));
    read += length == 4 ? 2 : 1;
    written += length;
    index += length;
  }
  // 5. Return «[ "read" → read, "written" → written ]».
  return {.read = read, .written = written};
}

}  // namespace switchboard
