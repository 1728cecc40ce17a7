// Tests of the Set-Cookie parser: RFC 6265 §5.2 (with RFC 6265bis's control-byte and size
// limits) and §5.1.1's cookie dates.
#include "net/set_cookie_parser.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard {
namespace {

using std::chrono::seconds;

CookieExpiry UnixTime(int64_t seconds_since_epoch) {
  return CookieExpiry(seconds(seconds_since_epoch));
}

ParsedSetCookie ParseOk(std::string_view set_cookie) {
  std::optional<ParsedSetCookie> parsed = ParseSetCookie(set_cookie);
  EXPECT_TRUE(parsed.has_value()) << set_cookie;
  return parsed.value_or(ParsedSetCookie{});
}

std::optional<SetCookieOutcome> ParseRejection(std::string_view set_cookie) {
  SetCookieOutcome rejection = SetCookieOutcome::kStored;
  if (ParseSetCookie(set_cookie, &rejection)) return std::nullopt;
  return rejection;
}

// --- RFC 6265 §5.2: parsing Set-Cookie ----------------------------------------------------------

TEST(ParseSetCookieTest, NameAndValue) {
  const ParsedSetCookie cookie = ParseOk("SID=31d4d96e407aad42");
  EXPECT_EQ(cookie.name, "SID");
  EXPECT_EQ(cookie.value, "31d4d96e407aad42");
  EXPECT_FALSE(cookie.expires || cookie.max_age || cookie.domain || cookie.path);
  EXPECT_FALSE(cookie.secure);
  EXPECT_FALSE(cookie.http_only);
  EXPECT_EQ(cookie.same_site, SameSite::kUnspecified);
}

TEST(ParseSetCookieTest, Rfc6265Section3Examples) {
  ParsedSetCookie cookie = ParseOk("SID=31d4d96e407aad42; Path=/; Domain=example.com");
  EXPECT_EQ(cookie.path, "/");
  EXPECT_EQ(cookie.domain, "example.com");
  cookie = ParseOk("SID=31d4d96e407aad42; Path=/; Secure; HttpOnly");
  EXPECT_TRUE(cookie.secure);
  EXPECT_TRUE(cookie.http_only);
  cookie = ParseOk("lang=en-US; Expires=Wed, 09 Jun 2021 10:18:14 GMT");
  EXPECT_EQ(cookie.expires, UnixTime(1623233894));
  cookie = ParseOk("lang=; Expires=Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(cookie.value, "");
  EXPECT_EQ(cookie.expires, UnixTime(784111777));
}

TEST(ParseSetCookieTest, WhiteSpaceAroundNameValueAndAttributesIsRemoved) {
  const ParsedSetCookie cookie = ParseOk(" \t name \t= \t va lue \t;  Path \t=\t /x  ;\tSecure ");
  EXPECT_EQ(cookie.name, "name");
  EXPECT_EQ(cookie.value, "va lue");
  EXPECT_EQ(cookie.path, "/x");
  EXPECT_TRUE(cookie.secure);
}

TEST(ParseSetCookieTest, ValueKeepsEverythingAfterTheFirstEquals) {
  const ParsedSetCookie cookie = ParseOk("a=b=c==; Path=/p=q");
  EXPECT_EQ(cookie.name, "a");
  EXPECT_EQ(cookie.value, "b=c==");
  EXPECT_EQ(cookie.path, "/p=q");
}

TEST(ParseSetCookieTest, EmptyValueIsAllowed) {
  EXPECT_EQ(ParseOk("a=").value, "");
  EXPECT_EQ(ParseOk("a=; Path=/").value, "");
}

TEST(ParseSetCookieTest, NoEqualsOrEmptyNameIsIgnored) {
  EXPECT_EQ(ParseRejection("nameonly"), SetCookieOutcome::kIgnoredSyntax);
  EXPECT_EQ(ParseRejection("nameonly; a=b"), SetCookieOutcome::kIgnoredSyntax);
  EXPECT_EQ(ParseRejection("=value"), SetCookieOutcome::kIgnoredSyntax);
  EXPECT_EQ(ParseRejection(" \t =value"), SetCookieOutcome::kIgnoredSyntax);
  EXPECT_EQ(ParseRejection(""), SetCookieOutcome::kIgnoredSyntax);
  EXPECT_EQ(ParseRejection(";a=b"), SetCookieOutcome::kIgnoredSyntax);
}

TEST(ParseSetCookieTest, AttributeNamesAreCaseInsensitive) {
  const ParsedSetCookie cookie =
      ParseOk("a=b; pAtH=/p; SECURE; httponly; DoMaIn=Example.COM; max-AGE=10; SameSite=LAX");
  EXPECT_EQ(cookie.path, "/p");
  EXPECT_TRUE(cookie.secure);
  EXPECT_TRUE(cookie.http_only);
  EXPECT_EQ(cookie.domain, "example.com");
  EXPECT_EQ(cookie.max_age, 10);
  EXPECT_EQ(cookie.same_site, SameSite::kLax);
}

TEST(ParseSetCookieTest, UnknownAttributesAndEmptyAttributesAreIgnored) {
  const ParsedSetCookie cookie =
      ParseOk("a=b;;; Comment=x; Priority=High; Partitioned; =; Path=/k");
  EXPECT_EQ(cookie.value, "b");
  EXPECT_EQ(cookie.path, "/k");
  EXPECT_FALSE(cookie.secure);
}

TEST(ParseSetCookieTest, SecureAndHttpOnlyIgnoreTheirValues) {
  const ParsedSetCookie cookie = ParseOk("a=b; Secure=no; HttpOnly=false");
  EXPECT_TRUE(cookie.secure);
  EXPECT_TRUE(cookie.http_only);
}

TEST(ParseSetCookieTest, TheLastPathWinsAndABadPathMeansDefaultPath) {
  EXPECT_EQ(ParseOk("a=b; Path=/a; Path=/b").path, "/b");
  // §5.2.4: a value not starting with "/" is the default-path, and it is the last Path.
  EXPECT_EQ(ParseOk("a=b; Path=/a; Path=relative").path, "");
  EXPECT_EQ(ParseOk("a=b; Path=/a; Path=").path, "");
  EXPECT_EQ(ParseOk("a=b; Path").path, "");
}

TEST(ParseSetCookieTest, DomainLosesItsLeadingDotAndCaseAndEmptyDomainIsIgnored) {
  EXPECT_EQ(ParseOk("a=b; Domain=.Example.COM").domain, "example.com");
  EXPECT_EQ(ParseOk("a=b; Domain=example.com; Domain=").domain, "example.com");
  EXPECT_FALSE(ParseOk("a=b; Domain=").domain.has_value());
  EXPECT_EQ(ParseOk("a=b; Domain=a.com; Domain=b.com").domain, "b.com");
}

TEST(ParseSetCookieTest, MaxAgeSyntax) {
  EXPECT_EQ(ParseOk("a=b; Max-Age=0").max_age, 0);
  EXPECT_EQ(ParseOk("a=b; Max-Age=-5").max_age, -5);
  EXPECT_EQ(ParseOk("a=b; Max-Age=007").max_age, 7);
  for (std::string_view bad : {"", "-", "+5", "abc", "1x", "1.5", " ", "--1", "1-"}) {
    EXPECT_FALSE(ParseOk("a=b; Max-Age=" + std::string(bad)).max_age.has_value()) << bad;
  }
  // An invalid Max-Age leaves an earlier valid one in place.
  EXPECT_EQ(ParseOk("a=b; Max-Age=5; Max-Age=x").max_age, 5);
  // Huge values saturate instead of overflowing.
  EXPECT_GT(ParseOk("a=b; Max-Age=" + std::string(400, '9')).max_age.value_or(0), int64_t{1} << 40);
  EXPECT_LT(ParseOk("a=b; Max-Age=-" + std::string(400, '9')).max_age.value_or(0),
            -(int64_t{1} << 40));
}

TEST(ParseSetCookieTest, InvalidExpiresIsIgnored) {
  EXPECT_FALSE(ParseOk("a=b; Expires=tomorrow").expires.has_value());
  EXPECT_EQ(ParseOk("a=b; Expires=Sun, 06 Nov 1994 08:49:37 GMT; Expires=soon").expires,
            UnixTime(784111777));
}

TEST(ParseSetCookieTest, SameSiteValues) {
  EXPECT_EQ(ParseOk("a=b; SameSite=Strict").same_site, SameSite::kStrict);
  EXPECT_EQ(ParseOk("a=b; samesite=lax").same_site, SameSite::kLax);
  EXPECT_EQ(ParseOk("a=b; SameSite=NONE").same_site, SameSite::kNone);
  EXPECT_EQ(ParseOk("a=b; SameSite=bogus").same_site, SameSite::kUnspecified);
  EXPECT_EQ(ParseOk("a=b; SameSite").same_site, SameSite::kUnspecified);
  EXPECT_EQ(ParseOk("a=b; SameSite=Strict; SameSite=x").same_site, SameSite::kUnspecified);
}

TEST(ParseSetCookieTest, NameAndValueTogetherAtMost4096Bytes) {
  const std::string name(96, 'n');
  EXPECT_TRUE(ParseSetCookie(name + "=" + std::string(4000, 'v')).has_value());
  EXPECT_EQ(ParseRejection(name + "=" + std::string(4001, 'v')),
            SetCookieOutcome::kIgnoredTooLarge);
  EXPECT_EQ(ParseRejection(std::string(4097, 'n') + "="), SetCookieOutcome::kIgnoredTooLarge);
  // Surrounding white space does not count.
  EXPECT_TRUE(ParseSetCookie(name + " = " + std::string(4000, 'v') + "   ").has_value());
}

TEST(ParseSetCookieTest, AttributeValuesOver1024BytesAreIgnored) {
  const std::string long_path = "/" + std::string(1024, 'p');
  EXPECT_EQ(ParseOk("a=b; Path=/short; Path=" + long_path).path, "/short");
  EXPECT_EQ(ParseOk("a=b; Path=" + long_path.substr(0, 1024)).path, long_path.substr(0, 1024));
  EXPECT_FALSE(ParseOk("a=b; Domain=" + std::string(1025, 'd')).domain.has_value());
}

TEST(ParseSetCookieTest, ControlCharactersOtherThanTabIgnoreTheCookie) {
  for (int byte = 0; byte < 0x80; ++byte) {
    const bool control = (byte < 0x20 && byte != '\t') || byte == 0x7F;
    const std::string c(1, static_cast<char>(byte));
    for (const std::string& input :
         {"na" + c + "me=value", "name=va" + c + "lue", "name=value; Path=/a" + c + "b",
          "name=value; Fo" + c + "o=bar"}) {
      if (control) {
        EXPECT_EQ(ParseRejection(input), SetCookieOutcome::kIgnoredControlCharacter) << byte;
      } else if (byte != ';' && byte != '=') {
        EXPECT_FALSE(ParseRejection(input).has_value()) << byte;
      }
    }
  }
  EXPECT_EQ(ParseOk("a=x\ty").value, "x\ty");
  EXPECT_EQ(ParseRejection("a=b\r\nX-Injected: 1"), SetCookieOutcome::kIgnoredControlCharacter);
  EXPECT_EQ(ParseRejection(std::string("a=b\0c", 5)), SetCookieOutcome::kIgnoredControlCharacter);
}

TEST(ParseSetCookieTest, BytesAboveAsciiAreKeptAsTheyAre) {
  const ParsedSetCookie cookie = ParseOk("caf\xC3\xA9=\xFF\xFE\xC3 bad utf-8 \x80");
  EXPECT_EQ(cookie.name, "caf\xC3\xA9");
  EXPECT_EQ(cookie.value, "\xFF\xFE\xC3 bad utf-8 \x80");
}

TEST(ParseSetCookieTest, HugeInputIsParsedInLinearTime) {
  std::string many_attributes = "a=b";
  for (int i = 0; i < 200000; ++i) many_attributes += "; x";
  many_attributes += "; Path=/end";
  EXPECT_EQ(ParseOk(many_attributes).path, "/end");
  EXPECT_EQ(ParseRejection(std::string(8 * 1024 * 1024, 'a') + "=b"),
            SetCookieOutcome::kIgnoredTooLarge);
  EXPECT_TRUE(ParseSetCookie("a=b" + std::string(1 << 20, ';')).has_value());
}

// --- RFC 6265 §5.1.1: dates ----------------------------------------------------------------------

TEST(CookieDateTest, TheThreeHttpDateFormats) {
  EXPECT_EQ(ParseCookieDate("Sun, 06 Nov 1994 08:49:37 GMT"), UnixTime(784111777));   // RFC 1123
  EXPECT_EQ(ParseCookieDate("Sunday, 06-Nov-94 08:49:37 GMT"), UnixTime(784111777));  // RFC 850
  EXPECT_EQ(ParseCookieDate("Sun Nov  6 08:49:37 1994"), UnixTime(784111777));        // asctime
}

TEST(CookieDateTest, TokensMayComeInAnyOrderWithAnyDelimiters) {
  EXPECT_EQ(ParseCookieDate("1994 Nov 06 08:49:37"), UnixTime(784111777));
  EXPECT_EQ(ParseCookieDate("08:49:37 06 nOvEmBeR 1994"), UnixTime(784111777));
  EXPECT_EQ(ParseCookieDate("Sun,06-Nov-1994/08:49:37+GMT"), UnixTime(784111777));
  EXPECT_EQ(ParseCookieDate("!!06!!Nov!!1994!!08:49:37!!"), UnixTime(784111777));
  // Trailing non-digits after a number are allowed ("6th").
  EXPECT_EQ(ParseCookieDate("6th Nov 1994 08:49:37xyz"), UnixTime(784111777));
  // The first token that matches a production wins; a later one is tried against the rest.
  EXPECT_EQ(ParseCookieDate("Nov 06 1994 08:49:37 Dec 07"), UnixTime(784111777));
}

TEST(CookieDateTest, SingleDigitTimeFields) {
  EXPECT_EQ(ParseCookieDate("6 Nov 1994 8:9:7"), UnixTime(784111777 - 49 * 60 - 37 + 9 * 60 + 7));
}

TEST(CookieDateTest, TwoDigitYears) {
  EXPECT_EQ(ParseCookieDate("01 Jan 70 00:00:00"), UnixTime(0));
  EXPECT_EQ(ParseCookieDate("01 Jan 69 00:00:00"), UnixTime(3124224000));
  EXPECT_EQ(ParseCookieDate("06 Nov 94 08:49:37"), UnixTime(784111777));
  EXPECT_EQ(ParseCookieDate("01 Jan 00 00:00:00"), ParseCookieDate("01 Jan 2000 00:00:00"));
}

TEST(CookieDateTest, RangeLimits) {
  EXPECT_EQ(ParseCookieDate("01 Jan 1601 00:00:00"), UnixTime(-11644473600));
  EXPECT_EQ(ParseCookieDate("31 Dec 9999 23:59:59"), UnixTime(253402300799));
  EXPECT_EQ(ParseCookieDate("29 Feb 2024 00:00:00"), UnixTime(1709164800));
  for (std::string_view bad : {
           "01 Jan 1600 00:00:00",  // before 1601
           "00 Jan 2000 00:00:00",  // day 0
           "32 Jan 2000 00:00:00",  // day 32
           "30 Feb 2024 00:00:00",  // no such date
           "29 Feb 2023 00:00:00",  // not a leap year
           "31 Apr 2024 00:00:00",  // April has 30 days
           "01 Jan 2000 24:00:00",  // hour 24
           "01 Jan 2000 00:60:00",  // minute 60
           "01 Jan 2000 00:00:60",  // leap seconds are not dates
       }) {
    EXPECT_FALSE(ParseCookieDate(bad).has_value()) << bad;
  }
}

TEST(CookieDateTest, MissingPartsFail) {
  for (std::string_view bad :
       {"", "   ", "Sun, 06 Nov 1994", "Nov 1994 08:49:37", "06 1994 08:49:37", "06 Nov 08:49:37",
        "tomorrow", "0", "06 Nov 1994 08:49", "06 Nov 1994 008:49:37 12345"}) {
    EXPECT_FALSE(ParseCookieDate(bad).has_value()) << bad;
  }
  // Five-digit years are not years.
  EXPECT_FALSE(ParseCookieDate("06 Nov 19940 08:49:37").has_value());
}

TEST(CookieDateTest, HugeInputDoesNotHang) {
  std::string date(1 << 20, ',');
  date += "06 Nov 1994 08:49:37";
  EXPECT_EQ(ParseCookieDate(date), UnixTime(784111777));
  EXPECT_FALSE(ParseCookieDate(std::string(1 << 20, '9')).has_value());
}

}  // namespace
}  // namespace switchboard
