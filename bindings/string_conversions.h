// Strings between V8 and C++. Implementation classes see every IDL string as std::string:
//   - DOMString: WTF-8, i.e. UTF-8 that may also carry lone surrogates (encoded like any other
//     code point), so a string that goes from script to C++ and back is unchanged;
//   - USVString: UTF-8, lone surrogates already replaced by U+FFFD (WebIDL's conversion).
#pragma once

#include <string>
#include <string_view>

#include <v8.h>

namespace switchboard::bindings {

enum class StringConversion { kDOMString, kUSVString };

std::string FromV8String(v8::Isolate* isolate, v8::Local<v8::String> string,
                         StringConversion conversion);
// Empty only when V8 cannot make the string (too long); then no exception is pending.
v8::Local<v8::String> ToV8String(v8::Isolate* isolate, std::string_view wtf8);

}  // namespace switchboard::bindings
