// Tests of the Access-Control header: spec §5 (grammar, matching, rule dropping).
#include "net/access_control.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace switchboard {
namespace {

Origin O(std::string_view serialized) {
  std::optional<Origin> origin = Origin::Parse(serialized);
  EXPECT_TRUE(origin.has_value()) << serialized;
  return origin.value_or(Origin::Opaque());
}

bool Allows(std::string_view header, std::string_view origin) {
  return AccessControlAllows({std::string(header)}, O(origin));
}

// --- §5's example and the seed's cross-domain handshake ----------------------------------------

TEST(AccessControlTest, SpecExamplePageOnExampleComMayUseWww) {
  // A page on http://example.com may use www.example.com when the 101 carries this header.
  EXPECT_TRUE(Allows("allow <example.com>", "http://example.com"));
  EXPECT_FALSE(Allows("allow <example.com>", "http://www.example.com"));
  EXPECT_FALSE(Allows("allow <example.com>", "http://evil.example"));
}

// --- Patterns ---------------------------------------------------------------------------------

TEST(AccessControlTest, StarMatchesEveryOriginIncludingOpaque) {
  EXPECT_TRUE(Allows("allow <*>", "http://example.com"));
  EXPECT_TRUE(Allows("allow <*>", "https://example.com:8443"));
  EXPECT_TRUE(Allows("allow <*>", "http://[::1]:1234"));
  EXPECT_TRUE(Allows("allow <*>", "null"));
}

TEST(AccessControlTest, OpaqueOriginIsMatchedOnlyByStar) {
  for (std::string_view header :
       {"allow <null>", "allow <*.com>", "allow <example.com:*>", "allow <http://*.example>"}) {
    EXPECT_FALSE(Allows(header, "null")) << header;
  }
  EXPECT_FALSE(AccessControlAllows({}, Origin::Opaque()));
  EXPECT_FALSE(Allows("allow <*> exclude <example.com>", "http://example.com"));
  EXPECT_TRUE(Allows("allow <*> exclude <example.com>", "null"));
}

TEST(AccessControlTest, HostsCompareCaseInsensitively) {
  EXPECT_TRUE(Allows("allow <EXAMPLE.com>", "http://example.com"));
  EXPECT_TRUE(Allows("allow <example.com>", "http://EXAMPLE.COM"));
  EXPECT_TRUE(Allows("ALLOW <Example.Com>", "http://example.com"));
}

TEST(AccessControlTest, HostsCompareInPunycode) {
  EXPECT_TRUE(Allows("allow <xn--bcher-kva.example>", "http://xn--bcher-kva.example"));
  EXPECT_TRUE(Allows("allow <bücher.example>", "http://xn--bcher-kva.example"));
  EXPECT_TRUE(Allows("allow <BÜCHER.example>", "http://xn--bcher-kva.example"));
  EXPECT_TRUE(Allows("allow <*.bücher.example>", "http://www.xn--bcher-kva.example"));
}

TEST(AccessControlTest, WildcardMatchesStrictSubdomainsOnly) {
  constexpr std::string_view kHeader = "allow <*.example.com>";
  EXPECT_TRUE(Allows(kHeader, "http://www.example.com"));
  EXPECT_TRUE(Allows(kHeader, "http://a.b.example.com"));
  EXPECT_FALSE(Allows(kHeader, "http://example.com"));
  EXPECT_FALSE(Allows(kHeader, "http://badexample.com"));
  EXPECT_FALSE(Allows(kHeader, "http://example.com.evil"));
  EXPECT_FALSE(Allows(kHeader, "http://wwwexample.com"));
  EXPECT_TRUE(Allows("allow <*.com>", "http://example.com"));
}

TEST(AccessControlTest, WildcardNeverMatchesAnIpAddress) {
  EXPECT_FALSE(Allows("allow <*.1.1>", "http://1.1.1.1"));
  EXPECT_FALSE(Allows("allow <*.0.0.1>", "http://127.0.0.1"));
  EXPECT_FALSE(Allows("allow <*.0.1>", "http://127.0.0.1:80"));
  // Such patterns parse, so they do not void their rule: the other pattern still allows.
  EXPECT_TRUE(Allows("allow <*.0.0.1> <example.com>", "http://example.com"));
  ASSERT_EQ(AccessControlList::Parse({"allow <*.0.0.1>"}).rules().size(), 1u);
}

TEST(AccessControlTest, IpAddressPatterns) {
  EXPECT_TRUE(Allows("allow <127.0.0.1>", "http://127.0.0.1"));
  EXPECT_TRUE(Allows("allow <127.0.0.1:8000>", "http://127.0.0.1:8000"));
  EXPECT_FALSE(Allows("allow <127.0.0.1>", "http://127.0.0.2"));
  EXPECT_FALSE(Allows("allow <127.0.0.1>", "http://127.0.0.1:8000"));
}

TEST(AccessControlTest, Ipv6Patterns) {
  EXPECT_TRUE(Allows("allow <[::1]>", "http://[::1]"));
  EXPECT_TRUE(Allows("allow <[::1]:8080>", "http://[::1]:8080"));
  EXPECT_TRUE(Allows("allow <[0:0:0:0:0:0:0:1]:*>", "https://[::1]:1"));
  EXPECT_TRUE(Allows("allow <http://[2001:DB8::1]>", "http://[2001:db8::1]"));
  EXPECT_FALSE(Allows("allow <[::1]>", "http://[::2]"));
  EXPECT_FALSE(Allows("allow <[::1]>", "http://[::1]:8080"));
  // Malformed IPv6 patterns void their rule.
  EXPECT_FALSE(Allows("allow <[::1> <example.com>", "http://example.com"));
  EXPECT_FALSE(Allows("allow <*.[::1]> <example.com>", "http://example.com"));
  EXPECT_FALSE(Allows("allow <::1> <example.com>", "http://example.com"));
}

TEST(AccessControlTest, OmittedPortIsTheOriginSchemesDefault) {
  EXPECT_TRUE(Allows("allow <example.com>", "http://example.com:80"));
  EXPECT_TRUE(Allows("allow <example.com>", "https://example.com:443"));
  EXPECT_FALSE(Allows("allow <example.com>", "http://example.com:443"));
  EXPECT_FALSE(Allows("allow <example.com>", "https://example.com:80"));
  EXPECT_FALSE(Allows("allow <example.com>", "http://example.com:8080"));
  // Schemes without a default port never match an omitted port.
  EXPECT_FALSE(Allows("allow <example.com>", "foo://example.com:80"));
  EXPECT_TRUE(Allows("allow <example.com:80>", "foo://example.com:80"));
}

TEST(AccessControlTest, ExplicitAndAnyPorts) {
  EXPECT_TRUE(Allows("allow <example.com:8080>", "http://example.com:8080"));
  EXPECT_FALSE(Allows("allow <example.com:8080>", "http://example.com"));
  EXPECT_TRUE(Allows("allow <example.com:80>", "http://example.com"));
  EXPECT_TRUE(Allows("allow <example.com:00080>", "http://example.com"));
  EXPECT_TRUE(Allows("allow <example.com:*>", "http://example.com:1"));
  EXPECT_TRUE(Allows("allow <example.com:*>", "https://example.com"));
  EXPECT_TRUE(Allows("allow <*.example.com:*>", "https://a.example.com:8443"));
}

TEST(AccessControlTest, SchemeQualifiedPatterns) {
  EXPECT_TRUE(Allows("allow <https://example.com>", "https://example.com"));
  EXPECT_FALSE(Allows("allow <https://example.com>", "http://example.com"));
  EXPECT_TRUE(Allows("allow <HTTP://example.com>", "http://example.com"));
  EXPECT_FALSE(Allows("allow <http://example.com>", "http://example.com:443"));
  EXPECT_TRUE(Allows("allow <http://example.com:443>", "http://example.com:443"));
  EXPECT_TRUE(Allows("allow <https://*.example.com:*>", "https://x.example.com:9"));
  EXPECT_FALSE(Allows("allow <https://*.example.com:*>", "http://x.example.com:9"));
}

// --- Rules: allow, exclude, lists ---------------------------------------------------------------

TEST(AccessControlTest, ExcludeWithinTheSameRule) {
  constexpr std::string_view kHeader = "allow <*.example.com> exclude <evil.example.com>";
  EXPECT_TRUE(Allows(kHeader, "http://good.example.com"));
  EXPECT_FALSE(Allows(kHeader, "http://evil.example.com"));
  EXPECT_FALSE(Allows("allow <*.example.com:*> exclude <evil.example.com:*>",
                      "https://evil.example.com:8443"));
  constexpr std::string_view kSeveral =
      "allow <*.example.com> <example.org> exclude <a.example.com> <*.b.example.com>";
  EXPECT_TRUE(Allows(kSeveral, "http://example.org"));
  EXPECT_TRUE(Allows(kSeveral, "http://b.example.com"));
  EXPECT_FALSE(Allows(kSeveral, "http://a.example.com"));
  EXPECT_FALSE(Allows(kSeveral, "http://x.b.example.com"));
}

TEST(AccessControlTest, ExcludeOnlyAppliesToItsOwnRule) {
  // Another rule may still allow what one rule excludes.
  EXPECT_TRUE(Allows("allow <*> exclude <example.com>, allow <example.com>", "http://example.com"));
  EXPECT_FALSE(Allows("allow <*> exclude <example.com>, allow <other.com>", "http://example.com"));
}

TEST(AccessControlTest, SeveralRulesInOneHeader) {
  constexpr std::string_view kHeader = "allow <a.com>, allow <b.com>,allow <c.com:8080>";
  EXPECT_TRUE(Allows(kHeader, "http://a.com"));
  EXPECT_TRUE(Allows(kHeader, "http://b.com"));
  EXPECT_TRUE(Allows(kHeader, "http://c.com:8080"));
  EXPECT_FALSE(Allows(kHeader, "http://d.com"));
  EXPECT_EQ(AccessControlList::Parse({std::string(kHeader)}).rules().size(), 3u);
}

TEST(AccessControlTest, SeveralHeadersAreOneList) {
  const std::vector<std::string> headers = {"allow <a.com>", "allow <b.com>, allow <c.com>"};
  EXPECT_TRUE(AccessControlAllows(headers, O("http://a.com")));
  EXPECT_TRUE(AccessControlAllows(headers, O("http://b.com")));
  EXPECT_TRUE(AccessControlAllows(headers, O("http://c.com")));
  EXPECT_FALSE(AccessControlAllows(headers, O("http://d.com")));
  EXPECT_EQ(AccessControlList::Parse(headers).rules().size(), 3u);
}

TEST(AccessControlTest, EmptyListElementsAreSkipped) {
  EXPECT_TRUE(Allows(", ,allow <a.com>,,", "http://a.com"));
  EXPECT_EQ(AccessControlList::Parse({", ,allow <a.com>,,"}).rules().size(), 1u);
  EXPECT_FALSE(AccessControlAllows({"", " "}, O("http://a.com")));
}

TEST(AccessControlTest, WhitespaceIsLinearWhiteSpace) {
  EXPECT_TRUE(Allows("allow\t<a.com>", "http://a.com"));
  EXPECT_TRUE(Allows("  allow   <b.com>\t <a.com>  ", "http://a.com"));
  EXPECT_TRUE(Allows("allow <b.com>  exclude\t<c.com>", "http://b.com"));
}

TEST(AccessControlTest, MalformedRulesAreIgnoredAsAWhole) {
  // Each of these rules would allow http://a.com if it parsed; none does.
  for (std::string_view bad_rule : {
           "allow",                                          // no pattern
           "allow a.com",                                    // no brackets
           "allow <a.com",                                   // unterminated
           "allow a.com>",                                   // no '<'
           "allow <>",                                       // empty item
           "allow <a.com><b.com>",                           // patterns need LWS between them
           "allow < a.com >",                                // no LWS inside a pattern
           "allow <a.com> exclude",                          // exclude without pattern
           "allow exclude <b.com>",                          // exclude before any allow pattern
           "allow <a.com> exclude <b.com> exclude <c.com>",  // exclude twice
           "allow <a.com> allow <b.com>",                    // allow twice
           "allow <a.com> <b.com:>",                         // empty port
           "allow <a.com> <b.com:65536>",                    // port out of range
           "allow <a.com> <b.com:8x>",                       // bad port
           "allow <a.com> <b.com:**>",                       // bad port pattern
           "allow <a.com> <*>>",                             // stray '>'
           "allow <a.com> <**.b.com>",                       // bad wildcard
           "allow <a.com> <*>x",                             // trailing garbage
           "allow <a.com> <b..com>",                         // empty label
           "allow <a.com> <b com>",                          // space in a pattern
           "allow <a.com> <1http://b.com>",                  // bad scheme
           "allow <a.com> <://b.com>",                       // empty scheme
           "allow <a.com> <http://*>",                       // "*" is not a domain pattern
           "allow <a.com> <*.>",                             // empty wildcard domain
           "allow <a.com> <b/c>",                            // a path
           "allow <a.com> <user@b.com>",                     // userinfo
           "allow <a.com> <1.2.3.4.5>",                      // ends in a number, not IPv4
           "deny <a.com>",                                   // unknown keyword
           "<a.com>",                                        // no keyword
           "allowed <a.com>",                                // not the keyword
           "allow<a.com>",                                   // no LWS after allow
           "allow <a.com> garbage",                          // garbage
       }) {
    EXPECT_FALSE(Allows(bad_rule, "http://a.com")) << bad_rule;
    EXPECT_TRUE(AccessControlList::Parse({std::string(bad_rule)}).rules().empty()) << bad_rule;
  }
}

TEST(AccessControlTest, MalformedRulesNextToGoodOnes) {
  const std::string header = "allow <a.com, allow <b.com>, allow c.com, allow <d.com> exclude";
  EXPECT_FALSE(Allows(header, "http://a.com"));
  EXPECT_TRUE(Allows(header, "http://b.com"));
  EXPECT_FALSE(Allows(header, "http://c.com"));
  EXPECT_FALSE(Allows(header, "http://d.com"));
  EXPECT_EQ(AccessControlList::Parse({header}).rules().size(), 1u);
  // A malformed header next to a good one.
  EXPECT_TRUE(AccessControlAllows({"allow <<<", "allow <b.com>"}, O("http://b.com")));
}

TEST(AccessControlTest, ExcludeKeywordIsCaseInsensitive) {
  EXPECT_FALSE(Allows("Allow <*> EXCLUDE <a.com>", "http://a.com"));
  EXPECT_TRUE(Allows("Allow <*> EXCLUDE <a.com>", "http://b.com"));
}

TEST(AccessControlTest, NoHeaderAllowsNothing) {
  EXPECT_FALSE(AccessControlAllows({}, O("http://a.com")));
}

// --- The parsed structure ----------------------------------------------------------------------

TEST(AccessControlPatternTest, ParsesEveryPart) {
  const std::optional<AccessControlPattern> pattern =
      AccessControlPattern::Parse("HTTPS://*.Example.COM:8443");
  ASSERT_TRUE(pattern.has_value());
  EXPECT_FALSE(pattern->matches_every_origin);
  EXPECT_EQ(pattern->scheme, "https");
  EXPECT_EQ(pattern->domain, "example.com");
  EXPECT_TRUE(pattern->strict_subdomains_only);
  EXPECT_EQ(pattern->port_pattern, AccessControlPattern::PortPattern::kExact);
  EXPECT_EQ(pattern->port, 8443);

  const std::optional<AccessControlPattern> plain = AccessControlPattern::Parse("example.com");
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->scheme, std::nullopt);
  EXPECT_FALSE(plain->strict_subdomains_only);
  EXPECT_EQ(plain->port_pattern, AccessControlPattern::PortPattern::kSchemeDefault);

  EXPECT_TRUE(AccessControlPattern::Parse("*")->matches_every_origin);
  EXPECT_EQ(AccessControlPattern::Parse("a.com:*")->port_pattern,
            AccessControlPattern::PortPattern::kAny);
}

TEST(AccessControlRuleTest, ParsesAllowAndExclude) {
  const std::optional<AccessControlRule> rule =
      AccessControlRule::Parse(" allow <a.com> <b.com> exclude <c.com> ");
  ASSERT_TRUE(rule.has_value());
  EXPECT_EQ(rule->allow.size(), 2u);
  EXPECT_EQ(rule->exclude.size(), 1u);
  EXPECT_FALSE(AccessControlRule::Parse("").has_value());
}

}  // namespace
}  // namespace switchboard
