// Fuzz target: the TCPConnection constructor's URL handling, spec §2 and §4.1 —
// ParseConnectionUrl(), CanonicalizeHost(), IsSafeRequestTarget() and the request builders.
//
// Input: a selector byte, then the URL given to the constructor. The selector ('0' + n) picks
// the document's base URL from kBaseUrls; for the last choice the base is instead read from the
// input up to its first '\n' (the URL is the rest).
//
// Oracles:
//  - a URL that parses has an http(s) scheme, a port flagged default exactly when it is, a
//    request target for which IsSafeRequestTarget() holds and that has no byte <= 0x20 or >= 0x7F,
//    a canonical host (CanonicalizeHost() of it is itself), a Host header and `network` without CR,
//    LF, space or other control and non-ASCII bytes, and an href of visible ASCII without '#';
//  - §4.1's request and §4.3's TLS upgrade request are built from it as exactly their 6 (5)
//    CRLF-terminated lines (nothing in the URL can add a line), or refused for its Host (a host
//    outside RFC 3986's reg-name, which URLs allow);
//  - parsing its href again (no base) gives the same URL; its origin serializes and parses back;
//  - CanonicalizeHost() of any bytes yields visible ASCII without a forbidden domain code point
//    (':' only in an IPv6 address), and is idempotent; IsSafeRequestTarget() of any bytes implies
//    no control, space or non-ASCII byte.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "net/handshake.h"
#include "net/url.h"
#include "net/url_host.h"

namespace switchboard {
namespace {

using fuzz::Printable;

constexpr std::array<std::string_view, 8> kBaseUrls = {
    "http://example.com/dir/page.html?q=1#top",
    "https://www.example.com:8443/",
    "http://[::1]:8080/a/b/c",
    "http://127.0.0.1/",
    "file:///home/user/page.html",
    "about:blank",
    "",
    "http://xn--bcher-kva.example/%C3%A9/",
};

bool IsVisibleAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c > 0x20 && c < 0x7F; });
}

size_t CountCrLf(std::string_view text) {
  size_t count = 0;
  for (size_t at = text.find("\r\n"); at != std::string_view::npos;
       at = text.find("\r\n", at + 2)) {
    ++count;
  }
  return count;
}

// The request is `lines` lines, each ending in CRLF, the last one empty, and no other CR or LF.
bool HasExactlyLines(std::string_view request, size_t lines) {
  return CountCrLf(request) == lines &&
         std::count(request.begin(), request.end(), '\r') == static_cast<std::ptrdiff_t>(lines) &&
         std::count(request.begin(), request.end(), '\n') == static_cast<std::ptrdiff_t>(lines) &&
         request.ends_with("\r\n\r\n");
}

void CheckCanonicalHost(std::string_view raw_host) {
  const std::optional<std::string> host = CanonicalizeHost(raw_host);
  if (!host) return;
  const std::string context =
      "CanonicalizeHost(\"" + Printable(raw_host) + "\") = \"" + Printable(*host) + "\"";
  FUZZ_CHECK(!host->empty(), context);
  const bool ipv6 = host->find(':') != std::string::npos;
  FUZZ_CHECK(IsVisibleAscii(*host) && std::none_of(host->begin(), host->end(),
                                                   [&](char c) {
                                                     return IsForbiddenDomainCodePoint(c) &&
                                                            !(ipv6 && c == ':');
                                                   }),
             context);
  FUZZ_CHECK(CanonicalizeHost(*host) == host, context + " is not idempotent");
  (void)HostIsIpAddress(*host);
}

void CheckParsedUrl(const ConnectionUrl& url, const std::string& context) {
  FUZZ_CHECK(url.scheme == "http" || url.scheme == "https", context);
  const uint16_t default_port = url.scheme == "http" ? 80 : 443;
  FUZZ_CHECK(url.port_is_default == (url.port == default_port), context);

  // §4.1: the request target can go on the request line as it is.
  const std::string& target = url.request_target;
  FUZZ_CHECK(IsSafeRequestTarget(target), context + ": unsafe target " + Printable(target));
  FUZZ_CHECK(IsVisibleAscii(target) && target.front() == '/', context);

  // The host is canonical; Host and `network` cannot break a header line.
  FUZZ_CHECK(CanonicalizeHost(url.host) == url.host, context + ": host not canonical");
  const std::string host_header = url.HostHeader();
  FUZZ_CHECK(IsVisibleAscii(host_header) && !host_header.empty(), context + ": Host header");
  FUZZ_CHECK(IsVisibleAscii(url.Network()), context + ": network");
  FUZZ_CHECK(IsVisibleAscii(url.href) && url.href.find('#') == std::string::npos,
             context + ": href " + Printable(url.href));

  // The requests can be built, and are exactly their lines.
  const Origin origin = url.origin();
  FUZZ_CHECK(!origin.is_opaque() && Origin::Parse(origin.Serialize()).has_value() &&
                 Origin::Parse(origin.Serialize())->IsSameOrigin(origin),
             context + ": origin " + Printable(origin.Serialize()));
  // The requests are built, and are exactly their lines; or (for a host such as 'a"b', which
  // URLs allow and RFC 3986 does not) refused as a §7 handshake failure naming the Host.
  const Result<std::string> request =
      BuildHandshakeRequest({target, host_header, origin.Serialize(), ""});
  const Result<std::string> tls_request = BuildTlsUpgradeRequest(target, host_header);
  if (!request.ok()) {
    FUZZ_CHECK(request.error().stage == Stage::kHandshake &&
                   request.error().message.find("Host") != std::string::npos && !tls_request.ok(),
               context + ": request refused: " + request.error().message);
  } else {
    FUZZ_CHECK(HasExactlyLines(request.value(), 6),
               context + ": request " + Printable(request.value()));
    FUZZ_CHECK(tls_request.ok() && HasExactlyLines(tls_request.value(), 5),
               context + ": TLS upgrade request");
  }

  // The href is the URL: parsed again, without a base, it is the same.
  const UrlResult again = ParseConnectionUrl(url.href, "");
  FUZZ_CHECK(again.ok(), context + ": href " + Printable(url.href) + " does not parse: " +
                             (again.ok() ? std::string() : again.error().message));
  const ConnectionUrl& reparsed = again.value();
  FUZZ_CHECK(reparsed.href == url.href && reparsed.host == url.host && reparsed.port == url.port &&
                 reparsed.request_target == url.request_target,
             context + ": href " + Printable(url.href) + " parses to " + Printable(reparsed.href) +
                 " target " + Printable(reparsed.request_target));
}

}  // namespace
}  // namespace switchboard

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace switchboard;
  fuzz::UrlAndBase parts;
  if (!fuzz::SplitUrlAndBase(std::string_view(reinterpret_cast<const char*>(data), size), kBaseUrls,
                             parts)) {
    return 0;
  }
  const std::string_view input = parts.input;
  const std::string_view base = parts.base;
  const std::string context =
      "ParseConnectionUrl(\"" + Printable(input) + "\", \"" + Printable(base) + "\")";

  const UrlResult url = ParseConnectionUrl(input, base);
  if (url.ok()) {
    CheckParsedUrl(url.value(), context);
    (void)CheckMixedContent(OriginOfDocumentUrl(base), url.value(), SecureOption::kNotRequested);
  } else {
    FUZZ_CHECK(!url.error().message.empty(), context);
  }

  // The helpers on the raw bytes.
  (void)OriginOfDocumentUrl(input);
  CheckCanonicalHost(input);
  if (IsSafeRequestTarget(input)) {
    FUZZ_CHECK(IsVisibleAscii(input), "IsSafeRequestTarget(\"" + Printable(input) + "\")");
  }
  return 0;
}
