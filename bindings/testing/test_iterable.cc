#include "bindings/testing/test_iterable.h"

#include <charconv>
#include <cstdio>

namespace switchboard::bindings::testing {

ExceptionOr<RefPtr<TestPairIterable>> TestPairIterable::Create(const Init& init) {
  RefPtr<TestPairIterable> object(new TestPairIterable());
  if (const auto* sequences = std::get_if<0>(&init)) {
    for (const std::vector<std::string>& pair : *sequences) {
      if (pair.size() != 2) return Exception::TypeError("A pair needs exactly two items.");
      int32_t value = 0;
      const auto [end, error] =
          std::from_chars(pair[1].data(), pair[1].data() + pair[1].size(), value);
      if (error != std::errc() || end != pair[1].data() + pair[1].size()) {
        return Exception::TypeError("A pair's value must be a number.");
      }
      object->Add(pair[0], value);
    }
  } else if (const auto* record = std::get_if<1>(&init)) {
    object->pairs_ = *record;
  } else if (!object->ParseText(std::get<2>(init))) {
    return Exception::TypeError("Not 'key=number' pairs.");
  }
  return object;
}

RefPtr<TestPairIterable> TestPairIterable::FromText(const std::string& text) {
  RefPtr<TestPairIterable> object(new TestPairIterable());
  if (!object->ParseText(text)) return nullptr;
  return object;
}

bool TestPairIterable::ParseText(const std::string& text) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('&', start);
    if (end == std::string::npos) end = text.size();
    const std::string item = text.substr(start, end - start);
    const size_t equals = item.find('=');
    if (equals == std::string::npos) return false;
    int32_t value = 0;
    const char* first = item.data() + equals + 1;
    const char* last = item.data() + item.size();
    const auto [parsed_end, error] = std::from_chars(first, last, value);
    if (error != std::errc() || parsed_end != last) return false;
    Add(item.substr(0, equals), value);
    start = end + 1;
  }
  return true;
}

void TestPairIterable::Remove(const std::string& key) {
  std::erase_if(pairs_, [&](const auto& pair) { return pair.first == key; });
}

std::string TestPairIterable::TakeRecord(
    const std::vector<std::pair<std::string, double>>& entries) {
  std::string output;
  for (const auto& [key, value] : entries) {
    char number[32];
    std::snprintf(number, sizeof number, "%g", value);
    output += (output.empty() ? "" : ",") + key + ":" + number;
  }
  return output;
}

std::string TestPairIterable::ToString() const {
  std::string output;
  for (const auto& [key, value] : pairs_) {
    output += (output.empty() ? "" : "&") + key + "=" + std::to_string(value);
  }
  return output;
}

RefPtr<TestStringifierAttribute> TestStringifierAttribute::Create(const std::string& value) {
  return RefPtr(new TestStringifierAttribute(value));
}

TestStringifierAttribute::TestStringifierAttribute(std::string value)
    : value_(std::move(value)), pairs_(TestPairIterable::FromText("")) {}

}  // namespace switchboard::bindings::testing
