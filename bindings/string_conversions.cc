#include "bindings/string_conversions.h"

#include <cstdint>
#include <cstring>
#include <vector>

namespace switchboard::bindings {

std::string FromV8String(v8::Isolate* isolate, v8::Local<v8::String> string,
                         StringConversion conversion) {
  // Without REPLACE_INVALID_UTF8, V8 writes a lone surrogate as its 3-byte sequence (WTF-8).
  int flags = v8::String::NO_NULL_TERMINATION;
  if (conversion == StringConversion::kUSVString) flags |= v8::String::REPLACE_INVALID_UTF8;
  std::string result(static_cast<size_t>(string->Utf8Length(isolate)), '\0');
  string->WriteUtf8(isolate, result.data(), static_cast<int>(result.size()), nullptr, flags);
  return result;
}

namespace {

// Whether `wtf8` holds an encoded surrogate (0xED 0xA0..0xBF ...), which V8's UTF-8 decoder
// would replace by U+FFFD.
bool HasEncodedSurrogate(std::string_view wtf8) {
  // memchr skips to the rare lead byte 0xED: a byte loop here cost a quarter of the main
  // thread's time for 64 KiB `read` events (bench/README.md).
  const char* end = wtf8.data() + wtf8.size();
  const void* found = std::memchr(wtf8.data(), 0xED, wtf8.size());
  while (found != nullptr) {
    const char* lead = static_cast<const char*>(found);
    if (lead + 1 < end && static_cast<uint8_t>(lead[1]) >= 0xA0) return true;
    found = std::memchr(lead + 1, 0xED, static_cast<size_t>(end - lead - 1));
  }
  return false;
}

// Decodes WTF-8 to UTF-16; a byte that does not start a valid sequence becomes U+FFFD.
std::vector<uint16_t> DecodeWtf8(std::string_view wtf8) {
  std::vector<uint16_t> units;
  units.reserve(wtf8.size());
  size_t index = 0;
  while (index < wtf8.size()) {
    uint8_t lead = static_cast<uint8_t>(wtf8[index]);
    int length = lead < 0x80           ? 1
                 : (lead >> 5) == 0x6  ? 2
                 : (lead >> 4) == 0xE  ? 3
                 : (lead >> 3) == 0x1E ? 4
                                       : 0;
    uint32_t code_point = length == 1   ? lead
                          : length == 2 ? (lead & 0x1Fu)
                          : length == 3 ? (lead & 0x0Fu)
                                        : (lead & 0x07u);
    bool valid = length > 0 && index + static_cast<size_t>(length) <= wtf8.size();
    for (int continuation = 1; valid && continuation < length; ++continuation) {
      uint8_t byte = static_cast<uint8_t>(wtf8[index + static_cast<size_t>(continuation)]);
      valid = (byte & 0xC0) == 0x80;
      code_point = (code_point << 6) | (byte & 0x3Fu);
    }
    if (!valid) {
      units.push_back(0xFFFD);
      ++index;
      continue;
    }
    index += static_cast<size_t>(length);
    if (code_point >= 0x10000) {
      code_point -= 0x10000;
      units.push_back(static_cast<uint16_t>(0xD800 + (code_point >> 10)));
      units.push_back(static_cast<uint16_t>(0xDC00 + (code_point & 0x3FF)));
    } else {
      units.push_back(static_cast<uint16_t>(code_point));
    }
  }
  return units;
}

}  // namespace

v8::Local<v8::String> ToV8String(v8::Isolate* isolate, std::string_view wtf8) {
  if (!HasEncodedSurrogate(wtf8)) {
    return v8::String::NewFromUtf8(isolate, wtf8.data(), v8::NewStringType::kNormal,
                                   static_cast<int>(wtf8.size()))
        .FromMaybe(v8::Local<v8::String>());
  }
  std::vector<uint16_t> units = DecodeWtf8(wtf8);
  return v8::String::NewFromTwoByte(isolate, units.data(), v8::NewStringType::kNormal,
                                    static_cast<int>(units.size()))
      .FromMaybe(v8::Local<v8::String>());
}

namespace {

// Bytes held by this thread's external strings that V8 has not yet collected. V8 frees them
// when its garbage collector runs, and external strings take almost no space in V8's heap,
// so they do not make it run: a fast stream would pile up frames until V8's external-memory
// limit (64 MiB) started a collection. So past kExternalPressureBytes V8 is told of moderate
// memory pressure (it starts incremental marking), and past kExternalBytesBudget texts are
// copied into the heap again, whose filling brings a collection: a bound, not a hint.
thread_local size_t external_bytes_alive = 0;
thread_local bool pressure_reported = false;
constexpr size_t kExternalPressureBytes = 16 * 1024 * 1024;
constexpr size_t kExternalBytesBudget = 32 * 1024 * 1024;

// The storage of an external one-byte string: a share of a ScriptText's text. V8 deletes it
// (Dispose) when it collects the string, on the main thread.
class SharedOneByteResource final : public v8::String::ExternalOneByteStringResource {
 public:
  explicit SharedOneByteResource(std::shared_ptr<const std::string> text) : text_(std::move(text)) {
    external_bytes_alive += text_->size();
  }
  ~SharedOneByteResource() override {
    external_bytes_alive -= text_->size();
    if (external_bytes_alive < kExternalPressureBytes / 2) pressure_reported = false;
  }
  const char* data() const override { return text_->data(); }
  size_t length() const override { return text_->size(); }

 private:
  std::shared_ptr<const std::string> text_;
};

}  // namespace

ScriptText::ScriptText(std::string text, bool is_ascii) : is_ascii_(is_ascii) {
  if (is_ascii && text.size() >= kExternalMinBytes &&
      text.size() <= static_cast<size_t>(v8::String::kMaxLength)) {
    shared_ = std::make_shared<const std::string>(std::move(text));
  } else {
    text_ = std::move(text);
  }
}

v8::Local<v8::String> ScriptText::ToV8(v8::Isolate* isolate) const {
  if (shared_ && external_bytes_alive > kExternalPressureBytes && !pressure_reported) {
    pressure_reported = true;
    isolate->MemoryPressureNotification(v8::MemoryPressureLevel::kModerate);
  }
  if (shared_ && external_bytes_alive + shared_->size() <= kExternalBytesBudget) {
    // Not too long (checked above), not empty: V8 takes the resource.
    return v8::String::NewExternalOneByte(isolate, new SharedOneByteResource(shared_))
        .FromMaybe(v8::Local<v8::String>());
  }
  if (is_ascii_) {
    // Latin-1 is a plain copy; no UTF-8 decoding, no surrogate scan.
    const std::string_view text = view();
    return v8::String::NewFromOneByte(isolate, reinterpret_cast<const uint8_t*>(text.data()),
                                      v8::NewStringType::kNormal, static_cast<int>(text.size()))
        .FromMaybe(v8::Local<v8::String>());
  }
  return ToV8String(isolate, text_);
}

}  // namespace switchboard::bindings
