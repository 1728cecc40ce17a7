// TCPConnection at page level against the real reference server (build/bin/switchboard-
// server, started here on a run-time port): a page that opens, uses and closes many
// connections leaves no file descriptor, libuv handle or connection behind (issue 5).
#include <dirent.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bindings/script_wrappable.h"
#include "engine/page.h"
#include "engine/script_platform.h"
#include "engine/testing/v8_test_environment.h"

namespace switchboard {
namespace {

const auto* const kV8Environment =
    ::testing::AddGlobalTestEnvironment(new testing::V8TestEnvironment);

int CountOpenFileDescriptors() {
  int count = 0;
  DIR* directory = opendir("/proc/self/fd");
  while (dirent* entry = readdir(directory)) {
    if (entry->d_name[0] != '.') ++count;
  }
  closedir(directory);
  return count - 1;  // the directory's own descriptor
}

// The reference server as a child process; it stops when its stdin (our pipe) closes.
class ReferenceServer {
 public:
  ReferenceServer() {
    int to_child[2];
    int from_child[2];
    EXPECT_EQ(pipe(to_child), 0);
    EXPECT_EQ(pipe(from_child), 0);
    pid_ = fork();
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      dup2(to_child[0], 0);
      dup2(from_child[1], 1);
      close(to_child[1]);
      close(from_child[0]);
      execl(SWITCHBOARD_SERVER_PATH, SWITCHBOARD_SERVER_PATH, "--port", "0", "--address",
            "127.0.0.1", "--root", SWITCHBOARD_SERVER_ROOT, "--exit-when-stdin-closes",
            static_cast<char*>(nullptr));
      _exit(127);
    }
    close(to_child[0]);
    close(from_child[1]);
    stdin_ = to_child[1];
    FILE* output = fdopen(from_child[0], "r");
    char line[256];
    while (fgets(line, sizeof line, output)) {
      int parsed_port = 0;
      if (std::sscanf(line, "listening http 127.0.0.1 %d", &parsed_port) == 1) port_ = parsed_port;
      if (std::string(line).starts_with("ready")) break;
    }
    fclose(output);
  }
  ~ReferenceServer() {
    close(stdin_);
    waitpid(pid_, nullptr, 0);
  }
  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int stdin_ = -1;
  int port_ = 0;
};

TEST(TCPConnectionPageTest, ThousandConnectionsLeaveNoDescriptorsHandlesOrObjects) {
  ReferenceServer server;
  ASSERT_GT(server.port(), 0) << "switchboard-server did not start";
  std::vector<std::string> console;
  std::vector<std::string> diagnostics;
  std::string origin = "http://127.0.0.1:" + std::to_string(server.port());
  auto page = std::make_unique<Page>(
      PageUrl::Parse(origin + "/page.html").value(), PageSettings{},
      [&](bindings::ConsoleLevel, std::string_view line) { console.emplace_back(line); },
      [&](std::string_view text) { diagnostics.emplace_back(text); });

  // One connection first, so that the network thread and its own handles exist in the
  // baseline.
  page->EvaluateScript(R"js(
    const first = new TCPConnection('/close-after-open');
    first.onclose = () => console.log('warm-up closed');
  )js",
                       {"warm-up.js", 0, 0});
  page->event_loop().Run();
  ASSERT_EQ(console, std::vector<std::string>{"warm-up closed"});
  int baseline_descriptors = CountOpenFileDescriptors();
  auto [baseline_handles, baseline_connections] =
      page->network().service_for_testing()->CountLiveResourcesForTesting();

  page->EvaluateScript(R"js(
    let closed = 0;
    let echoed = 0;
    function batch(start) {
      let left = 50;
      for (let i = 0; i < 50; ++i) {
        const connection = new TCPConnection('/echo');
        connection.onopen = () => connection.send(`message ${start + i}`);
        connection.onread = (event) => {
          if (event.data === `message ${start + i}`) ++echoed;
          connection.disconnect();
        };
        connection.onclose = () => {
          ++closed;
          if (--left === 0) {
            if (start + 50 < 1000) batch(start + 50);
            else console.log(`closed ${closed}, echoed ${echoed}`);
          }
        };
      }
    }
    batch(0);
  )js",
                       {"thousand.js", 0, 0});
  page->event_loop().Run();
  EXPECT_EQ(console.back(), "closed 1000, echoed 1000");
  EXPECT_TRUE(diagnostics.empty()) << diagnostics.front();

  auto [handles, connections] =
      page->network().service_for_testing()->CountLiveResourcesForTesting();
  EXPECT_EQ(handles, baseline_handles);
  EXPECT_EQ(connections, baseline_connections);
  EXPECT_EQ(page->network().live_connection_count(), 0u);
  EXPECT_EQ(CountOpenFileDescriptors(), baseline_descriptors);
  page.reset();
  EXPECT_EQ(bindings::ScriptWrappable::LiveObjectCountForTesting(), 0u);
}

TEST(TCPConnectionPageTest, TearingDownThePageClosesOpenConnectionsWithoutEvents) {
  ReferenceServer server;
  ASSERT_GT(server.port(), 0) << "switchboard-server did not start";
  std::vector<std::string> console;
  auto page = std::make_unique<Page>(
      PageUrl::Parse("http://127.0.0.1:" + std::to_string(server.port()) + "/").value(),
      PageSettings{},
      [&](bindings::ConsoleLevel, std::string_view line) { console.emplace_back(line); },
      [](std::string_view) {});
  page->EvaluateScript(R"js(
    for (let i = 0; i < 20; ++i) {
      const connection = new TCPConnection('/echo');
      connection.onopen = () => { if (i === 19) console.log('all open'); };
      connection.onclose = () => console.log('close must not fire at teardown');
    }
  )js",
                       {"teardown.js", 0, 0});
  // Run until the last one is open, then stop with 20 connections open.
  while (console.empty()) page->event_loop().RunUntilNoReadyTasks(), usleep(1000);
  EXPECT_EQ(page->network().live_connection_count(), 20u);
  page.reset();
  EXPECT_EQ(console, std::vector<std::string>{"all open"});
  EXPECT_EQ(bindings::ScriptWrappable::LiveObjectCountForTesting(), 0u);
}

TEST(TCPConnectionPageTest, ConnectionLimitThrowsSecurityErrorUntilOneCloses) {
  ReferenceServer server;
  ASSERT_GT(server.port(), 0) << "switchboard-server did not start";
  std::vector<std::string> console;
  PageSettings settings;
  settings.max_connections = 3;  // spec §3.6; the shell's --max-connections
  auto page = std::make_unique<Page>(
      PageUrl::Parse("http://127.0.0.1:" + std::to_string(server.port()) + "/").value(), settings,
      [&](bindings::ConsoleLevel, std::string_view line) { console.emplace_back(line); },
      [](std::string_view) {});
  page->EvaluateScript(R"js(
    const open = [1, 2, 3].map(() => new TCPConnection('/echo'));
    try {
      new TCPConnection('/echo');
      console.log('fourth: no exception');
    } catch (e) {
      console.log(`fourth: ${e.name}`);
    }
    open[0].onclose = () => {
      const again = new TCPConnection('/echo');
      console.log(`after one closed: readyState ${again.readyState}`);
      again.disconnect();
      open[1].disconnect();
      open[2].disconnect();
    };
    open[0].disconnect();
  )js",
                       {"limit.js", 0, 0});
  page->event_loop().Run();
  EXPECT_EQ(console,
            (std::vector<std::string>{"fourth: SecurityError", "after one closed: readyState 0"}));
}

TEST(TCPConnectionPageTest, MixedContentFromAnHttpsDocument) {
  std::vector<std::string> console;
  auto page = std::make_unique<Page>(
      PageUrl::Parse("https://secure.example.test/app.html").value(), PageSettings{},
      [&](bindings::ConsoleLevel, std::string_view line) { console.emplace_back(line); },
      [](std::string_view) {});
  // Spec §2 step 3: from an https document only connections that will be secure.
  page->EvaluateScript(R"js(
    const attempt = (url, init) => {
      try {
        const connection = new TCPConnection(url, init);
        connection.disconnect();
        return 'allowed';
      } catch (e) {
        return e.name;
      }
    };
    console.log(attempt('http://example.test/x'));
    console.log(attempt('http://example.test/x', {secure: true}));
    console.log(attempt('https://example.test/x'));
    console.log(attempt('/relative'));
  )js",
                       {"mixed.js", 0, 0});
  page->event_loop().Run();
  EXPECT_EQ(console, (std::vector<std::string>{"SecurityError", "allowed", "allowed", "allowed"}));
}

}  // namespace
}  // namespace switchboard
