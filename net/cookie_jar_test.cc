// Tests of the cookie jar, which cookies it takes and where they go: RFC 6265 §5.1.3-§5.4 domain
// and path matching, public suffixes through libpsl, Secure and HttpOnly (with RFC 6265bis's
// safety rules). How long they stay is tested in cookie_jar_lifetime_test.cc, the Set-Cookie
// parser in set_cookie_parser_test.cc, the cookie file in cookie_file_test.cc.
#include "net/cookie_jar.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "net/handshake.h"
#include "net/testing/cookie_test_helpers.h"
#include "net/url.h"

namespace switchboard {
namespace {

using namespace switchboard::testing;
using std::chrono::seconds;

// --- RFC 6265 §5.1.3 / §5.1.4: domain and path matching
// --------------------------------------------

TEST(DomainMatchTest, Rules) {
  EXPECT_TRUE(DomainMatches("example.com", "example.com"));
  EXPECT_TRUE(DomainMatches("www.example.com", "example.com"));
  EXPECT_TRUE(DomainMatches("a.b.example.com", "example.com"));
  EXPECT_FALSE(DomainMatches("badexample.com", "example.com"));
  EXPECT_FALSE(DomainMatches("example.com", "www.example.com"));
  EXPECT_FALSE(DomainMatches("example.com", ""));
  EXPECT_FALSE(DomainMatches("example.com", "com."));
  // IP addresses match only themselves.
  EXPECT_TRUE(DomainMatches("192.168.1.10", "192.168.1.10"));
  EXPECT_FALSE(DomainMatches("192.168.1.10", "168.1.10"));
  EXPECT_FALSE(DomainMatches("192.168.1.10", "1.10"));
  EXPECT_TRUE(DomainMatches("::1", "::1"));
  EXPECT_FALSE(DomainMatches("2001:db8::1", "db8::1"));
}

TEST(PathMatchTest, DefaultPath) {
  EXPECT_EQ(DefaultCookiePath(""), "/");
  EXPECT_EQ(DefaultCookiePath("relative/x"), "/");
  EXPECT_EQ(DefaultCookiePath("/"), "/");
  EXPECT_EQ(DefaultCookiePath("/a"), "/");
  EXPECT_EQ(DefaultCookiePath("/a/"), "/a");
  EXPECT_EQ(DefaultCookiePath("/a/b"), "/a");
  EXPECT_EQ(DefaultCookiePath("/docs/web/page.html"), "/docs/web");
}

TEST(PathMatchTest, Rules) {
  EXPECT_TRUE(PathMatches("/", "/"));
  EXPECT_TRUE(PathMatches("/docs", "/docs"));
  EXPECT_TRUE(PathMatches("/docs/", "/docs"));
  EXPECT_TRUE(PathMatches("/docs/web", "/docs"));
  EXPECT_TRUE(PathMatches("/docs/web", "/docs/"));
  EXPECT_TRUE(PathMatches("/anything", "/"));
  EXPECT_FALSE(PathMatches("/docsets", "/docs"));
  EXPECT_FALSE(PathMatches("/fr/docs", "/docs"));
  EXPECT_FALSE(PathMatches("/docs", "/docs/"));
  EXPECT_FALSE(PathMatches("/", "/docs"));
  EXPECT_FALSE(PathMatches("/Docs", "/docs"));  // case-sensitive
}

// --- RFC 6265 §5.3 / §5.4: the jar
// -----------------------------------------------------------------

TEST(CookieJarTest, Rfc6265Section3Examples) {
  CookieJar jar;
  // §3.1: a Secure, HttpOnly, host-only session id and a language for the whole domain.
  EXPECT_EQ(Set(jar, Https("example.com"), "SID=31d4d96e407aad42; Path=/; Secure; HttpOnly"),
            SetCookieOutcome::kStored);
  EXPECT_EQ(Set(jar, Https("example.com"), "lang=en-US; Path=/; Domain=example.com"),
            SetCookieOutcome::kStored);
  EXPECT_EQ(Get(jar, Https("example.com", "/index")), "SID=31d4d96e407aad42; lang=en-US");
  EXPECT_EQ(Get(jar, Https("www.example.com")), "lang=en-US");
  EXPECT_EQ(Get(jar, Http("example.com")), "lang=en-US");
  // "lang=; Expires=<past>" removes the language cookie.
  EXPECT_EQ(Set(jar, Https("example.com"),
                "lang=; Path=/; Domain=example.com; Expires=Sun, 06 Nov 1994 08:49:37 GMT"),
            SetCookieOutcome::kExpiredOnArrival);
  EXPECT_EQ(Get(jar, Https("example.com")), "SID=31d4d96e407aad42");

  // A persistent cookie with the example's Expires, seen from just before it.
  const CookieTime before = CookieTime(seconds(1623233894 - 60));
  EXPECT_EQ(
      Set(jar, Https("example.com"), "lang=en-US; Expires=Wed, 09 Jun 2021 10:18:14 GMT", before),
      SetCookieOutcome::kStored);
  EXPECT_EQ(Get(jar, Http("example.com"), before + seconds(59)), "lang=en-US");
  EXPECT_EQ(Get(jar, Http("example.com"), before + seconds(60)), "");
}

TEST(CookieJarTest, HostOnlyCookieGoesOnlyToItsHost) {
  CookieJar jar;
  ASSERT_EQ(Set(jar, Http("www.example.com"), "a=1"), SetCookieOutcome::kStored);
  const Cookie cookie = Find(jar, "a").value();
  EXPECT_TRUE(cookie.host_only);
  EXPECT_EQ(cookie.domain, "www.example.com");
  EXPECT_EQ(Get(jar, Http("www.example.com")), "a=1");
  EXPECT_EQ(Get(jar, Http("sub.www.example.com")), "");
  EXPECT_EQ(Get(jar, Http("example.com")), "");
  EXPECT_EQ(Get(jar, Http("other.example.com")), "");
}

TEST(CookieJarTest, DomainCookieGoesToTheDomainAndItsSubdomains) {
  CookieJar jar;
  ASSERT_EQ(Set(jar, Http("www.example.com"), "a=1; Domain=example.com"),
            SetCookieOutcome::kStored);
  EXPECT_FALSE(Find(jar, "a")->host_only);
  EXPECT_EQ(Find(jar, "a")->domain, "example.com");
  EXPECT_EQ(Get(jar, Http("example.com")), "a=1");
  EXPECT_EQ(Get(jar, Http("www.example.com")), "a=1");
  EXPECT_EQ(Get(jar, Http("a.b.example.com")), "a=1");
  EXPECT_EQ(Get(jar, Http("notexample.com")), "");
  EXPECT_EQ(Get(jar, Http("example.org")), "");
}

TEST(CookieJarTest, DomainAttributeEqualToTheHostMakesADomainCookie) {
  CookieJar jar;
  ASSERT_EQ(Set(jar, Http("example.com"), "a=1; Domain=EXAMPLE.com"), SetCookieOutcome::kStored);
  EXPECT_FALSE(Find(jar, "a")->host_only);
  EXPECT_EQ(Get(jar, Http("www.example.com")), "a=1");
}

TEST(CookieJarTest, DomainThatTheHostDoesNotMatchIsIgnored) {
  CookieJar jar;
  EXPECT_EQ(Set(jar, Http("www.example.com"), "a=1; Domain=other.com"),
            SetCookieOutcome::kIgnoredDomainMismatch);
  EXPECT_EQ(Set(jar, Http("example.com"), "a=1; Domain=www.example.com"),
            SetCookieOutcome::kIgnoredDomainMismatch);
  EXPECT_EQ(Set(jar, Http("badexample.com"), "a=1; Domain=example.com"),
            SetCookieOutcome::kIgnoredDomainMismatch);
  EXPECT_EQ(Set(jar, Http("www.example.com"), "a=1; Domain=exa mple.com"),
            SetCookieOutcome::kIgnoredDomainMismatch);
  EXPECT_TRUE(jar.AllCookies(kNow).empty());
}

TEST(CookieJarTest, PublicSuffixDomainsAreRejected) {
  CookieJar jar;
  EXPECT_EQ(Set(jar, Http("example.com"), "a=1; Domain=com"),
            SetCookieOutcome::kIgnoredPublicSuffix);
  EXPECT_EQ(Set(jar, Http("www.example.com"), "a=1; Domain=.COM"),
            SetCookieOutcome::kIgnoredPublicSuffix);
  EXPECT_EQ(Set(jar, Http("www.example.co.uk"), "a=1; Domain=co.uk"),
            SetCookieOutcome::kIgnoredPublicSuffix);
  EXPECT_EQ(Set(jar, Http("www.example.co.uk"), "a=1; Domain=uk"),
            SetCookieOutcome::kIgnoredPublicSuffix);
  // Private registries of the list, too.
  EXPECT_EQ(Set(jar, Http("foo.github.io"), "a=1; Domain=github.io"),
            SetCookieOutcome::kIgnoredPublicSuffix);
  // The implicit "*" rule: an unlisted top-level domain is a public suffix.
  EXPECT_EQ(Set(jar, Http("www.example.test"), "a=1; Domain=test"),
            SetCookieOutcome::kIgnoredPublicSuffix);
  EXPECT_TRUE(jar.AllCookies(kNow).empty());

  EXPECT_EQ(Set(jar, Http("www.example.co.uk"), "b=2; Domain=example.co.uk"),
            SetCookieOutcome::kStored);
  EXPECT_EQ(Get(jar, Http("shop.example.co.uk")), "b=2");
  EXPECT_EQ(Get(jar, Http("other.co.uk")), "");
  EXPECT_EQ(Set(jar, Http("foo.github.io"), "c=3; Domain=foo.github.io"),
            SetCookieOutcome::kStored);
  EXPECT_EQ(Get(jar, Http("bar.github.io")), "");
}

TEST(CookieJarTest, PublicSuffixDomainEqualToTheHostMakesAHostOnlyCookie) {
  CookieJar jar;
  ASSERT_EQ(Set(jar, Http("co.uk"), "a=1; Domain=co.uk"), SetCookieOutcome::kStored);
  EXPECT_TRUE(Find(jar, "a")->host_only);
  EXPECT_EQ(Get(jar, Http("co.uk")), "a=1");
  EXPECT_EQ(Get(jar, Http("example.co.uk")), "");
  ASSERT_EQ(Set(jar, Http("localhost"), "b=2; Domain=localhost"), SetCookieOutcome::kStored);
  EXPECT_TRUE(Find(jar, "b")->host_only);
  EXPECT_EQ(Get(jar, Http("localhost")), "b=2");
  EXPECT_EQ(Get(jar, Http("sub.localhost")), "");
}

TEST(CookieJarTest, InternationalizedDomainAttributesAreComparedInPunycode) {
  CookieJar jar;
  ASSERT_EQ(Set(jar, Http("www.xn--bcher-kva.example"),
                "a=1; Domain=B\xC3\xBC"
                "cher.example"),
            SetCookieOutcome::kStored);
  EXPECT_EQ(Find(jar, "a")->domain, "xn--bcher-kva.example");
  EXPECT_EQ(Get(jar, Http("xn--bcher-kva.example")), "a=1");
  // The jar canonicalizes request hosts too.
  EXPECT_EQ(Get(jar, Http("WWW.b\xC3\xBC"
                          "cher.example")),
            "a=1");
}

TEST(CookieJarTest, IpAddressHosts) {
  CookieJar jar;
  ASSERT_EQ(Set(jar, Http("192.168.1.10"), "a=1"), SetCookieOutcome::kStored);
  ASSERT_EQ(Set(jar, Http("192.168.1.10"), "b=2; Domain=192.168.1.10"), SetCookieOutcome::kStored);
  EXPECT_TRUE(Find(jar, "b")->host_only);
  EXPECT_EQ(Set(jar, Http("192.168.1.10"), "c=3; Domain=168.1.10"),
            SetCookieOutcome::kIgnoredDomainMismatch);
  EXPECT_EQ(Set(jar, Http("192.168.1.10"), "c=3; Domain=1.10"),
            SetCookieOutcome::kIgnoredDomainMismatch);
  EXPECT_EQ(Set(jar, Http("192.168.1.10"), "c=3; Domain=example.com"),
            SetCookieOutcome::kIgnoredDomainMismatch);
  EXPECT_EQ(Get(jar, Http("192.168.1.10")), "a=1; b=2");
  EXPECT_EQ(Get(jar, Http("92.168.1.10")), "");
  EXPECT_EQ(Get(jar, Http("1.192.168.1.10")), "");

  ASSERT_EQ(Set(jar, Http("::1"), "v6=1; Domain=[::1]"), SetCookieOutcome::kStored);
  EXPECT_TRUE(Find(jar, "v6")->host_only);
  EXPECT_EQ(Find(jar, "v6")->domain, "::1");
  EXPECT_EQ(Get(jar, Http("[0:0::1]")), "v6=1");
  EXPECT_EQ(Get(jar, Http("::2")), "");
}

TEST(CookieJarTest, DefaultPathComesFromTheRequestPath) {
  CookieJar jar;
  ASSERT_EQ(Set(jar, Http("example.com", "/docs/page.html?q=/x/y#z"), "a=1"),
            SetCookieOutcome::kStored);
  EXPECT_EQ(Find(jar, "a")->path, "/docs");
  EXPECT_EQ(Get(jar, Http("example.com", "/docs")), "a=1");
  EXPECT_EQ(Get(jar, Http("example.com", "/docs/other")), "a=1");
  EXPECT_EQ(Get(jar, Http("example.com", "/docsets")), "");
  EXPECT_EQ(Get(jar, Http("example.com", "/")), "");
  EXPECT_EQ(Get(jar, Http("example.com", "")), "");
  // A bad Path attribute means the default-path too.
  ASSERT_EQ(Set(jar, Http("example.com", "/x/y"), "b=2; Path=nope"), SetCookieOutcome::kStored);
  EXPECT_EQ(Find(jar, "b")->path, "/x");
}

TEST(CookieJarTest, PathAttributeLimitsWhereTheCookieGoes) {
  CookieJar jar;
  ASSERT_EQ(Set(jar, Http("example.com", "/"), "a=1; Path=/admin"), SetCookieOutcome::kStored);
  EXPECT_EQ(Get(jar, Http("example.com", "/admin")), "a=1");
  EXPECT_EQ(Get(jar, Http("example.com", "/admin/users?x=1")), "a=1");
  EXPECT_EQ(Get(jar, Http("example.com", "/administrator")), "");
  EXPECT_EQ(Get(jar, Http("example.com", "/")), "");
  EXPECT_EQ(Get(jar, Http("example.com", "/Admin")), "");
  // An empty request path is "/".
  ASSERT_EQ(Set(jar, Http("example.com", ""), "b=2"), SetCookieOutcome::kStored);
  EXPECT_EQ(Find(jar, "b")->path, "/");
  EXPECT_EQ(Get(jar, Http("example.com", "?query")), "b=2");
}

TEST(CookieJarTest, ConnectionUrlsAreCookieUrls) {
  CookieJar jar;
  const UrlResult url = ParseConnectionUrl("http://WWW.Example.com:8080/chat/room?id=7", "");
  ASSERT_TRUE(url.ok());
  const CookieUrl cookie_url = CookieUrl::FromConnectionUrl(url.value());
  ASSERT_EQ(
      jar.SetCookie(cookie_url, "room=7", CookieTransport::kInsecure, CookieSource::kHttp, kNow),
      SetCookieOutcome::kStored);
  EXPECT_EQ(Find(jar, "room")->path, "/chat");
  EXPECT_EQ(Find(jar, "room")->domain, "www.example.com");
  // Ports do not separate cookies (RFC 6265 §8.5).
  EXPECT_EQ(Get(jar, Http("www.example.com", "/chat/other")), "room=7");
}

TEST(CookieJarTest, OnlyHttpAndHttpsUrlsHaveCookies) {
  CookieJar jar;
  EXPECT_EQ(jar.SetCookie(CookieUrl{"file", "", "/tmp/x.html"}, "a=1", CookieTransport::kInsecure,
                          CookieSource::kNonHttp, kNow),
            SetCookieOutcome::kIgnoredNoCookieUrl);
  EXPECT_EQ(Set(jar, CookieUrl{"ftp", "example.com", "/"}, "a=1"),
            SetCookieOutcome::kIgnoredNoCookieUrl);
  EXPECT_EQ(Set(jar, CookieUrl{"http", "", "/"}, "a=1"), SetCookieOutcome::kIgnoredNoCookieUrl);
  EXPECT_EQ(Set(jar, CookieUrl{"http", "bad host", "/"}, "a=1"),
            SetCookieOutcome::kIgnoredNoCookieUrl);
  EXPECT_EQ(Set(jar, CookieUrl{"HTTP", "example.com", "/"}, "a=1"), SetCookieOutcome::kStored);
  EXPECT_EQ(Get(jar, CookieUrl{"ftp", "example.com", "/"}), "");
  EXPECT_EQ(Get(jar, CookieUrl{"HtTp", "EXAMPLE.COM", "/"}), "a=1");
}

// --- Secure
// -------------------------------------------------------------------------------------------

TEST(CookieJarTest, SecureCookiesAreSetAndSentOnlyOverSecureTransports) {
  CookieJar jar;
  EXPECT_EQ(Set(jar, Http("example.com"), "s=1; Secure"),
            SetCookieOutcome::kIgnoredSecureOverInsecureTransport);
  ASSERT_EQ(Set(jar, Https("example.com"), "s=1; Secure"), SetCookieOutcome::kStored);
  EXPECT_TRUE(Find(jar, "s")->secure_only);
  EXPECT_EQ(Get(jar, Https("example.com")), "s=1");
  EXPECT_EQ(Get(jar, Http("example.com")), "");
  // An http: TCPConnection upgraded to TLS (§4.3) is a secure transport.
  EXPECT_EQ(
      jar.CookieHeaderFor(Http("example.com"), CookieTransport::kSecure, CookieSource::kHttp, kNow),
      "s=1");
  EXPECT_EQ(jar.SetCookie(Http("example.com"), "t=2; Secure", CookieTransport::kSecure,
                          CookieSource::kHttp, kNow),
            SetCookieOutcome::kStored);
  // And an https: URL reached without TLS would not be.
  EXPECT_EQ(jar.CookieHeaderFor(Https("example.com"), CookieTransport::kInsecure,
                                CookieSource::kHttp, kNow),
            "");
}

TEST(CookieJarTest, InsecureTransportsLeaveSecureCookiesAlone) {
  CookieJar jar;
  ASSERT_EQ(Set(jar, Https("www.example.com"), "sid=secret; Secure"), SetCookieOutcome::kStored);
  EXPECT_EQ(Set(jar, Http("www.example.com"), "sid=evil"),
            SetCookieOutcome::kIgnoredWouldOverwriteSecure);
  EXPECT_EQ(Set(jar, Http("www.example.com"), "sid=evil; Path=/deeper"),
            SetCookieOutcome::kIgnoredWouldOverwriteSecure);
  EXPECT_EQ(Set(jar, Http("www.example.com"), "sid=evil; Domain=example.com"),
            SetCookieOutcome::kIgnoredWouldOverwriteSecure);
  EXPECT_EQ(Set(jar, Http("a.www.example.com"), "sid=evil; Domain=www.example.com"),
            SetCookieOutcome::kIgnoredWouldOverwriteSecure);
  EXPECT_EQ(Set(jar, Http("www.example.com"), "sid=; Max-Age=0"),
            SetCookieOutcome::kIgnoredWouldOverwriteSecure);
  EXPECT_EQ(Get(jar, Https("www.example.com")), "sid=secret");
  // Other names, and unrelated hosts, are not affected.
  EXPECT_EQ(Set(jar, Http("www.example.com"), "other=1"), SetCookieOutcome::kStored);
  EXPECT_EQ(Set(jar, Http("www.example.org"), "sid=1"), SetCookieOutcome::kStored);
  // A secure transport may replace it with a non-Secure cookie.
  EXPECT_EQ(Set(jar, Https("www.example.com"), "sid=plain"), SetCookieOutcome::kStored);
  EXPECT_EQ(Get(jar, Http("www.example.com")), "sid=plain; other=1");
}

TEST(CookieJarTest, LeaveSecureCookiesAloneComparesPathsOneWay) {
  CookieJar jar;
  ASSERT_EQ(Set(jar, Https("example.com"), "sid=secret; Secure; Path=/login"),
            SetCookieOutcome::kStored);
  // The new cookie's path "/" does not path-match "/login": allowed (6265bis: the new path must
  // path-match the old).
  EXPECT_EQ(Set(jar, Http("example.com"), "sid=other; Path=/"), SetCookieOutcome::kStored);
  EXPECT_EQ(Set(jar, Http("example.com"), "sid=other; Path=/login/x"),
            SetCookieOutcome::kIgnoredWouldOverwriteSecure);
}

TEST(CookieJarTest, CookiePrefixes) {
  CookieJar jar;
  EXPECT_EQ(Set(jar, Https("example.com"), "__Secure-a=1"), SetCookieOutcome::kIgnoredCookiePrefix);
  EXPECT_EQ(Set(jar, Http("example.com"), "__Secure-a=1; Secure"),
            SetCookieOutcome::kIgnoredSecureOverInsecureTransport);
  EXPECT_EQ(Set(jar, Https("example.com"), "__Secure-a=1; Secure; Domain=example.com"),
            SetCookieOutcome::kStored);
  EXPECT_EQ(Set(jar, Https("example.com"), "__Host-b=1; Secure; Path=/"),
            SetCookieOutcome::kStored);
  EXPECT_EQ(Set(jar, Https("example.com"), "__Host-c=1; Secure"),
            SetCookieOutcome::kIgnoredCookiePrefix);
  EXPECT_EQ(Set(jar, Https("example.com"), "__Host-c=1; Secure; Path=/x"),
            SetCookieOutcome::kIgnoredCookiePrefix);
  EXPECT_EQ(Set(jar, Https("example.com"), "__Host-c=1; Secure; Path=/; Domain=example.com"),
            SetCookieOutcome::kIgnoredCookiePrefix);
  EXPECT_EQ(Set(jar, Https("example.com"), "__Host-c=1; Path=/"),
            SetCookieOutcome::kIgnoredCookiePrefix);
  EXPECT_EQ(Set(jar, Https("example.com"), "__HOST-c=1; Path=/"),
            SetCookieOutcome::kIgnoredCookiePrefix);
  EXPECT_EQ(Set(jar, Https("example.com"), "__secure-d=1"), SetCookieOutcome::kIgnoredCookiePrefix);
  EXPECT_EQ(Get(jar, Https("example.com")), "__Secure-a=1; __Host-b=1");
}

// --- HttpOnly
// ----------------------------------------------------------------------------------------

TEST(CookieJarTest, HttpOnlyCookiesGoToHttpApisOnly) {
  CookieJar jar;
  ASSERT_EQ(Set(jar, Http("example.com"), "h=1; HttpOnly"), SetCookieOutcome::kStored);
  ASSERT_EQ(Set(jar, Http("example.com"), "p=2"), SetCookieOutcome::kStored);
  EXPECT_TRUE(Find(jar, "h")->http_only);
  EXPECT_EQ(jar.CookieHeaderFor(Http("example.com"), CookieTransport::kInsecure,
                                CookieSource::kHttp, kNow),
            "h=1; p=2");
  EXPECT_EQ(jar.CookieHeaderFor(Http("example.com"), CookieTransport::kInsecure,
                                CookieSource::kNonHttp, kNow),
            "p=2");
}

TEST(CookieJarTest, NonHttpApisCannotSetOrReplaceHttpOnlyCookies) {
  CookieJar jar;
  const auto set_from_script = [&](std::string_view set_cookie) {
    return jar.SetCookie(Http("example.com"), set_cookie, CookieTransport::kInsecure,
                         CookieSource::kNonHttp, kNow);
  };
  EXPECT_EQ(set_from_script("h=1; HttpOnly"), SetCookieOutcome::kIgnoredHttpOnlyFromNonHttp);
  ASSERT_EQ(Set(jar, Http("example.com"), "h=1; HttpOnly"), SetCookieOutcome::kStored);
  EXPECT_EQ(set_from_script("h=2"), SetCookieOutcome::kIgnoredHttpOnlyFromNonHttp);
  EXPECT_EQ(set_from_script("h=; Max-Age=0"), SetCookieOutcome::kIgnoredHttpOnlyFromNonHttp);
  EXPECT_EQ(Find(jar, "h")->value, "1");
  EXPECT_EQ(set_from_script("s=3"), SetCookieOutcome::kStored);
  EXPECT_EQ(set_from_script("s=4"), SetCookieOutcome::kStored);
  EXPECT_EQ(Find(jar, "s")->value, "4");
}

TEST(CookieJarTest, HandshakeSetCookiesReachTheNextHandshakeRequest) {
  // §4.2: Set-Cookie on the 101 is stored, HttpOnly honoured; §4.1: Cookie on the next request.
  HandshakeResponseParser parser(HandshakeExpectation::kTcpConnection);
  ASSERT_EQ(parser.Feed("HTTP/1.1 101 Switching Protocols\r\n"
                        "Upgrade: TCPConnection/1.0\r\nConnection: Upgrade\r\n"
                        "Set-Cookie: session=abc; HttpOnly; Path=/\r\n"
                        "Set-Cookie: lb=node7; Max-Age=60\r\n"
                        "Set-Cookie: evil=1; Domain=com\r\n\r\n"),
            HandshakeStatus::kSwitchingProtocols);
  const UrlResult url = ParseConnectionUrl("http://example.com/socket", "");
  ASSERT_TRUE(url.ok());
  const CookieUrl cookie_url = CookieUrl::FromConnectionUrl(url.value());
  CookieJar jar;
  for (const std::string& set_cookie : parser.response().SetCookieValues()) {
    jar.SetCookie(cookie_url, set_cookie, CookieTransport::kInsecure, CookieSource::kHttp, kNow);
  }
  const std::string cookie =
      jar.CookieHeaderFor(cookie_url, CookieTransport::kInsecure, CookieSource::kHttp, kNow);
  EXPECT_EQ(cookie, "session=abc; lb=node7");
  const Result<std::string> request = BuildHandshakeRequest(
      {url.value().request_target, url.value().HostHeader(), "http://example.com", cookie});
  ASSERT_TRUE(request.ok()) << request.error().message;
  EXPECT_NE(request.value().find("\r\nCookie: session=abc; lb=node7\r\n"), std::string::npos);
}

}  // namespace
}  // namespace switchboard
