#include "web_tests/servers/reference/websocket.h"

#include <openssl/evp.h>

#include <array>

namespace switchboard::reference_server {

namespace {

constexpr std::string_view kWebSocketGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

std::uint8_t ByteAt(std::string_view bytes, std::size_t index) {
  return static_cast<std::uint8_t>(bytes[index]);
}

bool IsKnownOpcode(std::uint8_t opcode) {
  return opcode <= 0x2 || (opcode >= 0x8 && opcode <= 0xA);
}

bool IsControlOpcode(std::uint8_t opcode) { return (opcode & 0x8) != 0; }

// §7.4: codes a peer may send in a close frame.
bool IsValidReceivedCloseCode(std::uint16_t code) {
  if (code >= 3000 && code <= 4999) return true;
  return code >= 1000 && code <= 1014 && code != 1004 && code != 1005 && code != 1006;
}

}  // namespace

std::string WebSocketAcceptKey(std::string_view client_key) {
  std::string input(client_key);
  input.append(kWebSocketGuid);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_length = 0;
  if (EVP_Digest(input.data(), input.size(), digest.data(), &digest_length, EVP_sha1(), nullptr) !=
      1) {
    return {};
  }
  std::array<unsigned char, 4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1> encoded{};
  const int encoded_length =
      EVP_EncodeBlock(encoded.data(), digest.data(), static_cast<int>(digest_length));
  return std::string(encoded.begin(), encoded.begin() + encoded_length);
}

bool IsValidWebSocketKey(std::string_view client_key) {
  // 16 bytes encode to 22 base64 characters and "==".
  if (client_key.size() != 24 || client_key.substr(22) != "==") return false;
  for (char c : client_key.substr(0, 22)) {
    const bool base64 = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '+' || c == '/';
    if (!base64) return false;
  }
  return true;
}

bool IsValidUtf8(std::string_view bytes) {
  std::size_t index = 0;
  while (index < bytes.size()) {
    const std::uint8_t lead = ByteAt(bytes, index);
    std::size_t length = 0;
    std::uint32_t code_point = 0;
    if (lead < 0x80) {
      ++index;
      continue;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
      code_point = lead & 0x1Fu;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      code_point = lead & 0x0Fu;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      code_point = lead & 0x07u;
    } else {
      return false;
    }
    if (index + length > bytes.size()) return false;
    for (std::size_t offset = 1; offset < length; ++offset) {
      const std::uint8_t continuation = ByteAt(bytes, index + offset);
      if ((continuation & 0xC0u) != 0x80u) return false;
      code_point = (code_point << 6) | (continuation & 0x3Fu);
    }
    if ((length == 3 && code_point < 0x800) || (length == 4 && code_point < 0x10000)) return false;
    if (code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) return false;
    index += length;
  }
  return true;
}

std::string EncodeWebSocketFrame(WebSocketOpcode opcode, std::string_view payload) {
  std::string frame;
  frame.reserve(payload.size() + 10);
  frame.push_back(static_cast<char>(0x80u | static_cast<std::uint8_t>(opcode)));
  if (payload.size() < 126) {
    frame.push_back(static_cast<char>(payload.size()));
  } else if (payload.size() <= 0xFFFF) {
    frame.push_back(static_cast<char>(126));
    frame.push_back(static_cast<char>((payload.size() >> 8) & 0xFF));
    frame.push_back(static_cast<char>(payload.size() & 0xFF));
  } else {
    frame.push_back(static_cast<char>(127));
    for (int shift = 56; shift >= 0; shift -= 8) {
      frame.push_back(
          static_cast<char>((static_cast<std::uint64_t>(payload.size()) >> shift) & 0xFF));
    }
  }
  frame.append(payload);
  return frame;
}

WebSocketFrameParser::WebSocketFrameParser(std::size_t max_frame_payload)
    : max_frame_payload_(max_frame_payload) {}

void WebSocketFrameParser::Append(std::string_view bytes) {
  if (offset_ > 0 && offset_ >= buffer_.size() / 2) {
    buffer_.erase(0, offset_);
    offset_ = 0;
  }
  buffer_.append(bytes);
}

WebSocketFrameParser::Step WebSocketFrameParser::Next() {
  Step step;
  const std::string_view bytes = std::string_view(buffer_).substr(offset_);
  if (bytes.size() < 2) return step;
  const std::uint8_t first = ByteAt(bytes, 0);
  const std::uint8_t second = ByteAt(bytes, 1);
  const std::uint8_t opcode = first & 0x0Fu;
  step.outcome = Step::Outcome::kError;
  if ((first & 0x70u) != 0 || !IsKnownOpcode(opcode)) return step;  // §5.2: RSV1-3, opcode
  if ((second & 0x80u) == 0) return step;  // §5.1: a client must mask every frame
  if (IsControlOpcode(opcode) && ((first & 0x80u) == 0 || (second & 0x7Fu) > 125)) {
    return step;  // §5.5: control frames are not fragmented and carry at most 125 bytes
  }

  std::size_t header_length = 2;
  std::uint64_t payload_length = second & 0x7Fu;
  if (payload_length == 126) {
    header_length = 4;
    if (bytes.size() < header_length) return Step{};
    payload_length = (std::uint64_t{ByteAt(bytes, 2)} << 8) | ByteAt(bytes, 3);
  } else if (payload_length == 127) {
    header_length = 10;
    if (bytes.size() < header_length) return Step{};
    payload_length = 0;
    for (std::size_t index = 2; index < 10; ++index) {
      payload_length = (payload_length << 8) | ByteAt(bytes, index);
    }
    if ((payload_length >> 63) != 0) return step;  // §5.2: the most significant bit must be 0
  }
  if (payload_length > max_frame_payload_) {
    step.error_code = WebSocketCloseCode::kMessageTooBig;
    return step;
  }
  const std::size_t mask_offset = header_length;
  header_length += 4;
  if (bytes.size() < header_length + payload_length) return Step{};

  step.outcome = Step::Outcome::kFrame;
  step.frame.fin = (first & 0x80u) != 0;
  step.frame.opcode = opcode;
  step.frame.payload.assign(bytes.substr(header_length, payload_length));
  for (std::size_t index = 0; index < step.frame.payload.size(); ++index) {
    step.frame.payload[index] =
        static_cast<char>(static_cast<std::uint8_t>(step.frame.payload[index]) ^
                          ByteAt(bytes, mask_offset + index % 4));
  }
  offset_ += header_length + payload_length;
  return step;
}

WebSocketEchoSession::WebSocketEchoSession(std::size_t max_message_bytes)
    : max_message_bytes_(max_message_bytes), parser_(max_message_bytes) {}

WebSocketEchoSession::Output WebSocketEchoSession::Fail(WebSocketCloseCode code) {
  state_ = State::kClosed;
  const auto value = static_cast<std::uint16_t>(code);
  const std::string payload{static_cast<char>(value >> 8), static_cast<char>(value & 0xFF)};
  return Output{EncodeWebSocketFrame(WebSocketOpcode::kClose, payload), true};
}

WebSocketEchoSession::Output WebSocketEchoSession::Receive(std::string_view bytes) {
  Output output;
  if (state_ == State::kClosed) return output;
  parser_.Append(bytes);
  // A failure still sends what earlier frames of this read produced, then the close frame.
  const auto fail = [this, &output](WebSocketCloseCode code) {
    Output failure = Fail(code);
    failure.bytes_to_send.insert(0, output.bytes_to_send);
    return failure;
  };
  for (;;) {
    WebSocketFrameParser::Step step = parser_.Next();
    if (step.outcome == WebSocketFrameParser::Step::Outcome::kIncomplete) return output;
    if (step.outcome == WebSocketFrameParser::Step::Outcome::kError) return fail(step.error_code);
    WebSocketFrameParser::Frame& frame = step.frame;
    const auto opcode = static_cast<WebSocketOpcode>(frame.opcode);
    switch (opcode) {
      case WebSocketOpcode::kPing:
        output.bytes_to_send += EncodeWebSocketFrame(WebSocketOpcode::kPong, frame.payload);
        continue;
      case WebSocketOpcode::kPong:
        continue;
      case WebSocketOpcode::kClose: {
        // §5.5.1: echo the status code (none for an empty close), then close the connection.
        if (frame.payload.size() == 1) return fail(WebSocketCloseCode::kProtocolError);
        std::string reply;
        if (frame.payload.size() >= 2) {
          const auto code = static_cast<std::uint16_t>((ByteAt(frame.payload, 0) << 8) |
                                                       ByteAt(frame.payload, 1));
          if (!IsValidReceivedCloseCode(code)) return fail(WebSocketCloseCode::kProtocolError);
          if (!IsValidUtf8(std::string_view(frame.payload).substr(2))) {
            return fail(WebSocketCloseCode::kInvalidPayload);
          }
          reply = frame.payload.substr(0, 2);
        }
        state_ = State::kClosed;
        output.bytes_to_send += EncodeWebSocketFrame(WebSocketOpcode::kClose, reply);
        output.close_connection = true;
        return output;
      }
      case WebSocketOpcode::kText:
      case WebSocketOpcode::kBinary:
        if (in_fragmented_message_) return fail(WebSocketCloseCode::kProtocolError);
        message_opcode_ = opcode;
        message_.clear();
        break;
      case WebSocketOpcode::kContinuation:
        if (!in_fragmented_message_) return fail(WebSocketCloseCode::kProtocolError);
        break;
    }
    if (message_.size() + frame.payload.size() > max_message_bytes_) {
      return fail(WebSocketCloseCode::kMessageTooBig);
    }
    message_ += frame.payload;
    in_fragmented_message_ = !frame.fin;
    if (!frame.fin) continue;
    if (message_opcode_ == WebSocketOpcode::kText && !IsValidUtf8(message_)) {
      return fail(WebSocketCloseCode::kInvalidPayload);
    }
    output.bytes_to_send += EncodeWebSocketFrame(message_opcode_, message_);
    message_.clear();
  }
}

}  // namespace switchboard::reference_server
