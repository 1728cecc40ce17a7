// Strings between V8 and C++. Implementation classes see every IDL string as std::string:
//   - DOMString: WTF-8, i.e. UTF-8 that may also carry lone surrogates (encoded like any other
//     code point), so a string that goes from script to C++ and back is unchanged;
//   - USVString: UTF-8, lone surrogates already replaced by U+FFFD (WebIDL's conversion).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <v8.h>

namespace switchboard::bindings {

enum class StringConversion { kDOMString, kUSVString };

std::string FromV8String(v8::Isolate* isolate, v8::Local<v8::String> string,
                         StringConversion conversion);
// Empty only when V8 cannot make the string (too long); then no exception is pending.
v8::Local<v8::String> ToV8String(v8::Isolate* isolate, std::string_view wtf8);

// A DOMString that C++ made and script reads, possibly several times (an event's data): kept
// as WTF-8 for C++, and handed to V8 without a copy when it is all ASCII and large: the string
// then becomes the storage of external one-byte V8 strings (ASCII is Latin-1 and has no
// surrogates, so nothing needs converting), shared with them until V8 collects the last one
// on the main thread. External strings barely fill V8's heap, so nothing would make V8 collect
// them before its 64 MiB external-memory limit: while those not yet collected hold more than
// 16 MiB (a thread's), V8 is told of memory pressure, and past 32 MiB texts are copied instead.
// Main thread only (the sharing is not for other threads).
class ScriptText {
 public:
  // From this size an ASCII text is external: below it, copying into the V8 heap is cheaper
  // than an external string's resource and bookkeeping (bench/README.md, issue 19).
  static constexpr size_t kExternalMinBytes = 1024;

  ScriptText() = default;
  // `is_ascii`: the caller knows every byte is below 0x80 (false is always correct).
  explicit ScriptText(std::string text, bool is_ascii = false);

  std::string_view view() const { return shared_ ? std::string_view(*shared_) : text_; }
  size_t size() const { return view().size(); }
  bool external() const { return shared_ != nullptr; }

  // Empty only when V8 cannot make the string (too long); then no exception is pending.
  v8::Local<v8::String> ToV8(v8::Isolate* isolate) const;

 private:
  std::string text_;                           // unless external
  std::shared_ptr<const std::string> shared_;  // the text, when external
  bool is_ascii_ = false;
};

}  // namespace switchboard::bindings
