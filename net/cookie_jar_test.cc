// Tests of the cookie jar: RFC 6265 §5.1.3-§5.4 (with RFC 6265bis's safety rules), public
// suffixes through libpsl, curl's Netscape cookie file, and interoperability with the curl CLI.
// The Set-Cookie parser's own tests are in set_cookie_parser_test.cc.
#include "net/cookie_jar.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "net/handshake.h"
#include "net/testing/test_servers.h"
#include "net/url.h"

namespace switchboard {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::seconds;

// 2024-06-01T12:00:00Z.
const CookieTime kNow = CookieTime(seconds(1717243200));
constexpr int64_t kNowUnix = 1717243200;

CookieExpiry UnixTime(int64_t seconds_since_epoch) {
  return CookieExpiry(seconds(seconds_since_epoch));
}

CookieUrl Http(std::string_view host, std::string_view path = "/") {
  return CookieUrl{"http", host, path};
}
CookieUrl Https(std::string_view host, std::string_view path = "/") {
  return CookieUrl{"https", host, path};
}

// Sets over the transport the URL's scheme implies, from an HTTP API.
SetCookieOutcome Set(CookieJar& jar, const CookieUrl& url, std::string_view set_cookie,
                     CookieTime now = kNow) {
  const CookieTransport transport =
      url.scheme == "https" ? CookieTransport::kSecure : CookieTransport::kInsecure;
  return jar.SetCookie(url, set_cookie, transport, CookieSource::kHttp, now);
}

std::string Get(CookieJar& jar, const CookieUrl& url, CookieTime now = kNow) {
  const CookieTransport transport =
      url.scheme == "https" ? CookieTransport::kSecure : CookieTransport::kInsecure;
  return jar.CookieHeaderFor(url, transport, CookieSource::kHttp, now);
}

std::optional<Cookie> Find(const CookieJar& jar, std::string_view name, CookieTime now = kNow) {
  for (const Cookie& cookie : jar.AllCookies(now)) {
    if (cookie.name == name) return cookie;
  }
  return std::nullopt;
}

// A fresh directory under the test's temporary directory.
std::string MakeTemporaryDirectory() {
  std::string pattern = ::testing::TempDir() + "cookie_jar_test.XXXXXX";
  const char* made = mkdtemp(pattern.data());
  EXPECT_NE(made, nullptr);
  return pattern;
}

std::string ReadWholeFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

void WriteWholeFile(const std::string& path, std::string_view contents) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << contents;
}

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

// --- curl's Netscape cookie file
// ---------------------------------------------------------------------

class NetscapeFileTest : public ::testing::Test {
 protected:
  void SetUp() override { directory_ = MakeTemporaryDirectory(); }
  void TearDown() override { std::system(("rm -rf '" + directory_ + "'").c_str()); }
  std::string PathOf(std::string_view name) const { return directory_ + "/" + std::string(name); }

  std::string directory_;
};

TEST_F(NetscapeFileTest, SaveWritesCurlsFormat) {
  CookieJar jar;
  ASSERT_EQ(Set(jar, Https("www.example.com", "/"), "host=1"), SetCookieOutcome::kStored);
  ASSERT_EQ(
      Set(jar, Https("www.example.com", "/"), "dom=2; Domain=example.com; Path=/app; Max-Age=60"),
      SetCookieOutcome::kStored);
  ASSERT_EQ(Set(jar, Https("www.example.com", "/"), "sec=3; Secure; HttpOnly; Max-Age=120"),
            SetCookieOutcome::kStored);
  ASSERT_EQ(Set(jar, Https("10.0.0.1", "/"), "ip=a=b"), SetCookieOutcome::kStored);
  ASSERT_EQ(Set(jar, Https("www.example.com", "/"), "empty="), SetCookieOutcome::kStored);
  ASSERT_EQ(Set(jar, Https("www.example.com", "/"), "gone=1; Max-Age=1"),
            SetCookieOutcome::kStored);
  ASSERT_EQ(Set(jar, Https("www.example.com", "/"), "tab=a\tb"), SetCookieOutcome::kStored);

  const std::string path = PathOf("jar.txt");
  const Result<Ok> saved = jar.SaveNetscapeFile(path, kNow + seconds(1));
  ASSERT_TRUE(saved.ok()) << saved.error().message;
  const std::string expected =
      "# Netscape HTTP Cookie File\n"
      "# https://curl.se/docs/http-cookies.html\n"
      "# This file was generated by Switchboard. Edit at your own risk.\n"
      "\n"
      "www.example.com\tFALSE\t/\tFALSE\t0\thost\t1\n"
      ".example.com\tTRUE\t/app\tFALSE\t" +
      std::to_string(kNowUnix + 60) +
      "\tdom\t2\n"
      "#HttpOnly_www.example.com\tFALSE\t/\tTRUE\t" +
      std::to_string(kNowUnix + 120) +
      "\tsec\t3\n"
      "10.0.0.1\tFALSE\t/\tFALSE\t0\tip\ta=b\n"
      "www.example.com\tFALSE\t/\tFALSE\t0\tempty\t\n";
  EXPECT_EQ(ReadWholeFile(path), expected);
  struct stat status {};
  ASSERT_EQ(stat(path.c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 0777, 0600u);
}

TEST_F(NetscapeFileTest, RoundTrip) {
  CookieJar jar;
  ASSERT_EQ(Set(jar, Https("www.example.com", "/a/b"), "host=1"), SetCookieOutcome::kStored);
  ASSERT_EQ(Set(jar, Https("www.example.com"), "dom=2; Domain=example.com; Max-Age=600"),
            SetCookieOutcome::kStored);
  ASSERT_EQ(Set(jar, Https("www.example.com"), "__Host-sec=3; Secure; HttpOnly; Path=/"),
            SetCookieOutcome::kStored);
  ASSERT_EQ(Set(jar, Https("::1"), "v6=\xC3\xA9\xFF; Path=/x"), SetCookieOutcome::kStored);
  const std::string path = PathOf("jar.txt");
  ASSERT_TRUE(jar.SaveNetscapeFile(path, kNow).ok());

  CookieJar loaded;
  const CookieTime later = kNow + seconds(30);
  const Result<size_t> count = loaded.LoadNetscapeFile(path, later);
  ASSERT_TRUE(count.ok()) << count.error().message;
  EXPECT_EQ(count.value(), 4u);
  std::vector<Cookie> expected = jar.AllCookies(later);
  for (Cookie& cookie : expected) cookie.creation_time = cookie.last_access_time = later;
  EXPECT_EQ(loaded.AllCookies(later), expected);
  EXPECT_EQ(Get(loaded, Https("www.example.com", "/a/x"), later), "host=1; dom=2; __Host-sec=3");

  // Saving the loaded jar writes the same file.
  const std::string path_again = PathOf("jar2.txt");
  ASSERT_TRUE(loaded.SaveNetscapeFile(path_again, later).ok());
  EXPECT_EQ(ReadWholeFile(path_again), ReadWholeFile(path));
}

TEST_F(NetscapeFileTest, SaveReplacesTheFileAndLeavesNoTemporaryFiles) {
  CookieJar jar;
  const std::string path = PathOf("jar.txt");
  WriteWholeFile(path, "old contents that are much longer than the new ones\n");
  ASSERT_TRUE(jar.SaveNetscapeFile(path, kNow).ok());
  EXPECT_EQ(ReadWholeFile(path).rfind("# Netscape HTTP Cookie File\n", 0), 0u);
  EXPECT_EQ(std::system(("test $(ls -A '" + directory_ + "' | wc -l) -eq 1").c_str()), 0);
}

// A jar path that is not a regular file is written, never replaced: `--cookie-jar /dev/null`
// once replaced the machine's /dev/null with a regular file (the rename over it).
TEST_F(NetscapeFileTest, SaveWritesIntoAFifoInsteadOfReplacingIt) {
  const std::string fifo = PathOf("jar.fifo");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::string read_back;
  std::thread reader([&] { read_back = ReadWholeFile(fifo); });
  CookieJar jar;
  Set(jar, Http("example.com"), "session=abc");
  ASSERT_TRUE(jar.SaveNetscapeFile(fifo, kNow).ok());
  reader.join();
  struct stat status {};
  ASSERT_EQ(lstat(fifo.c_str(), &status), 0);
  EXPECT_TRUE(S_ISFIFO(status.st_mode));
  EXPECT_NE(read_back.find("\tsession\tabc\n"), std::string::npos) << read_back;
  EXPECT_EQ(std::system(("test $(ls -A '" + directory_ + "' | wc -l) -eq 1").c_str()), 0);
}

TEST_F(NetscapeFileTest, SaveThroughASymbolicLinkReplacesItsTarget) {
  const std::string target = PathOf("real-jar.txt");
  const std::string link = PathOf("jar-link.txt");
  WriteWholeFile(target, "old\n");
  ASSERT_EQ(symlink(target.c_str(), link.c_str()), 0);
  CookieJar jar;
  Set(jar, Http("example.com"), "session=abc");
  ASSERT_TRUE(jar.SaveNetscapeFile(link, kNow).ok());
  struct stat status {};
  ASSERT_EQ(lstat(link.c_str(), &status), 0);
  EXPECT_TRUE(S_ISLNK(status.st_mode));
  EXPECT_NE(ReadWholeFile(target).find("\tsession\tabc\n"), std::string::npos);
}

TEST_F(NetscapeFileTest, ReadsWhatCurlWrites) {
  // As curl 7.88 writes it (-c), plus what other tools write: CRLF, a missing value field.
  const std::string expires = std::to_string(kNowUnix + 3600);
  const std::string file =
      "# Netscape HTTP Cookie File\n"
      "# https://curl.se/docs/http-cookies.html\n"
      "# This file was generated by libcurl! Edit at your own risk.\n"
      "\n"
      "#HttpOnly_.example.com\tTRUE\t/\tFALSE\t0\tsession\tabc\n"
      "www.example.com\tFALSE\t/app\tTRUE\t" +
      expires +
      "\tpref\tdark\r\n"
      "example.org\tFALSE\t/\tFALSE\t0\tnovalue\n"
      "  \n";
  const std::string path = PathOf("curl.txt");
  WriteWholeFile(path, file);
  CookieJar jar;
  const Result<size_t> count = jar.LoadNetscapeFile(path, kNow);
  ASSERT_TRUE(count.ok()) << count.error().message;
  EXPECT_EQ(count.value(), 3u);

  const Cookie session = Find(jar, "session").value();
  EXPECT_EQ(session.domain, "example.com");
  EXPECT_FALSE(session.host_only);
  EXPECT_TRUE(session.http_only);
  EXPECT_FALSE(session.expiry.has_value());
  const Cookie pref = Find(jar, "pref").value();
  EXPECT_EQ(pref.domain, "www.example.com");
  EXPECT_TRUE(pref.host_only);
  EXPECT_TRUE(pref.secure_only);
  EXPECT_EQ(pref.path, "/app");
  EXPECT_EQ(pref.value, "dark");
  EXPECT_EQ(pref.expiry, UnixTime(kNowUnix + 3600));
  EXPECT_EQ(Find(jar, "novalue")->value, "");
  EXPECT_EQ(Get(jar, Https("www.example.com", "/app/x")), "pref=dark; session=abc");
  EXPECT_EQ(jar.CookieHeaderFor(Http("www.example.com", "/app"), CookieTransport::kInsecure,
                                CookieSource::kNonHttp, kNow),
            "");
}

TEST_F(NetscapeFileTest, SkipsLinesThatAreNotValidCookies) {
  const std::string future = std::to_string(kNowUnix + 3600);
  const std::string file =
      "# Netscape HTTP Cookie File\n"
      "example.com\tFALSE\t/\tFALSE\t0\tgood\t1\n"
      "example.com\tFALSE\t/\tFALSE\t0\tn\tv\textra\n"  // eight fields
      "example.com\tFALSE\t/\tFALSE\t0\n"               // five fields
      "example.com\tMAYBE\t/\tFALSE\t0\tn\tv\n"         // bad boolean
      "example.com\tFALSE\t/\tYES\t0\tn\tv\n"           // bad boolean
      "example.com\tFALSE\t/\tFALSE\tsoon\tn\tv\n"      // bad expiry
      "example.com\tFALSE\t/\tFALSE\t1000\told\tv\n"    // expired
      "example.com\tFALSE\t/\tFALSE\t-5\tneg\tv\n"      // expired
      "example.com\tFALSE\trelative\tFALSE\t0\tn\tv\n"  // path without "/"
      "exa mple.com\tFALSE\t/\tFALSE\t0\tn\tv\n"        // not a host
      "\tFALSE\t/\tFALSE\t0\tn\tv\n"                    // no host
      ".com\tTRUE\t/\tFALSE\t0\tsuffix\tv\n"            // public suffix
      ".co.uk\tTRUE\t/\tFALSE\t0\tsuffix\tv\n"          // public suffix
      "example.com\tFALSE\t/\tFALSE\t0\t\tv\n"          // empty name
      "example.com\tFALSE\t/\tFALSE\t0\ta=b\tv\n"       // "=" in the name
      "example.com\tFALSE\t/\tFALSE\t0\tn\tv;w\n"       // ";" in the value
      "example.com\tFALSE\t/\tFALSE\t0\tn\tv\x01\n"     // control byte
      "example.com\tFALSE\t/\tFALSE\t0\t n\tv\n"        // padded name
      "example.com\tFALSE\t/\tFALSE\t0\tn\t" +
      std::string(4096, 'v') +
      "\n"                                                // too large
      "example.com\tTRUE\t/\tTRUE\t0\t__Host-x\tv\n"      // __Host- on a domain cookie
      "example.com\tFALSE\t/\tFALSE\t0\t__Secure-x\tv\n"  // __Secure- without Secure
      "#example.com\tFALSE\t/\tFALSE\t0\tcommented\tv\n"
      "example.com\tFALSE\t/\tFALSE\t" +
      future +
      "\tgood2\t2\n"
      "garbage without tabs\n"
      ".10.0.0.1\tTRUE\t/\tFALSE\t0\tip\t1";  // no final newline; an IP is host-only
  const std::string path = PathOf("bad.txt");
  WriteWholeFile(path, file);
  CookieJar jar;
  const Result<size_t> count = jar.LoadNetscapeFile(path, kNow);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(count.value(), 3u);
  std::set<std::string> names;
  for (const Cookie& cookie : jar.AllCookies(kNow)) names.insert(cookie.name);
  EXPECT_EQ(names, (std::set<std::string>{"good", "good2", "ip"}));
  EXPECT_TRUE(Find(jar, "ip")->host_only);
  EXPECT_EQ(Get(jar, Http("www.10.0.0.1")), "");
}

TEST_F(NetscapeFileTest, LoadedCookiesReplaceAndRespectLimits) {
  CookieJar jar(CookieJarLimits{2, 10});
  ASSERT_EQ(Set(jar, Http("example.com"), "a=memory"), SetCookieOutcome::kStored);
  const std::string path = PathOf("jar.txt");
  WriteWholeFile(path,
                 "example.com\tFALSE\t/\tFALSE\t0\ta\tfile\n"
                 "example.com\tFALSE\t/\tFALSE\t0\tb\t1\n"
                 "example.com\tFALSE\t/\tFALSE\t0\tc\t1\n"
                 "example.com\tFALSE\t/\tFALSE\t" +
                     std::to_string(kNowUnix + days(1000) / seconds(1)) + "\tlong\t1\n");
  ASSERT_TRUE(jar.LoadNetscapeFile(path, kNow).ok());
  EXPECT_EQ(jar.AllCookies(kNow).size(), 2u);
  EXPECT_EQ(Find(jar, "long")->expiry, UnixTime(kNowUnix) + days(400));  // capped on load too
}

TEST_F(NetscapeFileTest, ErrorsAreReported) {
  CookieJar jar;
  const Result<size_t> missing = jar.LoadNetscapeFile(PathOf("missing.txt"), kNow);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().stage, Stage::kLoad);
  EXPECT_NE(missing.error().message.find("missing.txt"), std::string::npos);
  const Result<Ok> unwritable = jar.SaveNetscapeFile(PathOf("no/such/dir/jar.txt"), kNow);
  ASSERT_FALSE(unwritable.ok());
  EXPECT_EQ(unwritable.error().stage, Stage::kLoad);
  EXPECT_FALSE(jar.LoadNetscapeFile(directory_, kNow).ok());  // a directory
}

TEST_F(NetscapeFileTest, OversizedFilesAreRefused) {
  const std::string path = PathOf("huge.txt");
  WriteWholeFile(path, "");
  ASSERT_EQ(truncate(path.c_str(), 65 * 1024 * 1024), 0);  // sparse: costs no disk
  CookieJar jar;
  const Result<size_t> count = jar.LoadNetscapeFile(path, kNow);
  ASSERT_FALSE(count.ok());
  EXPECT_NE(count.error().message.find("64 MiB"), std::string::npos);
}

// --- Interoperability with the curl CLI
// --------------------------------------------------------------

// The value of the request's Cookie header split into its pairs.
std::set<std::string> CookiePairsOf(const std::string& request_head) {
  std::set<std::string> pairs;
  const size_t start = request_head.find("\r\nCookie: ");
  if (start == std::string::npos) return pairs;
  const size_t value_start = start + std::string_view("\r\nCookie: ").size();
  const std::string value =
      request_head.substr(value_start, request_head.find("\r\n", value_start) - value_start);
  size_t position = 0;
  while (position <= value.size()) {
    const size_t separator = value.find("; ", position);
    pairs.insert(value.substr(position, separator - position));
    if (separator == std::string::npos) break;
    position = separator + 2;
  }
  return pairs;
}

TEST_F(NetscapeFileTest, CurlSendsOurCookiesAndWeReadCurlsJar) {
  if (std::system("curl --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "no curl CLI";
  // curl applies its own clock to expiry times: use the real one.
  const CookieTime now = std::chrono::system_clock::now();
  CookieJar jar;
  const auto set = [&](std::string_view host, std::string_view set_cookie) {
    ASSERT_EQ(
        jar.SetCookie(Https(host), set_cookie, CookieTransport::kSecure, CookieSource::kHttp, now),
        SetCookieOutcome::kStored)
        << set_cookie;
  };
  set("www.example.test", "ours=1");                                     // host-only
  set("www.example.test", "wide=2; Domain=example.test; Max-Age=3600");  // ".example.test TRUE"
  set("www.example.test", "secret=3; HttpOnly");                         // "#HttpOnly_"
  set("www.example.test", "tls_only=4; Secure");                         // not over http
  set("www.example.test", "elsewhere=5; Path=/other");                   // another path
  set("other.test", "foreign=6");                                        // another host
  const std::string ours = PathOf("ours.txt");
  ASSERT_TRUE(jar.SaveNetscapeFile(ours, now).ok());

  // One request: its head is kept, a fixed response answers it.
  const std::string response =
      "HTTP/1.1 200 OK\r\n"
      "Set-Cookie: from_curl=7; Path=/\r\n"
      "Set-Cookie: curl_secret=8; HttpOnly; Path=/\r\n"
      "Set-Cookie: curl_wide=9; Domain=example.test; Path=/; Max-Age=7200\r\n"
      "Content-Length: 2\r\nConnection: close\r\n\r\nok";
  std::string request_head;
  auto server = std::make_unique<testing::ScriptedListener>(
      [&](testing::ScriptedListener& listener, int socket) {
        const std::string received = listener.ReadUntil(socket, "\r\n\r\n");
        request_head = received.substr(0, received.find("\r\n\r\n"));
        testing::ScriptedListener::WriteAll(socket, response);
      });
  ASSERT_NE(server->port(), 0);
  const std::string port = std::to_string(server->port());
  const std::string curls = PathOf("curls.txt");
  // -q: no ~/.curlrc; --noproxy: never a proxy from the environment; --resolve: a host name
  // that is not "localhost" (curl treats localhost as secure and would send Secure cookies).
  const std::string command =
      "curl -q -sS --noproxy '*' --max-time 20 --resolve www.example.test:" + port +
      ":127.0.0.1 -b '" + ours + "' -c '" + curls +
      "' -o /dev/null http://www.example.test:" + port + "/chat/room";
  // curl stamps Max-Age with its own clock while it runs: between these two readings.
  const auto curl_started = std::chrono::floor<seconds>(std::chrono::system_clock::now());
  const int status = std::system(command.c_str());
  const auto curl_ended = std::chrono::floor<seconds>(std::chrono::system_clock::now());
  server.reset();  // joins its threads: request_head is complete
  ASSERT_EQ(status, 0) << command;

  // curl sent exactly the cookies our jar would send to that URL over http.
  const std::set<std::string> expected_pairs = {"ours=1", "wide=2", "secret=3"};
  EXPECT_EQ(CookiePairsOf(request_head), expected_pairs) << request_head;
  const std::string our_header = jar.CookieHeaderFor(
      Http("www.example.test", "/chat/room"), CookieTransport::kInsecure, CookieSource::kHttp, now);
  EXPECT_EQ(CookiePairsOf("\r\nCookie: " + our_header + "\r\n"), expected_pairs);

  // curl's jar holds our cookies and its own, and we read all of them back.
  const std::string curl_file = ReadWholeFile(curls);
  EXPECT_NE(curl_file.find("#HttpOnly_www.example.test\tFALSE\t/\tFALSE\t0\tcurl_secret\t8"),
            std::string::npos)
      << curl_file;
  CookieJar from_curl;
  const Result<size_t> count = from_curl.LoadNetscapeFile(curls, now);
  ASSERT_TRUE(count.ok()) << count.error().message;
  EXPECT_EQ(count.value(), 9u) << curl_file;

  const Cookie from_curl_cookie = Find(from_curl, "from_curl", now).value();
  EXPECT_TRUE(from_curl_cookie.host_only);
  EXPECT_EQ(from_curl_cookie.domain, "www.example.test");
  EXPECT_FALSE(from_curl_cookie.http_only);
  EXPECT_FALSE(from_curl_cookie.expiry.has_value());
  const Cookie curl_secret = Find(from_curl, "curl_secret", now).value();
  EXPECT_TRUE(curl_secret.http_only);
  const Cookie curl_wide = Find(from_curl, "curl_wide", now).value();
  EXPECT_FALSE(curl_wide.host_only);
  EXPECT_EQ(curl_wide.domain, "example.test");
  ASSERT_TRUE(curl_wide.expiry.has_value());
  // Max-Age=7200 from the moment curl received the response, however long it took to get there.
  EXPECT_GE(*curl_wide.expiry, curl_started + seconds(7200));
  EXPECT_LE(*curl_wide.expiry, curl_ended + seconds(7200));
  // Our cookies survived curl's rewrite with their flags.
  EXPECT_TRUE(Find(from_curl, "secret", now)->http_only);
  EXPECT_TRUE(Find(from_curl, "tls_only", now)->secure_only);
  EXPECT_FALSE(Find(from_curl, "wide", now)->host_only);
  EXPECT_EQ(Find(from_curl, "wide", now)->expiry, Find(jar, "wide", now)->expiry);
  EXPECT_EQ(Find(from_curl, "elsewhere", now)->path, "/other");
  EXPECT_EQ(Find(from_curl, "foreign", now)->domain, "other.test");

  // And the jar curl wrote sends, to the next handshake, what curl would send.
  const std::set<std::string> next_pairs = CookiePairsOf(
      "\r\nCookie: " +
      from_curl.CookieHeaderFor(Http("www.example.test", "/chat/room"), CookieTransport::kInsecure,
                                CookieSource::kHttp, now) +
      "\r\n");
  EXPECT_EQ(next_pairs, (std::set<std::string>{"ours=1", "wide=2", "secret=3", "from_curl=7",
                                               "curl_secret=8", "curl_wide=9"}));
}

}  // namespace
}  // namespace switchboard
