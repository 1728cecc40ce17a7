// NetLogFollower: waits for events of a net log as the network stack writes it.
#pragma once

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace switchboard::testing {

// Reads a net log (net/net_log.md) while the IO thread writes it, for tests that must wait for
// what the network stack did rather than for time. Only complete lines count: per-frame events
// are written without flushing, so the file may end in half a line. It sleeps until the log's
// directory changes (inotify, watched from construction on, so no write is missed).
//
// Thread: any one thread; the writer may be another thread or process.
class NetLogFollower {
 public:
  explicit NetLogFollower(std::string path) : path_(std::move(path)) {
    inotify_ = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    std::string directory = path_.substr(0, path_.rfind('/') + 1);
    if (directory.empty()) directory = ".";
    EXPECT_GE(inotify_add_watch(inotify_, directory.c_str(), IN_CREATE | IN_MODIFY), 0)
        << directory;
  }
  ~NetLogFollower() { close(inotify_); }
  NetLogFollower(const NetLogFollower&) = delete;
  NetLogFollower& operator=(const NetLogFollower&) = delete;

  // Waits until a line of connection `connection` has event `type`, and returns it. The bound
  // only guards against a hang (the condition normally holds within a second): on it, the test
  // fails and "" is returned.
  std::string WaitForEvent(std::uint64_t connection, std::string_view type) {
    const std::string needle =
        "\"connection\":" + std::to_string(connection) + ",\"type\":\"" + std::string(type) + "\"";
    return WaitForLine(
        [&](const std::string& line) { return line.find(needle) != std::string::npos; });
  }
  // Waits for the connection_start line of `url` and returns that connection's id (0 on the
  // hang guard).
  std::uint64_t WaitForConnectionTo(const std::string& url) {
    std::string line = WaitForLine([&](const std::string& candidate) {
      return candidate.find("\"type\":\"connection_start\"") != std::string::npos &&
             candidate.find("\"url\":\"" + url + "\"") != std::string::npos;
    });
    std::uint64_t id = 0;
    std::size_t at = line.find("\"connection\":");
    if (at != std::string::npos) id = std::stoull(line.substr(at + 13));
    return id;
  }
  // The whole number that follows `"key":` in `line` (0 when there is none).
  static std::uint64_t Parameter(const std::string& line, const std::string& key) {
    std::size_t at = line.find("\"" + key + "\":");
    return at == std::string::npos ? 0 : std::stoull(line.substr(at + key.size() + 3));
  }

 private:
  static constexpr std::chrono::seconds kHangGuard{40};

  template <typename Matches>
  std::string WaitForLine(Matches matches) {
    const auto give_up = std::chrono::steady_clock::now() + kHangGuard;
    std::size_t next = 0;  // the first line not yet looked at
    while (true) {
      ReadMore();
      for (std::size_t end; (end = text_.find('\n', next)) != std::string::npos; next = end + 1) {
        std::string line = text_.substr(next, end - next);
        if (matches(line)) return line;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          give_up - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        ADD_FAILURE() << "the net log " << path_ << " did not show the awaited event within "
                      << kHangGuard.count() << " s; it holds:\n"
                      << text_.substr(0, 4096);
        return {};
      }
      // Until the directory changes: the log is written (or created) again.
      pollfd changed{inotify_, POLLIN, 0};
      if (poll(&changed, 1, static_cast<int>(left.count())) > 0) {
        char events[4096];
        while (read(inotify_, events, sizeof events) > 0) {
        }
      }
    }
  }
  void ReadMore() {
    std::FILE* file = std::fopen(path_.c_str(), "r");
    if (!file) return;  // not created yet: the page opens it with its first connection
    std::fseek(file, static_cast<long>(text_.size()), SEEK_SET);
    char chunk[65536];
    std::size_t count = 0;
    while ((count = std::fread(chunk, 1, sizeof chunk, file)) > 0) text_.append(chunk, count);
    std::fclose(file);
  }

  std::string path_;
  int inotify_ = -1;
  std::string text_;  // what has been read so far
};

}  // namespace switchboard::testing
