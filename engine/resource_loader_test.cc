// LoadResource over real loopback HTTP: a small server thread records each request's Cookie
// header and answers with Set-Cookie and redirects, so the test sees what libcurl sent.
#include "engine/resource_loader.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace switchboard {
namespace {

// Serves a fixed list of responses, one per connection, and records the requests.
class ScriptedHttpServer {
 public:
  explicit ScriptedHttpServer(std::vector<std::string> responses)
      : responses_(std::move(responses)) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    listen(listener_, 8);
    socklen_t length = sizeof address;
    getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] {
      for (const std::string& response : responses_) {
        int client = accept(listener_, nullptr, nullptr);
        if (client < 0) return;
        std::string request;
        char byte;
        while (request.find("\r\n\r\n") == std::string::npos && read(client, &byte, 1) == 1) {
          request += byte;
        }
        {
          std::lock_guard lock(mutex_);
          requests_.push_back(request);
        }
        std::string bytes = response;
        std::size_t at;
        while ((at = bytes.find("PORT")) != std::string::npos)
          bytes.replace(at, 4, std::to_string(port_));
        write(client, bytes.data(), bytes.size());
        close(client);
      }
    });
  }
  ~ScriptedHttpServer() {
    shutdown(listener_, SHUT_RDWR);
    close(listener_);
    thread_.join();
  }
  int port() const { return port_; }
  // The Cookie header line of request `index` ("" when none).
  std::string CookieLine(std::size_t index) {
    std::lock_guard lock(mutex_);
    if (index >= requests_.size()) return "<no request>";
    const std::string& request = requests_[index];
    std::size_t start = request.find("\r\nCookie: ");
    if (start == std::string::npos) return "";
    return request.substr(start + 2, request.find("\r\n", start + 2) - start - 2);
  }

 private:
  std::vector<std::string> responses_;
  int listener_;
  int port_;
  std::mutex mutex_;
  std::vector<std::string> requests_;
  std::thread thread_;
};

TEST(ResourceLoaderTest, CookiesFromTheJarGoOutAndSetCookieComesBackOnEveryRedirectHop) {
  ScriptedHttpServer server({
      "HTTP/1.1 302 Found\r\nSet-Cookie: hop=1; Path=/\r\nLocation: /final.html\r\n"
      "Content-Length: 0\r\nConnection: close\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nSet-Cookie: page=2\r\n"
      "Content-Length: 5\r\nConnection: close\r\n\r\nhello",
  });
  CookieJar jar;
  std::string origin = "http://127.0.0.1:" + std::to_string(server.port());
  jar.SetCookie(CookieUrl{"http", "127.0.0.1", "/"}, "seed=0", CookieTransport::kInsecure,
                CookieSource::kHttp, std::chrono::system_clock::now());
  Result<Resource> loaded = LoadResource(PageUrl::Parse(origin + "/start").value(), {}, &jar);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded.value().body, "hello");
  EXPECT_EQ(loaded.value().url.path, "/final.html");
  EXPECT_EQ(server.CookieLine(0), "Cookie: seed=0");
  EXPECT_EQ(server.CookieLine(1), "Cookie: seed=0; hop=1");  // the redirect's cookie, next hop
  EXPECT_EQ(
      jar.CookieHeaderFor(CookieUrl{"http", "127.0.0.1", "/final.html"}, CookieTransport::kInsecure,
                          CookieSource::kHttp, std::chrono::system_clock::now()),
      "seed=0; hop=1; page=2");
}

// Only the final response sets cookies: not an interim 1xx response before it.
TEST(ResourceLoaderTest, SetCookieOfAnInterimResponseIsIgnored) {
  ScriptedHttpServer server({
      "HTTP/1.1 103 Early Hints\r\nSet-Cookie: early=1\r\n\r\n"
      "HTTP/1.1 200 OK\r\nSet-Cookie: final=2\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
  });
  CookieJar jar;
  std::string origin = "http://127.0.0.1:" + std::to_string(server.port());
  Result<Resource> loaded = LoadResource(PageUrl::Parse(origin + "/page").value(), {}, &jar);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded.value().body, "ok");
  EXPECT_EQ(jar.CookieHeaderFor(CookieUrl{"http", "127.0.0.1", "/"}, CookieTransport::kInsecure,
                                CookieSource::kHttp, std::chrono::system_clock::now()),
            "final=2");
}

TEST(ResourceLoaderTest, RedirectLoopsAndErrorStatusesAreClearErrors) {
  std::vector<std::string> loop(11,
                                "HTTP/1.1 302 Found\r\nLocation: /again\r\nContent-Length: 0\r\n"
                                "Connection: close\r\n\r\n");
  ScriptedHttpServer looping(loop);
  Result<Resource> looped = LoadResource(
      PageUrl::Parse("http://127.0.0.1:" + std::to_string(looping.port()) + "/").value(), {},
      nullptr);
  ASSERT_FALSE(looped.ok());
  EXPECT_NE(looped.error().message.find("more than 10 redirects"), std::string::npos);

  ScriptedHttpServer missing(
      {"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"});
  Result<Resource> not_found = LoadResource(
      PageUrl::Parse("http://127.0.0.1:" + std::to_string(missing.port()) + "/x").value(), {},
      nullptr);
  ASSERT_FALSE(not_found.ok());
  EXPECT_NE(not_found.error().message.find("HTTP status 404"), std::string::npos);
}

// Spec §7: credentials in a URL never reach a console line (the error is what the shell prints).
TEST(ResourceLoaderTest, ErrorsMaskCredentialsInTheUrl) {
  ScriptedHttpServer missing(
      {"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"});
  Result<Resource> not_found = LoadResource(
      PageUrl::Parse("http://alice:secret@127.0.0.1:" + std::to_string(missing.port()) + "/x")
          .value(),
      {}, nullptr);
  ASSERT_FALSE(not_found.ok());
  EXPECT_EQ(not_found.error().message, "cannot load http://<masked>@127.0.0.1:" +
                                           std::to_string(missing.port()) + "/x: HTTP status 404");
}

}  // namespace
}  // namespace switchboard
