// Small conversions between V8 strings and UTF-8 that engine/ uses everywhere.
#pragma once

#include <string>
#include <string_view>

#include <v8.h>

namespace switchboard {

// A V8 string from UTF-8. Never fails: text longer than V8's maximum string length (which
// only the engine's own data could reach) becomes the empty string.
inline v8::Local<v8::String> V8String(v8::Isolate* isolate, std::string_view utf8) {
  v8::Local<v8::String> result;
  if (!v8::String::NewFromUtf8(isolate, utf8.data(), v8::NewStringType::kNormal,
                               static_cast<int>(utf8.size()))
           .ToLocal(&result)) {
    return v8::String::Empty(isolate);
  }
  return result;
}

// UTF-8 of a V8 string (lone surrogates become U+FFFD).
inline std::string Utf8(v8::Isolate* isolate, v8::Local<v8::String> text) {
  std::string result;
  result.resize(static_cast<std::size_t>(text->Utf8Length(isolate)));
  text->WriteUtf8(isolate, result.data(), static_cast<int>(result.size()), nullptr,
                  v8::String::NO_NULL_TERMINATION | v8::String::REPLACE_INVALID_UTF8);
  return result;
}

}  // namespace switchboard
