// ResultOf<T, E>: the value of an operation, or the error E that stopped it. Style rule 4:
// failures are values below the bindings; only the bindings turn them into JavaScript
// exceptions. Each layer names its error type once (net/result.h: Result<T> with net's Error,
// whose Stage is spec §7's).
//
// Thread: any (a value type).
#pragma once

#include <utility>
#include <variant>

namespace switchboard {

template <typename T, typename E>
class [[nodiscard]] ResultOf {
 public:
  ResultOf(T value) : storage_(std::move(value)) {}  // NOLINT: implicit by design
  ResultOf(E error) : storage_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(storage_); }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<T>(storage_); }
  const T& value() const& { return std::get<T>(storage_); }
  T&& value() && { return std::get<T>(std::move(storage_)); }
  const E& error() const { return std::get<E>(storage_); }

 private:
  std::variant<T, E> storage_;
};

// For operations that produce nothing but can fail.
struct Ok {};

}  // namespace switchboard
