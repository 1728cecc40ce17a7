#include "bindings/structured_clone.h"

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <v8.h>

#include "bindings/dom_exception.h"
#include "bindings/script_wrappable.h"
#include "bindings/string_conversions.h"

namespace switchboard::bindings {

namespace {

// The one [Serializable] platform object (WebIDL §3.14.1): DOMException, as its name and message.
constexpr uint32_t kDOMExceptionTag = 1;

void WriteString(v8::ValueSerializer& serializer, const std::string& text) {
  serializer.WriteUint32(static_cast<uint32_t>(text.size()));
  serializer.WriteRawBytes(text.data(), text.size());
}

bool ReadString(v8::ValueDeserializer& deserializer, std::string& text) {
  uint32_t size = 0;
  const void* bytes = nullptr;
  if (!deserializer.ReadUint32(&size) || !deserializer.ReadRawBytes(size, &bytes)) return false;
  text.assign(static_cast<const char*>(bytes), size);
  return true;
}

// Remembers the message of the DataCloneError V8 asks for, so that the caller can throw it as
// a DOMException (the runtime's ExceptionOr); V8 only needs some exception to unwind.
class SerializerDelegate final : public v8::ValueSerializer::Delegate {
 public:
  explicit SerializerDelegate(v8::Isolate* isolate) : isolate_(isolate) {}

  void set_serializer(v8::ValueSerializer* serializer) { serializer_ = serializer; }

  void ThrowDataCloneError(v8::Local<v8::String> message) override {
    data_clone_error_ = FromV8String(isolate_, message, StringConversion::kDOMString);
    isolate_->ThrowException(v8::Exception::Error(message));
  }

  // Platform objects (wrappers, i.e. objects with internal fields): none is [Serializable] yet.
  v8::Maybe<bool> WriteHostObject(v8::Isolate* isolate, v8::Local<v8::Object> object) override {
    ScriptWrappable* wrappable = ScriptWrappable::FromWrapper(object);
    if (wrappable && wrappable->GetWrapperTypeInfo() == &DOMException::wrapper_type_info) {
      // WebIDL §3.14.1 DOMException's serialization steps: its name and message.
      auto* exception = static_cast<DOMException*>(wrappable);
      serializer_->WriteUint32(kDOMExceptionTag);
      WriteString(*serializer_, exception->name());
      WriteString(*serializer_, exception->message());
      return v8::Just(true);
    }
    std::string name = wrappable ? wrappable->GetWrapperTypeInfo()->interface_name : "Platform";
    v8::Local<v8::String> message = ToV8String(isolate, name + " object could not be cloned.");
    if (!message.IsEmpty()) ThrowDataCloneError(message);
    return v8::Nothing<bool>();
  }

  // HTML StructuredSerializeInternal: a SharedArrayBuffer needs cross-origin isolation, which a
  // page here never has.
  v8::Maybe<uint32_t> GetSharedArrayBufferId(v8::Isolate* isolate,
                                             v8::Local<v8::SharedArrayBuffer>) override {
    v8::Local<v8::String> message =
        ToV8String(isolate, "SharedArrayBuffer objects cannot be cloned on this page.");
    if (!message.IsEmpty()) ThrowDataCloneError(message);
    return v8::Nothing<uint32_t>();
  }

  const std::optional<std::string>& data_clone_error() const { return data_clone_error_; }

 private:
  v8::Isolate* isolate_;
  v8::ValueSerializer* serializer_ = nullptr;
  std::optional<std::string> data_clone_error_;
};

class DeserializerDelegate final : public v8::ValueDeserializer::Delegate {
 public:
  void set_deserializer(v8::ValueDeserializer* deserializer) { deserializer_ = deserializer; }

  // DOMException's deserialization steps: a new DOMException with the name and message.
  v8::MaybeLocal<v8::Object> ReadHostObject(v8::Isolate* isolate) override {
    uint32_t tag = 0;
    std::string name;
    std::string message;
    if (!deserializer_->ReadUint32(&tag) || tag != kDOMExceptionTag ||
        !ReadString(*deserializer_, name) || !ReadString(*deserializer_, message)) {
      isolate->ThrowException(v8::Exception::Error(
          v8::String::NewFromUtf8Literal(isolate, "Unable to deserialize cloned data.")));
      return {};
    }
    return DOMException::Create(std::move(message), std::move(name))->GetOrCreateWrapper(isolate);
  }

 private:
  v8::ValueDeserializer* deserializer_ = nullptr;
};

Exception DataCloneError(std::string message) {
  return Exception::DOMException("DataCloneError", std::move(message));
}

struct SerializedBuffer {
  uint8_t* data = nullptr;
  size_t size = 0;
  ~SerializedBuffer() { std::free(data); }  // the default delegate allocates with realloc
};

}  // namespace

ExceptionOr<ScriptValue> StructuredClone(const ScriptValue& value,
                                         const std::vector<ScriptValue>& transfer) {
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  v8::EscapableHandleScope handle_scope(isolate);
  v8::Local<v8::Context> context = isolate->GetCurrentContext();

  // StructuredSerializeWithTransfer, steps 1-4: each transferable must be an ArrayBuffer
  // (no platform object here is [Transferable]), not shared, not detached, listed once.
  std::vector<v8::Local<v8::ArrayBuffer>> buffers;
  for (const ScriptValue& transferable : transfer) {
    v8::Local<v8::Value> object = transferable.Get(isolate);
    if (!object->IsArrayBuffer()) {
      return DataCloneError("Value at index " + std::to_string(buffers.size()) +
                            " of the transfer list is not a transferable object (only "
                            "ArrayBuffers can be transferred).");
    }
    v8::Local<v8::ArrayBuffer> buffer = object.As<v8::ArrayBuffer>();
    for (v8::Local<v8::ArrayBuffer> earlier : buffers) {
      if (earlier->StrictEquals(buffer)) {
        return DataCloneError("ArrayBuffer at index " + std::to_string(buffers.size()) +
                              " is a duplicate of an earlier ArrayBuffer in the transfer list.");
      }
    }
    if (buffer->WasDetached()) {
      return DataCloneError("ArrayBuffer at index " + std::to_string(buffers.size()) +
                            " is already detached.");
    }
    if (!buffer->IsDetachable()) {
      return DataCloneError("ArrayBuffer at index " + std::to_string(buffers.size()) +
                            " cannot be detached.");
    }
    buffers.push_back(buffer);
  }

  // Serialize (V8 throws DataCloneError for functions, symbols and objects with internal
  // fields, i.e. platform objects).
  SerializerDelegate delegate(isolate);
  SerializedBuffer serialized;
  {
    v8::TryCatch try_catch(isolate);
    v8::ValueSerializer serializer(isolate, &delegate);
    delegate.set_serializer(&serializer);
    for (uint32_t index = 0; index < buffers.size(); ++index) {
      serializer.TransferArrayBuffer(index, buffers[index]);
    }
    serializer.WriteHeader();
    if (serializer.WriteValue(context, value.Get(isolate)).IsNothing()) {
      if (delegate.data_clone_error()) return DataCloneError(*delegate.data_clone_error());
      if (try_catch.HasCaught() && !try_catch.HasTerminated()) try_catch.ReThrow();
      return ScriptValue();
    }
    std::tie(serialized.data, serialized.size) = serializer.Release();
  }

  // StructuredSerializeWithTransfer step 5: detach the transferred buffers; their memory moves
  // to new buffers in the clone.
  std::vector<v8::Local<v8::ArrayBuffer>> transferred;
  for (v8::Local<v8::ArrayBuffer> buffer : buffers) {
    std::shared_ptr<v8::BackingStore> backing_store = buffer->GetBackingStore();
    buffer->Detach();
    transferred.push_back(v8::ArrayBuffer::New(isolate, std::move(backing_store)));
  }

  // StructuredDeserializeWithTransfer.
  v8::TryCatch try_catch(isolate);
  DeserializerDelegate deserializer_delegate;
  v8::ValueDeserializer deserializer(isolate, serialized.data, serialized.size,
                                     &deserializer_delegate);
  deserializer_delegate.set_deserializer(&deserializer);
  for (uint32_t index = 0; index < transferred.size(); ++index) {
    deserializer.TransferArrayBuffer(index, transferred[index]);
  }
  v8::Local<v8::Value> clone;
  if (deserializer.ReadHeader(context).IsNothing() ||
      !deserializer.ReadValue(context).ToLocal(&clone)) {
    if (try_catch.HasCaught() && !try_catch.HasTerminated()) try_catch.ReThrow();
    return ScriptValue();
  }
  return ScriptValue(isolate, handle_scope.Escape(clone));
}

}  // namespace switchboard::bindings
