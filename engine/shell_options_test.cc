#include "engine/shell_options.h"
#include "base/limits.h"

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <vector>

#include <gtest/gtest.h>

#include "net/testing/test_servers.h"

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
  EXPECT_EQ(Parse({"-h"}).value().action, ShellOptions::Action::kHelp);
  EXPECT_EQ(Parse({"--timeout", "1", "-h", "page.html"}).value().action,
            ShellOptions::Action::kHelp);
  EXPECT_EQ(Parse({"--version"}).value().action, ShellOptions::Action::kVersion);
}

// Like Node: "-" is a script on standard input, and so is no PAGE when standard input is a
// pipe or a file; on a terminal no PAGE is the REPL; --repl always reads lines.
TEST(ShellOptionsTest, StandardInputIsTheScriptForDashOrNoPageOffATerminal) {
  auto dash = Parse({"--timeout", "5", "-"});
  ASSERT_TRUE(dash.ok()) << dash.error().message;
  EXPECT_EQ(dash.value().action, ShellOptions::Action::kRunStandardInput);
  EXPECT_EQ(dash.value().page, "");
  EXPECT_EQ(dash.value().timeout_seconds, 5);

  std::vector<std::string_view> dash_alone = {"-"};
  auto dash_on_terminal = ParseShellOptions(dash_alone, /*stdin_is_terminal=*/true);
  ASSERT_TRUE(dash_on_terminal.ok());
  EXPECT_EQ(dash_on_terminal.value().action, ShellOptions::Action::kRunStandardInput);

  std::vector<std::string_view> none;
  auto pipe = ParseShellOptions(none, /*stdin_is_terminal=*/false);
  ASSERT_TRUE(pipe.ok()) << pipe.error().message;
  EXPECT_EQ(pipe.value().action, ShellOptions::Action::kRunStandardInput);

  std::vector<std::string_view> repl = {"--repl"};
  auto repl_from_pipe = ParseShellOptions(repl, /*stdin_is_terminal=*/false);
  ASSERT_TRUE(repl_from_pipe.ok());
  EXPECT_EQ(repl_from_pipe.value().action, ShellOptions::Action::kRepl);

  // After "--", "-" still means standard input; "./-" is a file named "-".
  EXPECT_EQ(Parse({"--", "-"}).value().action, ShellOptions::Action::kRunStandardInput);
  EXPECT_EQ(Parse({"./-"}).value().page, "./-");
  EXPECT_FALSE(Parse({"-", "page.html"}).ok());
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
  EXPECT_FALSE(Parse({"--repl=1"}).ok());
}

struct BadCommandLine {
  std::vector<std::string_view> arguments;
  const char* message_part;
};

// Every numeric option's message states its true range: both ends are accepted, and just
// beyond either end is refused with that message.
TEST(ShellOptionsTest, NumericRangesAreWhatTheirMessagesSay) {
  struct Range {
    std::string_view option;
    std::string_view lowest, highest, below, above;
    std::string message;
  };
  const Range ranges[] = {
      {"--max-connections", "1", "1000000", "0", "1000001", "a number from 1 to 1000000"},
      {"--handshake-timeout", "0.001", "86400", "0.0009", "86400.001",
       "seconds from 0.001 to 86400"},
      {"--disconnect-timeout", "0.001", "86400", "0", "86401", "seconds from 0.001 to 86400"},
      {"--load-timeout", "0.001", "86400", "0", "86401", "seconds from 0.001 to 86400"},
      {"--timeout", "0.001", "31536000", "0", "31536001", "seconds from 0.001 to 31536000"},
      {"--max-header-bytes", "1", "1073741824", "0", "1073741825",
       "a number of bytes from 1 to 1073741824"},
      {"--max-frame-bytes", "1", "1073741824", "0", "1073741825",
       "a number of bytes from 1 to 1073741824"},
      {"--receive-window", "1", "1073741824", "0", "1073741825",
       "a number of bytes from 1 to 1073741824"},
      {"--max-resource-bytes", "1", "1073741824", "0", "1073741825",
       "a number of bytes from 1 to 1073741824"},
  };
  for (const Range& range : ranges) {
    for (std::string_view good : {range.lowest, range.highest}) {
      auto options = Parse({range.option, good, "p.js"});
      EXPECT_TRUE(options.ok()) << range.option << " " << good << ": " << options.error().message;
    }
    for (std::string_view bad : {range.below, range.above}) {
      auto options = Parse({range.option, bad, "p.js"});
      ASSERT_FALSE(options.ok()) << range.option << " " << bad;
      EXPECT_EQ(options.error().message, std::string(range.option) + " wants " + range.message +
                                             ", not '" + std::string(bad) + "'");
    }
  }
  // The smallest timeout is one millisecond, as the limits keep it.
  EXPECT_EQ(Parse({"--handshake-timeout", "0.001", "p.js"}).value().page_options.handshake_timeout,
            std::chrono::milliseconds(1));
}

TEST(ShellOptionsTest, BadCommandLinesAreErrorsThatSayWhy) {
  const BadCommandLine cases[] = {
      {{"--bogus", "p.js"}, "unknown option '--bogus'"},
      {{"-x", "p.js"}, "unknown option '-x'"},
      {{"-help"}, "unknown option '-help'"},
      {{"--repl", "-"}, "--repl reads standard input, so PAGE cannot be - as well"},
      {{"a.js", "b.js"}, "more than one PAGE"},
      {{""}, "PAGE is empty"},
      {{"p.js", "--timeout"}, "needs a value"},
      {{"--timeout", "0", "p.js"}, "--timeout wants seconds from 0.001 to 31536000, not '0'"},
      {{"--timeout", "-1", "p.js"}, "from 0.001"},
      {{"--timeout", "soon", "p.js"}, "from 0.001"},
      {{"--timeout", "inf", "p.js"}, "from 0.001"},
      {{"--timeout", "1e300", "p.js"}, "to 31536000"},
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

// A fresh directory, removed with everything in it.
class TemporaryDirectory {
 public:
  TemporaryDirectory() {
    char pattern[] = "/tmp/switchboard-shell-options-XXXXXX";
    path_ = mkdtemp(pattern);
  }
  ~TemporaryDirectory() {
    std::error_code error;
    std::filesystem::remove_all(path_, error);
  }
  std::string File(std::string_view name, std::string_view contents) const {
    std::string path = path_ + "/" + std::string(name);
    std::ofstream(path) << contents;
    return path;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string PathError(const ShellOptions& options) {
  Result<Ok> checked = CheckPathOptions(options);
  return checked.ok() ? "" : checked.error().message;
}

TEST(ShellOptionsTest, PathOptionsThatCannotWorkAreRefusedBeforeAnythingStarts) {
  TemporaryDirectory directory;
  const std::string& dir = directory.path();
  const std::string missing_dir = dir + "/missing";
  const std::string no_certificates = directory.File("empty.pem", "not a certificate\n");
  const std::string a_file = directory.File("plain.txt", "x");

  ShellOptions options;
  options.page_options.ca_file = dir + "/nope.pem";
  EXPECT_EQ(PathError(options),
            "--ca-file '" + dir + "/nope.pem' cannot be read: No such file or directory");
  options.page_options.ca_file = dir;
  EXPECT_EQ(PathError(options), "--ca-file '" + dir + "' is a directory, not a file");
  options.page_options.ca_file = no_certificates;
  EXPECT_EQ(PathError(options), "--ca-file '" + no_certificates +
                                    "' holds no certificate that can be loaded (it wants PEM: "
                                    "-----BEGIN CERTIFICATE-----)");
  options.page_options.ca_file = "";

  options.page_options.cookie_jar = dir;
  EXPECT_EQ(PathError(options), "--cookie-jar '" + dir + "' is a directory, not a file");
  options.page_options.cookie_jar = missing_dir + "/jar.txt";
  EXPECT_EQ(PathError(options), "--cookie-jar '" + missing_dir +
                                    "/jar.txt' cannot be created: directory '" + missing_dir +
                                    "' does not exist");
  options.page_options.cookie_jar = a_file + "/jar.txt";
  EXPECT_EQ(PathError(options), "--cookie-jar '" + a_file + "/jar.txt' cannot be created: '" +
                                    a_file + "' is not a directory");
  options.page_options.cookie_jar = "";

  options.page_options.net_log = dir;
  EXPECT_EQ(PathError(options), "--net-log '" + dir + "' is a directory, not a file");
  options.page_options.net_log = missing_dir + "/log.json";
  EXPECT_EQ(PathError(options), "--net-log '" + missing_dir +
                                    "/log.json' cannot be created: directory '" + missing_dir +
                                    "' does not exist");
  // Nothing was created by looking.
  EXPECT_FALSE(std::filesystem::exists(missing_dir));
}

TEST(ShellOptionsTest, PathOptionsThatCanWorkPass) {
  TemporaryDirectory directory;
  testing::TestCertificates certificates;
  ShellOptions options;
  options.page_options.ca_file = certificates.Path("ca.pem");
  options.page_options.cookie_jar = directory.path() + "/new-jar.txt";  // created at the end
  options.page_options.net_log = directory.path() + "/log.json";
  EXPECT_EQ(PathError(options), "");
  options.page_options.cookie_jar = directory.File("jar.txt", "");  // an existing jar
  options.page_options.net_log = "/dev/null";  // not a regular file, but writable
  EXPECT_EQ(PathError(options), "");
  EXPECT_FALSE(std::filesystem::exists(directory.path() + "/new-jar.txt"));
  EXPECT_FALSE(std::filesystem::exists(directory.path() + "/log.json"));
}

TEST(ShellOptionsTest, APageFileMustBeAReadableFile) {
  TemporaryDirectory directory;
  auto check = [](std::string page) {
    ShellOptions options;
    options.page = std::move(page);
    Result<Ok> checked = CheckPageFile(options);
    return checked.ok() ? "" : checked.error().message;
  };
  EXPECT_EQ(check(directory.File("page.js", "1")), "");
  EXPECT_EQ(check(directory.path()),
            "'" + directory.path() +
                "' is a directory; PAGE is a .js or .html file, an http(s):// URL or - "
                "(standard input)");
  EXPECT_EQ(check(directory.path() + "/nope.js"),
            "cannot read '" + directory.path() + "/nope.js': No such file or directory");
  // URLs are the loader's business; no PAGE (standard input, the REPL) has nothing to check.
  EXPECT_EQ(check("http://127.0.0.1:1/x.html"), "");
  EXPECT_EQ(check("FILE:///nonexistent.js"), "");
  EXPECT_EQ(check(""), "");
}

TEST(ShellOptionsTest, PageUrlsAreHttpHttpsOrFileInAnyCase) {
  EXPECT_TRUE(IsPageUrl("http://x/"));
  EXPECT_TRUE(IsPageUrl("HTTPS://x/"));
  EXPECT_TRUE(IsPageUrl("file:///tmp/a.js"));
  EXPECT_FALSE(IsPageUrl("page.js"));
  EXPECT_FALSE(IsPageUrl("dir:with/colon.js"));
  EXPECT_FALSE(IsPageUrl("/abs/path.html"));
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
