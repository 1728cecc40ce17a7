// NetworkService end to end over real loopback sockets and real libcurl: a small blocking
// server thread plays the TCPConnection server (spec §4, §6, §7).
#include "net/network_service.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <string>
#include <thread>

#include <gtest/gtest.h>

namespace switchboard {
namespace {

constexpr char kSwitchingProtocols[] =
    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: TCPConnection/1.0\r\nConnection: Upgrade\r\n\r\n";

// A listening socket on 127.0.0.1 with a thread serving each accepted connection.
class TestServer {
 public:
  using Session = std::function<void(int socket, const std::string& request)>;

  explicit TestServer(Session session) : session_(std::move(session)) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    listen(listener_, 128);
    socklen_t length = sizeof address;
    getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] {
      while (true) {
        int client = accept(listener_, nullptr, nullptr);
        if (client < 0) return;
        ++accepted_;
        std::string request = ReadRequest(client);
        {
          std::lock_guard lock(mutex_);
          requests_.push_back(request);
        }
        session_(client, request);
        close(client);
      }
    });
  }
  ~TestServer() {
    shutdown(listener_, SHUT_RDWR);
    close(listener_);
    thread_.join();
  }
  std::uint16_t port() const { return static_cast<std::uint16_t>(port_); }
  int accepted() const { return accepted_; }
  std::string request(std::size_t index) {
    std::lock_guard lock(mutex_);
    return index < requests_.size() ? requests_[index] : "";
  }

  static std::string ReadRequest(int client) {
    std::string request;
    char byte;
    while (request.find("\r\n\r\n") == std::string::npos && read(client, &byte, 1) == 1) {
      request += byte;
    }
    return request;
  }
  static std::string ReadAll(int client) {
    std::string bytes;
    char buffer[4096];
    ssize_t count;
    while ((count = read(client, buffer, sizeof buffer)) > 0)
      bytes.append(buffer, static_cast<std::size_t>(count));
    return bytes;
  }
  static void Write(int client, std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t written = write(client, bytes.data(), bytes.size());
      if (written <= 0) return;
      bytes.remove_prefix(static_cast<std::size_t>(written));
    }
  }

 private:
  Session session_;
  int listener_;
  int port_;
  std::atomic<int> accepted_ = 0;
  std::mutex mutex_;
  std::vector<std::string> requests_;
  std::thread thread_;
};

// Collects a connection's events, as the main thread would receive them.
class EventLog {
 public:
  ConnectionEventSink Sink() {
    return [this](ConnectionEvent event) {
      std::lock_guard lock(mutex_);
      events_.push_back(std::move(event));
      changed_.notify_all();
    };
  }
  // Waits for the next event (up to 10 s).
  ConnectionEvent Next() {
    std::unique_lock lock(mutex_);
    EXPECT_TRUE(changed_.wait_for(lock, std::chrono::seconds(10), [&] { return !events_.empty(); }))
        << "no event within 10 s";
    if (events_.empty()) return ConnectionEvent(ConnectionEvent::Kind::kClosed);
    ConnectionEvent event = std::move(events_.front());
    events_.pop_front();
    return event;
  }
  // Skips kWritten events and gathers frames until kClosed.
  std::vector<std::string> FramesUntilClosed(ConnectionEvent* closed) {
    std::vector<std::string> frames;
    while (true) {
      ConnectionEvent event = Next();
      if (event.kind == ConnectionEvent::Kind::kFrames) {
        frames.insert(frames.end(), event.frames.begin(), event.frames.end());
      } else if (event.kind == ConnectionEvent::Kind::kClosed) {
        *closed = std::move(event);
        return frames;
      }
    }
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<ConnectionEvent> events_;
};

ConnectionOptions OptionsFor(std::uint16_t port, std::string path = "/echo") {
  ConnectionOptions options;
  UrlResult url = ParseConnectionUrl("http://127.0.0.1:" + std::to_string(port) + path, "");
  EXPECT_TRUE(url.ok());
  options.url = url.value();
  options.document_origin = options.url.origin();
  return options;
}

std::string Frame(std::string_view text) {
  std::string bytes;
  AppendFrame(text, bytes);
  return bytes;
}

TEST(NetworkServiceTest, HandshakeBytesDataWith101EchoAndDisconnectFlushesEverything) {
  std::promise<std::string> received_by_server;
  TestServer server([&](int client, const std::string&) {
    // §4.2: the first frame arrives in the same write as the 101.
    TestServer::Write(client, std::string(kSwitchingProtocols) + Frame("hello with the 101"));
    std::string received = TestServer::ReadAll(client);  // until the client's FIN
    TestServer::Write(client, Frame("too late"));
    received_by_server.set_value(std::move(received));
  });
  NetworkService service({});
  EventLog log;
  ConnectionOptions options = OptionsFor(server.port(), "/echo?x=1");
  options.cookie = "session=abc";
  service.Open(1, options, log.Sink());

  ConnectionEvent open = log.Next();
  ASSERT_EQ(open.kind, ConnectionEvent::Kind::kOpen) << (open.error ? open.error->message : "");
  EXPECT_EQ(open.peer, "127.0.0.1:" + std::to_string(server.port()));
  ConnectionEvent first = log.Next();
  ASSERT_EQ(first.kind, ConnectionEvent::Kind::kFrames);
  EXPECT_EQ(first.frames, std::vector<std::string>{"hello with the 101"});

  // §4.1 byte for byte.
  EXPECT_EQ(server.request(0),
            "OPTIONS /echo?x=1 HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(server.port()) +
                "\r\nUpgrade: TCPConnection/1.0\r\nConnection: Upgrade\r\n"
                "Origin: http://127.0.0.1:" +
                std::to_string(server.port()) + "\r\nCookie: session=abc\r\n\r\n");

  std::string expected;
  for (int i = 0; i < 200; ++i) {
    std::string message = "message " + std::to_string(i) + std::string(1000, 'x');
    service.Send(1, Frame(message));
    expected += Frame(message);
  }
  service.Disconnect(1);  // §7: every byte sent before is written, then FIN
  ConnectionEvent closed(ConnectionEvent::Kind::kOpen);
  log.FramesUntilClosed(&closed);
  EXPECT_FALSE(closed.error.has_value());
  std::future<std::string> received = received_by_server.get_future();
  ASSERT_EQ(received.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(received.get(), expected);
}

TEST(NetworkServiceTest, ServerCloseDeliversEveryCompleteFrameThenCloses) {
  TestServer server([](int client, const std::string&) {
    std::string bytes = kSwitchingProtocols;
    for (int i = 0; i < 100; ++i) bytes += Frame("frame " + std::to_string(i));
    bytes += "\x02unterminated";
    TestServer::Write(client, bytes);
  });
  NetworkService service({});
  EventLog log;
  service.Open(7, OptionsFor(server.port()), log.Sink());
  ASSERT_EQ(log.Next().kind, ConnectionEvent::Kind::kOpen);
  ConnectionEvent closed(ConnectionEvent::Kind::kOpen);
  std::vector<std::string> frames = log.FramesUntilClosed(&closed);
  ASSERT_EQ(frames.size(), 100u);
  EXPECT_EQ(frames[99], "frame 99");
  EXPECT_FALSE(closed.error.has_value());
}

struct FailureCase {
  const char* response;
  Stage stage;
  const char* reason_part;
};

TEST(NetworkServiceTest, HostileResponsesFailBeforeOpenWithTheirStage) {
  const FailureCase cases[] = {
      {"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", Stage::kHandshake, "200"},
      {"220 smtp.example ESMTP ready\r\n", Stage::kHandshake, ""},
      {"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
       Stage::kHandshake, "websocket"},
      {"HTTP/1.1 101 Switching Protocols\r\nUpgrade: TCPConnection/1.0\r\n\r\n", Stage::kHandshake,
       "Connection"},
      {"HTTP/1.1 101 Swi", Stage::kHandshake, "closed"},
  };
  for (const FailureCase& failure : cases) {
    TestServer server(
        [&](int client, const std::string&) { TestServer::Write(client, failure.response); });
    NetworkService service({});
    EventLog log;
    service.Open(1, OptionsFor(server.port()), log.Sink());
    ConnectionEvent closed = log.Next();
    ASSERT_EQ(closed.kind, ConnectionEvent::Kind::kClosed) << failure.response;
    ASSERT_TRUE(closed.error.has_value());
    EXPECT_TRUE(closed.failed_before_open);
    EXPECT_EQ(closed.error->stage, failure.stage) << closed.error->message;
    EXPECT_NE(closed.error->message.find(failure.reason_part), std::string::npos)
        << closed.error->message;
  }
}

TEST(NetworkServiceTest, CrossOriginNeedsAccessControl) {
  TestServer server(
      [](int client, const std::string&) { TestServer::Write(client, kSwitchingProtocols); });
  NetworkService service({});
  EventLog log;
  ConnectionOptions options = OptionsFor(server.port());
  options.document_origin = Origin::Parse("http://example.com").value();
  service.Open(1, options, log.Sink());
  ConnectionEvent closed = log.Next();
  ASSERT_TRUE(closed.error.has_value());
  EXPECT_EQ(closed.error->stage, Stage::kAccessControl);
}

TEST(NetworkServiceTest, RefusedConnectionAndHandshakeTimeout) {
  int unused_port;
  {
    TestServer probe([](int, const std::string&) {});
    unused_port = probe.port();
  }
  NetworkService service({});
  EventLog refused_log;
  service.Open(1, OptionsFor(static_cast<std::uint16_t>(unused_port)), refused_log.Sink());
  ConnectionEvent refused = refused_log.Next();
  ASSERT_TRUE(refused.error.has_value());
  EXPECT_EQ(refused.error->stage, Stage::kConnect) << refused.error->message;

  std::atomic<bool> release = false;
  TestServer silent([&](int, const std::string&) {
    while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  });
  EventLog timeout_log;
  ConnectionOptions options = OptionsFor(silent.port());
  options.handshake_timeout = std::chrono::milliseconds(200);
  service.Open(2, options, timeout_log.Sink());
  ConnectionEvent timed_out = timeout_log.Next();
  release = true;
  ASSERT_TRUE(timed_out.error.has_value());
  EXPECT_EQ(timed_out.error->stage, Stage::kTimeout);
}

TEST(NetworkServiceTest, OneConnectionPerEndpointPastDnsAtATime) {
  std::atomic<int> in_handshake = 0;
  std::atomic<int> most_in_handshake = 0;
  TestServer server([&](int client, const std::string&) {
    int now = ++in_handshake;
    most_in_handshake = std::max(most_in_handshake.load(), now);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    --in_handshake;
    TestServer::Write(client, kSwitchingProtocols);
  });
  NetworkService service({});
  std::vector<std::unique_ptr<EventLog>> logs;
  for (ConnectionId id = 1; id <= 5; ++id) {
    logs.push_back(std::make_unique<EventLog>());
    service.Open(id, OptionsFor(server.port()), logs.back()->Sink());
  }
  for (auto& log : logs) {
    ConnectionEvent open = log->Next();
    EXPECT_EQ(open.kind, ConnectionEvent::Kind::kOpen) << (open.error ? open.error->message : "");
  }
  EXPECT_EQ(most_in_handshake, 1);
  for (ConnectionId id = 1; id <= 5; ++id) service.Disconnect(id);
  for (auto& log : logs) {
    ConnectionEvent closed(ConnectionEvent::Kind::kOpen);
    log->FramesUntilClosed(&closed);
  }
}

TEST(NetworkServiceTest, ManyConnectionsLeaveNoHandlesOrConnectionsBehind) {
  TestServer server([](int client, const std::string&) {
    TestServer::Write(client, std::string(kSwitchingProtocols) + Frame("hi"));
    TestServer::ReadAll(client);
  });
  NetworkService service({});
  auto [baseline_handles, baseline_connections] = service.CountLiveResourcesForTesting();
  constexpr ConnectionId kConnections = 300;
  for (ConnectionId batch = 0; batch < kConnections; batch += 50) {
    std::vector<std::unique_ptr<EventLog>> logs;
    for (ConnectionId id = batch + 1; id <= batch + 50; ++id) {
      logs.push_back(std::make_unique<EventLog>());
      service.Open(id, OptionsFor(server.port()), logs.back()->Sink());
    }
    for (ConnectionId id = batch + 1; id <= batch + 50; ++id) {
      auto& log = *logs[id - batch - 1];
      EXPECT_EQ(log.Next().kind, ConnectionEvent::Kind::kOpen);
      service.Send(id, Frame("bye"));
      service.Disconnect(id);
      ConnectionEvent closed(ConnectionEvent::Kind::kOpen);
      log.FramesUntilClosed(&closed);
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  auto [handles, connections] = service.CountLiveResourcesForTesting();
  EXPECT_EQ(handles, baseline_handles);
  EXPECT_EQ(connections, baseline_connections);
  EXPECT_EQ(server.accepted(), static_cast<int>(kConnections));
}

// §3.1: the proxy's own address, resolved by our resolver, with curl's default ports.
TEST(ProxyEndpointTest, HostAndPortAsCurlWillConnect) {
  auto endpoint = [](const std::string& url) {
    Result<ProxyEndpoint> parsed = ParseProxyEndpoint(url);
    EXPECT_TRUE(parsed.ok()) << url;
    return parsed.ok() ? parsed.value().host + " " + std::to_string(parsed.value().port) : "";
  };
  EXPECT_EQ(endpoint("http://proxy.example:3128"), "proxy.example 3128");
  EXPECT_EQ(endpoint("http://user:secret@proxy.example"), "proxy.example 1080");
  EXPECT_EQ(endpoint("proxy.example"), "proxy.example 1080");
  EXPECT_EQ(endpoint("https://proxy.example"), "proxy.example 443");
  EXPECT_EQ(endpoint("http://[::1]:8080"), "::1 8080");
}

}  // namespace
}  // namespace switchboard
