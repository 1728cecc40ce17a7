// Fuzz target: FrameDecoder, AppendFrame() and IsValidUtf8(), spec §6 and §9.
//
// Input: bytes received on an open connection, followed by three control bytes read from the
// end (FuzzedDataProvider): the last one picks the maximum frame size (even: the §9 default;
// 1 mod 4: 0-63 bytes; 3 mod 4: SIZE_MAX), the two before it seed the chunk sizes.
//
// Oracles:
//  - the received bytes, fed in one chunk, in pseudo-random chunks and byte by byte, deliver
//    exactly the frames of a reference model of §6 (split at 0x17, drop frames not starting
//    with 0x02 or not valid UTF-8, fail once a frame exceeds the maximum), with the same counts;
//  - delivered texts are valid UTF-8 and never hold 0x17; after each Feed() the decoder
//    buffers exactly the bytes after the last 0x17, never more than the maximum frame + 1;
//    once failed, it fails again and delivers nothing;
//  - round trip: the input cut at every 0x02 into texts, repaired into valid UTF-8 and sent
//    with AppendFrame(), decodes (in the same chunkings) to those texts with U+0000 and U+0017
//    replaced by U+FFFD; AppendFrame() appends exactly FrameSize() bytes;
//  - IsValidUtf8() agrees with a code-point-decoding reference on the input and every frame.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "net/framer.h"

namespace switchboard {
namespace {

using fuzz::Printable;

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

// The length of the well-formed UTF-8 sequence at the start of `bytes` (1-4), or 0, decoded
// the long way: code point, then overlong, surrogate and range checks (Unicode §3.9 D92).
size_t ReferenceSequenceLength(std::string_view bytes) {
  const auto lead = static_cast<uint8_t>(bytes[0]);
  size_t length = 0;
  uint32_t code_point = 0;
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    code_point = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    code_point = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    code_point = lead & 0x07;
  } else {
    return 0;
  }
  if (bytes.size() < length) return 0;
  for (size_t i = 1; i < length; ++i) {
    const auto byte = static_cast<uint8_t>(bytes[i]);
    if ((byte & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte & 0x3F);
  }
  static constexpr uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code_point < kSmallest[length]) return 0;                // overlong
  if (code_point >= 0xD800 && code_point <= 0xDFFF) return 0;  // surrogate
  if (code_point > 0x10FFFF) return 0;                         // beyond Unicode
  return length;
}

bool ReferenceIsValidUtf8(std::string_view bytes) {
  while (!bytes.empty()) {
    const size_t length = ReferenceSequenceLength(bytes);
    if (length == 0) return false;
    bytes.remove_prefix(length);
  }
  return true;
}

// Valid UTF-8: every byte that does not start a well-formed sequence becomes U+FFFD.
std::string RepairUtf8(std::string_view bytes) {
  std::string repaired;
  while (!bytes.empty()) {
    const size_t length = ReferenceSequenceLength(bytes);
    if (length == 0) {
      repaired += kReplacementCharacter;
      bytes.remove_prefix(1);
    } else {
      repaired += bytes.substr(0, length);
      bytes.remove_prefix(length);
    }
  }
  return repaired;
}

void CheckUtf8Agreement(std::string_view bytes) {
  FUZZ_CHECK(IsValidUtf8(bytes) == ReferenceIsValidUtf8(bytes),
             "IsValidUtf8 disagrees on \"" + Printable(bytes) + "\"");
}

// What §6 says the bytes amount to.
struct Expected {
  std::vector<std::string> texts;
  size_t dropped = 0;
  bool failed = false;
};

Expected ReferenceDecode(std::string_view stream, size_t max_frame_bytes) {
  Expected expected;
  while (!stream.empty()) {
    const size_t end = stream.find(kFrameEnd);
    const std::string_view frame = stream.substr(0, end);
    // The first byte plus at most max_frame_bytes of text (compared without overflow).
    if (frame.size() > 0 && frame.size() - 1 > max_frame_bytes) {
      expected.failed = true;
      return expected;
    }
    if (end == std::string_view::npos) return expected;
    if (frame.empty() || frame.front() != kFrameStart || !ReferenceIsValidUtf8(frame.substr(1))) {
      ++expected.dropped;
    } else {
      expected.texts.emplace_back(frame.substr(1));
    }
    stream.remove_prefix(end + 1);
  }
  return expected;
}

// A small deterministic generator for chunk sizes (xorshift32).
class ChunkSizes {
 public:
  explicit ChunkSizes(uint16_t seed) : state_(0x9E3779B9u ^ seed) {}
  size_t Next() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 17;
    state_ ^= state_ << 5;
    // Mostly small chunks, sometimes large ones.
    return (state_ & 7) == 0 ? 1 + (state_ >> 8) % 512 : 1 + (state_ >> 8) % 7;
  }

 private:
  uint32_t state_;
};

enum class Chunking { kWhole, kPseudoRandom, kByteByByte };

// Decodes `stream` with `chunking`, checking the decoder's state after every Feed().
Expected Decode(std::string_view stream, size_t max_frame_bytes, Chunking chunking,
                uint16_t chunk_seed) {
  FrameDecoder decoder(max_frame_bytes);
  Expected decoded;
  const auto sink = [&](ReceivedText& received) {
    const std::string_view text = received;
    FUZZ_CHECK(IsValidUtf8(text), "delivered invalid UTF-8 \"" + Printable(text) + "\"");
    FUZZ_CHECK(text.find(kFrameEnd) == std::string_view::npos, "delivered a 0x17");
    FUZZ_CHECK(!decoded.failed, "delivered after failing");
    const bool ascii = std::all_of(text.begin(), text.end(),
                                   [](char byte) { return static_cast<uint8_t>(byte) < 0x80; });
    FUZZ_CHECK(received.is_ascii() == ascii, "wrong ASCII flag for \"" + Printable(text) + "\"");
    // Taken (moved out of the decoder's buffer or copied), the text is the same.
    decoded.texts.push_back(received.TakeString());
  };
  ChunkSizes sizes(chunk_seed);
  size_t fed = 0;
  size_t partial = 0;  // bytes since the last 0x17
  while (fed < stream.size()) {
    size_t chunk_size = stream.size() - fed;
    if (chunking == Chunking::kPseudoRandom) chunk_size = std::min(chunk_size, sizes.Next());
    if (chunking == Chunking::kByteByByte) chunk_size = 1;
    const std::string_view chunk = stream.substr(fed, chunk_size);
    const Result<Ok> result = decoder.Feed(chunk, sink);
    fed += chunk_size;
    if (!result.ok()) {
      FUZZ_CHECK(result.error().stage == Stage::kProtocol, "error stage");
      decoded.failed = true;
      FUZZ_CHECK(decoder.buffered_bytes() == 0, "buffers after failing");
      // Once failed, always failed, and nothing more is delivered.
      FUZZ_CHECK(!decoder.Feed(stream.substr(0, fed), sink).ok(), "recovered after failing");
      break;
    }
    // Buffered: exactly the bytes since the last 0x17, within the bound.
    const size_t last_end = chunk.rfind(kFrameEnd);
    partial = last_end == std::string_view::npos ? partial + chunk_size : chunk_size - last_end - 1;
    FUZZ_CHECK(decoder.buffered_bytes() == partial,
               "buffered " + std::to_string(decoder.buffered_bytes()) + " bytes, expected " +
                   std::to_string(partial));
    FUZZ_CHECK(partial == 0 || partial - 1 <= max_frame_bytes, "buffered more than a frame");
  }
  FUZZ_CHECK(decoder.delivered_frame_count() == decoded.texts.size(), "delivered count");
  decoded.dropped = decoder.dropped_frame_count();
  return decoded;
}

std::string DescribeTexts(const std::vector<std::string>& texts) {
  std::string description = std::to_string(texts.size()) + " texts:";
  for (const std::string& text : texts) description += " \"" + Printable(text) + "\"";
  return description;
}

void ExpectDecodes(std::string_view stream, size_t max_frame_bytes, uint16_t chunk_seed,
                   const Expected& expected, bool compare_dropped) {
  for (Chunking chunking : {Chunking::kWhole, Chunking::kPseudoRandom, Chunking::kByteByByte}) {
    const Expected decoded = Decode(stream, max_frame_bytes, chunking, chunk_seed);
    const std::string context =
        "stream \"" + Printable(stream) + "\" max " + std::to_string(max_frame_bytes) +
        " chunking " + std::to_string(static_cast<int>(chunking)) + ": decoded " +
        DescribeTexts(decoded.texts) + ", expected " + DescribeTexts(expected.texts);
    FUZZ_CHECK(decoded.texts == expected.texts, context);
    FUZZ_CHECK(decoded.failed == expected.failed, context);
    if (compare_dropped) FUZZ_CHECK(decoded.dropped == expected.dropped, context);
  }
}

// What the receiver of AppendFrame(text) sees: U+0000 and U+0017 replaced.
std::string ReplaceNulAndEtb(std::string_view text) {
  std::string replaced;
  for (char c : text) {
    if (c == '\0' || c == kFrameEnd) {
      replaced += kReplacementCharacter;
    } else {
      replaced += c;
    }
  }
  return replaced;
}

}  // namespace
}  // namespace switchboard

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace switchboard;
  FuzzedDataProvider provider(data, size);
  const auto limit_choice = provider.ConsumeIntegral<uint8_t>();
  size_t max_frame_bytes = kDefaultMaxFrameBytes;
  if ((limit_choice & 3) == 1) max_frame_bytes = (limit_choice >> 2) & 63;
  if ((limit_choice & 3) == 3) max_frame_bytes = SIZE_MAX;
  const auto chunk_seed = provider.ConsumeIntegral<uint16_t>();
  const std::string input = provider.ConsumeRemainingBytesAsString();
  const std::string_view stream = input;

  CheckUtf8Agreement(stream);

  // 1. The input as received bytes, against the reference model.
  const Expected expected = ReferenceDecode(stream, max_frame_bytes);
  for (const std::string& text : expected.texts) CheckUtf8Agreement(text);
  ExpectDecodes(stream, max_frame_bytes, chunk_seed, expected, /*compare_dropped=*/true);

  // 2. Round trip: texts cut at each 0x02, made valid UTF-8, framed by AppendFrame().
  std::string wire;
  Expected round_trip;
  size_t text_begin = 0;
  while (text_begin <= stream.size()) {
    const size_t text_end = std::min(stream.find(kFrameStart, text_begin), stream.size());
    const std::string text = RepairUtf8(stream.substr(text_begin, text_end - text_begin));
    const size_t before = wire.size();
    const size_t appended = AppendFrame(text, wire);
    const std::string_view frame = std::string_view(wire).substr(before);
    FUZZ_CHECK(appended == frame.size() && appended == FrameSize(text),
               "AppendFrame size for \"" + Printable(text) + "\"");
    FUZZ_CHECK(frame.front() == kFrameStart && frame.find(kFrameEnd) == frame.size() - 1 &&
                   frame.find('\0') == std::string_view::npos,
               "AppendFrame bytes \"" + Printable(frame) + "\"");
    const std::string received = ReplaceNulAndEtb(text);
    if (!round_trip.failed) {
      if (received.size() > max_frame_bytes) {
        round_trip.failed = true;
      } else {
        round_trip.texts.push_back(received);
      }
    }
    text_begin = text_end + 1;
  }
  ExpectDecodes(wire, max_frame_bytes, chunk_seed, round_trip, /*compare_dropped=*/false);
  return 0;
}
