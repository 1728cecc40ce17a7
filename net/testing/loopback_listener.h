// testing::ListenOnLoopback: a TCP listener on 127.0.0.1 at a port the kernel picks, for the
// test servers in net/testing/ and the net/ tests.
//
// Thread: any.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace switchboard::testing {

struct LoopbackListener {
  int socket = -1;  // -1 when listening failed; the caller closes it
  int port = 0;
};

inline LoopbackListener ListenOnLoopback(int backlog) {
  LoopbackListener listener;
  listener.socket = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (listener.socket < 0 ||
      bind(listener.socket, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      listen(listener.socket, backlog) != 0 ||
      getsockname(listener.socket, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    if (listener.socket >= 0) close(listener.socket);
    return LoopbackListener{};
  }
  listener.port = ntohs(address.sin_port);
  return listener;
}

}  // namespace switchboard::testing
