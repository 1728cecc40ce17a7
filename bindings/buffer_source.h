// BufferSourceBytes: the bytes of a buffer source argument (WebIDL §3.2.26 ArrayBuffer,
// ArrayBufferView, BufferSource, Uint8Array), as the implementation receives them.
//
// Thread: main thread. Ownership: keeps the buffer's backing store alive, so the bytes stay
// valid for the call even if script detaches or transfers the buffer meanwhile (a converter
// of a later argument may run script); what is written to a detached buffer's old bytes is
// lost. A buffer detached before the conversion has no bytes. Do not keep one beyond the
// call: it would keep the buffer's memory alive.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include <v8.h>

namespace switchboard::bindings {

class BufferSourceBytes {
 public:
  BufferSourceBytes() = default;
  // For the bindings runtime: `length` bytes at `offset` in `backing_store`.
  BufferSourceBytes(std::shared_ptr<v8::BackingStore> backing_store, std::size_t offset,
                    std::size_t length);

  std::span<const std::uint8_t> bytes() const { return {data(), length_}; }
  // For writable destinations (TextEncoder.encodeInto()).
  std::span<std::uint8_t> writable_bytes() const { return {data(), length_}; }
  std::size_t size() const { return length_; }

 private:
  std::uint8_t* data() const;

  std::shared_ptr<v8::BackingStore> backing_store_;
  std::size_t offset_ = 0;
  std::size_t length_ = 0;
};

}  // namespace switchboard::bindings
