// AccessControlList: the `Access-Control` response header of spec §5 (W3C "Access Control for
// Cross-site Requests", February 2008 draft), parsed and matched against a document origin.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/origin.h"

namespace switchboard {

// One `<access-item>` of spec §5.
struct AccessControlPattern {
  enum class PortPattern {
    kSchemeDefault,  // port omitted: the default port of the origin's scheme (80/443)
    kAny,            // ":*"
    kExact,          // ":8080"
  };

  bool matches_every_origin = false;    // "<*>", the only pattern that matches an opaque origin
  std::optional<std::string> scheme;    // lower case; nullopt matches any scheme
  std::string domain;                   // canonical ASCII host (see CanonicalizeHost()); for a
                                        // "*." pattern, the part after "*."
  bool strict_subdomains_only = false;  // "*." prefix: never the domain itself, never an IP
  PortPattern port_pattern = PortPattern::kSchemeDefault;
  uint16_t port = 0;  // for kExact

  // Parses the text between '<' and '>'; nullopt if it is not an access-item.
  static std::optional<AccessControlPattern> Parse(std::string_view access_item);
  // §5's matching rules for one pattern.
  bool Matches(const Origin& origin) const;
};

// `"allow" 1*(LWS pattern) [LWS "exclude" 1*(LWS pattern)]`.
struct AccessControlRule {
  std::vector<AccessControlPattern> allow;
  std::vector<AccessControlPattern> exclude;

  // Parses one list element; nullopt if it does not match the grammar (the rule is then
  // ignored as a whole, §5). The keywords are case-insensitive (RFC 2616 §2.1 literals).
  static std::optional<AccessControlRule> Parse(std::string_view rule_text);
  // Some allow pattern matches and no exclude pattern of this rule does.
  bool Allows(const Origin& origin) const;
};

// AccessControlList — an immutable value built from the `Access-Control` header values of one
// response; pure, no threads or callbacks involved.
//
// Spec §5: the values of several `Access-Control` headers are one comma-separated list of
// rules; rules that do not parse are dropped; the origin is allowed when any remaining rule
// allows it.
class AccessControlList {
 public:
  static AccessControlList Parse(const std::vector<std::string>& header_values);

  bool Allows(const Origin& document_origin) const;
  const std::vector<AccessControlRule>& rules() const { return rules_; }

 private:
  std::vector<AccessControlRule> rules_;
};

// Spec §5 in one call: whether `Access-Control` headers with these values allow a document of
// `document_origin` to connect.
bool AccessControlAllows(const std::vector<std::string>& header_values,
                         const Origin& document_origin);

}  // namespace switchboard
