#include "net/origin.h"

#include <algorithm>

#include "base/ascii.h"
#include "base/host_port.h"
#include "net/url.h"

namespace switchboard {
// RFC 3986: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
bool IsValidScheme(std::string_view scheme) {
  if (scheme.empty()) return false;
  const auto is_alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!is_alpha(scheme.front())) return false;
  return std::all_of(scheme.begin(), scheme.end(), [&](char c) {
    return is_alpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
  });
}

std::optional<uint16_t> ParsePort(std::string_view digits) {
  if (digits.empty() || digits.size() > 5) return std::nullopt;
  uint32_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint32_t>(c - '0');
  }
  if (value > 65535) return std::nullopt;
  return static_cast<uint16_t>(value);
}

std::optional<uint16_t> DefaultPortForScheme(std::string_view scheme) {
  if (scheme == "http") return 80;
  if (scheme == "https") return 443;
  return std::nullopt;
}

Origin Origin::Tuple(std::string_view scheme, std::string_view host, uint16_t port) {
  Origin origin;
  origin.opaque_ = false;
  origin.scheme_ = AsciiLowercase(scheme);
  origin.host_ = AsciiLowercase(host);
  origin.port_ = port;
  return origin;
}

std::optional<Origin> Origin::Parse(std::string_view serialized) {
  if (serialized == "null") return Opaque();
  if (std::any_of(serialized.begin(), serialized.end(),
                  [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
    return std::nullopt;  // serialized origins are ASCII (punycode)
  }
  const size_t separator = serialized.find("://");
  if (separator == std::string_view::npos) return std::nullopt;
  const std::string_view scheme = serialized.substr(0, separator);
  if (!IsValidScheme(scheme)) return std::nullopt;
  const std::string_view host_and_port = serialized.substr(separator + 3);

  // "[v6]" or "name"; then nothing or ":port".
  std::string_view host;
  std::string_view after_host;
  if (!host_and_port.empty() && host_and_port.front() == '[') {
    const size_t close = host_and_port.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = host_and_port.substr(0, close + 1);
    after_host = host_and_port.substr(close + 1);
  } else {
    const size_t colon = host_and_port.find(':');
    host = host_and_port.substr(0, colon);
    after_host = colon == std::string_view::npos ? std::string_view() : host_and_port.substr(colon);
  }
  const std::optional<std::string> canonical_host = CanonicalizeHost(host);
  if (!canonical_host) return std::nullopt;

  const std::string lower_scheme = AsciiLowercase(scheme);
  std::optional<uint16_t> port;
  if (after_host.empty()) {
    port = DefaultPortForScheme(lower_scheme);
  } else if (after_host.front() == ':') {
    port = ParsePort(after_host.substr(1));
  }
  if (!port) return std::nullopt;
  return Tuple(lower_scheme, *canonical_host, *port);
}

std::string Origin::Serialize() const {
  if (opaque_) return "null";
  std::string serialized = scheme_ + "://";
  serialized += BracketedHost(host_);
  if (DefaultPortForScheme(scheme_) != port_) serialized += ":" + std::to_string(port_);
  return serialized;
}

bool Origin::IsSameOrigin(const Origin& other) const {
  if (opaque_ || other.opaque_) return false;
  return scheme_ == other.scheme_ && host_ == other.host_ && port_ == other.port_;
}

}  // namespace switchboard
