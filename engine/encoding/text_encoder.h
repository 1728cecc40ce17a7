// TextEncoder (Encoding Standard §7.4): strings to UTF-8 bytes.
//
// Thread: main thread. Ownership: reference counted (bindings::ScriptWrappable); stateless.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bindings/buffer_source.h"
#include "bindings/ref_counted.h"
#include "bindings/script_wrappable.h"

namespace switchboard {

// dictionary TextEncoderEncodeIntoResult
struct TextEncoderEncodeIntoResult {
  std::optional<std::uint64_t> read;
  std::optional<std::uint64_t> written;
};

class TextEncoder final : public bindings::ScriptWrappable {
 public:
  DECLARE_WRAPPER_TYPE_INFO()

  // constructor()
  static bindings::RefPtr<TextEncoder> Create();

  std::string encoding() const { return "utf-8"; }
  // encode(optional USVString input = ""): `input` is UTF-8 already (USVString conversion).
  std::vector<std::uint8_t> Encode(const std::string& input) const;
  // encodeInto(USVString source, [AllowShared] Uint8Array destination)
  TextEncoderEncodeIntoResult EncodeInto(const std::string& source,
                                         const bindings::BufferSourceBytes& destination) const;

 private:
  TextEncoder() = default;
};

}  // namespace switchboard
