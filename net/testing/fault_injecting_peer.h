// FaultInjectingPeer: an in-process TCPConnection server for the fault-injection soak
// (engine/fault_soak_test.cc, issue 13 item 8). Each accepted connection sends a 101 and a
// number of frames in randomly split chunks with random short delays, then ends in one of four
// ways (clean close, reset, half-close, stall then close); it checks the page's request (spec
// §4.1) and every frame the page sends back (one echo per frame received), and records what it
// sent, so the test can hold the page's view against it.
//
// Reproducible: everything a connection does (its frame count, chunk sizes, delays, ending and
// cut offset) is drawn from a PRNG seeded with (seed, connection number), in a fixed order; only
// the interleaving with the kernel and the page varies between runs. The connection number is
// the `c` of the request's path `/soak?c=<c>`; the frames' texts are FrameText(c, index), which
// the page recomputes with kFrameTextScript.
//
// Thread: one thread of its own runs every listener and connection on one epoll set with
// non-blocking sockets (thousands of connections cost one thread); the public methods may be
// called from any thread. Ownership: the test owns the peer; the destructor stops the thread
// and closes every socket (resetting the connections still open). Callbacks: none; the test
// waits with WaitUntilFinished() and then reads Records().
#pragma once

#include <arpa/inet.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace switchboard::testing {

// --- The frames' texts, in C++ and in script --------------------------------------------------

// A 32-bit mix of (connection, index), written so that script computes the same bits with
// Math.imul and >>> (kFrameTextScript).
inline std::uint32_t FrameHash(std::uint32_t connection, std::uint32_t index) {
  std::uint32_t hash = (connection * 0x9e3779b1u) ^ ((index + 0x7f4a7c15u) * 0x85ebca77u);
  hash ^= hash >> 15;
  hash *= 0x2c1b3c6du;
  hash ^= hash >> 12;
  hash *= 0x297a2d39u;
  hash ^= hash >> 15;
  return hash;
}

// Repeated units: ASCII and 2-, 3- and 4-byte UTF-8 (U+1F600 is a surrogate pair in script).
inline constexpr std::string_view kFrameTextUnits[] = {"a",
                                                       "\xc3\xa9",
                                                       "\xe2\x82\xac",
                                                       "\xf0\x9f\x98\x80",
                                                       "xyz",
                                                       "\xce\xa9\xf0\x9f\x98\x80z",
                                                       " ",
                                                       "\xe6\x97\xa5\xe6\x9c\xac"};

// Frame `index` of connection `connection`, as UTF-8: one in 64 is empty, one in 64 is large
// (16 to 64 KiB), the others "<c>/<index>:" + up to 119 units + ".".
inline std::string FrameText(std::uint32_t connection, std::uint32_t index) {
  std::uint32_t hash = FrameHash(connection, index);
  std::uint32_t kind = hash & 63;
  if (kind == 0) return {};
  std::string_view unit = kFrameTextUnits[(hash >> 6) & 7];
  std::uint32_t count =
      kind == 1 ? (16384 + (hash >> 9) % 49000) / static_cast<std::uint32_t>(unit.size())
                : (hash >> 9) % 120;
  std::string text = std::to_string(connection) + "/" + std::to_string(index) + ":";
  text.reserve(text.size() + unit.size() * count + 1);
  for (std::uint32_t k = 0; k < count; ++k) text += unit;
  text += '.';
  return text;
}

// The same function in script: frameText(c, i) returns the text FrameText(c, i) encodes.
inline constexpr char kFrameTextScript[] = R"js(
  const frameTextUnits = ['a', '\u00e9', '\u20ac', '\u{1F600}', 'xyz', '\u03a9\u{1F600}z', ' ',
                          '\u65e5\u672c'];
  const frameTextUnitBytes = [1, 2, 3, 4, 3, 7, 1, 6];
  function frameHash(c, i) {
    let hash = Math.imul(c, 0x9e3779b1) ^ Math.imul((i + 0x7f4a7c15) | 0, 0x85ebca77);
    hash ^= hash >>> 15;
    hash = Math.imul(hash, 0x2c1b3c6d);
    hash ^= hash >>> 12;
    hash = Math.imul(hash, 0x297a2d39);
    hash ^= hash >>> 15;
    return hash >>> 0;
  }
  function frameText(c, i) {
    const hash = frameHash(c, i);
    const kind = hash & 63;
    if (kind === 0) return '';
    const unit = (hash >>> 6) & 7;
    const count = kind === 1
        ? Math.floor((16384 + (hash >>> 9) % 49000) / frameTextUnitBytes[unit])
        : (hash >>> 9) % 120;
    return `${c}/${i}:` + frameTextUnits[unit].repeat(count) + '.';
  }
)js";

// --- The peer -----------------------------------------------------------------------------------

// How a connection ends once it has written its bytes (up to the cut offset).
enum class Ending {
  kClose,      // every frame, then (once every echo is in) close(): FIN
  kHalfClose,  // every frame, then shutdown(SHUT_WR); reads echoes until the page's FIN
  kReset,      // up to a random offset (in the 101, mid-frame, or the end), then RST
  kStall,      // up to a random offset after the 101, a stall of 50-300 ms, then close()
};
inline constexpr int kEndingCount = 4;

inline const char* EndingName(Ending ending) {
  switch (ending) {
    case Ending::kClose:
      return "close";
    case Ending::kHalfClose:
      return "half-close";
    case Ending::kReset:
      return "reset";
    case Ending::kStall:
      return "stall";
  }
  return "?";
}

// What the peer did on one connection, and what it saw of the page.
struct PeerRecord {
  std::uint32_t connection = 0;
  Ending ending = Ending::kClose;
  int frames_planned = 0;        // N
  std::size_t header_bytes = 0;  // the 101's header block
  std::size_t stream_bytes = 0;  // the 101 and all N frames
  std::size_t cut = 0;           // where writing stops (stream_bytes unless reset or stall)
  std::size_t written = 0;       // bytes the kernel took from us
  // Bytes the page's kernel acknowledged before an RST or a close() that may turn into one
  // (written minus SIOCOUTQ just before it); `written` for FIN endings.
  std::size_t acknowledged = 0;
  std::vector<std::size_t> frame_ends;  // the stream offset just past each frame's 0x17
  int frames_written = 0;               // frames wholly within `written`
  int frames_acknowledged = 0;          // frames wholly within `acknowledged`: these must arrive
  bool cut_inside_frame = false;        // the cut splits a frame (reset and stall)
  bool cut_inside_header = false;
  int chunks = 0;                   // sends of the schedule (a short send continues the chunk)
  int splits_inside_character = 0;  // chunk boundaries inside a multi-byte UTF-8 character
  int delays = 0;                   // delays injected between chunks
  int echoes = 0;                   // frames the page sent back that matched, in order
  std::size_t echo_bytes = 0;
  std::string error;  // empty, or what the page did wrong as the peer saw it
};

class FaultInjectingPeer {
 public:
  struct Endpoint {
    std::string host;
    int port = 0;
    std::string HostPort() const { return host + ":" + std::to_string(port); }
  };

  // Listens on 127.0.0.1 … 127.0.0.<addresses>, `ports_per_address` run-time ports each (spec
  // §3.6 lets one connection per host and port handshake at a time). The page's document
  // origin must be origin(), http://<endpoints()[0]> (the peer checks the request's Origin).
  FaultInjectingPeer(std::uint64_t seed, int addresses, int ports_per_address) : seed_(seed) {
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
    wake_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    AddToEpoll(wake_, EPOLLIN, kWakeTag);
    for (int address = 1; address <= addresses; ++address) {
      for (int port = 0; port < ports_per_address; ++port) {
        Listen("127.0.0." + std::to_string(address));
      }
    }
    thread_ = std::thread([this] { Loop(); });
  }
  ~FaultInjectingPeer() {
    stopping_ = true;
    Wake();
    thread_.join();
    for (auto& [id, connection] : connections_) {
      if (connection->state != State::kDone) ResetAndClose(connection->socket);
    }
    for (const Listener& listener : listeners_) close(listener.socket);
    close(wake_);
    close(epoll_);
  }
  FaultInjectingPeer(const FaultInjectingPeer&) = delete;
  FaultInjectingPeer& operator=(const FaultInjectingPeer&) = delete;

  std::uint64_t seed() const { return seed_; }
  const std::vector<Endpoint>& endpoints() const { return endpoints_; }
  std::string origin() const { return "http://" + endpoints_.front().HostPort(); }
  // Grows with every byte moved, connection accepted and timer fired (for a hang watchdog).
  std::uint64_t progress() const { return progress_; }

  // Waits until `count` connections have finished (true), or until nothing has moved for
  // `quiet_limit` (false: something hangs).
  bool WaitUntilFinished(std::size_t count, std::chrono::milliseconds quiet_limit) {
    std::unique_lock lock(mutex_);
    std::uint64_t last_progress = progress_;
    auto quiet_since = Clock::now();
    while (records_.size() < count) {
      finished_changed_.wait_for(lock, std::chrono::milliseconds(100));
      if (progress_ != last_progress) {
        last_progress = progress_;
        quiet_since = Clock::now();
      } else if (Clock::now() - quiet_since > quiet_limit) {
        return false;
      }
    }
    return true;
  }
  // The finished connections, by number.
  std::map<std::uint32_t, PeerRecord> Records() const {
    std::lock_guard lock(mutex_);
    return records_;
  }
  // What went wrong outside any one connection's record (a request that named no connection, a
  // connection number seen twice).
  std::vector<std::string> StrayErrors() const {
    std::lock_guard lock(mutex_);
    return stray_errors_;
  }
  // One line per connection the peer still holds, as its thread sees it ("" if it does not
  // answer within 5 s).
  std::string DescribeUnfinished() {
    std::unique_lock lock(mutex_);
    description_.reset();
    describe_requested_ = true;
    Wake();
    finished_changed_.wait_for(lock, std::chrono::seconds(5),
                               [&] { return description_.has_value(); });
    return description_.value_or("");
  }

 private:
  // A splitmix64 generator: small, fast and the same everywhere.
  class Random {
   public:
    explicit Random(std::uint64_t seed) : state_(seed) {}
    std::uint64_t Next() {
      std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
      return z ^ (z >> 31);
    }
    std::uint64_t Below(std::uint64_t bound) { return Next() % bound; }

   private:
    std::uint64_t state_;
  };

  using Clock = std::chrono::steady_clock;

  // One connection's states; Advance() moves it on.
  enum class State {
    kReadingRequest,
    kWriting,           // the schedule of chunks, up to the cut
    kWaitingForEchoes,  // kClose: every echo before the FIN, so that close() sends no RST
    kHalfClosed,        // kHalfClose: reading until the page's FIN
    kBeforeReset,       // kReset: an optional delay, then the RST
    kStalling,          // kStall: the stall, then close()
    kDone,              // the socket is closed; the entry goes at the end of the loop turn
  };

  static const char* StateName(State state) {
    switch (state) {
      case State::kReadingRequest:
        return "reading the request";
      case State::kWriting:
        return "writing";
      case State::kWaitingForEchoes:
        return "waiting for echoes";
      case State::kHalfClosed:
        return "half-closed, reading";
      case State::kBeforeReset:
        return "about to reset";
      case State::kStalling:
        return "stalling";
      case State::kDone:
        return "done";
    }
    return "?";
  }

  // epoll tags: the wake-up, listeners (index + 1) and connections (ids from kFirstConnection).
  static constexpr std::uint64_t kWakeTag = 0;
  static constexpr std::uint64_t kFirstConnection = std::uint64_t{1} << 32;

  struct Listener {
    int socket = -1;
    Endpoint endpoint;
  };

  struct Connection {
    std::uint64_t id = 0;
    int socket = -1;
    const Endpoint* endpoint = nullptr;
    State state = State::kReadingRequest;
    std::string request;
    PeerRecord record;             // this thread's until Complete() publishes it
    std::optional<Random> random;  // once the request named the connection
    std::string stream;            // the 101 and every frame
    std::size_t chunk_end = 0;     // the end of the chunk being written
    bool write_blocked = false;    // waiting for EPOLLOUT
    std::optional<Clock::time_point> wake_at;
    std::string echo_buffer;
    std::uint32_t interest = EPOLLIN;
  };

  static constexpr std::string_view kResponseHeader =
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: TCPConnection/1.0\r\nConnection: "
      "Upgrade\r\nAccess-Control: allow <*>\r\n\r\n";

  void Listen(const std::string& host) {
    Listener listener;
    listener.socket = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    inet_pton(AF_INET, host.c_str(), &address.sin_addr);
    socklen_t length = sizeof address;
    if (bind(listener.socket, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        listen(listener.socket, SOMAXCONN) != 0 ||
        getsockname(listener.socket, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      close(listener.socket);
      return;
    }
    listener.endpoint = {host, ntohs(address.sin_port)};
    endpoints_.push_back(listener.endpoint);
    listeners_.push_back(std::move(listener));
    AddToEpoll(listeners_.back().socket, EPOLLIN, listeners_.size());
  }

  void Wake() {
    std::uint64_t one = 1;
    [[maybe_unused]] ssize_t written = write(wake_, &one, sizeof one);
  }
  void AddToEpoll(int socket, std::uint32_t events, std::uint64_t tag) {
    epoll_event event{};
    event.events = events;
    event.data.u64 = tag;
    epoll_ctl(epoll_, EPOLL_CTL_ADD, socket, &event);
  }
  void SetInterest(Connection& connection, std::uint32_t interest) {
    if (connection.interest == interest) return;
    connection.interest = interest;
    epoll_event event{};
    event.events = interest;
    event.data.u64 = connection.id;
    epoll_ctl(epoll_, EPOLL_CTL_MOD, connection.socket, &event);
  }
  static void ResetAndClose(int socket) {
    linger abortive{1, 0};
    setsockopt(socket, SOL_SOCKET, SO_LINGER, &abortive, sizeof abortive);
    close(socket);
  }

  void Loop() {
    std::vector<epoll_event> events(256);
    while (!stopping_) {
      int timeout = -1;
      auto now = Clock::now();
      for (auto& [id, connection] : connections_) {
        if (!connection->wake_at) continue;
        auto wait = std::chrono::ceil<std::chrono::milliseconds>(*connection->wake_at - now);
        int milliseconds = static_cast<int>(std::max<std::int64_t>(0, wait.count()));
        timeout = timeout < 0 ? milliseconds : std::min(timeout, milliseconds);
      }
      int count = epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), timeout);
      for (int k = 0; k < count; ++k) {
        std::uint64_t tag = events[k].data.u64;
        if (tag == kWakeTag) {
          std::uint64_t value = 0;
          [[maybe_unused]] ssize_t read_bytes = read(wake_, &value, sizeof value);
          AnswerDescribeRequest();
          continue;
        }
        if (tag < kFirstConnection) {
          AcceptAll(listeners_[tag - 1]);
          continue;
        }
        auto found = connections_.find(tag);
        if (found == connections_.end() || found->second->state == State::kDone) continue;
        Connection& connection = *found->second;
        if (events[k].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) ReadAvailable(connection);
        if (connection.state != State::kDone && (events[k].events & EPOLLOUT)) {
          connection.write_blocked = false;
        }
        Advance(connection);
      }
      now = Clock::now();
      for (auto& [id, connection] : connections_) {
        if (connection->state == State::kDone || !connection->wake_at ||
            *connection->wake_at > now) {
          continue;
        }
        connection->wake_at.reset();
        ++progress_;
        Advance(*connection);
      }
      std::erase_if(connections_,
                    [](const auto& entry) { return entry.second->state == State::kDone; });
    }
  }

  void AnswerDescribeRequest() {
    std::lock_guard lock(mutex_);
    if (!describe_requested_) return;
    describe_requested_ = false;
    std::string lines;
    for (const auto& [id, connection] : connections_) {
      const PeerRecord& record = connection->record;
      lines += "  connection " + std::to_string(record.connection) + " (" +
               EndingName(record.ending) + ", " + StateName(connection->state) + "): wrote " +
               std::to_string(record.written) + " of " + std::to_string(record.cut) + " bytes, " +
               std::to_string(record.echoes) + " echoes of " +
               std::to_string(record.frames_planned) + " frames\n";
    }
    description_ = lines;
    finished_changed_.notify_all();
  }

  void AcceptAll(Listener& listener) {
    while (true) {
      int socket = accept4(listener.socket, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (socket < 0) return;
      ++progress_;
      auto connection = std::make_unique<Connection>();
      connection->id = next_connection_id_++;
      connection->socket = socket;
      connection->endpoint = &listener.endpoint;
      AddToEpoll(socket, EPOLLIN, connection->id);
      connections_[connection->id] = std::move(connection);
    }
  }

  // Reads what the page sent: first the request, then echoes. The page's FIN or RST ends the
  // connection; before our half-close it is an error (the page never closes first).
  void ReadAvailable(Connection& connection) {
    char buffer[64 * 1024];
    while (connection.state != State::kDone) {
      ssize_t count = recv(connection.socket, buffer, sizeof buffer, 0);
      if (count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
      if (count < 0 && errno == EINTR) continue;
      if (count <= 0) {
        if (connection.state == State::kHalfClosed) {
          Finish(connection, Close::kGraceful);
        } else {
          Fail(connection, std::string("the page closed the connection first (") +
                               (count == 0 ? "FIN" : std::strerror(errno)) + ")");
        }
        return;
      }
      ++progress_;
      std::string_view bytes(buffer, static_cast<std::size_t>(count));
      if (connection.state == State::kReadingRequest) {
        connection.request.append(bytes);
        std::size_t end = connection.request.find("\r\n\r\n");
        if (end == std::string::npos) {
          if (connection.request.size() > 16 * 1024) Fail(connection, "an endless request");
          continue;
        }
        connection.echo_buffer = connection.request.substr(end + 4);  // nothing, normally
        connection.request.resize(end + 4);
        if (!Start(connection)) return;
      } else {
        connection.echo_buffer.append(bytes);
      }
      CheckEchoes(connection);
    }
  }

  // The request arrived: check it (spec §4.1, byte for byte) and draw the schedule.
  bool Start(Connection& connection) {
    std::uint32_t number = 0;
    constexpr std::string_view kPrefix = "OPTIONS /soak?c=";
    if (!connection.request.starts_with(kPrefix) ||
        std::sscanf(connection.request.c_str() + kPrefix.size(), "%u", &number) != 1) {
      Fail(connection, "a request that names no connection: '" + connection.request + "'");
      return false;
    }
    if (!numbers_seen_.insert(number).second) {
      Fail(connection, "connection number " + std::to_string(number) + " seen twice");
      return false;
    }
    PeerRecord& record = connection.record;
    record.connection = number;
    std::string expected =
        "OPTIONS /soak?c=" + std::to_string(number) +
        " HTTP/1.1\r\nHost: " + connection.endpoint->HostPort() +
        "\r\nUpgrade: TCPConnection/1.0\r\nConnection: Upgrade\r\nOrigin: " + origin() + "\r\n\r\n";
    if (connection.request != expected) {
      record.error += "the request is not the §4.1 request: '" + connection.request + "'; ";
    }

    // The schedule, always drawn in this order: N, the ending, the cut; then, while writing,
    // each chunk's delay and size; then the ending's delay.
    connection.random.emplace(seed_ + 0x9e3779b97f4a7c15ull * (number + 1ull));
    Random& random = *connection.random;
    random.Next();
    record.frames_planned = static_cast<int>(random.Below(201));
    std::uint64_t ending = random.Below(100);
    record.ending = ending < 35   ? Ending::kClose
                    : ending < 60 ? Ending::kHalfClose
                    : ending < 90 ? Ending::kReset
                                  : Ending::kStall;
    connection.stream = kResponseHeader;
    record.header_bytes = kResponseHeader.size();
    for (int index = 0; index < record.frames_planned; ++index) {
      connection.stream += '\x02';
      connection.stream += FrameText(number, static_cast<std::uint32_t>(index));
      connection.stream += '\x17';
      record.frame_ends.push_back(connection.stream.size());
    }
    record.stream_bytes = connection.stream.size();
    record.cut = record.stream_bytes;
    std::size_t frame_bytes = record.stream_bytes - record.header_bytes;
    if (record.ending == Ending::kReset) {
      std::uint64_t where = random.Below(10);
      if (where == 0) {
        record.cut = random.Below(record.header_bytes);  // no 101: `error`, then `close`
      } else if (where == 1) {
        record.cut = record.stream_bytes;  // right after the last frame
      } else {
        record.cut = record.header_bytes + random.Below(frame_bytes + 1);
      }
    } else if (record.ending == Ending::kStall) {
      record.cut = record.header_bytes + random.Below(frame_bytes + 1);
    }
    record.cut_inside_header = record.cut < record.header_bytes;
    record.cut_inside_frame =
        record.cut > record.header_bytes &&
        !std::binary_search(record.frame_ends.begin(), record.frame_ends.end(), record.cut);
    connection.state = State::kWriting;
    return true;
  }

  // Echo k must be frame k exactly as the peer wrote it (0x02, FrameText(c, k), 0x17).
  void CheckEchoes(Connection& connection) {
    PeerRecord& record = connection.record;
    std::string& buffer = connection.echo_buffer;
    std::size_t start = 0;
    std::string error;
    while (true) {
      std::size_t end = buffer.find('\x17', start);
      if (end == std::string::npos) break;
      std::string_view frame(buffer.data() + start, end + 1 - start);
      start = end + 1;
      auto index = static_cast<std::size_t>(record.echoes);
      if (record.echoes >= record.frames_planned) {
        error = "an echo beyond the " + std::to_string(record.frames_planned) + " frames sent";
        break;
      }
      std::size_t frame_start = index == 0 ? record.header_bytes : record.frame_ends[index - 1];
      std::string_view sent(connection.stream.data() + frame_start,
                            record.frame_ends[index] - frame_start);
      if (frame != sent) {
        error = "echo " + std::to_string(index) + " differs from frame " + std::to_string(index) +
                " (" + std::to_string(frame.size()) + " bytes for " + std::to_string(sent.size()) +
                ")";
        break;
      }
      ++record.echoes;
      record.echo_bytes += frame.size();
    }
    buffer.erase(0, start);
    if (!error.empty()) Fail(connection, error);
  }

  enum class Close { kGraceful, kReset };

  // Moves the connection on as far as it can go now.
  void Advance(Connection& connection) {
    PeerRecord& record = connection.record;
    switch (connection.state) {
      case State::kReadingRequest:
      case State::kHalfClosed:
      case State::kDone:
        return;
      case State::kWriting:
        while (!connection.write_blocked && !connection.wake_at) {
          if (record.written == record.cut) {
            StartEnding(connection);
            return;
          }
          if (record.written == connection.chunk_end) DrawChunk(connection);
          if (connection.wake_at) return;
          ssize_t sent = send(connection.socket, connection.stream.data() + record.written,
                              connection.chunk_end - record.written, MSG_NOSIGNAL);
          if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            connection.write_blocked = true;
            SetInterest(connection, EPOLLIN | EPOLLOUT);
            return;
          }
          if (sent < 0 && errno == EINTR) continue;
          if (sent < 0) {
            Fail(connection, std::string("send failed: ") + std::strerror(errno));
            return;
          }
          ++progress_;
          record.written += static_cast<std::size_t>(sent);
          SetInterest(connection, EPOLLIN);
        }
        return;
      case State::kWaitingForEchoes:
        if (record.echoes == record.frames_planned) Finish(connection, Close::kGraceful);
        return;
      case State::kBeforeReset:
        if (!connection.wake_at) Finish(connection, Close::kReset);
        return;
      case State::kStalling:
        if (!connection.wake_at) Finish(connection, Close::kGraceful);
        return;
    }
  }

  // The next chunk: a delay before one in 8 (up to 3 ms), and a size on one of four scales
  // (up to 8 B, 128 B, 2 KiB or 32 KiB), so that chunks split the 101, frames and UTF-8
  // characters anywhere and the 101 may share a send with the first frames.
  void DrawChunk(Connection& connection) {
    PeerRecord& record = connection.record;
    Random& random = *connection.random;
    std::uint64_t delay = random.Below(8) == 0 ? random.Below(3000) : 0;
    std::uint64_t scale = std::uint64_t{8} << (4 * random.Below(4));
    connection.chunk_end = std::min(record.cut, record.written + 1 + random.Below(scale));
    ++record.chunks;
    if (connection.chunk_end < record.stream_bytes &&
        (static_cast<unsigned char>(connection.stream[connection.chunk_end]) & 0xc0) == 0x80) {
      ++record.splits_inside_character;
    }
    if (delay > 0) {
      ++record.delays;
      connection.wake_at = Clock::now() + std::chrono::microseconds(delay);
    }
  }

  void StartEnding(Connection& connection) {
    PeerRecord& record = connection.record;
    Random& random = *connection.random;
    switch (record.ending) {
      case Ending::kClose:
        connection.state = State::kWaitingForEchoes;
        break;
      case Ending::kHalfClose:
        shutdown(connection.socket, SHUT_WR);  // the FIN follows every byte written
        connection.state = State::kHalfClosed;
        break;
      case Ending::kReset:
        // Half of the resets come right behind the data (much of it not acknowledged yet).
        if (random.Below(2) == 0) {
          connection.wake_at = Clock::now() + std::chrono::microseconds(random.Below(10'000));
        }
        connection.state = State::kBeforeReset;
        break;
      case Ending::kStall:
        connection.wake_at = Clock::now() + std::chrono::milliseconds(50 + random.Below(250));
        connection.state = State::kStalling;
        break;
    }
    Advance(connection);
  }

  // Ends the connection: close() (a FIN; an RST if echoes are unread, which only a stall can
  // leave) or an RST (SO_LINGER 0).
  void Finish(Connection& connection, Close how) {
    PeerRecord& record = connection.record;
    record.acknowledged = record.written;
    if (record.ending == Ending::kReset || record.ending == Ending::kStall) {
      // An RST discards what the page's kernel has not acknowledged (written minus SIOCOUTQ).
      int unacknowledged = 0;
      if (ioctl(connection.socket, SIOCOUTQ, &unacknowledged) == 0) {
        record.acknowledged -= static_cast<std::size_t>(unacknowledged);
      }
    }
    if (how == Close::kReset) {
      ResetAndClose(connection.socket);
    } else {
      close(connection.socket);
    }
    Complete(connection);
  }

  void Fail(Connection& connection, const std::string& error) {
    ResetAndClose(connection.socket);
    if (!connection.random) {  // the request named no connection (or a used one)
      connection.state = State::kDone;
      std::lock_guard lock(mutex_);
      stray_errors_.push_back(error);
      return;
    }
    connection.record.error += error + "; ";
    connection.record.acknowledged = 0;
    Complete(connection);
  }

  // Publishes the record.
  void Complete(Connection& connection) {
    ++progress_;
    connection.state = State::kDone;
    connection.wake_at.reset();
    PeerRecord& record = connection.record;
    auto frames_within = [&](std::size_t bytes) {
      return static_cast<int>(
          std::upper_bound(record.frame_ends.begin(), record.frame_ends.end(), bytes) -
          record.frame_ends.begin());
    };
    record.frames_written = frames_within(record.written);
    record.frames_acknowledged = frames_within(record.acknowledged);
    std::lock_guard lock(mutex_);
    records_[record.connection] = std::move(record);
    finished_changed_.notify_all();
  }

  const std::uint64_t seed_;
  int epoll_ = -1;
  int wake_ = -1;
  std::vector<Listener> listeners_;  // fixed once the constructor returns
  std::vector<Endpoint> endpoints_;
  std::atomic<bool> stopping_ = false;
  std::atomic<std::uint64_t> progress_ = 0;

  // The peer thread's.
  std::map<std::uint64_t, std::unique_ptr<Connection>> connections_;  // by epoll tag
  std::uint64_t next_connection_id_ = kFirstConnection;
  std::set<std::uint32_t> numbers_seen_;

  mutable std::mutex mutex_;  // guards what follows, shared with the test's thread
  std::condition_variable finished_changed_;
  std::map<std::uint32_t, PeerRecord> records_;  // finished connections
  std::vector<std::string> stray_errors_;
  bool describe_requested_ = false;
  std::optional<std::string> description_;

  std::thread thread_;
};

}  // namespace switchboard::testing
