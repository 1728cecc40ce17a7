// Tests of WhatwgUrl's setters (URL Standard §6.1) and the basic URL parser's state override
// (§4.4) behind them: each setter's rules, one table row per rule, with expectations taken from
// the standard and checked against the web-platform-tests' setters_tests.json.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/whatwg_url.h"

namespace switchboard {
namespace {

void Set(WhatwgUrl& url, std::string_view setter, std::string_view value) {
  if (setter == "href") {
    (void)url.set_href(value);
  } else if (setter == "protocol") {
    url.set_protocol(value);
  } else if (setter == "username") {
    url.set_username(value);
  } else if (setter == "password") {
    url.set_password(value);
  } else if (setter == "host") {
    url.set_host(value);
  } else if (setter == "hostname") {
    url.set_hostname(value);
  } else if (setter == "port") {
    url.set_port(value);
  } else if (setter == "pathname") {
    url.set_pathname(value);
  } else if (setter == "search") {
    url.set_search(value);
  } else if (setter == "hash") {
    url.set_hash(value);
  } else {
    ADD_FAILURE() << "no setter " << setter;
  }
}

std::string Get(const WhatwgUrl& url, std::string_view getter) {
  if (getter == "protocol") return url.protocol();
  if (getter == "username") return url.username();
  if (getter == "password") return url.password();
  if (getter == "host") return url.host();
  if (getter == "hostname") return url.hostname();
  if (getter == "port") return url.port();
  if (getter == "pathname") return url.pathname();
  if (getter == "search") return url.search();
  if (getter == "hash") return url.hash();
  ADD_FAILURE() << "no getter " << getter;
  return "";
}

// setters_tests.json's value for the percent-encode sets: C0 controls, tab and newline, every
// ASCII punctuation, DEL, and two- and three-byte UTF-8.
constexpr char kEveryKindOfCodePointText[] =
    "\x00\x01\t\n\r\x1f !\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~\x7f"
    "\xc2\x80\xc2\x81\xc3\x89\xc3\xa9";
constexpr std::string_view kEveryKindOfCodePoint(kEveryKindOfCodePointText,
                                                 sizeof kEveryKindOfCodePointText - 1);

struct SetterCase {
  std::string_view comment;
  std::string_view href;
  std::string_view new_value;
  std::string_view expected_href;
  // Other getters to check: {name, value}.
  std::vector<std::pair<std::string_view, std::string_view>> expected = {};
};

void ExpectSetter(std::string_view setter, const std::vector<SetterCase>& cases) {
  for (const SetterCase& row : cases) {
    WhatwgUrlResult parsed = WhatwgUrl::Parse(row.href);
    ASSERT_TRUE(parsed.ok()) << row.href;
    WhatwgUrl url = std::move(parsed).value();
    Set(url, setter, row.new_value);
    const std::string where = std::string(setter) + " = \"" + std::string(row.new_value) +
                              "\" on " + std::string(row.href) + " (" + std::string(row.comment) +
                              ")";
    EXPECT_EQ(url.href(), row.expected_href) << where;
    for (const auto& [getter, value] : row.expected) {
      EXPECT_EQ(Get(url, getter), value) << getter << " after " << where;
    }
    // What a setter leaves parses back to itself (the standard's idempotence goal).
    const WhatwgUrlResult reparsed = WhatwgUrl::Parse(url.href());
    ASSERT_TRUE(reparsed.ok()) << where;
    EXPECT_EQ(reparsed.value().href(), url.href()) << where;
  }
}

TEST(UrlSetterTest, Href) {
  WhatwgUrl url = WhatwgUrl::Parse("http://example.net/a?b#c").value();
  ASSERT_TRUE(url.set_href("https://example.com:8443/x?y").ok());
  EXPECT_EQ(url.href(), "https://example.com:8443/x?y");
  EXPECT_EQ(url.hash(), "");
  // A failure leaves the URL as it was and names the validation error.
  const auto failed = url.set_href("/relative");
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().validation_error, "missing-scheme-non-relative-URL");
  EXPECT_EQ(url.href(), "https://example.com:8443/x?y");
  EXPECT_FALSE(url.set_href("http://exa mple.com/").ok());
  EXPECT_EQ(url.href(), "https://example.com:8443/x?y");
  // Leading and trailing C0 control or space go, as in the constructor.
  ASSERT_TRUE(url.set_href("  http://e/\t ").ok());
  EXPECT_EQ(url.href(), "http://e/");
}

TEST(UrlSetterTest, Protocol) {
  ExpectSetter(
      "protocol",
      {
          {"the empty string is no scheme", "a://example.net", "", "a://example.net"},
          {"", "a://example.net", "b", "b://example.net", {{"protocol", "b:"}}},
          {"lower-cased", "a://example.net", "B", "b://example.net"},
          {"non-ASCII is refused", "a://example.net", "é", "a://example.net"},
          {"no leading digit", "a://example.net", "0b", "a://example.net"},
          {"no leading punctuation", "a://example.net", "+b", "a://example.net"},
          {"digits + - .", "a://example.net", "bC0+-.", "bc0+-.://example.net"},
          {"only some punctuation", "a://example.net", "b,c", "a://example.net"},
          {"credentials cannot go to file", "http://test@example.net", "file",
           "http://test@example.net/"},
          {"a port cannot go to file", "https://example.net:1234", "file",
           "https://example.net:1234/"},
          {"special to non-special", "http://example.net", "b", "http://example.net/"},
          {"special to non-special", "ftp://example.net", "test", "ftp://example.net/"},
          {"non-special to special", "ssh://me@example.net", "http", "ssh://me@example.net"},
          {"non-special to file", "ssh://example.net", "file", "ssh://example.net"},
          {"no host to special", "nonsense:///test", "https", "nonsense:///test"},
          {"special to special", "http://example.net/a", "wss", "wss://example.net/a"},
          {"stuff after ':' is ignored", "http://example.net", "https:foo : bar",
           "https://example.net/"},
          {"stuff after ':' is ignored", "data:text/html,<p>Test", "view-source+data:foo : bar",
           "view-source+data:text/html,<p>Test"},
          {"the new scheme's default port goes",
           "http://foo.com:443/",
           "https",
           "https://foo.com/",
           {{"port", ""}}},
          {"another scheme's default port stays", "http://foo.com:443/", "ws", "ws://foo.com:443/"},
          {"file with an empty host stays file", "file:///x", "http", "file:///x"},
          {"file with a host may change", "file://h/x", "https", "https://h/x"},
          {"tab and newline are removed", "a://example.net", "b\tc\nd", "bcd://example.net"},
      });
}

TEST(UrlSetterTest, UsernameAndPassword) {
  ExpectSetter(
      "username",
      {
          {"no host, no username", "unix:/run/foo.socket", "me", "unix:/run/foo.socket"},
          {"", "http://example.net", "me", "http://me@example.net/", {{"username", "me"}}},
          {"", "http://:secret@example.net", "me", "http://me:secret@example.net/"},
          {"emptied", "http://me@example.net", "", "http://example.net/"},
          {"emptied, password kept", "http://me:secret@example.net", "",
           "http://:secret@example.net/"},
          {"userinfo percent-encode set", "http://example.net", kEveryKindOfCodePoint,
           "http://%00%01%09%0A%0D%1F%20!%22%23$%&'()*+,-.%2F09%3A%3B%3C%3D%3E%3F%40AZ%5B%5C%5D"
           "%5E_%60az%7B%7C%7D~%7F%C2%80%C2%81%C3%89%C3%A9@example.net/"},
          {"percent-encoded bytes stay", "http://example.net", "%c3%89t\xc3\xa9",
           "http://%c3%89t%C3%A9@example.net/"},
          {"empty host", "sc:///", "x", "sc:///"},
          {"file", "file://h/x", "me", "file://h/x"},
      });
  ExpectSetter(
      "password",
      {
          {"no host, no password", "unix:/run/foo.socket", "secret", "unix:/run/foo.socket"},
          {"",
           "http://example.net",
           "secret",
           "http://:secret@example.net/",
           {{"password", "secret"}, {"username", ""}}},
          {"", "http://me@example.net", "secret", "http://me:secret@example.net/"},
          {"emptied", "http://:secret@example.net", "", "http://example.net/"},
          {"emptied, username kept", "http://me:secret@example.net", "", "http://me@example.net/"},
          {"':' and '@' are encoded", "http://example.net", "a:b@c",
           "http://:a%3Ab%40c@example.net/"},
          {"empty host", "sc:///", "x", "sc:///"},
          {"file", "file://h/x", "x", "file://h/x"},
      });
}

TEST(UrlSetterTest, Host) {
  ExpectSetter(
      "host",
      {
          {"forbidden host code point", "sc://x/", std::string_view("\x00", 1), "sc://x/"},
          {"tab is removed: empty host", "sc://x/", "\t", "sc:///", {{"host", ""}}},
          {"space is not stripped: forbidden", "sc://x/", " ", "sc://x/"},
          {"'#' ends the host: empty", "sc://x/", "#", "sc:///"},
          {"'/' ends the host: empty", "sc://x/", "/", "sc:///"},
          {"'@' is forbidden", "sc://x/", "@", "sc://x/"},
          {"opaque host", "sc://x/", "\xc3\x9f", "sc://%C3%9F/", {{"hostname", "%C3%9F"}}},
          {"domain to ASCII, nontransitional", "https://x/", "\xc3\x9f", "https://xn--zca/"},
          {"opaque path: no host", "data:text/plain,Stuff", "example.net", "data:text/plain,Stuff"},
          {"with a port",
           "http://example.net",
           "example.com:8080",
           "http://example.com:8080/",
           {{"host", "example.com:8080"}, {"hostname", "example.com"}, {"port", "8080"}}},
          {"no port given: port unchanged", "http://example.net:8080", "example.com",
           "http://example.com:8080/"},
          {"':' and no digits: host set, port unchanged", "http://example.net:8080",
           "example.com:", "http://example.com:8080/"},
          {"special URLs need a host", "http://example.net", "", "http://example.net/"},
          {"non-special URLs may have an empty host", "view-source+http://example.net/foo", "",
           "view-source+http:///foo"},
          {"path-only URLs gain a host", "a:/foo", "example.net", "a://example.net/foo"},
          {"IPv4 normalized", "http://example.net", "0x7F000001:8080", "http://127.0.0.1:8080/"},
          {"IPv6 normalized", "http://example.net", "[::0:01]:2", "http://[::1]:2/"},
          {"IPv6 with a port", "http://example.net", "[2001:db8::2]:4002",
           "http://[2001:db8::2]:4002/"},
          {"default port removed",
           "http://example.net:8080",
           "example.com:80",
           "http://example.com/",
           {{"port", ""}}},
          {"another scheme's default port", "https://example.net", "example.com:80",
           "https://example.com:80/"},
          {"'/' ends the value", "http://example.net/path", "example.com:8080/stuff",
           "http://example.com:8080/path"},
          {"'?' ends the value", "http://example.net/path", "example.com?stuff",
           "http://example.com/path"},
          {"'#' ends the value", "http://example.net/path", "example.com:8080#stuff",
           "http://example.com:8080/path"},
          {"'\\' ends the value of special URLs", "http://example.net/path", "example.com\\stuff",
           "http://example.com/path"},
          {"'\\' is forbidden in opaque hosts", "view-source+http://example.net/path",
           "example.com\\stuff", "view-source+http://example.net/path"},
          {"a non-digit ends the port", "http://example.net/path", "example.com:8080stuff2",
           "http://example.com:8080/path"},
          {"port 65535", "http://example.net/path", "example.com:65535",
           "http://example.com:65535/path"},
          {"port overflow: the host is still set", "http://example.net/path", "example.com:65536",
           "http://example.com/path"},
          {"broken IPv6", "http://example.net/", "[google.com]", "http://example.net/"},
          {"broken IPv6", "http://example.net/", "[::1.2.3.]", "http://example.net/"},
          {"credentials keep the host", "sc://test@test/", "", "sc://test@test/"},
          {"a port keeps the host", "sc://test:12/", "", "sc://test:12/"},
          {"leading '/' is not stripped", "http://example.com/", "///bad.com",
           "http://example.com/"},
          {"leading '/' is not stripped", "sc://example.com/", "///bad.com", "sc:///"},
          {"file: the file host state", "file://y/", "x:123", "file://y/"},
          {"file: localhost is the empty host", "file://y/", "localhost", "file:///"},
          {"file: a host", "file:///x", "h", "file://h/x"},
          {"file: the empty host", "file://h/x", "", "file:///x"},
      });
}

TEST(UrlSetterTest, Hostname) {
  ExpectSetter(
      "hostname",
      {
          {"forbidden host code point", "sc://x/", std::string_view("\x00", 1), "sc://x/"},
          {"newline is removed: empty host", "sc://x/", "\n", "sc:///"},
          {"'?' ends the host: empty", "sc://x/", "?", "sc:///"},
          {"opaque path: no host", "data:text/plain,Stuff", "example.net", "data:text/plain,Stuff"},
          {"port unchanged", "http://example.net:8080", "example.com", "http://example.com:8080/"},
          {"special URLs need a host", "http://example.net", "", "http://example.net/"},
          {"non-special URLs may have an empty host", "view-source+http://example.net/foo", "",
           "view-source+http:///foo"},
          {"IPv4 normalized", "http://example.net:8080", "0x7F000001", "http://127.0.0.1:8080/"},
          {"IPv6 normalized", "http://example.net", "[::0:01]", "http://[::1]/"},
          {"':' refuses the whole value", "http://example.net/path", "example.com:8080",
           "http://example.net/path"},
          {"':' refuses the whole value", "http://example.net:8080/path",
           "example.com:", "http://example.net:8080/path"},
          {"'/' ends the value", "http://example.net/path", "example.com/stuff",
           "http://example.com/path"},
          {"'\\' ends the value of special URLs", "http://example.net/path", "example.com\\stuff",
           "http://example.com/path"},
          {"credentials keep the host", "sc://test@test/", "", "sc://test@test/"},
          {"a host drops the '/.'",
           "non-spec:/.//p",
           "h",
           "non-spec://h//p",
           {{"pathname", "//p"}}},
          {"an empty host drops the '/.'", "non-spec:/.//p", "", "non-spec:////p"},
          {"IPv6 in a non-special URL", "sc://x/", "[::1]", "sc://[::1]/"},
          {"file: localhost", "file://h/x", "localhost", "file:///x"},
      });
}

TEST(UrlSetterTest, Port) {
  ExpectSetter(
      "port",
      {
          {"",
           "http://example.net",
           "8080",
           "http://example.net:8080/",
           {{"host", "example.net:8080"}, {"port", "8080"}}},
          {"empty removes the port", "http://example.net:8080", "", "http://example.net/"},
          {"default port removed", "http://example.net:8080", "80", "http://example.net/"},
          {"default port removed", "https://example.net:4433", "443", "https://example.net/"},
          {"another scheme's default port", "https://example.net", "80", "https://example.net:80/"},
          {"'/' ends the value", "http://example.net/path", "8080/stuff",
           "http://example.net:8080/path"},
          {"'?' ends the value", "http://example.net/path", "8080?stuff",
           "http://example.net:8080/path"},
          {"'\\' ends the value", "http://example.net/path", "8080\\stuff",
           "http://example.net:8080/path"},
          {"a non-digit ends the value", "view-source+http://example.net/path", "8080stuff2",
           "view-source+http://example.net:8080/path"},
          {"a non-digit ends the value", "http://example.net/path", "8080+2",
           "http://example.net:8080/path"},
          {"leading zeros", "http://example.net/path", "00081", "http://example.net:81/path"},
          {"65535", "http://example.net/path", "65535", "http://example.net:65535/path"},
          {"overflow changes nothing", "http://example.net:8080/path", "65536",
           "http://example.net:8080/path"},
          {"overflow changes nothing", "non-special://example.net:8080/path", "65536",
           "non-special://example.net:8080/path"},
          {"no digits changes nothing", "http://example.net:8080/path", "x1",
           "http://example.net:8080/path"},
          {"opaque path", "non-base:value", "12", "non-base:value"},
          {"empty host", "sc:///", "12", "sc:///"},
          {"", "sc://x/", "12", "sc://x:12/"},
          {"file", "file://h/x", "12", "file://h/x"},
      });
}

TEST(UrlSetterTest, Pathname) {
  ExpectSetter(
      "pathname",
      {
          {"non-special: erased",
           "foo://somehost/some/path",
           "",
           "foo://somehost",
           {{"pathname", ""}}},
          {"non-special, empty host: erased", "foo:///some/path", "", "foo://"},
          {"no host: one empty segment", "foo:/some/path", "", "foo:/", {{"pathname", "/"}}},
          {"no host: an initial slash", "foo:/some/path", "test", "foo:/test"},
          {"dot segments", "unix:/run/foo.socket?timeout=10", "/var/log/../run/bar.socket",
           "unix:/var/run/bar.socket?timeout=10"},
          {"relative", "https://example.net#nav", "home", "https://example.net/home#nav"},
          {"'..' at the root", "https://example.net#nav", "../home",
           "https://example.net/home#nav"},
          {"special: '\\' is a delimiter", "http://example.net/home?lang=fr#nav",
           "\\a\\%2E\\b\\%2e.\\c", "http://example.net/a/c?lang=fr#nav"},
          {"non-special: '\\' is not", "view-source+http://example.net/home?lang=fr#nav",
           "\\a\\%2E\\b\\%2e.\\c",
           "view-source+http://example.net/\\a\\%2E\\b\\%2e.\\c?lang=fr#nav"},
          // The path percent-encode set has "^" (older copies of setters_tests.json leave it).
          {"path percent-encode set", "a:/", kEveryKindOfCodePoint,
           "a:/%00%01%1F%20!%22%23$%&'()*+,-./09:;%3C=%3E%3F@AZ[\\]%5E_%60az%7B|%7D~%7F%C2%80%C2"
           "%81%C3%89%C3%A9"},
          {"%2E outside dot segments stays", "http://example.net", "%2e%2E%c3%89t\xc3\xa9",
           "http://example.net/%2e%2E%c3%89t%C3%A9"},
          {"'?' is encoded", "http://example.net", "?", "http://example.net/%3F"},
          {"'#' is encoded", "http://example.net", "#", "http://example.net/%23"},
          {"'?' is encoded, non-special", "sc://example.net", "?", "sc://example.net/%3F"},
          {"'?' then more", "http://example.net", "/?\xc3\xa9", "http://example.net/%3F%C3%A9"},
          {"'/.' when the path starts empty", "non-spec:/", "/.//p", "non-spec:/.//p"},
          {"'/.' when the path starts empty", "non-spec:/", "//p", "non-spec:/.//p"},
          {"'/.' dropped", "non-spec:/.//", "p", "non-spec:/p"},
          {"opaque path: unchanged", "mailto:me@example.net", "/x", "mailto:me@example.net"},
          {"file drive letter", "file:///a/b", "/C|/x", "file:///C:/x"},
      });
}

TEST(UrlSetterTest, Search) {
  ExpectSetter(
      "search",
      {
          {"",
           "https://example.net#nav",
           "lang=fr",
           "https://example.net/?lang=fr#nav",
           {{"search", "?lang=fr"}}},
          {"replaced", "https://example.net?lang=en-US#nav", "lang=fr",
           "https://example.net/?lang=fr#nav"},
          {"one '?' goes", "https://example.net?lang=en-US#nav", "?lang=fr",
           "https://example.net/?lang=fr#nav"},
          {"only one", "https://example.net?lang=en-US#nav", "??lang=fr",
           "https://example.net/??lang=fr#nav"},
          {"'?' alone: an empty query",
           "https://example.net?lang=en-US#nav",
           "?",
           "https://example.net/?#nav",
           {{"search", ""}}},
          {"empty: no query", "https://example.net?lang=en-US#nav", "", "https://example.net/#nav"},
          {"query percent-encode set, '#' included", "a:/", kEveryKindOfCodePoint,
           "a:/?%00%01%1F%20!%22%23$%&'()*+,-./09:;%3C=%3E?@AZ[\\]^_`az{|}~%7F%C2%80%C2%81%C3%89"
           "%C3%A9"},
          {"special-query set: \"'\"", "http://example.net", "a'b", "http://example.net/?a%27b"},
          {"percent-encoded bytes stay", "http://example.net", "%c3%89t\xc3\xa9",
           "http://example.net/?%c3%89t%C3%A9"},
          {"opaque path", "data:x", "q", "data:x?q"},
      });
}

TEST(UrlSetterTest, Hash) {
  ExpectSetter(
      "hash",
      {
          {"", "https://example.net", "main", "https://example.net/#main", {{"hash", "#main"}}},
          {"replaced", "https://example.net#nav", "main", "https://example.net/#main"},
          {"only one '#' goes", "https://example.net?lang=en-US", "##nav",
           "https://example.net/?lang=en-US##nav"},
          {"'#' alone: an empty fragment",
           "https://example.net?lang=en-US#nav",
           "#",
           "https://example.net/?lang=en-US#",
           {{"hash", ""}}},
          {"empty: no fragment", "https://example.net?lang=en-US#nav", "",
           "https://example.net/?lang=en-US"},
          {"fragment percent-encode set", "a:/", kEveryKindOfCodePoint,
           "a:/#%00%01%1F%20!%22#$%&'()*+,-./09:;%3C=%3E?@AZ[\\]^_%60az{|}~%7F%C2%80%C2%81%C3%89"
           "%C3%A9"},
          {"space", "http://example.net", "#foo bar", "http://example.net/#foo%20bar"},
          {"NUL", "non-spec:/",
           std::string_view("a\x00"
                            "b",
                            3),
           "non-spec:/#a%00b"},
          {"opaque path", "data:x", "f", "data:x#f"},
      });
}

// The URL serializations of special URLs always have a path; a setter cannot take it away.
TEST(UrlSetterTest, SpecialUrlsKeepTheirPath) {
  WhatwgUrl url = WhatwgUrl::Parse("http://example.net/a/b").value();
  url.set_pathname("");
  EXPECT_EQ(url.href(), "http://example.net/");
  url.set_search("q");
  url.set_hash("h");
  url.set_host("example.com:81");
  url.set_protocol("https");
  url.set_username("u");
  url.set_password("p");
  EXPECT_EQ(url.href(), "https://u:p@example.com:81/?q#h");
  EXPECT_EQ(url.origin().Serialize(), "https://example.com:81");
}

// Every setter on every kind of URL, with values that reach each state's branches: what a
// setter leaves is always a URL whose serialization parses back to itself.
TEST(UrlSetterTest, EveryCombinationParsesBackToItself) {
  const std::string_view hrefs[] = {
      "http://u:p@h:81/a/b?q#f",
      "https://h/",
      "file:///C:/x",
      "file://h/x",
      "file:///",
      "sc://u@h:1/p?q#f",
      "sc://h",
      "sc:///p",
      "sc:/p",
      "sc:/.//p",
      "sc:p",
      "data:x%20?q#f",
      "mailto:u@h",
      "ws://[::1]:80/",
      "ftp://h/%2e/",
  };
  const std::string_view setters[] = {"protocol", "username", "password", "host", "hostname",
                                      "port",     "pathname", "search",   "hash"};
  const std::string_view values[] = {
      "",      " ",        "?",     "#",     "/",         "//",      "\\",     ":",
      "@",     "h",        "h:8",   "h:",    "[::1]",     "[::1]:8", "0x7f.1", "xn--",
      "http",  "https:",   "file",  "sc",    "data",      "80",      "65536",  "8a",
      "/./x",  "//x/../y", "/.//p", "C|",    "/C:/x",     "a b",     "%zz",    "\xc3\xa9",
      "q=1#f", "?q",       "#f",    "u:p@h", "localhost", ".",       "..",     "a\tb",
  };
  for (const std::string_view href : hrefs) {
    for (const std::string_view setter : setters) {
      for (const std::string_view value : values) {
        WhatwgUrl url = WhatwgUrl::Parse(href).value();
        Set(url, setter, value);
        const WhatwgUrlResult reparsed = WhatwgUrl::Parse(url.href());
        ASSERT_TRUE(reparsed.ok())
            << setter << " = \"" << value << "\" on " << href << ": " << url.href();
        EXPECT_EQ(reparsed.value().href(), url.href())
            << setter << " = \"" << value << "\" on " << href;
      }
    }
  }
}

}  // namespace
}  // namespace switchboard
