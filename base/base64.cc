#include "base/base64.h"

#include <cstdint>

namespace switchboard {

std::string Base64Encode(std::string_view bytes) {
  std::string output;
  output.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t index = 0; index < bytes.size(); index += 3) {
    std::uint32_t group = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[index]))
                          << 16;
    std::size_t remaining = bytes.size() - index;
    if (remaining > 1) {
      group |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[index + 1])) << 8;
    }
    if (remaining > 2) group |= static_cast<unsigned char>(bytes[index + 2]);
    output.push_back(kBase64Alphabet[(group >> 18) & 0x3F]);
    output.push_back(kBase64Alphabet[(group >> 12) & 0x3F]);
    output.push_back(remaining > 1 ? kBase64Alphabet[(group >> 6) & 0x3F] : '=');
    output.push_back(remaining > 2 ? kBase64Alphabet[group & 0x3F] : '=');
  }
  return output;
}

}  // namespace switchboard
