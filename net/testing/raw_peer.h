// testing::RawPeer: the server end of one loopback TCP connection driven by hand, byte by byte,
// for tests that need exact control over what a peer sends and when it resets (engine's fault
// soak findings): listen, accept one connection, read the request head, send, reset. Plus the
// page's own end of that connection, found among this process's descriptors, so a test can see
// what its kernel holds unread.
//
// Thread: a RawPeer is used from one thread at a time (usually the test's peer thread).
// Ownership: owns its listener and the accepted connection; the destructor closes both.
#pragma once

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "net/testing/loopback_listener.h"

namespace switchboard::testing {

class RawPeer {
 public:
  RawPeer() {
    LoopbackListener listener = ListenOnLoopback(1);
    listener_ = listener.socket;
    port_ = listener.port;
  }
  ~RawPeer() {
    if (connection_ >= 0) close(connection_);
    if (listener_ >= 0) close(listener_);
  }
  RawPeer(const RawPeer&) = delete;
  RawPeer& operator=(const RawPeer&) = delete;

  // 0 when listening failed.
  int port() const { return port_; }
  std::string origin() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // Accepts the one connection and reads its request head; false if none came.
  bool AcceptAndReadRequestHead() {
    connection_ = accept(listener_, nullptr, nullptr);
    if (connection_ < 0) return false;
    char chunk[4096];
    while (request_head_.find("\r\n\r\n") == std::string::npos) {
      ssize_t count = recv(connection_, chunk, sizeof chunk, 0);
      if (count <= 0) return false;
      request_head_.append(chunk, static_cast<std::size_t>(count));
    }
    return true;
  }
  const std::string& request_head() const { return request_head_; }

  // Sends every byte (no SIGPIPE); false if the connection failed first.
  bool Send(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t count = send(connection_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (count <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(count));
    }
    return true;
  }

  // Closes the connection with an RST (SO_LINGER 0).
  void Reset() {
    linger abortive{1, 0};
    setsockopt(connection_, SOL_SOCKET, SO_LINGER, &abortive, sizeof abortive);
    close(connection_);
    connection_ = -1;
  }

  // The page's end of the accepted connection: this process's socket whose local address is
  // the connection's peer address; -1 when there is none.
  int FindPageSocket() const {
    sockaddr_in page_address{};
    socklen_t length = sizeof page_address;
    if (getpeername(connection_, reinterpret_cast<sockaddr*>(&page_address), &length) != 0) {
      return -1;
    }
    int found = -1;
    DIR* directory = opendir("/proc/self/fd");
    while (dirent* entry = readdir(directory)) {
      int descriptor = std::atoi(entry->d_name);
      sockaddr_in local{};
      socklen_t local_length = sizeof local;
      if (entry->d_name[0] == '.' ||
          getsockname(descriptor, reinterpret_cast<sockaddr*>(&local), &local_length) != 0 ||
          local.sin_family != AF_INET) {
        continue;
      }
      if (local.sin_port == page_address.sin_port &&
          local.sin_addr.s_addr == page_address.sin_addr.s_addr) {
        found = descriptor;
      }
    }
    closedir(directory);
    return found;
  }

  // Waits (up to `timeout_ms`) until `socket` is readable, and returns how many bytes wait
  // unread in it.
  static std::optional<int> UnreadBytesOnceReadable(int socket, int timeout_ms) {
    pollfd arrived{socket, POLLIN, 0};
    int waiting = 0;
    if (poll(&arrived, 1, timeout_ms) != 1 || ioctl(socket, FIONREAD, &waiting) != 0) {
      return std::nullopt;
    }
    return waiting;
  }

 private:
  int listener_ = -1;
  int port_ = 0;
  int connection_ = -1;
  std::string request_head_;
};

}  // namespace switchboard::testing
