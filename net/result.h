// Result<T>: the value of an operation in net/ or engine/, or the Error that stopped it —
// base's ResultOf with the Error of spec §7's failure stages. Style rule 4: inside net/ and
// engine/ failures are values; only the bindings turn them into JavaScript exceptions.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace switchboard {

// The stages of spec §7's console line: "TCPConnection to '<url>' failed: <stage>: <reason>".
enum class Stage {
  kDns,
  kConnect,
  kProxy,
  kTls,
  kHandshake,
  kAccessControl,
  kProtocol,
  kTimeout,
  kDisconnect,  // §7: disconnect() could not deliver every byte (linger limit, or a reset)
  // The embedder's connection policy refused the connection or load, or gave it request
  // headers that could not be sent (issue 18; switchboard/network_hooks.h).
  kPolicy,
  // Not a connection stage: a page or script load's HTTP exchange (a status other than 2xx,
  // a malformed or cut response, a body over the limit).
  kHttp,
  // Not a connection stage: loading a page or script (engine/), or a bad command line.
  kLoad,
};

constexpr std::string_view StageName(Stage stage) {
  switch (stage) {
    case Stage::kDns:
      return "dns";
    case Stage::kConnect:
      return "connect";
    case Stage::kProxy:
      return "proxy";
    case Stage::kTls:
      return "tls";
    case Stage::kHandshake:
      return "handshake";
    case Stage::kAccessControl:
      return "access-control";
    case Stage::kProtocol:
      return "protocol";
    case Stage::kTimeout:
      return "timeout";
    case Stage::kDisconnect:
      return "disconnect";
    case Stage::kPolicy:
      return "policy";
    case Stage::kHttp:
      return "http";
    case Stage::kLoad:
      return "load";
  }
  return "unknown";
}

struct Error {
  Stage stage;
  std::string message;
};

// The value of a network operation, or the Error that stopped it (base/result.h).
template <typename T>
using Result = ResultOf<T, Error>;

}  // namespace switchboard
