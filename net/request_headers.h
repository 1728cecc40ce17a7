// Request header fields an embedder adds to a connection's §4.1 handshake or to a page or
// script load's GET (issue 18: the connection policy, switchboard/network_hooks.h), and the
// rules they must pass. A field that breaks a rule is never sent: the request fails with
// Stage::kPolicy and the reason, so that no embedder input can split a request (no CR, LF or
// other control byte gets through) or change how the protocol frames it.
//
// Thread: any (pure functions).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/handshake.h"

namespace switchboard {

inline constexpr std::size_t kMaxExtraHeaders = 64;
inline constexpr std::size_t kMaxExtraHeaderNameBytes = 256;
inline constexpr std::size_t kMaxExtraHeaderValueBytes = 8 * 1024;

// Names the network stack writes itself, which an extra field could contradict: Host (§10:
// always the URL's host), Connection, Upgrade, Keep-Alive, Proxy-Connection, TE, Trailer,
// Transfer-Encoding, Content-Length and Expect (the framing of the request and of the upgrade),
// Origin (§4.2/§5: the server's Access-Control decision is about the document's real origin),
// Cookie (the cookie jar's, for the URL: a second Cookie line breaks RFC 6265 §5.4; put
// cookies in the jar instead) and Accept-Encoding (a load decodes what libcurl asked for).
bool IsForbiddenExtraHeaderName(std::string_view name);

// Why `field` cannot be sent, or nullopt when it can: the name must be an RFC 9110 token (at
// most kMaxExtraHeaderNameBytes) and not forbidden; the value at most kMaxExtraHeaderValueBytes
// of HTAB, SP, visible ASCII and obs-text, without leading or trailing whitespace.
std::optional<std::string> ExtraHeaderError(const HeaderField& field);
// The same for a whole list, which may hold at most kMaxExtraHeaders fields.
std::optional<std::string> ExtraHeadersError(const std::vector<HeaderField>& fields);

}  // namespace switchboard
