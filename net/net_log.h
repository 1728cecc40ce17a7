// NetLog: a JSON Lines record of what the network stack did, per connection (issue 9 item 3,
// `--net-log FILE`; net/net_log.md describes the format, scripts/netlog-view draws it).
//
// Every line is one JSON object. The first is the header,
//   {"type":"log_start","version":1,"start_time":"<UTC ISO 8601>","start_time_unix_ms":N}
// then one line per event,
//   {"t":<ms since log start, µs precision>,"connection":<id>,"type":"<event>","params":{…}}
// and, when the log is closed, {"t":…,"type":"log_end"}. Lines are flushed at every event
// except per-frame ones (those go out with the next event or at close), so the file stays
// valid JSON Lines when the process ends abruptly: at worst the last lines are missing.
//
// Strings from the network (header lines, reasons, certificate names) may hold any bytes:
// AppendJsonString() writes valid UTF-8 as is and every byte that is not part of a valid
// UTF-8 sequence as U+FFFD, and escapes control characters as \u00XX.
//
// Besides (or instead of) the file, one in-process subscriber (NetLogSubscriber) receives
// every event as a NetLogEvent: DevTools' Network domain (engine/inspector/network_agent.h)
// is built on it. A subscriber may ask for contents the file never holds (frame text, the
// unmasked handshake and HTTP heads): NetLogParams::AddContent(), built only when
// captures_contents().
//
// Thread: written only from the IO thread (Add() is not synchronised; the subscriber is
// called there, synchronously); created and destroyed on the owner's thread while the IO
// thread is not running or not using it.
// Ownership: the NetworkService owns it (or an embedder passes one in). Cost when disabled:
// without a file and without a subscriber there is no NetLog; callers hold a NetLog* that is
// null and test it before building any parameters.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "net/result.h"

namespace switchboard {

// Appends `bytes` as a JSON string literal (with the quotes) to `out`: valid UTF-8 kept,
// each invalid byte → \uFFFD, control characters (< 0x20, 0x7F), `"` and `\` escaped.
void AppendJsonString(std::string& out, std::string_view bytes);

// The members of one event's "params" object, in the order they are added. Kept as typed
// fields, so that an in-process subscriber reads them without parsing JSON.
class NetLogParams {
 public:
  struct Field {
    enum class Kind { kString, kNumber, kBool, kList };
    std::string key;
    Kind kind = Kind::kString;
    std::string value;                // kString: the text; kNumber: as written; kBool: true/false
    std::vector<std::string> values;  // kList
    bool content = false;             // AddContent(): for a subscriber that asked only
  };

  NetLogParams& Add(std::string_view key, std::string_view value);
  NetLogParams& Add(std::string_view key, const char* value) {
    return Add(key, std::string_view(value));
  }
  NetLogParams& Add(std::string_view key, const std::string& value) {
    return Add(key, std::string_view(value));
  }
  NetLogParams& Add(std::string_view key, long long value);
  NetLogParams& Add(std::string_view key, unsigned long long value);
  NetLogParams& Add(std::string_view key, int value) {
    return Add(key, static_cast<long long>(value));
  }
  NetLogParams& Add(std::string_view key, long value) {
    return Add(key, static_cast<long long>(value));
  }
  NetLogParams& Add(std::string_view key, unsigned value) {
    return Add(key, static_cast<unsigned long long>(value));
  }
  NetLogParams& Add(std::string_view key, unsigned long value) {
    return Add(key, static_cast<unsigned long long>(value));
  }
  NetLogParams& Add(std::string_view key, bool value);
  // Written with three decimals (milliseconds to the µs).
  NetLogParams& Add(std::string_view key, double value);
  NetLogParams& Add(std::string_view key, const std::vector<std::string>& values);
  // A member only a subscriber that captures contents receives (a frame's text, an unmasked
  // head): never written to the file. Callers build it only when captures_contents().
  NetLogParams& AddContent(std::string_view key, std::string_view value);

  // The object, braces included; with the content members when `with_contents`.
  std::string ToJson(bool with_contents = false) const;
  // Without the content members.
  NetLogParams WithoutContents() const;

  const std::vector<Field>& fields() const { return fields_; }
  // The field named `key`, or null.
  const Field* Find(std::string_view key) const;
  // A string or number field's value ("" when absent), a number field as a number (0 when
  // absent or not a number), a bool (false when absent), a list (empty when absent).
  std::string_view String(std::string_view key) const;
  double Number(std::string_view key) const;
  bool Bool(std::string_view key) const;
  const std::vector<std::string>& List(std::string_view key) const;

 private:
  Field& Push(std::string_view key, Field::Kind kind);
  std::vector<Field> fields_;
};

// One event as an in-process subscriber receives it (params.ToJson() is the file's form).
struct NetLogEvent {
  enum class SourceKind { kConnection, kLoad };
  SourceKind source_kind = SourceKind::kConnection;
  std::uint64_t source = 0;  // the connection's or the load's id
  std::string type;          // as in net/net_log.md
  std::chrono::steady_clock::time_point time;
  std::chrono::system_clock::time_point wall_time;
  NetLogParams params;  // content members only when the subscriber captures contents
};

// Receives every event of a NetLog, on the IO thread, as it is added.
struct NetLogSubscriber {
  std::function<void(NetLogEvent)> on_event;
  // Whether events carry the content members (NetLogParams::AddContent).
  bool capture_contents = false;
};

// Header lines with secrets masked, for request heads in the log: the values of
// Authorization and Proxy-Authorization become "<masked>" (their scheme kept), and Cookie
// keeps each cookie's name with its value replaced by "<masked>".
std::string MaskHeaderLine(std::string_view line);
// The lines of an HTTP head (status or request line and fields), split at CRLF (or LF),
// stopping at the empty line; with MaskHeaderLine() applied when `mask` is set.
std::vector<std::string> SplitHeadLines(std::string_view head, bool mask);
// A proxy URL with its password (if any) replaced by "<masked>".
std::string MaskProxyUrl(std::string_view proxy_url);
// A URL with its credentials, user name and password alike ("user:password@", "token@"),
// replaced by "<masked>@" (spec §7: never in a console line or a log).
std::string MaskUrlCredentials(std::string_view url);

class NetLog {
 public:
  // Opens (truncates) `path` and writes the header line; `subscriber` (if it has on_event)
  // receives every event too.
  static Result<std::unique_ptr<NetLog>> OpenFile(const std::string& path,
                                                  NetLogSubscriber subscriber = {});
  // A log without a file: every event goes to `subscriber` only.
  static std::unique_ptr<NetLog> ForSubscriber(NetLogSubscriber subscriber);
  // Writes the log_end line and closes the file.
  ~NetLog();
  NetLog(const NetLog&) = delete;
  NetLog& operator=(const NetLog&) = delete;

  // One event of connection `source` (0: not about one connection). `type` is one of the
  // names listed in net/net_log.md.
  void Add(std::uint64_t source, std::string_view type, const NetLogParams& params = {});
  // One event of page or script load `load` (http_fetch.h): its lines carry "load": id
  // instead of "connection": id (loads and connections are numbered separately).
  void AddForLoad(std::uint64_t load, std::string_view type, const NetLogParams& params = {});
  // Frame events are many: written without flushing.
  void AddUnflushed(std::uint64_t source, std::string_view type, const NetLogParams& params);
  void Flush();

  // Whether content members (NetLogParams::AddContent) are wanted: build them only then.
  bool captures_contents() const { return subscriber_.on_event && subscriber_.capture_contents; }

 private:
  NetLog(std::FILE* file, NetLogSubscriber subscriber);
  void Write(std::string_view source_kind, std::uint64_t source, std::string_view type,
             const NetLogParams& params, bool flush);

  std::FILE* file_;  // null: subscriber only
  NetLogSubscriber subscriber_;
  std::chrono::steady_clock::time_point start_;
  std::string line_;  // reused buffer
};

}  // namespace switchboard
