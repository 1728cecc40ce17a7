#include <gtest/gtest.h>

#include "base/ascii.h"
#include "base/base64.h"
#include "base/host_port.h"

namespace switchboard {
namespace {

TEST(AsciiTest, OnlyAToZFold) {
  EXPECT_EQ(AsciiLowercase("Upgrade: TCPConnection/1.0"), "upgrade: tcpconnection/1.0");
  EXPECT_EQ(AsciiLowercase("\xC3\x89T\xC3\x89"), "\xC3\x89t\xC3\x89");  // "ÉTÉ": É stays
  EXPECT_EQ(AsciiLower('@'), '@');
  EXPECT_EQ(AsciiLower('['), '[');
  EXPECT_TRUE(EqualsIgnoringAsciiCase("Access-Control", "access-CONTROL"));
  EXPECT_FALSE(EqualsIgnoringAsciiCase("allow", "allows"));
  EXPECT_FALSE(EqualsIgnoringAsciiCase("\xC3\xA9", "\xC3\x89"));  // é is not É in ASCII
  EXPECT_TRUE(StartsWithIgnoringAsciiCase("Max-Age=3", "max-age"));
  EXPECT_FALSE(StartsWithIgnoringAsciiCase("Max", "max-age"));
}

TEST(HostPortTest, IPv6LiteralsInBrackets) {
  EXPECT_EQ(BracketedHost("::1"), "[::1]");
  EXPECT_EQ(BracketedHost("127.0.0.1"), "127.0.0.1");
  EXPECT_EQ(BracketedHost("xn--caf-dma.example"), "xn--caf-dma.example");
  EXPECT_EQ(HostPort("::1", 80), "[::1]:80");
  EXPECT_EQ(HostPort("example.com", 8080), "example.com:8080");
  EXPECT_EQ(StripIpv6Brackets("[::1]"), "::1");
  EXPECT_EQ(StripIpv6Brackets("example.com"), "example.com");
  EXPECT_EQ(StripIpv6Brackets("[]"), "[]");  // not a literal: left alone
}

// RFC 4648 §10's test vectors, and bytes above 0x7F.
TEST(Base64Test, Rfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode(std::string("\xff\xfe\x00\x80", 4)), "//4AgA==");
}

}  // namespace
}  // namespace switchboard
