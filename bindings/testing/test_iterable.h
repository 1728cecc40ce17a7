// Implementation classes for idl/tests/TestIterable.idl: a pair iterable with a stringifier and
// a static factory, and an interface with a stringifier attribute and a [SameObject] attribute.
//
// Thread: main thread. Ownership: reference counted like every ScriptWrappable; a
// TestStringifierAttribute owns its TestPairIterable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "bindings/exception_or.h"
#include "bindings/script_wrappable.h"

namespace switchboard::bindings::testing {

class TestPairIterable final : public ScriptWrappable {
 public:
  DECLARE_WRAPPER_TYPE_INFO()

  using Init = std::variant<std::vector<std::vector<std::string>>,
                            std::vector<std::pair<std::string, int32_t>>, std::string>;
  // Pairs (each exactly two items, the second a decimal number), a record, or "k=1&j=2".
  static ExceptionOr<RefPtr<TestPairIterable>> Create(const Init& init);
  // null for text that is not "k=1&j=2" pairs.
  static RefPtr<TestPairIterable> FromText(const std::string& text);

  uint32_t size() const { return static_cast<uint32_t>(pairs_.size()); }
  void Add(const std::string& key, int32_t value) { pairs_.emplace_back(key, value); }
  void Remove(const std::string& key);
  std::string TakeRecord(const std::vector<std::pair<std::string, double>>& entries);
  std::string ToString() const;

  // iterable<USVString, long>
  size_t ValuePairCount() const { return pairs_.size(); }
  const std::pair<std::string, int32_t>& ValuePairAt(size_t index) const { return pairs_[index]; }

 private:
  TestPairIterable() = default;
  bool ParseText(const std::string& text);

  std::vector<std::pair<std::string, int32_t>> pairs_;
};

class TestStringifierAttribute final : public ScriptWrappable {
 public:
  DECLARE_WRAPPER_TYPE_INFO()

  static RefPtr<TestStringifierAttribute> Create(const std::string& value);

  const std::string& value() const { return value_; }
  void set_value(std::string value) { value_ = std::move(value); }
  TestPairIterable* pairs() const { return pairs_.get(); }
  std::string ToJSON() const { return "json:" + value_; }

 private:
  explicit TestStringifierAttribute(std::string value);

  std::string value_;
  RefPtr<TestPairIterable> pairs_;
};

}  // namespace switchboard::bindings::testing
