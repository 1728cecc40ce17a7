// What the kernel knows about a connected TCP socket that the byte stream does not show: how
// many of the bytes written to it the peer has acknowledged (spec §7: disconnect() must know
// whether the peer took every byte before it reports a clean close).
//
// Thread: any; plain system calls on a descriptor the caller owns.
#pragma once

#include <cstdint>
#include <optional>

namespace switchboard {

// The bytes the peer has acknowledged on `socket` since it connected (TCP_INFO's
// tcpi_bytes_acked; a FIN that was acknowledged counts one). Still readable after the peer
// reset the connection. nullopt when the kernel does not say (not TCP, or too old a kernel).
std::optional<std::uint64_t> TcpBytesAcknowledged(int socket);

// Whether the kernel has closed the connection under us (TCP_CLOSE) — on an open connection
// that has not sent its own FIN, a reset — even when its error was already taken (a write into
// the reset connection took it first, so reading reports a mere end of stream). A peer's FIN
// alone leaves it in CLOSE_WAIT.
bool TcpConnectionIsClosed(int socket);

// Makes close() of `socket` reset the connection (RST) at once instead of sending FIN after
// whatever is still queued (SO_LINGER with a zero timeout).
void ResetOnClose(int socket);

}  // namespace switchboard
