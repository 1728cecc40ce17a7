// The handler tables: every endpoint the web tests can open a TCPConnection (or a WebSocket)
// to. web_tests/README.md lists the exact bytes each one sends; keep the two in step.
#include <time.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "web_tests/servers/reference/handler.h"
#include "web_tests/servers/reference/latency_histogram.h"
#include "web_tests/servers/reference/websocket.h"

namespace switchboard::reference_server {

void Handler::OnData(std::string_view bytes) { (void)bytes; }

void Handler::OnPeerClosed() { channel_.CloseAfterWrites(); }

std::string TcpConnectionSwitchingProtocols(std::string_view extra_header_lines) {
  std::string response =
      "HTTP/1.1 101 Switching Protocols\r\n"
      "Upgrade: TCPConnection/1.0\r\n"
      "Connection: Upgrade\r\n";
  response.append(extra_header_lines);
  response.append("\r\n");
  return response;
}

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 101:
      return "Switching Protocols";
    case 200:
      return "OK";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 407:
      return "Proxy Authentication Required";
    case 413:
      return "Content Too Large";
    case 426:
      return "Upgrade Required";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Status";
  }
}

std::string HttpResponse(int status, std::string_view header_lines, std::string_view body,
                         bool head_only) {
  std::string response = "HTTP/1.1 " + std::to_string(status) + " ";
  response.append(ReasonPhrase(status));
  response.append("\r\n");
  response.append(header_lines);
  response.append("Content-Length: " + std::to_string(body.size()) + "\r\n\r\n");
  if (!head_only) response.append(body);
  return response;
}

namespace {

constexpr char kStartOfText = '\x02';
constexpr char kEndOfTransmissionBlock = '\x17';
constexpr std::size_t kMaxBufferedFrame = std::size_t{64} << 20;
constexpr std::size_t kPushBatchBytes = 256 * 1024;

std::string Frame(std::string_view payload) {
  std::string frame;
  frame.reserve(payload.size() + 2);
  frame.push_back(kStartOfText);
  frame.append(payload);
  frame.push_back(kEndOfTransmissionBlock);
  return frame;
}

// A header value taken from the query must not smuggle in more header lines.
bool IsSafeHeaderValue(std::string_view value) {
  return std::none_of(value.begin(), value.end(),
                      [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

std::optional<std::string> DecodeHex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string bytes;
  for (std::size_t index = 0; index < hex.size(); index += 2) {
    const auto digit = [](char c) {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    const int high = digit(hex[index]);
    const int low = digit(hex[index + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    bytes.push_back(static_cast<char>(high * 16 + low));
  }
  return bytes;
}

// Splits the received byte stream after each 0x17 (spec §6 "buffer bytes up to each 0x17").
class FrameSplitter {
 public:
  // Appends bytes and moves every complete frame (0x17 included) into `frames`. False when an
  // unterminated frame grew beyond kMaxBufferedFrame.
  bool Append(std::string_view bytes, std::vector<std::string>& frames) {
    buffer_.append(bytes);
    std::size_t frame_start = 0;
    for (std::size_t end = buffer_.find(kEndOfTransmissionBlock, scanned_);
         end != std::string::npos; end = buffer_.find(kEndOfTransmissionBlock, end + 1)) {
      frames.push_back(buffer_.substr(frame_start, end + 1 - frame_start));
      frame_start = end + 1;
    }
    buffer_.erase(0, frame_start);
    scanned_ = buffer_.size();
    return buffer_.size() <= kMaxBufferedFrame;
  }

 private:
  std::string buffer_;
  std::size_t scanned_ = 0;  // buffer_ holds no 0x17 before this offset
};

// ?rtt=TAG on /echo and /ws-echo (bench/run's ping-pong latency): for every message after the
// first, the CLOCK_MONOTONIC time from just before the previous echo was handed to write() to
// the moment this message was complete here. With one message in flight that is the whole
// round trip but for the server's own parsing: the loopback write to the client (a loopback
// write() delivers inline, and may wake and run the client before it returns, so the clock is
// read before it), the client's wake-up, read, script and send, the loopback back and this
// server's wake-up and read. When the connection ends, one line on stdout:
// RTT-STATS {"tag":TAG,"count":N,"p50_ns":…,…} (TAG keeps only [A-Za-z0-9_-]). Without ?rtt
// nothing is measured or allocated.
class RoundTripRecorder {
 public:
  explicit RoundTripRecorder(const QueryParameters& query) {
    if (!query.Has("rtt")) return;
    for (char c : query.Get("rtt")) {
      const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '-';
      tag_.push_back(safe ? c : '_');
    }
    histogram_ = std::make_unique<LatencyHistogram>();
  }
  ~RoundTripRecorder() {
    if (!histogram_) return;
    std::string json = histogram_->ToJson();
    std::printf("RTT-STATS {\"tag\":\"%s\",%s\n", tag_.c_str(), json.c_str() + 1);
    std::fflush(stdout);
  }
  RoundTripRecorder(const RoundTripRecorder&) = delete;
  RoundTripRecorder& operator=(const RoundTripRecorder&) = delete;

  // A whole message arrived.
  void MessageReceived() {
    if (histogram_ && last_written_ != 0) histogram_->Record(Now() - last_written_);
  }
  // Notes the time, then writes an echo.
  void Echo(HandlerChannel& channel, std::string bytes) {
    if (histogram_) last_written_ = Now();
    channel.Write(std::move(bytes));
  }

 private:
  static std::uint64_t Now() {
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return static_cast<std::uint64_t>(now.tv_sec) * 1'000'000'000 +
           static_cast<std::uint64_t>(now.tv_nsec);
  }

  std::string tag_;
  std::unique_ptr<LatencyHistogram> histogram_;
  std::uint64_t last_written_ = 0;  // just before the last echo's write; 0: none yet
};

// /echo: 101, then every complete frame (the bytes from after the previous 0x17 through the
// next 0x17) is written back unchanged as one write. ?close-after=N closes after N frames.
class EchoHandler : public Handler {
 public:
  EchoHandler(HandlerChannel& channel, const QueryParameters& query)
      : Handler(channel),
        close_after_(query.GetInteger("close-after", 0, 0, 1LL << 40)),
        round_trips_(query) {}

  void Start(const HttpRequest& request) override {
    (void)request;
    channel_.Write(TcpConnectionSwitchingProtocols());
  }

  void OnData(std::string_view bytes) override {
    std::vector<std::string> frames;
    if (!splitter_.Append(bytes, frames)) {
      channel_.CloseAfterWrites();
      return;
    }
    for (std::string& frame : frames) {
      round_trips_.MessageReceived();
      round_trips_.Echo(channel_, std::move(frame));
      if (close_after_ > 0 && ++frames_echoed_ == close_after_) {
        channel_.CloseAfterWrites();
        return;
      }
    }
  }

 protected:
  FrameSplitter splitter_;
  long long close_after_ = 0;
  long long frames_echoed_ = 0;
  RoundTripRecorder round_trips_;
};

// /echo-raw: 101, then every received byte is written back as soon as it arrives.
class EchoRawHandler : public Handler {
 public:
  EchoRawHandler(HandlerChannel& channel, const QueryParameters&) : Handler(channel) {}
  void Start(const HttpRequest&) override { channel_.Write(TcpConnectionSwitchingProtocols()); }
  void OnData(std::string_view bytes) override { channel_.Write(std::string(bytes)); }
};

// The payload of message i of /push and /ws-push: byte j is 'a' + (i + j) % 26. There are only
// 26 different ones; up to 1 MiB they are kept, so pushing costs copies, not a loop per byte
// (bench/run measures clients' throughput with them).
class PushPayloads {
 public:
  explicit PushPayloads(std::size_t size) : size_(size) {}
  const std::string& Get(long long index) {
    std::string& payload = cache_[static_cast<std::size_t>(index % 26)];
    if (payload.size() != size_ || size_ > kMaxCachedBytes) {
      payload.assign(size_, 'a');
      for (std::size_t offset = 0; offset < size_; ++offset) {
        payload[offset] = static_cast<char>('a' + (static_cast<std::size_t>(index) + offset) % 26);
      }
    }
    return payload;
  }

 private:
  static constexpr std::size_t kMaxCachedBytes = 1 << 20;
  const std::size_t size_;
  std::array<std::string, 26> cache_;
};

// /push?count=N&size=S[&interval=MS][&close=0]: 101, then N frames whose payload has S bytes:
// byte j of frame i is 'a' + (i + j) % 26 ("abc…", "bcd…", …). Without interval the frames are
// written in batches as fast as the client reads; with it, one frame every MS milliseconds.
// Then FIN, so a client can wait for its close event; close=0 keeps the connection open instead
// (input is ignored) until the client closes.
class PushHandler : public Handler {
 public:
  PushHandler(HandlerChannel& channel, const QueryParameters& query)
      : Handler(channel),
        count_(query.GetInteger("count", 1, 0, 100'000'000)),
        size_(static_cast<std::size_t>(query.GetInteger("size", 16, 0, 256LL << 20))),
        interval_milliseconds_(query.GetInteger("interval", 0, 0, 60'000)),
        close_when_done_(query.Get("close", "1") != "0") {}

  void Start(const HttpRequest&) override {
    channel_.Write(TcpConnectionSwitchingProtocols());
    SendMore();
  }

 private:
  std::string NextFrame() { return Frame(payloads_.Get(sent_++)); }

  void SendMore() {
    if (sent_ == count_) {
      if (close_when_done_) channel_.CloseAfterWrites();
      return;
    }
    if (interval_milliseconds_ > 0) {
      channel_.Write(NextFrame());
      channel_.StartTimer(static_cast<std::uint64_t>(interval_milliseconds_),
                          [this] { SendMore(); });
      return;
    }
    std::string batch;
    do {
      batch += NextFrame();
    } while (sent_ < count_ && batch.size() < kPushBatchBytes);
    channel_.Write(std::move(batch), [this] { SendMore(); });
  }

  const long long count_;
  const std::size_t size_;
  const long long interval_milliseconds_;
  const bool close_when_done_;
  PushPayloads payloads_{size_};
  long long sent_ = 0;
};

// /close-after-open: 101, then FIN right after it.
class CloseAfterOpenHandler : public Handler {
 public:
  CloseAfterOpenHandler(HandlerChannel& channel, const QueryParameters&) : Handler(channel) {}
  void Start(const HttpRequest&) override {
    channel_.Write(TcpConnectionSwitchingProtocols());
    channel_.CloseAfterWrites();
  }
};

// /data-with-101[?text=T][&close=1]: the 101 and the frame 0x02 T 0x17 (default T "hello") in
// one write, then like /echo; close=1 sends FIN right after that write instead.
class DataWith101Handler : public EchoHandler {
 public:
  DataWith101Handler(HandlerChannel& channel, const QueryParameters& query)
      : EchoHandler(channel, query),
        text_(query.Get("text", "hello")),
        close_after_write_(query.Get("close") == "1") {}
  void Start(const HttpRequest&) override {
    channel_.Write(TcpConnectionSwitchingProtocols() + Frame(text_));
    if (close_after_write_) channel_.CloseAfterWrites();
  }

 private:
  std::string text_;
  bool close_after_write_;
};

// /set-cookie[?cookie=C…]: the 101 carries one "Set-Cookie: C" line per cookie parameter
// (default "switchboard=1; Path=/"), then like /echo.
class SetCookieHandler : public EchoHandler {
 public:
  SetCookieHandler(HandlerChannel& channel, const QueryParameters& query)
      : EchoHandler(channel, query), cookies_(query.GetAll("cookie")) {
    if (cookies_.empty()) cookies_.emplace_back("switchboard=1; Path=/");
  }
  void Start(const HttpRequest&) override {
    std::string header_lines;
    for (const std::string& cookie : cookies_) {
      if (!IsSafeHeaderValue(cookie)) {
        channel_.Write(HttpResponse(400, "Connection: close\r\n", "bad cookie parameter\n"));
        channel_.CloseAfterWrites();
        return;
      }
      header_lines += "Set-Cookie: " + cookie + "\r\n";
    }
    channel_.Write(TcpConnectionSwitchingProtocols(header_lines));
  }

 private:
  std::vector<std::string> cookies_;
};

// /echo-headers[?allow=P…]: 101 (with "Access-Control: allow P" per allow parameter, so that
// cross-origin pages can see their own request too, spec §5), then one frame holding the
// request head exactly as received (request line, header lines and the final empty line,
// CRLFs included), then like /echo.
class EchoHeadersHandler : public EchoHandler {
 public:
  EchoHeadersHandler(HandlerChannel& channel, const QueryParameters& query)
      : EchoHandler(channel, query), allow_(query.GetAll("allow")) {}
  void Start(const HttpRequest& request) override {
    std::string header_lines;
    for (const std::string& pattern : allow_) {
      if (!IsSafeHeaderValue(pattern)) {
        channel_.Write(HttpResponse(400, "Connection: close\r\n", "bad access-control value\n"));
        channel_.CloseAfterWrites();
        return;
      }
      header_lines += "Access-Control: allow " + pattern + "\r\n";
    }
    channel_.Write(TcpConnectionSwitchingProtocols(header_lines) + Frame(request.raw_head));
  }

 private:
  std::vector<std::string> allow_;
};

// /access-control?allow=P…&header=V…: the 101 carries "Access-Control: allow P" for each allow
// parameter and "Access-Control: V" (verbatim) for each header parameter, in that order, then
// like /echo. Spec §5.
class AccessControlHandler : public EchoHandler {
 public:
  AccessControlHandler(HandlerChannel& channel, const QueryParameters& query)
      : EchoHandler(channel, query) {
    for (const std::string& pattern : query.GetAll("allow")) values_.push_back("allow " + pattern);
    for (const std::string& value : query.GetAll("header")) values_.push_back(value);
  }
  void Start(const HttpRequest&) override {
    std::string header_lines;
    for (const std::string& value : values_) {
      if (!IsSafeHeaderValue(value)) {
        channel_.Write(HttpResponse(400, "Connection: close\r\n", "bad access-control value\n"));
        channel_.CloseAfterWrites();
        return;
      }
      header_lines += "Access-Control: " + value + "\r\n";
    }
    channel_.Write(TcpConnectionSwitchingProtocols(header_lines));
  }

 private:
  std::vector<std::string> values_;
};

// /status?code=N (default 200): "HTTP/1.1 N <reason>" with Content-Type: text/plain,
// Connection: close and the body "status N\n" (plus Location: /echo for 3xx and
// WWW-Authenticate: Basic realm="switchboard" for 401), then FIN. No Upgrade header.
class StatusHandler : public Handler {
 public:
  StatusHandler(HandlerChannel& channel, const QueryParameters& query)
      : Handler(channel), status_(static_cast<int>(query.GetInteger("code", 200, 100, 999))) {}
  void Start(const HttpRequest&) override {
    std::string header_lines = "Content-Type: text/plain\r\nConnection: close\r\n";
    if (status_ >= 300 && status_ < 400) header_lines += "Location: /echo\r\n";
    if (status_ == 401) header_lines += "WWW-Authenticate: Basic realm=\"switchboard\"\r\n";
    channel_.Write(HttpResponse(status_, header_lines, "status " + std::to_string(status_) + "\n"));
    channel_.CloseAfterWrites();
  }

 private:
  int status_;
};

// A 101 that a §4.2-conforming client must refuse, followed by a frame that must never reach
// script. The connection then stays open, ignoring input, until the client closes it.
class RefusableSwitchHandler : public Handler {
 public:
  RefusableSwitchHandler(HandlerChannel& channel, std::string header_lines)
      : Handler(channel), header_lines_(std::move(header_lines)) {}
  void Start(const HttpRequest&) override {
    channel_.Write("HTTP/1.1 101 Switching Protocols\r\n" + header_lines_ + "\r\n" +
                   Frame("must not reach script"));
  }

 private:
  std::string header_lines_;
};

// /no-upgrade-header: 101 with "Connection: Upgrade" but no Upgrade header.
std::unique_ptr<Handler> CreateNoUpgradeHeader(HandlerChannel& channel, const QueryParameters&) {
  return std::make_unique<RefusableSwitchHandler>(channel, "Connection: Upgrade\r\n");
}

// /wrong-upgrade[?value=V]: 101 with "Upgrade: V" (default "websocket") + Connection: Upgrade.
std::unique_ptr<Handler> CreateWrongUpgrade(HandlerChannel& channel, const QueryParameters& query) {
  std::string value = query.Get("value", "websocket");
  if (!IsSafeHeaderValue(value)) value = "websocket";
  return std::make_unique<RefusableSwitchHandler>(
      channel, "Upgrade: " + value + "\r\nConnection: Upgrade\r\n");
}

// /no-connection-header: 101 with "Upgrade: TCPConnection/1.0" but no Connection header.
std::unique_ptr<Handler> CreateNoConnectionHeader(HandlerChannel& channel, const QueryParameters&) {
  return std::make_unique<RefusableSwitchHandler>(channel, "Upgrade: TCPConnection/1.0\r\n");
}

// /huge-headers[?limit=BYTES]: the status line, Upgrade and Connection of a 101, then header
// lines "X-Filler-NNNNNNNN: " + 100 × 'a' + CRLF without end, paced by the client's reading,
// never the empty line. With limit (> 0) it closes (FIN) after about that many bytes.
class HugeHeadersHandler : public Handler {
 public:
  HugeHeadersHandler(HandlerChannel& channel, const QueryParameters& query)
      : Handler(channel), limit_(query.GetInteger("limit", 0, 0, 1LL << 40)) {}
  void Start(const HttpRequest&) override {
    std::string head =
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: TCPConnection/1.0\r\nConnection: Upgrade\r\n";
    sent_ += static_cast<long long>(head.size());
    channel_.Write(std::move(head), [this] { SendMore(); });
  }

 private:
  void SendMore() {
    if (limit_ > 0 && sent_ >= limit_) {
      channel_.CloseAfterWrites();
      return;
    }
    std::string chunk;
    while (chunk.size() < 16 * 1024) {
      std::array<char, 32> name{};
      std::snprintf(name.data(), name.size(), "X-Filler-%08lld: ", line_++);
      chunk += name.data();
      chunk.append(100, 'a');
      chunk += "\r\n";
    }
    sent_ += static_cast<long long>(chunk.size());
    channel_.Write(std::move(chunk), [this] { SendMore(); });
  }

  const long long limit_;
  long long sent_ = 0;
  long long line_ = 0;
};

// /slow-headers[?interval=MS][&endless=1]: the 101 of /echo plus "X-Slow: 1", written one byte
// every MS milliseconds (default 10), then like /echo. With endless=1, after the status line
// it dribbles "X-Slow: 1\r\n" lines forever and never ends the header block.
class SlowHeadersHandler : public EchoHandler {
 public:
  SlowHeadersHandler(HandlerChannel& channel, const QueryParameters& query)
      : EchoHandler(channel, query),
        interval_milliseconds_(
            static_cast<std::uint64_t>(query.GetInteger("interval", 10, 1, 60'000))),
        endless_(query.Get("endless") == "1") {}
  void Start(const HttpRequest&) override {
    response_ = endless_ ? std::string("HTTP/1.1 101 Switching Protocols\r\n")
                         : TcpConnectionSwitchingProtocols("X-Slow: 1\r\n");
    DribbleNextByte();
  }
  void OnData(std::string_view bytes) override {
    if (sent_ == response_.size() && !endless_) EchoHandler::OnData(bytes);
  }

 private:
  void DribbleNextByte() {
    if (sent_ == response_.size()) {
      if (!endless_) return;
      response_ += "X-Slow: 1\r\n";
    }
    channel_.Write(response_.substr(sent_++, 1));
    channel_.StartTimer(interval_milliseconds_, [this] { DribbleNextByte(); });
  }

  const std::uint64_t interval_milliseconds_;
  const bool endless_;
  std::string response_;
  std::size_t sent_ = 0;
};

// /smtp-banner: "220 smtp.example ESMTP\r\n" instead of any HTTP response, then, like an SMTP
// server, "502 5.5.2 Error: command not recognized\r\n" for every line received. It never
// closes by itself.
class SmtpBannerHandler : public Handler {
 public:
  SmtpBannerHandler(HandlerChannel& channel, const QueryParameters&) : Handler(channel) {}
  void Start(const HttpRequest&) override { channel_.Write("220 smtp.example ESMTP\r\n"); }
  void OnData(std::string_view bytes) override {
    for (char c : bytes) {
      if (c == '\n') channel_.Write("502 5.5.2 Error: command not recognized\r\n");
    }
  }
};

// /garbage[?size=N][&seed=S]: N (default 4096) pseudo-random bytes (xorshift64 seeded with S,
// default 1), first byte never 'H', then FIN. No HTTP at all.
class GarbageHandler : public Handler {
 public:
  GarbageHandler(HandlerChannel& channel, const QueryParameters& query)
      : Handler(channel),
        size_(static_cast<std::size_t>(query.GetInteger("size", 4096, 0, 64LL << 20))),
        state_(static_cast<std::uint64_t>(query.GetInteger("seed", 1, 1, 1LL << 62))) {}
  void Start(const HttpRequest&) override {
    std::string bytes(size_, '\0');
    for (char& byte : bytes) {
      state_ ^= state_ << 13;
      state_ ^= state_ >> 7;
      state_ ^= state_ << 17;
      byte = static_cast<char>(state_ & 0xFF);
    }
    if (!bytes.empty() && bytes.front() == 'H') bytes.front() = '\xff';
    channel_.Write(std::move(bytes));
    channel_.CloseAfterWrites();
  }

 private:
  const std::size_t size_;
  std::uint64_t state_;
};

// /reset-mid-frame[?delay=MS][&count=N]: 101 + N (default 1) × "\x02complete\x17" +
// "\x02half a fr" in one write, then MS milliseconds (default 100) later a TCP RST (SO_LINGER 0).
class ResetMidFrameHandler : public Handler {
 public:
  ResetMidFrameHandler(HandlerChannel& channel, const QueryParameters& query)
      : Handler(channel),
        delay_milliseconds_(static_cast<std::uint64_t>(query.GetInteger("delay", 100, 0, 60'000))),
        count_(static_cast<std::size_t>(query.GetInteger("count", 1, 0, 1'000'000))) {}
  void Start(const HttpRequest&) override {
    std::string bytes = TcpConnectionSwitchingProtocols();
    for (std::size_t index = 0; index < count_; ++index) bytes += Frame("complete");
    channel_.Write(std::move(bytes) + "\x02half a fr", [this] {
      channel_.StartTimer(delay_milliseconds_, [this] { channel_.Reset(); });
    });
  }

 private:
  const std::uint64_t delay_milliseconds_;
  const std::size_t count_;
};

// /endless-frame: 101 + "\x02before\x17" + "\x02", then "a" bytes in 64 KiB writes, each after
// the previous was written (paced by the client's reading), never the 0x17 (spec §6, §9).
class EndlessFrameHandler : public Handler {
 public:
  EndlessFrameHandler(HandlerChannel& channel, const QueryParameters&) : Handler(channel) {}
  void Start(const HttpRequest&) override {
    channel_.Write(TcpConnectionSwitchingProtocols() + Frame("before") + "\x02",
                   [this] { SendMore(); });
  }

 private:
  void SendMore() {
    channel_.Write(std::string(64 * 1024, 'a'), [this] { SendMore(); });
  }
};

// /invalid-utf8: 101, then five frames in one write — "\x02bad \xff byte\x17" (invalid byte),
// "\x02\xc0\xaf\x17" (overlong '/'), "\x02\xed\xa0\x80\x17" (a surrogate),
// "\x02\xe2\x82\x17" (truncated sequence), "\x02valid\x17" — then FIN. Only "valid" may reach
// script (spec §6).
class InvalidUtf8Handler : public Handler {
 public:
  InvalidUtf8Handler(HandlerChannel& channel, const QueryParameters&) : Handler(channel) {}
  void Start(const HttpRequest&) override {
    channel_.Write(TcpConnectionSwitchingProtocols() + Frame("bad \xff byte") + Frame("\xc0\xaf") +
                   Frame("\xed\xa0\x80") + Frame("\xe2\x82") + Frame("valid"));
    channel_.CloseAfterWrites();
  }
};

// /no-etb-frame: 101 + "\x02data with no end" (no 0x17), then FIN.
class NoEtbFrameHandler : public Handler {
 public:
  NoEtbFrameHandler(HandlerChannel& channel, const QueryParameters&) : Handler(channel) {}
  void Start(const HttpRequest&) override {
    channel_.Write(TcpConnectionSwitchingProtocols() + "\x02" + "data with no end");
    channel_.CloseAfterWrites();
  }
};

// /unknown-frame-type: 101 + "\x01reserved\x17" (a frame not starting with 0x02, which spec §6
// drops) + "\x02valid\x17", then FIN.
class UnknownFrameTypeHandler : public Handler {
 public:
  UnknownFrameTypeHandler(HandlerChannel& channel, const QueryParameters&) : Handler(channel) {}
  void Start(const HttpRequest&) override {
    channel_.Write(TcpConnectionSwitchingProtocols() + "\x01reserved\x17" + Frame("valid"));
    channel_.CloseAfterWrites();
  }
};

// /send-bytes?hex=H[&then=close|reset|echo|stay]: 101 + the bytes H (hex) in one write, then
// FIN (close, the default), RST (reset), /echo behaviour (echo) or nothing (stay).
class SendBytesHandler : public EchoHandler {
 public:
  SendBytesHandler(HandlerChannel& channel, const QueryParameters& query)
      : EchoHandler(channel, query),
        bytes_(DecodeHex(query.Get("hex"))),
        then_(query.Get("then", "close")) {}
  void Start(const HttpRequest&) override {
    if (!bytes_ || (then_ != "close" && then_ != "reset" && then_ != "echo" && then_ != "stay")) {
      channel_.Write(HttpResponse(400, "Connection: close\r\n", "bad hex or then parameter\n"));
      channel_.CloseAfterWrites();
      return;
    }
    if (then_ == "reset") {
      channel_.Write(TcpConnectionSwitchingProtocols() + *bytes_, [this] { channel_.Reset(); });
      return;
    }
    channel_.Write(TcpConnectionSwitchingProtocols() + *bytes_);
    if (then_ == "close") channel_.CloseAfterWrites();
  }
  void OnData(std::string_view bytes) override {
    if (then_ == "echo") EchoHandler::OnData(bytes);
  }

 private:
  std::optional<std::string> bytes_;
  std::string then_;
};

// /never-read?then=reset|stay&ms=N: 101 (allowing every origin), then, once the client's first
// bytes arrive, never reads again (spec §7's hostile peer: disconnect() cannot flush). reset:
// RST at once; stay (the default): keep the connection unread for N ms (default 120000), then
// RST.
class NeverReadHandler : public Handler {
 public:
  NeverReadHandler(HandlerChannel& channel, const QueryParameters& query)
      : Handler(channel),
        then_(query.Get("then", "stay")),
        stay_milliseconds_(
            static_cast<std::uint64_t>(query.GetInteger("ms", 120'000, 0, 600'000))) {}
  void Start(const HttpRequest&) override {
    if (then_ != "reset" && then_ != "stay") {
      channel_.Write(HttpResponse(400, "Connection: close\r\n", "bad then parameter\n"));
      channel_.CloseAfterWrites();
      return;
    }
    // Any page may try it (the tests reach it across origins, e.g. http: page to https:).
    channel_.Write(TcpConnectionSwitchingProtocols("Access-Control: allow <*>\r\n"));
  }
  void OnData(std::string_view) override {
    if (stopped_) return;
    stopped_ = true;
    channel_.StopReading();
    if (then_ == "reset") {
      channel_.Reset();
    } else {
      channel_.StartTimer(stay_milliseconds_, [this] { channel_.Reset(); });
    }
  }

 private:
  std::string then_;
  std::uint64_t stay_milliseconds_;
  bool stopped_ = false;
};

// /delay?ms=N: waits N milliseconds (default 1000) before the 101, then like /echo.
class DelayHandler : public EchoHandler {
 public:
  DelayHandler(HandlerChannel& channel, const QueryParameters& query)
      : EchoHandler(channel, query),
        delay_milliseconds_(static_cast<std::uint64_t>(query.GetInteger("ms", 1000, 0, 600'000))) {}
  void Start(const HttpRequest&) override {
    channel_.StartTimer(delay_milliseconds_, [this] {
      switched_ = true;
      channel_.Write(TcpConnectionSwitchingProtocols());
      if (!early_bytes_.empty()) EchoHandler::OnData(std::exchange(early_bytes_, {}));
    });
  }
  void OnData(std::string_view bytes) override {
    if (switched_) {
      EchoHandler::OnData(bytes);
    } else {
      early_bytes_.append(bytes);
    }
  }

 private:
  const std::uint64_t delay_milliseconds_;
  bool switched_ = false;
  std::string early_bytes_;
};

// What a /sink received: frames, payload bytes (between 0x02 and 0x17) and the 32-bit FNV-1a
// of those payload bytes concatenated.
struct SinkTotals {
  unsigned long long frames = 0;
  unsigned long long payload_bytes = 0;
  unsigned int hash = 2166136261u;

  std::string Report() const {
    std::array<char, 96> report{};
    std::snprintf(report.data(), report.size(), "frames=%llu bytes=%llu fnv1a=%08x", frames,
                  payload_bytes, hash);
    return report.data();
  }
};

// The totals of every /sink?name=N whose client has closed, until /sink-totals reads them. The
// server runs on one thread, so a plain map will do.
std::map<std::string, SinkTotals>& FinishedSinks() {
  static std::map<std::string, SinkTotals> sinks;
  return sinks;
}

// /sink[?name=N]: 101, then counts the frames it receives. A frame whose payload is exactly
// "report" is not counted but answered with one frame "frames=F bytes=B fnv1a=XXXXXXXX" (see
// SinkTotals), in lowercase hex. With a name, the totals are kept under it once the client
// closes (FIN), for /sink-totals: that proves what reached the server after a disconnect().
class SinkHandler : public Handler {
 public:
  SinkHandler(HandlerChannel& channel, const QueryParameters& query)
      : Handler(channel), name_(query.Get("name")) {}
  void Start(const HttpRequest&) override { channel_.Write(TcpConnectionSwitchingProtocols()); }
  void OnData(std::string_view bytes) override {
    std::vector<std::string> frames;
    if (!splitter_.Append(bytes, frames)) {
      channel_.CloseAfterWrites();
      return;
    }
    for (const std::string& frame : frames) {
      std::string_view payload(frame);
      payload.remove_suffix(1);  // 0x17
      if (!payload.empty() && payload.front() == kStartOfText) payload.remove_prefix(1);
      if (payload == "report") {
        channel_.Write(Frame(totals_.Report()));
        continue;
      }
      ++totals_.frames;
      totals_.payload_bytes += payload.size();
      for (char c : payload) {
        totals_.hash = (totals_.hash ^ static_cast<unsigned char>(c)) * 16777619u;
      }
    }
  }
  void OnPeerClosed() override {
    if (!name_.empty()) FinishedSinks()[name_] = totals_;
    Handler::OnPeerClosed();
  }

 private:
  std::string name_;
  FrameSplitter splitter_;
  SinkTotals totals_;
};

// /sink-totals?name=N: 101, then, once the client of /sink?name=N has closed (waiting up to 10 s),
// one frame with that sink's totals ("frames=F bytes=B fnv1a=XXXXXXXX"), or "unknown sink" when
// none closed in time; then FIN. The totals are forgotten once sent.
class SinkTotalsHandler : public Handler {
 public:
  SinkTotalsHandler(HandlerChannel& channel, const QueryParameters& query)
      : Handler(channel), name_(query.Get("name")) {}
  void Start(const HttpRequest&) override {
    channel_.Write(TcpConnectionSwitchingProtocols());
    Poll();
  }

 private:
  static constexpr int kPolls = 1000;
  static constexpr std::uint64_t kPollMilliseconds = 10;

  void Poll() {
    auto found = FinishedSinks().find(name_);
    if (found == FinishedSinks().end() && ++polls_ < kPolls) {
      channel_.StartTimer(kPollMilliseconds, [this] { Poll(); });
      return;
    }
    if (found == FinishedSinks().end()) {
      channel_.Write(Frame("unknown sink"));
    } else {
      channel_.Write(Frame(found->second.Report()));
      FinishedSinks().erase(found);
    }
    channel_.CloseAfterWrites();
  }

  std::string name_;
  int polls_ = 0;
};

// /ws-echo: the RFC 6455 opening handshake, then WebSocketEchoSession.
class WebSocketEchoHandler : public Handler {
 public:
  WebSocketEchoHandler(HandlerChannel& channel, const QueryParameters& query)
      : Handler(channel), round_trips_(query) {}
  void Start(const HttpRequest& request) override {
    // RFC 6455 §4.2.1: version 13 and a well-formed key, else refuse.
    const std::string* version = request.Header("Sec-WebSocket-Version");
    const std::string* key = request.Header("Sec-WebSocket-Key");
    if (version == nullptr || *version != "13") {
      channel_.Write(HttpResponse(426, "Sec-WebSocket-Version: 13\r\nConnection: close\r\n",
                                  "WebSocket version 13 required\n"));
      channel_.CloseAfterWrites();
      return;
    }
    if (key == nullptr || !IsValidWebSocketKey(*key)) {
      channel_.Write(HttpResponse(400, "Connection: close\r\n", "bad Sec-WebSocket-Key\n"));
      channel_.CloseAfterWrites();
      return;
    }
    channel_.Write(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Accept: " +
        WebSocketAcceptKey(*key) + "\r\n\r\n");
    open_ = true;
  }
  void OnData(std::string_view bytes) override {
    if (!open_) return;
    WebSocketEchoSession::Output output = session_.Receive(bytes);
    if (!output.bytes_to_send.empty() && !output.close_connection) {
      round_trips_.MessageReceived();
      round_trips_.Echo(channel_, std::move(output.bytes_to_send));
    } else if (!output.bytes_to_send.empty()) {
      channel_.Write(std::move(output.bytes_to_send));  // the closing handshake: not a round trip
    }
    if (output.close_connection) channel_.CloseAfterWrites();
  }

 protected:
  bool open_ = false;

 private:
  WebSocketEchoSession session_;
  RoundTripRecorder round_trips_;
};

// /ws-push?count=N&size=S: the /ws-echo handshake, then N text messages whose payload is that
// of /push (byte j of message i is 'a' + (i + j) % 26), written in batches as fast as the
// client reads, then a close frame (1000). What the client sends is answered as by /ws-echo,
// so its close frame ends the push. bench/run's stream workload for WebSocket clients.
class WebSocketPushHandler : public WebSocketEchoHandler {
 public:
  WebSocketPushHandler(HandlerChannel& channel, const QueryParameters& query)
      : WebSocketEchoHandler(channel, query),
        count_(query.GetInteger("count", 1, 0, 100'000'000)),
        size_(static_cast<std::size_t>(query.GetInteger("size", 16, 0, 64LL << 20))) {}

  void Start(const HttpRequest& request) override {
    WebSocketEchoHandler::Start(request);
    if (open_) SendMore();
  }

 private:
  void SendMore() {
    if (sent_ == count_) {
      channel_.Write(EncodeWebSocketFrame(WebSocketOpcode::kClose, std::string("\x03\xe8", 2)));
      channel_.CloseAfterWrites();
      return;
    }
    std::string batch;
    do {
      batch += EncodeWebSocketFrame(WebSocketOpcode::kText, payloads_.Get(sent_++));
    } while (sent_ < count_ && batch.size() < kPushBatchBytes);
    channel_.Write(std::move(batch), [this] { SendMore(); });
  }

  const long long count_;
  const std::size_t size_;
  PushPayloads payloads_{size_};
  long long sent_ = 0;
};

template <typename T>
std::unique_ptr<Handler> Create(HandlerChannel& channel, const QueryParameters& query) {
  return std::make_unique<T>(channel, query);
}

constexpr HandlerEntry kTcpConnectionHandlers[] = {
    {"/echo", "echo each frame back [close-after=N rtt=TAG]", Create<EchoHandler>},
    {"/echo-raw", "echo bytes as they arrive", Create<EchoRawHandler>},
    {"/push", "send N frames of S bytes, then FIN [count=N size=S interval=MS close=0]",
     Create<PushHandler>},
    {"/close-after-open", "101 then FIN", Create<CloseAfterOpenHandler>},
    {"/data-with-101", "101 and a first frame in one write [text=T], then echo [close=1: FIN]",
     Create<DataWith101Handler>},
    {"/set-cookie", "101 with Set-Cookie [cookie=C...], then echo", Create<SetCookieHandler>},
    {"/echo-headers", "one frame with the request head as received, then echo",
     Create<EchoHeadersHandler>},
    {"/access-control", "101 with Access-Control [allow=P... header=V...], then echo",
     Create<AccessControlHandler>},
    {"/status", "answer status N instead of 101, then FIN [code=N]", Create<StatusHandler>},
    {"/no-upgrade-header", "101 without Upgrade", CreateNoUpgradeHeader},
    {"/wrong-upgrade", "101 with Upgrade: websocket [value=V]", CreateWrongUpgrade},
    {"/no-connection-header", "101 without Connection", CreateNoConnectionHeader},
    {"/huge-headers", "a 101 header block that never ends [limit=BYTES]",
     Create<HugeHeadersHandler>},
    {"/slow-headers", "the 101 one byte at a time [interval=MS endless=1]",
     Create<SlowHeadersHandler>},
    {"/smtp-banner", "an SMTP banner instead of HTTP", Create<SmtpBannerHandler>},
    {"/garbage", "random bytes instead of HTTP, then FIN [size=N seed=S]", Create<GarbageHandler>},
    {"/reset-mid-frame", "101, frames, half a frame, then RST [delay=MS count=N]",
     Create<ResetMidFrameHandler>},
    {"/endless-frame", "101, a frame, then a frame that never ends", Create<EndlessFrameHandler>},
    {"/invalid-utf8", "101, four invalid UTF-8 frames and a valid one, then FIN",
     Create<InvalidUtf8Handler>},
    {"/no-etb-frame", "101, 0x02 and data without 0x17, then FIN", Create<NoEtbFrameHandler>},
    {"/unknown-frame-type", "101, a 0x01 frame and a valid frame, then FIN",
     Create<UnknownFrameTypeHandler>},
    {"/send-bytes", "101 and the given bytes [hex=H then=close|reset|echo|stay]",
     Create<SendBytesHandler>},
    {"/delay", "wait before the 101, then echo [ms=N]", Create<DelayHandler>},
    {"/never-read", "101, then never reads after the first bytes [then=stay|reset ms=N]",
     Create<NeverReadHandler>},
    {"/sink", "count frames; answer \"report\" with frames/bytes/fnv1a [name=N]",
     Create<SinkHandler>},
    {"/sink-totals", "the totals of /sink?name=N once its client closed [name=N]",
     Create<SinkTotalsHandler>},
};

constexpr HandlerEntry kWebSocketHandlers[] = {
    {"/ws-echo", "RFC 6455 echo: messages, ping/pong, closing handshake [rtt=TAG]",
     Create<WebSocketEchoHandler>},
    {"/ws-push", "RFC 6455: N text messages of S bytes, then close [count=N size=S]",
     Create<WebSocketPushHandler>},
};

}  // namespace

std::span<const HandlerEntry> TcpConnectionHandlers() { return kTcpConnectionHandlers; }

std::span<const HandlerEntry> WebSocketHandlers() { return kWebSocketHandlers; }

const HandlerEntry* FindHandler(std::span<const HandlerEntry> table, std::string_view path) {
  // "/echo-headers" also serves "/echo-headers/anything", so tests can choose request targets.
  for (const HandlerEntry& entry : table) {
    if (path == entry.path || (path.starts_with(entry.path) && path.size() > entry.path.size() &&
                               path[entry.path.size()] == '/')) {
      return &entry;
    }
  }
  return nullptr;
}

}  // namespace switchboard::reference_server
