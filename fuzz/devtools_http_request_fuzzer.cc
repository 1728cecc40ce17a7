// Fuzz target: the DevTools endpoint's request head parser and its Host check
// (net/devtools_http_request.h).
//
// Input: bytes a client sent before the upgrade.
//
// Oracles:
//  - FindHttpHeadEnd points just past the first "\r\n\r\n" (or there is none);
//  - a parsed head has a token method, a request-target starting with '/' and free of controls
//    and spaces, lowercase token header names and values without CR, LF or NUL; parsing is
//    deterministic;
//  - IsAllowedDevToolsHost accepts only hosts that are "localhost" or hold nothing but IP
//    literal characters, brackets and a port: never a name with other letters;
//  - WebSocketAcceptFor always gives 28 base64 characters.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "net/devtools_http_request.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace switchboard;
  using fuzz::Printable;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);

  auto end = FindHttpHeadEnd(bytes);
  const std::size_t first = bytes.find("\r\n\r\n");
  FUZZ_CHECK(end ? *end == first + 4 : first == std::string_view::npos, Printable(bytes));

  std::string_view head = end ? bytes.substr(0, *end) : bytes;
  auto parsed = ParseDevToolsHttpRequest(head);
  auto again = ParseDevToolsHttpRequest(head);
  FUZZ_CHECK(parsed.ok() == again.ok(), Printable(bytes));
  if (parsed.ok()) {
    const DevToolsHttpRequest& request = parsed.value();
    FUZZ_CHECK(!request.method.empty() && !request.target.empty() && request.target[0] == '/',
               Printable(bytes));
    for (char c : request.target) {
      FUZZ_CHECK(static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7F,
                 Printable(bytes));
    }
    for (const auto& [name, value] : request.headers) {
      FUZZ_CHECK(!name.empty(), Printable(bytes));
      for (char c : name) FUZZ_CHECK(!(c >= 'A' && c <= 'Z') && c != ':', Printable(bytes));
      FUZZ_CHECK(value.find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos,
                 Printable(bytes));
    }
    (void)request.IsWebSocketUpgrade();
    if (auto key = request.Header("sec-websocket-key")) {
      FUZZ_CHECK(WebSocketAcceptFor(*key).size() == 28, Printable(bytes));
    }
  }

  if (IsAllowedDevToolsHost(bytes)) {
    std::string lower(bytes);
    for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    const bool is_localhost = lower.rfind("localhost", 0) == 0;
    std::string_view rest = is_localhost ? std::string_view(lower).substr(9) : lower;
    FUZZ_CHECK(rest.find_first_not_of("0123456789abcdef.:[]%") == std::string_view::npos,
               Printable(bytes));
  }
  return 0;
}
