// testing::DevToolsClient: the client end of a DevTools connection, by hand — a blocking
// loopback socket that writes requests and masked WebSocket frames and reads responses and
// server frames — for tests of net/devtools_server.h and of the inspector above it.
//
// Thread: one thread at a time (a test's, or a client thread of its own).
// Ownership: owns its socket; the destructor closes it.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace switchboard::testing {

// A blocking client socket; every read gives up after 10 s so a broken server fails the test
// instead of hanging it.
class DevToolsClient {
 public:
  explicit DevToolsClient(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval timeout{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~DevToolsClient() { ::close(fd_); }
  bool connected() const { return connected_; }
  void Write(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t written = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (written <= 0) return;
      bytes.remove_prefix(static_cast<std::size_t>(written));
    }
  }
  // Everything until the server closes.
  std::string ReadToEnd() {
    std::string all;
    char buffer[4096];
    for (;;) {
      ssize_t count = ::recv(fd_, buffer, sizeof buffer, 0);
      if (count <= 0) return all;
      all.append(buffer, static_cast<std::size_t>(count));
    }
  }
  // Reads until `bytes` holds at least `count` bytes (or the server closes).
  std::string ReadAtLeast(std::size_t count) {
    while (pending_.size() < count) {
      char buffer[4096];
      ssize_t received = ::recv(fd_, buffer, sizeof buffer, 0);
      if (received <= 0) break;
      pending_.append(buffer, static_cast<std::size_t>(received));
    }
    std::string taken = pending_.substr(0, std::min(count, pending_.size()));
    pending_.erase(0, taken.size());
    return taken;
  }
  std::string ReadUntil(std::string_view end) {
    while (pending_.find(end) == std::string::npos) {
      char buffer[4096];
      ssize_t received = ::recv(fd_, buffer, sizeof buffer, 0);
      if (received <= 0) break;
      pending_.append(buffer, static_cast<std::size_t>(received));
    }
    std::size_t found = pending_.find(end);
    std::size_t length = found == std::string::npos ? pending_.size() : found + end.size();
    std::string taken = pending_.substr(0, length);
    pending_.erase(0, length);
    return taken;
  }
  // The request that upgrades to the session of `target_id`.
  static std::string UpgradeRequest(std::string_view target_id, std::string_view host) {
    return "GET /" + std::string(target_id) + " HTTP/1.1\r\nHost: " + std::string(host) +
           "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
  }

  // One server frame (unmasked): opcode and payload.
  std::pair<int, std::string> ReadFrame() {
    std::string header = ReadAtLeast(2);
    if (header.size() < 2) return {-1, ""};
    std::size_t length = static_cast<std::uint8_t>(header[1]) & 0x7F;
    if (length == 126 || length == 127) {
      std::string extended = ReadAtLeast(length == 126 ? 2 : 8);
      length = 0;
      for (char byte : extended) length = (length << 8) | static_cast<std::uint8_t>(byte);
    }
    return {static_cast<std::uint8_t>(header[0]) & 0x0F, ReadAtLeast(length)};
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
  std::string pending_;
};

inline std::string MaskedFrame(std::uint8_t first_byte, std::string_view payload,
                               bool masked = true) {
  std::string frame;
  frame.push_back(static_cast<char>(first_byte));
  frame.push_back(static_cast<char>((masked ? 0x80 : 0) | payload.size()));
  const char mask[4] = {1, 2, 3, 4};
  if (masked) frame.append(mask, 4);
  for (std::size_t i = 0; i < payload.size(); ++i) {
    frame.push_back(static_cast<char>(payload[i] ^ (masked ? mask[i % 4] : 0)));
  }
  return frame;
}

}  // namespace switchboard::testing
