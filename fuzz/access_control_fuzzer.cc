// Fuzz target: AccessControlList / AccessControlRule / AccessControlPattern, spec §5.
//
// Input: text lines. The first line is the document origin as Origin::Serialize() writes it
// ("http://example.com", "https://[::1]:8443"; anything that does not parse is an opaque
// origin); every further line is the value of one Access-Control header.
//
// Oracles (besides never crashing):
//  - `<*>` allows every origin, opaque or not, whatever other rules say;
//  - adding an `exclude` to the last rule never widens what is allowed; an `exclude <*>` makes a
//    rule allow nothing;
//  - more headers never allow less; several headers are one list (joined with commas, same
//    answer); keywords, schemes and hosts are case-insensitive (upper-casing the ASCII letters
//    of the headers changes nothing);
//  - an opaque origin is allowed exactly when some rule allows `<*>` without excluding it;
//  - every parsed pattern, written back as an access-item, parses to the same pattern, and a
//    pattern without "*." matches the origin it names.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/host_port.h"
#include "fuzz/fuzz_check.h"
#include "net/access_control.h"
#include "net/url.h"

namespace switchboard {
namespace {

using fuzz::Printable;

std::string DescribeInput(const Origin& origin, const std::vector<std::string>& values) {
  std::string description = "origin " + origin.Serialize() + ", headers:";
  for (const std::string& value : values) description += " \"" + Printable(value) + "\"";
  return description;
}

bool operator==(const AccessControlPattern& a, const AccessControlPattern& b) {
  return a.matches_every_origin == b.matches_every_origin && a.scheme == b.scheme &&
         a.domain == b.domain && a.strict_subdomains_only == b.strict_subdomains_only &&
         a.port_pattern == b.port_pattern && a.port == b.port;
}

// The access-item (between '<' and '>') that a pattern was parsed from, in canonical form.
std::string Serialize(const AccessControlPattern& pattern) {
  if (pattern.matches_every_origin) return "*";
  std::string item;
  if (pattern.scheme) item += *pattern.scheme + "://";
  if (pattern.strict_subdomains_only) item += "*.";
  item += BracketedHost(pattern.domain);
  switch (pattern.port_pattern) {
    case AccessControlPattern::PortPattern::kSchemeDefault:
      break;
    case AccessControlPattern::PortPattern::kAny:
      item += ":*";
      break;
    case AccessControlPattern::PortPattern::kExact:
      item += ":" + std::to_string(pattern.port);
      break;
  }
  return item;
}

void CheckPattern(const AccessControlPattern& pattern, const std::string& context) {
  const std::string item = Serialize(pattern);
  const std::optional<AccessControlPattern> reparsed = AccessControlPattern::Parse(item);
  FUZZ_CHECK(reparsed && *reparsed == pattern, context + ": pattern <" + Printable(item) + ">");
  if (pattern.matches_every_origin || pattern.strict_subdomains_only) return;

  // The origin the pattern names is matched.
  const std::string scheme = pattern.scheme.value_or("http");
  uint16_t port = 1234;
  if (pattern.port_pattern == AccessControlPattern::PortPattern::kExact) port = pattern.port;
  if (pattern.port_pattern == AccessControlPattern::PortPattern::kSchemeDefault) {
    const std::optional<uint16_t> default_port = DefaultPortForScheme(scheme);
    if (!default_port) return;  // e.g. <ftp://host>: no default port, matches nothing
    port = *default_port;
  }
  FUZZ_CHECK(pattern.Matches(Origin::Tuple(scheme, pattern.domain, port)),
             context + ": pattern <" + Printable(item) + "> does not match its own origin");
}

std::string AsciiUppercase(std::string_view text) {
  std::string upper(text);
  for (char& c : upper) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  return upper;
}

// The patterns an added `exclude` tries: everything, and the document origin in several forms.
std::vector<std::string> ExcludeItems(const Origin& origin) {
  std::vector<std::string> items = {"*"};
  if (origin.is_opaque()) return items;
  const std::string host = BracketedHost(origin.host());
  items.push_back(host);
  items.push_back(host + ":*");
  items.push_back(host + ":" + std::to_string(origin.port()));
  items.push_back(origin.scheme() + "://" + host + ":" + std::to_string(origin.port()));
  if (const size_t dot = origin.host().find('.'); dot != std::string::npos) {
    items.push_back("*." + origin.host().substr(dot + 1) + ":*");
  }
  return items;
}

}  // namespace
}  // namespace switchboard

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace switchboard;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t first_line_end = std::min(input.find('\n'), input.size());
  const Origin origin = Origin::Parse(input.substr(0, first_line_end)).value_or(Origin::Opaque());
  std::vector<std::string> values;
  for (size_t begin = first_line_end + 1; begin <= input.size();) {
    const size_t end = std::min(input.find('\n', begin), input.size());
    values.emplace_back(input.substr(begin, end - begin));
    begin = end + 1;
  }
  const std::string context = DescribeInput(origin, values);

  const AccessControlList list = AccessControlList::Parse(values);
  const bool allowed = list.Allows(origin);
  FUZZ_CHECK(AccessControlAllows(values, origin) == allowed, context);

  // <*> allows everyone, before or after any other rules.
  for (const Origin& anyone : {origin, Origin::Opaque()}) {
    std::vector<std::string> with_star = values;
    with_star.push_back("allow <*>");
    FUZZ_CHECK(AccessControlAllows(with_star, anyone), context + ": <*> after");
    with_star.insert(with_star.begin(), "ALLOW <*>");
    with_star.pop_back();
    FUZZ_CHECK(AccessControlAllows(with_star, anyone), context + ": <*> before");
  }

  // An added exclude never widens.
  if (!values.empty()) {
    for (const std::string& item : ExcludeItems(origin)) {
      std::vector<std::string> narrowed = values;
      narrowed.back() += " exclude <" + item + ">";
      FUZZ_CHECK(!AccessControlAllows(narrowed, origin) || allowed,
                 context + ": exclude <" + Printable(item) + "> widened");
    }
  }
  for (const AccessControlRule& rule : list.rules()) {
    AccessControlRule excluding_all = rule;
    excluding_all.exclude.push_back(*AccessControlPattern::Parse("*"));
    FUZZ_CHECK(!excluding_all.Allows(origin), context + ": exclude <*>");
  }

  // More headers never allow less; separate headers are one comma-separated list.
  bool allowed_so_far = false;
  std::string joined;
  for (size_t count = 1; count <= values.size(); ++count) {
    const std::vector<std::string> prefix(values.begin(), values.begin() + count);
    const bool prefix_allowed = AccessControlAllows(prefix, origin);
    FUZZ_CHECK(prefix_allowed || !allowed_so_far, context + ": a header narrowed the list");
    allowed_so_far = prefix_allowed;
    if (count > 1) joined += ",";
    joined += values[count - 1];
  }
  FUZZ_CHECK(allowed_so_far == allowed, context);
  FUZZ_CHECK(AccessControlAllows({joined}, origin) == allowed, context + ": joined");

  // Case-insensitive keywords, schemes and hosts.
  std::vector<std::string> upper;
  for (const std::string& value : values) upper.push_back(AsciiUppercase(value));
  FUZZ_CHECK(AccessControlAllows(upper, origin) == allowed, context + ": upper case");

  // Opaque origins: only an unexcluded <*>.
  const bool star_allowed =
      std::any_of(list.rules().begin(), list.rules().end(), [](const AccessControlRule& rule) {
        const auto is_star = [](const AccessControlPattern& p) { return p.matches_every_origin; };
        return std::any_of(rule.allow.begin(), rule.allow.end(), is_star) &&
               std::none_of(rule.exclude.begin(), rule.exclude.end(), is_star);
      });
  FUZZ_CHECK(list.Allows(Origin::Opaque()) == star_allowed, context + ": opaque origin");
  if (origin.is_opaque()) FUZZ_CHECK(allowed == star_allowed, context);

  for (const AccessControlRule& rule : list.rules()) {
    FUZZ_CHECK(!rule.allow.empty(), context + ": a rule without allow patterns");
    for (const AccessControlPattern& pattern : rule.allow) CheckPattern(pattern, context);
    for (const AccessControlPattern& pattern : rule.exclude) CheckPattern(pattern, context);
  }
  return 0;
}
