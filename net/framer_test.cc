// Tests of the STX/ETB framing: spec §6 (send and receive) and §9 (frame size limit).
#include "net/framer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace switchboard {
namespace {

using namespace std::string_literals;
using namespace std::string_view_literals;

struct Decoded {
  std::vector<std::string> frames;
  size_t dropped = 0;
  std::optional<std::string> error;  // the error message, if any

  bool operator==(const Decoded&) const = default;
};

void PrintTo(const Decoded& decoded, std::ostream* os) {
  *os << decoded.frames.size() << " frames, " << decoded.dropped << " dropped, error '"
      << decoded.error.value_or("none") << "'";
}

Decoded DecodeChunks(const std::vector<std::string_view>& chunks,
                     size_t max_frame_bytes = kDefaultMaxFrameBytes) {
  FrameDecoder decoder(max_frame_bytes);
  Decoded decoded;
  for (std::string_view chunk : chunks) {
    Result<Ok> result =
        decoder.Feed(chunk, [&](std::string_view text) { decoded.frames.emplace_back(text); });
    if (!result.ok()) {
      EXPECT_EQ(result.error().stage, Stage::kProtocol);
      decoded.error = result.error().message;
      break;
    }
  }
  decoded.dropped = decoder.dropped_frame_count();
  EXPECT_EQ(decoder.delivered_frame_count(), decoded.frames.size());
  return decoded;
}

Decoded Decode(std::string_view bytes, size_t max_frame_bytes = kDefaultMaxFrameBytes) {
  return DecodeChunks({bytes}, max_frame_bytes);
}

// Every split into two chunks, and byte by byte, decodes like the whole.
void ExpectSplitInvariant(std::string_view bytes, size_t max_frame_bytes = kDefaultMaxFrameBytes) {
  const Decoded whole = Decode(bytes, max_frame_bytes);
  for (size_t split = 0; split <= bytes.size(); ++split) {
    EXPECT_EQ(DecodeChunks({bytes.substr(0, split), bytes.substr(split)}, max_frame_bytes), whole)
        << "split at " << split;
  }
  std::vector<std::string_view> single_bytes;
  for (size_t i = 0; i < bytes.size(); ++i) single_bytes.push_back(bytes.substr(i, 1));
  EXPECT_EQ(DecodeChunks(single_bytes, max_frame_bytes), whole) << "byte by byte";
}

std::string Frame(std::string_view text) {
  std::string out;
  AppendFrame(text, out);
  return out;
}

// --- §6 send(): AppendFrame ---------------------------------------------------------------------

TEST(AppendFrameTest, WrapsTextInStxEtb) {
  std::string out;
  EXPECT_EQ(AppendFrame("hello", out), 7u);
  EXPECT_EQ(out, "\x02hello\x17");
}

TEST(AppendFrameTest, EmptyText) {
  std::string out;
  EXPECT_EQ(AppendFrame("", out), 2u);
  EXPECT_EQ(out, "\x02\x17");
}

TEST(AppendFrameTest, AppendsToWhatIsThere) {
  std::string out = "\x02one\x17";
  AppendFrame("two", out);
  EXPECT_EQ(out, "\x02one\x17\x02two\x17");
}

TEST(AppendFrameTest, NulAndEtbBecomeReplacementCharacters) {
  std::string out;
  const std::string text =
      "a\0b\x17"s
      "c\0\0";
  const size_t frame_size = AppendFrame(text, out);
  EXPECT_EQ(frame_size, out.size());
  EXPECT_EQ(out,
            "\x02"
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD"
            "c\xEF\xBF\xBD\xEF\xBF\xBD\x17");
  EXPECT_EQ(FrameSize(text), 2 + text.size() + 4 * 2);
  // Only one 0x17 on the wire: the frame cannot be cut short by the text.
  EXPECT_EQ(out.find('\x17'), out.size() - 1);
  EXPECT_EQ(out.find('\0'), std::string::npos);
}

TEST(AppendFrameTest, OtherControlsAndNonAsciiAreKept) {
  const std::string text = "\x01\x02\x16\x18\x7F\r\n\tcaf\xC3\xA9 \xF0\x9F\x98\x80";
  EXPECT_EQ(Frame(text), "\x02" + text + "\x17");
  EXPECT_EQ(FrameSize(text), text.size() + 2);
}

TEST(AppendFrameTest, FrameSizeMatchesAppendFrame) {
  for (std::string_view text : {""sv, "x"sv, "\0"sv, "\x17\x17"sv, "abc\0def\x17ghi"sv}) {
    std::string out = "prefix";
    EXPECT_EQ(AppendFrame(text, out), FrameSize(text));
    EXPECT_EQ(out.size(), 6 + FrameSize(text));
  }
}

// --- Strict UTF-8 ------------------------------------------------------------------------------

TEST(Utf8Test, ValidBoundaries) {
  for (std::string_view text : {
           ""sv, "ascii"sv, "\0"sv, "\x7F"sv,
           "\xC2\x80"sv,          // U+0080
           "\xDF\xBF"sv,          // U+07FF
           "\xE0\xA0\x80"sv,      // U+0800
           "\xED\x9F\xBF"sv,      // U+D7FF
           "\xEE\x80\x80"sv,      // U+E000
           "\xEF\xBF\xBF"sv,      // U+FFFF
           "\xEF\xBF\xBD"sv,      // U+FFFD
           "\xF0\x90\x80\x80"sv,  // U+10000
           "\xF4\x8F\xBF\xBF"sv,  // U+10FFFF
       }) {
    EXPECT_TRUE(IsValidUtf8(text)) << testing::PrintToString(text);
  }
}

TEST(Utf8Test, InvalidSequences) {
  for (std::string_view text : {
           "\x80"sv,
           "\xBF"sv,  // lone continuation bytes
           "\xC0\x80"sv,
           "\xC1\xBF"sv,  // overlong 2-byte
           "\xE0\x80\x80"sv,
           "\xE0\x9F\xBF"sv,  // overlong 3-byte
           "\xF0\x80\x80\x80"sv,
           "\xF0\x8F\xBF\xBF"sv,  // overlong 4-byte
           "\xED\xA0\x80"sv,
           "\xED\xBF\xBF"sv,              // surrogates D800, DFFF
           "\xED\xA0\xBD\xED\xB8\x80"sv,  // CESU-8 surrogate pair
           "\xF4\x90\x80\x80"sv,
           "\xF7\xBF\xBF\xBF"sv,  // above U+10FFFF
           "\xF5\x80\x80\x80"sv,
           "\xF8\x88\x80\x80\x80"sv,
           "\xFE"sv,
           "\xFF"sv,
           "\xC2"sv,
           "\xE0\xA0"sv,
           "\xF0\x90\x80"sv,  // truncated
           "\xC2\x41"sv,
           "\xE1\x80\x41"sv,
           "\xF1\x80\x80\x41"sv,  // bad continuation
           "\xC2\xC2\x80"sv,
           "abc\xE2\x82"sv,
       }) {
    EXPECT_FALSE(IsValidUtf8(text)) << testing::PrintToString(text);
  }
}

// A plain decoder to compare against: the code point's range decides validity.
bool ReferenceIsValidUtf8(std::string_view bytes) {
  size_t i = 0;
  while (i < bytes.size()) {
    const auto lead = static_cast<uint8_t>(bytes[i]);
    size_t length = 0;
    uint32_t code_point = 0;
    if (lead < 0x80) {
      length = 1;
      code_point = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2;
      code_point = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      code_point = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      code_point = lead & 0x07;
    } else {
      return false;
    }
    if (bytes.size() - i < length) return false;
    for (size_t k = 1; k < length; ++k) {
      const auto byte = static_cast<uint8_t>(bytes[i + k]);
      if ((byte & 0xC0) != 0x80) return false;
      code_point = (code_point << 6) | (byte & 0x3F);
    }
    static constexpr uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code_point < kMinimum[length] || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return false;
    }
    i += length;
  }
  return true;
}

// Every sequence of up to three bytes, alone and after eight ASCII bytes (the fast path).
TEST(Utf8Test, AgreesWithReferenceOnEveryShortSequence) {
  std::string text;
  size_t mismatches = 0;
  for (uint32_t value = 0; value < (1u << 24); ++value) {
    const char bytes[3] = {static_cast<char>(value >> 16), static_cast<char>(value >> 8),
                           static_cast<char>(value)};
    for (size_t length : {1u, 2u, 3u}) {
      if (length < 3 && (value >> (8 * length)) != 0) continue;
      const std::string_view sequence(bytes + 3 - length, length);
      if (IsValidUtf8(sequence) != ReferenceIsValidUtf8(sequence)) ++mismatches;
    }
    if (value % 4099 == 0) {
      text = "12345678" + std::string(bytes, 3);
      EXPECT_EQ(IsValidUtf8(text), ReferenceIsValidUtf8(text)) << value;
    }
  }
  EXPECT_EQ(mismatches, 0u);
}

TEST(Utf8Test, AgreesWithReferenceOnFourByteSequences) {
  const uint8_t tails[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0xBF, 0xC0, 0xFF};
  for (uint32_t lead = 0xE0; lead <= 0xFF; ++lead) {
    for (uint32_t second = 0; second <= 0xFF; ++second) {
      for (uint8_t third : tails) {
        for (uint8_t fourth : tails) {
          const char bytes[4] = {static_cast<char>(lead), static_cast<char>(second),
                                 static_cast<char>(third), static_cast<char>(fourth)};
          const std::string_view sequence(bytes, 4);
          ASSERT_EQ(IsValidUtf8(sequence), ReferenceIsValidUtf8(sequence))
              << testing::PrintToString(sequence);
        }
      }
    }
  }
}

TEST(Utf8Test, InvalidByteAtEveryPositionOfALongText) {
  const std::string valid = "The quick brown fox \xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80 jumps over";
  ASSERT_TRUE(IsValidUtf8(valid));
  for (size_t i = 0; i <= valid.size(); ++i) {
    std::string text = valid;
    text.insert(i, "\xFF");
    EXPECT_FALSE(IsValidUtf8(text)) << i;
  }
}

// ClassifyUtf8 skips ASCII 32 and 8 bytes at a time: every length around those blocks, and a
// non-ASCII character or an invalid byte at every offset of the first blocks, must give the
// answer of a byte-at-a-time look.
TEST(Utf8Test, AsciiOfEveryLengthAroundTheBlockSizes) {
  for (size_t length = 0; length <= 100; ++length) {
    std::string text(length, 'a');
    for (size_t i = 0; i < length; ++i) text[i] = static_cast<char>(i % 128);
    EXPECT_EQ(ClassifyUtf8(text), Utf8Kind::kAscii) << length;
  }
}

TEST(Utf8Test, NonAsciiAtEveryOffsetOfTheBlocks) {
  for (size_t length : {31u, 32u, 33u, 40u, 63u, 64u, 65u, 97u}) {
    for (size_t offset = 0; offset < length; ++offset) {
      std::string text(length, 'x');
      // A valid two-byte character (U+00E9) there: still valid, no longer ASCII.
      std::string valid = text;
      valid.replace(offset, 1, "\xC3\xA9");
      EXPECT_EQ(ClassifyUtf8(valid), Utf8Kind::kNonAscii) << length << " " << offset;
      // A four-byte one (U+1F600), possibly straddling a block end.
      std::string four = text;
      four.replace(offset, 1, "\xF0\x9F\x98\x80");
      EXPECT_EQ(ClassifyUtf8(four), Utf8Kind::kNonAscii) << length << " " << offset;
      // A byte that starts nothing, a lone continuation byte, a truncated sequence at the end.
      for (char bad : {'\xFF', '\x80', '\xC3'}) {
        std::string invalid = text;
        invalid[offset] = bad;
        EXPECT_EQ(ClassifyUtf8(invalid), Utf8Kind::kInvalid)
            << length << " " << offset << " " << static_cast<int>(bad);
        EXPECT_FALSE(IsValidUtf8(invalid));
      }
      // 0x7F is the highest ASCII byte.
      std::string del = text;
      del[offset] = '\x7F';
      EXPECT_EQ(ClassifyUtf8(del), Utf8Kind::kAscii) << length << " " << offset;
    }
  }
}

// --- §6 receiving: FrameDecoder -----------------------------------------------------------------

TEST(FrameDecoderTest, OneFrame) {
  const Decoded decoded = Decode("\x02hello\x17");
  EXPECT_EQ(decoded.frames, std::vector<std::string>{"hello"});
  EXPECT_EQ(decoded.dropped, 0u);
  EXPECT_EQ(decoded.error, std::nullopt);
}

TEST(FrameDecoderTest, ManyFramesInOneChunkInOrder) {
  std::string bytes;
  std::vector<std::string> expected;
  for (int i = 0; i < 1000; ++i) {
    expected.push_back("message " + std::to_string(i));
    AppendFrame(expected.back(), bytes);
  }
  EXPECT_EQ(Decode(bytes).frames, expected);
}

TEST(FrameDecoderTest, EmptyFrame) {
  EXPECT_EQ(Decode("\x02\x17").frames, std::vector<std::string>{""});
  EXPECT_EQ(Decode("\x02\x17\x02\x17").frames, (std::vector<std::string>{"", ""}));
}

TEST(FrameDecoderTest, FramesNotStartingWithStxAreDropped) {
  const Decoded decoded = Decode("hello\x17\x02one\x17\x01reserved\x17\x17\x02two\x17\xFF\x17");
  EXPECT_EQ(decoded.frames, (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(decoded.dropped, 4u);
}

TEST(FrameDecoderTest, StxInsideTheTextIsText) {
  EXPECT_EQ(Decode("\x02\x02x\x02\x17").frames, std::vector<std::string>{"\x02x\x02"});
}

TEST(FrameDecoderTest, InvalidUtf8FramesAreDropped) {
  for (std::string_view bad : {"\x80"sv, "\xC0\x80"sv, "\xED\xA0\x80"sv, "\xF4\x90\x80\x80"sv,
                               "\xE2\x82"sv, "ok\xFF"sv, "\xC3"sv}) {
    const std::string bytes =
        "\x02"
        "before\x17\x02" +
        std::string(bad) +
        "\x17\x02"
        "after\x17";
    const Decoded decoded = Decode(bytes);
    EXPECT_EQ(decoded.frames, (std::vector<std::string>{"before", "after"}))
        << testing::PrintToString(bad);
    EXPECT_EQ(decoded.dropped, 1u);
  }
}

TEST(FrameDecoderTest, IncompleteFrameIsHeldUntilItsEtb) {
  FrameDecoder decoder;
  std::vector<std::string> frames;
  const auto sink = [&](std::string_view text) { frames.emplace_back(text); };
  ASSERT_TRUE(decoder.Feed("\x02hel", sink).ok());
  EXPECT_TRUE(frames.empty());
  EXPECT_EQ(decoder.buffered_bytes(), 4u);
  ASSERT_TRUE(decoder.Feed("lo\x17\x02wor", sink).ok());
  EXPECT_EQ(frames, std::vector<std::string>{"hello"});
  EXPECT_EQ(decoder.buffered_bytes(), 4u);
  ASSERT_TRUE(decoder.Feed("ld\x17", sink).ok());
  EXPECT_EQ(frames, (std::vector<std::string>{"hello", "world"}));
  EXPECT_EQ(decoder.buffered_bytes(), 0u);
}

TEST(FrameDecoderTest, MultiByteCharactersSplitAcrossChunks) {
  const std::string text = "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80";
  const std::string bytes = Frame(text);
  for (size_t split = 0; split <= bytes.size(); ++split) {
    const Decoded decoded = DecodeChunks(
        {std::string_view(bytes).substr(0, split), std::string_view(bytes).substr(split)});
    EXPECT_EQ(decoded.frames, std::vector<std::string>{text}) << split;
  }
}

TEST(FrameDecoderTest, EverySplitDecodesLikeTheWhole) {
  const std::string bytes =
      "\x02hello\x17\x02\x17garbage\x17\x02\xC3\xA9t\xC3\xA9\x17"
      "\x02\xED\xA0\x80\x17\x01"
      "ext\x17\x02\xF0\x9F\x98\x80!\x17\x02partial";
  const Decoded whole = Decode(bytes);
  EXPECT_EQ(whole.frames,
            (std::vector<std::string>{"hello", "", "\xC3\xA9t\xC3\xA9", "\xF0\x9F\x98\x80!"}));
  EXPECT_EQ(whole.dropped, 3u);
  ExpectSplitInvariant(bytes);
}

TEST(FrameDecoderTest, EveryThreeWaySplitDecodesLikeTheWhole) {
  const std::string bytes = "\x02one\x17x\x17\x02\xE2\x82\xAC\x17\x02\x17\x02two\x17";
  const std::string_view view = bytes;
  const Decoded whole = Decode(bytes);
  for (size_t first = 0; first <= bytes.size(); ++first) {
    for (size_t second = first; second <= bytes.size(); ++second) {
      EXPECT_EQ(DecodeChunks({view.substr(0, first), view.substr(first, second - first),
                              view.substr(second)}),
                whole)
          << first << ", " << second;
    }
  }
}

TEST(FrameDecoderTest, WholeFramesInAChunkAreNotCopied) {
  const std::string bytes =
      "\x02"
      "first\x17\x02"
      "second\x17";
  FrameDecoder decoder;
  std::vector<const char*> addresses;
  ASSERT_TRUE(
      decoder.Feed(bytes, [&](std::string_view text) { addresses.push_back(text.data()); }).ok());
  ASSERT_EQ(addresses.size(), 2u);
  EXPECT_EQ(addresses[0], bytes.data() + 1);
  EXPECT_EQ(addresses[1], bytes.data() + 8);
}

// --- §6 / §9: the frame size limit ---------------------------------------------------------------

TEST(FrameDecoderTest, FrameOfExactlyTheMaximumIsDelivered) {
  const Decoded decoded = Decode(
      "\x02"
      "12345\x17",
      5);
  EXPECT_EQ(decoded.frames, std::vector<std::string>{"12345"});
  EXPECT_EQ(decoded.error, std::nullopt);
  ExpectSplitInvariant(
      "\x02"
      "12345\x17\x02"
      "abcde\x17",
      5);
}

TEST(FrameDecoderTest, FrameOneByteOverTheMaximumFails) {
  const Decoded decoded = Decode(
      "\x02"
      "ok\x17\x02"
      "123456\x17\x02"
      "later\x17",
      5);
  // Frames before the oversized one are delivered; nothing after it.
  EXPECT_EQ(decoded.frames, std::vector<std::string>{"ok"});
  ASSERT_TRUE(decoded.error.has_value());
  EXPECT_NE(decoded.error->find("5"), std::string::npos);
  ExpectSplitInvariant(
      "\x02"
      "ok\x17\x02"
      "123456\x17\x02"
      "later\x17",
      5);
}

TEST(FrameDecoderTest, OversizedFrameFailsBeforeItsEtbArrives) {
  FrameDecoder decoder(5);
  const auto sink = [](std::string_view) { FAIL() << "nothing to deliver"; };
  EXPECT_TRUE(decoder
                  .Feed("\x02"
                        "12345",
                        sink)
                  .ok());  // the maximum, still incomplete
  EXPECT_EQ(decoder.buffered_bytes(), 6u);
  Result<Ok> result = decoder.Feed("6", sink);  // one byte too many, no 0x17 in sight
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().stage, Stage::kProtocol);
  EXPECT_EQ(decoder.buffered_bytes(), 0u);
}

TEST(FrameDecoderTest, OversizedFrameWithoutStxAlsoFails) {
  EXPECT_EQ(Decode("\x01"
                   "12345\x17",
                   5)
                .error,
            std::nullopt);
  EXPECT_TRUE(Decode("\x01"
                     "123456",
                     5)
                  .error.has_value());
  EXPECT_TRUE(Decode("1234567", 5).error.has_value());
}

TEST(FrameDecoderTest, AfterFailingEveryFeedFails) {
  FrameDecoder decoder(3);
  int delivered = 0;
  const auto sink = [&](std::string_view) { ++delivered; };
  EXPECT_FALSE(decoder
                   .Feed("\x02"
                         "toolong",
                         sink)
                   .ok());
  Result<Ok> again = decoder.Feed("\x17\x02ok\x17", sink);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().stage, Stage::kProtocol);
  EXPECT_EQ(delivered, 0);
}

TEST(FrameDecoderTest, DefaultMaximumIsSixteenMebibytes) {
  EXPECT_EQ(kDefaultMaxFrameBytes, 16u * 1024 * 1024);
  const std::string largest(kDefaultMaxFrameBytes, 'x');
  FrameDecoder decoder;
  size_t delivered_size = 0;
  const auto sink = [&](std::string_view text) { delivered_size = text.size(); };
  // In pieces, so that the buffering path is used.
  const std::string frame = Frame(largest);
  for (size_t offset = 0; offset < frame.size(); offset += 1 << 20) {
    ASSERT_TRUE(decoder.Feed(std::string_view(frame).substr(offset, 1 << 20), sink).ok());
  }
  EXPECT_EQ(delivered_size, kDefaultMaxFrameBytes);
  EXPECT_EQ(decoder.buffered_bytes(), 0u);

  FrameDecoder strict;
  EXPECT_FALSE(strict.Feed(Frame(largest + "x"), sink).ok());
}

// --- Round trip ---------------------------------------------------------------------------------

TEST(FramerTest, RoundTripReplacesOnlyNulAndEtb) {
  const std::vector<std::string> texts = {"",
                                          "hello",
                                          "a\0b"s,
                                          "\x17",
                                          "x\x17y\0z"s,
                                          "\x01\x16\x18\x7F",
                                          "caf\xC3\xA9",
                                          "\xF0\x9F\x98\x80",
                                          std::string(10000, 'q')};
  std::string wire;
  size_t total_size = 0;
  for (const std::string& text : texts) total_size += AppendFrame(text, wire);
  EXPECT_EQ(total_size, wire.size());

  std::vector<std::string> expected;
  for (const std::string& text : texts) {
    std::string replaced;
    for (char c : text)
      replaced += (c == '\0' || c == '\x17') ? "\xEF\xBF\xBD"s : std::string(1, c);
    expected.push_back(replaced);
  }
  EXPECT_EQ(Decode(wire).frames, expected);
  EXPECT_EQ(Decode(wire).dropped, 0u);
}

}  // namespace
}  // namespace switchboard

namespace switchboard {
namespace {

// §6: a batch keeps its frames in order; each counts its text plus the per-frame overhead; a
// large frame is moved out whole, a small one copied out of the shared buffer.
TEST(FrameBatchTest, KeepsOrderCountsTheWindowAndMovesLargeFramesOut) {
  FrameBatch batch;
  const std::string large(FrameBatch::kOwnStringBytes, 'x');
  batch.Append("one");
  batch.Append("");
  batch.Append(large);
  batch.Append("caf\xC3\xA9");
  ASSERT_EQ(batch.size(), 4u);
  EXPECT_EQ(batch[0], "one");
  EXPECT_EQ(batch[1], "");
  EXPECT_EQ(batch[2], large);
  EXPECT_EQ(batch[3], "caf\xC3\xA9");
  EXPECT_EQ(batch.WindowBytes(), 3 + 0 + large.size() + 5 + 4 * kFrameOverheadBytes);
  const char* large_bytes = batch[2].data();
  std::string taken = batch.Take(2);
  EXPECT_EQ(taken, large);
  EXPECT_EQ(taken.data(), large_bytes);  // moved, not copied
  EXPECT_EQ(batch.Take(3), "caf\xC3\xA9");
  EXPECT_EQ(batch[3], "caf\xC3\xA9");  // a small frame stays readable
  EXPECT_EQ(batch.WindowBytes(), 3 + 0 + large.size() + 5 + 4 * kFrameOverheadBytes);
}

// A frame gathered across reads is handed over by move (its text is the string the decoder
// gathered it in); one wholly inside a read is copied out of the caller's bytes. Each says
// whether it is all ASCII.
TEST(FrameDecoderTest, HandsAGatheredFrameOverByMove) {
  FrameDecoder decoder;
  std::vector<std::string> taken;
  std::vector<const char*> seen;
  std::vector<bool> ascii;
  const FrameDecoder::FrameSink sink = [&](ReceivedText& text) {
    seen.push_back(text.view().data());
    ascii.push_back(text.is_ascii());
    taken.push_back(text.TakeString());
  };
  const std::string large(100000, 'y');
  std::string stream = "\x02" + large.substr(0, 5000);
  ASSERT_TRUE(decoder.Feed(stream, sink).ok());
  EXPECT_EQ(decoder.buffered_bytes(), 5001u);
  stream = large.substr(5000) +
           "\x17\x02"
           "caf\xC3\xA9\x17\x02" +
           large.substr(0, 10);
  ASSERT_TRUE(decoder.Feed(stream, sink).ok());
  ASSERT_EQ(taken.size(), 2u);
  EXPECT_EQ(taken[0], large);
  EXPECT_EQ(taken[0].data(), seen[0]);  // moved
  EXPECT_EQ(taken[1], "caf\xC3\xA9");
  EXPECT_NE(taken[1].data(), seen[1]);  // copied out of the caller's bytes
  EXPECT_EQ(ascii, (std::vector<bool>{true, false}));
  // The next frame gathered gets a buffer of its own, sized like the last one.
  ASSERT_TRUE(decoder.Feed(large.substr(10) + "\x17", sink).ok());
  ASSERT_EQ(taken.size(), 3u);
  EXPECT_EQ(taken[2], large);
  EXPECT_EQ(taken[2].data(), seen[2]);
  EXPECT_EQ(decoder.buffered_bytes(), 0u);
  // A small frame after a large one is not handed a large buffer.
  ASSERT_TRUE(decoder.Feed("\x02sm", sink).ok());
  ASSERT_TRUE(decoder.Feed("all\x17", sink).ok());
  ASSERT_EQ(taken.size(), 4u);
  EXPECT_EQ(taken[3], "small");
  EXPECT_LT(taken[3].capacity(), 8192u);
}

// A sink that does not take the text leaves the decoder's buffer to be reused.
TEST(FrameDecoderTest, ASinkThatOnlyLooksLeavesTheBuffer) {
  FrameDecoder decoder;
  std::vector<std::string> texts;
  const FrameDecoder::FrameSink sink = [&](std::string_view text) { texts.emplace_back(text); };
  for (int round = 0; round < 3; ++round) {
    ASSERT_TRUE(decoder
                    .Feed("\x02"
                          "ab",
                          sink)
                    .ok());
    ASSERT_TRUE(decoder.Feed("cd\x17\x02\x17", sink).ok());
  }
  EXPECT_EQ(texts, (std::vector<std::string>{"abcd", "", "abcd", "", "abcd", ""}));
}

}  // namespace
}  // namespace switchboard
