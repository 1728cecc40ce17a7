// Tests of the application/x-www-form-urlencoded parser and serializer (URL Standard §5),
// with cases in the manner of the web-platform-tests' urlencoded-parser and
// urlsearchparams-stringifier tests.
#include "net/form_urlencoded.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace switchboard {
namespace {

// A list written "name=value|name=value" for short expectations ("|" is in no test input).
std::string Show(const FormUrlencodedList& list) {
  std::string output;
  for (const auto& [name, value] : list) {
    if (!output.empty()) output += '|';
    output += "[" + name + "]=[" + value + "]";
  }
  return output;
}

TEST(FormUrlencodedParserTest, SplitsOnAmpersandAndTheFirstEquals) {
  const struct {
    std::string_view input;
    std::string_view expected;
  } kCases[] = {
      {"", ""},
      {"a", "[a]=[]"},
      {"test", "[test]=[]"},
      {"a=b", "[a]=[b]"},
      {"a=", "[a]=[]"},
      {"=b", "[]=[b]"},
      {"=", "[]=[]"},
      {"&", ""},
      {"&a", "[a]=[]"},
      {"a&", "[a]=[]"},
      {"a&a", "[a]=[]|[a]=[]"},
      {"a&b&c", "[a]=[]|[b]=[]|[c]=[]"},
      {"a=b&c=d", "[a]=[b]|[c]=[d]"},
      {"a=b&c=d&", "[a]=[b]|[c]=[d]"},
      {"&&&a=b&&&&c=d&", "[a]=[b]|[c]=[d]"},
      {"a=a&a=b&a=c", "[a]=[a]|[a]=[b]|[a]=[c]"},
      {"a==a", "[a]=[=a]"},
      {"a=b=c&=", "[a]=[b=c]|[]=[]"},
      {"?a=b", "[?a]=[b]"},
      {"a=b;c=d", "[a]=[b;c=d]"},
  };
  for (const auto& row : kCases) {
    EXPECT_EQ(Show(ParseFormUrlencoded(row.input)), row.expected) << row.input;
  }
}

TEST(FormUrlencodedParserTest, PlusIsSpaceAndPercentDecodes) {
  const struct {
    std::string_view input;
    std::string_view expected;
  } kCases[] = {
      {"a=a+b+c+d", "[a]=[a b c d]"},
      {"a+b=c%20d", "[a b]=[c d]"},
      {"%2B=%2b", "[+]=[+]"},
      {"%=a", "[%]=[a]"},
      {"%a=a", "[%a]=[a]"},
      {"%a_=a", "[%a_]=[a]"},
      {"%61=a", "[a]=[a]"},
      {"%61+%4d%4D=", "[a MM]=[]"},
      {"id=0&value=%", "[id]=[0]|[value]=[%]"},
      {"b=%2sf%2a", "[b]=[%2sf*]"},
      {"b=%2%2af%2a", "[b]=[%2*f*]"},
      {"b=%%2a", "[b]=[%*]"},
      {"%26=%3D", "[&]=[=]"},
      {"a=%00b", std::string_view("[a]=[\0b]", 8)},
      {"\xe2\x80\xa0&\xe2\x80\xa0=x", "[\xe2\x80\xa0]=[]|[\xe2\x80\xa0]=[x]"},
      {"_charset_=windows-1252&test=%C2x", "[_charset_]=[windows-1252]|[test]=[\xef\xbf\xbdx]"},
  };
  for (const auto& row : kCases) {
    EXPECT_EQ(Show(ParseFormUrlencoded(row.input)), row.expected) << row.input;
  }
}

// UTF-8 decode without BOM: a BOM stays, ill-formed bytes are U+FFFD (maximal subparts).
TEST(FormUrlencodedParserTest, Utf8DecodeWithoutBom) {
  const struct {
    std::string_view input;
    std::string_view expected;
  } kCases[] = {
      {"\xef\xbb\xbftest=\xef\xbb\xbf", "[\xef\xbb\xbftest]=[\xef\xbb\xbf]"},
      {"%EF%BB%BFtest=%EF%BB%BF", "[\xef\xbb\xbftest]=[\xef\xbb\xbf]"},
      {"%EF%BF%BF=%EF%BF%BF", "[\xef\xbf\xbf]=[\xef\xbf\xbf]"},
      {"%FE%FF", "[\xef\xbf\xbd\xef\xbf\xbd]=[]"},
      {"%FF%FE", "[\xef\xbf\xbd\xef\xbf\xbd]=[]"},
      {"%C2", "[\xef\xbf\xbd]=[]"},
      {"%C2x", "[\xef\xbf\xbdx]=[]"},
      {"%E2%82=%F0%9F%92%A9", "[\xef\xbf\xbd]=[\xf0\x9f\x92\xa9]"},
      {"%ED%A0%80", "[\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd]=[]"},  // a surrogate's bytes
  };
  for (const auto& row : kCases) {
    EXPECT_EQ(Show(ParseFormUrlencoded(row.input)), row.expected) << row.input;
  }
}

TEST(FormUrlencodedSerializerTest, PercentEncodeSetAndSpaceAsPlus) {
  EXPECT_EQ(SerializeFormUrlencoded({}), "");
  EXPECT_EQ(SerializeFormUrlencoded({{"", ""}}), "=");
  EXPECT_EQ(SerializeFormUrlencoded({{"", ""}, {"", ""}}), "=&=");
  EXPECT_EQ(SerializeFormUrlencoded({{"a", "1"}, {"b", "2"}, {"a", "3"}}), "a=1&b=2&a=3");
  EXPECT_EQ(SerializeFormUrlencoded({{"a", "b c"}}), "a=b+c");
  EXPECT_EQ(SerializeFormUrlencoded({{"a b", " "}}), "a+b=+");
  EXPECT_EQ(SerializeFormUrlencoded({{"a+b", "%20"}}), "a%2Bb=%2520");
  EXPECT_EQ(SerializeFormUrlencoded({{"a=b", "c&d"}}), "a%3Db=c%26d");
  // Only * - . _ and ASCII alphanumerics are left as they are.
  EXPECT_EQ(SerializeFormUrlencoded({{"*-._09AZaz", "!\"#$%&'()+,/:;<=>?@[\\]^`{|}~"}}),
            "*-._09AZaz=%21%22%23%24%25%26%27%28%29%2B%2C%2F%3A%3B%3C%3D%3E%3F%40%5B%5C%5D%5E%60"
            "%7B%7C%7D%7E");
  EXPECT_EQ(SerializeFormUrlencoded({{std::string("\0\n\x7f", 3), "\xc3\xa9\xf0\x9f\x92\xa9"}}),
            "%00%0A%7F=%C3%A9%F0%9F%92%A9");
  // Bytes that are not UTF-8 are U+FFFD (a scalar value string is what is encoded).
  EXPECT_EQ(SerializeFormUrlencoded({{"\xff", "x"}}), "%EF%BF%BD=x");
}

TEST(FormUrlencodedTest, SerializationParsesBack) {
  const FormUrlencodedList lists[] = {
      {},
      {{"a", "b"}},
      {{"a b", "c+d"}, {"", ""}, {"%", "&="}, {"\xf0\x9f\x92\xa9", "~'()!"}},
  };
  for (const FormUrlencodedList& list : lists) {
    EXPECT_EQ(ParseFormUrlencoded(SerializeFormUrlencoded(list)), list);
  }
}

}  // namespace
}  // namespace switchboard
