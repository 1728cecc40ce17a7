// The URL Standard's hosts (§3): the host parser with its IPv4, IPv6 and opaque-host parsers,
// the domain parser (UTS #46 ToASCII through libidn2), and host serialization.
//
// Thread: any (pure functions and a value type). Failure is a value: the standard's name for
// the validation error that made parsing fail.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace switchboard {

// Why a URL (or a host) failed to parse: the URL Standard's name of the validation error that
// returned failure, e.g. "host-invalid-code-point", "port-out-of-range".
struct UrlParseError {
  std::string_view validation_error;
};

// §3.1: a domain, an IPv4 address, an IPv6 address, an opaque host or an empty host.
struct Host {
  enum class Kind { kDomain, kIpv4, kIpv6, kOpaque, kEmpty };

  Kind kind = Kind::kEmpty;
  std::string name;                // the domain or opaque host; empty otherwise
  uint32_t ipv4 = 0;               // kIpv4
  std::array<uint16_t, 8> ipv6{};  // kIpv6: the eight pieces

  static Host Domain(std::string domain);
  static Host Opaque(std::string opaque);
  static Host Ipv4(uint32_t address);
  static Host Ipv6(const std::array<uint16_t, 8>& address);
  static Host Empty() { return Host(); }

  // §3.6 "host serializer": dotted decimal, "[v6]" compressed, or the name.
  std::string Serialize() const;

  bool operator==(const Host&) const = default;
};

// Which host parser the URL's scheme asks for: special schemes parse domains and IP addresses,
// the others opaque hosts (IPv6 in brackets still parses as IPv6).
enum class HostParsing { kSpecial, kOpaque };

using HostResult = ResultOf<Host, UrlParseError>;

// §3.5 "host parser". `input` is well-formed UTF-8 (the URL parser's input is).
HostResult ParseHost(std::string_view input, HostParsing parsing);

// §3.5 "ends in a number checker" (on an ASCII domain).
bool EndsInANumber(std::string_view domain);

// §3.5 "IPv4 parser" and "IPv6 parser" (input without brackets).
ResultOf<uint32_t, UrlParseError> ParseIpv4(std::string_view input);
ResultOf<std::array<uint16_t, 8>, UrlParseError> ParseIpv6(std::string_view input);

// §3.6 serializers: "192.168.0.1"; "2001:db8::1" (no brackets, first longest zero run of two or
// more pieces compressed).
std::string SerializeIpv4(uint32_t address);
std::string SerializeIpv6(const std::array<uint16_t, 8>& address);

// §3.3 "domain parser" with beStrict false: an ASCII domain lower-cased; any other through
// UTS #46 ToASCII (CheckHyphens, UseSTD3ASCIIRules and VerifyDnsLength false, nontransitional);
// then refused when empty or holding a forbidden domain code point.
ResultOf<std::string, UrlParseError> DomainToAscii(std::string_view domain);

bool IsForbiddenHostCodePoint(char c);
bool IsForbiddenDomainCodePoint(char c);

}  // namespace switchboard
