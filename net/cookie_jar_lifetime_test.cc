// Tests of the cookie jar, how long cookies stay: expiry (RFC 6265 §5.2.1, §5.2.2, §5.3 step 3,
// RFC 6265bis's 400-day cap), replacement and §5.4 order, last access, the §6.1 limits and
// eviction, hostile input and use from two threads. Which cookies the jar takes is tested in
// cookie_jar_test.cc.
#include "net/cookie_jar.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "net/handshake.h"
#include "net/testing/cookie_test_helpers.h"

namespace switchboard {
namespace {

using namespace switchboard::testing;
using std::chrono::days;
using std::chrono::hours;
using std::chrono::seconds;

// --- Expiry
// ------------------------------------------------------------------------------------------

TEST(CookieJarTest, ExpiresMakesAPersistentCookieThatExpires) {
  CookieJar jar;
  ASSERT_EQ(Set(jar, Http("example.com"), "a=1; Expires=Sat, 01 Jun 2024 13:00:00 GMT"),
            SetCookieOutcome::kStored);
  EXPECT_EQ(Find(jar, "a")->expiry, UnixTime(kNowUnix + 3600));
  EXPECT_EQ(Get(jar, Http("example.com"), kNow + seconds(3599)), "a=1");
  EXPECT_EQ(Get(jar, Http("example.com"), kNow + seconds(3600)), "");
  EXPECT_TRUE(jar.AllCookies(kNow).empty());  // evicted, not merely hidden
}

TEST(CookieJarTest, MaxAgeCountsFromNow) {
  CookieJar jar;
  ASSERT_EQ(Set(jar, Http("example.com"), "a=1; Max-Age=60"), SetCookieOutcome::kStored);
  EXPECT_EQ(Find(jar, "a")->expiry, UnixTime(kNowUnix + 60));
  EXPECT_EQ(Get(jar, Http("example.com"), kNow + seconds(59)), "a=1");
  EXPECT_EQ(Get(jar, Http("example.com"), kNow + seconds(60)), "");
}

TEST(CookieJarTest, MaxAgeZeroOrNegativeDeletes) {
  CookieJar jar;
  for (std::string_view deletion :
       {"a=; Max-Age=0", "a=x; Max-Age=-1", "a=; Max-Age=-99999999999"}) {
    ASSERT_EQ(Set(jar, Http("example.com"), "a=1"), SetCookieOutcome::kStored);
    EXPECT_EQ(Set(jar, Http("example.com"), deletion), SetCookieOutcome::kExpiredOnArrival);
    EXPECT_EQ(Get(jar, Http("example.com")), "") << deletion;
  }
  // Deleting needs the same name, domain and path.
  ASSERT_EQ(Set(jar, Http("example.com"), "a=1; Path=/p"), SetCookieOutcome::kStored);
  EXPECT_EQ(Set(jar, Http("example.com"), "a=; Max-Age=0; Path=/"),
            SetCookieOutcome::kExpiredOnArrival);
  EXPECT_EQ(Get(jar, Http("example.com", "/p")), "a=1");
}

TEST(CookieJarTest, MaxAgeWinsOverExpiresWhateverTheOrder) {
  CookieJar jar;
  constexpr std::string_view kPast = "Expires=Sun, 06 Nov 1994 08:49:37 GMT";
  constexpr std::string_view kFuture = "Expires=Sun, 01 Jun 2025 00:00:00 GMT";
  EXPECT_EQ(Set(jar, Http("example.com"), "a=1; Max-Age=60; " + std::string(kPast)),
            SetCookieOutcome::kStored);
  EXPECT_EQ(Set(jar, Http("example.com"), "b=1; " + std::string(kPast) + "; Max-Age=60"),
            SetCookieOutcome::kStored);
  EXPECT_EQ(Set(jar, Http("example.com"), "c=1; Max-Age=0; " + std::string(kFuture)),
            SetCookieOutcome::kExpiredOnArrival);
  // An invalid Max-Age is no Max-Age: Expires applies.
  EXPECT_EQ(Set(jar, Http("example.com"), "d=1; Max-Age=soon; " + std::string(kPast)),
            SetCookieOutcome::kExpiredOnArrival);
  EXPECT_EQ(Get(jar, Http("example.com")), "a=1; b=1");
}

TEST(CookieJarTest, WithoutExpiryACookieLastsTheSession) {
  CookieJar jar;
  ASSERT_EQ(Set(jar, Http("example.com"), "session=1; Expires=not a date"),
            SetCookieOutcome::kStored);
  ASSERT_EQ(Set(jar, Http("example.com"), "persistent=1; Max-Age=3600"), SetCookieOutcome::kStored);
  EXPECT_FALSE(Find(jar, "session")->expiry.has_value());
  EXPECT_EQ(Get(jar, Http("example.com")), "session=1; persistent=1");
  jar.EndSession();
  EXPECT_EQ(Get(jar, Http("example.com")), "persistent=1");
  // Within a session it never expires.
  ASSERT_EQ(Set(jar, Http("example.com"), "session=2"), SetCookieOutcome::kStored);
  EXPECT_EQ(Get(jar, Http("example.com"), kNow + days(365 * 50)), "session=2");
}

TEST(CookieJarTest, LifetimesAreCappedAt400Days) {
  CookieJar jar;
  ASSERT_EQ(Set(jar, Http("example.com"), "a=1; Max-Age=99999999999999999999"),
            SetCookieOutcome::kStored);
  ASSERT_EQ(Set(jar, Http("example.com"), "b=1; Expires=Fri, 31 Dec 9999 23:59:59 GMT"),
            SetCookieOutcome::kStored);
  ASSERT_EQ(Set(jar, Http("example.com"), "c=1; Max-Age=86400"), SetCookieOutcome::kStored);
  const CookieExpiry cap = UnixTime(kNowUnix) + days(400);
  EXPECT_EQ(Find(jar, "a")->expiry, cap);
  EXPECT_EQ(Find(jar, "b")->expiry, cap);
  EXPECT_EQ(Find(jar, "c")->expiry, UnixTime(kNowUnix + 86400));
}

// --- Replacement, ordering, last access
// -------------------------------------------------------------

TEST(CookieJarTest, SameNameDomainAndPathReplacesAndKeepsTheCreationTime) {
  CookieJar jar;
  ASSERT_EQ(Set(jar, Http("example.com"), "a=1"), SetCookieOutcome::kStored);
  ASSERT_EQ(Set(jar, Http("example.com"), "b=1", kNow + seconds(1)), SetCookieOutcome::kStored);
  ASSERT_EQ(Set(jar, Http("example.com"), "a=2; HttpOnly", kNow + seconds(2)),
            SetCookieOutcome::kStored);
  ASSERT_EQ(jar.AllCookies(kNow).size(), 2u);
  EXPECT_EQ(Find(jar, "a")->creation_time, kNow);
  EXPECT_EQ(Find(jar, "a")->last_access_time, kNow + seconds(2));
  EXPECT_TRUE(Find(jar, "a")->http_only);
  EXPECT_EQ(Get(jar, Http("example.com"), kNow + seconds(3)), "a=2; b=1");
}

TEST(CookieJarTest, HostOnlyAndDomainCookiesWithTheSameDomainReplaceEachOther) {
  CookieJar jar;
  ASSERT_EQ(Set(jar, Http("example.com"), "x=1"), SetCookieOutcome::kStored);
  ASSERT_EQ(Set(jar, Http("example.com"), "x=2; Domain=example.com"), SetCookieOutcome::kStored);
  ASSERT_EQ(jar.AllCookies(kNow).size(), 1u);
  EXPECT_FALSE(Find(jar, "x")->host_only);
  EXPECT_EQ(Get(jar, Http("www.example.com")), "x=2");
}

TEST(CookieJarTest, SameNameWithOtherPathsOrDomainsAreSeparateCookies) {
  CookieJar jar;
  ASSERT_EQ(Set(jar, Http("www.example.com"), "a=root; Path=/"), SetCookieOutcome::kStored);
  ASSERT_EQ(Set(jar, Http("www.example.com"), "a=deep; Path=/x/y"), SetCookieOutcome::kStored);
  ASSERT_EQ(Set(jar, Http("www.example.com"), "a=domain; Domain=example.com"),
            SetCookieOutcome::kStored);
  EXPECT_EQ(jar.AllCookies(kNow).size(), 3u);
  EXPECT_EQ(Get(jar, Http("www.example.com", "/x/y/z")), "a=deep; a=root; a=domain");
}

TEST(CookieJarTest, LongerPathsFirstThenEarlierCreation) {
  CookieJar jar;
  ASSERT_EQ(Set(jar, Http("example.com"), "late=1; Path=/", kNow + seconds(5)),
            SetCookieOutcome::kStored);
  ASSERT_EQ(Set(jar, Http("example.com"), "early=1; Path=/", kNow), SetCookieOutcome::kStored);
  ASSERT_EQ(Set(jar, Http("example.com"), "mid=1; Path=/a", kNow + seconds(9)),
            SetCookieOutcome::kStored);
  ASSERT_EQ(Set(jar, Http("example.com"), "deepest=1; Path=/a/b", kNow + seconds(9)),
            SetCookieOutcome::kStored);
  ASSERT_EQ(Set(jar, Http("example.com"), "same_instant_1=1; Path=/", kNow + seconds(5)),
            SetCookieOutcome::kStored);
  ASSERT_EQ(Set(jar, Http("example.com"), "same_instant_2=1; Path=/", kNow + seconds(5)),
            SetCookieOutcome::kStored);
  EXPECT_EQ(Get(jar, Http("example.com", "/a/b/c"), kNow + seconds(10)),
            "deepest=1; mid=1; early=1; late=1; same_instant_1=1; same_instant_2=1");
}

TEST(CookieJarTest, SendingACookieUpdatesItsLastAccessTime) {
  CookieJar jar;
  ASSERT_EQ(Set(jar, Http("example.com"), "a=1; Path=/a"), SetCookieOutcome::kStored);
  ASSERT_EQ(Set(jar, Http("example.com"), "b=1; Path=/b"), SetCookieOutcome::kStored);
  EXPECT_EQ(Get(jar, Http("example.com", "/a"), kNow + hours(1)), "a=1");
  EXPECT_EQ(Find(jar, "a")->last_access_time, kNow + hours(1));
  EXPECT_EQ(Find(jar, "a")->creation_time, kNow);
  EXPECT_EQ(Find(jar, "b")->last_access_time, kNow);
  // A non-HTTP read that does not send it does not touch it.
  ASSERT_EQ(Set(jar, Http("example.com"), "h=1; Path=/a; HttpOnly"), SetCookieOutcome::kStored);
  jar.CookieHeaderFor(Http("example.com", "/a"), CookieTransport::kInsecure, CookieSource::kNonHttp,
                      kNow + hours(2));
  EXPECT_EQ(Find(jar, "h")->last_access_time, kNow);
}

TEST(CookieJarTest, SameSiteIsKept) {
  CookieJar jar;
  ASSERT_EQ(Set(jar, Https("example.com"), "a=1; SameSite=Strict"), SetCookieOutcome::kStored);
  ASSERT_EQ(Set(jar, Https("example.com"), "b=1; SameSite=None; Secure"),
            SetCookieOutcome::kStored);
  EXPECT_EQ(Find(jar, "a")->same_site, SameSite::kStrict);
  EXPECT_EQ(Find(jar, "b")->same_site, SameSite::kNone);
}

// --- Limits and eviction
// -----------------------------------------------------------------------------

TEST(CookieJarTest, FiftyCookiesPerDomainEvictingTheLeastRecentlyAccessed) {
  CookieJar jar;
  for (int i = 0; i < 50; ++i) {
    ASSERT_EQ(Set(jar, Http("www.example.com"),
                  "c" + std::to_string(i) + "=1; Path=/c" + std::to_string(i)),
              SetCookieOutcome::kStored);
  }
  // c0 is read later than the others, so c1 is now the least recently accessed.
  EXPECT_EQ(Get(jar, Http("www.example.com", "/c0"), kNow + seconds(1)), "c0=1");
  // Subdomains of the same registrable domain count together.
  ASSERT_EQ(Set(jar, Http("other.example.com"), "new=1", kNow + seconds(2)),
            SetCookieOutcome::kStored);
  const std::vector<Cookie> cookies = jar.AllCookies(kNow);
  EXPECT_EQ(cookies.size(), 50u);
  EXPECT_TRUE(Find(jar, "c0").has_value());
  EXPECT_FALSE(Find(jar, "c1").has_value());
  EXPECT_TRUE(Find(jar, "c2").has_value());
  EXPECT_TRUE(Find(jar, "new").has_value());
  // Another registrable domain has its own 50.
  for (int i = 0; i < 50; ++i) {
    ASSERT_EQ(Set(jar, Http("example.org"), "o" + std::to_string(i) + "=1"),
              SetCookieOutcome::kStored);
  }
  EXPECT_EQ(jar.AllCookies(kNow).size(), 100u);
  // co.uk is a public suffix: example.co.uk and other.co.uk are separate domains.
  for (int i = 0; i < 50; ++i) {
    ASSERT_EQ(Set(jar, Http("example.co.uk"), "e" + std::to_string(i) + "=1"),
              SetCookieOutcome::kStored);
    ASSERT_EQ(Set(jar, Http("other.co.uk"), "e" + std::to_string(i) + "=1"),
              SetCookieOutcome::kStored);
  }
  EXPECT_EQ(jar.AllCookies(kNow).size(), 200u);
}

TEST(CookieJarTest, TheCookieBeingStoredIsNeverItsOwnEvictionVictim) {
  CookieJar jar(CookieJarLimits{3, 100});
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(Set(jar, Http("example.com"), "old" + std::to_string(i) + "=1", kNow + hours(1)),
              SetCookieOutcome::kStored);
  }
  // Set "earlier" than the others were accessed (a clock step backwards): still kept.
  ASSERT_EQ(Set(jar, Http("example.com"), "new=1", kNow), SetCookieOutcome::kStored);
  EXPECT_TRUE(Find(jar, "new").has_value());
  EXPECT_FALSE(Find(jar, "old0").has_value());
  EXPECT_EQ(jar.AllCookies(kNow).size(), 3u);
}

TEST(CookieJarTest, ExpiredCookiesAreEvictedBeforeLiveOnes) {
  CookieJar jar(CookieJarLimits{2, 100});
  ASSERT_EQ(Set(jar, Http("example.com"), "live=1", kNow), SetCookieOutcome::kStored);
  ASSERT_EQ(Set(jar, Http("example.com"), "short=1; Max-Age=10", kNow + seconds(1)),
            SetCookieOutcome::kStored);
  ASSERT_EQ(Set(jar, Http("example.com"), "new=1", kNow + seconds(20)), SetCookieOutcome::kStored);
  EXPECT_TRUE(Find(jar, "live").has_value());
  EXPECT_TRUE(Find(jar, "new").has_value());
}

TEST(CookieJarTest, ThreeThousandCookiesInTotal) {
  CookieJar jar;
  for (int domain = 0; domain < 70; ++domain) {
    const std::string host = "site" + std::to_string(domain) + ".example";
    for (int i = 0; i < 50; ++i) {
      ASSERT_EQ(
          Set(jar, Http(host), "c" + std::to_string(i) + "=v", kNow + seconds(domain * 50 + i)),
          SetCookieOutcome::kStored);
    }
  }
  const std::vector<Cookie> cookies = jar.AllCookies(kNow);
  ASSERT_EQ(cookies.size(), 3000u);
  // The 500 least recently accessed (the first ten sites) were evicted.
  EXPECT_EQ(Get(jar, Http("site9.example"), kNow + days(1)), "");
  EXPECT_NE(Get(jar, Http("site10.example"), kNow + days(1)), "");
}

TEST(CookieJarTest, HostileFloodsStayBounded) {
  CookieJar jar;
  // Thousands of Set-Cookie headers from one site: at most 50 kept.
  for (int i = 0; i < 5000; ++i) {
    Set(jar, Http("evil.example.com"), "flood" + std::to_string(i) + "=" + std::string(4000, 'x'));
  }
  EXPECT_EQ(jar.AllCookies(kNow).size(), 50u);
  // Across thousands of subdomains of one site: still 50.
  for (int i = 0; i < 5000; ++i) {
    Set(jar, Http("s" + std::to_string(i) + ".evil.example.com"), "f=1");
  }
  EXPECT_EQ(jar.AllCookies(kNow).size(), 50u);
  // A long request path does not make a long default-path.
  EXPECT_EQ(Set(jar, Http("example.com", "/" + std::string(5000, 'p') + "/x"), "a=1"),
            SetCookieOutcome::kIgnoredTooLarge);
  EXPECT_EQ(Set(jar, Http("example.com", "/" + std::string(1000, 'p') + "/x"), "a=1"),
            SetCookieOutcome::kStored);
  // The Cookie header for one host is bounded by 50 cookies of at most 4096 bytes.
  const std::string header = Get(jar, Http("evil.example.com"));
  EXPECT_LE(header.size(), 50u * (4096 + 2));
}

TEST(CookieJarTest, RandomBytesNeverProduceAControlByteInTheCookieHeader) {
  CookieJar jar;
  std::mt19937 random(6265);
  const std::string alphabet =
      std::string("ab=;, \t\r\n\x01\x7F\x80\xFF\"/.") + std::string(1, '\0');
  const std::vector<std::string> attributes = {
      "; Path=/",    "; Domain=example.com", "; Secure", "; HttpOnly",
      "; Max-Age=5", "; Domain=com",         ""};
  for (int round = 0; round < 20000; ++round) {
    std::string set_cookie;
    const size_t length = random() % 24;
    for (size_t i = 0; i < length; ++i) set_cookie += alphabet[random() % alphabet.size()];
    set_cookie += attributes[random() % attributes.size()];
    jar.SetCookie(Http("www.example.com"), set_cookie, CookieTransport::kSecure,
                  CookieSource::kHttp, kNow);
  }
  const std::string header = Get(jar, Https("www.example.com"));
  EXPECT_FALSE(header.empty());
  for (char c : header) {
    const auto byte = static_cast<unsigned char>(c);
    EXPECT_TRUE(byte == '\t' || (byte >= 0x20 && byte != 0x7F)) << int{byte};
  }
  const Result<std::string> request =
      BuildHandshakeRequest({"/", "www.example.com", "http://www.example.com", header});
  EXPECT_TRUE(request.ok());
}

TEST(CookieJarTest, ConcurrentUseFromTwoThreads) {
  CookieJar jar;
  std::thread io_thread([&] {
    for (int i = 0; i < 2000; ++i) {
      Set(jar, Http("example.com"), "io" + std::to_string(i % 40) + "=" + std::to_string(i));
      Get(jar, Http("example.com"));
    }
  });
  for (int i = 0; i < 2000; ++i) {
    Set(jar, Http("example.org"), "main" + std::to_string(i % 40) + "=" + std::to_string(i));
    Get(jar, Http("example.com"));
    jar.AllCookies(kNow);
  }
  io_thread.join();
  EXPECT_EQ(jar.AllCookies(kNow).size(), 80u);
}

}  // namespace
}  // namespace switchboard
