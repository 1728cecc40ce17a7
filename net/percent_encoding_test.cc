// Tests of the URL Standard's percent-encode sets and percent-decoding (§1.3).
#include "net/percent_encoding.h"

#include <gtest/gtest.h>

#include <string>

namespace switchboard {
namespace {

// The ASCII bytes from 0x20 to 0x7E that `set` encodes, in order.
std::string EncodedPrintables(PercentEncodeSet set) {
  std::string encoded;
  for (int byte = 0x20; byte <= 0x7E; ++byte) {
    if (IsInPercentEncodeSet(static_cast<unsigned char>(byte), set)) {
      encoded += static_cast<char>(byte);
    }
  }
  return encoded;
}

TEST(PercentEncodeSetTest, EachSetAsTheStandardListsIt) {
  EXPECT_EQ(EncodedPrintables(PercentEncodeSet::kC0Control), "");
  EXPECT_EQ(EncodedPrintables(PercentEncodeSet::kFragment), " \"<>`");
  EXPECT_EQ(EncodedPrintables(PercentEncodeSet::kQuery), " \"#<>");
  EXPECT_EQ(EncodedPrintables(PercentEncodeSet::kSpecialQuery), " \"#'<>");
  EXPECT_EQ(EncodedPrintables(PercentEncodeSet::kPath), " \"#<>?^`{}");
  EXPECT_EQ(EncodedPrintables(PercentEncodeSet::kUserinfo), " \"#/:;<=>?@[\\]^`{|}");
  EXPECT_EQ(EncodedPrintables(PercentEncodeSet::kComponent), " \"#$%&+,/:;<=>?@[\\]^`{|}");
  EXPECT_EQ(EncodedPrintables(PercentEncodeSet::kFormUrlencoded),
            " !\"#$%&'()+,/:;<=>?@[\\]^`{|}~");
}

TEST(PercentEncodeSetTest, ControlsDeleteAndNonAsciiAreInEverySet) {
  for (PercentEncodeSet set :
       {PercentEncodeSet::kC0Control, PercentEncodeSet::kFragment, PercentEncodeSet::kQuery,
        PercentEncodeSet::kSpecialQuery, PercentEncodeSet::kPath, PercentEncodeSet::kUserinfo,
        PercentEncodeSet::kComponent, PercentEncodeSet::kFormUrlencoded}) {
    EXPECT_TRUE(IsInPercentEncodeSet(0x00, set));
    EXPECT_TRUE(IsInPercentEncodeSet(0x1F, set));
    EXPECT_TRUE(IsInPercentEncodeSet(0x7F, set));
    EXPECT_TRUE(IsInPercentEncodeSet(0x80, set));
    EXPECT_TRUE(IsInPercentEncodeSet(0xFF, set));
    EXPECT_FALSE(IsInPercentEncodeSet('a', set));
  }
}

TEST(PercentEncodeTest, Utf8BytesAreEncodedInUpperCaseHex) {
  EXPECT_EQ(PercentEncode("\xE2\x80\xBD", PercentEncodeSet::kC0Control), "%E2%80%BD");
  EXPECT_EQ(PercentEncode("a b", PercentEncodeSet::kPath), "a%20b");
  EXPECT_EQ(PercentEncode("a b", PercentEncodeSet::kC0Control), "a b");
  // The standard's example: "≡" in the component set, and "Say what‽" in the form set.
  EXPECT_EQ(PercentEncode("\xE2\x89\xA1", PercentEncodeSet::kComponent), "%E2%89%A1");
  EXPECT_EQ(PercentEncode("Say what\xE2\x80\xBD", PercentEncodeSet::kFormUrlencoded),
            "Say%20what%E2%80%BD");
}

TEST(PercentDecodeTest, DecodesOnlyWellFormedTriplets) {
  EXPECT_EQ(PercentDecode("%25%s%1G"), "%%s%1G");
  EXPECT_EQ(PercentDecode("%e2%80%bd"), "\xE2\x80\xBD");
  EXPECT_EQ(PercentDecode("%"), "%");
  EXPECT_EQ(PercentDecode("%4"), "%4");
  EXPECT_EQ(PercentDecode("a%41"), "aA");
  EXPECT_EQ(PercentDecode("%00"), std::string(1, '\0'));
}

TEST(Utf8Test, IllFormedSequencesBecomeReplacementCharacters) {
  EXPECT_EQ(ToWellFormedUtf8("abc"), "abc");
  EXPECT_EQ(ToWellFormedUtf8("\xE2\x80\xBD"), "\xE2\x80\xBD");
  EXPECT_EQ(ToWellFormedUtf8("\xFF"), "\xEF\xBF\xBD");
  // A truncated sequence is one U+FFFD (its maximal subpart), and the next byte is kept.
  EXPECT_EQ(ToWellFormedUtf8("\xE2\x80x"), "\xEF\xBF\xBDx");
  // Surrogates (ED A0..BF) and overlongs (C0, E0 80) are ill-formed.
  EXPECT_EQ(ToWellFormedUtf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(ToWellFormedUtf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_TRUE(IsWellFormedUtf8("\xF0\x9F\x98\x80"));
  EXPECT_FALSE(IsWellFormedUtf8("\xF4\x90\x80\x80"));
}

}  // namespace
}  // namespace switchboard
