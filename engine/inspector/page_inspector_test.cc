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

// The REPL's session (issue 17): no endpoint, V8's REPL mode with a top-level await that the
// page's loop settles, and the result's objectId handed back as the value itself.
TEST(PageInspector, LocalSessionWithoutAServer) {
  auto page = std::make_unique<Page>(
      PageUrl::Parse("file:///tmp/repl.html").value(), PageSettings{},
      [](bindings::ConsoleLevel, std::string_view) {}, [](std::string_view) {});
  page->SetInspector(PageInspector::CreateWithoutServer(*page));
  EXPECT_EQ(page->inspector()->port(), 0);
  EXPECT_EQ(page->inspector()->WebSocketUrl(), "");
  std::vector<std::string> responses;
  std::unique_ptr<PageInspector::LocalSession> session = page->inspector()->ConnectLocal(
      [&](std::string_view message) { responses.emplace_back(message); });
  session->Dispatch(
      R"({"id":1,"method":"Runtime.evaluate","params":{"expression":)"
      R"("const answer = await new Promise((resolve) => setTimeout(() => resolve({n: 42}), 10)); answer",)"
      R"("replMode":true,"awaitPromise":true,"objectGroup":"test"}})");
  page->PerformMicrotaskCheckpoint();
  EXPECT_TRUE(responses.empty()) << responses.front();  // it waits for the timer
  page->event_loop().Run();
  ASSERT_EQ(responses.size(), 1u);
  const std::string& response = responses[0];
  const std::string marker = R"("objectId":")";
  std::size_t id_start = response.find(marker);
  ASSERT_NE(id_start, std::string::npos) << response;
  id_start += marker.size();
  std::string object_id = response.substr(id_start, response.find('"', id_start) - id_start);

  v8::HandleScope handle_scope(page->isolate());
  v8::Local<v8::Context> context = page->context();
  v8::Context::Scope context_scope(context);
  v8::Local<v8::Value> value;
  ASSERT_TRUE(session->Unwrap(object_id).ToLocal(&value));
  ASSERT_TRUE(value->IsObject());
  v8::Local<v8::Value> n;
  ASSERT_TRUE(value.As<v8::Object>()
                  ->Get(context, v8::String::NewFromUtf8Literal(page->isolate(), "n"))
                  .ToLocal(&n));
  EXPECT_EQ(n->Int32Value(context).FromMaybe(0), 42);
  // The declaration stays, as the REPL's later inputs need.
  EXPECT_EQ(page->EvaluateScript("if (answer.n !== 42) throw 0;", ScriptLocation{"later"}),
            bindings::ScriptOutcome::kCompleted);
  EXPECT_FALSE(session->Unwrap("not an id").ToLocal(&value));
  session.reset();
}
}  // namespace
}  // namespace switchboard
