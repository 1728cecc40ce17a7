// The Chrome DevTools Protocol description the DevTools endpoint serves at /json/protocol:
// V8's domains and the part of the Network domain that NetworkAgent serves (generated at build
// time by generate_protocol_json.js from the devtools-protocol npm package).
//
// Thread: any (constant data).
#pragma once

#include <string_view>

namespace switchboard::inspector {

// JSON text: {"version":{"major":"1","minor":"3"},"domains":[…]}.
std::string_view ProtocolJson();

}  // namespace switchboard::inspector
