// PageInspector over a real DevTools connection (net/testing/devtools_client.h): V8's domains
// and an engine-served one side by side in one session, and the session's end reaching the
// engine's domain.
#include "engine/inspector/page_inspector.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "engine/page.h"
#include "net/testing/devtools_client.h"

namespace switchboard {
namespace {

// V8 is initialised once for switchboard_engine_tests, by page_test.cc's V8TestEnvironment.

// Answers every "Echo." command with its method; counts the sessions that ended.
class EchoDomain final : public InspectorDomain {
 public:
  EchoDomain(PageInspector& inspector, EventLoop& event_loop)
      : inspector_(inspector), event_loop_(event_loop) {}
  std::string_view method_prefix() const override { return "Echo."; }
  void HandleCommand(DevToolsServer::SessionId session, int id, std::string_view method,
                     std::string_view message) override {
    commands.emplace_back(message);
    inspector_.Send(session, "{\"id\":" + std::to_string(id) + ",\"result\":{\"method\":\"" +
                                 std::string(method) + "\"}}");
  }
  void SessionClosed(DevToolsServer::SessionId) override {
    ++sessions_closed;
    event_loop_.ReleasePendingActivity();  // what the test's loop waits for
  }

  std::vector<std::string> commands;
  int sessions_closed = 0;

 private:
  PageInspector& inspector_;
  EventLoop& event_loop_;
};

TEST(PageInspector, EngineDomainsBesideV8sInOneSession) {
  auto page = std::make_unique<Page>(
      PageUrl::Parse("file:///tmp/inspected.html").value(), PageSettings{},
      [](bindings::ConsoleLevel, std::string_view) {}, [](std::string_view) {});
  InspectorSettings settings;
  settings.port = 0;
  auto created = PageInspector::Create(*page, settings);
  ASSERT_TRUE(created.ok()) << created.error().message;
  PageInspector& inspector = *created.value();
  const std::string url = inspector.WebSocketUrl();
  const std::string target_id = url.substr(url.rfind('/') + 1);
  const std::uint16_t port = inspector.port();
  EchoDomain domain(inspector, page->event_loop());
  inspector.AddDomain(domain);
  page->SetInspector(std::move(created.value()));

  // The page's loop runs until the client's session has ended (EchoDomain releases it).
  page->event_loop().AddPendingActivity();
  std::vector<std::pair<int, std::string>> answers;
  std::thread client_thread([&] {
    testing::DevToolsClient client(port);
    client.Write(
        testing::DevToolsClient::UpgradeRequest(target_id, "localhost") +
        testing::MaskedFrame(0x81, R"({"id":1,"method":"Echo.hello","params":{}})") +
        testing::MaskedFrame(
            0x81, R"({"id":2,"method":"Runtime.evaluate","params":{"expression":"6*7"}})") +
        testing::MaskedFrame(0x81, R"({"id":3,"method":"Nope.nothing"})"));
    client.ReadUntil("\r\n\r\n");
    for (int i = 0; i < 3; ++i) answers.push_back(client.ReadFrame());
  });
  page->event_loop().Run();
  client_thread.join();

  ASSERT_EQ(answers.size(), 3u);
  EXPECT_EQ(answers[0],
            std::make_pair(1, std::string(R"({"id":1,"result":{"method":"Echo.hello"}})")));
  EXPECT_EQ(answers[1].second.rfind(R"({"id":2,"result":{"result":{"type":"number","value":42)", 0),
            0u)
      << answers[1].second;
  // A domain nobody serves: V8 answers with the protocol's error.
  EXPECT_EQ(answers[2].second.rfind(R"({"id":3,"error":{"code":-32601)", 0), 0u)
      << answers[2].second;
  EXPECT_EQ(domain.commands,
            std::vector<std::string>{R"({"id":1,"method":"Echo.hello","params":{}})"});
  EXPECT_EQ(domain.sessions_closed, 1);
  page->inspector()->RemoveDomain(domain);
}

}  // namespace
}  // namespace switchboard
