#include "bindings/string_conversions.h"

#include <gtest/gtest.h>

#include "bindings/testing/v8_test_environment.h"

namespace switchboard::bindings {
namespace {

using StringConversionsTest = testing::V8Test;

TEST_F(StringConversionsTest, DOMStringKeepsLoneSurrogatesAsWtf8) {
  v8::Local<v8::String> string = Evaluate("'a\\uD800b'").As<v8::String>();
  std::string wtf8 = FromV8String(isolate(), string, StringConversion::kDOMString);
  EXPECT_EQ(wtf8,
            "a\xED\xA0\x80"
            "b");
  v8::Local<v8::String> back = ToV8String(isolate(), wtf8);
  EXPECT_TRUE(back->StrictEquals(string));
}

TEST_F(StringConversionsTest, USVStringReplacesLoneSurrogates) {
  v8::Local<v8::String> string = Evaluate("'\\uDC00x\\uD83D\\uDE00'").As<v8::String>();
  EXPECT_EQ(FromV8String(isolate(), string, StringConversion::kUSVString),
            "\xEF\xBF\xBDx\xF0\x9F\x98\x80");
}

TEST_F(StringConversionsTest, InvalidUtf8BecomesReplacementCharacters) {
  v8::Local<v8::String> string = ToV8String(isolate(), "a\xFF\xED\xA0");
  EXPECT_EQ(FromV8String(isolate(), string, StringConversion::kUSVString),
            "a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

}  // namespace
}  // namespace switchboard::bindings
