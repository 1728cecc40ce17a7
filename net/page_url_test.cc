// Tests of PageUrl: the URLs of pages and of the scripts they load, parsed and resolved by the
// URL Standard's parser as browsers do (issue 15), and file paths as file: URLs.
#include "net/page_url.h"

#include <gtest/gtest.h>

#include <string>

namespace switchboard {
namespace {

PageUrl ParseOk(std::string_view input) {
  Result<PageUrl> url = PageUrl::Parse(input);
  EXPECT_TRUE(url.ok()) << input << ": " << (url.ok() ? "" : url.error().message);
  return url.ok() ? url.value() : PageUrl{};
}

PageUrl ResolveOk(const PageUrl& base, std::string_view reference) {
  Result<PageUrl> url = base.Resolve(reference);
  EXPECT_TRUE(url.ok()) << reference << ": " << (url.ok() ? "" : url.error().message);
  return url.ok() ? url.value() : PageUrl{};
}

TEST(PageUrlTest, HttpUrlParts) {
  const PageUrl url = ParseOk("HTTP://User@Example.COM:8080/a/./b/../c?q=1#top");
  EXPECT_EQ(url.href, "http://User@example.com:8080/a/c?q=1#top");
  EXPECT_EQ(url.scheme, "http");
  EXPECT_EQ(url.hostname, "example.com");
  EXPECT_EQ(url.port, "8080");
  EXPECT_EQ(url.Host(), "example.com:8080");
  EXPECT_EQ(url.path, "/a/c");
  EXPECT_EQ(url.query, "q=1");
  EXPECT_EQ(url.fragment, "top");
  EXPECT_EQ(url.Origin(), "http://example.com:8080");
}

TEST(PageUrlTest, DefaultPortAndIpAddresses) {
  EXPECT_EQ(ParseOk("https://example.com:443/").port, "");
  EXPECT_EQ(ParseOk("http://[::127.0.0.1]/").hostname, "[::7f00:1]");
  EXPECT_EQ(ParseOk("http://192.168.257./").hostname, "192.168.1.1");
  EXPECT_EQ(ParseOk("http://0x7f.1:9/").Origin(), "http://127.0.0.1:9");
}

// Issue 15's table, for the loads: what browsers do.
TEST(PageUrlTest, ResolvesAsBrowsersDo) {
  const PageUrl base = ParseOk("http://example.org/foo/bar");
  EXPECT_EQ(ResolveOk(base, "\\x").href, "http://example.org/x");
  EXPECT_EQ(ResolveOk(base, "x\ty\nz.js").href, "http://example.org/foo/xyz.js");
  EXPECT_EQ(ResolveOk(base, "http:baz.js").href, "http://example.org/foo/baz.js");
  EXPECT_EQ(ResolveOk(base, "%2e%2E/up.js").href, "http://example.org/up.js");
  EXPECT_EQ(ResolveOk(base, "//other.example/s.js").href, "http://other.example/s.js");
  EXPECT_EQ(ResolveOk(base, "https://test:@test").href, "https://test@test/");
  EXPECT_EQ(ResolveOk(base, "caf\xC3\xA9.js?\xE2\x82\xAC").href,
            "http://example.org/foo/caf%C3%A9.js?%E2%82%AC");
}

TEST(PageUrlTest, FailuresSayWhy) {
  Result<PageUrl> bad_host = PageUrl::Parse("http://exa mple.com/");
  ASSERT_FALSE(bad_host.ok());
  EXPECT_EQ(bad_host.error().stage, Stage::kLoad);
  EXPECT_NE(bad_host.error().message.find("domain-invalid-code-point"), std::string::npos)
      << bad_host.error().message;

  Result<PageUrl> relative = PageUrl::Parse("page.html");
  ASSERT_FALSE(relative.ok());
  EXPECT_NE(relative.error().message.find("invalid URL 'page.html'"), std::string::npos);

  Result<PageUrl> data = ParseOk("http://example.com/").Resolve("data:text/javascript,1");
  ASSERT_FALSE(data.ok());
  EXPECT_NE(data.error().message.find("unsupported URL scheme 'data:'"), std::string::npos)
      << data.error().message;
}

// A file path's bytes survive the trip through a file: URL, whatever they are.
TEST(PageUrlTest, FilePathsRoundTrip) {
  for (std::string path : {"/tmp/a b/page.html", "/tmp/100%/x#y?z.html", "/tmp/back\\slash.html",
                           "/tmp/caf\xC3\xA9.html", "/tmp/not-utf8-\xFF.html", "/tmp/%41.html",
                           "/tmp/tab\there.html"}) {
    Result<PageUrl> url = PageUrl::FromFilePath(path);
    ASSERT_TRUE(url.ok()) << path << ": " << url.error().message;
    EXPECT_TRUE(url.value().IsFile());
    EXPECT_EQ(url.value().FilePath(), path);
    EXPECT_EQ(url.value().href.find_first_of("#? \t"), std::string::npos) << url.value().href;
    EXPECT_EQ(url.value().Origin(), "null");
  }
}

TEST(PageUrlTest, FileUrlsResolveScriptsBesideThePage) {
  const PageUrl page = PageUrl::FromFilePath("/srv/site/index.html").value();
  EXPECT_EQ(page.href, "file:///srv/site/index.html");
  const PageUrl script = ResolveOk(page, "js\\app.js");
  EXPECT_EQ(script.href, "file:///srv/site/js/app.js");
  EXPECT_EQ(script.FilePath(), "/srv/site/js/app.js");
}

}  // namespace
}  // namespace switchboard
