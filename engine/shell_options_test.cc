#include "engine/shell_options.h"
#include "base/limits.h"

#include <initializer_list>
#include <vector>

#include <gtest/gtest.h>

namespace switchboard {
namespace {

Result<ShellOptions> Parse(std::initializer_list<std::string_view> arguments) {
  std::vector<std::string_view> list(arguments);
  return ParseShellOptions(list);
}

TEST(ShellOptionsTest, PageAlone) {
  auto options = Parse({"page.html"});
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options.value().page, "page.html");
  EXPECT_EQ(options.value().action, ShellOptions::Action::kRunPage);
  EXPECT_FALSE(options.value().timeout_seconds);
  EXPECT_EQ(options.value().page_options.max_connections, 1024u);
}

TEST(ShellOptionsTest, EveryOptionWithSeparateAndInlineValues) {
  auto options = Parse({"--origin", "https://example.com:8443", "--proxy=http://u:p@proxy:3128",
                        "--ca-file", "ca.pem", "--dns-server", "127.0.0.1:5353,[::1]:53",
                        "--cookie-jar=jar.txt", "--net-log", "log.json", "--timeout", "2.5",
                        "--max-connections", "10000", "http://127.0.0.1:8080/x.html"});
  ASSERT_TRUE(options.ok()) << options.error().message;
  const ShellOptions& o = options.value();
  EXPECT_EQ(o.page_options.origin, "https://example.com:8443");
  EXPECT_EQ(o.page_options.proxy, "http://u:p@proxy:3128");
  EXPECT_EQ(o.page_options.ca_file, "ca.pem");
  EXPECT_EQ(o.page_options.dns_servers, (std::vector<std::string>{"127.0.0.1:5353", "[::1]:53"}));
  EXPECT_EQ(o.page_options.cookie_jar, "jar.txt");
  EXPECT_EQ(o.page_options.net_log, "log.json");
  EXPECT_EQ(o.timeout_seconds, 2.5);
  EXPECT_EQ(o.page_options.max_connections, 10000u);
  EXPECT_EQ(o.page, "http://127.0.0.1:8080/x.html");
}

TEST(ShellOptionsTest, SpecSection9LimitsAreSettable) {
  auto options =
      Parse({"--handshake-timeout", "0.25", "--max-header-bytes", "1024", "--max-frame-bytes=65536",
             "--receive-window", "8192", "--disconnect-timeout", "1.5", "p.js"});
  ASSERT_TRUE(options.ok()) << options.error().message;
  const embed::PageOptions& page_options = options.value().page_options;
  EXPECT_EQ(page_options.handshake_timeout, std::chrono::milliseconds(250));
  EXPECT_EQ(page_options.max_response_header_bytes, 1024u);
  EXPECT_EQ(page_options.max_frame_bytes, 65536u);
  EXPECT_EQ(page_options.receive_window_bytes, 8192u);
  EXPECT_EQ(page_options.disconnect_timeout, std::chrono::milliseconds(1500));
  // The defaults of spec §9.
  const embed::PageOptions defaults = Parse({"p.js"}).value().page_options;
  EXPECT_EQ(defaults.handshake_timeout, std::chrono::seconds(30));
  EXPECT_EQ(defaults.max_response_header_bytes, 16u * 1024);
  EXPECT_EQ(defaults.max_frame_bytes, 16u * 1024 * 1024);
  EXPECT_EQ(defaults.receive_window_bytes, 4u * 1024 * 1024);
  EXPECT_EQ(defaults.disconnect_timeout, std::chrono::seconds(30));
  // The embedding API mirrors base/limits.h, where the defaults are written once.
  const Limits limits;
  EXPECT_EQ(defaults.max_connections, limits.max_connections);
  EXPECT_EQ(defaults.handshake_timeout, limits.handshake_timeout);
  EXPECT_EQ(defaults.max_response_header_bytes, limits.max_response_header_bytes);
  EXPECT_EQ(defaults.max_frame_bytes, limits.max_frame_bytes);
  EXPECT_EQ(defaults.receive_window_bytes, limits.receive_window_bytes);
  EXPECT_EQ(defaults.disconnect_timeout, limits.disconnect_timeout);
  EXPECT_EQ(defaults.max_resource_bytes, limits.max_resource_bytes);
  EXPECT_EQ(defaults.load_timeout, limits.load_timeout);
  // The load limits.
  const embed::PageOptions loads =
      Parse({"--load-timeout", "2.5", "--max-resource-bytes", "4096", "p.js"}).value().page_options;
  EXPECT_EQ(loads.load_timeout, std::chrono::milliseconds(2500));
  EXPECT_EQ(loads.max_resource_bytes, 4096u);
}

TEST(ShellOptionsTest, HelpAndVersionNeedNoPage) {
  EXPECT_EQ(Parse({"--help"}).value().action, ShellOptions::Action::kHelp);
  EXPECT_EQ(Parse({"--version"}).value().action, ShellOptions::Action::kVersion);
}

TEST(ShellOptionsTest, DoubleDashEndsOptions) {
  auto options = Parse({"--", "--weird-name.js"});
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options.value().page, "--weird-name.js");
}

TEST(ShellOptionsTest, ReplWithFlagOrWithoutPageOnATerminal) {
  auto flag = Parse({"--repl", "--origin", "http://127.0.0.1:8080"});
  ASSERT_TRUE(flag.ok()) << flag.error().message;
  EXPECT_EQ(flag.value().action, ShellOptions::Action::kRepl);
  EXPECT_EQ(flag.value().page, "");
  // A PAGE with --repl runs first, then the prompt.
  auto with_page = Parse({"--repl", "setup.js"});
  ASSERT_TRUE(with_page.ok());
  EXPECT_EQ(with_page.value().action, ShellOptions::Action::kRepl);
  EXPECT_EQ(with_page.value().page, "setup.js");

  std::vector<std::string_view> none;
  auto terminal = ParseShellOptions(none, /*stdin_is_terminal=*/true);
  ASSERT_TRUE(terminal.ok());
  EXPECT_EQ(terminal.value().action, ShellOptions::Action::kRepl);
  auto pipe = ParseShellOptions(none, /*stdin_is_terminal=*/false);
  ASSERT_FALSE(pipe.ok());
  EXPECT_NE(pipe.error().message.find("missing PAGE"), std::string::npos);
  EXPECT_FALSE(Parse({"--repl=1"}).ok());
}

struct BadCommandLine {
  std::vector<std::string_view> arguments;
  const char* message_part;
};

TEST(ShellOptionsTest, BadCommandLinesAreErrorsThatSayWhy) {
  const BadCommandLine cases[] = {
      {{}, "missing PAGE"},
      {{"--bogus", "p.js"}, "unknown option '--bogus'"},
      {{"a.js", "b.js"}, "more than one PAGE"},
      {{"p.js", "--timeout"}, "needs a value"},
      {{"--timeout", "0", "p.js"}, "positive number"},
      {{"--timeout", "-1", "p.js"}, "positive number"},
      {{"--timeout", "soon", "p.js"}, "positive number"},
      {{"--timeout", "inf", "p.js"}, "positive number"},
      {{"--origin", "example.com", "p.js"}, "--origin"},
      {{"--origin", "ftp://example.com", "p.js"}, "--origin"},
      {{"--origin", "http://example.com/path", "p.js"}, "--origin"},
      {{"--dns-server", "127.0.0.1", "p.js"}, "HOST:PORT"},
      {{"--dns-server", "127.0.0.1:99999", "p.js"}, "HOST:PORT"},
      {{"--dns-server", "::1:53", "p.js"}, "HOST:PORT"},
      {{"--dns-server", "127.0.0.1:53,", "p.js"}, "HOST:PORT"},
      {{"--max-connections", "0", "p.js"}, "--max-connections"},
      {{"--max-connections", "12x", "p.js"}, "--max-connections"},
      {{"--help=yes"}, "takes no value"},
      {{"--handshake-timeout", "0", "p.js"}, "--handshake-timeout"},
      {{"--disconnect-timeout", "-1", "p.js"}, "--disconnect-timeout"},
      {{"--max-frame-bytes", "0", "p.js"}, "--max-frame-bytes"},
      {{"--receive-window", "2G", "p.js"}, "--receive-window"},
      {{"--max-header-bytes", "99999999999", "p.js"}, "--max-header-bytes"},
  };
  for (const BadCommandLine& bad : cases) {
    auto options = ParseShellOptions(bad.arguments);
    ASSERT_FALSE(options.ok()) << bad.message_part;
    EXPECT_NE(options.error().message.find(bad.message_part), std::string::npos)
        << options.error().message;
  }
}

}  // namespace
}  // namespace switchboard

namespace switchboard {
namespace {

using Inspect = embed::PageOptions::Inspect;

TEST(ShellOptionsTest, NoInspectorUnlessAsked) {
  auto options = Parse({"page.html"});
  ASSERT_TRUE(options.ok());
  EXPECT_FALSE(options.value().page_options.inspect);
}

TEST(ShellOptionsTest, InspectFlagsAndAddresses) {
  struct Case {
    std::string_view argument;
    std::string host;
    std::uint16_t port;
    Inspect::Start start;
  };
  for (const Case& test : {
           Case{"--inspect", "127.0.0.1", 9229, Inspect::Start::kNoWait},
           Case{"--inspect=9230", "127.0.0.1", 9230, Inspect::Start::kNoWait},
           Case{"--inspect=0", "127.0.0.1", 0, Inspect::Start::kNoWait},
           Case{"--inspect-wait=0.0.0.0:9229", "0.0.0.0", 9229, Inspect::Start::kWait},
           Case{"--inspect-brk=127.0.0.1:0", "127.0.0.1", 0, Inspect::Start::kBreak},
           Case{"--inspect-brk=[::1]:4000", "::1", 4000, Inspect::Start::kBreak},
           Case{"--inspect=localhost", "localhost", 9229, Inspect::Start::kNoWait},
           Case{"--inspect=[::1]", "::1", 9229, Inspect::Start::kNoWait},
       }) {
    auto options = Parse({test.argument, "page.html"});
    ASSERT_TRUE(options.ok()) << test.argument;
    EXPECT_EQ(options.value().page, "page.html");
    const std::optional<Inspect>& inspect = options.value().page_options.inspect;
    ASSERT_TRUE(inspect) << test.argument;
    EXPECT_EQ(inspect->host, test.host) << test.argument;
    EXPECT_EQ(inspect->port, test.port) << test.argument;
    EXPECT_EQ(inspect->start, test.start) << test.argument;
  }
}

TEST(ShellOptionsTest, InspectRefusesBadAddresses) {
  for (std::string_view argument :
       {"--inspect=65536", "--inspect=attacker.example:9229", "--inspect=example.com",
        "--inspect=127.0.0.1:", "--inspect=:9229", "--inspect=-1", "--inspect=", "--inspect=1x",
        "--inspect-brk=[::1"}) {
    auto options = Parse({argument, "page.html"});
    ASSERT_FALSE(options.ok()) << argument;
    EXPECT_NE(options.error().message.find("[HOST:]PORT"), std::string::npos) << argument;
  }
}

}  // namespace
}  // namespace switchboard
