#include "net/framer.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace switchboard {
namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD

bool IsForbiddenInFrame(char byte) { return byte == '\0' || byte == kFrameEnd; }

// A buffer that held a large frame is given back rather than kept for the connection's life.
constexpr size_t kMaxRetainedBufferCapacity = 64 * 1024;

// The first allocation for a partial frame: enough for typical messages in one go, never more
// than a frame can hold.
constexpr size_t kInitialPartialFrameCapacity = 4 * 1024;

bool IsContinuationByte(uint8_t byte) { return (byte & 0xC0) == 0x80; }

}  // namespace

size_t FrameSize(std::string_view utf8_text) {
  const auto replaced =
      static_cast<size_t>(std::count_if(utf8_text.begin(), utf8_text.end(), IsForbiddenInFrame));
  return utf8_text.size() + 2 * replaced + 2;
}

// §6 send(): 0x02, the text with U+0000 and U+0017 replaced by U+FFFD, 0x17.
size_t AppendFrame(std::string_view utf8_text, std::string& out) {
  const size_t frame_size = FrameSize(utf8_text);
  out.reserve(out.size() + frame_size);
  out += kFrameStart;
  while (!utf8_text.empty()) {
    const auto forbidden = std::find_if(utf8_text.begin(), utf8_text.end(), IsForbiddenInFrame);
    const auto clean_length = static_cast<size_t>(forbidden - utf8_text.begin());
    out.append(utf8_text.data(), clean_length);
    if (forbidden == utf8_text.end()) break;
    out += kReplacementCharacter;
    utf8_text.remove_prefix(clean_length + 1);
  }
  out += kFrameEnd;
  return frame_size;
}

// Unicode §3.9 Table 3-7, "Well-Formed UTF-8 Byte Sequences".
Utf8Kind ClassifyUtf8(std::string_view bytes) {
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  const size_t size = bytes.size();
  constexpr uint64_t kHighBits = 0x8080808080808080ULL;
  bool ascii = true;
  size_t i = 0;
  while (i < size) {
    // ASCII fast path: a word of 8 bytes, and after an ASCII word 32 bytes a step (four words
    // OR-ed, which compilers turn into vector loads). Text dense with other characters only
    // pays the one word check, as before the 32-byte step.
    if (size - i >= 8) {
      uint64_t word = 0;
      std::memcpy(&word, data + i, sizeof word);
      if ((word & kHighBits) == 0) {
        i += 8;
        while (size - i >= 32) {
          uint64_t words[4];
          std::memcpy(words, data + i, sizeof words);
          if (((words[0] | words[1] | words[2] | words[3]) & kHighBits) != 0) break;
          i += 32;
        }
        continue;
      }
    }
    const uint8_t lead = data[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    ascii = false;
    // The sequence length and the allowed range of the second byte, which is where overlong
    // forms (E0, F0), surrogates (ED) and code points above U+10FFFF (F4) are excluded.
    size_t length = 0;
    uint8_t second_min = 0x80;
    uint8_t second_max = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead == 0xE0) {
      length = 3;
      second_min = 0xA0;
    } else if ((lead >= 0xE1 && lead <= 0xEC) || lead == 0xEE || lead == 0xEF) {
      length = 3;
    } else if (lead == 0xED) {
      length = 3;
      second_max = 0x9F;
    } else if (lead == 0xF0) {
      length = 4;
      second_min = 0x90;
    } else if (lead >= 0xF1 && lead <= 0xF3) {
      length = 4;
    } else if (lead == 0xF4) {
      length = 4;
      second_max = 0x8F;
    } else {
      return Utf8Kind::kInvalid;  // 80-C1 (continuation or overlong lead), F5-FF
    }
    if (size - i < length) return Utf8Kind::kInvalid;  // truncated
    if (data[i + 1] < second_min || data[i + 1] > second_max) return Utf8Kind::kInvalid;
    for (size_t k = 2; k < length; ++k) {
      if (!IsContinuationByte(data[i + k])) return Utf8Kind::kInvalid;
    }
    i += length;
  }
  return ascii ? Utf8Kind::kAscii : Utf8Kind::kNonAscii;
}

bool IsValidUtf8(std::string_view bytes) { return ClassifyUtf8(bytes) != Utf8Kind::kInvalid; }

std::string ReceivedText::TakeString() {
  if (owner_ == nullptr) return std::string(view_);
  std::string text = std::move(*owner_);
  owner_ = nullptr;
  // The buffer was sized by the previous frame's size; do not hand much unused room along.
  if (text.capacity() - text.size() > std::max(text.size(), kInitialPartialFrameCapacity)) {
    text.shrink_to_fit();
  }
  return text;
}

// The bound is kept below SIZE_MAX so that "first byte + text" cannot overflow.
FrameDecoder::FrameDecoder(size_t max_frame_bytes)
    : max_frame_bytes_(std::min(max_frame_bytes, SIZE_MAX - 1)) {}

Error FrameDecoder::TooLargeError() const {
  return Error{Stage::kProtocol, "received a frame larger than the maximum of " +
                                     std::to_string(max_frame_bytes_) + " bytes"};
}

// §6 receiving: buffer bytes up to each 0x17 and hand every complete frame to DeliverOrDrop().
Result<Ok> FrameDecoder::Feed(std::string_view bytes, const FrameSink& sink) {
  if (failed_) return TooLargeError();
  // A frame without its 0x17 holds its first byte plus at most max_frame_bytes_ of text.
  const size_t max_frame_body = max_frame_bytes_ + 1;
  while (!bytes.empty()) {
    const void* end = std::memchr(bytes.data(), kFrameEnd, bytes.size());
    const size_t length = end == nullptr
                              ? bytes.size()
                              : static_cast<size_t>(static_cast<const char*>(end) - bytes.data());

    // 1. A frame too large fails the connection as soon as it is too large, so that memory
    //    stays bounded however long the peer withholds the 0x17 (§6, §9).
    if (length > max_frame_body - buffered_bytes()) {
      failed_ = true;
      gathering_ = false;
      std::string().swap(partial_text_);
      return TooLargeError();
    }

    // 2. No 0x17 yet: keep the bytes for the next call, the first byte apart from the text.
    if (end == nullptr) {
      if (!gathering_) {
        gathering_ = true;
        first_byte_ = bytes.front();
        bytes.remove_prefix(1);
        partial_text_.reserve(std::min(
            max_frame_bytes_,
            std::max({bytes.size(), kInitialPartialFrameCapacity, gathered_frame_size_hint_})));
      }
      partial_text_.append(bytes);
      return Ok{};
    }

    // 3. A complete frame: straight from the caller's bytes when it started in this chunk
    //    (copied only if the sink keeps it), else from the buffer, which the sink may take.
    if (!gathering_) {
      if (length == 0) {
        ++dropped_frame_count_;  // a 0x17 with no first byte
      } else {
        DeliverOrDrop(bytes.front(), bytes.substr(1, length - 1), nullptr, sink);
      }
    } else {
      partial_text_.append(bytes.data(), length);
      gathering_ = false;
      gathered_frame_size_hint_ = partial_text_.size();
      DeliverOrDrop(first_byte_, partial_text_, &partial_text_, sink);
      if (partial_text_.capacity() > kMaxRetainedBufferCapacity) {
        std::string().swap(partial_text_);
      } else {
        partial_text_.clear();
      }
    }
    bytes.remove_prefix(length + 1);
  }
  return Ok{};
}

// §6: a frame whose first byte is not 0x02 is dropped (reserved for extensions); so is one
// whose text is not valid UTF-8. Any other frame is delivered.
void FrameDecoder::DeliverOrDrop(char first_byte, std::string_view text, std::string* owner,
                                 const FrameSink& sink) {
  if (first_byte != kFrameStart) {
    ++dropped_frame_count_;
    return;
  }
  const Utf8Kind kind = ClassifyUtf8(text);
  if (kind == Utf8Kind::kInvalid) {
    ++dropped_frame_count_;
    return;
  }
  ++delivered_frame_count_;
  ReceivedText received(text, owner, kind == Utf8Kind::kAscii);
  sink(received);
}

}  // namespace switchboard
