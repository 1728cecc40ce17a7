// RefCounted and RefPtr: intrusive reference counting for objects that both C++ and script can
// hold (implementation classes, callbacks).
//
// Thread: main thread only; the count is not atomic. Ownership: a RefPtr owns one reference;
// the object deletes itself when the last reference goes. A new object starts with no
// reference: hold it in a RefPtr at once (MakeRefCounted does).
#pragma once

#include <cstdint>
#include <utility>

namespace switchboard::bindings {

class RefCounted {
 public:
  RefCounted(const RefCounted&) = delete;
  RefCounted& operator=(const RefCounted&) = delete;

  void Ref() const { ++reference_count_; }
  void Unref() const {
    if (--reference_count_ == 0) delete this;
  }
  uint32_t reference_count() const { return reference_count_; }

 protected:
  RefCounted() = default;
  virtual ~RefCounted() = default;

 private:
  mutable uint32_t reference_count_ = 0;
};

template <typename T>
class RefPtr {
 public:
  RefPtr() = default;
  RefPtr(std::nullptr_t) {}  // NOLINT(google-explicit-constructor): RefPtr<T> p = nullptr;
  RefPtr(T* pointer) : pointer_(pointer) {  // NOLINT(google-explicit-constructor)
    if (pointer_) pointer_->Ref();
  }
  RefPtr(const RefPtr& other) : RefPtr(other.pointer_) {}
  RefPtr(RefPtr&& other) noexcept : pointer_(std::exchange(other.pointer_, nullptr)) {}
  template <typename U>
  RefPtr(const RefPtr<U>& other) : RefPtr(other.get()) {}  // NOLINT(google-explicit-constructor)
  template <typename U>
  RefPtr(RefPtr<U>&& other) noexcept  // NOLINT(google-explicit-constructor)
      : pointer_(other.release()) {}
  ~RefPtr() {
    if (pointer_) pointer_->Unref();
  }

  RefPtr& operator=(RefPtr other) noexcept {
    std::swap(pointer_, other.pointer_);
    return *this;
  }

  T* get() const { return pointer_; }
  T* operator->() const { return pointer_; }
  T& operator*() const { return *pointer_; }
  explicit operator bool() const { return pointer_ != nullptr; }
  operator T*() const { return pointer_; }  // NOLINT(google-explicit-constructor)

  // Gives up ownership of the reference without releasing it.
  [[nodiscard]] T* release() { return std::exchange(pointer_, nullptr); }
  void reset() { RefPtr().swap(*this); }
  void swap(RefPtr& other) noexcept { std::swap(pointer_, other.pointer_); }

 private:
  T* pointer_ = nullptr;
};

template <typename T, typename... Arguments>
RefPtr<T> MakeRefCounted(Arguments&&... arguments) {
  return RefPtr<T>(new T(std::forward<Arguments>(arguments)...));
}

}  // namespace switchboard::bindings
