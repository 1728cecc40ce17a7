#include "base/utf8_decoder.h"

namespace switchboard {

namespace {

constexpr std::uint32_t kReplacementCharacter = 0xFFFD;

}  // namespace

void AppendUtf8(std::uint32_t code_point, std::string& output) {
  if (code_point < 0x80) {
    output += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    output += static_cast<char>(0xC0 | (code_point >> 6));
    output += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    output += static_cast<char>(0xE0 | (code_point >> 12));
    output += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    output += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    output += static_cast<char>(0xF0 | (code_point >> 18));
    output += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    output += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    output += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

void Utf8Decoder::Reset() {
  code_point_ = 0;
  bytes_seen_ = 0;
  bytes_needed_ = 0;
  lower_boundary_ = 0x80;
  upper_boundary_ = 0xBF;
}

// Encoding Standard §8.1.1 "UTF-8 decoder", its handler run for each byte, then for
// end-of-queue when flushing. An error is U+FFFD in replacement mode and stops in fatal mode.
Utf8Decoder::Status Utf8Decoder::Decode(std::span<const std::uint8_t> bytes, Flush flush,
                                        std::string& output) {
  auto error = [&] {
    if (error_mode_ == ErrorMode::kFatal) {
      Reset();
      return false;
    }
    AppendUtf8(kReplacementCharacter, output);
    return true;
  };
  std::size_t index = 0;
  while (index < bytes.size()) {
    const std::uint8_t byte = bytes[index];
    // 3. If bytes needed is 0, based on byte:
    if (bytes_needed_ == 0) {
      ++index;
      if (byte <= 0x7F) {
        output += static_cast<char>(byte);
      } else if (byte >= 0xC2 && byte <= 0xDF) {
        bytes_needed_ = 1;
        code_point_ = byte & 0x1F;
      } else if (byte >= 0xE0 && byte <= 0xEF) {
        if (byte == 0xE0) lower_boundary_ = 0xA0;  // no overlong three-byte forms
        if (byte == 0xED) upper_boundary_ = 0x9F;  // no surrogates
        bytes_needed_ = 2;
        code_point_ = byte & 0xF;
      } else if (byte >= 0xF0 && byte <= 0xF4) {
        if (byte == 0xF0) lower_boundary_ = 0x90;  // no overlong four-byte forms
        if (byte == 0xF4) upper_boundary_ = 0x8F;  // nothing above U+10FFFF
        bytes_needed_ = 3;
        code_point_ = byte & 0x7;
      } else if (!error()) {
        return Status::kFatalError;
      }
      continue;
    }
    // 4. A byte outside the boundaries ends the sequence as an error; the byte is restored
    //    to the queue (not consumed) and starts afresh.
    if (byte < lower_boundary_ || byte > upper_boundary_) {
      Reset();
      if (!error()) return Status::kFatalError;
      continue;
    }
    ++index;
    // 5-7.
    lower_boundary_ = 0x80;
    upper_boundary_ = 0xBF;
    code_point_ = (code_point_ << 6) | (byte & 0x3F);
    ++bytes_seen_;
    // 8-9.
    if (bytes_seen_ != bytes_needed_) continue;
    AppendUtf8(code_point_, output);
    Reset();
  }
  // 1. End-of-queue with bytes needed: an error.
  if (flush == Flush::kEndOfStream && bytes_needed_ != 0) {
    Reset();
    if (!error()) return Status::kFatalError;
  }
  return Status::kOk;
}

}  // namespace switchboard
