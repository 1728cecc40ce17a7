// The server side of RFC 6455 WebSocket, as pure functions over bytes: the opening handshake's
// accept key (§4.2.2), a frame parser for client frames (§5.2) and WebSocketEchoSession, the
// echo protocol of /ws-echo (messages echoed, pings answered, the closing handshake, §5.5).
// No sockets here: the /ws-echo handler feeds bytes in and writes what comes out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace switchboard::reference_server {

// base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")), RFC 6455 §4.2.2 step 5.4.
std::string WebSocketAcceptKey(std::string_view client_key);

// A Sec-WebSocket-Key must be the base64 form of 16 bytes (§4.1 step 7).
bool IsValidWebSocketKey(std::string_view client_key);

// RFC 3629 UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF).
bool IsValidUtf8(std::string_view bytes);

enum class WebSocketOpcode : std::uint8_t {
  kContinuation = 0x0,
  kText = 0x1,
  kBinary = 0x2,
  kClose = 0x8,
  kPing = 0x9,
  kPong = 0xA,
};

// An unmasked server frame with FIN set (§5.2).
std::string EncodeWebSocketFrame(WebSocketOpcode opcode, std::string_view payload);

// Close status codes used by the server (§7.4.1).
enum class WebSocketCloseCode : std::uint16_t {
  kNormal = 1000,
  kProtocolError = 1002,
  kInvalidPayload = 1007,
  kMessageTooBig = 1009,
};

// Splits a client byte stream into frames, unmasking them.
class WebSocketFrameParser {
 public:
  explicit WebSocketFrameParser(std::size_t max_frame_payload);

  struct Frame {
    bool fin = false;
    std::uint8_t opcode = 0;
    std::string payload;  // unmasked
  };
  struct Step {
    enum class Outcome { kFrame, kIncomplete, kError };
    Outcome outcome = Outcome::kIncomplete;
    Frame frame;                                                         // when kFrame
    WebSocketCloseCode error_code = WebSocketCloseCode::kProtocolError;  // when kError
  };

  void Append(std::string_view bytes);
  // The next complete frame, kIncomplete when more bytes are needed, or kError for a frame
  // that breaks §5.2 (reserved bits, an unmasked client frame, a bad control frame, too big).
  Step Next();

 private:
  std::size_t max_frame_payload_;
  std::string buffer_;
  std::size_t offset_ = 0;  // bytes of buffer_ already parsed
};

// The /ws-echo protocol: every complete message is sent back with its opcode, pings get a pong
// with the same payload, a close frame is answered with a close frame carrying the same code,
// and protocol errors close with 1002/1007/1009.
class WebSocketEchoSession {
 public:
  explicit WebSocketEchoSession(std::size_t max_message_bytes = std::size_t{64} << 20);

  struct Output {
    std::string bytes_to_send;
    bool close_connection = false;  // after bytes_to_send were written
  };
  Output Receive(std::string_view bytes);

 private:
  enum class State { kOpen, kClosed };
  Output Fail(WebSocketCloseCode code);

  std::size_t max_message_bytes_;
  WebSocketFrameParser parser_;
  State state_ = State::kOpen;
  bool in_fragmented_message_ = false;
  WebSocketOpcode message_opcode_ = WebSocketOpcode::kText;
  std::string message_;
};

}  // namespace switchboard::reference_server
