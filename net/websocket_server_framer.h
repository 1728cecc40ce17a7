// WebSocketServerFramer: the server side of RFC 6455 §5 for the DevTools endpoint
// (net/devtools_server.h) — decodes the frames a client sends into messages and control
// events, and encodes the server's unmasked frames. Pure: bytes in, events out; no socket.
//
// Why our own and not Debian's libwebsockets: the DevTools transport needs one text-message
// WebSocket per session on a loop we already run (libuv), with our own Host check before the
// upgrade; libwebsockets brings its own event-loop plugins, vhosts and protocol tables for
// that, and its libuv integration has to share our loop's lifetime rules. The part of RFC 6455
// a server needs is this small decoder, tested rule by rule (websocket_server_framer_test.cc).
//
// Thread: any (no shared state). Ownership: a value type, one per connection.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/utf8_decoder.h"

namespace switchboard {

class WebSocketServerFramer {
 public:
  // RFC 6455 §5.2 opcodes.
  enum class Opcode : std::uint8_t {
    kContinuation = 0x0,
    kText = 0x1,
    kBinary = 0x2,
    kClose = 0x8,
    kPing = 0x9,
    kPong = 0xA,
  };
  // RFC 6455 §7.4.1 status codes this side sends.
  enum CloseCode : std::uint16_t {
    kNormalClosure = 1000,
    kGoingAway = 1001,
    kProtocolError = 1002,
    kUnsupportedData = 1003,
    kInvalidPayload = 1007,
    kMessageTooBig = 1009,
  };

  struct Event {
    enum class Kind { kText, kPing, kPong, kClose };
    Kind kind;
    std::string payload;           // the message's text, a ping/pong's data, a close's reason
    std::uint16_t close_code = 0;  // kClose: the peer's code, 1005 (none) when it sent none
  };
  // Why the connection must be failed (RFC 6455 §7.1.7): the code to close with and a reason.
  struct Failure {
    std::uint16_t close_code;
    std::string reason;
  };

  // `max_message_bytes` bounds one message, all its fragments together (and so the memory
  // this framer holds: one frame header plus at most that many bytes).
  explicit WebSocketServerFramer(std::size_t max_message_bytes)
      : max_message_bytes_(max_message_bytes) {}

  // Decodes `bytes`, appending the complete events to `events`. After a Failure, the framer
  // decodes nothing more.
  ResultOf<Ok, Failure> Feed(std::span<const std::uint8_t> bytes, std::vector<Event>& events);

  // One unmasked, unfragmented frame (§5.1: a server never masks).
  static std::string EncodeFrame(Opcode opcode, std::string_view payload);
  // A close frame with `code` and `reason` (§5.5.1).
  static std::string EncodeClose(std::uint16_t code, std::string_view reason);

 private:
  ResultOf<Ok, Failure> DecodeFrame(std::vector<Event>& events, bool& need_more);
  Failure Fail(std::uint16_t code, std::string reason);

  std::size_t max_message_bytes_;
  std::vector<std::uint8_t> buffer_;  // bytes of the frame being received
  bool in_fragmented_message_ = false;
  std::string message_;  // a fragmented text message's text so far
  Utf8Decoder message_decoder_{Utf8Decoder::ErrorMode::kFatal};
  bool failed_ = false;
};

}  // namespace switchboard
