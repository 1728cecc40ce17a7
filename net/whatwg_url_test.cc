// Tests of WhatwgUrl: the URL Standard's basic URL parser (§4.4) state by state, the serializer
// (§4.5), origins (§4.7), the URL API's getters (§6.1) and Fetch's bad ports.
#include "net/whatwg_url.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace switchboard {
namespace {

WhatwgUrlResult ParseAgainst(std::string_view input, std::string_view base) {
  return base.empty() ? WhatwgUrl::Parse(input) : WhatwgUrl::Parse(input, base);
}

// The href of `input` parsed against `base` (none when empty), or "FAIL".
std::string Href(std::string_view input, std::string_view base = {}) {
  const WhatwgUrlResult url = ParseAgainst(input, base);
  return url.ok() ? url.value().href() : "FAIL";
}

// `input` parsed; a failure is a test failure (and the URL "fail:").
WhatwgUrl Parsed(std::string_view input, std::string_view base = {}) {
  WhatwgUrlResult url = ParseAgainst(input, base);
  if (!url.ok()) {
    ADD_FAILURE() << "\"" << input << "\" does not parse: " << url.error().validation_error;
    return WhatwgUrl::Parse("fail:").value();
  }
  return std::move(url).value();
}

struct Row {
  std::string_view input;
  std::string_view base;
  std::string_view href;  // "FAIL" for failure
};

void ExpectRows(std::initializer_list<Row> rows) {
  for (const Row& row : rows) {
    EXPECT_EQ(Href(row.input, row.base), row.href)
        << "input \"" << row.input << "\" base \"" << row.base << "\"";
  }
}

// Issue 15's table: what browsers do, where the curl-based parser did not.
TEST(WhatwgUrlTest, Issue15Table) {
  ExpectRows({
      {"http://example\t.\norg", "", "http://example.org/"},
      {"http://example.com/foo\tbar", "", "http://example.com/foobar"},
      {"\\x", "http://example.org/foo/bar", "http://example.org/x"},
      {"http:example.com/", "", "http://example.com/"},
      {"http://192.168.257.", "", "http://192.168.1.1/"},
      {"http://[::127.0.0.1]", "", "http://[::7f00:1]/"},
      {"https://test:@test", "", "https://test@test/"},
      {"http://example.com/foo/%2e", "", "http://example.com/foo/"},
      {"http://f:0/c", "", "http://f:0/c"},
  });
  const WhatwgUrl url = Parsed("http://f:0/c");
  ASSERT_TRUE(url.port_number().has_value());
  EXPECT_EQ(*url.port_number(), 0);
  EXPECT_TRUE(IsBadPort(*url.port_number()));  // so fetching it is a network error
}

TEST(PreprocessingTest, StripsC0ControlAndSpaceAtTheEndsAndTabsNewlinesEverywhere) {
  ExpectRows({
      {"  \x01http://example.com/ \x1F", "", "http://example.com/"},
      {"\thttp://ex\tample.com/p\na\rth?q\tuery#frag\nment", "",
       "http://example.com/path?query#fragment"},
      {"h\tt\nt\rp://example.com", "", "http://example.com/"},
      {" \t ", "http://example.com/a", "http://example.com/a"},
      {"http://example.com/a b", "", "http://example.com/a%20b"},  // an inner space is kept
  });
}

// Style rule 6, adapted: the parser is not incremental, but an ASCII tab or newline at any
// offset of the input must not change the result.
TEST(PreprocessingTest, TabOrNewlineAtEveryOffsetChangesNothing) {
  for (std::string_view input :
       {"https://user:pa%20ss@EXAMPLE.com:8080/a/./b/../c?q=1&r#frag", "file:///C|/dir/%2e%2E/file",
        "non-special://h:1/p?q#f", "about:blank#x", "http://[::ffff:1.2.3.4]:0/"}) {
    const std::string expected = Href(input);
    ASSERT_NE(expected, "FAIL") << input;
    for (size_t offset = 0; offset <= input.size(); ++offset) {
      for (const char* inserted : {"\t", "\n", "\r"}) {
        std::string with_insertion(input);
        with_insertion.insert(offset, inserted);
        EXPECT_EQ(Href(with_insertion), expected) << "at offset " << offset;
      }
    }
  }
}

TEST(SchemeTest, SchemesAreLowerCasedAndMayHaveDigitsPlusMinusDot) {
  ExpectRows({
      {"HTTP://EXAMPLE.COM/", "", "http://example.com/"},
      {"a1+-.:x", "", "a1+-.:x"},
      {"MaIlTo:Someone@Example.com", "", "mailto:Someone@Example.com"},
      {"1http://example.com", "", "FAIL"},  // no scheme, no base
      {"ht tp://example.com", "", "FAIL"},
      {"://example.com", "", "FAIL"},
      {"", "", "FAIL"},
      {"http:", "", "FAIL"},
      {"https:/", "", "FAIL"},
  });
}

TEST(SchemeTest, SpecialSchemesAndTheirDefaultPorts) {
  EXPECT_TRUE(IsSpecialScheme("ws"));
  EXPECT_FALSE(IsSpecialScheme("HTTP"));
  EXPECT_FALSE(IsSpecialScheme("gopher"));
  EXPECT_EQ(SpecialSchemeDefaultPort("ftp"), 21);
  EXPECT_EQ(SpecialSchemeDefaultPort("wss"), 443);
  EXPECT_EQ(SpecialSchemeDefaultPort("file"), std::nullopt);
  ExpectRows({
      {"http://h:80/", "", "http://h/"},
      {"https://h:443/", "", "https://h/"},
      {"ws://h:80/", "", "ws://h/"},
      {"wss://h:443/", "", "wss://h/"},
      {"ftp://h:21/", "", "ftp://h/"},
      {"http://h:443/", "", "http://h:443/"},
      {"foo://h:80/", "", "foo://h:80/"},
  });
}

TEST(SchemeTest, OpaquePaths) {
  ExpectRows({
      {"about:blank", "", "about:blank"},
      {"data:text/plain,a b", "", "data:text/plain,a b"},
      {"mailto:a@b.c?subject=hi#top", "", "mailto:a@b.c?subject=hi#top"},
      {"javascript:alert(\"\x01\xC3\xA9\")", "", "javascript:alert(\"%01%C3%A9\")"},
      {"sc:\\../", "", "sc:\\../"},  // nothing is resolved in an opaque path
      // A space before "?" or "#" is encoded, so that the href parses back the same.
      {"data:a b ?q", "", "data:a b%20?q"},
      {"data:a b #f", "", "data:a b%20#f"},
      {"data:a  b", "", "data:a  b"},
  });
  const WhatwgUrl url = Parsed("about:blank");
  EXPECT_TRUE(url.has_opaque_path());
  EXPECT_FALSE(url.host_record().has_value());
  EXPECT_EQ(url.pathname(), "blank");
}

TEST(SchemeTest, NonSpecialSchemesWithAnAuthorityOrPath) {
  ExpectRows({
      {"foo://Example.COM/a/../b", "", "foo://Example.COM/b"},  // opaque host: case kept
      {"foo:/a/./b", "", "foo:/a/b"},
      {"foo:///a", "", "foo:///a"},  // an empty host
      {"foo://", "", "foo://"},
      {"foo://h\\a\\b", "", "FAIL"},         // "\" is a forbidden host code point
      {"foo://a/b\\c", "", "foo://a/b\\c"},  // and no separator for non-special URLs
      {"foo:/.//p", "", "foo:/.//p"},
      {"foo:/..//p", "", "foo:/.//p"},  // "/." keeps "//p" from reading as a host
      {"foo://:1/", "", "FAIL"},
  });
  EXPECT_FALSE(Parsed("foo:/a").host_record().has_value());
  EXPECT_EQ(Parsed("foo:///a").host_record()->kind, Host::Kind::kEmpty);
}

TEST(AuthorityTest, UserinfoIsSplitAtTheFirstColonAndPercentEncoded) {
  ExpectRows({
      {"http://user:pass@host/", "", "http://user:pass@host/"},
      {"http://user@host/", "", "http://user@host/"},
      {"http://:pass@host/", "", "http://:pass@host/"},
      {"http://:@host/", "", "http://host/"},
      {"http://@host/", "", "http://host/"},
      {"http://a:b:c@host/", "", "http://a:b%3Ac@host/"},
      {"http://a@b@host/", "", "http://a%40b@host/"},
      {"http://a:b@c:d@host/", "", "http://a:b%40c%3Ad@host/"},
      {"http://us er:p\"s;=@host/", "", "http://us%20er:p%22s%3B%3D@host/"},
      {"http://%41:%zz@host/", "", "http://%41:%zz@host/"},  // percent signs are kept
      {"http://\xC3\xA9@host/", "", "http://%C3%A9@host/"},
      {"http://user@/", "", "FAIL"},  // host-missing after "@"
      {"http://user:pass@", "", "FAIL"},
      {"http://@/", "", "FAIL"},
      {"http://a/b@c", "", "http://a/b@c"},  // "@" in the path is not userinfo
  });
  const WhatwgUrl url = Parsed("https://us%20er:p@ss@host:8443/");
  EXPECT_EQ(url.username(), "us%20er");
  EXPECT_EQ(url.password(), "p%40ss");
  EXPECT_TRUE(url.IncludesCredentials());
}

TEST(HostStateTest, HostsOfSpecialUrls) {
  ExpectRows({
      {"http://EXAMPLE.com./", "", "http://example.com./"},
      {"http://b\xC3\xBC"
       "cher.example/",
       "", "http://xn--bcher-kva.example/"},
      {"http://0x7f.1/", "", "http://127.0.0.1/"},
      {"http://0300.0250.0.1/", "", "http://192.168.0.1/"},
      {"http://1.2.3.4.5/", "", "FAIL"},
      {"http://foo.09/", "", "FAIL"},
      {"http://09.foo/", "", "http://09.foo/"},
      {"http://[::1]:8080/", "", "http://[::1]:8080/"},
      {"http://[::1/", "", "FAIL"},
      {"http://[::1]x/", "", "FAIL"},
      {"http://a b/", "", "FAIL"},
      {"http://a%20b/", "", "FAIL"},
      {"http://a^b/", "", "FAIL"},
      {"http://%E2%98%95.example/", "", "http://xn--53h.example/"},
      {"http:///example.com", "", "http://example.com/"},  // extra slashes are ignored
      {"http:\\\\example.com\\a", "", "http://example.com/a"},
      {"http://", "", "FAIL"},
      {"http://?q", "", "FAIL"},
  });
}

TEST(PortStateTest, Ports) {
  ExpectRows({
      {"http://h:8080/", "", "http://h:8080/"},
      {"http://h:00080/", "", "http://h/"},  // leading zeros; then the default port
      {"http://h:0008080/", "", "http://h:8080/"},
      {"http://h:/", "", "http://h/"},  // an empty port is no port
      {"http://h:65535/", "", "http://h:65535/"},
      {"http://h:65536/", "", "FAIL"},
      {"http://h:99999999999999999999/", "", "FAIL"},
      {"http://h:8a/", "", "FAIL"},
      {"http://h:-1/", "", "FAIL"},
      {"http://h:80:80/", "", "FAIL"},
      {"http://h:1?q", "", "http://h:1/?q"},
      {"http://h:1#f", "", "http://h:1/#f"},
      {"http://h:1\\p", "", "http://h:1/p"},
      {"foo://h:1\\p", "", "FAIL"},  // "\" ends a port only in special URLs
      {"http://:80/", "", "FAIL"},
  });
  const WhatwgUrl url = Parsed("http://h:80/");
  EXPECT_FALSE(url.port_number().has_value());
  EXPECT_EQ(url.port(), "");
}

TEST(PathStateTest, DotSegments) {
  ExpectRows({
      {"http://h/a/b/../c", "", "http://h/a/c"},
      {"http://h/a/./b", "", "http://h/a/b"},
      {"http://h/a/b/..", "", "http://h/a/"},
      {"http://h/a/b/.", "", "http://h/a/b/"},
      {"http://h/..", "", "http://h/"},
      {"http://h/../../..", "", "http://h/"},
      {"http://h/a/%2e%2E/b", "", "http://h/b"},
      {"http://h/a/.%2e/b", "", "http://h/b"},
      {"http://h/a/%2e./b", "", "http://h/b"},
      {"http://h/a/%2E/b", "", "http://h/a/b"},
      {"http://h/a/..\\b", "", "http://h/b"},
      {"http://h/a/...", "", "http://h/a/..."},
      {"http://h/a/%2e%2e%2e", "", "http://h/a/%2e%2e%2e"},
      {"http://h/a/..?q", "", "http://h/?q"},
      {"http://h/a/.#f", "", "http://h/a/#f"},
      {"http://h/a//b", "", "http://h/a//b"},  // empty segments are kept
  });
}

TEST(PathStateTest, PercentEncoding) {
  ExpectRows({
      {"http://h/a b\"<>`{}^", "", "http://h/a%20b%22%3C%3E%60%7B%7D%5E"},
      {"http://h/\xC3\xA9", "", "http://h/%C3%A9"},
      {"http://h/%zz%", "", "http://h/%zz%"},
      {"http://h/a|b[c]d'e", "", "http://h/a|b[c]d'e"},
      {"http://h/\x7F", "", "http://h/%7F"},
      {"http://h/\xFF", "", "http://h/%EF%BF%BD"},  // not UTF-8: U+FFFD
      {"foo:/a b", "", "foo:/a%20b"},
  });
  EXPECT_EQ(Parsed("http://h/a/b c").pathname(), "/a/b%20c");
  EXPECT_EQ(Parsed("http://h").pathname(), "/");
}

TEST(QueryStateTest, Queries) {
  ExpectRows({
      {"http://h/?a b\"#c", "", "http://h/?a%20b%22#c"},
      {"http://h/?'<>", "", "http://h/?%27%3C%3E"},  // special-query set: "'"
      {"foo://h/?'<>", "", "foo://h/?'%3C%3E"},
      {"http://h/?\xC3\xA9`{}^|", "", "http://h/?%C3%A9`{}^|"},
      {"http://h/?", "", "http://h/?"},
      {"http://h/??a?", "", "http://h/??a?"},
      {"http://h?q", "", "http://h/?q"},
  });
  EXPECT_EQ(Parsed("http://h/?").search(), "");
  EXPECT_EQ(Parsed("http://h/?").query(), "");
  EXPECT_EQ(Parsed("http://h/?a=1").search(), "?a=1");
  EXPECT_FALSE(Parsed("http://h/").query().has_value());
}

TEST(FragmentStateTest, Fragments) {
  ExpectRows({
      {"http://h/#a b\"<>`", "", "http://h/#a%20b%22%3C%3E%60"},
      {"http://h/#a#b?c", "", "http://h/#a#b?c"},
      {"http://h/#\xC3\xA9{}", "", "http://h/#%C3%A9{}"},
      {"http://h/#", "", "http://h/#"},
      {"#f", "http://h/p?q#old", "http://h/p?q#f"},
      {"#f", "about:blank", "about:blank#f"},  // the one relative URL an opaque path allows
      {"x", "about:blank", "FAIL"},
  });
  EXPECT_EQ(Parsed("http://h/#").hash(), "");
  EXPECT_EQ(Parsed("http://h/#x").hash(), "#x");
}

TEST(FileTest, FileUrls) {
  ExpectRows({
      {"file:///home/user/a.html", "", "file:///home/user/a.html"},
      {"file:/home/user", "", "file:///home/user"},
      {"file:home", "", "file:///home"},
      {"file://localhost/etc", "", "file:///etc"},
      {"file://LOCALHOST/etc", "", "file:///etc"},
      {"file://server/share/f", "", "file://server/share/f"},
      {"file://1.2.3/f", "", "file://1.2.0.3/f"},
      {"file:\\\\server\\share", "", "file://server/share"},
      {"file://", "", "file:///"},
      {"file:", "", "file:///"},
      {"file:?q", "", "file:///?q"},
      {"file:///a/../..", "", "file:///"},
      {"FILE://h:1/", "", "FAIL"},  // file URLs have no port
      {"file://user@h/", "", "FAIL"},
  });
}

TEST(FileTest, WindowsDriveLetters) {
  ExpectRows({
      {"file:///C|/dir", "", "file:///C:/dir"},
      {"file:C|/dir", "", "file:///C:/dir"},
      {"file://C:/dir", "", "file:///C:/dir"},  // a drive letter is not a host
      {"file://C|", "", "file:///C:"},
      {"file:///C:/../..", "", "file:///C:/"},  // ".." stops at the drive letter
      {"file:///C:/a/%2e%2e/b", "", "file:///C:/b"},
      {"file:///c:", "", "file:///c:"},
      {"file:///CD:/x", "", "file:///CD:/x"},  // two letters are not a drive
      {"file:/x/C|/y", "", "file:///x/C|/y"},  // only the first segment is one
      {"/D:/y", "file:///C:/x", "file:///D:/y"},
      {"/y", "file:///C:/x", "file:///C:/y"},  // a base's drive letter is kept
      {"..", "file:///C:/", "file:///C:/"},
      {"D|", "file:///C:/x/y", "file:///D:"},
      {"//h/y", "file:///C:/x", "file://h/y"},
  });
}

TEST(BaseResolutionTest, RelativeReferences) {
  const std::string_view base = "http://a/b/c/d;p?q";
  // RFC 3986 §5.4.1's normal examples, which the URL Standard agrees with.
  ExpectRows({
      {"g", base, "http://a/b/c/g"},      {"./g", base, "http://a/b/c/g"},
      {"g/", base, "http://a/b/c/g/"},    {"/g", base, "http://a/g"},
      {"//g", base, "http://g/"},         {"?y", base, "http://a/b/c/d;p?y"},
      {"g?y", base, "http://a/b/c/g?y"},  {"#s", base, "http://a/b/c/d;p?q#s"},
      {"g#s", base, "http://a/b/c/g#s"},  {";x", base, "http://a/b/c/;x"},
      {"", base, "http://a/b/c/d;p?q"},   {".", base, "http://a/b/c/"},
      {"./", base, "http://a/b/c/"},      {"..", base, "http://a/b/"},
      {"../g", base, "http://a/b/g"},     {"../..", base, "http://a/"},
      {"../../../g", base, "http://a/g"}, {"/./g", base, "http://a/g"},
      {"g.", base, "http://a/b/c/g."},
  });
}

TEST(BaseResolutionTest, WhatTheUrlStandardAddsToRfc3986) {
  ExpectRows({
      {"\\\\other\\x", "http://h/a/b", "http://other/x"},
      {"/\\other", "http://h/a/b", "http://other/"},
      {"http:g", "http://h/a/b", "http://h/a/g"},  // same special scheme: relative
      {"http:/g", "http://h/a/b", "http://h/g"},
      {"http://g", "http://h/a/b", "http://g/"},
      {"https:g", "http://h/a/b", "https://g/"},  // another scheme: absolute
      {"foo:g", "http://h/a/b", "foo:g"},
      {"//g:8080/x", "https://h/", "https://g:8080/x"},
      {"?q", "http://u:p@h:8/a", "http://u:p@h:8/a?q"},
      {"x", "foo://h/a/b", "foo://h/a/x"},
      {"x", "foo:/a/b", "foo:/a/x"},
      {"//x/y", "foo://h/a", "foo://x/y"},
      {"x", "data:text/plain,a", "FAIL"},
      {"x", "", "FAIL"},
  });
  // A base that does not parse makes the parse fail.
  EXPECT_FALSE(WhatwgUrl::Parse("/x", std::string_view("not a url")).ok());
}

TEST(SerializerTest, HrefAndExcludingTheFragment) {
  const WhatwgUrl url = Parsed("https://u:p@h:8443/a/b?q=1#frag");
  EXPECT_EQ(url.Serialize(), "https://u:p@h:8443/a/b?q=1#frag");
  EXPECT_EQ(url.Serialize(Fragment::kExclude), "https://u:p@h:8443/a/b?q=1");
  // The getters of the URL API.
  EXPECT_EQ(url.href(), url.Serialize());
  EXPECT_EQ(url.protocol(), "https:");
  EXPECT_EQ(url.username(), "u");
  EXPECT_EQ(url.password(), "p");
  EXPECT_EQ(url.host(), "h:8443");
  EXPECT_EQ(url.hostname(), "h");
  EXPECT_EQ(url.port(), "8443");
  EXPECT_EQ(url.pathname(), "/a/b");
  EXPECT_EQ(url.search(), "?q=1");
  EXPECT_EQ(url.hash(), "#frag");
  const WhatwgUrl ipv6 = Parsed("http://[1:0::]:81/");
  EXPECT_EQ(ipv6.host(), "[1::]:81");
  EXPECT_EQ(ipv6.hostname(), "[1::]");
}

TEST(SerializerTest, SerializationsParseBackToTheSameUrl) {
  for (std::string_view input :
       {"foo:/..//p", "http://h/a/%2e%2e/b?c#d", "data:a b ?q", "file:///C|/x", "foo://h",
        "http://u:p@[::1]:1/", "web+x:/.//", "a:\t/\t.\t//p"}) {
    const WhatwgUrl url = Parsed(input);
    const WhatwgUrl again = Parsed(url.href());
    EXPECT_EQ(again.href(), url.href()) << input;
    EXPECT_TRUE(again == url) << input;
  }
}

TEST(UrlOriginTest, TupleOrigins) {
  EXPECT_EQ(Parsed("https://EXAMPLE.com:443/x").origin().Serialize(), "https://example.com");
  EXPECT_EQ(Parsed("http://h:8080/").origin().Serialize(), "http://h:8080");
  EXPECT_EQ(Parsed("ws://[::1]:80/").origin().Serialize(), "ws://[::1]");
  EXPECT_EQ(Parsed("wss://h:444/").origin().Serialize(), "wss://h:444");
  EXPECT_EQ(Parsed("ftp://h/").origin().Serialize(), "ftp://h");
  EXPECT_EQ(Parsed("http://u:p@h/").origin().Serialize(), "http://h");
  EXPECT_TRUE(Parsed("http://h/a").origin().IsSameOrigin(Parsed("http://H:80/b").origin()));
  EXPECT_FALSE(Parsed("http://h/").origin().IsSameOrigin(Parsed("https://h/").origin()));
  EXPECT_FALSE(Parsed("http://h/").origin().IsSameOrigin(Parsed("http://h:81/").origin()));
}

TEST(UrlOriginTest, OpaqueOrigins) {
  for (std::string_view input : {"file:///etc/passwd", "about:blank", "data:text/html,x",
                                 "foo://h/", "blob:foo:bar", "blob:about:blank", "blob:"}) {
    const UrlOrigin origin = Parsed(input).origin();
    EXPECT_TRUE(origin.opaque) << input;
    EXPECT_EQ(origin.Serialize(), "null") << input;
    EXPECT_FALSE(origin.IsSameOrigin(origin)) << input;
  }
}

TEST(UrlOriginTest, BlobUrlsHaveTheOriginOfTheirPath) {
  EXPECT_EQ(Parsed("blob:https://example.com:443/uuid").origin().Serialize(),
            "https://example.com");
  EXPECT_EQ(Parsed("blob:http://h:81/x").origin().Serialize(), "http://h:81");
  EXPECT_EQ(Parsed("blob:ws://h/").origin().Serialize(), "null");
}

TEST(BadPortTest, FetchBadPorts) {
  for (uint16_t port : {0,   1,    7,    21,   22,   25,   110,  143,  465,  587,  993,
                        995, 4190, 5060, 6000, 6566, 6665, 6669, 6679, 6697, 10080}) {
    EXPECT_TRUE(IsBadPort(port)) << port;
  }
  for (uint16_t port : {80, 443, 8080, 8443, 2, 6670, 10081, 65535, 3000}) {
    EXPECT_FALSE(IsBadPort(port)) << port;
  }
}

TEST(FailureTest, FailureNamesTheValidationError) {
  EXPECT_EQ(WhatwgUrl::Parse("x").error().validation_error, "missing-scheme-non-relative-URL");
  EXPECT_EQ(WhatwgUrl::Parse("http://h:99999/").error().validation_error, "port-out-of-range");
  EXPECT_EQ(WhatwgUrl::Parse("http://h:x/").error().validation_error, "port-invalid");
  EXPECT_EQ(WhatwgUrl::Parse("http://u@/").error().validation_error, "host-missing");
  EXPECT_EQ(WhatwgUrl::Parse("http://[::1/").error().validation_error, "IPv6-unclosed");
  EXPECT_EQ(WhatwgUrl::Parse("foo://a b/").error().validation_error, "host-invalid-code-point");
}

}  // namespace
}  // namespace switchboard
