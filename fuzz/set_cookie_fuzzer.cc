// Fuzz target: the cookie jar's parsers and storage model, RFC 6265 §5.1.1-§5.4 as used by
// spec §4.1 (Cookie) and §4.2 (Set-Cookie) — ParseSetCookie(), ParseCookieDate(), CookieJar.
//
// Input: a selector byte, then Set-Cookie values, one per line. The selector's low two bits
// pick the request URL from kUrls, bit 2 the transport (secure or not), bit 3 the source (HTTP
// or a non-HTTP API such as document.cookie).
//
// Oracles (besides never crashing):
//  - a parsed Set-Cookie has a non-empty name, no control byte but HTAB in name and value, and
//    at most 4096 bytes of both;
//  - ParseCookieDate() of the input and of every line: when it parses, the date lies in years
//    1601-9999 and, written back as an RFC 1123 date, parses to the same instant;
//  - after the lines are stored, every Cookie header the jar produces (for several URLs, both
//    transports and sources) holds no CR, LF, NUL or other control byte but HTAB, and §4.1's
//    request can always be built with it;
//  - every stored cookie has a canonical domain, a path starting with '/', no expiry beyond
//    400 days; none is Secure if only an insecure transport set cookies, none HttpOnly if
//    only a non-HTTP API did.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "net/cookie_jar.h"
#include "net/handshake.h"
#include "net/url.h"

namespace switchboard {
namespace {

using fuzz::Printable;

struct RequestUrl {
  std::string_view scheme;
  std::string_view host;
  std::string_view path;
};

constexpr std::array<RequestUrl, 4> kUrls = {{
    {"http", "example.com", "/some/url"},
    {"https", "www.example.com", "/"},
    {"http", "127.0.0.1", "/a/b?c=d"},
    {"https", "::1", "/dir/"},
}};

// 2024-01-01T00:00:00Z, so that runs are reproducible.
const CookieTime kNow = std::chrono::sys_days{std::chrono::year{2024} / 1 / 1};

bool IsControlOtherThanTab(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return (byte < 0x20 && c != '\t') || byte == 0x7F;
}

bool HasControlOtherThanTab(std::string_view text) {
  return std::any_of(text.begin(), text.end(), IsControlOtherThanTab);
}

// RFC 1123, as servers write Expires: "Sun, 06 Nov 1994 08:49:37 GMT".
std::string FormatRfc1123(CookieExpiry time) {
  static constexpr std::array<const char*, 7> kWeekdays = {"Sun", "Mon", "Tue", "Wed",
                                                           "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::chrono::sys_days day = std::chrono::floor<std::chrono::days>(time);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss clock{time - day};
  std::array<char, 64> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%s, %02u %s %04d %02ld:%02ld:%02ld GMT",
                kWeekdays[std::chrono::weekday{day}.c_encoding()], unsigned{date.day()},
                kMonths[unsigned{date.month()} - 1], int{date.year()},
                static_cast<long>(clock.hours().count()),
                static_cast<long>(clock.minutes().count()),
                static_cast<long>(clock.seconds().count()));
  return buffer.data();
}

void CheckCookieDate(std::string_view text) {
  const std::optional<CookieExpiry> date = ParseCookieDate(text);
  if (!date) return;
  const std::string context = "ParseCookieDate(\"" + Printable(text) + "\")";
  const std::chrono::year_month_day day{std::chrono::floor<std::chrono::days>(*date)};
  FUZZ_CHECK(
      day.ok() && day.year() >= std::chrono::year{1601} && day.year() <= std::chrono::year{9999},
      context);
  const std::string formatted = FormatRfc1123(*date);
  FUZZ_CHECK(ParseCookieDate(formatted) == date,
             context + " is " + formatted + ", read back " +
                 (ParseCookieDate(formatted) ? FormatRfc1123(*ParseCookieDate(formatted))
                                             : std::string("nothing")));
}

void CheckParsedSetCookie(std::string_view line) {
  SetCookieOutcome rejection = SetCookieOutcome::kStored;
  const std::optional<ParsedSetCookie> parsed = ParseSetCookie(line, &rejection);
  const std::string context = "ParseSetCookie(\"" + Printable(line) + "\")";
  if (!parsed) {
    FUZZ_CHECK(rejection != SetCookieOutcome::kStored, context + ": no reason given");
    return;
  }
  FUZZ_CHECK(!parsed->name.empty(), context);
  FUZZ_CHECK(!HasControlOtherThanTab(parsed->name) && !HasControlOtherThanTab(parsed->value),
             context);
  FUZZ_CHECK(parsed->name.size() + parsed->value.size() <= 4096, context);
  if (parsed->path) FUZZ_CHECK(parsed->path->empty() || parsed->path->front() == '/', context);
}

}  // namespace
}  // namespace switchboard

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace switchboard;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (input.empty()) return 0;
  const auto selector = static_cast<uint8_t>(input.front());
  input.remove_prefix(1);
  const RequestUrl& request_url = kUrls[selector & 3];
  const CookieTransport transport =
      (selector & 4) != 0 ? CookieTransport::kSecure : CookieTransport::kInsecure;
  const CookieSource source = (selector & 8) != 0 ? CookieSource::kNonHttp : CookieSource::kHttp;
  const CookieUrl url{request_url.scheme, request_url.host, request_url.path};

  // The whole input as one value (its line breaks must get it ignored) and as a date.
  CheckParsedSetCookie(input);
  CheckCookieDate(input);

  // Each line as a Set-Cookie value of one response.
  CookieJar jar(CookieJarLimits{4, 16});
  for (size_t begin = 0; begin <= input.size();) {
    const size_t end = std::min(input.find('\n', begin), input.size());
    const std::string_view line = input.substr(begin, end - begin);
    begin = end + 1;
    CheckParsedSetCookie(line);
    CheckCookieDate(line);
    (void)jar.SetCookie(url, line, transport, source, kNow);
  }

  // What the jar would send.
  for (const RequestUrl& target : kUrls) {
    for (CookieTransport send_transport : {CookieTransport::kInsecure, CookieTransport::kSecure}) {
      for (CookieSource send_source : {CookieSource::kHttp, CookieSource::kNonHttp}) {
        const std::string header = jar.CookieHeaderFor(
            CookieUrl{target.scheme, target.host, target.path}, send_transport, send_source, kNow);
        const std::string context = "Cookie \"" + Printable(header) + "\"";
        FUZZ_CHECK(!HasControlOtherThanTab(header), context);
        const Result<std::string> request =
            BuildHandshakeRequest({"/", "example.com", "http://example.com", header});
        FUZZ_CHECK(request.ok(), context + ": request refused");
      }
    }
  }

  for (const Cookie& cookie : jar.AllCookies(kNow)) {
    const std::string context = "stored " + Printable(cookie.name) + "=" + Printable(cookie.value) +
                                " domain " + Printable(cookie.domain) + " path " +
                                Printable(cookie.path);
    FUZZ_CHECK(CanonicalizeHost(cookie.domain) == cookie.domain, context);
    FUZZ_CHECK(!cookie.path.empty() && cookie.path.front() == '/', context);
    FUZZ_CHECK(!HasControlOtherThanTab(cookie.name) && !HasControlOtherThanTab(cookie.value),
               context);
    FUZZ_CHECK(!cookie.expiry || *cookie.expiry <= std::chrono::floor<std::chrono::seconds>(kNow) +
                                                       std::chrono::days{400},
               context);
    FUZZ_CHECK(!cookie.secure_only || transport == CookieTransport::kSecure, context);
    FUZZ_CHECK(!cookie.http_only || source == CookieSource::kHttp, context);
  }
  return 0;
}
