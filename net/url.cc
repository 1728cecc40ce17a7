#include "net/url.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <idn2.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <memory>

#include "base/ascii.h"
#include "base/host_port.h"
#include "net/whatwg_url.h"

namespace switchboard {
namespace {

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiHexDigit(char c) {
  return IsAsciiDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// C0 controls, space, DEL and every non-ASCII byte: what must never reach a request line.
bool IsControlSpaceOrNonAscii(unsigned char byte) { return byte <= 0x20 || byte >= 0x7F; }

void AppendPercentEncoded(unsigned char byte, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out += '%';
  out += kHex[byte >> 4];
  out += kHex[byte & 0x0F];
}

// RFC 3986 pchar without '%' (unreserved, sub-delims, ':' and '@'), plus '/'. '?' is added for
// queries only, so that a path can never grow a query.
bool IsRequestTargetChar(char c, bool in_query) {
  if (IsAsciiAlpha(c) || IsAsciiDigit(c)) return true;
  switch (c) {
    case '-':
    case '.':
    case '_':
    case '~':  // unreserved
    case '!':
    case '$':
    case '&':
    case '\'':
    case '(':
    case ')':  // sub-delims
    case '*':
    case '+':
    case ',':
    case ';':
    case '=':
    case ':':
    case '@':
    case '/':
      return true;
    case '?':
      return in_query;
    default:
      return false;
  }
}

bool IsEscapeAt(std::string_view text, size_t index) {
  return text[index] == '%' && index + 2 < text.size() && IsAsciiHexDigit(text[index + 1]) &&
         IsAsciiHexDigit(text[index + 2]);
}

// §4.1: percent-encodes every byte of a path or query that is not allowed on a request line
// as it is, including a '%' that does not start a %XX escape.
std::string EncodeRequestTargetPart(std::string_view part, bool in_query) {
  std::string encoded;
  encoded.reserve(part.size());
  for (size_t i = 0; i < part.size(); ++i) {
    const char c = part[i];
    if (IsRequestTargetChar(c, in_query) || IsEscapeAt(part, i)) {
      encoded += c;
    } else {
      AppendPercentEncoded(static_cast<unsigned char>(c), encoded);
    }
  }
  return encoded;
}

// Where the host and port of a URL string sit, so that everything else can be percent-encoded
// before curl sees it. [host_begin, authority_end) is empty when the input has no authority.
struct HostSpan {
  size_t host_begin = 0;
  size_t authority_end = 0;
};

HostSpan FindHostSpan(std::string_view input) {
  // An optional scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":".
  size_t after_scheme = 0;
  if (!input.empty() && IsAsciiAlpha(input[0])) {
    size_t i = 1;
    while (i < input.size() && (IsAsciiAlpha(input[i]) || IsAsciiDigit(input[i]) ||
                                input[i] == '+' || input[i] == '-' || input[i] == '.')) {
      ++i;
    }
    if (i < input.size() && input[i] == ':') after_scheme = i + 1;
  }
  if (input.substr(after_scheme, 2) != "//") return {};
  const size_t authority_begin = after_scheme + 2;
  size_t authority_end = input.find_first_of("/?#", authority_begin);
  if (authority_end == std::string_view::npos) authority_end = input.size();
  // Userinfo ends at the last '@' of the authority.
  const size_t at = input.substr(0, authority_end).rfind('@');
  const size_t host_begin =
      (at != std::string_view::npos && at >= authority_begin) ? at + 1 : authority_begin;
  return {host_begin, authority_end};
}

// Spec §4.1 wants a request target that can never carry control bytes "whatever the input".
// curl refuses such bytes outright, so before parsing they are percent-encoded everywhere but
// in the host, which keeps its raw UTF-8 for IDN. Unlike the WHATWG URL parser, tabs and
// newlines inside the URL are encoded (%09, %0D%0A), not silently removed.
std::string PercentEncodeOutsideHost(std::string_view input) {
  const HostSpan span = FindHostSpan(input);
  std::string prepared;
  prepared.reserve(input.size());
  for (size_t i = 0; i < input.size(); ++i) {
    const auto byte = static_cast<unsigned char>(input[i]);
    const bool in_host = i >= span.host_begin && i < span.authority_end;
    if (!in_host && IsControlSpaceOrNonAscii(byte)) {
      AppendPercentEncoded(byte, prepared);
    } else {
      prepared += input[i];
    }
  }
  return prepared;
}

// The WHATWG URL parser's first step: strip leading and trailing C0 controls and spaces.
std::string_view TrimC0ControlOrSpace(std::string_view text) {
  while (!text.empty() && static_cast<unsigned char>(text.front()) <= 0x20) text.remove_prefix(1);
  while (!text.empty() && static_cast<unsigned char>(text.back()) <= 0x20) text.remove_suffix(1);
  return text;
}

struct CurlUrlDeleter {
  void operator()(CURLU* handle) const { curl_url_cleanup(handle); }
};
using CurlUrl = std::unique_ptr<CURLU, CurlUrlDeleter>;

struct CurlStringDeleter {
  void operator()(char* text) const { curl_free(text); }
};

// One part of a parsed URL, or nullopt when the URL does not have it.
std::optional<std::string> GetPart(CURLU* handle, CURLUPart part, unsigned int flags = 0) {
  char* raw = nullptr;
  if (curl_url_get(handle, part, &raw, flags) != CURLUE_OK || raw == nullptr) return std::nullopt;
  std::unique_ptr<char, CurlStringDeleter> owned(raw);
  return std::string(owned.get());
}

UrlError SyntaxError(std::string message) { return {UrlErrorKind::kSyntax, std::move(message)}; }

// An http(s) URL after step 1 of spec §2, before the fragment and port checks.
struct HttpUrl {
  CurlUrl handle;
  std::string scheme;
  std::string host;  // canonical, see CanonicalizeHost()
  uint16_t port = 0;
  bool port_is_default = true;
  bool has_fragment = false;
};

// Spec §2 step 1: parse `input` against `base_url` with curl, accept only http and https.
std::variant<HttpUrl, UrlError> ParseHttpUrl(std::string_view input, std::string_view base_url) {
  input = TrimC0ControlOrSpace(input);
  CurlUrl handle(curl_url());
  if (!handle) return SyntaxError("out of memory");

  // 1.1. A base that curl cannot parse (about:blank, a data: URL) resolves nothing; absolute
  //      URLs still work against it. The base is prepared like the input (step 1.2), so that
  //      what it lends the URL (userinfo, path, query) is percent-encoded as well.
  bool have_base = false;
  if (!base_url.empty()) {
    const std::string base = PercentEncodeOutsideHost(TrimC0ControlOrSpace(base_url));
    // The base's fragment takes no part in resolving, and must not: curl 7.88 resolves against
    // the base's whole string, cutting it at its last '/' even inside a fragment ("x" against
    // "/app/#/chat/room" would become "/app/#/chat/x").
    have_base = base.find('\0') == std::string::npos &&
                curl_url_set(handle.get(), CURLUPART_URL, base.c_str(), 0) == CURLUE_OK &&
                curl_url_set(handle.get(), CURLUPART_FRAGMENT, nullptr, 0) == CURLUE_OK;
    if (!have_base) handle.reset(curl_url());
    if (!handle) return SyntaxError("out of memory");
  }

  // 1.2. The host is handed to curl as it is (IDN needs its UTF-8), so it must not hold bytes
  //      that could end the C string early or split the URL.
  const HostSpan span = FindHostSpan(input);
  for (size_t i = span.host_begin; i < span.authority_end; ++i) {
    const auto byte = static_cast<unsigned char>(input[i]);
    if (byte <= 0x20 || byte == 0x7F) return SyntaxError("the URL's host contains a control byte");
  }
  std::string prepared = PercentEncodeOutsideHost(input);
  const bool has_fragment = prepared.find('#') != std::string::npos;

  // 1.3. An empty input is the base URL itself, whose fragment is already gone (curl 7.88 would
  //      resolve it to the base's directory instead).
  if (prepared.empty()) {
    if (!have_base) return SyntaxError("empty URL");
  } else if (const CURLUcode parse_code =
                 curl_url_set(handle.get(), CURLUPART_URL, prepared.c_str(), 0);
             parse_code != CURLUE_OK) {
    return SyntaxError("invalid URL: " + std::string(curl_url_strerror(parse_code)));
  }

  // 1.4. Only http and https (curl lower-cases the scheme).
  HttpUrl url;
  url.has_fragment = has_fragment;
  url.scheme = GetPart(handle.get(), CURLUPART_SCHEME).value_or("");
  if (url.scheme != "http" && url.scheme != "https") {
    return SyntaxError("the URL's scheme '" + url.scheme +
                       "' is not supported; TCPConnection URLs are http: or https:");
  }

  // 1.5. The host in canonical ASCII form; zone identifiers mean nothing to a web page.
  if (GetPart(handle.get(), CURLUPART_ZONEID)) {
    return SyntaxError("IPv6 zone identifiers are not allowed in URLs");
  }
  const std::optional<std::string> raw_host = GetPart(handle.get(), CURLUPART_HOST);
  if (!raw_host || raw_host->empty()) return SyntaxError("the URL has no host");
  std::optional<std::string> host = CanonicalizeHost(*raw_host);
  if (!host) return SyntaxError("the URL's host '" + *raw_host + "' is not valid");
  url.host = std::move(*host);

  // 1.6. Port: explicit (curl has checked 0-65535) or the scheme's default.
  const uint16_t default_port = DefaultPortForScheme(url.scheme).value_or(0);
  url.port = default_port;
  if (std::optional<std::string> port = GetPart(handle.get(), CURLUPART_PORT)) {
    url.port = static_cast<uint16_t>(std::strtoul(port->c_str(), nullptr, 10));
  }
  url.port_is_default = url.port == default_port;
  url.handle = std::move(handle);
  return url;
}

}  // namespace

std::optional<std::string> CanonicalizeHost(std::string_view host) {
  if (host.empty()) return std::nullopt;
  const bool bracketed = host.front() == '[';
  if (bracketed) {
    if (host.size() < 2 || host.back() != ']') return std::nullopt;
    host = host.substr(1, host.size() - 2);
  }
  // IPv6: re-serialize so that equal addresses compare equal ("0:0::1" is "::1").
  if (host.find(':') != std::string_view::npos) {
    const std::string text(host);
    in6_addr address{};
    if (text.find('\0') != std::string::npos || inet_pton(AF_INET6, text.c_str(), &address) != 1) {
      return std::nullopt;
    }
    std::array<char, INET6_ADDRSTRLEN> buffer{};
    if (inet_ntop(AF_INET6, &address, buffer.data(), buffer.size()) == nullptr) return std::nullopt;
    return std::string(buffer.data());
  }
  if (bracketed) return std::nullopt;

  std::string ascii;
  if (std::any_of(host.begin(), host.end(),
                  [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
    // IDN → punycode with UTS #46 non-transitional processing (as browsers do), retrying
    // transitionally for names it disallows, as curl does. libidn2 is called directly because
    // curl 7.88's CURLU_PUNYCODE converts from the process locale and fails under "C".
    const std::string utf8(host);
    if (utf8.find('\0') != std::string::npos) return std::nullopt;
    uint8_t* lookup_name = nullptr;
    const auto* input = reinterpret_cast<const uint8_t*>(utf8.c_str());
    int code = idn2_lookup_u8(input, &lookup_name, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
    if (code == IDN2_DISALLOWED) {
      code = idn2_lookup_u8(input, &lookup_name, IDN2_NFC_INPUT | IDN2_TRANSITIONAL);
    }
    if (code != IDN2_OK || lookup_name == nullptr) return std::nullopt;
    ascii = reinterpret_cast<const char*>(lookup_name);
    idn2_free(lookup_name);
  } else {
    ascii = host;
  }

  // Letters, digits, '-' and '_' in non-empty labels, one trailing dot allowed: everything a
  // resolver accepts, and nothing that could break a Host header.
  for (char& c : ascii) c = AsciiLower(c);
  std::string_view name = ascii;
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty()) return std::nullopt;
  size_t label_begin = 0;
  while (true) {
    const size_t dot = name.find('.', label_begin);
    const std::string_view label = name.substr(
        label_begin, dot == std::string_view::npos ? std::string_view::npos : dot - label_begin);
    if (label.empty()) return std::nullopt;
    for (char c : label) {
      if (!IsAsciiAlpha(c) && !IsAsciiDigit(c) && c != '-' && c != '_') return std::nullopt;
    }
    if (dot == std::string_view::npos) break;
    label_begin = dot + 1;
  }

  // WHATWG's "ends in a number": such a host is an IPv4 address or nothing. curl has already
  // normalized the other IPv4 spellings ("127.1", "0x7f.1") to dotted quads.
  const size_t last_dot = name.rfind('.');
  const std::string_view last_label =
      last_dot == std::string_view::npos ? name : name.substr(last_dot + 1);
  const bool all_digits = std::all_of(last_label.begin(), last_label.end(), IsAsciiDigit);
  const bool hex_number = last_label.substr(0, 2) == "0x" &&
                          std::all_of(last_label.begin() + 2, last_label.end(), IsAsciiHexDigit);
  if (all_digits || hex_number) {
    const std::string address(name);
    in_addr ipv4{};
    if (inet_pton(AF_INET, address.c_str(), &ipv4) != 1) return std::nullopt;
    return address;  // without a trailing dot
  }
  return ascii;
}

bool HostIsIpAddress(std::string_view canonical_host) {
  if (canonical_host.find(':') != std::string_view::npos) return true;
  const std::string address(canonical_host);
  in_addr ipv4{};
  return inet_pton(AF_INET, address.c_str(), &ipv4) == 1;
}

bool IsSafeRequestTarget(std::string_view target) {
  if (target.empty() || target.front() != '/') return false;
  bool in_query = false;
  for (size_t i = 0; i < target.size(); ++i) {
    const char c = target[i];
    if (c == '?') in_query = true;
    if (!IsRequestTargetChar(c, in_query) && !IsEscapeAt(target, i)) return false;
  }
  return true;
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
  // 1. Parse against the base URL; failure or a scheme other than http/https is a SyntaxError
  //    (ParseHttpUrl), and so is a fragment.
  std::variant<HttpUrl, UrlError> parsed = ParseHttpUrl(input, base_url);
  if (auto* error = std::get_if<UrlError>(&parsed)) return std::move(*error);
  HttpUrl& url = std::get<HttpUrl>(parsed);
  if (url.has_fragment) return SyntaxError("TCPConnection URLs must not have a fragment");

  // 2. The port (explicit or default) must not be on the Fetch standard's bad-ports list.
  if (IsBadPort(url.port)) {
    return UrlError{UrlErrorKind::kSecurity,
                    "port " + std::to_string(url.port) + " is blocked (Fetch bad ports)"};
  }

  // 4. (§4.1) The request target: path and query, percent-encoded; curl always has a path for
  //    http(s) URLs, but an empty one would still become "/".
  ConnectionUrl result;
  const std::string path = GetPart(url.handle.get(), CURLUPART_PATH).value_or("/");
  result.request_target = path.empty() ? "/" : EncodeRequestTargetPart(path, false);
  if (result.request_target.front() != '/') result.request_target.insert(0, "/");
  if (std::optional<std::string> query = GetPart(url.handle.get(), CURLUPART_QUERY)) {
    result.request_target += "?" + EncodeRequestTargetPart(*query, true);
  }

  // The `url` attribute: curl's serialization of scheme, userinfo, canonical host and port
  // (no default port), with the request target as path and query. (curl would re-case the
  // escapes of a path set back into it.)
  const std::string url_host = BracketedHost(url.host);
  if (curl_url_set(url.handle.get(), CURLUPART_HOST, url_host.c_str(), 0) != CURLUE_OK ||
      curl_url_set(url.handle.get(), CURLUPART_PATH, "/", 0) != CURLUE_OK ||
      curl_url_set(url.handle.get(), CURLUPART_QUERY, nullptr, 0) != CURLUE_OK) {
    return SyntaxError("the URL cannot be serialized");
  }
  std::optional<std::string> href = GetPart(url.handle.get(), CURLUPART_URL, CURLU_NO_DEFAULT_PORT);
  if (!href || href->empty() || href->back() != '/') {
    return SyntaxError("the URL cannot be serialized");
  }
  href->pop_back();
  href->append(result.request_target);

  result.href = std::move(*href);
  result.scheme = std::move(url.scheme);
  result.host = std::move(url.host);
  result.port = url.port;
  result.port_is_default = url.port_is_default;
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
  std::variant<HttpUrl, UrlError> parsed = ParseHttpUrl(document_url, {});
  if (const auto* url = std::get_if<HttpUrl>(&parsed)) {
    return Origin::Tuple(url->scheme, url->host, url->port);
  }
  return Origin::Opaque();
}

}  // namespace switchboard
