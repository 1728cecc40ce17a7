// URL Standard §3 "Hosts (domains and IP addresses)".
#include "net/url_host.h"

#include <idn2.h>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <utility>
#include <vector>

#include "base/ascii.h"
#include "net/percent_encoding.h"

namespace switchboard {
namespace {

using Ipv6Address = std::array<uint16_t, 8>;

UrlParseError Failure(std::string_view validation_error) { return {validation_error}; }

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiHexDigit(char c) {
  return IsAsciiDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
int HexDigitValue(char c) {
  if (IsAsciiDigit(c)) return c - '0';
  return AsciiLower(c) - 'a' + 10;
}

// "Strictly split" on '.': empty items are kept.
std::vector<std::string_view> SplitOnDots(std::string_view input) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t dot = input.find('.'); dot != std::string_view::npos; dot = input.find('.', start)) {
    parts.push_back(input.substr(start, dot - start));
    start = dot + 1;
  }
  parts.push_back(input.substr(start));
  return parts;
}

// §3.5 "IPv4 number parser". Values beyond 2^32 saturate: the caller only compares them with
// bounds at or below 2^32.
constexpr uint64_t kSaturated = uint64_t{1} << 40;
std::optional<uint64_t> ParseIpv4Number(std::string_view input) {
  // 1. If input is the empty string, then return failure.
  if (input.empty()) return std::nullopt;
  // 2.-4. The radix: "0x"/"0X" hexadecimal, a leading "0" octal, otherwise decimal.
  int radix = 10;
  if (input.size() >= 2 && input[0] == '0' && (input[1] == 'x' || input[1] == 'X')) {
    input.remove_prefix(2);
    radix = 16;
  } else if (input.size() >= 2 && input[0] == '0') {
    input.remove_prefix(1);
    radix = 8;
  }
  // 5. If input is the empty string, then return (0, true).
  if (input.empty()) return 0;
  // 6. If input contains a code point that is not a radix-R digit, then return failure.
  uint64_t value = 0;
  for (const char c : input) {
    int digit = -1;
    if (radix == 16 && IsAsciiHexDigit(c)) digit = HexDigitValue(c);
    if (radix == 10 && IsAsciiDigit(c)) digit = c - '0';
    if (radix == 8 && c >= '0' && c <= '7') digit = c - '0';
    if (digit < 0) return std::nullopt;
    // 7. The mathematical integer value that is represented by input in radix-R notation.
    value =
        std::min(kSaturated, value * static_cast<uint64_t>(radix) + static_cast<uint64_t>(digit));
  }
  return value;
}

// §3.5 "opaque-host parser".
HostResult ParseOpaqueHost(std::string_view input) {
  // 1. If input contains a forbidden host code point, host-invalid-code-point, return failure.
  if (std::any_of(input.begin(), input.end(), IsForbiddenHostCodePoint)) {
    return Failure("host-invalid-code-point");
  }
  // 2.-3. (validation errors only) 4. UTF-8 percent-encode using the C0 control set.
  return Host::Opaque(PercentEncode(input, PercentEncodeSet::kC0Control));
}

bool IsAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// UTS #46 ToASCII through libidn2. libidn2's nontransitional mode also applies IDNA2008's
// DISALLOWED property, which refuses what UTS #46 maps or keeps (symbols such as U+2615 ☕).
// Its transitional mode validates by UTS #46's table instead and differs from nontransitional
// processing only on the deviation characters (ß, ς, ZWNJ, ZWJ) and ẞ: so a refusal for
// DISALLOWED is retried in transitional mode when the domain holds none of those.
// FIXME(URL §3.3): libidn2 still applies IDNA2008's hyphen rules ("-a", "a-", "ab--c" labels)
// and DNS length limits, which UTS #46 with CheckHyphens and VerifyDnsLength false does not.
std::optional<std::string> Uts46ToAscii(std::string_view domain) {
  const std::string input(domain);
  std::string ascii;
  const auto lookup = [&input, &ascii](int flags) {
    char* output = nullptr;
    const int status = idn2_lookup_u8(reinterpret_cast<const uint8_t*>(input.c_str()),
                                      reinterpret_cast<uint8_t**>(&output), flags);
    if (status == IDN2_OK) ascii = output;
    idn2_free(output);
    return status;
  };
  const int status = lookup(IDN2_NONTRANSITIONAL);
  if (status == IDN2_OK) return ascii;
  if (status != IDN2_DISALLOWED) return std::nullopt;
  constexpr std::string_view kDeviations[] = {"\xC3\x9F", "\xCF\x82", "\xE2\x80\x8C",
                                              "\xE2\x80\x8D", "\xE1\xBA\x9E"};
  for (const std::string_view deviation : kDeviations) {
    if (domain.find(deviation) != std::string_view::npos) return std::nullopt;
  }
  if (lookup(IDN2_TRANSITIONAL) != IDN2_OK) return std::nullopt;
  return ascii;
}

}  // namespace

Host Host::Domain(std::string domain) {
  Host host;
  host.kind = Kind::kDomain;
  host.name = std::move(domain);
  return host;
}

Host Host::Opaque(std::string opaque) {
  Host host;
  host.kind = Kind::kOpaque;
  host.name = std::move(opaque);
  return host;
}

Host Host::Ipv4(uint32_t address) {
  Host host;
  host.kind = Kind::kIpv4;
  host.ipv4 = address;
  return host;
}

Host Host::Ipv6(const std::array<uint16_t, 8>& address) {
  Host host;
  host.kind = Kind::kIpv6;
  host.ipv6 = address;
  return host;
}

std::string Host::Serialize() const {
  switch (kind) {
    case Kind::kIpv4:
      return SerializeIpv4(ipv4);
    case Kind::kIpv6:
      return "[" + SerializeIpv6(ipv6) + "]";
    case Kind::kDomain:
    case Kind::kOpaque:
    case Kind::kEmpty:
      return name;
  }
  return name;
}

bool IsForbiddenHostCodePoint(char c) {
  switch (c) {
    case '\0':
    case '\t':
    case '\n':
    case '\r':
    case ' ':
    case '#':
    case '/':
    case ':':
    case '<':
    case '>':
    case '?':
    case '@':
    case '[':
    case '\\':
    case ']':
    case '^':
    case '|':
      return true;
    default:
      return false;
  }
}

bool IsForbiddenDomainCodePoint(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return IsForbiddenHostCodePoint(c) || byte <= 0x1F || c == '%' || byte == 0x7F;
}

// §3.3 "domain parser" with beStrict false.
ResultOf<std::string, UrlParseError> DomainToAscii(std::string_view domain) {
  std::string result;
  if (IsAscii(domain)) {
    // 4. An ASCII domain is lower-cased, whatever Unicode ToASCII says of it (web compatibility:
    // "xn--" labels that do not decode still name hosts).
    result = AsciiLowercase(domain);
  } else {
    // Otherwise: Unicode ToASCII with CheckHyphens, UseSTD3ASCIIRules and VerifyDnsLength false,
    // nontransitional processing.
    std::optional<std::string> ascii = Uts46ToAscii(domain);
    if (!ascii) return Failure("domain-to-ASCII");
    result = std::move(*ascii);
  }
  // 5. If result is the empty string, domain-to-ASCII validation error, return failure.
  if (result.empty()) return Failure("domain-to-ASCII");
  // 6. If result contains a forbidden domain code point, domain-invalid-code-point, failure.
  if (std::any_of(result.begin(), result.end(), IsForbiddenDomainCodePoint)) {
    return Failure("domain-invalid-code-point");
  }
  return result;
}

// §3.5 "host parser".
HostResult ParseHost(std::string_view input, HostParsing parsing) {
  // 1. If input starts with "[": it must end with "]", and the inside is an IPv6 address.
  if (input.starts_with('[')) {
    if (!input.ends_with(']') || input.size() < 2) return Failure("IPv6-unclosed");
    const auto address = ParseIpv6(input.substr(1, input.size() - 2));
    if (!address.ok()) return address.error();
    return Host::Ipv6(address.value());
  }
  // 2. If isOpaque is true, then return the result of opaque-host parsing input.
  if (parsing == HostParsing::kOpaque) return ParseOpaqueHost(input);
  // 4.-5. domain is the UTF-8 decoding of the percent-decoding of input. A byte sequence that
  // does not decode would become U+FFFD, which the domain parser refuses: fail early instead.
  const std::string domain = PercentDecode(input);
  if (!IsWellFormedUtf8(domain)) return Failure("domain-to-ASCII");
  // 6.-7. Let asciiDomain be the result of running the domain parser with domain and false.
  auto ascii_domain = DomainToAscii(domain);
  if (!ascii_domain.ok()) return ascii_domain.error();
  // 8. If asciiDomain ends in a number, then return the result of IPv4 parsing asciiDomain.
  if (EndsInANumber(ascii_domain.value())) {
    const auto address = ParseIpv4(ascii_domain.value());
    if (!address.ok()) return address.error();
    return Host::Ipv4(address.value());
  }
  // 9. Return asciiDomain.
  return Host::Domain(std::move(ascii_domain).value());
}

// §3.5 "ends in a number checker".
bool EndsInANumber(std::string_view domain) {
  // 2. Let parts be the result of strictly splitting input on ".".
  std::vector<std::string_view> parts = SplitOnDots(domain);
  // 3. If the last item in parts is the empty string, then remove it.
  if (parts.back().empty()) {
    if (parts.size() == 1) return false;
    parts.pop_back();
  }
  // 4. Let last be the last item in parts.
  const std::string_view last = parts.back();
  // 5. If last is non-empty and contains only ASCII digits, then return true.
  if (!last.empty() && std::all_of(last.begin(), last.end(), IsAsciiDigit)) return true;
  // 6. If parsing last as an IPv4 number does not return failure, then return true.
  return ParseIpv4Number(last).has_value();
}

// §3.5 "IPv4 parser".
ResultOf<uint32_t, UrlParseError> ParseIpv4(std::string_view input) {
  // 1. Let parts be the result of strictly splitting input on ".".
  std::vector<std::string_view> parts = SplitOnDots(input);
  // 2. If the last item in parts is the empty string (and parts has more), remove it.
  if (parts.back().empty() && parts.size() > 1) parts.pop_back();
  // 3. If parts's size is greater than 4, IPv4-too-many-parts, return failure.
  if (parts.size() > 4) return Failure("IPv4-too-many-parts");
  // 4.-5. Parse each part as an IPv4 number.
  std::vector<uint64_t> numbers;
  for (const std::string_view part : parts) {
    const std::optional<uint64_t> number = ParseIpv4Number(part);
    if (!number) return Failure("IPv4-non-numeric-part");
    numbers.push_back(*number);
  }
  // 7. If any item in numbers but the last is greater than 255, IPv4-out-of-range-part.
  for (size_t i = 0; i + 1 < numbers.size(); ++i) {
    if (numbers[i] > 255) return Failure("IPv4-out-of-range-part");
  }
  // 8. If the last item in numbers is >= 256^(5 - numbers's size), IPv4-out-of-range-part.
  if (numbers.back() >= (uint64_t{1} << (8 * (5 - numbers.size())))) {
    return Failure("IPv4-out-of-range-part");
  }
  // 9.-11. The last number fills the remaining bytes; the others are one byte each.
  uint64_t ipv4 = numbers.back();
  for (size_t counter = 0; counter + 1 < numbers.size(); ++counter) {
    ipv4 += numbers[counter] << (8 * (3 - counter));
  }
  return static_cast<uint32_t>(ipv4);
}

// §3.5 "IPv6 parser". Step numbers are the standard's.
ResultOf<Ipv6Address, UrlParseError> ParseIpv6(std::string_view input) {
  Ipv6Address address{};
  size_t piece_index = 0;
  std::optional<size_t> compress;
  size_t pointer = 0;
  const auto at = [&](size_t index) -> int {
    return index < input.size() ? static_cast<unsigned char>(input[index]) : -1;
  };
  // 5. A leading "::".
  if (at(pointer) == ':') {
    if (at(pointer + 1) != ':') return Failure("IPv6-invalid-compression");
    pointer += 2;
    ++piece_index;
    compress = piece_index;
  }
  // 6. While c is not the EOF code point:
  while (at(pointer) != -1) {
    if (piece_index == 8) return Failure("IPv6-too-many-pieces");
    if (at(pointer) == ':') {
      if (compress) return Failure("IPv6-multiple-compression");
      ++pointer;
      ++piece_index;
      compress = piece_index;
      continue;
    }
    // 6.3-6.4: up to four hex digits.
    unsigned value = 0;
    size_t length = 0;
    while (length < 4 && at(pointer) != -1 && IsAsciiHexDigit(static_cast<char>(at(pointer)))) {
      value = value * 0x10 + static_cast<unsigned>(HexDigitValue(static_cast<char>(at(pointer))));
      ++pointer;
      ++length;
    }
    // 6.5: an embedded IPv4 address.
    if (at(pointer) == '.') {
      if (length == 0) return Failure("IPv4-in-IPv6-invalid-code-point");
      pointer -= length;
      if (piece_index > 6) return Failure("IPv4-in-IPv6-too-many-pieces");
      int numbers_seen = 0;
      while (at(pointer) != -1) {
        std::optional<unsigned> ipv4_piece;
        if (numbers_seen > 0) {
          if (at(pointer) == '.' && numbers_seen < 4) {
            ++pointer;
          } else {
            return Failure("IPv4-in-IPv6-invalid-code-point");
          }
        }
        if (at(pointer) == -1 || !IsAsciiDigit(static_cast<char>(at(pointer)))) {
          return Failure("IPv4-in-IPv6-invalid-code-point");
        }
        while (at(pointer) != -1 && IsAsciiDigit(static_cast<char>(at(pointer)))) {
          const unsigned number = static_cast<unsigned>(at(pointer) - '0');
          if (!ipv4_piece) {
            ipv4_piece = number;
          } else if (*ipv4_piece == 0) {
            return Failure("IPv4-in-IPv6-invalid-code-point");
          } else {
            ipv4_piece = *ipv4_piece * 10 + number;
          }
          if (*ipv4_piece > 255) return Failure("IPv4-in-IPv6-out-of-range-part");
          ++pointer;
        }
        address[piece_index] = static_cast<uint16_t>(address[piece_index] * 0x100 + *ipv4_piece);
        ++numbers_seen;
        if (numbers_seen == 2 || numbers_seen == 4) ++piece_index;
      }
      if (numbers_seen != 4) return Failure("IPv4-in-IPv6-too-few-parts");
      break;
    }
    // 6.6-6.7: a ':' must be followed by another piece.
    if (at(pointer) == ':') {
      ++pointer;
      if (at(pointer) == -1) return Failure("IPv6-invalid-code-point");
    } else if (at(pointer) != -1) {
      return Failure("IPv6-invalid-code-point");
    }
    address[piece_index] = static_cast<uint16_t>(value);
    ++piece_index;
  }
  // 7. Move the pieces after the compression to the end.
  if (compress) {
    size_t swaps = piece_index - *compress;
    piece_index = 7;
    while (piece_index != 0 && swaps > 0) {
      std::swap(address[piece_index], address[*compress + swaps - 1]);
      --piece_index;
      --swaps;
    }
  } else if (piece_index != 8) {
    // 8. Without compression there must be exactly eight pieces.
    return Failure("IPv6-too-few-pieces");
  }
  return address;
}

// §3.6 "host serializer", IPv4 branch.
std::string SerializeIpv4(uint32_t address) {
  std::string output;
  for (int shift = 24; shift >= 0; shift -= 8) {
    output += std::to_string((address >> shift) & 0xFF);
    if (shift != 0) output += '.';
  }
  return output;
}

// §3.6 "IPv6 serializer".
std::string SerializeIpv6(const Ipv6Address& address) {
  // 2. compress: the first longest run of two or more 0 pieces.
  std::optional<size_t> compress;
  size_t longest = 1;
  for (size_t start = 0; start < 8;) {
    size_t end = start;
    while (end < 8 && address[end] == 0) ++end;
    if (end - start > longest) {
      longest = end - start;
      compress = start;
    }
    start = end == start ? start + 1 : end;
  }
  std::string output;
  bool ignore_zero = false;
  static constexpr char kLowerHex[] = "0123456789abcdef";
  for (size_t piece_index = 0; piece_index < 8; ++piece_index) {
    if (ignore_zero && address[piece_index] == 0) continue;
    ignore_zero = false;
    if (compress == piece_index) {
      output += piece_index == 0 ? "::" : ":";
      ignore_zero = true;
      continue;
    }
    // The piece in lower-case hexadecimal, without leading zeros.
    const uint16_t piece = address[piece_index];
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      const int digit = (piece >> shift) & 0xF;
      if (digit != 0 || started || shift == 0) {
        output += kLowerHex[digit];
        started = true;
      }
    }
    if (piece_index != 7) output += ':';
  }
  return output;
}

}  // namespace switchboard
