// TextDecoder (Encoding Standard §7.2): UTF-8 bytes to strings, in one call or streamed
// across calls (`stream: true` keeps a partial sequence for the next call). Only UTF-8 is
// supported: any other label is a RangeError saying so.
//
// Thread: main thread. Ownership: reference counted (bindings::ScriptWrappable).
#pragma once

#include <optional>
#include <string>

#include "base/utf8_decoder.h"
#include "bindings/buffer_source.h"
#include "bindings/exception_or.h"
#include "bindings/ref_counted.h"
#include "bindings/script_wrappable.h"

namespace switchboard {

// dictionary TextDecoderOptions
struct TextDecoderOptions {
  bool fatal = false;
  bool ignore_bom = false;
};

// dictionary TextDecodeOptions
struct TextDecodeOptions {
  bool stream = false;
};

class TextDecoder final : public bindings::ScriptWrappable {
 public:
  DECLARE_WRAPPER_TYPE_INFO()

  // constructor(optional DOMString label = "utf-8", optional TextDecoderOptions options = {})
  static bindings::ExceptionOr<bindings::RefPtr<TextDecoder>> Create(
      const std::string& label, const TextDecoderOptions& options);

  std::string encoding() const { return "utf-8"; }
  bool fatal() const { return error_mode_ == Utf8Decoder::ErrorMode::kFatal; }
  bool ignore_bom() const { return ignore_bom_; }

  // decode(optional [AllowShared] BufferSource input, optional TextDecodeOptions options = {})
  bindings::ExceptionOr<std::string> Decode(std::optional<bindings::BufferSourceBytes> input,
                                            const TextDecodeOptions& options);

  // Encoding Standard §4.2 "get an encoding", for UTF-8 only: whether `label` (any case,
  // surrounded by ASCII whitespace or not) is one of UTF-8's labels.
  static bool IsUtf8Label(std::string_view label);

 private:
  TextDecoder(Utf8Decoder::ErrorMode error_mode, bool ignore_bom)
      : error_mode_(error_mode), ignore_bom_(ignore_bom), decoder_(error_mode) {}

  Utf8Decoder::ErrorMode error_mode_;
  bool ignore_bom_;
  Utf8Decoder decoder_;
  bool bom_seen_ = false;
  bool do_not_flush_ = false;
};

}  // namespace switchboard
