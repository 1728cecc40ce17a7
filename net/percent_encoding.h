// The URL Standard's percent-encoding (§1.3 "Percent-encoded bytes"): the percent-encode sets,
// UTF-8 percent-encoding and percent-decoding, and the UTF-8 clean-up the parser's input needs.
//
// Thread: any (pure functions over bytes). Strings are UTF-8; a byte >= 0x80 is in every set,
// so encoding a string byte by byte is the standard's "UTF-8 percent-encode" of its code points.
#pragma once

#include <string>
#include <string_view>

namespace switchboard {

// §1.3: each set contains the ones listed before it, except that the query set is not a
// superset of the fragment set (U+0060 `).
enum class PercentEncodeSet {
  kC0Control,       // C0 controls and everything above U+007E
  kFragment,        // C0 control and space " < > `
  kQuery,           // C0 control and space " # < >
  kSpecialQuery,    // query and '
  kPath,            // query and ? ^ ` { }
  kUserinfo,        // path and / : ; = @ [ \ ] |
  kComponent,       // userinfo and $ % & + ,
  kFormUrlencoded,  // component and ! ' ( ) ~
};

// Whether `byte` (of a UTF-8 string) is percent-encoded in `set`.
bool IsInPercentEncodeSet(unsigned char byte, PercentEncodeSet set);

// Appends "UTF-8 percent-encode `text` using `set`" to `output`.
void AppendPercentEncoded(std::string_view text, PercentEncodeSet set, std::string& output);
std::string PercentEncode(std::string_view text, PercentEncodeSet set);

// §1.3 "percent-decode": every "%XX" with two hex digits becomes its byte; other bytes,
// including a '%' not followed by two hex digits, stay as they are.
std::string PercentDecode(std::string_view text);

// Encoding's "UTF-8 decode" then re-encoded: each ill-formed subsequence of `bytes` becomes
// U+FFFD, so the result is well-formed UTF-8 (a URL is a string of scalar values).
std::string ToWellFormedUtf8(std::string_view bytes);
bool IsWellFormedUtf8(std::string_view bytes);

}  // namespace switchboard
