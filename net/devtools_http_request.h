// DevToolsHttpRequest: the request head a DevTools client sends to the inspector endpoint
// (GET /json/list, or GET /<target-id> with an RFC 6455 §4.2.1 upgrade), parsed, and the
// checks made on it before anything is answered. Pure functions over bytes.
//
// Thread: any (pure functions). Ownership: value types.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace switchboard {

struct DevToolsHttpRequest {
  std::string method;
  std::string target;  // the request-target: "/json/list", "/<id>"
  std::vector<std::pair<std::string, std::string>> headers;  // names lowercased, in order

  // The first header named `name` (lowercase), or nullopt.
  std::optional<std::string_view> Header(std::string_view name) const;
  // RFC 6455 §4.2.1: "Upgrade: websocket", "Connection" listing "upgrade", version 13 and a
  // Sec-WebSocket-Key that is 16 bytes in base64.
  bool IsWebSocketUpgrade() const;
};

// Where the head ends ("\r\n\r\n"), as the number of bytes it takes including that line, or
// nullopt when `bytes` holds no complete head yet.
std::optional<std::size_t> FindHttpHeadEnd(std::string_view bytes);

// Parses a request head (request line, header lines, the empty line). A malformed head is an
// error whose message says what was wrong.
ResultOf<DevToolsHttpRequest, std::string> ParseDevToolsHttpRequest(std::string_view head);

// DNS rebinding (a web page whose host name resolves to 127.0.0.1 reaching this endpoint):
// only a Host that is an IP literal or "localhost", with an optional port, is answered.
bool IsAllowedDevToolsHost(std::string_view host_header);

// RFC 6455 §4.2.2 step 5.4: base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")).
std::string WebSocketAcceptFor(std::string_view key);

// A JSON string literal of `text` (quotes included), escaped per RFC 8259 §7.
std::string JsonQuote(std::string_view text);

}  // namespace switchboard
