#include "net/url.h"

#include <arpa/inet.h>

#include <algorithm>

#include "base/host_port.h"
#include "net/percent_encoding.h"
#include "net/url_host.h"
#include "net/whatwg_url.h"

namespace switchboard {
namespace {

UrlError SyntaxError(std::string message) { return {UrlErrorKind::kSyntax, std::move(message)}; }

// The canonical host string of a parsed http(s) URL's host (see CanonicalizeHost()).
std::optional<std::string> CanonicalHostOf(const Host& host) {
  switch (host.kind) {
    case Host::Kind::kDomain:
      return host.name;
    case Host::Kind::kIpv4:
      return SerializeIpv4(host.ipv4);
    case Host::Kind::kIpv6:
      return SerializeIpv6(host.ipv6);
    case Host::Kind::kOpaque:
    case Host::Kind::kEmpty:
      return std::nullopt;
  }
  return std::nullopt;
}

// Spec §2 step 1: the URL Standard's basic URL parser, `input` against `base_url` (a base that
// does not parse is no base: absolute URLs still work). The error names the standard's
// validation error, e.g. "host-invalid-code-point".
ResultOf<WhatwgUrl, UrlError> ParseAgainstBase(std::string_view input, std::string_view base_url) {
  std::optional<WhatwgUrl> base;
  if (!base_url.empty()) {
    if (WhatwgUrlResult parsed_base = WhatwgUrl::Parse(base_url); parsed_base.ok()) {
      base = std::move(parsed_base).value();
    }
  }
  WhatwgUrlResult parsed = WhatwgUrl::Parse(input, base ? &*base : nullptr);
  if (!parsed.ok()) {
    return SyntaxError("invalid URL (" + std::string(parsed.error().validation_error) + ")");
  }
  return std::move(parsed).value();
}

}  // namespace

std::optional<std::string> CanonicalizeHost(std::string_view host) {
  // The host parser's input is a URL's: well-formed UTF-8 without the bytes the URL parser
  // strips (tab, LF, CR) or that end the host; the parser refuses the rest itself.
  if (host.empty() || !IsWellFormedUtf8(host) ||
      host.find_first_of(std::string_view("\t\n\r\0", 4)) != std::string_view::npos) {
    return std::nullopt;
  }
  // An IPv6 address is also accepted without its brackets (as origins and Host values keep it).
  const bool bare_ipv6 = host.front() != '[' && host.find(':') != std::string_view::npos;
  const std::string input = bare_ipv6 ? "[" + std::string(host) + "]" : std::string(host);
  HostResult parsed = ParseHost(input, HostParsing::kSpecial);
  if (!parsed.ok()) return std::nullopt;
  return CanonicalHostOf(parsed.value());
}

bool HostIsIpAddress(std::string_view canonical_host) {
  if (canonical_host.find(':') != std::string_view::npos) return true;
  const std::string address(canonical_host);
  in_addr ipv4{};
  return inet_pton(AF_INET, address.c_str(), &ipv4) == 1;
}

bool IsSafeRequestTarget(std::string_view target) {
  if (target.empty() || target.front() != '/') return false;
  return std::all_of(target.begin(), target.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte > 0x20 && byte < 0x7F && c != '#';
  });
}

std::string ConnectionUrl::HostHeader() const {
  std::string value = BracketedHost(host);
  if (!port_is_default) value += ":" + std::to_string(port);
  return value;
}

std::string ConnectionUrl::Network() const {
  const std::string bracketed = BracketedHost(host);
  return bracketed + ":" + std::to_string(port);
}

Origin ConnectionUrl::origin() const { return Origin::Tuple(scheme, host, port); }

// Spec §2 steps 1, 2 and 4.
UrlResult ParseConnectionUrl(std::string_view input, std::string_view base_url) {
  // 1. Parse against the base URL; failure, a scheme other than http/https or a fragment is a
  //    SyntaxError.
  ResultOf<WhatwgUrl, UrlError> parsed = ParseAgainstBase(input, base_url);
  if (!parsed.ok()) return parsed.error();
  const WhatwgUrl& url = parsed.value();
  if (url.scheme() != "http" && url.scheme() != "https") {
    return SyntaxError("the URL's scheme '" + url.scheme() +
                       "' is not supported; TCPConnection URLs are http: or https:");
  }
  if (url.fragment()) return SyntaxError("TCPConnection URLs must not have a fragment");
  // A special URL always has a domain or an IP address as its host.
  std::optional<std::string> host;
  if (url.host_record()) host = CanonicalHostOf(*url.host_record());
  if (!host) return SyntaxError("the URL has no host");

  // 2. The port (explicit or default) must not be on the Fetch standard's bad-ports list.
  const uint16_t default_port = *SpecialSchemeDefaultPort(url.scheme());
  const uint16_t port = url.port_number().value_or(default_port);
  if (IsBadPort(port)) {
    return UrlError{UrlErrorKind::kSecurity,
                    "port " + std::to_string(port) + " is blocked (Fetch bad ports)"};
  }

  // 4. (§4.1) The request target: the URL's path and query as the URL serializer writes them,
  //    which percent-encodes every space, control and non-ASCII byte.
  ConnectionUrl result;
  result.request_target = url.SerializePath();
  if (url.query()) result.request_target += "?" + *url.query();
  result.href = url.Serialize();
  result.scheme = url.scheme();
  result.host = std::move(*host);
  result.port = port;
  result.port_is_default = port == default_port;
  return result;
}

// Spec §2 step 3.
std::optional<UrlError> CheckMixedContent(const Origin& document_origin, const ConnectionUrl& url,
                                          SecureOption secure) {
  const bool connection_is_secure = url.scheme == "https" || secure == SecureOption::kRequested;
  if (!document_origin.is_opaque() && document_origin.scheme() == "https" &&
      !connection_is_secure) {
    return UrlError{UrlErrorKind::kSecurity,
                    "an https page may not open a TCPConnection to '" + url.href +
                        "' that is not secure (use https: or {secure: true})"};
  }
  return std::nullopt;
}

Origin OriginOfDocumentUrl(std::string_view document_url) {
  WhatwgUrlResult parsed = WhatwgUrl::Parse(document_url);
  if (!parsed.ok()) return Origin::Opaque();
  const WhatwgUrl& url = parsed.value();
  if ((url.scheme() != "http" && url.scheme() != "https") || !url.host_record()) {
    return Origin::Opaque();
  }
  std::optional<std::string> host = CanonicalHostOf(*url.host_record());
  if (!host) return Origin::Opaque();
  const uint16_t port = url.port_number().value_or(*SpecialSchemeDefaultPort(url.scheme()));
  return Origin::Tuple(url.scheme(), std::move(*host), port);
}

}  // namespace switchboard
