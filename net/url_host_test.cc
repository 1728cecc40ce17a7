// Tests of the URL Standard's host parser (§3.5) and serializers (§3.6): domains, IPv4 in all
// its number forms, IPv6 with compression and embedded IPv4, opaque hosts.
#include "net/url_host.h"

#include <gtest/gtest.h>

#include <string>

namespace switchboard {
namespace {

// The serialized host, or "FAIL".
std::string Parsed(std::string_view input, HostParsing parsing = HostParsing::kSpecial) {
  const HostResult host = ParseHost(input, parsing);
  return host.ok() ? host.value().Serialize() : "FAIL";
}

TEST(DomainTest, AsciiDomainsAreLowerCased) {
  EXPECT_EQ(Parsed("EXAMPLE.com"), "example.com");
  EXPECT_EQ(ParseHost("example.com", HostParsing::kSpecial).value().kind, Host::Kind::kDomain);
  EXPECT_EQ(Parsed("a_b-.-c"), "a_b-.-c");  // no STD3 rules, no hyphen checks
  EXPECT_EQ(Parsed("example.com."), "example.com.");
}

TEST(DomainTest, AsciiDomainsAreNotPunycodeValidated) {
  // §3.3 step 4: web compatibility keeps ASCII domains whatever Unicode ToASCII says.
  EXPECT_EQ(Parsed("xn--a.example"), "xn--a.example");
  EXPECT_EQ(Parsed("XN--8I7CAA.example"), "xn--8i7caa.example");
}

TEST(DomainTest, UnicodeGoesThroughUts46ToAscii) {
  EXPECT_EQ(Parsed("b\xC3\xBC"
                   "cher.example"),
            "xn--bcher-kva.example");
  EXPECT_EQ(Parsed("\xE2\x98\x95.example"), "xn--53h.example");  // ☕: UTS #46, not IDNA2008
  // Mapping: full-width letters, upper case, the ideographic full stop.
  EXPECT_EQ(Parsed("\xEF\xBC\xA7\xEF\xBD\x8F.com"), "go.com");  // "Ｇｏ.com"
  EXPECT_EQ(Parsed("a\xE3\x80\x82"
                   "b"),
            "a.b");  // "a。b"
  // Nontransitional: ß stays (it is not mapped to "ss").
  EXPECT_EQ(Parsed("fa\xC3\x9F.example"), "xn--fa-hia.example");
  // Percent-encoded UTF-8 is decoded first.
  EXPECT_EQ(Parsed("b%C3%BCcher.example"), "xn--bcher-kva.example");
  EXPECT_EQ(Parsed("%41.com"), "a.com");
}

TEST(DomainTest, ForbiddenCodePointsAndEmptyResultsFail) {
  for (const char* input : {"a b", "a<b", "a>b", "a^b", "a|b", "a%b",
                            "a\x7F"
                            "b",
                            "a\x01"
                            "b",
                            "a%00b", "a%25b", "%20", "a\\b", "a]b"}) {
    EXPECT_EQ(Parsed(input), "FAIL") << input;
  }
  EXPECT_EQ(Parsed("%C3"), "FAIL");           // not UTF-8 once decoded
  EXPECT_EQ(Parsed("\xC2\xAD"), "FAIL");      // U+00AD is ignored by UTS #46: empty result
  EXPECT_EQ(Parsed("\xEF\xBF\xBD"), "FAIL");  // U+FFFD is disallowed
}

TEST(Ipv4Test, NumberForms) {
  EXPECT_EQ(Parsed("192.168.0.1"), "192.168.0.1");
  EXPECT_EQ(Parsed("0xC0.0250.0.1"), "192.168.0.1");  // hex and octal parts
  EXPECT_EQ(Parsed("0XC0.0x.0.01"), "192.0.0.1");     // "0x" alone is 0
  EXPECT_EQ(Parsed("3232235521"), "192.168.0.1");     // one part: 32 bits
  EXPECT_EQ(Parsed("192.11010049"), "192.168.0.1");   // two parts: 8 + 24 bits
  EXPECT_EQ(Parsed("192.168.1"), "192.168.0.1");      // three parts: 8 + 8 + 16 bits
  EXPECT_EQ(Parsed("192.168.257"), "192.168.1.1");
  EXPECT_EQ(Parsed("192.168.257."), "192.168.1.1");  // one trailing dot is allowed
  EXPECT_EQ(Parsed("0x7f000001"), "127.0.0.1");
  EXPECT_EQ(Parsed("4294967295"), "255.255.255.255");
  EXPECT_EQ(Parsed("00000000000000000000000000000000001"), "0.0.0.1");
  EXPECT_EQ(ParseHost("1.2.3.4", HostParsing::kSpecial).value().kind, Host::Kind::kIpv4);
}

TEST(Ipv4Test, OutOfRangeAndMalformedFail) {
  EXPECT_EQ(Parsed("4294967296"), "FAIL");
  EXPECT_EQ(Parsed("256.0.0.1"), "FAIL");
  EXPECT_EQ(Parsed("1.2.3.256"), "FAIL");
  EXPECT_EQ(Parsed("1.2.65536"), "FAIL");
  EXPECT_EQ(Parsed("1.2.3.4.5"), "FAIL");
  EXPECT_EQ(Parsed("09.1"), "FAIL");  // 9 is not an octal digit
  EXPECT_EQ(Parsed("1.2..4"), "FAIL");
  EXPECT_EQ(Parsed("99999999999999999999999"), "FAIL");
  EXPECT_EQ(Parsed("foo.0x"), "FAIL");  // ends in a number, and "foo" is not one
  EXPECT_EQ(Parsed("foo.09"), "FAIL");
}

TEST(Ipv4Test, EndsInANumber) {
  EXPECT_TRUE(EndsInANumber("a.1"));
  EXPECT_TRUE(EndsInANumber("a.1."));
  EXPECT_TRUE(EndsInANumber("a.0x"));
  EXPECT_TRUE(EndsInANumber("a.0XfF"));
  EXPECT_TRUE(EndsInANumber("09"));
  EXPECT_FALSE(EndsInANumber("a.0xg"));
  EXPECT_FALSE(EndsInANumber("1.a"));
  EXPECT_FALSE(EndsInANumber("1.2.3.4x"));
  EXPECT_FALSE(EndsInANumber("example.com"));
  // Not ending in a number, these are domains.
  EXPECT_EQ(Parsed("1.2.3.a"), "1.2.3.a");
  EXPECT_EQ(Parsed("0x1g"), "0x1g");
  EXPECT_EQ(Parsed("1.2.3.4.."), "1.2.3.4..");  // the last part is empty: not a number
}

TEST(Ipv6Test, ParsesAndCompresses) {
  EXPECT_EQ(Parsed("[::1]"), "[::1]");
  EXPECT_EQ(Parsed("[::]"), "[::]");
  EXPECT_EQ(Parsed("[0:0:0:0:0:0:0:1]"), "[::1]");
  EXPECT_EQ(Parsed("[2001:DB8:0:0:1:0:0:1]"), "[2001:db8::1:0:0:1]");  // first longest run
  EXPECT_EQ(Parsed("[2001:db8:0:0:0:1:0:0]"), "[2001:db8::1:0:0]");
  EXPECT_EQ(Parsed("[1:0:1:0:1:0:1:0]"), "[1:0:1:0:1:0:1:0]");  // single zeros stay
  EXPECT_EQ(Parsed("[1::]"), "[1::]");
  EXPECT_EQ(Parsed("[0001:0002::000f]"), "[1:2::f]");
  EXPECT_EQ(ParseHost("[::1]", HostParsing::kOpaque).value().kind, Host::Kind::kIpv6);
}

TEST(Ipv6Test, EmbeddedIpv4) {
  EXPECT_EQ(Parsed("[::127.0.0.1]"), "[::7f00:1]");
  EXPECT_EQ(Parsed("[::ffff:192.168.0.1]"), "[::ffff:c0a8:1]");
  EXPECT_EQ(Parsed("[1:2:3:4:5:6:1.2.3.4]"), "[1:2:3:4:5:6:102:304]");
  EXPECT_EQ(Parsed("[::1.2.3.]"), "FAIL");
  EXPECT_EQ(Parsed("[::1.2.3]"), "FAIL");
  EXPECT_EQ(Parsed("[::1.2.3.4.5]"), "FAIL");
  EXPECT_EQ(Parsed("[::01.2.3.4]"), "FAIL");  // no leading zeros
  EXPECT_EQ(Parsed("[::256.2.3.4]"), "FAIL");
  EXPECT_EQ(Parsed("[1:2:3:4:5:6:7:1.2.3.4]"), "FAIL");
  EXPECT_EQ(Parsed("[::.1.2.3]"), "FAIL");
}

TEST(Ipv6Test, MalformedFails) {
  for (const char* input :
       {"[", "[]", "[:]", "[:1]", "[1:]", "[1:::2]", "[1::2::3]", "[1:2:3:4:5:6:7:8:9]",
        "[1:2:3:4:5:6:7]", "[12345::]", "[g::]", "[::1", "[::1%25eth0]", "[1:2:3:4:5:6:7:8::]"}) {
    EXPECT_EQ(Parsed(input), "FAIL") << input;
  }
}

TEST(OpaqueHostTest, PercentEncodesControlsAndNonAscii) {
  EXPECT_EQ(Parsed("EXAMPLE.com", HostParsing::kOpaque), "EXAMPLE.com");  // case is kept
  EXPECT_EQ(Parsed("b\xC3\xBC"
                   "cher",
                   HostParsing::kOpaque),
            "b%C3%BCcher");
  EXPECT_EQ(Parsed("a%zz", HostParsing::kOpaque), "a%zz");
  EXPECT_EQ(Parsed("1.2.3.4", HostParsing::kOpaque), "1.2.3.4");
  EXPECT_EQ(ParseHost("1.2.3.4", HostParsing::kOpaque).value().kind, Host::Kind::kOpaque);
  EXPECT_EQ(Parsed("a\x01"
                   "b",
                   HostParsing::kOpaque),
            "a%01b");
  for (const char* input : {"a b", "a<b", "a^b", "a|b", "a@b", "a[b"}) {
    EXPECT_EQ(Parsed(input, HostParsing::kOpaque), "FAIL") << input;
  }
}

TEST(HostSerializerTest, Ipv4AndIpv6) {
  EXPECT_EQ(SerializeIpv4(0), "0.0.0.0");
  EXPECT_EQ(SerializeIpv4(0xC0A80001), "192.168.0.1");
  EXPECT_EQ(SerializeIpv6({0, 0, 0, 0, 0, 0, 0, 0}), "::");
  EXPECT_EQ(SerializeIpv6({1, 0, 0, 2, 0, 0, 0, 3}), "1:0:0:2::3");
  EXPECT_EQ(SerializeIpv6({1, 0, 0, 2, 0, 0, 3, 4}), "1::2:0:0:3:4");
  EXPECT_EQ(SerializeIpv6({0xffff, 0, 1, 0, 0, 0, 0, 0}), "ffff:0:1::");
}

}  // namespace
}  // namespace switchboard
