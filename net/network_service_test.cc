// NetworkService end to end over real loopback sockets and real libcurl: a small blocking
// server thread plays the TCPConnection server (spec §4, §6, §7).
#include "net/network_service.h"
#include "net/testing/loopback_listener.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>

#include <gtest/gtest.h>

#include "net/testing/test_servers.h"

namespace switchboard {
namespace {

using testing::ListenOnLoopback;
using testing::LoopbackListener;

constexpr char kSwitchingProtocols[] =
    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: TCPConnection/1.0\r\nConnection: Upgrade\r\n\r\n";

// A listening socket on 127.0.0.1 with a thread serving each accepted connection.
class TestServer {
 public:
  using Session = std::function<void(int socket, const std::string& request)>;

  explicit TestServer(Session session) : session_(std::move(session)) {
    LoopbackListener listener = ListenOnLoopback(128);
    listener_ = listener.socket;
    port_ = listener.port;
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
        for (std::size_t i = 0; i < event.frames.size(); ++i) frames.emplace_back(event.frames[i]);
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
  ConnectionSettings settings;
  settings.document_origin = options.url.origin();
  options.settings = std::make_shared<const ConnectionSettings>(std::move(settings));
  return options;
}

// `options` with their settings changed by `change` (settings are shared, immutable once made).
template <typename Change>
ConnectionOptions WithSettings(ConnectionOptions options, Change change) {
  ConnectionSettings settings = *options.settings;
  change(settings);
  options.settings = std::make_shared<const ConnectionSettings>(std::move(settings));
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
  ConnectionOptions options =
      WithSettings(OptionsFor(server.port(), "/echo?x=1"),
                   [](ConnectionSettings& settings) { settings.cookie = "session=abc"; });
  service.Open(1, options, log.Sink());

  ConnectionEvent open = log.Next();
  ASSERT_EQ(open.kind, ConnectionEvent::Kind::kOpen) << (open.error ? open.error->message : "");
  EXPECT_EQ(open.peer, "127.0.0.1:" + std::to_string(server.port()));
  ConnectionEvent first = log.Next();
  ASSERT_EQ(first.kind, ConnectionEvent::Kind::kFrames);
  ASSERT_EQ(first.frames.size(), 1u);
  EXPECT_EQ(first.frames[0], "hello with the 101");
  // §6: the frame counts against the window with its overhead.
  EXPECT_EQ(first.bytes, std::string("hello with the 101").size() + kFrameOverheadBytes);

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
  ConnectionOptions options =
      WithSettings(OptionsFor(server.port()), [](ConnectionSettings& settings) {
        settings.document_origin = Origin::Parse("http://example.com").value();
      });
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
  ConnectionOptions options =
      WithSettings(OptionsFor(silent.port()), [](ConnectionSettings& settings) {
        settings.limits.handshake_timeout = std::chrono::milliseconds(200);
      });
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
  // Handles the IO thread is still closing go within a few loop turns: wait for the baseline,
  // not for a time (issue 13 item 7). Each count is a task on the IO thread, so each look comes
  // a loop turn later; a leak never reaches the baseline and fails after the hang guard.
  auto [handles, connections] = service.CountLiveResourcesForTesting();
  for (auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
       (handles != baseline_handles || connections != baseline_connections) &&
       std::chrono::steady_clock::now() < give_up;) {
    std::tie(handles, connections) = service.CountLiveResourcesForTesting();
  }
  EXPECT_EQ(handles, baseline_handles);
  EXPECT_EQ(connections, baseline_connections);
  EXPECT_EQ(server.accepted(), static_cast<int>(kConnections));
}

// §3.1: a forward proxy that answers the n-th CONNECT it receives (n from 1, counted over all
// its connections: curl opens a new one for a retry when the proxy closes) with `answer(n)`.
// After a 2xx answer it plays the TCPConnection server in the tunnel (the 101 of §4.2).
class ScriptedProxy {
 public:
  enum class AfterRefusal { kKeepConnection, kCloseConnection };
  using Answer = std::function<std::string(int connect_number)>;

  ScriptedProxy(AfterRefusal after_refusal, Answer answer)
      : after_refusal_(after_refusal),
        answer_(std::move(answer)),
        listener_(
            [this](testing::ScriptedListener& listener, int socket) { Serve(listener, socket); }) {}

  // With credentials, for the 407 challenges.
  std::string url() const {
    return "http://alice:secret@127.0.0.1:" + std::to_string(listener_.port());
  }
  int connects() const { return connects_; }
  int accepted_connections() const { return listener_.accepted(); }
  // The n-th CONNECT request's head, "" if there was none.
  std::string connect_request(int connect_number) {
    std::lock_guard lock(mutex_);
    return connect_number >= 1 && connect_number <= static_cast<int>(connect_requests_.size())
               ? connect_requests_[static_cast<std::size_t>(connect_number - 1)]
               : "";
  }

 private:
  void Serve(testing::ScriptedListener& listener, int socket) {
    while (true) {
      const std::string request = listener.ReadUntil(socket, "\r\n\r\n");
      if (!request.starts_with("CONNECT ")) return;  // the client closed
      int connect_number;
      {
        std::lock_guard lock(mutex_);
        connect_requests_.push_back(request);
        connect_number = ++connects_;
      }
      const std::string answer = answer_(connect_number);
      testing::ScriptedListener::WriteAll(socket, answer);
      if (answer.starts_with("HTTP/1.1 2")) {
        listener.ReadUntil(socket, "\r\n\r\n");  // the tunnelled OPTIONS request (§4.1)
        testing::ScriptedListener::WriteAll(socket, kSwitchingProtocols);
        listener.DrainUntilClosed(socket);
        return;
      }
      if (after_refusal_ == AfterRefusal::kCloseConnection) return;
    }
  }

  const AfterRefusal after_refusal_;
  const Answer answer_;
  std::mutex mutex_;
  std::vector<std::string> connect_requests_;
  std::atomic<int> connects_ = 0;
  testing::ScriptedListener listener_;  // last: its threads use the members above
};

// A 407 reply with this challenge, saying whether the proxy closes the connection after it.
std::string ProxyRefusal(ScriptedProxy::AfterRefusal after_refusal,
                         const std::string& proxy_authenticate) {
  return "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: " + proxy_authenticate +
         "\r\nContent-Length: 0\r\n" +
         (after_refusal == ScriptedProxy::AfterRefusal::kCloseConnection ? "Connection: close\r\n"
                                                                         : "") +
         "\r\n";
}

std::string StaleDigestChallenge(int connect_number) {
  return "Digest realm=\"x\", nonce=\"nonce-" + std::to_string(connect_number) + "\", stale=true";
}

const char* Describe(ScriptedProxy::AfterRefusal after_refusal) {
  return after_refusal == ScriptedProxy::AfterRefusal::kKeepConnection ? "keeps the connection"
                                                                       : "closes after each 407";
}

constexpr ScriptedProxy::AfterRefusal kBothProxyBehaviours[] = {
    ScriptedProxy::AfterRefusal::kKeepConnection, ScriptedProxy::AfterRefusal::kCloseConnection};

// §3.1 gives up after 3 rounds; the target's port is never reached directly.
ConnectionOptions ProxiedOptions() {
  // Only a safety net: without the limit, curl sends some 2,000 CONNECTs in about a second.
  return WithSettings(OptionsFor(static_cast<std::uint16_t>(testing::RefusedPort())),
                      [](ConnectionSettings& settings) {
                        settings.limits.handshake_timeout = std::chrono::milliseconds(3000);
                      });
}

// One connection through `proxy`, which refuses it: its one event, a failure at stage proxy
// before open.
ConnectionEvent FailThroughProxy(ScriptedProxy& proxy, ScriptedProxy::AfterRefusal after_refusal) {
  NetworkSettings settings;
  settings.proxy = proxy.url();
  NetworkService service(settings);
  EventLog log;
  service.Open(1, ProxiedOptions(), log.Sink());
  ConnectionEvent closed = log.Next();
  std::printf("[ proxy    ] %s: %d CONNECTs over %d connections\n", Describe(after_refusal),
              proxy.connects(), proxy.accepted_connections());
  EXPECT_EQ(closed.kind, ConnectionEvent::Kind::kClosed);
  EXPECT_TRUE(closed.failed_before_open);
  if (!closed.error) {
    ADD_FAILURE() << "no failure";
    closed.error = Error{Stage::kLoad, ""};
  }
  EXPECT_EQ(closed.error->stage, Stage::kProxy) << closed.error->message;
  return closed;
}

// §3.1: "Authentication gives up after 3 rounds for one CONNECT, whatever the scheme (a
// `stale=true` Digest challenge counts as a round)". curl alone retries a stale nonce ~2,000 times.
TEST(NetworkServiceProxyTest, AStaleDigestChallengeEveryTimeGivesUpAfterThreeRounds) {
  for (ScriptedProxy::AfterRefusal after_refusal : kBothProxyBehaviours) {
    SCOPED_TRACE(Describe(after_refusal));
    ScriptedProxy proxy(after_refusal, [after_refusal](int connect_number) {
      return ProxyRefusal(after_refusal, StaleDigestChallenge(connect_number));
    });
    ConnectionEvent closed = FailThroughProxy(proxy, after_refusal);
    EXPECT_EQ(closed.error->message,
              "proxy authentication failed after 3 rounds: last status 407 Proxy Authentication "
              "Required");
    EXPECT_EQ(proxy.connects(), 3);
    // The rounds did answer the challenge (the first CONNECT goes without credentials).
    EXPECT_NE(proxy.connect_request(2).find("Proxy-Authorization: Digest username=\"alice\""),
              std::string::npos)
        << proxy.connect_request(2);
  }
}

// §3.1 "whatever the scheme": curl gives up on a refused Basic answer by itself; the failure
// names the status all the same.
TEST(NetworkServiceProxyTest, BasicRefusedEveryTimeGivesUpWithinThreeRounds) {
  for (ScriptedProxy::AfterRefusal after_refusal : kBothProxyBehaviours) {
    SCOPED_TRACE(Describe(after_refusal));
    ScriptedProxy proxy(after_refusal, [after_refusal](int) {
      return ProxyRefusal(after_refusal, "Basic realm=\"x\"");
    });
    ConnectionEvent closed = FailThroughProxy(proxy, after_refusal);
    EXPECT_NE(closed.error->message.find("last status 407 Proxy Authentication Required"),
              std::string::npos)
        << closed.error->message;
    EXPECT_GE(proxy.connects(), 2);
    EXPECT_LE(proxy.connects(), 3);
    EXPECT_NE(proxy.connect_request(2).find("Proxy-Authorization: Basic YWxpY2U6c2VjcmV0\r\n"),
              std::string::npos)  // alice:secret
        << proxy.connect_request(2);
  }
}

// §3.1: legitimate retries within the limit still work: no credentials, then a stale nonce,
// then the tunnel, in exactly 3 rounds.
TEST(NetworkServiceProxyTest, AStaleDigestChallengeThenSuccessOpensWithinThreeRounds) {
  for (ScriptedProxy::AfterRefusal after_refusal : kBothProxyBehaviours) {
    SCOPED_TRACE(Describe(after_refusal));
    ScriptedProxy proxy(after_refusal, [after_refusal](int connect_number) {
      return connect_number <= 2 ? ProxyRefusal(after_refusal, StaleDigestChallenge(connect_number))
                                 : "HTTP/1.1 200 Connection established\r\n\r\n";
    });
    NetworkSettings settings;
    settings.proxy = proxy.url();
    NetworkService service(settings);
    EventLog log;
    ConnectionOptions options = ProxiedOptions();
    service.Open(1, options, log.Sink());
    ConnectionEvent open = log.Next();
    ASSERT_EQ(open.kind, ConnectionEvent::Kind::kOpen) << (open.error ? open.error->message : "");
    EXPECT_EQ(open.peer, "127.0.0.1:" + std::to_string(options.url.port));
    EXPECT_EQ(proxy.connects(), 3);
    EXPECT_NE(proxy.connect_request(3).find("Proxy-Authorization: Digest username=\"alice\""),
              std::string::npos)
        << proxy.connect_request(3);
    service.Disconnect(1);
    ConnectionEvent closed(ConnectionEvent::Kind::kOpen);
    log.FramesUntilClosed(&closed);
    EXPECT_FALSE(closed.error.has_value());
  }
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

// Spec §7: nothing a peer does may end the process. A write into a socket whose peer is gone
// raises SIGPIPE in the writing thread unless the thread blocks it; libuv writes with write().
// The IO thread blocks it in its own mask, so the write fails with EPIPE, and the process's
// SIGPIPE disposition (the default, terminate, in this binary) is left as it was.
TEST(IoThreadTest, AWriteIntoABrokenSocketFailsInsteadOfEndingTheProcess) {
  struct sigaction before {};
  ASSERT_EQ(sigaction(SIGPIPE, nullptr, &before), 0);
  ASSERT_EQ(before.sa_handler, SIG_DFL) << "the test proves nothing if SIGPIPE is ignored";
  int sockets[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sockets), 0);
  close(sockets[1]);
  IoThread io_thread;
  std::promise<int> written;
  io_thread.PostTask([&] {
    ssize_t result = write(sockets[0], "x", 1);
    written.set_value(result < 0 ? errno : 0);
  });
  EXPECT_EQ(written.get_future().get(), EPIPE);
  close(sockets[0]);
  struct sigaction after {};
  ASSERT_EQ(sigaction(SIGPIPE, nullptr, &after), 0);
  EXPECT_EQ(after.sa_handler, SIG_DFL);
}

}  // namespace
}  // namespace switchboard
