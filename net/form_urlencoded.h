// The URL Standard's application/x-www-form-urlencoded format (§5): the parser, the serializer
// and the string parser hook, as URLSearchParams uses them. Only UTF-8, the one conforming
// encoding.
//
// Thread: any (pure functions). Strings are UTF-8; the parser's output is well-formed UTF-8
// (bytes that are not UTF-8 after percent-decoding read as U+FFFD), the serializer's is ASCII.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchboard {

// A list of name-value tuples, in order; names may repeat.
using FormUrlencodedList = std::vector<std::pair<std::string, std::string>>;

// §5.1 "application/x-www-form-urlencoded parser" (and, on a UTF-8 string, §5.3's "string
// parser"): split on "&", skip empty sequences, split each at its first "=", "+" → space,
// percent-decode, UTF-8 decode without BOM.
FormUrlencodedList ParseFormUrlencoded(std::string_view input);

// §5.2 "application/x-www-form-urlencoded serializer": name=value pairs joined by "&", each
// percent-encoded with the application/x-www-form-urlencoded percent-encode set, space as "+".
std::string SerializeFormUrlencoded(const FormUrlencodedList& tuples);

// Appends "percent-encode after encoding" `text` (UTF-8) with the
// application/x-www-form-urlencoded percent-encode set and spaceAsPlus true.
void AppendFormUrlencoded(std::string_view text, std::string& output);

}  // namespace switchboard
