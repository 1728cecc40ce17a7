// TextEncoder and TextDecoder in V8 (Encoding Standard §7): labels, encodeInto()'s counts at
// the edge of a surrogate pair, fatal errors, streaming and the BOM.
#include <gtest/gtest.h>

#include "bindings/testing/v8_test_environment.h"
#include "engine/encoding/text_decoder.h"

namespace switchboard {
namespace {

using TextCodecTest = bindings::testing::V8Test;

TEST(TextDecoderLabelTest, AcceptsTheUtf8LabelsOnly) {
  for (const char* label : {"utf-8", "UTF8", " \t\n\f\runicode-1-1-utf-8 ", "Unicode11UTF8",
                            "unicode20utf8", "x-unicode20utf8"}) {
    EXPECT_TRUE(TextDecoder::IsUtf8Label(label)) << label;
  }
  for (const char* label :
       {"", "utf-16", "latin1", "utf-8\v", "\xC2\xA0utf-8", "utf_8", "utf-8 x", "replacement"}) {
    EXPECT_FALSE(TextDecoder::IsUtf8Label(label)) << label;
  }
}

TEST_F(TextCodecTest, EncodeIntoNeverSplitsASurrogatePair) {
  EXPECT_EQ(Run(R"(
    const encoder = new TextEncoder();
    for (const size of [0, 1, 3, 4, 5, 7, 8]) {
      const r = encoder.encodeInto('a\u{1F600}\u{1F600}', new Uint8Array(size));
      log(size, r.read, r.written);
    }
    log(Array.from(encoder.encode('\uD800\uDC00\uDC00')).join());
  )"),
            "0 0 0\n1 1 1\n3 1 1\n4 1 1\n5 3 5\n7 3 5\n8 3 5\n"
            "240,144,128,128,239,191,189\n");
  EXPECT_EQ(
      Run(R"(log(new TextEncoder().encodeInto('a\u{1F600}\u{1F600}', new Uint8Array(9)).read))"),
      "5\n");
}

TEST_F(TextCodecTest, DecoderLabelsFatalStreamingAndTheBom) {
  EXPECT_EQ(Run(R"(
    try { new TextDecoder('latin1'); } catch (e) { log(e.name, e.message); }
    const fatal = new TextDecoder('utf8', {fatal: true});
    try { fatal.decode(new Uint8Array([0x41, 0x80])); } catch (e) { log(e.name, e.message); }
    const d = new TextDecoder();
    log(JSON.stringify(d.decode(new Uint8Array([0xEF, 0xBB]), {stream: true})),
        d.decode(new Uint8Array([0xBF, 0xE2, 0x82]), {stream: true}).length,
        d.decode(new Uint8Array([0xAC])));
    log(new TextDecoder('utf-8', {ignoreBOM: true}).decode(new Uint8Array([0xEF, 0xBB, 0xBF])).charCodeAt(0).toString(16));
  )"),
            "RangeError Failed to construct 'TextDecoder': The encoding label provided ('latin1') "
            "is not supported: only UTF-8 is.\n"
            "TypeError Failed to execute 'decode' on 'TextDecoder': The encoded data was not valid "
            "UTF-8.\n"
            "\"\" 0 \xE2\x82\xAC\n"
            "feff\n");
}

}  // namespace
}  // namespace switchboard
