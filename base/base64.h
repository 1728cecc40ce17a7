// Base64 encoding (RFC 4648 §4, with padding): btoa's output (HTML §8.3) and binary bodies in
// DevTools' Network.getResponseBody.
//
// Thread: any (pure).
#pragma once

#include <string>
#include <string_view>

namespace switchboard {

inline constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string Base64Encode(std::string_view bytes);

}  // namespace switchboard
