// The DevTools endpoint over real loopback sockets: the target list, the Host check, the
// upgrade and a WebSocket session both ways, and refusals of hostile input.
#include "net/devtools_server.h"

#include "net/testing/devtools_client.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

namespace switchboard {
namespace {

using testing::DevToolsClient;
using testing::MaskedFrame;

class DevToolsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DevToolsServerOptions options;
    options.port = 0;
    options.target_title = "file:///tmp/page.html";
    options.target_url = "file:///tmp/page.html";
    options.protocol_json = R"({"version":{"major":"1","minor":"3"},"domains":[]})";
    options.max_head_bytes = 4096;
    DevToolsServer::Callbacks callbacks;
    callbacks.on_session_opened = [this](int session) {
      Record("open " + std::to_string(session));
    };
    callbacks.on_message = [this](int session, std::string message) {
      Record("message " + std::to_string(session) + " " + message);
    };
    callbacks.on_session_closed = [this](int session) {
      Record("closed " + std::to_string(session));
    };
    auto started = DevToolsServer::Start(options, callbacks);
    ASSERT_TRUE(started.ok()) << started.error().message;
    server_ = std::move(started.value());
    ASSERT_NE(server_->port(), 0);
  }

  void Record(std::string event) {
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(event));
    changed_.notify_all();
  }
  // Waits for the server's thread to have recorded `count` events.
  std::vector<std::string> WaitForEvents(std::size_t count) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, std::chrono::seconds(10), [&] { return events_.size() >= count; });
    return events_;
  }

  std::string Get(std::string_view path, std::string_view host) {
    DevToolsClient client(server_->port());
    EXPECT_TRUE(client.connected());
    client.Write("GET " + std::string(path) + " HTTP/1.1\r\nHost: " + std::string(host) +
                 "\r\n\r\n");
    return client.ReadToEnd();
  }

  std::string UpgradeRequest(std::string_view host) {
    return "GET /" + server_->target_id() + " HTTP/1.1\r\nHost: " + std::string(host) +
           "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
  }

  std::string LocalHost() { return "127.0.0.1:" + std::to_string(server_->port()); }

  std::unique_ptr<DevToolsServer> server_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> events_;
};

TEST_F(DevToolsServerTest, TargetIdIsAVersion4Uuid) {
  const std::string& id = server_->target_id();
  ASSERT_EQ(id.size(), 36u);
  EXPECT_EQ(id[14], '4');
  EXPECT_NE(id, RandomUuid());
  EXPECT_EQ(server_->WebSocketUrl(), "ws://" + LocalHost() + "/" + id);
}

TEST_F(DevToolsServerTest, ListsTheTargetAsChromeDoes) {
  for (const char* path : {"/json", "/json/list", "/json/list?for_tab"}) {
    std::string response = Get(path, LocalHost());
    ASSERT_EQ(response.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << response;
    EXPECT_NE(response.find("Content-Type: application/json; charset=UTF-8"), std::string::npos);
    std::string body = response.substr(response.find("\r\n\r\n") + 4);
    const std::string address = LocalHost() + "/" + server_->target_id();
    EXPECT_EQ(body,
              "[ {\n  \"description\": \"Switchboard page\",\n"
              "  \"devtoolsFrontendUrl\": \"devtools://devtools/bundled/devtools_app.html?ws=" +
                  address + "\",\n  \"id\": \"" + server_->target_id() +
                  "\",\n  \"title\": \"file:///tmp/page.html\",\n  \"type\": \"page\",\n"
                  "  \"url\": \"file:///tmp/page.html\",\n  \"webSocketDebuggerUrl\": "
                  "\"ws://" +
                  address + "\"\n} ]\n");
  }
  std::string version = Get("/json/version", "localhost");
  EXPECT_NE(version.find("\"Browser\": \"Switchboard\""), std::string::npos) << version;
  EXPECT_NE(version.find("\"Protocol-Version\": \"1.3\""), std::string::npos) << version;
  EXPECT_EQ(Get("/nothing", "localhost").rfind("HTTP/1.1 404", 0), 0u);
}

TEST_F(DevToolsServerTest, ServesTheProtocolDescription) {
  std::string response = Get("/json/protocol", LocalHost());
  ASSERT_EQ(response.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << response;
  EXPECT_NE(response.find("Content-Type: application/json; charset=UTF-8"), std::string::npos);
  EXPECT_EQ(response.substr(response.find("\r\n\r\n") + 4),
            R"({"version":{"major":"1","minor":"3"},"domains":[]})");
}

TEST_F(DevToolsServerTest, RefusesForeignHosts) {
  for (const char* path : {"/json", "/json/list", "/json/version", "/json/protocol"}) {
    std::string response = Get(path, "attacker.example");
    EXPECT_EQ(response.rfind("HTTP/1.1 403 Forbidden\r\n", 0), 0u) << response;
    EXPECT_EQ(response.find(server_->target_id()), std::string::npos);
  }
  DevToolsClient client(server_->port());
  client.Write(UpgradeRequest("attacker.example:" + std::to_string(server_->port())));
  std::string response = client.ReadToEnd();
  EXPECT_EQ(response.rfind("HTTP/1.1 403 Forbidden\r\n", 0), 0u) << response;
  // No Host at all is refused too.
  DevToolsClient no_host(server_->port());
  no_host.Write("GET /json HTTP/1.1\r\n\r\n");
  EXPECT_EQ(no_host.ReadToEnd().rfind("HTTP/1.1 400", 0), 0u);
  EXPECT_TRUE(WaitForEvents(0).empty());
}

TEST_F(DevToolsServerTest, RefusesHostileHeads) {
  DevToolsClient huge(server_->port());
  huge.Write("GET /json HTTP/1.1\r\nX: " + std::string(8000, 'a'));
  EXPECT_EQ(huge.ReadToEnd().rfind("HTTP/1.1 431", 0), 0u);
  DevToolsClient garbage(server_->port());
  garbage.Write(std::string("\x16\x03\x01\x02\x00\r\n\r\n", 9));
  EXPECT_EQ(garbage.ReadToEnd().rfind("HTTP/1.1 400", 0), 0u);
  EXPECT_EQ(Get("/" + server_->target_id(), "localhost").rfind("HTTP/1.1 400", 0), 0u);
  DevToolsClient wrong_id(server_->port());
  wrong_id.Write(
      "GET /00000000-0000-4000-8000-000000000000 HTTP/1.1\r\nHost: localhost\r\n"
      "Upgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
  EXPECT_EQ(wrong_id.ReadToEnd().rfind("HTTP/1.1 404", 0), 0u);
}

TEST_F(DevToolsServerTest, SessionBothWaysThenCloseHandshake) {
  DevToolsClient client(server_->port());
  client.Write(UpgradeRequest(LocalHost()) + MaskedFrame(0x81, "{\"id\":1}"));
  std::string response = client.ReadUntil("\r\n\r\n");
  EXPECT_EQ(response.rfind("HTTP/1.1 101 Switching Protocols\r\n", 0), 0u) << response;
  EXPECT_NE(response.find("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"),
            std::string::npos);
  std::vector<std::string> events = WaitForEvents(2);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0], "open 1");
  EXPECT_EQ(events[1], "message 1 {\"id\":1}");

  server_->Send(1, std::string(300, 'r'));
  auto [opcode, payload] = client.ReadFrame();
  EXPECT_EQ(opcode, 0x1);
  EXPECT_EQ(payload, std::string(300, 'r'));

  client.Write(MaskedFrame(0x89, "are you there"));
  auto pong = client.ReadFrame();
  EXPECT_EQ(pong.first, 0xA);
  EXPECT_EQ(pong.second, "are you there");

  client.Write(MaskedFrame(0x88, std::string("\x03\xE8", 2)));
  auto close = client.ReadFrame();
  EXPECT_EQ(close.first, 0x8);
  EXPECT_EQ(close.second, std::string("\x03\xE8", 2));
  EXPECT_EQ(client.ReadToEnd(), "");
  EXPECT_EQ(WaitForEvents(3).back(), "closed 1");
}

TEST_F(DevToolsServerTest, FailsASessionOnAnUnmaskedFrame) {
  DevToolsClient client(server_->port());
  client.Write(UpgradeRequest(LocalHost()));
  client.ReadUntil("\r\n\r\n");
  client.Write(MaskedFrame(0x81, "unmasked", /*masked=*/false));
  auto close = client.ReadFrame();
  EXPECT_EQ(close.first, 0x8);
  EXPECT_EQ(close.second.substr(0, 2), std::string("\x03\xEA", 2));  // 1002
  EXPECT_EQ(client.ReadToEnd(), "");
  std::vector<std::string> events = WaitForEvents(2);
  EXPECT_EQ(events, (std::vector<std::string>{"open 1", "closed 1"}));
}

TEST_F(DevToolsServerTest, DestructionClosesSessionsWithGoingAway) {
  DevToolsClient client(server_->port());
  client.Write(UpgradeRequest(LocalHost()));
  client.ReadUntil("\r\n\r\n");
  WaitForEvents(1);
  server_->Send(1, "last words");
  server_.reset();
  EXPECT_EQ(client.ReadFrame().second, "last words");
  auto close = client.ReadFrame();
  EXPECT_EQ(close.first, 0x8);
  EXPECT_EQ(close.second.substr(0, 2), std::string("\x03\xE9", 2));  // 1001
  EXPECT_EQ(client.ReadToEnd(), "");
}

TEST(DevToolsServer, AClientThatStopsReadingCannotHoldShutdown) {
  DevToolsServerOptions options;
  options.port = 0;
  options.linger = std::chrono::milliseconds(200);
  std::mutex mutex;
  std::condition_variable opened_changed;
  bool opened = false;
  DevToolsServer::Callbacks callbacks;
  callbacks.on_session_opened = [&](int) {
    std::lock_guard lock(mutex);
    opened = true;
    opened_changed.notify_all();
  };
  auto started = DevToolsServer::Start(options, callbacks);
  ASSERT_TRUE(started.ok());
  std::unique_ptr<DevToolsServer> server = std::move(started.value());
  DevToolsClient client(server->port());
  client.Write("GET /" + server->target_id() +
               " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(opened_changed.wait_for(lock, std::chrono::seconds(10), [&] { return opened; }));
  }
  // Far more than the kernel's socket buffers hold: most of it stays queued in the server.
  for (int i = 0; i < 64; ++i) server->Send(1, std::string(1 << 20, 'x'));
  auto before = std::chrono::steady_clock::now();
  server.reset();  // must not wait for the client to read
  EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(5));
}

TEST(DevToolsServer, RefusesConnectionsOverTheLimit) {
  DevToolsServerOptions options;
  options.port = 0;
  options.max_connections = 2;
  auto started = DevToolsServer::Start(options, {});
  ASSERT_TRUE(started.ok());
  std::uint16_t port = started.value()->port();
  // Two clients that never finish their heads hold both places; the third is closed unanswered.
  DevToolsClient first(port);
  DevToolsClient second(port);
  first.Write("GET /json HTTP/1.1\r\n");
  second.Write("GET /json HTTP/1.1\r\n");
  DevToolsClient third(port);
  third.Write("GET /json HTTP/1.1\r\nHost: localhost\r\n\r\n");
  EXPECT_EQ(third.ReadToEnd(), "");
  // Once one leaves, a new client is answered.
  first.Write("Host: localhost\r\n\r\n");
  EXPECT_EQ(first.ReadToEnd().rfind("HTTP/1.1 200", 0), 0u);
  DevToolsClient fourth(port);
  fourth.Write("GET /json/version HTTP/1.1\r\nHost: localhost\r\n\r\n");
  EXPECT_EQ(fourth.ReadToEnd().rfind("HTTP/1.1 200", 0), 0u);
}

TEST(DevToolsServer, ReportsAPortInUse) {
  DevToolsServerOptions options;
  options.port = 0;
  auto first = DevToolsServer::Start(options, {});
  ASSERT_TRUE(first.ok());
  options.port = first.value()->port();
  auto second = DevToolsServer::Start(options, {});
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.error().message.find("cannot listen on 127.0.0.1:"), std::string::npos);
  options.host = "attacker.example";
  EXPECT_FALSE(DevToolsServer::Start(options, {}).ok());
}

}  // namespace
}  // namespace switchboard
