#include "bindings/buffer_source.h"

#include <utility>

namespace switchboard::bindings {

BufferSourceBytes::BufferSourceBytes(std::shared_ptr<v8::BackingStore> backing_store,
                                     std::size_t offset, std::size_t length)
    : backing_store_(std::move(backing_store)), offset_(offset), length_(length) {
  // A detached or empty buffer has no data; a view never reaches past its buffer.
  if (!backing_store_ || !backing_store_->Data() || offset_ > backing_store_->ByteLength() ||
      length_ > backing_store_->ByteLength() - offset_) {
    offset_ = 0;
    length_ = 0;
  }
}

std::uint8_t* BufferSourceBytes::data() const {
  if (length_ == 0) return nullptr;
  return static_cast<std::uint8_t*>(backing_store_->Data()) + offset_;
}

}  // namespace switchboard::bindings

#include <cstring>
#include <vector>

#include "bindings/exception_context.h"
#include "bindings/idl_types.h"

namespace switchboard::bindings {

namespace {

const char* BufferSourceTypeName(BufferSourceKind kind) {
  switch (kind) {
    case BufferSourceKind::kArrayBuffer:
      return "ArrayBuffer";
    case BufferSourceKind::kArrayBufferView:
      return "ArrayBufferView";
    case BufferSourceKind::kBufferSource:
      return "(ArrayBufferView or ArrayBuffer)";
    case BufferSourceKind::kUint8Array:
      return "Uint8Array";
  }
  return "";
}

}  // namespace

// WebIDL §3.2.26: 1. the value must have the internal slots of the type; 2. without
// [AllowShared] its buffer must not be shared. The bytes are "a copy of the bytes held by the
// buffer source" taken where the implementation reads them (BufferSourceBytes).
bool ConvertBufferSource(const ExceptionContext& context, v8::Local<v8::Value> value,
                         BufferSourceKind kind, SharedBuffers shared, BufferSourceBytes& out) {
  const bool accepts_buffer =
      kind == BufferSourceKind::kArrayBuffer || kind == BufferSourceKind::kBufferSource;
  const bool accepts_view =
      kind == BufferSourceKind::kArrayBufferView || kind == BufferSourceKind::kBufferSource;
  const bool shared_allowed = shared == SharedBuffers::kAllowed;
  auto not_of_type = [&] {
    context.ThrowNotOfType(BufferSourceTypeName(kind));
    return false;
  };
  if (accepts_buffer && value->IsArrayBuffer()) {
    v8::Local<v8::ArrayBuffer> buffer = value.As<v8::ArrayBuffer>();
    out = BufferSourceBytes(buffer->GetBackingStore(), 0, buffer->ByteLength());
    return true;
  }
  if (accepts_buffer && value->IsSharedArrayBuffer()) {
    if (!shared_allowed) return not_of_type();
    v8::Local<v8::SharedArrayBuffer> buffer = value.As<v8::SharedArrayBuffer>();
    out = BufferSourceBytes(buffer->GetBackingStore(), 0, buffer->ByteLength());
    return true;
  }
  const bool is_view = kind == BufferSourceKind::kUint8Array
                           ? value->IsUint8Array()
                           : accepts_view && value->IsArrayBufferView();
  if (!is_view) return not_of_type();
  v8::Local<v8::ArrayBufferView> view = value.As<v8::ArrayBufferView>();
  v8::Local<v8::Object> buffer_object;
  // Buffer() of a view on a SharedArrayBuffer is that SharedArrayBuffer (V8 types it as an
  // ArrayBuffer handle); IsSharedArrayBuffer tells them apart.
  v8::Local<v8::ArrayBuffer> buffer = view->Buffer();
  if (buffer->IsSharedArrayBuffer()) {
    if (!shared_allowed) {
      context.ThrowTypeError(context.ValueDescription() + " is a view on a SharedArrayBuffer.");
      return false;
    }
    out = BufferSourceBytes(buffer.As<v8::Value>().As<v8::SharedArrayBuffer>()->GetBackingStore(),
                            view->ByteOffset(), view->ByteLength());
    return true;
  }
  out = BufferSourceBytes(buffer->GetBackingStore(), view->ByteOffset(), view->ByteLength());
  return true;
}

v8::Local<v8::Value> NewUint8Array(v8::Isolate* isolate, const std::vector<uint8_t>& bytes) {
  std::unique_ptr<v8::BackingStore> backing_store =
      v8::ArrayBuffer::NewBackingStore(isolate, bytes.size());
  if (!backing_store || (bytes.size() > 0 && !backing_store->Data())) {
    isolate->ThrowException(v8::Exception::RangeError(
        v8::String::NewFromUtf8Literal(isolate, "Array buffer allocation failed")));
    return {};
  }
  if (!bytes.empty()) std::memcpy(backing_store->Data(), bytes.data(), bytes.size());
  v8::Local<v8::ArrayBuffer> buffer = v8::ArrayBuffer::New(isolate, std::move(backing_store));
  return v8::Uint8Array::New(buffer, 0, bytes.size());
}

}  // namespace switchboard::bindings
