// Result<T>: the value of an operation in net/ or engine/, or the Error that stopped it.
// Style rule 4: inside net/ and engine/ failures are values; only the bindings turn them
// into JavaScript exceptions.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

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

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : storage_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : storage_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(storage_); }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<T>(storage_); }
  const T& value() const& { return std::get<T>(storage_); }
  T&& value() && { return std::get<T>(std::move(storage_)); }
  const Error& error() const { return std::get<Error>(storage_); }

 private:
  std::variant<T, Error> storage_;
};

// For operations that produce nothing but can fail.
struct Ok {};

}  // namespace switchboard
