// The embedder's network hooks as the engine sees them (issue 18; the public form is
// switchboard/network_hooks.h, converted by engine/embedding/network_hooks.cc):
//  - a connection policy, asked on the page's thread before a TCPConnection or an http(s)
//    page or script load is handed to the IO thread: allow, refuse (Stage::kPolicy), or allow
//    with extra request header fields;
//  - a sink for structured connection events (open, close, failure), on the page's thread.
//
// Thread: main thread (the page's). Ownership: PageSettings holds both functions.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "net/handshake.h"
#include "net/result.h"

namespace switchboard {

enum class PolicyTarget { kConnection, kDocument, kScript };

struct PolicyQuery {
  PolicyTarget target = PolicyTarget::kConnection;
  std::string url;              // the URL as parsed (credentials included)
  std::string document_origin;  // serialized; "null" when opaque
  bool secure = false;          // TLS: https:, or {secure: true}
};

struct PolicyVerdict {
  std::optional<std::string> refusal;  // set: refused, with the embedder's reason
  std::vector<HeaderField> headers;    // allowed: fields to add to the request
};

using ConnectionPolicy = std::function<PolicyVerdict(const PolicyQuery&)>;

// Asks `policy` (null: everything is allowed, with no extra fields). Returns the fields to
// add, or Error{Stage::kPolicy, reason} when the policy refused, threw, or gave fields that
// ExtraHeadersError() (net/request_headers.h) refuses.
Result<std::vector<HeaderField>> AskConnectionPolicy(const ConnectionPolicy& policy,
                                                     const PolicyQuery& query);

// One TCPConnection's life as the embedder hears of it: kOpen once it is open, then exactly
// one of kClose (it ended without failing: the peer closed, or disconnect() delivered every
// byte or came before open) and kFailure (spec §7's failure: stage and reason, as in the
// console line).
struct ConnectionReport {
  enum class Kind { kOpen, kClose, kFailure };
  Kind kind = Kind::kOpen;
  std::uint64_t id = 0;              // the page's connection id (the net log's "connection")
  std::string url;                   // credentials masked
  std::string peer;                  // "host:port" once open
  bool secure = false;               // kOpen and later: the connection runs over TLS
  bool opened = false;               // kClose / kFailure: whether it had been open
  bool by_script = false;            // kClose / kFailure: disconnect() had been called
  Stage stage = Stage::kConnect;     // kFailure
  std::string reason;                // kFailure
  std::uint64_t bytes_sent = 0;      // kClose / kFailure: on the socket, everything included
  std::uint64_t bytes_received = 0;  // kClose / kFailure
};

using ConnectionReportSink = std::function<void(const ConnectionReport&)>;

}  // namespace switchboard
