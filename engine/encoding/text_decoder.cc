#include "engine/encoding/text_decoder.h"

#include <array>
#include <string_view>

namespace switchboard {

namespace {

// Encoding Standard §4.2, the labels of UTF-8.
constexpr std::array<std::string_view, 6> kUtf8Labels = {
    "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8",
};

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

bool IsAsciiWhitespace(char character) {
  return character == '\t' || character == '\n' || character == '\f' || character == '\r' ||
         character == ' ';
}

}  // namespace

bool TextDecoder::IsUtf8Label(std::string_view label) {
  // 1. Remove any leading and trailing ASCII whitespace from label.
  while (!label.empty() && IsAsciiWhitespace(label.front())) label.remove_prefix(1);
  while (!label.empty() && IsAsciiWhitespace(label.back())) label.remove_suffix(1);
  // 2. If label is an ASCII case-insensitive match for a label, return its encoding.
  for (std::string_view utf8_label : kUtf8Labels) {
    if (label.size() != utf8_label.size()) continue;
    bool equal = true;
    for (std::size_t index = 0; index < label.size() && equal; ++index) {
      char character = label[index];
      if (character >= 'A' && character <= 'Z') character = static_cast<char>(character + 32);
      equal = character == utf8_label[index];
    }
    if (equal) return true;
  }
  return false;
}

// Encoding Standard §7.2 new TextDecoder(label, options).
bindings::ExceptionOr<bindings::RefPtr<TextDecoder>> TextDecoder::Create(
    const std::string& label, const TextDecoderOptions& options) {
  // 1-2. Get an encoding from label; failure (or replacement) is a RangeError. Every encoding
  //      but UTF-8 is unsupported here, which the message says.
  if (!IsUtf8Label(label)) {
    return bindings::Exception::RangeError("The encoding label provided ('" + label +
                                           "') is not supported: only UTF-8 is.");
  }
  // 3-5. The encoding is UTF-8; fatal sets the error mode; ignoreBOM the ignore BOM flag.
  return bindings::RefPtr<TextDecoder>(new TextDecoder(
      options.fatal ? Utf8Decoder::ErrorMode::kFatal : Utf8Decoder::ErrorMode::kReplacement,
      options.ignore_bom));
}

// Encoding Standard §7.2 decode(input, options).
bindings::ExceptionOr<std::string> TextDecoder::Decode(
    std::optional<bindings::BufferSourceBytes> input, const TextDecodeOptions& options) {
  // 1. If this's do not flush is false, then set this's decoder to a new instance, this's I/O
  //    queue to empty and this's BOM seen to false.
  if (!do_not_flush_) {
    decoder_.Reset();
    bom_seen_ = false;
  }
  // 2. Set this's do not flush to options["stream"].
  do_not_flush_ = options.stream;
  // 3-5. Push a copy of input's bytes and process them; at the end of the stream (not
  //      streaming), end-of-queue flushes a partial sequence as an error.
  std::string output;
  std::span<const std::uint8_t> bytes;
  if (input) bytes = input->bytes();
  Utf8Decoder::Status status = decoder_.Decode(
      bytes, options.stream ? Utf8Decoder::Flush::kMoreToCome : Utf8Decoder::Flush::kEndOfStream,
      output);
  if (status == Utf8Decoder::Status::kFatalError) {
    // "Process an item" returned error in fatal mode: throw a TypeError. The next call starts
    // afresh unless it streams on.
    bom_seen_ = false;
    return bindings::Exception::TypeError("The encoded data was not valid UTF-8.");
  }
  // "Serialize I/O queue": unless ignoreBOM, the first code point of the stream is dropped if
  // it is U+FEFF; BOM seen is set by the first code point, whichever it is.
  if (!ignore_bom_ && !bom_seen_ && !output.empty()) {
    bom_seen_ = true;
    if (std::string_view(output).starts_with(kByteOrderMark)) {
      output.erase(0, kByteOrderMark.size());
    }
  }
  return output;
}

}  // namespace switchboard
