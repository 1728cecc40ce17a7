// Fuzz target: the URL Standard's parser (net/whatwg_url.h) — WhatwgUrl::Parse() and the host
// parser below it.
//
// Input: a selector byte, then the input. The selector ('0' + n) picks a base URL from kBaseUrls
// (the first choice: no base); for the last choice the base is instead read from the input up
// to its first '\n' (the URL is the rest).
//
// Oracles:
//  - the href of a URL that parses is ASCII with no C0 control or DEL, and has a space only in
//    an opaque path ("data:a b");
//  - parsing the href again, without a base, gives the same href and the same URL record
//    (the serializer and the parser round-trip, opaque paths included);
//  - the serialization without the fragment is a prefix of the href;
//  - an origin serializes as "null" or "scheme://host[:port]" and a tuple origin's scheme is
//    special;
//  - a failure names its validation error;
//  - each of the URL API's setters (§6.1), given the input as a USVString, leaves the base URL
//    one that satisfies the oracles above.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "fuzz/fuzz_check.h"
#include "net/percent_encoding.h"
#include "net/whatwg_url.h"

namespace switchboard {
namespace {

using fuzz::Printable;

constexpr std::array<std::string_view, 8> kBaseUrls = {
    "",
    "http://example.com/dir/page.html?q=1#top",
    "https://u:p@[::1]:8443/a/b/c",
    "file:///C:/dir/file",
    "about:blank",
    "foo://h/a/b",
    "foo:/a/b",
    "http://xn--bcher-kva.example/%C3%A9/",
};

bool IsVisibleAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c > 0x20 && c < 0x7F; });
}

bool IsAsciiWithoutControls(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7F; });
}

void CheckParsedUrl(const WhatwgUrl& url, const std::string& context) {
  const std::string href = url.href();
  FUZZ_CHECK(IsAsciiWithoutControls(href), context + ": href " + Printable(href));
  FUZZ_CHECK(url.has_opaque_path() || IsVisibleAscii(href), context + ": href " + Printable(href));
  FUZZ_CHECK(href.starts_with(url.Serialize(Fragment::kExclude)), context + ": " + href);

  const WhatwgUrlResult again = WhatwgUrl::Parse(href);
  FUZZ_CHECK(again.ok(), context + ": href " + Printable(href) + " does not parse: " +
                             std::string(again.ok() ? "" : again.error().validation_error));
  FUZZ_CHECK(again.value().href() == href,
             context + ": href " + Printable(href) + " parses to " + again.value().href());
  FUZZ_CHECK(again.value() == url, context + ": href " + Printable(href) + " is another URL");

  const UrlOrigin origin = url.origin();
  const std::string serialized = origin.Serialize();
  FUZZ_CHECK(origin.opaque == (serialized == "null"), context + ": origin " + serialized);
  FUZZ_CHECK(origin.opaque || (IsSpecialScheme(origin.scheme) && origin.scheme != "file" &&
                               serialized.starts_with(origin.scheme + "://")),
             context + ": origin " + serialized);
}

// The URL API's setters on `url`, each given `value` (as the bindings hand it over: a
// USVString, well-formed UTF-8).
void CheckSetters(const WhatwgUrl& url, std::string_view value, const std::string& context) {
  const std::string usv = ToWellFormedUtf8(value);
  using Setter = void (WhatwgUrl::*)(std::string_view);
  static constexpr std::pair<std::string_view, Setter> kSetters[] = {
      {"protocol", &WhatwgUrl::set_protocol}, {"username", &WhatwgUrl::set_username},
      {"password", &WhatwgUrl::set_password}, {"host", &WhatwgUrl::set_host},
      {"hostname", &WhatwgUrl::set_hostname}, {"port", &WhatwgUrl::set_port},
      {"pathname", &WhatwgUrl::set_pathname}, {"search", &WhatwgUrl::set_search},
      {"hash", &WhatwgUrl::set_hash}};
  for (const auto& [name, setter] : kSetters) {
    WhatwgUrl changed = url;
    (changed.*setter)(usv);
    CheckParsedUrl(changed, context + ", then ." + std::string(name) + " = \"" + Printable(usv) +
                                "\" on " + url.href());
  }
  WhatwgUrl changed = url;
  if (changed.set_href(usv).ok()) {
    CheckParsedUrl(changed, context + ", then .href = \"" + Printable(usv) + "\"");
  } else {
    FUZZ_CHECK(changed == url, context + ": a failed .href = changed the URL");
  }
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
      "WhatwgUrl::Parse(\"" + Printable(input) + "\", \"" + Printable(base) + "\")";

  const WhatwgUrlResult url =
      base.empty() ? WhatwgUrl::Parse(input) : WhatwgUrl::Parse(input, base);
  if (url.ok()) {
    CheckParsedUrl(url.value(), context);
  } else {
    FUZZ_CHECK(!url.error().validation_error.empty(), context);
  }

  if (!base.empty()) {
    if (const WhatwgUrlResult base_url = WhatwgUrl::Parse(base); base_url.ok()) {
      CheckSetters(base_url.value(), input, context);
    }
  }

  // The host parser on the raw bytes, when they are UTF-8 (the URL parser's input always is).
  for (const HostParsing parsing : {HostParsing::kSpecial, HostParsing::kOpaque}) {
    const std::string host_input = url.ok() ? url.value().hostname() : std::string(input);
    if (host_input.empty()) continue;
    const HostResult host = ParseHost(host_input, parsing);
    if (host.ok()) {
      FUZZ_CHECK(IsVisibleAscii(host.value().Serialize()) || host.value().Serialize().empty(),
                 context + ": host " + Printable(host.value().Serialize()));
    }
  }
  return 0;
}
