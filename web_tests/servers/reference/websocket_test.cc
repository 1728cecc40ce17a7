#include "web_tests/servers/reference/websocket.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace switchboard::reference_server {
namespace {

// A masked client frame (RFC 6455 §5.2/§5.3).
std::string ClientFrame(std::uint8_t first_byte, std::string_view payload,
                        std::string_view mask = "\x37\xfa\x21\x3d") {
  std::string frame;
  frame.push_back(static_cast<char>(first_byte));
  if (payload.size() < 126) {
    frame.push_back(static_cast<char>(0x80 | payload.size()));
  } else if (payload.size() <= 0xFFFF) {
    frame.push_back(static_cast<char>(0x80 | 126));
    frame.push_back(static_cast<char>(payload.size() >> 8));
    frame.push_back(static_cast<char>(payload.size() & 0xFF));
  } else {
    frame.push_back(static_cast<char>(0x80 | 127));
    for (int shift = 56; shift >= 0; shift -= 8) {
      frame.push_back(
          static_cast<char>((static_cast<std::uint64_t>(payload.size()) >> shift) & 0xFF));
    }
  }
  frame.append(mask);
  for (std::size_t index = 0; index < payload.size(); ++index) {
    frame.push_back(static_cast<char>(payload[index] ^ mask[index % 4]));
  }
  return frame;
}

TEST(WebSocketTest, AcceptKeyMatchesRfc6455Example) {
  // RFC 6455 §1.3.
  EXPECT_EQ(WebSocketAcceptKey("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  EXPECT_TRUE(IsValidWebSocketKey("dGhlIHNhbXBsZSBub25jZQ=="));
  EXPECT_FALSE(IsValidWebSocketKey("dGhlIHNhbXBsZSBub25jZQ="));
  EXPECT_FALSE(IsValidWebSocketKey("dGhlIHNhbXBsZSBub25jZ!=="));
}

TEST(WebSocketTest, Utf8Validation) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"));  // é € 😀
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong
  EXPECT_FALSE(IsValidUtf8("\xe0\x80\xaf"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xe2\x82"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
}

TEST(WebSocketTest, EncodesServerFramesUnmasked) {
  EXPECT_EQ(EncodeWebSocketFrame(WebSocketOpcode::kText, "Hello"), "\x81\x05Hello");
  const std::string medium = EncodeWebSocketFrame(WebSocketOpcode::kBinary, std::string(300, 'x'));
  EXPECT_EQ(medium.substr(0, 4), std::string("\x82\x7e\x01\x2c", 4));
  const std::string large = EncodeWebSocketFrame(WebSocketOpcode::kBinary, std::string(70000, 'x'));
  EXPECT_EQ(large.substr(0, 10), std::string("\x82\x7f\x00\x00\x00\x00\x00\x01\x11\x70", 10));
}

TEST(WebSocketTest, EchoesATextMessageSplitAtEveryByte) {
  const std::string input = ClientFrame(0x81, "Hello") + ClientFrame(0x82, std::string(200, 'b'));
  const std::string expected =
      EncodeWebSocketFrame(WebSocketOpcode::kText, "Hello") +
      EncodeWebSocketFrame(WebSocketOpcode::kBinary, std::string(200, 'b'));
  for (std::size_t split = 0; split <= input.size(); ++split) {
    WebSocketEchoSession session;
    std::string output = session.Receive(std::string_view(input).substr(0, split)).bytes_to_send;
    output += session.Receive(std::string_view(input).substr(split)).bytes_to_send;
    EXPECT_EQ(output, expected) << "split at " << split;
  }
}

TEST(WebSocketTest, ReassemblesFragmentsAndAnswersPingsBetweenThem) {
  WebSocketEchoSession session;
  const WebSocketEchoSession::Output output =
      session.Receive(ClientFrame(0x01, "Hel") + ClientFrame(0x89, "p") + ClientFrame(0x80, "lo") +
                      ClientFrame(0x8A, "unsolicited pong"));
  EXPECT_EQ(output.bytes_to_send, EncodeWebSocketFrame(WebSocketOpcode::kPong, "p") +
                                      EncodeWebSocketFrame(WebSocketOpcode::kText, "Hello"));
  EXPECT_FALSE(output.close_connection);
}

TEST(WebSocketTest, ClosingHandshakeEchoesTheCode) {
  WebSocketEchoSession session;
  const WebSocketEchoSession::Output output = session.Receive(ClientFrame(0x88,
                                                                          "\x03\xe8"
                                                                          "bye"));
  EXPECT_EQ(output.bytes_to_send, std::string("\x88\x02\x03\xe8", 4));
  EXPECT_TRUE(output.close_connection);
  EXPECT_TRUE(session.Receive(ClientFrame(0x81, "late")).bytes_to_send.empty());
}

struct ProtocolViolation {
  const char* name;
  std::string bytes;
  std::uint16_t close_code;
};

TEST(WebSocketTest, ProtocolViolationsCloseWithTheRightCode) {
  const ProtocolViolation cases[] = {
      {"unmasked", std::string("\x81\x02hi", 4), 1002},
      {"reserved bit", ClientFrame(0xC1, "x"), 1002},
      {"unknown opcode", ClientFrame(0x83, "x"), 1002},
      {"fragmented ping", ClientFrame(0x09, "x"), 1002},
      {"continuation first", ClientFrame(0x80, "x"), 1002},
      {"text inside fragments", ClientFrame(0x01, "a") + ClientFrame(0x81, "b"), 1002},
      {"invalid utf-8", ClientFrame(0x81, "\xff"), 1007},
      {"one-byte close", ClientFrame(0x88, "\x03"), 1002},
      {"reserved close code", ClientFrame(0x88, std::string("\x03\xed", 2)), 1002},
  };
  for (const ProtocolViolation& violation : cases) {
    WebSocketEchoSession session;
    const WebSocketEchoSession::Output output = session.Receive(violation.bytes);
    const std::string expected{'\x88', '\x02', static_cast<char>(violation.close_code >> 8),
                               static_cast<char>(violation.close_code & 0xFF)};
    EXPECT_EQ(output.bytes_to_send, expected) << violation.name;
    EXPECT_TRUE(output.close_connection) << violation.name;
  }
}

TEST(WebSocketTest, MessagesOverTheLimitClose1009) {
  WebSocketEchoSession session(100);
  const WebSocketEchoSession::Output output =
      session.Receive(ClientFrame(0x82, std::string(101, 'x')));
  EXPECT_EQ(output.bytes_to_send, std::string("\x88\x02\x03\xf1", 4));
}

}  // namespace
}  // namespace switchboard::reference_server
