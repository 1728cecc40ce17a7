// RFC 6455's rules for what a server receives, rule by rule, and every frame split at every
// byte offset.
#include "net/websocket_server_framer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace switchboard {
namespace {

using Framer = WebSocketServerFramer;
using Kind = Framer::Event::Kind;

constexpr std::uint8_t kMask[4] = {0x37, 0xfa, 0x21, 0x3d};

// A client frame: FIN/RSV/opcode byte as given, masked unless told otherwise.
std::string ClientFrame(std::uint8_t first_byte, std::string_view payload, bool masked = true) {
  std::string frame;
  frame.push_back(static_cast<char>(first_byte));
  const std::uint8_t mask_bit = masked ? 0x80 : 0;
  if (payload.size() < 126) {
    frame.push_back(static_cast<char>(mask_bit | payload.size()));
  } else if (payload.size() <= 0xFFFF) {
    frame.push_back(static_cast<char>(mask_bit | 126));
    frame.push_back(static_cast<char>(payload.size() >> 8));
    frame.push_back(static_cast<char>(payload.size() & 0xFF));
  } else {
    frame.push_back(static_cast<char>(mask_bit | 127));
    for (int shift = 56; shift >= 0; shift -= 8) {
      frame.push_back(static_cast<char>((std::uint64_t{payload.size()} >> shift) & 0xFF));
    }
  }
  if (masked) frame.append(reinterpret_cast<const char*>(kMask), 4);
  for (std::size_t i = 0; i < payload.size(); ++i) {
    frame.push_back(static_cast<char>(payload[i] ^ (masked ? kMask[i % 4] : 0)));
  }
  return frame;
}

struct Decoded {
  std::vector<Framer::Event> events;
  std::optional<Framer::Failure> failure;
};

Decoded Feed(Framer& framer, std::string_view bytes) {
  Decoded decoded;
  auto result = framer.Feed({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()},
                            decoded.events);
  if (!result.ok()) decoded.failure = result.error();
  return decoded;
}

Decoded FeedAll(std::string_view bytes, std::size_t max = 1 << 20) {
  Framer framer(max);
  return Feed(framer, bytes);
}

TEST(WebSocketServerFramer, DecodesMaskedTextAtEverySplit) {
  std::string bytes = ClientFrame(0x81, "{\"id\":1,\"method\":\"Runtime.enable\"}") +
                      ClientFrame(0x81, std::string(300, 'x')) + ClientFrame(0x89, "ping!");
  for (std::size_t split = 0; split <= bytes.size(); ++split) {
    Framer framer(1 << 20);
    Decoded first = Feed(framer, std::string_view(bytes).substr(0, split));
    Decoded second = Feed(framer, std::string_view(bytes).substr(split));
    ASSERT_FALSE(first.failure || second.failure) << split;
    first.events.insert(first.events.end(), second.events.begin(), second.events.end());
    ASSERT_EQ(first.events.size(), 3u) << split;
    EXPECT_EQ(first.events[0].kind, Kind::kText);
    EXPECT_EQ(first.events[0].payload, "{\"id\":1,\"method\":\"Runtime.enable\"}");
    EXPECT_EQ(first.events[1].payload, std::string(300, 'x'));
    EXPECT_EQ(first.events[2].kind, Kind::kPing);
    EXPECT_EQ(first.events[2].payload, "ping!");
  }
}

TEST(WebSocketServerFramer, SixtyFourBitLength) {
  Decoded decoded = FeedAll(ClientFrame(0x81, std::string(70000, 'a')));
  ASSERT_FALSE(decoded.failure);
  ASSERT_EQ(decoded.events.size(), 1u);
  EXPECT_EQ(decoded.events[0].payload.size(), 70000u);
}

TEST(WebSocketServerFramer, RefusesUnmaskedClientFrames) {
  Decoded decoded = FeedAll(ClientFrame(0x81, "hello", /*masked=*/false));
  ASSERT_TRUE(decoded.failure);
  EXPECT_EQ(decoded.failure->close_code, Framer::kProtocolError);
  EXPECT_TRUE(decoded.events.empty());
}

TEST(WebSocketServerFramer, ReassemblesFragmentsWithControlFramesBetween) {
  Decoded decoded = FeedAll(ClientFrame(0x01, "Hel") + ClientFrame(0x89, "p") +
                            ClientFrame(0x00, "lo ") + ClientFrame(0x80, "world"));
  ASSERT_FALSE(decoded.failure);
  ASSERT_EQ(decoded.events.size(), 2u);
  EXPECT_EQ(decoded.events[0].kind, Kind::kPing);
  EXPECT_EQ(decoded.events[1].kind, Kind::kText);
  EXPECT_EQ(decoded.events[1].payload, "Hello world");
}

TEST(WebSocketServerFramer, UnicodeSplitAcrossFragments) {
  std::string snowman = "\xE2\x98\x83";
  Decoded decoded =
      FeedAll(ClientFrame(0x01, snowman.substr(0, 1)) + ClientFrame(0x80, snowman.substr(1)));
  ASSERT_FALSE(decoded.failure);
  ASSERT_EQ(decoded.events.size(), 1u);
  EXPECT_EQ(decoded.events[0].payload, snowman);
}

TEST(WebSocketServerFramer, RefusesContinuationWithoutAMessage) {
  Decoded decoded = FeedAll(ClientFrame(0x80, "x"));
  ASSERT_TRUE(decoded.failure);
  EXPECT_EQ(decoded.failure->close_code, Framer::kProtocolError);
}

TEST(WebSocketServerFramer, RefusesANewMessageInsideAFragmentedOne) {
  Decoded decoded = FeedAll(ClientFrame(0x01, "a") + ClientFrame(0x81, "b"));
  ASSERT_TRUE(decoded.failure);
  EXPECT_EQ(decoded.failure->close_code, Framer::kProtocolError);
  EXPECT_TRUE(decoded.events.empty());
}

TEST(WebSocketServerFramer, RefusesBadOpcodesAndReservedBits) {
  for (std::uint8_t first : {0x83, 0x84, 0x87, 0x8B, 0x8F, 0xC1, 0xA1, 0x91}) {
    Decoded decoded = FeedAll(ClientFrame(first, "x"));
    ASSERT_TRUE(decoded.failure) << int{first};
    EXPECT_EQ(decoded.failure->close_code, Framer::kProtocolError) << int{first};
  }
}

TEST(WebSocketServerFramer, RefusesBinaryMessages) {
  Decoded decoded = FeedAll(ClientFrame(0x82, "x"));
  ASSERT_TRUE(decoded.failure);
  EXPECT_EQ(decoded.failure->close_code, Framer::kUnsupportedData);
}

TEST(WebSocketServerFramer, RefusesBadControlFrames) {
  // Fragmented ping; ping longer than 125 bytes; a 1-byte close body; a reserved close code.
  for (const std::string& bytes :
       {ClientFrame(0x09, "x"), ClientFrame(0x89, std::string(126, 'p')), ClientFrame(0x88, "x"),
        ClientFrame(0x88, std::string("\x03\xED", 2)),
        ClientFrame(0x88, std::string("\x03\xEC", 2))}) {
    Decoded decoded = FeedAll(bytes);
    ASSERT_TRUE(decoded.failure);
    EXPECT_EQ(decoded.failure->close_code, Framer::kProtocolError);
  }
}

TEST(WebSocketServerFramer, RefusesNonMinimalAndHugeLengths) {
  // 5 bytes written with the 16-bit form; then a 64-bit length with its top bit set.
  std::string non_minimal = "\x81\xFE";
  non_minimal += std::string("\x00\x05", 2) + "abcd" + "hello";
  EXPECT_TRUE(FeedAll(non_minimal).failure);
  std::string top_bit = "\x81\xFF";
  top_bit += std::string("\x80\x00\x00\x00\x00\x00\x00\x01", 8);
  Decoded decoded = FeedAll(top_bit);
  ASSERT_TRUE(decoded.failure);
  EXPECT_EQ(decoded.failure->close_code, Framer::kProtocolError);
}

TEST(WebSocketServerFramer, RefusesTooBigMessagesBeforeTheirBytesArrive) {
  // Only the header of a 1 GiB frame: refused at once, nothing buffered for it.
  std::string header = "\x81\xFF";
  header += std::string("\x00\x00\x00\x00\x40\x00\x00\x00", 8) + "abcd";
  Decoded decoded = FeedAll(header, 1 << 20);
  ASSERT_TRUE(decoded.failure);
  EXPECT_EQ(decoded.failure->close_code, Framer::kMessageTooBig);
  // Fragments that together pass the limit.
  decoded = FeedAll(
      ClientFrame(0x01, std::string(600, 'a')) + ClientFrame(0x80, std::string(600, 'b')), 1000);
  ASSERT_TRUE(decoded.failure);
  EXPECT_EQ(decoded.failure->close_code, Framer::kMessageTooBig);
}

TEST(WebSocketServerFramer, RefusesInvalidUtf8) {
  Decoded decoded = FeedAll(ClientFrame(0x81, "\xC0\xAF"));
  ASSERT_TRUE(decoded.failure);
  EXPECT_EQ(decoded.failure->close_code, Framer::kInvalidPayload);
  decoded = FeedAll(ClientFrame(0x88, std::string("\x03\xE8\xFF", 3)));
  ASSERT_TRUE(decoded.failure);
  EXPECT_EQ(decoded.failure->close_code, Framer::kInvalidPayload);
}

TEST(WebSocketServerFramer, CloseHandshake) {
  Decoded decoded = FeedAll(ClientFrame(0x88, std::string("\x03\xE8", 2) + "bye"));
  ASSERT_FALSE(decoded.failure);
  ASSERT_EQ(decoded.events.size(), 1u);
  EXPECT_EQ(decoded.events[0].kind, Kind::kClose);
  EXPECT_EQ(decoded.events[0].close_code, 1000);
  EXPECT_EQ(decoded.events[0].payload, "bye");
  decoded = FeedAll(ClientFrame(0x88, ""));
  ASSERT_EQ(decoded.events.size(), 1u);
  EXPECT_EQ(decoded.events[0].close_code, 1005);
}

TEST(WebSocketServerFramer, NothingAfterAFailure) {
  Framer framer(1024);
  EXPECT_TRUE(Feed(framer, ClientFrame(0x81, "x", false)).failure);
  EXPECT_TRUE(Feed(framer, ClientFrame(0x81, "x")).failure);
}

TEST(WebSocketServerFramer, EncodesUnmaskedServerFrames) {
  EXPECT_EQ(Framer::EncodeFrame(Framer::Opcode::kText, "hi"), std::string("\x81\x02hi"));
  std::string medium = Framer::EncodeFrame(Framer::Opcode::kText, std::string(200, 'a'));
  EXPECT_EQ(medium.substr(0, 4), std::string("\x81\x7E\x00\xC8", 4));
  std::string large = Framer::EncodeFrame(Framer::Opcode::kText, std::string(70000, 'a'));
  EXPECT_EQ(large.substr(0, 10), std::string("\x81\x7F\x00\x00\x00\x00\x00\x01\x11\x70", 10));
  EXPECT_EQ(Framer::EncodeClose(1001, "bye"), std::string("\x88\x05\x03\xE9"
                                                          "bye",
                                                          7));
}

}  // namespace
}  // namespace switchboard
