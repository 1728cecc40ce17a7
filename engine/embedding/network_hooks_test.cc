// Network hooks (issue 18, switchboard/network_hooks.h) as an embedder uses them, linked
// against libswitchboard.so only, against real loopback servers: the connection policy
// refusing connections, documents and scripts and adding request headers that the server
// sees; connection events and the net log callback for a real echo.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "net/testing/scripted_http_server.h"
#include "net/testing/test_servers.h"
#include "switchboard/switchboard.h"

namespace switchboard::embed {
namespace {

// (The Engine is engine_environment_test.cc's, for the whole binary.)
using testing::ReferenceServer;
using testing::ScriptedHttpServer;

constexpr auto kDeadline = std::chrono::seconds(60);

std::string Ok(std::string_view type, std::string_view body) {
  return "HTTP/1.1 200 OK\r\nContent-Type: " + std::string(type) + "\r\nConnection: close\r\n\r\n" +
         std::string(body);
}

// Console lines, error reports, the policy's questions and the hooks' events of one page.
struct Recorder {
  std::vector<std::string> console;
  std::vector<std::string> errors;
  std::vector<PolicyRequest> asked;
  std::vector<std::thread::id> policy_threads;
  std::vector<ConnectionEvent> events;
  std::vector<NetLogEntry> entries;

  PageOptions Options(std::string url) {
    PageOptions options;
    options.url = std::move(url);
    options.console = [this](ConsoleLevel, std::string_view text) { console.emplace_back(text); };
    options.errors = [this](std::string_view text) { errors.emplace_back(text); };
    return options;
  }
  // `decide` behind a recorder of what it was asked and on which thread.
  ConnectionPolicy Policy(std::function<PolicyDecision(const PolicyRequest&)> decide) {
    return [this, decide = std::move(decide)](const PolicyRequest& request) {
      asked.push_back(request);
      policy_threads.push_back(std::this_thread::get_id());
      return decide(request);
    };
  }
  bool ConsoleHas(std::string_view text) const {
    return std::any_of(console.begin(), console.end(), [&](const std::string& line) {
      return line.find(text) != std::string::npos;
    });
  }
};

// Must-show 3: one URL refused, another allowed with a header the server sees.
TEST(EmbeddingNetworkHooks, PolicyRefusesOneConnectionAndAddsAHeaderToAnother) {
  ReferenceServer server;
  const std::string origin = "http://127.0.0.1:" + std::to_string(server.port());
  Recorder recorder;
  PageOptions options = recorder.Options(origin + "/");
  options.connection_policy = recorder.Policy([](const PolicyRequest& request) {
    if (request.url.find("/echo?forbidden") != std::string::npos) {
      return PolicyDecision::Refuse("not on this embedder's list");
    }
    if (request.url.find("/echo-headers") != std::string::npos) {
      return PolicyDecision::Allow({{"X-Embedder", "switchboard-test"}, {"X-Empty", ""}});
    }
    return PolicyDecision::Allow();
  });
  options.connection_events = [&](const ConnectionEvent& event) {
    recorder.events.push_back(event);
  };
  std::unique_ptr<Page> page = Page::Create(std::move(options));
  EvaluateResult result = page->Evaluate(R"(
    const refused = new TCPConnection('/echo?forbidden');
    refused.onerror = () => console.log('refused: error, readyState ' + refused.readyState);
    refused.onclose = () => console.log('refused: close');
    const allowed = new TCPConnection('/echo-headers');
    allowed.onread = (event) => { console.log('head: ' + event.data); allowed.disconnect(); };
    allowed.onclose = () => console.log('allowed: close');
    // §2 step 4: nothing about the refusal is observable before this script returns.
    'readyState ' + refused.readyState
  )");
  ASSERT_TRUE(result.ok()) << result.inspected;
  EXPECT_EQ(result.inspected, "'readyState 0'");
  ASSERT_EQ(page->RunFor(kDeadline), RunResult::kIdle);

  // The policy was asked about both, on the page's thread, with the page's origin.
  ASSERT_EQ(recorder.asked.size(), 2u);
  EXPECT_EQ(recorder.asked[0].kind, RequestKind::kConnection);
  EXPECT_EQ(recorder.asked[0].url, origin + "/echo?forbidden");
  EXPECT_EQ(recorder.asked[0].document_origin, origin);
  EXPECT_FALSE(recorder.asked[0].secure);
  EXPECT_EQ(recorder.asked[1].url, origin + "/echo-headers");
  for (std::thread::id thread : recorder.policy_threads)
    EXPECT_EQ(thread, std::this_thread::get_id());

  // The refused one failed as spec §7 failures do, with stage `policy` and the reason.
  EXPECT_TRUE(recorder.ConsoleHas("refused: error, readyState 2"));
  EXPECT_TRUE(recorder.ConsoleHas("refused: close"));
  EXPECT_TRUE(recorder.ConsoleHas("TCPConnection to '" + origin +
                                  "/echo?forbidden' failed: policy: not on this embedder's list"))
      << ::testing::PrintToString(recorder.console);
  // The allowed one carried the fields, after the §4.1 ones, as the server received them.
  auto head = std::find_if(recorder.console.begin(), recorder.console.end(),
                           [](const std::string& line) { return line.starts_with("head: "); });
  ASSERT_NE(head, recorder.console.end()) << ::testing::PrintToString(recorder.console);
  EXPECT_NE(head->find("\r\nOrigin: " + origin + "\r\nX-Embedder: switchboard-test\r\nX-Empty: "),
            std::string::npos)
      << *head;
  EXPECT_TRUE(recorder.ConsoleHas("allowed: close"));

  // The connection events say the same.
  ASSERT_GE(recorder.events.size(), 3u);
  const ConnectionEvent& failure = recorder.events[0];
  EXPECT_EQ(failure.kind, ConnectionEvent::Kind::kFailure);
  EXPECT_EQ(failure.stage, "policy");
  EXPECT_EQ(failure.reason, "not on this embedder's list");
  EXPECT_FALSE(failure.opened);
  EXPECT_EQ(failure.bytes_sent, 0u);
  EXPECT_TRUE(recorder.errors.empty()) << ::testing::PrintToString(recorder.errors);
}

// Header fields that could break the request are an error, never an injection: the connection
// fails with stage `policy` before a byte is sent; so does a policy that throws.
TEST(EmbeddingNetworkHooks, HeadersThatWouldBreakTheRequestFailTheConnection) {
  ReferenceServer server;
  const std::string origin = "http://127.0.0.1:" + std::to_string(server.port());
  Recorder recorder;
  PageOptions options = recorder.Options(origin + "/");
  options.connection_policy = [](const PolicyRequest& request) -> PolicyDecision {
    if (request.url.ends_with("/crlf"))
      return PolicyDecision::Allow({{"X-A", "1\r\nX-Injected: 1"}});
    if (request.url.ends_with("/host")) return PolicyDecision::Allow({{"Host", "evil.example"}});
    if (request.url.ends_with("/name")) return PolicyDecision::Allow({{"X Space", "1"}});
    if (request.url.ends_with("/cookie")) return PolicyDecision::Allow({{"cookie", "a=b"}});
    throw std::runtime_error("policy exploded");
  };
  options.connection_events = [&](const ConnectionEvent& event) {
    recorder.events.push_back(event);
  };
  std::unique_ptr<Page> page = Page::Create(std::move(options));
  ASSERT_TRUE(page->Evaluate(R"(
    for (const path of ['crlf', 'host', 'name', 'cookie', 'throws']) {
      const c = new TCPConnection('/echo-headers/' + path);
      c.onread = (event) => console.log('server saw: ' + event.data);
      c.onclose = () => console.log('closed ' + path);
    }
  )")
                  .ok());
  ASSERT_EQ(page->RunFor(kDeadline), RunResult::kIdle);
  EXPECT_FALSE(recorder.ConsoleHas("server saw"));
  EXPECT_TRUE(
      recorder.ConsoleHas("/echo-headers/crlf' failed: policy: the connection policy's "
                          "headers cannot be sent: the value of request header 'X-A' "
                          "holds a control byte: '1\\x0D\\x0AX-Injected: 1'"))
      << ::testing::PrintToString(recorder.console);
  EXPECT_TRUE(
      recorder.ConsoleHas("/echo-headers/host' failed: policy: the connection policy's "
                          "headers cannot be sent: the request header 'Host' is set by "
                          "the network stack and cannot be added"));
  EXPECT_TRUE(
      recorder.ConsoleHas("/echo-headers/name' failed: policy: the connection policy's "
                          "headers cannot be sent: the request header name 'X Space' is "
                          "not an HTTP token"));
  EXPECT_TRUE(
      recorder.ConsoleHas("/echo-headers/cookie' failed: policy: the connection "
                          "policy's headers cannot be sent: the request header 'cookie'"));
  EXPECT_TRUE(recorder.ConsoleHas(
      "/echo-headers/throws' failed: policy: the connection policy threw: policy exploded"));
  for (const char* path : {"crlf", "host", "name", "cookie", "throws"}) {
    EXPECT_TRUE(recorder.ConsoleHas(std::string("closed ") + path)) << path;
  }
  ASSERT_EQ(recorder.events.size(), 5u);
  for (const ConnectionEvent& event : recorder.events) {
    EXPECT_EQ(event.kind, ConnectionEvent::Kind::kFailure);
    EXPECT_EQ(event.stage, "policy");
    EXPECT_EQ(event.bytes_sent, 0u);
  }

  // The same rules, for an embedder that wants to check first.
  EXPECT_EQ(RequestHeaderError({"X-Fine", "a value; with=stuff"}), "");
  EXPECT_EQ(RequestHeaderError({"X-Fine", ""}), "");
  EXPECT_NE(RequestHeaderError({"X-A", "a\nb"}), "");
  EXPECT_NE(RequestHeaderError({"X-A", std::string("a\0b", 3)}), "");
  EXPECT_NE(RequestHeaderError({"X-A", " padded"}), "");
  EXPECT_NE(RequestHeaderError({"", "v"}), "");
  EXPECT_NE(RequestHeaderError({"X:A", "v"}), "");
  for (const char* name : {"Host", "upgrade", "Connection", "Content-Length", "Transfer-Encoding",
                           "Origin", "Cookie", "TE", "Expect", "Accept-Encoding"}) {
    EXPECT_NE(RequestHeaderError({name, "x"}), "") << name;
  }
  EXPECT_NE(RequestHeaderError({"X-Long", std::string(9000, 'a')}), "");
}

// TLS: the policy is told the request is secure (https:, or {secure: true}), and with an RFC
// 2817 upgrade the added fields go only in the §4.1 request inside TLS, never in the clear
// OPTIONS that asks for the upgrade (the net log shows both requests as sent).
TEST(EmbeddingNetworkHooks, AddedFieldsTravelInsideTls) {
  testing::TestCertificates certificates;
  ReferenceServer server({"--tls-cert", certificates.Path("server.pem"), "--tls-key",
                          certificates.Path("server.key"), "--tls-port", "0"});
  ASSERT_GT(server.tls_port(), 0);
  const std::string origin = "http://127.0.0.1:" + std::to_string(server.port());
  const std::string https = "https://127.0.0.1:" + std::to_string(server.tls_port());
  Recorder recorder;
  PageOptions options = recorder.Options(origin + "/");
  options.ca_file = certificates.Path("ca.pem");
  options.connection_policy = recorder.Policy([](const PolicyRequest& request) {
    return PolicyDecision::Allow({{"X-Secret", request.secure ? "over-tls" : "in-clear"}});
  });
  options.net_log_handler = [&](const NetLogEntry& entry) { recorder.entries.push_back(entry); };
  std::unique_ptr<Page> page = Page::Create(std::move(options));
  page->DefineValue("https", https);
  ASSERT_TRUE(page->Evaluate(R"(
    for (const [url, init] of [['/echo-headers/upgraded', {secure: true}],
                               [https + '/echo-headers/https?allow=%3C*%3E', {}]]) {
      const c = new TCPConnection(url, init);
      c.onread = (event) => { console.log('secure=' + c.secure + ' ' + event.data); c.disconnect(); };
    }
  )")
                  .ok());
  ASSERT_EQ(page->RunFor(kDeadline), RunResult::kIdle);
  ASSERT_EQ(recorder.asked.size(), 2u);
  EXPECT_TRUE(recorder.asked[0].secure);
  EXPECT_TRUE(recorder.asked[1].secure);
  int heads = 0;
  for (const std::string& line : recorder.console) {
    if (!line.starts_with("secure=true ")) continue;
    ++heads;
    EXPECT_NE(line.find("\r\nX-Secret: over-tls"), std::string::npos) << line;
  }
  EXPECT_EQ(heads, 2) << ::testing::PrintToString(recorder.console);
  int upgrade_requests = 0;
  for (const NetLogEntry& entry : recorder.entries) {
    if (entry.type != "handshake_request") continue;
    if (entry.params_json.find("\"purpose\":\"tls_upgrade\"") != std::string::npos) {
      ++upgrade_requests;
      EXPECT_EQ(entry.params_json.find("X-Secret"), std::string::npos) << entry.params_json;
    } else {
      EXPECT_NE(entry.params_json.find("X-Secret: over-tls"), std::string::npos)
          << entry.params_json;
    }
  }
  EXPECT_EQ(upgrade_requests, 1);
}

// A refused document load throws from Page::Load, and nothing reaches the server; an allowed
// one carries the policy's header.
TEST(EmbeddingNetworkHooks, PolicyRefusesADocumentLoadAndAddsAHeaderToAnother) {
  ScriptedHttpServer server({Ok("text/javascript", "console.log('document ran')")});
  Recorder recorder;
  PageOptions refused = recorder.Options(server.origin() + "/forbidden.js");
  refused.connection_policy = recorder.Policy([](const PolicyRequest& request) {
    return request.url.ends_with("/forbidden.js") ? PolicyDecision::Refuse("no documents from here")
                                                  : PolicyDecision::Allow();
  });
  try {
    Page::Load(std::move(refused));
    ADD_FAILURE() << "Page::Load did not throw";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()),
              "cannot load " + server.origin() + "/forbidden.js: policy: no documents from here");
  }
  ASSERT_EQ(recorder.asked.size(), 1u);
  EXPECT_EQ(recorder.asked[0].kind, RequestKind::kDocument);
  EXPECT_EQ(recorder.asked[0].document_origin, server.origin());
  EXPECT_EQ(server.Request(0), "<no request>");

  PageOptions allowed = recorder.Options(server.origin() + "/page.js");
  allowed.connection_policy = [](const PolicyRequest&) {
    return PolicyDecision::Allow({{"Authorization", "Bearer embedder-token"}});
  };
  std::unique_ptr<Page> page = Page::Load(std::move(allowed));
  ASSERT_EQ(page->RunFor(kDeadline), RunResult::kIdle);
  EXPECT_TRUE(recorder.ConsoleHas("document ran"));
  EXPECT_NE(server.Request(0).find("\r\nAuthorization: Bearer embedder-token\r\n"),
            std::string::npos)
      << server.Request(0);
}

// A refused <script src> is reported like one that failed to load, with stage `policy`, and
// skipped; the next script's load carries the policy's header and runs.
TEST(EmbeddingNetworkHooks, PolicyRefusesAScriptAndAddsAHeaderToAnother) {
  ScriptedHttpServer server({Ok("text/html",
                                "<script src=\"/refused.js\"></script>\n"
                                "<script src=\"/allowed.js\"></script>\n"
                                "<script>console.log('inline ran');</script>\n"),
                             Ok("text/javascript", "console.log('allowed.js ran')")});
  Recorder recorder;
  PageOptions options = recorder.Options(server.origin() + "/page.html");
  options.connection_policy = recorder.Policy([](const PolicyRequest& request) {
    if (request.kind != RequestKind::kScript) return PolicyDecision::Allow();
    if (request.url.ends_with("/refused.js")) return PolicyDecision::Refuse("script blocked");
    return PolicyDecision::Allow({{"X-Script-Token", "42"}});
  });
  std::unique_ptr<Page> page = Page::Load(std::move(options));
  ASSERT_EQ(page->RunFor(kDeadline), RunResult::kIdle);
  ASSERT_EQ(recorder.asked.size(), 3u);
  EXPECT_EQ(recorder.asked[0].kind, RequestKind::kDocument);
  EXPECT_EQ(recorder.asked[1].kind, RequestKind::kScript);
  EXPECT_EQ(recorder.asked[1].url, server.origin() + "/refused.js");
  EXPECT_EQ(recorder.asked[1].document_origin, server.origin());
  for (std::thread::id thread : recorder.policy_threads)
    EXPECT_EQ(thread, std::this_thread::get_id());
  ASSERT_EQ(recorder.errors.size(), 1u) << ::testing::PrintToString(recorder.errors);
  EXPECT_EQ(recorder.errors[0], server.origin() + "/page.html:1: <script src>: cannot load " +
                                    server.origin() + "/refused.js: policy: script blocked");
  EXPECT_EQ(recorder.console, (std::vector<std::string>{"allowed.js ran", "inline ran"}));
  EXPECT_NE(server.Request(1).find("GET /allowed.js HTTP/1.1"), std::string::npos);
  EXPECT_NE(server.Request(1).find("\r\nX-Script-Token: 42\r\n"), std::string::npos)
      << server.Request(1);
  EXPECT_EQ(server.Request(2), "<no request>");  // refused.js never went out
}

// Connection events for a real echo: open with the peer, then a close with byte counts; a
// server that closes first and a port nobody listens on give a close and a failure.
TEST(EmbeddingNetworkHooks, ConnectionEventsForARealEcho) {
  ReferenceServer server;
  const std::string origin = "http://127.0.0.1:" + std::to_string(server.port());
  const int refused_port = testing::RefusedPort();
  Recorder recorder;
  PageOptions options = recorder.Options(origin + "/");
  const std::thread::id page_thread = std::this_thread::get_id();
  options.connection_events = [&](const ConnectionEvent& event) {
    EXPECT_EQ(std::this_thread::get_id(), page_thread);
    recorder.events.push_back(event);
  };
  std::unique_ptr<Page> page = Page::Create(std::move(options));
  page->DefineValue("refusedPort", static_cast<double>(refused_port));
  ASSERT_TRUE(page->Evaluate(R"(
    const echo = new TCPConnection('/echo');
    echo.onopen = () => echo.send('hello');
    echo.onread = (event) => { console.log('echo: ' + event.data); echo.disconnect(); };
    echo.onclose = () => {
      const closing = new TCPConnection('/close-after-open');
      closing.onclose = () => {
        new TCPConnection('http://127.0.0.1:' + refusedPort + '/nobody').onclose =
            () => console.log('all done');
      };
    };
  )")
                  .ok());
  ASSERT_EQ(page->RunFor(kDeadline), RunResult::kIdle);
  ASSERT_TRUE(recorder.ConsoleHas("all done")) << ::testing::PrintToString(recorder.console);
  EXPECT_TRUE(recorder.ConsoleHas("echo: hello"));

  const std::string peer = "127.0.0.1:" + std::to_string(server.port());
  ASSERT_EQ(recorder.events.size(), 5u);
  const ConnectionEvent& open = recorder.events[0];
  EXPECT_EQ(open.kind, ConnectionEvent::Kind::kOpen);
  EXPECT_EQ(open.url, origin + "/echo");
  EXPECT_EQ(open.peer, peer);
  EXPECT_FALSE(open.secure);
  const ConnectionEvent& close = recorder.events[1];
  EXPECT_EQ(close.kind, ConnectionEvent::Kind::kClose);
  EXPECT_EQ(close.id, open.id);
  EXPECT_TRUE(close.opened);
  EXPECT_TRUE(close.by_script);
  EXPECT_EQ(close.stage, "");
  // The OPTIONS request and one 7-byte frame out; the 101 and the echoed frame in.
  EXPECT_GT(close.bytes_sent, 7u + 60u);
  EXPECT_GT(close.bytes_received, 7u + 40u);

  EXPECT_EQ(recorder.events[2].kind, ConnectionEvent::Kind::kOpen);
  const ConnectionEvent& server_closed = recorder.events[3];
  EXPECT_EQ(server_closed.kind, ConnectionEvent::Kind::kClose);
  EXPECT_EQ(server_closed.url, origin + "/close-after-open");
  EXPECT_FALSE(server_closed.by_script);
  EXPECT_NE(server_closed.id, open.id);

  const ConnectionEvent& failed = recorder.events[4];
  EXPECT_EQ(failed.kind, ConnectionEvent::Kind::kFailure);
  EXPECT_EQ(failed.stage, "connect");
  EXPECT_FALSE(failed.opened);
  EXPECT_EQ(failed.peer, "");
  EXPECT_FALSE(failed.reason.empty());
  // The console line says the same stage and reason.
  EXPECT_TRUE(recorder.ConsoleHas("/nobody' failed: connect: " + failed.reason));
}

// The net log as a callback: for a real echo, the entries the file gets (the same types in
// the same order, the same JSON shape), on the page's thread, numbered like the connection
// events; a handler that throws is reported, not fatal.
TEST(EmbeddingNetworkHooks, NetLogCallbackForARealEcho) {
  ReferenceServer server;
  const std::string origin = "http://127.0.0.1:" + std::to_string(server.port());
  const std::string file =
      ::testing::TempDir() + "network_hooks_net_log_" + std::to_string(getpid()) + ".jsonl";
  Recorder recorder;
  PageOptions options = recorder.Options(origin + "/");
  options.net_log = file;
  options.net_log_handler = [&](const NetLogEntry& entry) {
    recorder.entries.push_back(entry);
    if (entry.type == "frame_received") throw std::runtime_error("handler trouble");
  };
  options.connection_events = [&](const ConnectionEvent& event) {
    recorder.events.push_back(event);
  };
  {
    std::unique_ptr<Page> page = Page::Create(std::move(options));
    ASSERT_TRUE(page->Evaluate(R"(
      const echo = new TCPConnection('/echo');
      echo.onopen = () => echo.send('hello');
      echo.onread = (event) => { console.log('echo: ' + event.data); echo.disconnect(); };
    )")
                    .ok());
    ASSERT_EQ(page->RunFor(kDeadline), RunResult::kIdle);
    // The close entry is written on the IO thread as the connection ends; its task may come
    // after the close event's task: run until it is there.
    for (auto until = std::chrono::steady_clock::now() + kDeadline;
         std::none_of(recorder.entries.begin(), recorder.entries.end(),
                      [](const NetLogEntry& entry) { return entry.type == "close"; }) &&
         std::chrono::steady_clock::now() < until;) {
      page->RunOnce();
    }
  }
  EXPECT_TRUE(recorder.ConsoleHas("echo: hello"));
  ASSERT_FALSE(recorder.entries.empty());
  std::vector<std::string> types;
  for (const NetLogEntry& entry : recorder.entries) {
    types.push_back(entry.type);
    EXPECT_EQ(entry.source, NetLogEntry::Source::kConnection);
    ASSERT_FALSE(recorder.events.empty());
    EXPECT_EQ(entry.id, recorder.events[0].id);
    EXPECT_TRUE(entry.json.starts_with(R"({"t":)")) << entry.json;
    EXPECT_NE(entry.json.find(R"(,"connection":)" + std::to_string(entry.id) + R"(,"type":")" +
                              entry.type + R"(","params":)" + entry.params_json + "}"),
              std::string::npos)
        << entry.json;
  }
  for (std::size_t i = 1; i < recorder.entries.size(); ++i) {
    EXPECT_GE(recorder.entries[i].time_ms, recorder.entries[i - 1].time_ms);
  }
  for (const char* type :
       {"connection_start", "connect_end", "handshake_request", "handshake_response", "open",
        "frame_sent", "frame_received", "disconnect", "close"}) {
    EXPECT_NE(std::find(types.begin(), types.end(), type), types.end()) << type;
  }
  auto open = std::find_if(recorder.entries.begin(), recorder.entries.end(),
                           [](const NetLogEntry& entry) { return entry.type == "open"; });
  ASSERT_NE(open, recorder.entries.end());
  EXPECT_NE(open->params_json.find("\"peer\":\"127.0.0.1:" + std::to_string(server.port()) + "\""),
            std::string::npos)
      << open->params_json;
  // The file, written beside the callback, has the same entries.
  std::ifstream in(file);
  std::vector<std::string> file_types;
  for (std::string line; std::getline(in, line);) {
    std::size_t at = line.find(R"("type":")");
    ASSERT_NE(at, std::string::npos) << line;
    std::string type = line.substr(at + 8, line.find('"', at + 8) - at - 8);
    if (type != "log_start" && type != "log_end") file_types.push_back(type);
  }
  EXPECT_EQ(types, file_types);
  std::filesystem::remove(file);
  // The throwing handler: reported once, and the entries after it still came.
  ASSERT_EQ(recorder.errors.size(), 1u) << ::testing::PrintToString(recorder.errors);
  EXPECT_EQ(recorder.errors[0], "net_log_handler threw: handler trouble");
}

// A document load's net log entries reach the callback too (they come before the page exists
// and wait for it), as a load's.
TEST(EmbeddingNetworkHooks, NetLogCallbackHasTheDocumentLoad) {
  ScriptedHttpServer server({Ok("text/javascript", "console.log('ran')")});
  Recorder recorder;
  PageOptions options = recorder.Options(server.origin() + "/page.js");
  options.net_log_handler = [&](const NetLogEntry& entry) { recorder.entries.push_back(entry); };
  std::unique_ptr<Page> page = Page::Load(std::move(options));
  ASSERT_EQ(page->RunFor(kDeadline), RunResult::kIdle);
  EXPECT_TRUE(recorder.ConsoleHas("ran"));
  ASSERT_FALSE(recorder.entries.empty());
  EXPECT_EQ(recorder.entries.front().type, "load_start");
  EXPECT_EQ(recorder.entries.front().source, NetLogEntry::Source::kLoad);
  EXPECT_TRUE(recorder.entries.front().json.find(R"(,"load":)") != std::string::npos);
  EXPECT_EQ(recorder.entries.back().type, "load_end");
  EXPECT_NE(recorder.entries.back().params_json.find("\"ok\":true"), std::string::npos);
}

// With DevTools on (`inspect`), whose Network domain feeds on the same net log, the callback
// still gets every entry, without the content members DevTools asks for (no frame text).
TEST(EmbeddingNetworkHooks, NetLogCallbackBesideDevTools) {
  ReferenceServer server;
  const std::string origin = "http://127.0.0.1:" + std::to_string(server.port());
  Recorder recorder;
  PageOptions options = recorder.Options(origin + "/");
  PageOptions::Inspect inspect;
  inspect.port = 0;  // a free port
  options.inspect = inspect;
  options.net_log_handler = [&](const NetLogEntry& entry) { recorder.entries.push_back(entry); };
  std::unique_ptr<Page> page = Page::Create(std::move(options));
  ASSERT_FALSE(page->inspector_url().empty());
  ASSERT_TRUE(page->Evaluate(R"(
    const echo = new TCPConnection('/echo');
    echo.onopen = () => echo.send('secret text');
    echo.onread = (event) => { console.log('echo: ' + event.data); echo.disconnect(); };
  )")
                  .ok());
  ASSERT_EQ(page->RunFor(kDeadline), RunResult::kIdle);
  EXPECT_TRUE(recorder.ConsoleHas("echo: secret text"));
  for (auto until = std::chrono::steady_clock::now() + kDeadline;
       std::none_of(recorder.entries.begin(), recorder.entries.end(),
                    [](const NetLogEntry& entry) { return entry.type == "close"; }) &&
       std::chrono::steady_clock::now() < until;) {
    page->RunOnce();
  }
  std::vector<std::string> types;
  for (const NetLogEntry& entry : recorder.entries) {
    types.push_back(entry.type);
    EXPECT_EQ(entry.json.find("secret text"), std::string::npos) << entry.json;
  }
  for (const char* type : {"connection_start", "open", "frame_sent", "frame_received", "close"}) {
    EXPECT_NE(std::find(types.begin(), types.end(), type), types.end()) << type;
  }
}

}  // namespace
}  // namespace switchboard::embed
