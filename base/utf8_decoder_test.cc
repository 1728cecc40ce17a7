#include "base/utf8_decoder.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace switchboard {
namespace {

std::vector<std::uint8_t> Bytes(std::initializer_list<int> values) {
  std::vector<std::uint8_t> bytes;
  for (int value : values) bytes.push_back(static_cast<std::uint8_t>(value));
  return bytes;
}

std::string DecodeAll(const std::vector<std::uint8_t>& bytes) {
  Utf8Decoder decoder(Utf8Decoder::ErrorMode::kReplacement);
  std::string output;
  EXPECT_EQ(decoder.Decode(bytes, Utf8Decoder::Flush::kEndOfStream, output),
            Utf8Decoder::Status::kOk);
  return output;
}

// Decoding in two calls split at every offset gives the same text as one call (style rule 6).
void ExpectSameAtEverySplit(const std::vector<std::uint8_t>& bytes, const std::string& expected) {
  for (std::size_t split = 0; split <= bytes.size(); ++split) {
    Utf8Decoder decoder(Utf8Decoder::ErrorMode::kReplacement);
    std::string output;
    std::span<const std::uint8_t> all(bytes);
    decoder.Decode(all.first(split), Utf8Decoder::Flush::kMoreToCome, output);
    decoder.Decode(all.subspan(split), Utf8Decoder::Flush::kEndOfStream, output);
    EXPECT_EQ(output, expected) << "split at " << split;
  }
  // And one byte at a time.
  Utf8Decoder decoder(Utf8Decoder::ErrorMode::kReplacement);
  std::string output;
  for (std::uint8_t byte : bytes) {
    decoder.Decode(std::span<const std::uint8_t>(&byte, 1), Utf8Decoder::Flush::kMoreToCome,
                   output);
  }
  decoder.Decode({}, Utf8Decoder::Flush::kEndOfStream, output);
  EXPECT_EQ(output, expected) << "byte by byte";
}

const std::string kFFFD = "\xEF\xBF\xBD";

struct Case {
  const char* name;
  std::vector<std::uint8_t> bytes;
  std::string expected;
};

std::vector<Case> Cases() {
  return {
      {"empty", {}, ""},
      {"ascii", Bytes({0x61, 0x00, 0x7F}), std::string("a\0\x7F", 3)},
      {"two, three and four bytes", Bytes({0xC2, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80}),
       "\xC2\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"},
      {"the limits",
       Bytes({0xC2, 0x80, 0xDF, 0xBF, 0xE0, 0xA0, 0x80, 0xEF, 0xBF, 0xBF, 0xF0, 0x90, 0x80, 0x80,
              0xF4, 0x8F, 0xBF, 0xBF}),
       "\xC2\x80\xDF\xBF\xE0\xA0\x80\xEF\xBF\xBF\xF0\x90\x80\x80\xF4\x8F\xBF\xBF"},
      {"BOM is a code point here", Bytes({0xEF, 0xBB, 0xBF, 0x41}),
       "\xEF\xBB\xBF"
       "A"},
      // Overlong forms: C0 and C1 are never lead bytes; E0 and F0 reject their overlong
      // second bytes, each byte an error of its own.
      {"overlong two bytes", Bytes({0xC0, 0xAF}), kFFFD + kFFFD},
      {"overlong C1", Bytes({0xC1, 0xBF}), kFFFD + kFFFD},
      {"overlong three bytes", Bytes({0xE0, 0x80, 0xAF}), kFFFD + kFFFD + kFFFD},
      {"overlong four bytes", Bytes({0xF0, 0x80, 0x80, 0xAF}), kFFFD + kFFFD + kFFFD + kFFFD},
      {"overlong nul", Bytes({0xE0, 0x9F, 0xBF}), kFFFD + kFFFD + kFFFD},
      // Surrogates encoded in UTF-8 (CESU-8 style): ED A0..BF is ill-formed after the ED.
      {"lead surrogate", Bytes({0xED, 0xA0, 0x80}), kFFFD + kFFFD + kFFFD},
      {"trail surrogate", Bytes({0xED, 0xBF, 0xBF}), kFFFD + kFFFD + kFFFD},
      {"surrogate pair", Bytes({0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80}),
       kFFFD + kFFFD + kFFFD + kFFFD + kFFFD + kFFFD},
      {"last before surrogates", Bytes({0xED, 0x9F, 0xBF}), "\xED\x9F\xBF"},
      // Beyond U+10FFFF and the bytes that can never appear.
      {"above U+10FFFF", Bytes({0xF4, 0x90, 0x80, 0x80}), kFFFD + kFFFD + kFFFD + kFFFD},
      {"F5..FF", Bytes({0xF5, 0xF8, 0xFC, 0xFE, 0xFF}), kFFFD + kFFFD + kFFFD + kFFFD + kFFFD},
      {"stray continuations", Bytes({0x80, 0xBF, 0x41}), kFFFD + kFFFD + "A"},
      // Truncated sequences: a maximal subpart is one error, and the byte that ended it
      // starts afresh.
      {"truncated two bytes then ascii", Bytes({0xC2, 0x41}), kFFFD + "A"},
      {"truncated three bytes", Bytes({0xE2, 0x82, 0x41}), kFFFD + "A"},
      {"truncated four bytes", Bytes({0xF0, 0x9F, 0x98, 0x41}), kFFFD + "A"},
      {"truncated then a lead", Bytes({0xE2, 0x82, 0xE2, 0x82, 0xAC}), kFFFD + "\xE2\x82\xAC"},
      {"truncated at the end (3 of 4)", Bytes({0x41, 0xF0, 0x9F, 0x98}), "A" + kFFFD},
      {"truncated at the end (1 of 2)", Bytes({0xC2}), kFFFD},
      {"truncated at the end (2 of 3)", Bytes({0xE2, 0x82}), kFFFD},
      {"E0 with a bad second byte", Bytes({0xE0, 0x80}), kFFFD + kFFFD},
      {"F4 with a bad second byte at the end", Bytes({0xF4, 0x90}), kFFFD + kFFFD},
      // Unicode's "U+FFFD substitution of maximal subparts" table (Unicode 15, Table 3-11).
      {"unicode table 3-11",
       Bytes({0x61, 0xF1, 0x80, 0x80, 0xE1, 0x80, 0xC2, 0x62, 0x80, 0x63, 0x80, 0xBF, 0x64}),
       "a" + kFFFD + kFFFD + kFFFD + "b" + kFFFD + "c" + kFFFD + kFFFD + "d"},
  };
}

TEST(Utf8DecoderTest, ReplacesMaximalSubpartsAsTheEncodingStandard) {
  for (const Case& test_case : Cases()) {
    EXPECT_EQ(DecodeAll(test_case.bytes), test_case.expected) << test_case.name;
  }
}

TEST(Utf8DecoderTest, StreamingGivesTheSameTextAtEverySplit) {
  for (const Case& test_case : Cases()) {
    SCOPED_TRACE(test_case.name);
    ExpectSameAtEverySplit(test_case.bytes, test_case.expected);
  }
}

TEST(Utf8DecoderTest, KeepsAPartialSequenceUntilMoreComesOrTheEnd) {
  Utf8Decoder decoder(Utf8Decoder::ErrorMode::kReplacement);
  std::string output;
  std::vector<std::uint8_t> first = Bytes({0x41, 0xF0, 0x9F});
  decoder.Decode(first, Utf8Decoder::Flush::kMoreToCome, output);
  EXPECT_EQ(output, "A");
  EXPECT_TRUE(decoder.HasPendingBytes());
  std::vector<std::uint8_t> second = Bytes({0x98});
  decoder.Decode(second, Utf8Decoder::Flush::kMoreToCome, output);
  EXPECT_EQ(output, "A");
  decoder.Decode({}, Utf8Decoder::Flush::kEndOfStream, output);
  EXPECT_EQ(output, "A" + kFFFD);
  EXPECT_FALSE(decoder.HasPendingBytes());
}

TEST(Utf8DecoderTest, FatalModeStopsAtTheFirstErrorAndResets) {
  Utf8Decoder decoder(Utf8Decoder::ErrorMode::kFatal);
  std::string output;
  std::vector<std::uint8_t> good = Bytes({0x41, 0xC2, 0xA9});
  EXPECT_EQ(decoder.Decode(good, Utf8Decoder::Flush::kEndOfStream, output),
            Utf8Decoder::Status::kOk);
  EXPECT_EQ(output, "A\xC2\xA9");
  for (const Case& test_case : Cases()) {
    if (test_case.expected.find(kFFFD) == std::string::npos) continue;
    std::string ignored;
    EXPECT_EQ(decoder.Decode(test_case.bytes, Utf8Decoder::Flush::kEndOfStream, ignored),
              Utf8Decoder::Status::kFatalError)
        << test_case.name;
    EXPECT_FALSE(decoder.HasPendingBytes());
  }
  // A truncated sequence is an error only at the end of the stream.
  std::vector<std::uint8_t> partial = Bytes({0xE2, 0x82});
  output.clear();
  EXPECT_EQ(decoder.Decode(partial, Utf8Decoder::Flush::kMoreToCome, output),
            Utf8Decoder::Status::kOk);
  EXPECT_EQ(decoder.Decode({}, Utf8Decoder::Flush::kEndOfStream, output),
            Utf8Decoder::Status::kFatalError);
}

TEST(Utf8DecoderTest, EveryScalarValueRoundTrips) {
  std::string encoded;
  for (std::uint32_t code_point = 0; code_point <= 0x10FFFF; ++code_point) {
    if (code_point >= 0xD800 && code_point <= 0xDFFF) continue;
    AppendUtf8(code_point, encoded);
  }
  std::vector<std::uint8_t> bytes(encoded.begin(), encoded.end());
  EXPECT_EQ(DecodeAll(bytes), encoded);
}

}  // namespace
}  // namespace switchboard
