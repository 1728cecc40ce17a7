// Hosts as URLs, Host headers, curl and spec §2's `network` attribute write them: an IPv6
// literal (it alone holds ':') in brackets, every other host as it is.
//
// Thread: any (pure functions).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace switchboard {

// "[::1]" for "::1"; "example.com" and "127.0.0.1" unchanged.
inline std::string BracketedHost(std::string_view host) {
  return host.find(':') != std::string_view::npos ? "[" + std::string(host) + "]"
                                                  : std::string(host);
}

// "host:port", always with the port: "[::1]:80", "example.com:8080".
inline std::string HostPort(std::string_view host, std::uint16_t port) {
  return BracketedHost(host) + ":" + std::to_string(port);
}

// "::1" for "[::1]" (a URL's host); every other host unchanged.
inline std::string StripIpv6Brackets(std::string_view host) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    return std::string(host.substr(1, host.size() - 2));
  }
  return std::string(host);
}

}  // namespace switchboard
