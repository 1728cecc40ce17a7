// HttpFetcher (through NetworkService::Fetch, on the IO thread) over real loopback HTTP: a
// small server thread records each request's Cookie header and answers with Set-Cookie and
// redirects, so the test sees what libcurl sent.
#include "net/http_fetch.h"

#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "net/network_service.h"
#include "net/request_headers.h"
#include "net/testing/scripted_http_server.h"

namespace switchboard {
namespace {

using testing::ScriptedHttpServer;

// One load through a network service of its own, waited for.
Result<FetchResponse> Fetch(FetchRequest request, NetworkSettings settings = {}) {
  NetworkService service(std::move(settings));
  std::promise<Result<FetchResponse>> answer;
  service.Fetch(std::move(request),
                [&answer](Result<FetchResponse> result) { answer.set_value(std::move(result)); });
  return answer.get_future().get();
}

Result<FetchResponse> Fetch(const std::string& url, std::shared_ptr<CookieJar> jar = nullptr) {
  FetchRequest request;
  request.url = PageUrl::Parse(url).value();
  request.cookie_jar = std::move(jar);
  return Fetch(std::move(request));
}

TEST(HttpFetchTest, CookiesFromTheJarGoOutAndSetCookieComesBackOnEveryRedirectHop) {
  ScriptedHttpServer server({
      "HTTP/1.1 302 Found\r\nSet-Cookie: hop=1; Path=/\r\nLocation: /final.html\r\n"
      "Content-Length: 0\r\nConnection: close\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nSet-Cookie: page=2\r\n"
      "Content-Length: 5\r\nConnection: close\r\n\r\nhello",
  });
  auto jar = std::make_shared<CookieJar>();
  std::string origin = "http://127.0.0.1:" + std::to_string(server.port());
  jar->SetCookie(CookieUrl{"http", "127.0.0.1", "/"}, "seed=0", CookieTransport::kInsecure,
                 CookieSource::kHttp, std::chrono::system_clock::now());
  Result<FetchResponse> loaded = Fetch(origin + "/start", jar);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded.value().body, "hello");
  EXPECT_EQ(loaded.value().url.path, "/final.html");
  EXPECT_EQ(server.CookieLine(0), "Cookie: seed=0");
  EXPECT_EQ(server.CookieLine(1), "Cookie: seed=0; hop=1");  // the redirect's cookie, next hop
  EXPECT_EQ(loaded.value().status, 200);
  EXPECT_EQ(loaded.value().content_type, "text/html");
  EXPECT_EQ(jar->CookieHeaderFor(CookieUrl{"http", "127.0.0.1", "/final.html"},
                                 CookieTransport::kInsecure, CookieSource::kHttp,
                                 std::chrono::system_clock::now()),
            "seed=0; hop=1; page=2");
}

// Issue 18: the connection policy's fields go on every hop of the requested URL's origin (a
// User-Agent replaces libcurl's), and not on a redirect to another origin.
TEST(HttpFetchTest, ExtraHeadersGoToTheRequestedOriginOnly) {
  ScriptedHttpServer other({"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"});
  ScriptedHttpServer server({
      "HTTP/1.1 302 Found\r\nLocation: /same\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
      "HTTP/1.1 302 Found\r\nLocation: " + other.origin() +
          "/elsewhere\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
  });
  FetchRequest request;
  request.url = PageUrl::Parse(server.origin() + "/start").value();
  request.extra_headers = {{"X-Embedder", "yes"}, {"User-Agent", "Embedder/1.0"}, {"X-Empty", ""}};
  Result<FetchResponse> loaded = Fetch(std::move(request));
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded.value().body, "ok");
  for (std::size_t hop : {0u, 1u}) {
    std::string head = server.Request(hop);
    EXPECT_NE(head.find("\r\nX-Embedder: yes\r\n"), std::string::npos) << head;
    EXPECT_NE(head.find("\r\nUser-Agent: Embedder/1.0\r\n"), std::string::npos) << head;
    EXPECT_EQ(head.find("Switchboard/"), std::string::npos) << head;
    EXPECT_NE(head.find("\r\nX-Empty:"), std::string::npos) << head;
  }
  std::string elsewhere = other.Request(0);
  EXPECT_NE(elsewhere.find("GET /elsewhere HTTP/1.1"), std::string::npos) << elsewhere;
  EXPECT_EQ(elsewhere.find("X-Embedder"), std::string::npos) << elsewhere;
  EXPECT_NE(elsewhere.find("User-Agent: Switchboard/"), std::string::npos) << elsewhere;
}

// A field that could break the request fails the load at stage `policy`; nothing is sent.
TEST(HttpFetchTest, ExtraHeadersThatCouldBreakTheRequestFailTheLoad) {
  ScriptedHttpServer server(
      {"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"});
  for (HeaderField field : std::vector<HeaderField>{{"X-A", "1\r\nX-Injected: 1"},
                                                    {"Host", "evil.example"},
                                                    {"Transfer-Encoding", "chunked"}}) {
    FetchRequest request;
    request.url = PageUrl::Parse(server.origin() + "/x").value();
    request.extra_headers = {field};
    Result<FetchResponse> loaded = Fetch(std::move(request));
    ASSERT_FALSE(loaded.ok()) << field.name;
    EXPECT_EQ(loaded.error().stage, Stage::kPolicy);
    EXPECT_EQ(loaded.error().message, ExtraHeaderError(field).value_or("accepted"));
  }
  EXPECT_EQ(server.Request(0), "<no request>");
}

// Only the final response sets cookies: not an interim 1xx response before it.
TEST(HttpFetchTest, SetCookieOfAnInterimResponseIsIgnored) {
  ScriptedHttpServer server({
      "HTTP/1.1 103 Early Hints\r\nSet-Cookie: early=1\r\n\r\n"
      "HTTP/1.1 200 OK\r\nSet-Cookie: final=2\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
  });
  auto jar = std::make_shared<CookieJar>();
  std::string origin = "http://127.0.0.1:" + std::to_string(server.port());
  Result<FetchResponse> loaded = Fetch(origin + "/page", jar);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded.value().body, "ok");
  EXPECT_EQ(jar->CookieHeaderFor(CookieUrl{"http", "127.0.0.1", "/"}, CookieTransport::kInsecure,
                                 CookieSource::kHttp, std::chrono::system_clock::now()),
            "final=2");
}

TEST(HttpFetchTest, RedirectLoopsAndErrorStatusesAreClearErrors) {
  std::vector<std::string> loop(11,
                                "HTTP/1.1 302 Found\r\nLocation: /again\r\nContent-Length: 0\r\n"
                                "Connection: close\r\n\r\n");
  ScriptedHttpServer looping(loop);
  Result<FetchResponse> looped = Fetch("http://127.0.0.1:" + std::to_string(looping.port()) + "/");
  ASSERT_FALSE(looped.ok());
  EXPECT_EQ(looped.error().stage, Stage::kHttp);
  EXPECT_EQ(looped.error().message, "more than 10 redirects");

  ScriptedHttpServer missing(
      {"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"});
  Result<FetchResponse> not_found =
      Fetch("http://127.0.0.1:" + std::to_string(missing.port()) + "/x");
  ASSERT_FALSE(not_found.ok());
  EXPECT_EQ(not_found.error().stage, Stage::kHttp);
  EXPECT_EQ(not_found.error().message, "status 404");
}

// Limits: a body over the limit ends the load with a clear error, not unbounded memory.
TEST(HttpFetchTest, ABodyOverTheLimitIsAClearError) {
  ScriptedHttpServer server({"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" +
                             std::string(64 * 1024, 'x')});  // no length: read to the end
  FetchRequest request;
  request.url = PageUrl::Parse("http://127.0.0.1:" + std::to_string(server.port()) + "/").value();
  request.limits.max_resource_bytes = 1000;
  Result<FetchResponse> loaded = Fetch(std::move(request));
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().stage, Stage::kHttp);
  EXPECT_EQ(loaded.error().message, "the response body is larger than the limit of 1000 bytes");
}

// A server that sends header lines without end fails the load at 256 KiB of them.
TEST(HttpFetchTest, AGiantHeaderIsAClearError) {
  std::string response = "HTTP/1.1 200 OK\r\n";
  for (int i = 0; response.size() < 400 * 1024; ++i) {
    response += "X-Filler-" + std::to_string(i) + ": " + std::string(100, 'x') + "\r\n";
  }
  ScriptedHttpServer server({response + "Content-Length: 0\r\n\r\n"});
  Result<FetchResponse> loaded = Fetch(server.origin() + "/");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().stage, Stage::kHttp);
  EXPECT_EQ(loaded.error().message, "the response header is larger than the limit of 262144 bytes");
}

// A port nobody listens on fails at stage connect, like a connection's.
TEST(HttpFetchTest, ARefusedConnectionFailsAtStageConnect) {
  int port = 0;
  {
    ScriptedHttpServer closed({});  // listens, then closes at once
    port = closed.port();
  }
  Result<FetchResponse> loaded = Fetch("http://127.0.0.1:" + std::to_string(port) + "/");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().stage, Stage::kConnect);
}

// §3.1's bound holds for loads too: a proxy that answers every Digest response with a new
// stale=true challenge (curl would answer each again) meets the limit of 3 rounds, at stage
// proxy. The scripted server is the proxy: curl sends it the GET for the http: URL.
TEST(HttpFetchTest, ProxyAuthenticationGivesUpAfterThreeRounds) {
  const std::string stale =
      "HTTP/1.1 407 Proxy Authentication Required\r\n"
      "Proxy-Authenticate: Digest realm=\"switchboard\", nonce=\"again\", stale=true\r\n"
      "Content-Length: 0\r\nConnection: close\r\n\r\n";
  ScriptedHttpServer proxy(std::vector<std::string>(6, stale));
  FetchRequest request;
  request.url = PageUrl::Parse("http://example.test/page.html").value();
  Result<FetchResponse> loaded =
      Fetch(std::move(request),
            NetworkSettings{
                {}, "http://user:secret@127.0.0.1:" + std::to_string(proxy.port()), "", "", {}});
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().stage, Stage::kProxy);
  EXPECT_EQ(loaded.error().message,
            "proxy authentication failed after 3 rounds: last status 407 Proxy Authentication "
            "Required");
  EXPECT_NE(proxy.Request(0).find("GET http://example.test/page.html HTTP/1.1"), std::string::npos)
      << proxy.Request(0);
  EXPECT_EQ(proxy.Request(3), "<no request>");  // no fourth round
}

}  // namespace
}  // namespace switchboard
