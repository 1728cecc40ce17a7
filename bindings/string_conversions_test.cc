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

// A large ASCII text becomes external one-byte strings sharing its bytes; each conversion is a
// string of its own with the same value, and the text outlives the ScriptText while V8 holds it.
TEST_F(StringConversionsTest, LargeAsciiScriptTextIsExternal) {
  std::string ascii(ScriptText::kExternalMinBytes, 'a');
  ascii[10] = '\x7F';
  ascii.back() = 'z';
  v8::Local<v8::String> first;
  v8::Local<v8::String> second;
  {
    const ScriptText text(ascii, /*is_ascii=*/true);
    EXPECT_TRUE(text.external());
    EXPECT_EQ(text.view(), ascii);
    first = text.ToV8(isolate());
    second = text.ToV8(isolate());
  }
  ASSERT_FALSE(first.IsEmpty());
  EXPECT_TRUE(first->IsExternalOneByte());
  EXPECT_TRUE(first->StrictEquals(second));
  EXPECT_TRUE(first->StrictEquals(ToV8String(isolate(), ascii)));
  EXPECT_EQ(FromV8String(isolate(), first, StringConversion::kDOMString), ascii);
}

// External strings that V8 has not collected yet hold at most 32 MiB (a thread's budget): past
// it, texts are copied into the heap, and a collection gives the budget back.
TEST_F(StringConversionsTest, ExternalTextIsBoundedUntilV8CollectsIt) {
  isolate()->LowMemoryNotification();
  const std::string mebibyte(1024 * 1024, 'e');
  auto count_external = [&] {
    v8::HandleScope scope(isolate());
    int external = 0;
    for (int i = 0; i < 40; ++i) {
      if (ScriptText(mebibyte, true).ToV8(isolate())->IsExternalOneByte()) ++external;
    }
    return external;
  };
  EXPECT_EQ(count_external(), 32);
  isolate()->LowMemoryNotification();
  EXPECT_EQ(count_external(), 32);
}

// Below the threshold, not known to be ASCII, or not ASCII: copied into the V8 heap, with the
// WTF-8 rules of ToV8String (an encoded surrogate stays a lone surrogate).
TEST_F(StringConversionsTest, OtherScriptTextsAreCopied) {
  const std::string small(ScriptText::kExternalMinBytes - 1, 'b');
  const std::string large_unknown(ScriptText::kExternalMinBytes, 'c');
  const std::string wtf8 = std::string(ScriptText::kExternalMinBytes, 'd') + "\xED\xA0\x80\xC3\xA9";
  for (const ScriptText& text :
       {ScriptText(small, true), ScriptText(large_unknown), ScriptText(wtf8), ScriptText("")}) {
    EXPECT_FALSE(text.external());
    v8::Local<v8::String> string = text.ToV8(isolate());
    ASSERT_FALSE(string.IsEmpty());
    EXPECT_FALSE(string->IsExternal());
    EXPECT_TRUE(string->StrictEquals(ToV8String(isolate(), text.view())));
    EXPECT_EQ(FromV8String(isolate(), string, StringConversion::kDOMString), text.view());
  }
  EXPECT_EQ(ScriptText(wtf8).ToV8(isolate())->Length(),
            static_cast<int>(ScriptText::kExternalMinBytes) + 2);
}

}  // namespace
}  // namespace switchboard::bindings
