#include "net/websocket_server_framer.h"

#include <cstring>
#include <utility>

namespace switchboard {
namespace {

constexpr std::size_t kMaxControlPayload = 125;  // RFC 6455 §5.5

bool IsKnownOpcode(std::uint8_t opcode) {
  switch (opcode) {
    case 0x0:
    case 0x1:
    case 0x2:
    case 0x8:
    case 0x9:
    case 0xA:
      return true;
    default:
      return false;
  }
}

// RFC 6455 §7.4: the codes a peer may send in a close frame.
bool IsValidReceivedCloseCode(std::uint16_t code) {
  if (code >= 3000 && code <= 4999) return true;
  switch (code) {
    case 1000:
    case 1001:
    case 1002:
    case 1003:
    case 1007:
    case 1008:
    case 1009:
    case 1010:
    case 1011:
      return true;
    default:
      return false;
  }
}

bool IsValidUtf8(std::string_view text) {
  Utf8Decoder decoder(Utf8Decoder::ErrorMode::kFatal);
  std::string ignored;
  return decoder.Decode({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()},
                        Utf8Decoder::Flush::kEndOfStream, ignored) == Utf8Decoder::Status::kOk;
}

}  // namespace

WebSocketServerFramer::Failure WebSocketServerFramer::Fail(std::uint16_t code, std::string reason) {
  failed_ = true;
  buffer_.clear();
  message_.clear();
  return Failure{code, std::move(reason)};
}

ResultOf<Ok, WebSocketServerFramer::Failure> WebSocketServerFramer::Feed(
    std::span<const std::uint8_t> bytes, std::vector<Event>& events) {
  if (failed_) return Failure{kProtocolError, "the connection already failed"};
  buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
  for (;;) {
    bool need_more = false;
    ResultOf<Ok, Failure> decoded = DecodeFrame(events, need_more);
    if (!decoded.ok()) return decoded;
    if (need_more) return Ok{};
  }
}

// RFC 6455 §5.2 (base framing) and §5.4 (fragmentation), server side.
ResultOf<Ok, WebSocketServerFramer::Failure> WebSocketServerFramer::DecodeFrame(
    std::vector<Event>& events, bool& need_more) {
  need_more = true;
  if (buffer_.size() < 2) return Ok{};
  const std::uint8_t first = buffer_[0];
  const std::uint8_t second = buffer_[1];
  const bool fin = (first & 0x80) != 0;
  const std::uint8_t opcode = first & 0x0F;
  // §5.2: RSV1-3 must be 0 unless an extension was negotiated (none is).
  if ((first & 0x70) != 0) return Fail(kProtocolError, "reserved bits set");
  if (!IsKnownOpcode(opcode)) return Fail(kProtocolError, "unknown opcode");
  // §5.1: a server must close the connection on an unmasked frame from a client.
  if ((second & 0x80) == 0) return Fail(kProtocolError, "client frame not masked");
  const bool is_control = (opcode & 0x8) != 0;

  std::size_t header_bytes = 2;
  std::uint64_t payload_length = second & 0x7F;
  if (payload_length == 126) {
    header_bytes += 2;
    if (buffer_.size() < header_bytes) return Ok{};
    payload_length = (std::uint64_t{buffer_[2]} << 8) | buffer_[3];
    // §5.2: the minimal number of bytes must be used to encode the length.
    if (payload_length < 126) return Fail(kProtocolError, "length not minimally encoded");
  } else if (payload_length == 127) {
    header_bytes += 8;
    if (buffer_.size() < header_bytes) return Ok{};
    payload_length = 0;
    for (int i = 0; i < 8; ++i) payload_length = (payload_length << 8) | buffer_[2 + i];
    // §5.2: the most significant bit must be 0.
    if (payload_length >> 63) return Fail(kProtocolError, "64-bit length has its top bit set");
    if (payload_length <= 0xFFFF) return Fail(kProtocolError, "length not minimally encoded");
  }
  // §5.5: control frames carry at most 125 bytes and are never fragmented.
  if (is_control && (payload_length > kMaxControlPayload || !fin)) {
    return Fail(kProtocolError, "bad control frame");
  }
  if (!is_control) {
    // §5.4: a continuation only inside a fragmented message; a new message only outside one.
    if (opcode == 0x0 && !in_fragmented_message_) {
      return Fail(kProtocolError, "continuation frame without a message");
    }
    if (opcode != 0x0 && in_fragmented_message_) {
      return Fail(kProtocolError, "new message inside a fragmented one");
    }
    // The Chrome DevTools Protocol is JSON text: binary messages are not understood.
    if (opcode == 0x2) return Fail(kUnsupportedData, "binary messages are not supported");
    // Refused before its bytes arrive, so a huge length never makes us buffer anything.
    if (payload_length > max_message_bytes_ - message_.size()) {
      return Fail(kMessageTooBig, "message too big");
    }
  }
  header_bytes += 4;  // the masking key
  if (buffer_.size() < header_bytes) return Ok{};
  const std::size_t length = static_cast<std::size_t>(payload_length);
  if (buffer_.size() - header_bytes < length) return Ok{};

  // §5.3: unmask with the 4-byte key.
  const std::uint8_t* key = buffer_.data() + header_bytes - 4;
  std::string payload(length, '\0');
  for (std::size_t i = 0; i < length; ++i) {
    payload[i] = static_cast<char>(buffer_[header_bytes + i] ^ key[i % 4]);
  }
  buffer_.erase(buffer_.begin(),
                buffer_.begin() + static_cast<std::ptrdiff_t>(header_bytes + length));
  need_more = false;

  switch (static_cast<Opcode>(opcode)) {
    case Opcode::kText:
    case Opcode::kContinuation: {
      // §8.1: text must be UTF-8; checked as it arrives, so a bad fragment fails early.
      auto status = message_decoder_.Decode(
          {reinterpret_cast<const std::uint8_t*>(payload.data()), payload.size()},
          fin ? Utf8Decoder::Flush::kEndOfStream : Utf8Decoder::Flush::kMoreToCome, message_);
      if (status != Utf8Decoder::Status::kOk) return Fail(kInvalidPayload, "text is not UTF-8");
      in_fragmented_message_ = !fin;
      if (fin) {
        events.push_back(Event{Event::Kind::kText, std::move(message_)});
        message_.clear();
      }
      return Ok{};
    }
    case Opcode::kPing:
      events.push_back(Event{Event::Kind::kPing, std::move(payload)});
      return Ok{};
    case Opcode::kPong:
      events.push_back(Event{Event::Kind::kPong, std::move(payload)});
      return Ok{};
    case Opcode::kClose: {
      // §5.5.1: no body, or a 2-byte code followed by a UTF-8 reason.
      if (payload.size() == 1) return Fail(kProtocolError, "close frame with a 1-byte body");
      std::uint16_t code = 1005;  // §7.4.1: no status code was present
      std::string reason;
      if (payload.size() >= 2) {
        code = static_cast<std::uint16_t>((static_cast<std::uint8_t>(payload[0]) << 8) |
                                          static_cast<std::uint8_t>(payload[1]));
        if (!IsValidReceivedCloseCode(code)) return Fail(kProtocolError, "bad close code");
        reason = payload.substr(2);
        if (!IsValidUtf8(reason)) return Fail(kInvalidPayload, "close reason is not UTF-8");
      }
      events.push_back(Event{Event::Kind::kClose, std::move(reason), code});
      return Ok{};
    }
    case Opcode::kBinary:
      break;
  }
  return Fail(kProtocolError, "unexpected opcode");
}

std::string WebSocketServerFramer::EncodeFrame(Opcode opcode, std::string_view payload) {
  std::string frame;
  frame.reserve(payload.size() + 10);
  frame.push_back(static_cast<char>(0x80 | static_cast<std::uint8_t>(opcode)));
  const std::uint64_t length = payload.size();
  if (length < 126) {
    frame.push_back(static_cast<char>(length));
  } else if (length <= 0xFFFF) {
    frame.push_back(static_cast<char>(126));
    frame.push_back(static_cast<char>(length >> 8));
    frame.push_back(static_cast<char>(length & 0xFF));
  } else {
    frame.push_back(static_cast<char>(127));
    for (int shift = 56; shift >= 0; shift -= 8) {
      frame.push_back(static_cast<char>((length >> shift) & 0xFF));
    }
  }
  frame.append(payload);
  return frame;
}

std::string WebSocketServerFramer::EncodeClose(std::uint16_t code, std::string_view reason) {
  std::string body;
  body.push_back(static_cast<char>(code >> 8));
  body.push_back(static_cast<char>(code & 0xFF));
  body.append(reason.substr(0, kMaxControlPayload - 2));
  return EncodeFrame(Opcode::kClose, body);
}

}  // namespace switchboard
