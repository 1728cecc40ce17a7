// HostResolver against a real DNS server: dnsmasq from Debian, started on a run-time port
// with test names, and killed with the test (spec §3.2).
#include "net/host_resolver.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <future>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace switchboard {
namespace {

// A free port for both UDP and TCP on 127.0.0.1, as far as one can know before binding it.
int PickPort() {
  int udp = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(udp, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  getsockname(udp, reinterpret_cast<sockaddr*>(&address), &length);
  close(udp);
  return ntohs(address.sin_port);
}

class Dnsmasq {
 public:
  // Another process may take the picked port before dnsmasq binds it: then try another one.
  Dnsmasq() {
    for (int attempt = 0; attempt < 5 && !listening_; ++attempt) {
      Start(PickPort());
      listening_ = WaitUntilListening();
      if (!listening_) Stop();
    }
  }
  ~Dnsmasq() { Stop(); }
  bool listening() const { return listening_; }
  std::string server() const { return "127.0.0.1:" + std::to_string(port_); }
  void Stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

 private:
  void Start(int port) {
    port_ = port;
    std::vector<std::string> arguments = {
        "dnsmasq",
        "--keep-in-foreground",
        "--conf-file=/dev/null",
        "--no-resolv",
        "--no-hosts",
        "--bind-interfaces",
        "--listen-address=127.0.0.1",
        "--port=" + std::to_string(port_),
        "--user=root",  // stay root: dropping privileges clears PR_SET_PDEATHSIG
        "--pid-file=",
        "--local=/test/",
        "--local-ttl=60",
        "--address=/www.example.test/127.0.0.1",
        "--host-record=v6.example.test,::1",
        "--host-record=both.example.test,127.0.0.2,::2"};
    pid_ = fork();
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the test
      std::vector<char*> argv;
      for (auto& argument : arguments) argv.push_back(argument.data());
      argv.push_back(nullptr);
      execvp("dnsmasq", argv.data());
      execv("/usr/sbin/dnsmasq", argv.data());
      _exit(127);
    }
  }
  // dnsmasq answers on TCP too; a successful connect means it is up. It exits at once when it
  // cannot bind its port.
  bool WaitUntilListening() {
    for (int attempt = 0; attempt < 200; ++attempt) {
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
      }
      int probe = socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      address.sin_port = htons(static_cast<uint16_t>(port_));
      bool connected = connect(probe, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
      close(probe);
      if (connected) return true;
      usleep(10'000);
    }
    return false;
  }
  int port_ = 0;
  pid_t pid_ = -1;
  bool listening_ = false;
};

class HostResolverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dns_.listening()) << "dnsmasq did not start";
    io_ = std::make_unique<IoThread>();
    OnIo([&] {
      auto created = HostResolver::Create(*io_, {dns_.server()});
      ASSERT_TRUE(created.ok()) << created.error().message;
      resolver_ = std::move(created.value());
    });
  }
  void TearDown() override {
    if (!io_) return;  // SetUp failed before starting it
    OnIo([&] { resolver_.reset(); });
    io_.reset();  // asserts that no libuv handle was left behind
  }

  template <typename F>
  void OnIo(F&& work) {
    std::promise<void> done;
    io_->PostTask([&] {
      work();
      done.set_value();
    });
    done.get_future().wait();
  }

  Result<HostResolver::Addresses> Resolve(const std::string& host) {
    std::promise<Result<HostResolver::Addresses>> answer;
    bool synchronous = true;
    OnIo([&] {
      resolver_->Resolve(host, [&](Result<HostResolver::Addresses> result) {
        EXPECT_FALSE(synchronous) << "callback ran inside Resolve()";
        answer.set_value(std::move(result));
      });
      synchronous = false;
    });
    return answer.get_future().get();
  }

  Dnsmasq dns_;
  std::unique_ptr<IoThread> io_;
  std::unique_ptr<HostResolver> resolver_;
};

using Addresses = HostResolver::Addresses;

TEST_F(HostResolverTest, ResolvesTestNamesThroughTheRealServer) {
  auto www = Resolve("WWW.Example.TEST");
  ASSERT_TRUE(www.ok()) << www.error().message;
  EXPECT_EQ(www.value(), (Addresses{{AF_INET, "127.0.0.1"}}));

  auto v6 = Resolve("v6.example.test");
  ASSERT_TRUE(v6.ok()) << v6.error().message;
  EXPECT_EQ(v6.value(), (Addresses{{AF_INET6, "::1"}}));

  auto both = Resolve("both.example.test");
  ASSERT_TRUE(both.ok()) << both.error().message;
  EXPECT_EQ(both.value().size(), 2u);
}

TEST_F(HostResolverTest, UnknownNameFailsAtStageDns) {
  auto missing = Resolve("missing.example.test");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().stage, Stage::kDns);
  EXPECT_NE(missing.error().message.find("missing.example.test"), std::string::npos);
}

TEST_F(HostResolverTest, IpLiteralsNeedNoServerAndAnswersAreCachedForTheirTtl) {
  ASSERT_TRUE(Resolve("www.example.test").ok());
  dns_.Stop();
  auto cached = Resolve("www.example.test");
  ASSERT_TRUE(cached.ok()) << cached.error().message;
  EXPECT_EQ(cached.value(), (Addresses{{AF_INET, "127.0.0.1"}}));
  EXPECT_EQ(Resolve("192.0.2.7").value(), (Addresses{{AF_INET, "192.0.2.7"}}));
  EXPECT_EQ(Resolve("[2001:db8::1]").value(), (Addresses{{AF_INET6, "2001:db8::1"}}));
}

TEST_F(HostResolverTest, CancelledRequestsNeverCallBackAndShutdownLeavesNoHandles) {
  std::atomic<int> callbacks = 0;
  OnIo([&] {
    HostResolver::RequestId first =
        resolver_->Resolve("www.example.test", [&](auto) { ++callbacks; });
    resolver_->Cancel(first);
    resolver_->Resolve("both.example.test", [&](auto) { ++callbacks; });
    resolver_->Shutdown();  // with a query in flight
  });
  OnIo([] {});
  EXPECT_EQ(callbacks, 0);
  OnIo([&] {
    EXPECT_EQ(io_->CountOpenHandles(), 1); /* the IO thread's own task queue */
  });
}

}  // namespace
}  // namespace switchboard
