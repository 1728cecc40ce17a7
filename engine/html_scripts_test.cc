#include "engine/html_scripts.h"

#include <gtest/gtest.h>

namespace switchboard {
namespace {

using Kind = ScriptElement::Kind;

TEST(HtmlScriptsTest, InlineAndExternalInDocumentOrderWithPositions) {
  auto scripts = ExtractScripts(
      "<!doctype html>\n<title>x</title>\n<script>one()</script>\n<body>\n"
      "<div><script src=\"two.js\"></script></div>\n  <script>\nthree()\n</script>\n");
  ASSERT_EQ(scripts.size(), 3u);
  EXPECT_EQ(scripts[0].kind, Kind::kInline);
  EXPECT_EQ(scripts[0].text, "one()");
  EXPECT_EQ(scripts[0].line, 2);
  EXPECT_EQ(scripts[0].column, 8);
  EXPECT_EQ(scripts[1].kind, Kind::kExternal);
  EXPECT_EQ(scripts[1].text, "two.js");
  EXPECT_EQ(scripts[2].text, "\nthree()\n");
  EXPECT_EQ(scripts[2].line, 5);
  EXPECT_EQ(scripts[2].column, 10);
}

TEST(HtmlScriptsTest, ScriptTextIsRawNotParsedAsMarkup) {
  auto scripts = ExtractScripts("<script>if (a < b && c > d) x('<p>&amp;')</script>");
  ASSERT_EQ(scripts.size(), 1u);
  EXPECT_EQ(scripts[0].text, "if (a < b && c > d) x('<p>&amp;')");
}

TEST(HtmlScriptsTest, TypesDecideWhatIsAClassicScript) {
  auto scripts = ExtractScripts(
      "<script type=\"text/javascript\">a</script>"
      "<script type=\" Application/JavaScript \">b</script>"
      "<script type=\"text/plain\">not a script</script>"
      "<script type=\"application/json\">{}</script>"
      "<script language=\"javascript\">c</script>"
      "<script type=\"module\">import x from './x.js'</script>"
      "<template><script>inert</script></template>");
  ASSERT_EQ(scripts.size(), 4u);
  EXPECT_EQ(scripts[0].text, "a");
  EXPECT_EQ(scripts[1].text, "b");
  EXPECT_EQ(scripts[2].text, "c");
  EXPECT_EQ(scripts[3].kind, Kind::kUnsupported);
}

TEST(HtmlScriptsTest, BrokenMarkupStillYieldsScripts) {
  auto scripts = ExtractScripts("<p><b>unclosed <script>x()");
  ASSERT_EQ(scripts.size(), 1u);
  EXPECT_EQ(scripts[0].text, "x()");
  EXPECT_TRUE(ExtractScripts("").empty());
  EXPECT_TRUE(ExtractScripts(std::string("\0\xff\xfe<", 4)).empty());
}

}  // namespace
}  // namespace switchboard
