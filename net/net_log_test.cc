// The net log (net_log.h): JSON string escaping for hostile bytes, the masking of secrets,
// and end to end — real connections through the NetworkService to the real reference server
// (web_tests/servers/reference) — a log that Node's JSON parser accepts line by line, with
// the events of each connection in order, sane timestamps, and the close stage of failures.
#include "net/net_log.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <netinet/in.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "net/framer.h"
#include "net/network_service.h"
#include "net/testing/test_servers.h"

namespace switchboard {
namespace {

std::string Json(std::string_view bytes) {
  std::string out;
  AppendJsonString(out, bytes);
  return out;
}

TEST(NetLogJsonTest, KeepsValidUtf8AndEscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(Json("plain ascii"), "\"plain ascii\"");
  EXPECT_EQ(Json("say \"hi\" \\ bye"), R"("say \"hi\" \\ bye")");
  EXPECT_EQ(Json("a\r\nb\tc"), R"("a\r\nb\tc")");
  EXPECT_EQ(Json(std::string_view("\x00\x01\x1f\x7f", 4)), R"("\u0000\u0001\u001F\u007F")");
  // Two-, three- and four-byte sequences pass through untouched.
  EXPECT_EQ(Json("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"),
            "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"");
  EXPECT_EQ(Json("\xEF\xBF\xBF\xF4\x8F\xBF\xBF"), "\"\xEF\xBF\xBF\xF4\x8F\xBF\xBF\"");  // maxima
}

TEST(NetLogJsonTest, EveryByteOfAnInvalidSequenceBecomesOneReplacementCharacter) {
  EXPECT_EQ(Json("\x80"), R"("\uFFFD")");                                // lone continuation
  EXPECT_EQ(Json("\xFF\xFE"), R"("\uFFFD\uFFFD")");                      // never valid
  EXPECT_EQ(Json("\xC0\xAF"), R"("\uFFFD\uFFFD")");                      // overlong '/'
  EXPECT_EQ(Json("\xE0\x80\xAF"), R"("\uFFFD\uFFFD\uFFFD")");            // overlong, 3 bytes
  EXPECT_EQ(Json("\xED\xA0\x80"), R"("\uFFFD\uFFFD\uFFFD")");            // a UTF-16 surrogate
  EXPECT_EQ(Json("\xF4\x90\x80\x80"), R"("\uFFFD\uFFFD\uFFFD\uFFFD")");  // above U+10FFFF
  EXPECT_EQ(Json("ok\xE2\x82"), R"("ok\uFFFD\uFFFD")");                  // truncated at the end
  EXPECT_EQ(Json("\xE2\x82x"), R"("\uFFFD\uFFFDx")");                    // interrupted by ASCII
  EXPECT_EQ(Json("\xC3\xA9\x80\xC3\xA9"), "\"\xC3\xA9\\uFFFD\xC3\xA9\"");
}

TEST(NetLogJsonTest, AnyByteStringComesOutAsValidUtf8WithoutRawControlBytes) {
  // Every byte value alone and in pairs: the output never holds a byte < 0x20, and every
  // non-ASCII byte belongs to a sequence that was in the input and valid.
  for (int first = 0; first < 256; ++first) {
    for (int second = 0; second < 256; second += 5) {
      std::string input{static_cast<char>(first), static_cast<char>(second)};
      std::string out = Json(input);
      ASSERT_GE(out.size(), 2u);
      for (unsigned char byte : out) ASSERT_GE(byte, 0x20) << first << " " << second;
      if (first >= 0x80 && !(first >= 0xC2 && first <= 0xDF && second >= 0x80 && second <= 0xBF)) {
        // Not a valid two-byte sequence: the lead byte is replaced.
        ASSERT_EQ(out.substr(1, 6), "\\uFFFD") << first << " " << second;
      }
    }
  }
}

TEST(NetLogMaskTest, CredentialsAndCookieValuesNeverReachTheLog) {
  EXPECT_EQ(MaskHeaderLine("Authorization: Basic dXNlcjpwYXNz"), "Authorization: Basic <masked>");
  EXPECT_EQ(MaskHeaderLine("proxy-authorization: Digest username=\"u\", response=\"x\""),
            "proxy-authorization: Digest <masked>");
  EXPECT_EQ(MaskHeaderLine("Authorization: secret"), "Authorization: <masked>");
  EXPECT_EQ(MaskHeaderLine("Cookie: session=abc; theme=dark;flag"),
            "Cookie: session=<masked>; theme=<masked>; flag");
  EXPECT_EQ(MaskHeaderLine("Set-Cookie: id=42; Path=/; HttpOnly"),
            "Set-Cookie: id=<masked>; Path=/; HttpOnly");
  EXPECT_EQ(MaskHeaderLine("Origin: http://example.com"), "Origin: http://example.com");
  EXPECT_EQ(MaskHeaderLine("OPTIONS /a:b HTTP/1.1"), "OPTIONS /a:b HTTP/1.1");
  EXPECT_EQ(MaskProxyUrl("http://user:pa55@proxy.test:3128/"),
            "http://user:<masked>@proxy.test:3128/");
  EXPECT_EQ(MaskProxyUrl("http://user@proxy.test:3128"), "http://user@proxy.test:3128");
  EXPECT_EQ(MaskProxyUrl("http://proxy.test:3128"), "http://proxy.test:3128");
  EXPECT_EQ(MaskProxyUrl(""), "");
}

// Spec §7: "URL credentials (user:password@) are masked in console lines and in every log" —
// the user name too (a token is often passed as one).
TEST(NetLogMaskTest, UrlCredentialsAreMaskedWhole) {
  EXPECT_EQ(MaskUrlCredentials("http://alice:secret@host:8080/a?b#c"),
            "http://<masked>@host:8080/a?b#c");
  EXPECT_EQ(MaskUrlCredentials("https://token@host/"), "https://<masked>@host/");
  EXPECT_EQ(MaskUrlCredentials("http://a:b@c@host/x@y"), "http://<masked>@host/x@y");
  EXPECT_EQ(MaskUrlCredentials("http://host/path@not-userinfo"), "http://host/path@not-userinfo");
  EXPECT_EQ(MaskUrlCredentials("http://host?q=a@b"), "http://host?q=a@b");
  EXPECT_EQ(MaskUrlCredentials("http://[::1]:80/"), "http://[::1]:80/");
  EXPECT_EQ(MaskUrlCredentials("not a url"), "not a url");
  EXPECT_EQ(MaskUrlCredentials(""), "");
}

TEST(NetLogMaskTest, SplitHeadLinesStopsAtTheEmptyLine) {
  std::vector<std::string> lines =
      SplitHeadLines("OPTIONS / HTTP/1.1\r\nCookie: a=1\r\nHost: h\r\n\r\n\x02tail", true);
  EXPECT_EQ(lines,
            (std::vector<std::string>{"OPTIONS / HTTP/1.1", "Cookie: a=<masked>", "Host: h"}));
  EXPECT_EQ(SplitHeadLines("220 smtp ready\r\n", false),
            (std::vector<std::string>{"220 smtp ready"}));
  EXPECT_EQ(SplitHeadLines("HTTP/1.1 101 Sw", false),
            (std::vector<std::string>{"HTTP/1.1 101 Sw"}));
}

std::string TemporaryPath(const std::string& name) {
  return std::string(SWITCHBOARD_TEST_TMPDIR) + "/" + name + "." + std::to_string(getpid());
}

// Runs `node -e SCRIPT FILE`; returns its standard output (or "" and a failure).
std::string RunNode(const std::string& script, const std::string& file) {
  std::string script_path = TemporaryPath("check.js");
  std::ofstream(script_path) << script;
  std::string command = "node " + script_path + " " + file + " 2>&1";
  std::FILE* pipe = popen(command.c_str(), "r");
  std::string output;
  char buffer[4096];
  while (std::size_t count = std::fread(buffer, 1, sizeof buffer, pipe))
    output.append(buffer, count);
  int status = pclose(pipe);
  std::remove(script_path.c_str());
  EXPECT_EQ(status, 0) << output;
  return output;
}

TEST(NetLogFileTest, HostileStringsSurviveARealJsonParser) {
  std::string path = TemporaryPath("hostile.netlog");
  {
    Result<std::unique_ptr<NetLog>> log = NetLog::OpenFile(path);
    ASSERT_TRUE(log.ok()) << log.error().message;
    log.value()->Add(7, "tunnel_info",
                     NetLogParams()
                         .Add("text", std::string_view("a\"b\\c\x01\x7f\xff\xc3\xa9\n", 11))
                         .Add("lines", std::vector<std::string>{"x\xed\xa0\x80", "\xe2\x82\xac"})
                         .Add("count", 3)
                         .Add("ok", true));
  }
  // Node decodes the strings; print their code points.
  std::string output = RunNode(R"(
    const lines = require('fs').readFileSync(process.argv[2], 'utf8').trim().split('\n');
    const events = lines.map((line) => JSON.parse(line));
    const event = events[1];
    const codes = (s) => [...s].map((c) => c.codePointAt(0).toString(16)).join(' ');
    console.log(events.length, events[0].type, events[0].version, event.connection, event.type,
                event.params.count, event.params.ok, events[2].type);
    console.log(codes(event.params.text));
    console.log(event.params.lines.map(codes).join(' | '));
  )",
                               path);
  EXPECT_EQ(output,
            "3 log_start 1 7 tunnel_info 3 true log_end\n"
            "61 22 62 5c 63 1 7f fffd e9 a\n"
            "78 fffd fffd fffd | 20ac\n");
  std::remove(path.c_str());
}

using testing::ReferenceServer;
using testing::RefusedPort;

// A loopback server that answers a TLS ClientHello (a record starting with 0x16) in clear HTTP
// and closes: what a TLS client sees when it reaches a port that does not speak TLS.
class ClearTextServer {
 public:
  ClearTextServer()
      : listener_([](testing::ScriptedListener& listener, int socket) {
          if (listener.ReadUntil(socket, "\x16").empty()) return;
          testing::ScriptedListener::WriteAll(socket, "HTTP/1.1 400 Bad Request\r\n\r\n");
        }) {}
  std::uint16_t port() const { return static_cast<std::uint16_t>(listener_.port()); }

 private:
  testing::ScriptedListener listener_;
};

// Each connection's events, as the main thread would receive them.
class Events {
 public:
  ConnectionEventSink Sink(ConnectionId id) {
    return [this, id](ConnectionEvent event) {
      std::lock_guard lock(mutex_);
      events_[id].push_back(std::move(event));
      changed_.notify_all();
    };
  }
  // Waits (up to 10 s) for an event of `kind` on connection `id`; earlier ones are dropped.
  bool WaitFor(ConnectionId id, ConnectionEvent::Kind kind) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(10), [&] {
      std::deque<ConnectionEvent>& queue = events_[id];
      while (!queue.empty()) {
        bool found = queue.front().kind == kind;
        queue.pop_front();
        if (found) return true;
      }
      return false;
    });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<ConnectionId, std::deque<ConnectionEvent>> events_;
};

ConnectionOptions OptionsFor(const std::string& url) {
  ConnectionOptions options;
  UrlResult parsed = ParseConnectionUrl(url, "");
  EXPECT_TRUE(parsed.ok()) << url;
  options.url = parsed.value();
  ConnectionSettings settings;
  settings.document_origin = options.url.origin();
  settings.limits.handshake_timeout = std::chrono::milliseconds(10'000);
  options.settings = std::make_shared<const ConnectionSettings>(std::move(settings));
  return options;
}

// Prints, per line: "<connection> <type> <summary>" — the summary names the parameters the
// test checks — after checking that every line parses and that time never runs backwards.
constexpr char kSummarise[] = R"(
  const lines = require('fs').readFileSync(process.argv[2], 'utf8').split('\n');
  if (lines.pop() !== '') throw new Error('the log does not end with a newline');
  const events = lines.map((line) => JSON.parse(line));
  const header = events.shift();
  if (header.type !== 'log_start' || header.version !== 1) throw new Error('bad header');
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(header.start_time)) throw new Error('time');
  let last = 0;
  for (const event of events) {
    if (typeof event.t !== 'number' || event.t < last) throw new Error('t runs backwards');
    if (event.t > 60000) throw new Error('t is not in ms');
    last = event.t;
    const p = event.params;
    let summary = '';
    switch (event.type) {
      case 'connection_start': summary = p.url; break;
      case 'resolve_start': summary = `${p.host} ${p.for} ${p.source}`; break;
      case 'resolve_end': summary = `${p.ok} ${p.addresses}`; break;
      case 'connect_start': summary = `${p.port} ${p.addresses}`; break;
      case 'connect_attempt': summary = p.address; break;
      case 'connect_attempt_end': summary = `${p.ok}`; break;
      case 'connect_end': summary = p.ok ? `ok ${p.address}` : `${p.stage}`; break;
      case 'tls_end': summary = `${p.ok}`; break;
      case 'handshake_request': summary = p.headers.join('|'); break;
      case 'handshake_response': summary = `${p.complete} ${p.status} ${p.headers[0]}`; break;
      case 'open': summary = `${p.peer} ${p.secure}`; break;
      case 'frame_sent': case 'frame_received': summary = `${p.bytes}`; break;
      case 'close':
        summary = p.clean ? `clean ${p.cause}` : `${p.stage} ${p.before_open}`;
        summary += ` frames ${p.frames_sent}/${p.frames_received}`;
        if (p.bytes_sent === undefined || p.bytes_received === undefined) throw new Error('totals');
        break;
    }
    console.log(`${event.connection} ${event.type} ${summary}`.trim());
  }
)";

std::vector<std::string> LinesOf(const std::string& text, const std::string& prefix) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) {
    // curl's own messages vary between versions; the test checks the structured events.
    if (line.find(" tunnel_info") != std::string::npos) continue;
    if (line.starts_with(prefix)) lines.push_back(line.substr(prefix.size()));
  }
  return lines;
}

TEST(NetLogEndToEndTest, LogsEveryStepOfRealConnectionsInOrder) {
  ReferenceServer server;
  ASSERT_NE(server.port(), 0);
  std::string port = std::to_string(server.port());
  std::uint16_t refused = RefusedPort();
  ClearTextServer clear_text;
  std::string path = TemporaryPath("end-to-end.netlog");
  Events events;
  {
    NetworkService service({{}, "", "", path, {}});
    // 1: opens, echoes two frames, disconnect().
    service.Open(1, OptionsFor("http://127.0.0.1:" + port + "/echo"), events.Sink(1));
    ASSERT_TRUE(events.WaitFor(1, ConnectionEvent::Kind::kOpen));
    std::string frame;
    AppendFrame("hello", frame);
    service.Send(1, frame);
    ASSERT_TRUE(events.WaitFor(1, ConnectionEvent::Kind::kFrames));
    frame.clear();
    AppendFrame("caf\xC3\xA9", frame);
    service.Send(1, frame);
    ASSERT_TRUE(events.WaitFor(1, ConnectionEvent::Kind::kFrames));
    service.Disconnect(1);
    ASSERT_TRUE(events.WaitFor(1, ConnectionEvent::Kind::kClosed));
    // 2: nothing listens.
    service.Open(2, OptionsFor("http://127.0.0.1:" + std::to_string(refused) + "/"),
                 events.Sink(2));
    ASSERT_TRUE(events.WaitFor(2, ConnectionEvent::Kind::kClosed));
    // 3: TLS to a server that speaks HTTP in clear.
    service.Open(3, OptionsFor("https://127.0.0.1:" + std::to_string(clear_text.port()) + "/"),
                 events.Sink(3));
    ASSERT_TRUE(events.WaitFor(3, ConnectionEvent::Kind::kClosed));
    // 4: a 404 instead of the 101.
    service.Open(4, OptionsFor("http://127.0.0.1:" + port + "/status?code=404"), events.Sink(4));
    ASSERT_TRUE(events.WaitFor(4, ConnectionEvent::Kind::kClosed));
    // 5: still open when the service goes away: closed by the page.
    service.Open(5, OptionsFor("http://127.0.0.1:" + port + "/echo"), events.Sink(5));
    ASSERT_TRUE(events.WaitFor(5, ConnectionEvent::Kind::kOpen));
  }
  std::string summary = RunNode(kSummarise, path);
  std::string host_header = "Host: 127.0.0.1:" + port;
  EXPECT_EQ(
      LinesOf(summary, "1 "),
      (std::vector<std::string>{
          "connection_start http://127.0.0.1:" + port + "/echo",
          "resolve_start 127.0.0.1 target literal",
          "resolve_end true 127.0.0.1",
          "endpoint_wait",
          "connect_start " + port + " 127.0.0.1",
          "connect_attempt 127.0.0.1:" + port,
          "connect_attempt_end true",
          "connect_end ok 127.0.0.1",
          "handshake_request OPTIONS /echo HTTP/1.1|" + host_header +
              "|Upgrade: TCPConnection/1.0|Connection: Upgrade|Origin: http://127.0.0.1:" + port,
          "handshake_response true 101 HTTP/1.1 101 Switching Protocols",
          "open 127.0.0.1:" + port + " false",
          "frame_sent 7",
          "frame_received 7",
          "frame_sent 7",
          "frame_received 7",
          "disconnect",
          "close clean disconnect() frames 2/2",
      }))
      << summary;
  std::vector<std::string> refused_lines = LinesOf(summary, "2 ");
  ASSERT_GE(refused_lines.size(), 3u) << summary;
  EXPECT_EQ(refused_lines.front(),
            "connection_start http://127.0.0.1:" + std::to_string(refused) + "/");
  EXPECT_EQ(refused_lines[refused_lines.size() - 2], "connect_end connect") << summary;
  EXPECT_NE(std::find(refused_lines.begin(), refused_lines.end(), "connect_attempt_end false"),
            refused_lines.end())
      << summary;
  EXPECT_EQ(refused_lines.back(), "close connect true frames 0/0") << summary;

  std::vector<std::string> tls_lines = LinesOf(summary, "3 ");
  ASSERT_GE(tls_lines.size(), 4u) << summary;
  EXPECT_EQ(tls_lines[tls_lines.size() - 3], "tls_start") << summary;
  EXPECT_EQ(tls_lines[tls_lines.size() - 2], "tls_end false") << summary;
  EXPECT_EQ(tls_lines.back(), "close tls true frames 0/0") << summary;

  std::vector<std::string> status_lines = LinesOf(summary, "4 ");
  ASSERT_GE(status_lines.size(), 3u) << summary;
  EXPECT_EQ(status_lines[status_lines.size() - 2].substr(0, 38),
            "handshake_response false 404 HTTP/1.1 ")
      << summary;
  EXPECT_EQ(status_lines.back(), "close handshake true frames 0/0") << summary;

  std::vector<std::string> aborted_lines = LinesOf(summary, "5 ");
  ASSERT_FALSE(aborted_lines.empty()) << summary;
  EXPECT_EQ(aborted_lines.back(), "close clean page closed frames 0/0") << summary;
  EXPECT_NE(summary.find("0 log_end"), std::string::npos) << summary;
  std::remove(path.c_str());
}

TEST(NetLogEndToEndTest, AnUnwritableLogDoesNotStopTheNetwork) {
  NetworkService service({{}, "", "", "/nonexistent-directory/netlog.json", {}});
  EXPECT_EQ(service.net_log(), nullptr);
}

// NetLogParams keeps typed fields; content members reach only a subscriber that asked.
TEST(NetLogParamsTest, ContentMembersAreLeftOutOfTheFilesForm) {
  NetLogParams params;
  params.Add("bytes", 7).AddContent("text", "hi\n").Add("ok", true).Add("ms", 1.5);
  EXPECT_EQ(params.ToJson(), R"({"bytes":7,"ok":true,"ms":1.500})");
  EXPECT_EQ(params.ToJson(/*with_contents=*/true),
            R"({"bytes":7,"text":"hi\n","ok":true,"ms":1.500})");
  EXPECT_EQ(params.WithoutContents().ToJson(true), R"({"bytes":7,"ok":true,"ms":1.500})");
  EXPECT_EQ(params.Number("bytes"), 7);
  EXPECT_EQ(params.String("text"), "hi\n");
  EXPECT_TRUE(params.Bool("ok"));
  EXPECT_EQ(params.Find("missing"), nullptr);
  EXPECT_TRUE(params.List("bytes").empty());
}

// A subscriber beside the file: every event the file gets (but log_start and log_end), in
// the same order, on the IO thread — with the frames' text and the raw handshake heads when it
// captures contents, which the file never holds.
TEST(NetLogSubscriberTest, GetsEveryEventAndContentsTheFileNeverHolds) {
  ReferenceServer server;
  ASSERT_NE(server.port(), 0);
  std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/echo";
  for (bool capture_contents : {true, false}) {
    std::string path = TemporaryPath("subscriber.netlog");
    std::mutex mutex;
    std::vector<NetLogEvent> received;
    Events events;
    {
      NetworkSettings settings{{}, "", "", path, {}};
      settings.net_log_subscriber = {[&](NetLogEvent event) {
                                       std::lock_guard<std::mutex> lock(mutex);
                                       received.push_back(std::move(event));
                                     },
                                     capture_contents};
      NetworkService service(settings);
      ASSERT_NE(service.net_log(), nullptr);
      service.Open(1, OptionsFor(url), events.Sink(1));
      ASSERT_TRUE(events.WaitFor(1, ConnectionEvent::Kind::kOpen));
      std::string frame;
      AppendFrame("hello \"you\"", frame);
      service.Send(1, frame);
      ASSERT_TRUE(events.WaitFor(1, ConnectionEvent::Kind::kFrames));
      service.Disconnect(1);
      ASSERT_TRUE(events.WaitFor(1, ConnectionEvent::Kind::kClosed));
    }
    std::ifstream file(path);
    std::vector<std::string> file_types;
    std::string line;
    std::string whole;
    while (std::getline(file, line)) {
      if (line.find(R"("type":"tunnel_info")") == std::string::npos) whole += line;
      std::size_t type = line.find(R"("type":")");
      ASSERT_NE(type, std::string::npos);
      file_types.push_back(line.substr(type + 8, line.find('"', type + 8) - type - 8));
    }
    std::remove(path.c_str());
    // (tunnel_info's own "text", curl's messages, is not a content member.)
    EXPECT_EQ(whole.find(R"("text")"), std::string::npos) << "contents in the file";
    EXPECT_EQ(whole.find("hello"), std::string::npos) << "a frame's text in the file";
    ASSERT_GE(file_types.size(), 2u);
    EXPECT_EQ(file_types.front(), "log_start");
    EXPECT_EQ(file_types.back(), "log_end");

    std::lock_guard<std::mutex> lock(mutex);
    std::vector<std::string> types;
    std::map<std::string, std::string> text;
    for (const NetLogEvent& event : received) {
      EXPECT_EQ(event.source_kind, NetLogEvent::SourceKind::kConnection);
      EXPECT_EQ(event.source, 1u);
      types.push_back(event.type);
      // (tunnel_info's own "text", curl's messages, is not a content member.)
      const NetLogParams::Field* field = event.params.Find("text");
      if (field && field->content) text[event.type] = field->value;
    }
    EXPECT_EQ(types, std::vector<std::string>(file_types.begin() + 1, file_types.end() - 1));
    if (capture_contents) {
      EXPECT_EQ(text["frame_sent"], "hello \"you\"");
      EXPECT_EQ(text["frame_received"], "hello \"you\"");
      EXPECT_TRUE(text["handshake_request"].starts_with("OPTIONS /echo HTTP/1.1\r\nHost: "))
          << text["handshake_request"];
      EXPECT_TRUE(text["handshake_request"].ends_with("\r\n\r\n"));
      EXPECT_TRUE(text["handshake_response"].starts_with("HTTP/1.1 101 "))
          << text["handshake_response"];
      EXPECT_TRUE(text["handshake_response"].ends_with("\r\n\r\n"));
    } else {
      EXPECT_TRUE(text.empty());
    }
  }
}

// Without a file, a subscriber alone makes a net log; without either there is none.
TEST(NetLogSubscriberTest, ASubscriberAloneMakesALogAndNothingMakesNone) {
  NetworkSettings settings;
  settings.net_log_subscriber.on_event = [](NetLogEvent) {};
  NetworkService with_subscriber(settings);
  EXPECT_NE(with_subscriber.net_log(), nullptr);
  NetworkService without(NetworkSettings{});
  EXPECT_EQ(without.net_log(), nullptr);
}

}  // namespace
}  // namespace switchboard
