// Tests of Origin: spec §5's (scheme, host, port) tuple and its serialization.
#include "net/origin.h"

#include <gtest/gtest.h>

namespace switchboard {
namespace {

TEST(OriginTest, DefaultPorts) {
  EXPECT_EQ(DefaultPortForScheme("http"), 80);
  EXPECT_EQ(DefaultPortForScheme("https"), 443);
  EXPECT_EQ(DefaultPortForScheme("ftp"), std::nullopt);
  EXPECT_EQ(DefaultPortForScheme("HTTP"), std::nullopt);  // schemes are lower-cased first
}

TEST(OriginTest, OpaqueOrigin) {
  const Origin opaque;
  EXPECT_TRUE(opaque.is_opaque());
  EXPECT_EQ(opaque.Serialize(), "null");
  EXPECT_TRUE(Origin::Opaque().is_opaque());
}

TEST(OriginTest, TupleSerializationOmitsDefaultPorts) {
  EXPECT_EQ(Origin::Tuple("http", "example.com", 80).Serialize(), "http://example.com");
  EXPECT_EQ(Origin::Tuple("https", "example.com", 443).Serialize(), "https://example.com");
  EXPECT_EQ(Origin::Tuple("http", "example.com", 443).Serialize(), "http://example.com:443");
  EXPECT_EQ(Origin::Tuple("https", "example.com", 80).Serialize(), "https://example.com:80");
  EXPECT_EQ(Origin::Tuple("http", "example.com", 8080).Serialize(), "http://example.com:8080");
  EXPECT_EQ(Origin::Tuple("HTTP", "Example.COM", 80).Serialize(), "http://example.com");
}

TEST(OriginTest, Ipv6HostsAreBracketedWhenSerialized) {
  const Origin origin = Origin::Tuple("http", "::1", 8080);
  EXPECT_EQ(origin.host(), "::1");
  EXPECT_EQ(origin.Serialize(), "http://[::1]:8080");
}

TEST(OriginTest, ParseRoundTrips) {
  for (std::string_view serialized :
       {"http://example.com", "https://example.com", "http://example.com:8080",
        "https://example.com:80", "http://[::1]", "https://[2001:db8::1]:8443",
        "http://127.0.0.1:8000", "http://xn--bcher-kva.example", "null", "foo://x:1"}) {
    const std::optional<Origin> origin = Origin::Parse(serialized);
    ASSERT_TRUE(origin.has_value()) << serialized;
    EXPECT_EQ(origin->Serialize(), serialized);
  }
}

TEST(OriginTest, ParseNormalizes) {
  EXPECT_EQ(Origin::Parse("HTTP://EXAMPLE.COM")->Serialize(), "http://example.com");
  EXPECT_EQ(Origin::Parse("http://example.com:80")->Serialize(), "http://example.com");
  EXPECT_EQ(Origin::Parse("https://example.com:0443")->Serialize(), "https://example.com");
  EXPECT_EQ(Origin::Parse("http://[0:0::1]")->host(), "::1");
  const Origin origin = *Origin::Parse("https://example.com:8443");
  EXPECT_EQ(origin.scheme(), "https");
  EXPECT_EQ(origin.host(), "example.com");
  EXPECT_EQ(origin.port(), 8443);
  EXPECT_FALSE(origin.is_opaque());
}

TEST(OriginTest, ParseRejectsWhatIsNotASerializedOrigin) {
  for (std::string_view bad : {"",
                               "NULL",
                               "Null",
                               "example.com",
                               "http://",
                               "http:///",
                               "http://example.com/",
                               "http://example.com/path",
                               "http://example.com:",
                               "http://example.com:99999",
                               "http://example.com:8x",
                               "http://example.com:-1",
                               "http://[::1",
                               "http://[::1]x",
                               "http://::1",
                               "http://user@example.com",
                               "http://bücher.example",
                               "foo://x",
                               " http://example.com",
                               "http://example.com ",
                               "http://exa mple.com",
                               "http://example.com\r\nX: y",
                               "1http://x",
                               "http://example.com?q",
                               "http://example.com#f"}) {
    EXPECT_EQ(Origin::Parse(bad), std::nullopt) << bad;
  }
}

TEST(OriginTest, SameOrigin) {
  const Origin origin = Origin::Tuple("http", "example.com", 80);
  EXPECT_TRUE(origin.IsSameOrigin(*Origin::Parse("http://example.com")));
  EXPECT_TRUE(origin.IsSameOrigin(*Origin::Parse("http://EXAMPLE.com:80")));
  EXPECT_FALSE(origin.IsSameOrigin(*Origin::Parse("https://example.com")));      // scheme
  EXPECT_FALSE(origin.IsSameOrigin(*Origin::Parse("http://www.example.com")));   // host
  EXPECT_FALSE(origin.IsSameOrigin(*Origin::Parse("http://example.com:8080")));  // port
}

TEST(OriginTest, OpaqueOriginsAreNeverSameOrigin) {
  const Origin origin = Origin::Tuple("http", "example.com", 80);
  EXPECT_FALSE(Origin::Opaque().IsSameOrigin(Origin::Opaque()));
  EXPECT_FALSE(Origin::Opaque().IsSameOrigin(origin));
  EXPECT_FALSE(origin.IsSameOrigin(Origin::Opaque()));
}

}  // namespace
}  // namespace switchboard
