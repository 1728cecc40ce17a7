#include "net/access_control.h"

#include <algorithm>

#include "base/ascii.h"
#include "net/url.h"

namespace switchboard {
namespace {

// RFC 2616 LWS, after unfolding: spaces and tabs (CR and LF too, should a folded value get here).
bool IsLinearWhiteSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::vector<std::string_view> SplitOnLinearWhiteSpace(std::string_view text) {
  std::vector<std::string_view> tokens;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsLinearWhiteSpace(text[i])) ++i;
    const size_t begin = i;
    while (i < text.size() && !IsLinearWhiteSpace(text[i])) ++i;
    if (i > begin) tokens.push_back(text.substr(begin, i - begin));
  }
  return tokens;
}

// Labels of letters, digits, '-' and '_', none empty; a trailing dot is allowed when
// `trailing_dot` says so.
bool IsHostName(std::string_view name, bool trailing_dot) {
  if (trailing_dot && name.ends_with('.')) name.remove_suffix(1);
  bool label_is_empty = true;
  for (char c : name) {
    const char l = AsciiLower(c);
    if (l == '.') {
      if (label_is_empty) return false;
      label_is_empty = true;
    } else if ((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || l == '-' || l == '_') {
      label_is_empty = false;
    } else {
      return false;
    }
  }
  return !label_is_empty;
}

// §5's domain: a host name or an IP address, in canonical form. Stricter than a URL's host
// (CanonicalizeHost() accepts "b..com" or "*", as browsers do): such a pattern voids its rule.
std::optional<std::string> CanonicalDomain(std::string_view domain) {
  std::optional<std::string> host = CanonicalizeHost(domain);
  if (!host || HostIsIpAddress(*host) || IsHostName(*host, /*trailing_dot=*/true)) return host;
  return std::nullopt;
}

// The suffix of a "*." pattern. A canonical host when it is one; otherwise labels of letters,
// digits, '-' and '_' are still accepted ("*.0.0.1"): such a pattern parses, so it does not
// void its rule, but it can match nothing, since "*." never matches an IP address.
std::optional<std::string> ParseWildcardSuffix(std::string_view suffix) {
  if (std::optional<std::string> host = CanonicalDomain(suffix)) {
    if (host->find(':') != std::string::npos) return std::nullopt;  // "*.[::1]"
    return host;
  }
  if (!IsHostName(suffix, /*trailing_dot=*/false)) return std::nullopt;
  return AsciiLowercase(suffix);
}

}  // namespace

// access-item = [scheme "://"] domain-pattern [":" port-pattern] | "*"
std::optional<AccessControlPattern> AccessControlPattern::Parse(std::string_view access_item) {
  AccessControlPattern pattern;
  if (access_item == "*") {
    pattern.matches_every_origin = true;
    return pattern;
  }

  // 1. [scheme "://"]
  std::string_view rest = access_item;
  if (const size_t separator = rest.find("://"); separator != std::string_view::npos) {
    const std::string_view scheme = rest.substr(0, separator);
    if (!IsValidScheme(scheme)) return std::nullopt;
    std::string lower(scheme);
    for (char& c : lower) c = AsciiLower(c);
    pattern.scheme = std::move(lower);
    rest = rest.substr(separator + 3);
  }

  // 2. domain-pattern: "[v6]", or a name with an optional "*." prefix; then [":" port-pattern].
  std::string_view domain;
  std::string_view after_domain;
  if (!rest.empty() && rest.front() == '[') {
    const size_t close = rest.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    domain = rest.substr(0, close + 1);
    after_domain = rest.substr(close + 1);
  } else {
    const size_t colon = rest.find(':');
    domain = rest.substr(0, colon);
    after_domain = colon == std::string_view::npos ? std::string_view() : rest.substr(colon);
  }
  std::optional<std::string> canonical_domain;
  if (domain.substr(0, 2) == "*.") {
    pattern.strict_subdomains_only = true;
    canonical_domain = ParseWildcardSuffix(domain.substr(2));
  } else {
    canonical_domain = CanonicalDomain(domain);
  }
  if (!canonical_domain) return std::nullopt;
  pattern.domain = std::move(*canonical_domain);

  // 3. port-pattern = port | "*"
  if (!after_domain.empty()) {
    if (after_domain.front() != ':') return std::nullopt;
    const std::string_view port = after_domain.substr(1);
    if (port == "*") {
      pattern.port_pattern = PortPattern::kAny;
    } else if (std::optional<uint16_t> number = ParsePort(port)) {
      pattern.port_pattern = PortPattern::kExact;
      pattern.port = *number;
    } else {
      return std::nullopt;
    }
  }
  return pattern;
}

// Spec §5, matching the document origin against one pattern.
bool AccessControlPattern::Matches(const Origin& origin) const {
  // 1. <*> matches every origin, even an opaque one; nothing else matches an opaque origin.
  if (matches_every_origin) return true;
  if (origin.is_opaque()) return false;

  // 2. An omitted scheme matches any scheme.
  if (scheme && *scheme != origin.scheme()) return false;

  // 3. An omitted port is the default port of the origin's scheme; "*" is any port.
  switch (port_pattern) {
    case PortPattern::kSchemeDefault:
      if (DefaultPortForScheme(origin.scheme()) != origin.port()) return false;
      break;
    case PortPattern::kAny:
      break;
    case PortPattern::kExact:
      if (port != origin.port()) return false;
      break;
  }

  // 4. Hosts compare in canonical ASCII form; "*." means strict subdomains, never an IP.
  const std::string host = CanonicalizeHost(origin.host()).value_or(origin.host());
  if (!strict_subdomains_only) return host == domain;
  if (HostIsIpAddress(host)) return false;
  return host.size() > domain.size() + 1 && host.ends_with(domain) &&
         host[host.size() - domain.size() - 1] == '.';
}

// rule = "allow" 1*(LWS pattern) [LWS "exclude" 1*(LWS pattern)]
std::optional<AccessControlRule> AccessControlRule::Parse(std::string_view rule_text) {
  const std::vector<std::string_view> tokens = SplitOnLinearWhiteSpace(rule_text);
  if (tokens.empty() || !EqualsIgnoringAsciiCase(tokens.front(), "allow")) return std::nullopt;

  AccessControlRule rule;
  std::vector<AccessControlPattern>* patterns = &rule.allow;
  for (size_t i = 1; i < tokens.size(); ++i) {
    const std::string_view token = tokens[i];
    if (EqualsIgnoringAsciiCase(token, "exclude")) {
      // Only once, and only after at least one allow pattern.
      if (patterns != &rule.allow || rule.allow.empty()) return std::nullopt;
      patterns = &rule.exclude;
      continue;
    }
    // pattern = "<" access-item ">", one per LWS-separated token ("<a><b>" is not two).
    if (token.size() < 3 || token.front() != '<' || token.back() != '>') return std::nullopt;
    const std::string_view access_item = token.substr(1, token.size() - 2);
    if (access_item.find_first_of("<>") != std::string_view::npos) return std::nullopt;
    std::optional<AccessControlPattern> pattern = AccessControlPattern::Parse(access_item);
    if (!pattern) return std::nullopt;
    patterns->push_back(std::move(*pattern));
  }
  if (rule.allow.empty()) return std::nullopt;
  if (patterns == &rule.exclude && rule.exclude.empty()) return std::nullopt;
  return rule;
}

bool AccessControlRule::Allows(const Origin& origin) const {
  const auto matches = [&](const AccessControlPattern& pattern) { return pattern.Matches(origin); };
  return std::any_of(allow.begin(), allow.end(), matches) &&
         std::none_of(exclude.begin(), exclude.end(), matches);
}

// Access-Control = "Access-Control" ":" 1#rule, several headers forming one list (§5).
AccessControlList AccessControlList::Parse(const std::vector<std::string>& header_values) {
  AccessControlList list;
  for (const std::string& value : header_values) {
    std::string_view remaining = value;
    while (true) {
      // No rule contains a comma, so the list splits on every comma. Empty elements are
      // allowed by the #rule list syntax and skipped.
      const size_t comma = remaining.find(',');
      const std::string_view element = remaining.substr(0, comma);
      if (std::any_of(element.begin(), element.end(),
                      [](char c) { return !IsLinearWhiteSpace(c); })) {
        if (std::optional<AccessControlRule> rule = AccessControlRule::Parse(element)) {
          list.rules_.push_back(std::move(*rule));
        }
      }
      if (comma == std::string_view::npos) break;
      remaining.remove_prefix(comma + 1);
    }
  }
  return list;
}

bool AccessControlList::Allows(const Origin& document_origin) const {
  return std::any_of(rules_.begin(), rules_.end(),
                     [&](const AccessControlRule& rule) { return rule.Allows(document_origin); });
}

bool AccessControlAllows(const std::vector<std::string>& header_values,
                         const Origin& document_origin) {
  return AccessControlList::Parse(header_values).Allows(document_origin);
}

}  // namespace switchboard
