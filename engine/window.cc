#include "engine/window.h"

#include <array>
#include <cstdint>
#include <optional>

#include <v8.h>

#include "base/base64.h"
#include "bindings/string_conversions.h"
#include "bindings/structured_clone.h"
#include "engine/error_event.h"

namespace switchboard {

namespace {

// The code points of a WTF-8 string, each below U+0100, as bytes; nullopt when one is not.
// (WTF-8 lead bytes 0xC2/0xC3 are exactly the two-byte forms of U+0080-U+00FF.)
std::optional<std::string> Latin1Bytes(const std::string& wtf8) {
  std::string bytes;
  bytes.reserve(wtf8.size());
  for (std::size_t index = 0; index < wtf8.size(); ++index) {
    auto byte = static_cast<unsigned char>(wtf8[index]);
    if (byte < 0x80) {
      bytes.push_back(static_cast<char>(byte));
    } else if ((byte == 0xC2 || byte == 0xC3) && index + 1 < wtf8.size()) {
      auto continuation = static_cast<unsigned char>(wtf8[++index]);
      bytes.push_back(static_cast<char>(((byte & 0x1F) << 6) | (continuation & 0x3F)));
    } else {
      return std::nullopt;
    }
  }
  return bytes;
}

// Bytes as the code points U+0000-U+00FF, in UTF-8 (HTML's "isomorphic decode").
std::string IsomorphicDecode(const std::string& bytes) {
  std::string text;
  text.reserve(bytes.size());
  for (char character : bytes) {
    auto byte = static_cast<unsigned char>(character);
    if (byte < 0x80) {
      text.push_back(character);
    } else {
      text.push_back(static_cast<char>(0xC0 | (byte >> 6)));
      text.push_back(static_cast<char>(0x80 | (byte & 0x3F)));
    }
  }
  return text;
}

// Infra "ASCII whitespace": TAB, LF, FF, CR, SPACE.
bool IsAsciiWhitespace(char character) {
  return character == '\t' || character == '\n' || character == '\f' || character == '\r' ||
         character == ' ';
}

// Infra §4.7 "forgiving-base64 decode"; nullopt is failure.
std::optional<std::string> ForgivingBase64Decode(const std::string& data) {
  // 1. Remove all ASCII whitespace from data.
  std::string input;
  for (char character : data) {
    if (!IsAsciiWhitespace(character)) input.push_back(character);
  }
  // 2. If data's length divides by 4 leaving no remainder: if it ends with one or two '=',
  //    remove them.
  if (input.size() % 4 == 0) {
    if (input.ends_with("==")) {
      input.resize(input.size() - 2);
    } else if (input.ends_with("=")) {
      input.resize(input.size() - 1);
    }
  }
  // 3. If data's length divides by 4 leaving a remainder of 1, return failure.
  if (input.size() % 4 == 1) return std::nullopt;
  // 4. If data contains a code point that is not '+', '/' or ASCII alphanumeric, failure.
  std::array<int, 256> values;
  values.fill(-1);
  for (int index = 0; index < 64; ++index) {
    values[static_cast<unsigned char>(kBase64Alphabet[index])] = index;
  }
  // 5-8. Append 6 bits per code point; output each full byte.
  std::string output;
  uint32_t buffer = 0;
  int bits = 0;
  for (char character : input) {
    int value = values[static_cast<unsigned char>(character)];
    if (value < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      output.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  // 9. Leftover bits (12 → 4 discarded, 18 → 2 discarded) are dropped.
  return output;
}

}  // namespace

bindings::RefPtr<Window> Window::Create(double time_origin_unix_ms) {
  return bindings::RefPtr<Window>(new Window(time_origin_unix_ms));
}

Window::Window(double time_origin_unix_ms)
    : performance_(Performance::Create(time_origin_unix_ms)) {}

// HTML §8.3 btoa(data).
bindings::ExceptionOr<std::string> Window::Btoa(const std::string& data) const {
  // 1. If data contains any code point greater than U+00FF, throw an InvalidCharacterError.
  std::optional<std::string> bytes = Latin1Bytes(data);
  if (!bytes) {
    return bindings::Exception::DOMException(
        "InvalidCharacterError",
        "The string to be encoded contains characters outside of the "
        "Latin1 range.");
  }
  // 2-3. Forgiving-base64 encode the bytes.
  return Base64Encode(*bytes);
}

// HTML §8.3 atob(data).
bindings::ExceptionOr<std::string> Window::Atob(const std::string& data) const {
  // 1. Let decodedData be the result of running forgiving-base64 decode on data.
  // (A code point above U+007F is not in the base64 alphabet: the decode fails on it.)
  std::optional<std::string> decoded = ForgivingBase64Decode(data);
  // 2. If decodedData is failure, then throw an InvalidCharacterError DOMException.
  if (!decoded) {
    return bindings::Exception::DOMException("InvalidCharacterError",
                                             "The string to be decoded is not correctly encoded.");
  }
  // 3. Return decodedData (a byte sequence, which becomes a string of code points < U+0100).
  return IsomorphicDecode(*decoded);
}

// HTML §2.7.11 structuredClone(value, options).
bindings::ExceptionOr<bindings::ScriptValue> Window::StructuredClone(
    bindings::ScriptValue value, StructuredSerializeOptions options) {
  return bindings::StructuredClone(value, options.transfer);
}

// HTML §8.1.8.1 "the event handler processing algorithm", with its special error event
// handling: an ErrorEvent named `error` whose currentTarget is a global (this Window).
bindings::ScriptOutcome Window::RunEventHandler(dom::Event& event, const std::string& type) {
  if (type != "error" || event.GetWrapperTypeInfo() != &ErrorEvent::wrapper_type_info) {
    return EventTarget::RunEventHandler(event, type);
  }
  auto* error_event = static_cast<ErrorEvent*>(&event);
  // 1. Let callback be the event handler's value; 2. if null, return.
  bindings::RefPtr<dom::EventHandlerNonNull> callback(GetEventHandler(type));
  if (!callback) return bindings::ScriptOutcome::kCompleted;
  // 3. Special error event handling: invoke callback with event's message, filename, lineno,
  //    colno and error, this being the event's currentTarget.
  bindings::CallbackResult<bindings::ScriptValue> result = callback->InvokeWithArguments(
      this, [&](v8::Local<v8::Context> context, std::vector<v8::Local<v8::Value>>& arguments) {
        v8::Isolate* isolate = context->GetIsolate();
        v8::Local<v8::String> message = bindings::ToV8String(isolate, error_event->message());
        v8::Local<v8::String> filename = bindings::ToV8String(isolate, error_event->filename());
        if (message.IsEmpty() || filename.IsEmpty()) return false;
        arguments = {message, filename,
                     v8::Integer::NewFromUnsigned(isolate, error_event->lineno()),
                     v8::Integer::NewFromUnsigned(isolate, error_event->colno()),
                     error_event->error().Get(isolate)};
        return true;
      });
  if (result.outcome != bindings::ScriptOutcome::kCompleted) return result.outcome;
  // 5. Process the return value: with special error event handling, true cancels the event.
  if (result.value.IsTrue()) event.PreventDefault();
  return bindings::ScriptOutcome::kCompleted;
}

}  // namespace switchboard
