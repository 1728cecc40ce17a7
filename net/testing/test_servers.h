// Peers and process figures for tests that drive real connections over real sockets (net/'s
// and engine/'s):
// the reference server as a child process, a test PKI, a scripted raw TCP listener for peers
// the reference server cannot play (it never answers, it is a proxy, it is not TLS), and the
// process's file descriptors and resident memory.
//
// Thread: ReferenceServer and TestCertificates on the test's thread. ScriptedListener accepts
// on a thread of its own and runs its script on one thread per accepted connection; its
// destructor stops and joins them all. Everything binds 127.0.0.1 on run-time ports and stops
// by itself when the test ends (a server also dies with the test process: PR_SET_PDEATHSIG).
//
// The including target defines SWITCHBOARD_SERVER_PATH and, to serve files,
// SWITCHBOARD_SERVER_ROOT.
#pragma once

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace switchboard::testing {

inline int CountOpenFileDescriptors() {
  int count = 0;
  DIR* directory = opendir("/proc/self/fd");
  while (dirent* entry = readdir(directory)) {
    if (entry->d_name[0] != '.') ++count;
  }
  closedir(directory);
  return count - 1;  // the directory's own descriptor
}

// The process's resident set (VmRSS), in bytes.
inline std::size_t ResidentSetBytes() {
  long pages = 0;
  long resident = 0;
  if (FILE* statm = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(statm, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(statm);
  }
  return static_cast<std::size_t>(resident) * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

constexpr double kMiB = 1024.0 * 1024.0;

// Sanitizers keep freed memory in quarantine and add shadow memory: bounds on resident memory
// only hold in a plain build. Tests still print their figures under a sanitizer.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kResidentMemoryIsMeaningful = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
inline constexpr bool kResidentMemoryIsMeaningful = false;
#else
inline constexpr bool kResidentMemoryIsMeaningful = true;
#endif
#else
inline constexpr bool kResidentMemoryIsMeaningful = true;
#endif

// Samples ResidentSetBytes() every 2 ms on a thread of its own, so that a peak between two
// looks of the test is seen too. Peak() is the highest sample since construction.
class ResidentSetSampler {
 public:
  ResidentSetSampler() : sampler_([this] { Sample(); }) {}
  ~ResidentSetSampler() {
    stopping_ = true;
    sampler_.join();
  }
  ResidentSetSampler(const ResidentSetSampler&) = delete;
  ResidentSetSampler& operator=(const ResidentSetSampler&) = delete;

  std::size_t Peak() const { return std::max<std::size_t>(peak_, ResidentSetBytes()); }

 private:
  void Sample() {
    while (!stopping_) {
      std::size_t now = ResidentSetBytes();
      std::size_t peak = peak_;
      while (now > peak && !peak_.compare_exchange_weak(peak, now)) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }

  std::atomic<std::size_t> peak_ = ResidentSetBytes();
  std::atomic<bool> stopping_ = false;
  std::thread sampler_;
};

#ifdef SWITCHBOARD_SERVER_PATH
// The reference server as a child process; it stops when its stdin (our pipe) closes.
class ReferenceServer {
 public:
  explicit ReferenceServer(std::vector<std::string> extra_arguments = {}) {
    int to_child[2];
    int from_child[2];
    EXPECT_EQ(pipe(to_child), 0);
    EXPECT_EQ(pipe(from_child), 0);
    pid_ = fork();
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      dup2(to_child[0], 0);
      dup2(from_child[1], 1);
      close(to_child[1]);
      close(from_child[0]);
      std::vector<std::string> arguments = {
          SWITCHBOARD_SERVER_PATH,   "--port", "0", "--address", "127.0.0.1",
          "--exit-when-stdin-closes"};
#ifdef SWITCHBOARD_SERVER_ROOT
      arguments.insert(arguments.end(), {"--root", SWITCHBOARD_SERVER_ROOT});
#endif
      arguments.insert(arguments.end(), extra_arguments.begin(), extra_arguments.end());
      std::vector<char*> argv;
      for (std::string& argument : arguments) argv.push_back(argument.data());
      argv.push_back(nullptr);
      execv(SWITCHBOARD_SERVER_PATH, argv.data());
      _exit(127);
    }
    close(to_child[0]);
    close(from_child[1]);
    stdin_ = to_child[1];
    FILE* output = fdopen(from_child[0], "r");
    char line[256];
    while (fgets(line, sizeof line, output)) {
      int parsed_port = 0;
      if (std::sscanf(line, "listening http 127.0.0.1 %d", &parsed_port) == 1) port_ = parsed_port;
      if (std::sscanf(line, "listening https 127.0.0.1 %d", &parsed_port) == 1) {
        tls_port_ = parsed_port;
      }
      if (std::string(line).starts_with("ready")) break;
    }
    fclose(output);
  }
  ~ReferenceServer() {
    close(stdin_);
    waitpid(pid_, nullptr, 0);
  }
  ReferenceServer(const ReferenceServer&) = delete;
  ReferenceServer& operator=(const ReferenceServer&) = delete;
  int port() const { return port_; }
  int tls_port() const { return tls_port_; }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int stdin_ = -1;
  int port_ = 0;
  int tls_port_ = 0;
};
#endif  // SWITCHBOARD_SERVER_PATH

// A loopback TCP port with nothing listening on it (as far as one can know).
inline int RefusedPort() {
  int probe = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  EXPECT_EQ(bind(probe, reinterpret_cast<sockaddr*>(&address), length), 0);
  EXPECT_EQ(getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length), 0);
  close(probe);
  return ntohs(address.sin_port);
}

// A real forward proxy for tests: tinyproxy (Debian's, which scripts/bootstrap.sh installs, as
// the web tests use it) on a loopback port chosen at run time, with Basic credentials
// `switchboard:proxy-secret` and CONNECT allowed to `connect_ports` only. It runs in the
// foreground as a child that dies with the test process, and is killed by the destructor. It is
// ready when its log says it accepts connections; a thread drains the log from then on.
class Tinyproxy {
 public:
  explicit Tinyproxy(const std::vector<int>& connect_ports) {
    char pattern[] = "/tmp/switchboard-tinyproxy-XXXXXX";
    directory_ = mkdtemp(pattern);
    // A port that was free a moment ago; if it is taken meanwhile tinyproxy exits: try another.
    for (int attempt = 0; attempt < 5 && port_ == 0; ++attempt) {
      int port = RefusedPort();
      std::string config = directory_ + "/tinyproxy.conf";
      if (std::FILE* file = std::fopen(config.c_str(), "w")) {
        std::fprintf(file,
                     "Port %d\nListen 127.0.0.1\nTimeout 600\nMaxClients 200\nLogLevel Info\n"
                     "Allow 127.0.0.1\nDisableViaHeader Yes\nBasicAuth switchboard proxy-secret\n",
                     port);
        for (int connect_port : connect_ports) std::fprintf(file, "ConnectPort %d\n", connect_port);
        std::fclose(file);
      }
      int from_child[2];
      if (pipe(from_child) != 0) break;
      pid_ = fork();
      if (pid_ == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        dup2(from_child[1], 1);
        dup2(from_child[1], 2);
        close(from_child[0]);
        close(from_child[1]);
        for (const char* binary : {"/usr/bin/tinyproxy", "/usr/sbin/tinyproxy"}) {
          execl(binary, binary, "-d", "-c", config.c_str(), static_cast<char*>(nullptr));
        }
        _exit(127);
      }
      close(from_child[1]);
      log_ = fdopen(from_child[0], "r");
      char line[1024];
      while (std::fgets(line, sizeof line, log_)) {
        if (std::strstr(line, "Accepting connections")) {
          port_ = port;
          break;
        }
      }
      if (port_ != 0) break;
      // The log ended first: tinyproxy exited (the port was taken, or no binary).
      std::fclose(log_);
      log_ = nullptr;
      waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
    if (log_) {
      drain_ = std::thread([log = log_] {
        char line[1024];
        while (std::fgets(line, sizeof line, log)) {
        }
      });
    }
  }
  ~Tinyproxy() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (drain_.joinable()) drain_.join();  // the log ends with the process
    if (log_) std::fclose(log_);
    if (std::system(("rm -rf " + directory_).c_str()) != 0) {
      std::fprintf(stderr, "could not remove %s\n", directory_.c_str());
    }
  }
  Tinyproxy(const Tinyproxy&) = delete;
  Tinyproxy& operator=(const Tinyproxy&) = delete;

  // 0 when tinyproxy did not start.
  int port() const { return port_; }
  std::string Url() const {
    return "http://switchboard:proxy-secret@127.0.0.1:" + std::to_string(port_);
  }

 private:
  std::string directory_;
  pid_t pid_ = -1;
  int port_ = 0;
  std::FILE* log_ = nullptr;
  std::thread drain_;
};

// A test CA and certificates made with the openssl CLI in a fresh directory: `server` for
// 127.0.0.1/localhost/*.example.test, `wrong-host` for other.invalid only.
class TestCertificates {
 public:
  TestCertificates() {
    char pattern[] = "/tmp/switchboard-tls-XXXXXX";
    directory_ = mkdtemp(pattern);
    Run("openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 "
        "-subj '/CN=Switchboard Test CA'");
    Issue("server", "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:*.example.test");
    Issue("wrong-host", "subjectAltName=DNS:other.invalid");
  }
  ~TestCertificates() { Run("rm -rf " + directory_); }
  TestCertificates(const TestCertificates&) = delete;
  TestCertificates& operator=(const TestCertificates&) = delete;
  std::string Path(const std::string& name) const { return directory_ + "/" + name; }

 private:
  void Run(const std::string& command) {
    std::string full = "cd " + directory_ + " && (" + command + ") >/dev/null 2>&1";
    ASSERT_EQ(std::system(full.c_str()), 0) << full;
  }
  void Issue(const std::string& name, const std::string& extension) {
    Run("printf '" + extension + "\\n' > " + name +
        ".ext && openssl req -newkey rsa:2048 -nodes "
        "-keyout " +
        name + ".key -out " + name + ".csr -subj /CN=" + name + " && openssl x509 -req -in " +
        name +
        ".csr -CA ca.pem -CAkey ca.key -CAcreateserial "
        "-out " +
        name + ".pem -days 2 -extfile " + name + ".ext");
  }
  std::string directory_;
};

// A raw TCP listener on 127.0.0.1 that runs `script(socket)` for each accepted connection, on a
// thread of its own; the listener closes the socket when the script returns. Scripts wait with
// the helpers below, which give up once the listener is stopping, so nothing outlives it.
class ScriptedListener {
 public:
  using Script = std::function<void(ScriptedListener& listener, int socket)>;

  explicit ScriptedListener(Script script) : script_(std::move(script)) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = 0;
    inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    socklen_t length = sizeof address;
    EXPECT_EQ(bind(listener_, reinterpret_cast<sockaddr*>(&address), length), 0);
    EXPECT_EQ(listen(listener_, 64), 0);
    EXPECT_EQ(getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length), 0);
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { AcceptLoop(); });
  }
  ~ScriptedListener() {
    stopping_ = true;
    acceptor_.join();
    close(listener_);
    std::lock_guard lock(mutex_);
    for (std::thread& connection : connections_) connection.join();
  }
  ScriptedListener(const ScriptedListener&) = delete;
  ScriptedListener& operator=(const ScriptedListener&) = delete;

  int port() const { return port_; }
  int accepted() const { return accepted_; }
  bool stopping() const { return stopping_; }

  // Reads until `marker` has arrived (returns everything read) or the peer closed ("").
  std::string ReadUntil(int socket, std::string_view marker) {
    std::string received;
    while (received.find(marker) == std::string::npos) {
      if (!WaitReadable(socket)) return {};
      char chunk[4096];
      ssize_t count = recv(socket, chunk, sizeof chunk, 0);
      if (count <= 0) return {};
      received.append(chunk, static_cast<std::size_t>(count));
    }
    return received;
  }
  // Reads and drops everything until the peer closes or the listener stops; never writes.
  void DrainUntilClosed(int socket) {
    while (WaitReadable(socket)) {
      char chunk[4096];
      if (recv(socket, chunk, sizeof chunk, 0) <= 0) return;
    }
  }
  // Reads what has arrived (at least a byte, waiting for it); "" once the peer closed.
  std::string ReadSome(int socket) {
    if (!WaitReadable(socket)) return {};
    char chunk[4096];
    ssize_t count = recv(socket, chunk, sizeof chunk, 0);
    return count > 0 ? std::string(chunk, static_cast<std::size_t>(count)) : std::string();
  }
  // Sends a FIN: the peer reads the end of the stream, and may still send.
  static void ShutdownWrite(int socket) { shutdown(socket, SHUT_WR); }
  static void WriteAll(int socket, std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t sent = send(socket, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (sent <= 0) return;
      bytes.remove_prefix(static_cast<std::size_t>(sent));
    }
  }

 private:
  // False once the listener is stopping.
  bool WaitReadable(int socket) {
    while (!stopping_) {
      pollfd poll_fd{socket, POLLIN, 0};
      if (poll(&poll_fd, 1, 20) > 0) return true;
    }
    return false;
  }
  void AcceptLoop() {
    while (!stopping_) {
      pollfd poll_fd{listener_, POLLIN, 0};
      if (poll(&poll_fd, 1, 20) <= 0) continue;
      int connection = accept(listener_, nullptr, nullptr);
      if (connection < 0) continue;
      ++accepted_;
      std::lock_guard lock(mutex_);
      connections_.emplace_back([this, connection] {
        script_(*this, connection);
        close(connection);
      });
    }
  }

  Script script_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_ = false;
  std::atomic<int> accepted_ = 0;
  std::thread acceptor_;
  std::mutex mutex_;
  std::vector<std::thread> connections_;
};

}  // namespace switchboard::testing
