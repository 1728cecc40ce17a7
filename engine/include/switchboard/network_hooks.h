// Network hooks (issue 18): what the embedder can decide about, and hear of, a page's network
// — set in PageOptions (switchboard/page.h):
//  - connection_policy: asked before every TCPConnection and every http(s) page or script
//    load starts; it allows, refuses (the load or connection fails with stage `policy` and the
//    embedder's reason), or allows with extra request header fields;
//  - connection_events: each TCPConnection's open, close and failure, as plain structs;
//  - net_log_handler: every net log entry (net/net_log.md), as its JSON line and its parts.
//
// Thread: every callback here runs on the page's thread (the thread that called
// Page::Create/Load/LoadScript), never on the library's network thread, so it needs no
// locking against the page's other callbacks:
//  - connection_policy runs synchronously, just before the request is handed to the network
//    thread: inside the script's `new TCPConnection(…)` call, inside Page::Load for the
//    document (before the Page exists), and inside the task that starts a <script src> load.
//    It must return promptly and must not call back into the Page (Evaluate, DefineFunction,
//    Run*, destroying it); Page::PostTask is fine. What it decides is never observable by
//    script before the constructor's script has returned: a refused connection's `error` and
//    `close` are tasks (spec §2 step 4).
//  - connection_events and net_log_handler run as part of the page's tasks (a connection's
//    open or close task; one task per net log entry), only while the page runs its loop
//    (Run*, RunOnce), never after the Page is destroyed. They may call PostTask, Stop and
//    Evaluate; they must not destroy the Page.
// Ownership: the Page keeps copies of the functions until it is destroyed. An exception
// thrown by connection_policy refuses the request (the reason names the exception); one thrown
// by the other two is caught and reported to the page's error handler.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "switchboard/export.h"

namespace switchboard::embed {

// --- The connection policy -----------------------------------------------------------------

enum class RequestKind {
  kConnection,  // a TCPConnection (spec §2); headers go into its §4.1 OPTIONS request
  kDocument,    // the document of Page::Load (http(s) only); headers go into its GET
  kScript,      // a <script src> of a loaded document (http(s) only); headers go into its GET
};

// What the policy is asked about.
struct PolicyRequest {
  RequestKind kind = RequestKind::kConnection;
  // The URL as parsed (absolute; credentials included, if the URL has them).
  std::string url;
  // The document's origin, serialized ("http://host:port", or "null" when opaque). For
  // kDocument: PageOptions::origin, or the URL's own origin.
  std::string document_origin;
  // Whether the request runs over TLS: an https: URL, or {secure: true} (spec §4.3).
  bool secure = false;
};

struct RequestHeader {
  std::string name;
  std::string value;
};

// The policy's answer. Allowed with no headers, unless it says otherwise.
struct PolicyDecision {
  bool allow = true;
  // When refused: said after "policy: " in the console line (connections), in the load error
  // (<script src>) or in Page::Load's Error. Empty: "refused by the embedder".
  std::string reason{};
  // When allowed: fields added after the request's own (connections: after Cookie, in the
  // §4.1 request only — with {secure: true}, inside TLS, never in the clear §4.3 upgrade
  // request; loads: to libcurl's GET; on redirects, only to hops of the same origin as `url`).
  // A field that RequestHeaderError() refuses fails the request with stage `policy` and that
  // reason — nothing of it is sent.
  std::vector<RequestHeader> headers{};

  static PolicyDecision Allow(std::vector<RequestHeader> headers = {}) {
    return PolicyDecision{true, {}, std::move(headers)};
  }
  static PolicyDecision Refuse(std::string reason) {
    return PolicyDecision{false, std::move(reason), {}};
  }
};

// Not asked again about the target of a load's redirect (the network thread follows redirects
// on its own, as far as PageOptions' limits allow; only http(s) targets): a policy that must
// see every URL a page fetches should refuse the loads whose servers it does not trust.
using ConnectionPolicy = std::function<PolicyDecision(const PolicyRequest& request)>;

// Why `header` cannot be added to a request, or "" when it can. It cannot when:
//  - its name is empty, longer than 256 bytes or not an HTTP token (RFC 9110 §5.6.2);
//  - its name is one the network stack writes itself: Host (spec §10), Connection, Upgrade,
//    Keep-Alive, Proxy-Connection, TE, Trailer, Expect, Content-Length, Transfer-Encoding
//    (the request's framing and the upgrade), Origin (spec §5: the server decides about the
//    document's real origin), Cookie (the page's cookie jar writes the one Cookie field RFC
//    6265 §5.4 allows: put cookies in the jar instead) or Accept-Encoding (a load decodes
//    only what the library asked for);
//  - its value is longer than 8 KiB, holds a control byte (CR, LF, NUL, … — so no field can
//    end the request or add another), or starts or ends with a space or tab.
// A request may carry at most 64 added fields.
SWITCHBOARD_EXPORT std::string RequestHeaderError(const RequestHeader& header);

// --- Connection events ---------------------------------------------------------------------

// One TCPConnection's life: kOpen once it is open, then exactly one of kClose and kFailure.
// A connection still open when the Page is destroyed gets neither (spec §8: no events then).
struct ConnectionEvent {
  enum class Kind {
    kOpen,     // the handshake succeeded: `peer` and `secure` are set
    kClose,    // it ended without failing: the peer closed it, or disconnect() delivered every
               // byte (or came before open)
    kFailure,  // spec §7's failure (before or after open): `stage` and `reason`, as in the
               // console line "TCPConnection to '<url>' failed: <stage>: <reason>"
  };
  Kind kind = Kind::kOpen;
  std::uint64_t id = 0;    // the page's number for the connection (the net log's "connection")
  std::string url;         // as script sees it in `url`, with credentials masked
  std::string peer;        // "host:port" once open; "" if it never opened
  bool secure = false;     // it ran over TLS
  bool opened = false;     // kClose / kFailure: whether it had been open
  bool by_script = false;  // kClose / kFailure: script had called disconnect()
  // kFailure: dns, connect, proxy, tls, handshake, access-control, protocol, timeout,
  // disconnect or policy (the connection policy refused it: no byte was sent).
  std::string stage{};
  std::string reason{};
  // kClose / kFailure: every byte written to and read from the socket (handshake, TLS and
  // frames included).
  std::uint64_t bytes_sent = 0;
  std::uint64_t bytes_received = 0;
};

using ConnectionEventHandler = std::function<void(const ConnectionEvent& event)>;

// --- The net log as a callback -------------------------------------------------------------

// One net log entry (net/net_log.md lists the types and their params). The same entries as
// PageOptions::net_log's file, without its log_start/log_end lines; both may be set.
struct NetLogEntry {
  enum class Source { kConnection, kLoad };
  Source source = Source::kConnection;
  std::uint64_t id = 0;  // the connection's (ConnectionEvent::id) or the load's number
  std::string type;      // e.g. "connection_start", "handshake_response", "load_end"
  double time_ms = 0;    // milliseconds since the page (or Page::Load) was started, µs precision
  std::string params_json;  // the "params" object
  // The whole entry as one JSON Lines line, in the file's form (no newline):
  // {"t":1.234,"connection":1,"type":"connection_open","params":{…}}
  std::string json;
};

using NetLogHandler = std::function<void(const NetLogEntry& entry)>;

}  // namespace switchboard::embed
