// testing::ScriptedHttpServer: a loopback HTTP/1.1 server for load tests that answers each
// connection with the next of a fixed list of responses ("PORT" in a response reads as its
// own port), records the request heads, and can hold a response back until the test releases
// it — so that a test can prove the page's event loop runs while a load is in flight.
//
// Thread: its own accept thread; the public methods may be called from any thread.
#pragma once

#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "net/testing/loopback_listener.h"

namespace switchboard::testing {

class ScriptedHttpServer {
 public:
  // `held`: the index of a response that waits for Release() before it is sent.
  explicit ScriptedHttpServer(std::vector<std::string> responses,
                              std::optional<std::size_t> held = std::nullopt)
      : responses_(std::move(responses)), held_(held) {
    LoopbackListener listener = ListenOnLoopback(8);
    listener_ = listener.socket;
    port_ = listener.port;
    thread_ = std::thread([this] { Serve(); });
  }
  ~ScriptedHttpServer() {
    Release();
    shutdown(listener_, SHUT_RDWR);
    close(listener_);
    thread_.join();
  }
  ScriptedHttpServer(const ScriptedHttpServer&) = delete;
  ScriptedHttpServer& operator=(const ScriptedHttpServer&) = delete;

  int port() const { return port_; }
  std::string origin() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // Lets the held response go.
  void Release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }
  // Waits until request `index` has arrived.
  void WaitForRequest(std::size_t index) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return requests_.size() > index; });
  }
  // The request head of request `index` ("<no request>" when there was none).
  std::string Request(std::size_t index) {
    std::lock_guard lock(mutex_);
    return index < requests_.size() ? requests_[index] : "<no request>";
  }
  // The Cookie header line of request `index` ("" when none).
  std::string CookieLine(std::size_t index) {
    std::string request = Request(index);
    std::size_t start = request.find("\r\nCookie: ");
    if (start == std::string::npos) return request == "<no request>" ? request : "";
    return request.substr(start + 2, request.find("\r\n", start + 2) - start - 2);
  }

 private:
  void Serve() {
    for (std::size_t index = 0; index < responses_.size(); ++index) {
      int client = accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0) return;
      std::string request;
      char byte;
      while (request.find("\r\n\r\n") == std::string::npos && read(client, &byte, 1) == 1) {
        request += byte;
      }
      {
        std::unique_lock lock(mutex_);
        requests_.push_back(request);
        changed_.notify_all();
        if (held_ == index) changed_.wait(lock, [&] { return released_; });
      }
      std::string bytes = responses_[index];
      for (std::size_t at; (at = bytes.find("PORT")) != std::string::npos;) {
        bytes.replace(at, 4, std::to_string(port_));
      }
      for (std::size_t sent = 0; sent < bytes.size();) {
        ssize_t count = send(client, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (count <= 0) break;
        sent += static_cast<std::size_t>(count);
      }
      close(client);
    }
  }

  std::vector<std::string> responses_;
  std::optional<std::size_t> held_;
  int listener_ = -1;
  int port_ = 0;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool released_ = false;
  std::vector<std::string> requests_;
  std::thread thread_;
};

}  // namespace switchboard::testing
