// Tests of ConnectionUrl parsing: spec §2 steps 1-4 and §4.1's request target.
#include "net/url.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <string>

namespace switchboard {
namespace {

ConnectionUrl ParseOk(std::string_view input, std::string_view base = {}) {
  UrlResult result = ParseConnectionUrl(input, base);
  EXPECT_TRUE(result.ok()) << "input '" << input << "' base '" << base
                           << "': " << (result.ok() ? "" : result.error().message);
  if (!result.ok()) return {};
  return std::move(result).value();
}

// The kind of error, or nullopt when the URL was accepted.
std::optional<UrlErrorKind> ErrorKind(std::string_view input, std::string_view base = {}) {
  UrlResult result = ParseConnectionUrl(input, base);
  if (result.ok()) return std::nullopt;
  EXPECT_FALSE(result.error().message.empty());
  return result.error().kind;
}

// §4.1: nothing a request line could be split or smuggled with.
void ExpectWireSafe(const std::string& target) {
  EXPECT_TRUE(IsSafeRequestTarget(target)) << target;
  for (char c : target) {
    const auto byte = static_cast<unsigned char>(c);
    EXPECT_TRUE(byte > 0x20 && byte < 0x7F) << "byte " << int{byte} << " in " << target;
  }
}

// --- §2 step 1: parsing and resolving ----------------------------------------------------------

TEST(UrlTest, AbsoluteHttpUrl) {
  const ConnectionUrl url = ParseOk("http://example.com");
  EXPECT_EQ(url.href, "http://example.com/");
  EXPECT_EQ(url.scheme, "http");
  EXPECT_EQ(url.host, "example.com");
  EXPECT_EQ(url.port, 80);
  EXPECT_TRUE(url.port_is_default);
  EXPECT_EQ(url.request_target, "/");
  EXPECT_EQ(url.HostHeader(), "example.com");
  EXPECT_EQ(url.Network(), "example.com:80");
  EXPECT_EQ(url.origin().Serialize(), "http://example.com");
}

TEST(UrlTest, HttpsUrlWithPortPathAndQuery) {
  const ConnectionUrl url = ParseOk("https://Example.COM:8443/some/url?x=1&y=2");
  EXPECT_EQ(url.href, "https://example.com:8443/some/url?x=1&y=2");
  EXPECT_EQ(url.scheme, "https");
  EXPECT_EQ(url.host, "example.com");
  EXPECT_EQ(url.port, 8443);
  EXPECT_FALSE(url.port_is_default);
  EXPECT_EQ(url.request_target, "/some/url?x=1&y=2");
  EXPECT_EQ(url.HostHeader(), "example.com:8443");
  EXPECT_EQ(url.Network(), "example.com:8443");
  EXPECT_EQ(url.origin().Serialize(), "https://example.com:8443");
}

TEST(UrlTest, SchemeAndHostAreLowerCased) {
  const ConnectionUrl url = ParseOk("HTTP://WWW.EXAMPLE.COM/Path/Keeps/Case");
  EXPECT_EQ(url.scheme, "http");
  EXPECT_EQ(url.host, "www.example.com");
  EXPECT_EQ(url.request_target, "/Path/Keeps/Case");
  EXPECT_EQ(url.href, "http://www.example.com/Path/Keeps/Case");
}

TEST(UrlTest, LeadingAndTrailingSpacesAndControlsAreTrimmed) {
  EXPECT_EQ(ParseOk("  \t\nhttp://example.com/x \r\n").href, "http://example.com/x");
}

TEST(UrlTest, RelativeUrlsResolveAgainstAnHttpBase) {
  constexpr std::string_view kBase = "http://example.com/dir/page.html?old#top";
  EXPECT_EQ(ParseOk("socket", kBase).href, "http://example.com/dir/socket");
  EXPECT_EQ(ParseOk("/root", kBase).href, "http://example.com/root");
  EXPECT_EQ(ParseOk("../up", kBase).href, "http://example.com/up");
  EXPECT_EQ(ParseOk("./a/../b", kBase).href, "http://example.com/dir/b");
  EXPECT_EQ(ParseOk("?q=1", kBase).href, "http://example.com/dir/page.html?q=1");
  EXPECT_EQ(ParseOk("//other.example/x", kBase).href, "http://other.example/x");
  EXPECT_EQ(ParseOk("//other.example:8080", kBase).href, "http://other.example:8080/");
  EXPECT_EQ(ParseOk("https://secure.example/", kBase).href, "https://secure.example/");
}

TEST(UrlTest, SchemeRelativeUrlKeepsAnHttpsBaseScheme) {
  const ConnectionUrl url = ParseOk("//chat.example/room", "https://example.com/");
  EXPECT_EQ(url.scheme, "https");
  EXPECT_EQ(url.port, 443);
  EXPECT_EQ(url.href, "https://chat.example/room");
}

TEST(UrlTest, EmptyInputIsTheBaseWithoutItsFragment) {
  EXPECT_EQ(ParseOk("", "http://example.com/dir/page?q").href, "http://example.com/dir/page?q");
  EXPECT_EQ(ParseOk("  ", "http://example.com/a").href, "http://example.com/a");
  // The base's fragment is not the URL's fragment.
  EXPECT_EQ(ParseOk("", "http://example.com/a#f").href, "http://example.com/a");
  EXPECT_EQ(ErrorKind(""), UrlErrorKind::kSyntax);
}

// Found by fuzz/connection_url_fuzzer: curl 7.88 resolved against the base's whole string and
// cut it at the last '/' even inside the fragment, so the input landed in the fragment.
TEST(UrlTest, BaseFragmentTakesNoPartInResolving) {
  constexpr std::string_view kBase = "http://example.com/app/#/chat/room";
  const ConnectionUrl url = ParseOk("socket", kBase);
  EXPECT_EQ(url.href, "http://example.com/app/socket");
  EXPECT_EQ(url.request_target, "/app/socket");
  EXPECT_EQ(ParseOk("../up", kBase).href, "http://example.com/up");
  EXPECT_EQ(ParseOk("?q=1", kBase).href, "http://example.com/app/?q=1");
  EXPECT_EQ(ParseOk("", kBase).href, "http://example.com/app/");
  EXPECT_EQ(ParseOk("x", "http://example.com/page.html?q#a/b").href, "http://example.com/x");
}

// Found by fuzz/connection_url_fuzzer: what the base lends the URL is percent-encoded like the
// input, so the same URL gets the same `url` attribute however it was written.
TEST(UrlTest, NonAsciiInTheBaseIsPercentEncodedLikeTheInput) {
  constexpr std::string_view kBase = "http://\xC3\xBC:p\xC3\xA4ss@example.com/\xC3\xA9/";
  const ConnectionUrl absolute = ParseOk("http://\xC3\xBC:p\xC3\xA4ss@example.com/\xC3\xA9/x");
  EXPECT_EQ(absolute.href, "http://%C3%BC:p%C3%A4ss@example.com/%C3%A9/x");
  EXPECT_EQ(ParseOk("x", kBase).href, absolute.href);
  EXPECT_EQ(ParseOk("x", kBase).request_target, "/%C3%A9/x");
  EXPECT_EQ(ParseOk("", kBase).href, "http://%C3%BC:p%C3%A4ss@example.com/%C3%A9/");
}

TEST(UrlTest, RelativeUrlsAgainstAFileBase) {
  constexpr std::string_view kBase = "file:///home/user/page.html";
  EXPECT_EQ(ParseOk("http://example.com/x", kBase).href, "http://example.com/x");
  // Relative URLs stay file: URLs, which are not TCPConnection URLs.
  EXPECT_EQ(ErrorKind("socket", kBase), UrlErrorKind::kSyntax);
  EXPECT_EQ(ErrorKind("/socket", kBase), UrlErrorKind::kSyntax);
  EXPECT_EQ(ErrorKind("//host/path", kBase), UrlErrorKind::kSyntax);
  EXPECT_EQ(ErrorKind("", kBase), UrlErrorKind::kSyntax);
}

TEST(UrlTest, RelativeUrlWithoutUsableBaseIsASyntaxError) {
  EXPECT_EQ(ErrorKind("socket"), UrlErrorKind::kSyntax);
  EXPECT_EQ(ErrorKind("/socket"), UrlErrorKind::kSyntax);
  EXPECT_EQ(ErrorKind("//example.com/x"), UrlErrorKind::kSyntax);
  EXPECT_EQ(ErrorKind("socket", "about:blank"), UrlErrorKind::kSyntax);
  EXPECT_EQ(ErrorKind("socket", "not a url"), UrlErrorKind::kSyntax);
  // An absolute URL does not need the base.
  EXPECT_EQ(ParseOk("http://example.com/", "not a url").href, "http://example.com/");
}

TEST(UrlTest, DotSegmentsAreRemoved) {
  EXPECT_EQ(ParseOk("http://example.com/a/./b/../c").request_target, "/a/c");
}

TEST(UrlTest, UserinfoStaysOutOfHostHeaderAndOrigin) {
  const ConnectionUrl url = ParseOk("http://user:secret@example.com:8080/x");
  EXPECT_EQ(url.host, "example.com");
  EXPECT_EQ(url.HostHeader(), "example.com:8080");
  EXPECT_EQ(url.origin().Serialize(), "http://example.com:8080");
  EXPECT_EQ(url.request_target, "/x");
}

TEST(UrlTest, MalformedUrlsAreSyntaxErrors) {
  const std::string_view inputs[] = {"http://",
                                     "http:// /",
                                     "http://exa mple.com/",
                                     "http://a%2Fb/",
                                     "http://a%00b/",
                                     "http://a%0D%0Ab/",
                                     "http://[::1/",
                                     "http://[::g]/",
                                     "http://[1.2.3.4]/",
                                     "http://x:abc/",
                                     "http://x:65536/",
                                     "http://x:-1/",
                                     std::string_view("http://exa\0mple.com/", 20),
                                     "://example.com/",
                                     "http://\xFF.com/"};
  for (std::string_view input : inputs) {
    EXPECT_EQ(ErrorKind(input), UrlErrorKind::kSyntax) << input;
  }
}

// The URL Standard removes every tab and newline from the input before parsing (§4.4 step 3),
// and its hosts may hold any code point but the forbidden ones: what browsers accept is
// accepted (issue 15's table), and resolution fails later if no such name exists.
TEST(UrlTest, TabsAndNewlinesAreRemovedAnywhere) {
  EXPECT_EQ(ParseOk("http://exa\nmple.com/").href, "http://example.com/");
  EXPECT_EQ(ParseOk("http://exa\rmple.com/").href, "http://example.com/");
  EXPECT_EQ(ParseOk("http://exa\tmple.com/").href, "http://example.com/");
  EXPECT_EQ(ParseOk("http://example\t.\norg").href, "http://example.org/");
  EXPECT_EQ(ParseOk("http://example.com/foo\tbar").request_target, "/foobar");
}

TEST(UrlTest, HostsBrowsersAccept) {
  for (std::string_view host : {"a!b.com", "a..b", ".a", "a_b", "a~b"}) {
    const ConnectionUrl url = ParseOk("http://" + std::string(host) + "/");
    EXPECT_EQ(url.host, host);
    EXPECT_EQ(CanonicalizeHost(host), host);
  }
}

TEST(UrlTest, OnlyHttpAndHttpsSchemes) {
  for (std::string_view input :
       {"javascript:alert(1)", "ftp://example.com/", "ws://example.com/", "wss://example.com/",
        "file:///etc/passwd", "data:text/plain,hello", "mailto:a@example.com",
        "gopher://example.com/", "smtp://example.com/", "about:blank", "tcpconnection://x/"}) {
    EXPECT_EQ(ErrorKind(input), UrlErrorKind::kSyntax) << input;
  }
  EXPECT_EQ(ErrorKind("javascript:alert(1)", "http://example.com/"), UrlErrorKind::kSyntax);
}

TEST(UrlTest, FragmentsAreSyntaxErrors) {
  for (std::string_view input :
       {"http://example.com/#", "http://example.com/#frag", "http://example.com/?q#frag",
        "http://example.com#x", "https://example.com/a%20b#"}) {
    EXPECT_EQ(ErrorKind(input), UrlErrorKind::kSyntax) << input;
  }
  EXPECT_EQ(ErrorKind("#frag", "http://example.com/page"), UrlErrorKind::kSyntax);
  EXPECT_EQ(ErrorKind("x#", "http://example.com/page"), UrlErrorKind::kSyntax);
}

// --- IPv4, IPv6 and IDN hosts -----------------------------------------------------------------

TEST(UrlTest, Ipv6Literal) {
  const ConnectionUrl url = ParseOk("http://[::1]:8080/x");
  EXPECT_EQ(url.host, "::1");
  EXPECT_EQ(url.port, 8080);
  EXPECT_EQ(url.HostHeader(), "[::1]:8080");
  EXPECT_EQ(url.Network(), "[::1]:8080");
  EXPECT_EQ(url.href, "http://[::1]:8080/x");
  EXPECT_EQ(url.origin().Serialize(), "http://[::1]:8080");
}

TEST(UrlTest, Ipv6LiteralIsCanonicalized) {
  const ConnectionUrl url = ParseOk("http://[0:0:0:0:0:0:0:1]/");
  EXPECT_EQ(url.host, "::1");
  EXPECT_EQ(url.HostHeader(), "[::1]");
  EXPECT_EQ(url.Network(), "[::1]:80");
  EXPECT_EQ(ParseOk("https://[2001:DB8::A]/").host, "2001:db8::a");
  EXPECT_EQ(ParseOk("https://[2001:DB8::A]/").href, "https://[2001:db8::a]/");
}

TEST(UrlTest, Ipv6ZoneIdentifierIsRejected) {
  EXPECT_EQ(ErrorKind("http://[fe80::1%25eth0]/"), UrlErrorKind::kSyntax);
}

TEST(UrlTest, Ipv4SpellingsAreNormalized) {
  EXPECT_EQ(ParseOk("http://127.0.0.1:8000/").host, "127.0.0.1");
  EXPECT_EQ(ParseOk("http://127.1/").host, "127.0.0.1");
  EXPECT_EQ(ParseOk("http://0x7f.0.0.1/").host, "127.0.0.1");
  EXPECT_EQ(ErrorKind("http://1.2.3.4.5/"), UrlErrorKind::kSyntax);
  EXPECT_EQ(ErrorKind("http://999.1.1.1/"), UrlErrorKind::kSyntax);
  EXPECT_EQ(ErrorKind("http://example.0x1g/"), std::nullopt);  // "0x1g" is not a number
}

TEST(UrlTest, IdnHostBecomesPunycode) {
  const ConnectionUrl url = ParseOk("http://bücher.example/");
  EXPECT_EQ(url.host, "xn--bcher-kva.example");
  EXPECT_EQ(url.href, "http://xn--bcher-kva.example/");
  EXPECT_EQ(url.HostHeader(), "xn--bcher-kva.example");
  EXPECT_EQ(url.Network(), "xn--bcher-kva.example:80");
  EXPECT_EQ(url.origin().Serialize(), "http://xn--bcher-kva.example");
}

TEST(UrlTest, IdnHostIsCaseFoldedAndNonTransitional) {
  EXPECT_EQ(ParseOk("http://BÜCHER.example/").host, "xn--bcher-kva.example");
  EXPECT_EQ(ParseOk("http://faß.de/").host, "xn--fa-hia.de");  // as browsers (UTS #46)
  EXPECT_EQ(ParseOk("http://\xE2\x98\x83.com/").host, "xn--n3h.com");
  EXPECT_EQ(ParseOk("http://%C3%BC.com/").host, "xn--tda.com");
  EXPECT_EQ(ParseOk("http://XN--BCHER-KVA.example/").host, "xn--bcher-kva.example");
}

TEST(UrlTest, IdnHostInRelativeUrl) {
  EXPECT_EQ(ParseOk("//bücher.example/x", "https://example.com/").href,
            "https://xn--bcher-kva.example/x");
}

// --- §2 step 2: ports --------------------------------------------------------------------------

TEST(UrlTest, DefaultPortsAreOmittedFromHrefAndHostHeader) {
  const ConnectionUrl http = ParseOk("http://example.com:80/");
  EXPECT_EQ(http.href, "http://example.com/");
  EXPECT_TRUE(http.port_is_default);
  EXPECT_EQ(http.HostHeader(), "example.com");
  const ConnectionUrl https = ParseOk("https://example.com:443/");
  EXPECT_EQ(https.href, "https://example.com/");
  EXPECT_EQ(https.port, 443);
  EXPECT_TRUE(https.port_is_default);
  EXPECT_EQ(ParseOk("http://example.com:00080/").href, "http://example.com/");
}

TEST(UrlTest, OtherSchemesDefaultPortIsNotDefault) {
  const ConnectionUrl url = ParseOk("http://example.com:443/");
  EXPECT_FALSE(url.port_is_default);
  EXPECT_EQ(url.href, "http://example.com:443/");
  EXPECT_EQ(url.HostHeader(), "example.com:443");
  EXPECT_FALSE(ParseOk("https://example.com:80/").port_is_default);
}

TEST(UrlTest, EmptyPortIsTheDefault) { EXPECT_EQ(ParseOk("http://example.com:/").port, 80); }

// The Fetch standard's list, written out independently of url.cc.
const std::set<uint16_t> kFetchBadPorts = {
    0,  // today's Fetch lists port 0 too (https://fetch.spec.whatwg.org/#bad-port)
    1,    7,    9,    11,   13,   15,   17,   19,   20,   21,   22,   23,   25,   37,
    42,   43,   53,   69,   77,   79,   87,   95,   101,  102,  103,  104,  109,  110,
    111,  113,  115,  117,  119,  123,  135,  137,  139,  143,  161,  179,  389,  427,
    465,  512,  513,  514,  515,  526,  530,  531,  532,  540,  548,  554,  556,  563,
    587,  601,  636,  989,  990,  993,  995,  1719, 1720, 1723, 2049, 3659, 4045, 4190,
    5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080};

TEST(UrlTest, EveryBadPortIsASecurityError) {
  for (uint16_t port : kFetchBadPorts) {
    for (std::string_view scheme : {"http", "https"}) {
      const std::string input =
          std::string(scheme) + "://example.com:" + std::to_string(port) + "/";
      UrlResult result = ParseConnectionUrl(input, {});
      ASSERT_FALSE(result.ok()) << input;
      EXPECT_EQ(result.error().kind, UrlErrorKind::kSecurity) << input;
      EXPECT_NE(result.error().message.find(std::to_string(port)), std::string::npos);
    }
  }
}

TEST(UrlTest, EveryOtherPortIsAllowed) {
  for (uint32_t port = 0; port <= 65535; ++port) {
    if (kFetchBadPorts.count(static_cast<uint16_t>(port)) != 0) continue;
    const std::string input = "http://example.com:" + std::to_string(port) + "/";
    UrlResult result = ParseConnectionUrl(input, {});
    ASSERT_TRUE(result.ok()) << input << ": " << result.error().message;
    EXPECT_EQ(result.value().port, port);
  }
}

TEST(UrlTest, SmtpAndIrcPortsAreBlockedEvenInRelativeUrls) {
  EXPECT_EQ(ErrorKind("//mail.example:25/", "http://example.com/"), UrlErrorKind::kSecurity);
  EXPECT_EQ(ErrorKind("https://irc.example:6667/"), UrlErrorKind::kSecurity);
}

TEST(UrlTest, SyntaxErrorsWinOverBadPorts) {
  EXPECT_EQ(ErrorKind("http://example.com:25/#x"), UrlErrorKind::kSyntax);
  EXPECT_EQ(ErrorKind("ftp://example.com:21/"), UrlErrorKind::kSyntax);
}

// --- §4.1: the request target -------------------------------------------------------------------

TEST(UrlTest, RequestTargetCannotCarryCrLfOrSpaces) {
  const ConnectionUrl url = ParseOk("http://example.com/a b\r\nHost: evil");
  EXPECT_EQ(url.request_target, "/a%20bHost:%20evil");
  EXPECT_EQ(url.href, "http://example.com/a%20bHost:%20evil");
  ExpectWireSafe(url.request_target);
  EXPECT_EQ(url.host, "example.com");
}

TEST(UrlTest, RelativeRequestTargetCannotCarryCrLfOrSpaces) {
  const ConnectionUrl url = ParseOk("/a b\r\nHost: evil", "http://example.com/page");
  EXPECT_EQ(url.request_target, "/a%20bHost:%20evil");
  ExpectWireSafe(url.request_target);
}

TEST(UrlTest, QueryCannotCarrySmtpCommands) {
  const ConnectionUrl url =
      ParseOk("http://example.com/?x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n\r\nQUIT");
  EXPECT_EQ(url.request_target, "/?xMAIL%20FROM:%3Ca@b%3ERCPT%20TO:%3Cc@d%3EQUIT");
  ExpectWireSafe(url.request_target);
}

// Tab, LF and CR are removed (URL Standard §4.4 step 3); every other C0 control and space is
// percent-encoded.
TEST(UrlTest, EveryControlByteIsEncodedInPathAndQuery) {
  for (int byte = 0; byte <= 0x20; ++byte) {
    const std::string text(1, static_cast<char>(byte));
    if (byte == '\t' || byte == '\n' || byte == '\r') {
      EXPECT_EQ(ParseOk("http://example.com/a" + text + "b?c" + text + "d").request_target,
                "/ab?cd");
      continue;
    }
    const ConnectionUrl url = ParseOk("http://example.com/a" + text + "b?c" + text + "d");
    char escape[4];
    std::snprintf(escape, sizeof escape, "%%%02X", byte);
    EXPECT_EQ(url.request_target, "/a" + std::string(escape) + "b?c" + escape + "d") << byte;
    ExpectWireSafe(url.request_target);
  }
  EXPECT_EQ(ParseOk("http://example.com/\x7F?\x7F").request_target, "/%7F?%7F");
}

TEST(UrlTest, NonAsciiPathAndQueryArePercentEncodedUtf8) {
  const ConnectionUrl url = ParseOk("http://example.com/caf\xC3\xA9?q=\xE2\x82\xAC");
  EXPECT_EQ(url.request_target, "/caf%C3%A9?q=%E2%82%AC");
  EXPECT_EQ(url.href, "http://example.com/caf%C3%A9?q=%E2%82%AC");
  ExpectWireSafe(ParseOk("http://example.com/\xFF\xFE?\x80").request_target);
}

// The URL Standard's path and (special-)query percent-encode sets (§1.3), as browsers send
// them; a backslash in a special URL's path is a slash.
TEST(UrlTest, PathAndQueryUseTheUrlStandardsEncodeSets) {
  EXPECT_EQ(ParseOk("http://example.com/a\"<>`{}|^\\b").request_target,
            "/a%22%3C%3E%60%7B%7D|%5E/b");
  EXPECT_EQ(ParseOk("http://example.com/?a=\"<>`{}|^'").request_target, "/?a=%22%3C%3E`{}|^%27");
}

// Escapes are kept as they are, and so is a '%' that starts none (browsers send it so).
TEST(UrlTest, ExistingEscapesAndStrayPercentsAreKept) {
  EXPECT_EQ(ParseOk("http://example.com/a%2Fb%20c?d=%41").request_target, "/a%2Fb%20c?d=%41");
  EXPECT_EQ(ParseOk("http://example.com/100%?50%").request_target, "/100%?50%");
  EXPECT_EQ(ParseOk("http://example.com/%zz%4").request_target, "/%zz%4");
}

TEST(UrlTest, AllowedCharactersAreKept) {
  constexpr std::string_view kPath = "/AZaz09-._~!$&'()*+,;=:@/";
  EXPECT_EQ(ParseOk("http://example.com" + std::string(kPath) + "?a=b/c?d").request_target,
            std::string(kPath) + "?a=b/c?d");
}

TEST(UrlTest, EmptyAndBareQueries) {
  EXPECT_EQ(ParseOk("http://example.com").request_target, "/");
  EXPECT_EQ(ParseOk("http://example.com?x").request_target, "/?x");
  EXPECT_EQ(ParseOk("http://example.com/?").request_target, "/?");
}

TEST(UrlTest, UserinfoControlBytesCannotReachTheHost) {
  const ConnectionUrl url = ParseOk("http://us\r\ner@example.com/");
  EXPECT_EQ(url.host, "example.com");
  EXPECT_EQ(url.HostHeader(), "example.com");
  EXPECT_EQ(url.href.find_first_of("\r\n"), std::string::npos);
}

// --- §2 step 3: mixed content ------------------------------------------------------------------

TEST(MixedContentTest, HttpsDocumentMayNotOpenAPlainConnection) {
  const Origin secure_document = Origin::Tuple("https", "example.com", 443);
  const ConnectionUrl plain = ParseOk("http://example.com/");
  const std::optional<UrlError> error =
      CheckMixedContent(secure_document, plain, SecureOption::kNotRequested);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->kind, UrlErrorKind::kSecurity);
}

TEST(MixedContentTest, SecureConnectionsAreAllowed) {
  const Origin secure_document = Origin::Tuple("https", "example.com", 443);
  EXPECT_EQ(
      CheckMixedContent(secure_document, ParseOk("http://example.com/"), SecureOption::kRequested),
      std::nullopt);
  EXPECT_EQ(CheckMixedContent(secure_document, ParseOk("https://example.com/"),
                              SecureOption::kNotRequested),
            std::nullopt);
}

TEST(MixedContentTest, HttpAndOpaqueDocumentsMayOpenPlainConnections) {
  const ConnectionUrl plain = ParseOk("http://example.com/");
  EXPECT_EQ(CheckMixedContent(Origin::Tuple("http", "example.com", 80), plain,
                              SecureOption::kNotRequested),
            std::nullopt);
  EXPECT_EQ(CheckMixedContent(Origin::Opaque(), plain, SecureOption::kNotRequested), std::nullopt);
}

// --- Document origins --------------------------------------------------------------------------

TEST(OriginOfDocumentUrlTest, HttpDocuments) {
  EXPECT_EQ(OriginOfDocumentUrl("http://Example.com:80/index.html#top").Serialize(),
            "http://example.com");
  EXPECT_EQ(OriginOfDocumentUrl("https://example.com:8443/a?b").Serialize(),
            "https://example.com:8443");
  EXPECT_EQ(OriginOfDocumentUrl("http://bücher.example/").Serialize(),
            "http://xn--bcher-kva.example");
  // A bad port does not change what the document's origin is.
  EXPECT_EQ(OriginOfDocumentUrl("http://example.com:6000/").Serialize(), "http://example.com:6000");
}

TEST(OriginOfDocumentUrlTest, OtherDocumentsAreOpaque) {
  for (std::string_view url : {"file:///home/user/page.html", "about:blank", "data:text/html,x", "",
                               "not a url", "ftp://example.com/"}) {
    EXPECT_TRUE(OriginOfDocumentUrl(url).is_opaque()) << url;
  }
}

// --- Host helpers ------------------------------------------------------------------------------

TEST(CanonicalizeHostTest, Names) {
  EXPECT_EQ(CanonicalizeHost("Example.COM"), "example.com");
  EXPECT_EQ(CanonicalizeHost("a_b-c.example"), "a_b-c.example");
  EXPECT_EQ(CanonicalizeHost("example.com."), "example.com.");
  EXPECT_EQ(CanonicalizeHost("bücher.example"), "xn--bcher-kva.example");
  EXPECT_EQ(CanonicalizeHost("EX%41MPLE.com"), "example.com");
  for (std::string_view bad : {"", "a b", "a/b", "a:b:c:d:e:f:g:h:i", "[a]", "[::1", "a@b",
                               "a\r\nb", "a%2Fb", "1.2.3.4.5", "256.0.0.1", "\xC3", "a\x7F"}) {
    EXPECT_EQ(CanonicalizeHost(bad), std::nullopt) << bad;
  }
}

TEST(CanonicalizeHostTest, Addresses) {
  EXPECT_EQ(CanonicalizeHost("127.0.0.1"), "127.0.0.1");
  EXPECT_EQ(CanonicalizeHost("127.0.0.1."), "127.0.0.1");
  EXPECT_EQ(CanonicalizeHost("[::1]"), "::1");
  EXPECT_EQ(CanonicalizeHost("::1"), "::1");
  EXPECT_EQ(CanonicalizeHost("[0:0::1]"), "::1");
  EXPECT_EQ(CanonicalizeHost("0x7f.1"), "127.0.0.1");
  EXPECT_EQ(CanonicalizeHost("[::127.0.0.1]"), "::7f00:1");
  EXPECT_EQ(CanonicalizeHost("[FE80::1%eth0]"), std::nullopt);
}

TEST(CanonicalizeHostTest, IpAddressesAreRecognized) {
  EXPECT_TRUE(HostIsIpAddress("127.0.0.1"));
  EXPECT_TRUE(HostIsIpAddress("::1"));
  EXPECT_FALSE(HostIsIpAddress("example.com"));
  EXPECT_FALSE(HostIsIpAddress("1.example"));
}

TEST(IsSafeRequestTargetTest, AcceptsOnlyWireSafeTargets) {
  EXPECT_TRUE(IsSafeRequestTarget("/"));
  EXPECT_TRUE(IsSafeRequestTarget("/a/b?c=d&e=%20"));
  EXPECT_FALSE(IsSafeRequestTarget(""));
  EXPECT_FALSE(IsSafeRequestTarget("a"));
  EXPECT_FALSE(IsSafeRequestTarget("*"));
  EXPECT_FALSE(IsSafeRequestTarget("http://example.com/"));
  EXPECT_FALSE(IsSafeRequestTarget("/a b"));
  EXPECT_FALSE(IsSafeRequestTarget("/a\r\nb"));
  EXPECT_FALSE(IsSafeRequestTarget(std::string_view("/a\0", 3)));
  EXPECT_FALSE(IsSafeRequestTarget("/\xC3\xA9"));
  EXPECT_FALSE(IsSafeRequestTarget("/a#b"));
  EXPECT_FALSE(IsSafeRequestTarget("/a\x7F"));
  EXPECT_TRUE(IsSafeRequestTarget("/100%?a=[|]{}`^"));
}

// Every ASCII byte in every position of path and query comes out wire-safe (§4.1, §10).
TEST(UrlTest, EveryByteInPathAndQueryIsWireSafe) {
  for (int byte = 0; byte <= 0xFF; ++byte) {
    if (byte == '#') continue;
    const std::string text(1, static_cast<char>(byte));
    UrlResult result = ParseConnectionUrl("http://example.com/p" + text + "?q" + text, {});
    ASSERT_TRUE(result.ok()) << byte << ": " << result.error().message;
    ExpectWireSafe(result.value().request_target);
    EXPECT_EQ(result.value().HostHeader(), "example.com") << byte;
  }
}

}  // namespace
}  // namespace switchboard
