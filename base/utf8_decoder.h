// Utf8Decoder: the Encoding Standard's UTF-8 decoder (§8.1.1), streaming, in replacement or
// fatal error mode. Errors replace maximal subparts of ill-formed sequences with one U+FFFD
// each, exactly as the standard's byte-at-a-time algorithm does: overlong forms, surrogates
// (ED A0..BF ..), code points above U+10FFFF, stray continuation bytes and truncated
// sequences. Pure: bytes in, UTF-8 out; no BOM handling (TextDecoder's).
//
// Thread: any (no shared state). Ownership: a value type.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace switchboard {

class Utf8Decoder {
 public:
  enum class ErrorMode { kReplacement, kFatal };
  // kEndOfStream: a partial sequence left at the end is an error; kMoreToCome keeps it for the
  // next call.
  enum class Flush { kEndOfStream, kMoreToCome };
  enum class Status { kOk, kFatalError };

  explicit Utf8Decoder(ErrorMode error_mode) : error_mode_(error_mode) {}

  // Appends the decoded text of `bytes` (well-formed UTF-8) to `output`. In fatal mode the
  // first error stops decoding and returns kFatalError; the decoder is then reset and
  // `output` holds what came before the error.
  Status Decode(std::span<const std::uint8_t> bytes, Flush flush, std::string& output);

  // Forgets a pending partial sequence.
  void Reset();
  // Whether a partial sequence waits for more bytes.
  bool HasPendingBytes() const { return bytes_needed_ != 0; }

 private:
  ErrorMode error_mode_;
  std::uint32_t code_point_ = 0;
  int bytes_seen_ = 0;
  int bytes_needed_ = 0;
  std::uint8_t lower_boundary_ = 0x80;
  std::uint8_t upper_boundary_ = 0xBF;
};

// Appends the UTF-8 encoding of the scalar value `code_point` to `output`.
void AppendUtf8(std::uint32_t code_point, std::string& output);

}  // namespace switchboard
