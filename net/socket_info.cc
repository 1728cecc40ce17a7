#include "net/socket_info.h"

#include <sys/socket.h>

// Linux's own struct tcp_info: glibc's copy in <netinet/tcp.h> stops before tcpi_bytes_acked
// (and cannot be included beside this one, which is why this file includes nothing else).
#include <linux/tcp.h>

#include <cstddef>

namespace switchboard {

std::optional<std::uint64_t> TcpBytesAcknowledged(int socket) {
  tcp_info info{};
  socklen_t length = sizeof info;
  if (getsockopt(socket, 6 /* IPPROTO_TCP */, TCP_INFO, &info, &length) != 0 ||
      length < offsetof(tcp_info, tcpi_bytes_acked) + sizeof info.tcpi_bytes_acked) {
    return std::nullopt;
  }
  return info.tcpi_bytes_acked;
}

bool TcpConnectionIsClosed(int socket) {
  tcp_info info{};
  socklen_t length = sizeof info;
  constexpr unsigned char kTcpClose = 7;  // TCP_CLOSE in the kernel's <net/tcp_states.h>
  return getsockopt(socket, 6 /* IPPROTO_TCP */, TCP_INFO, &info, &length) == 0 &&
         info.tcpi_state == kTcpClose;
}

void ResetOnClose(int socket) {
  linger reset{1, 0};
  setsockopt(socket, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
}

}  // namespace switchboard
