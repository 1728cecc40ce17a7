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
// Thread: written only from the IO thread (Add() is not synchronised); created and
// destroyed on the owner's thread while the IO thread is not running or not using it.
// Ownership: the NetworkService owns it (or an embedder passes one in). Cost when disabled:
// callers hold a NetLog* that is null and test it before building any parameters.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "net/result.h"

namespace switchboard {

// Appends `bytes` as a JSON string literal (with the quotes) to `out`: valid UTF-8 kept,
// each invalid byte → \uFFFD, control characters (< 0x20, 0x7F), `"` and `\` escaped.
void AppendJsonString(std::string& out, std::string_view bytes);

// The members of one event's "params" object, written in the order they are added.
class NetLogParams {
 public:
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

  // The object, braces included.
  std::string ToJson() const { return "{" + members_ + "}"; }

 private:
  void Key(std::string_view key);
  std::string members_;
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
  // Opens (truncates) `path` and writes the header line.
  static Result<std::unique_ptr<NetLog>> OpenFile(const std::string& path);
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

 private:
  explicit NetLog(std::FILE* file);
  void Write(std::string_view source_kind, std::uint64_t source, std::string_view type,
             const NetLogParams& params, bool flush);

  std::FILE* file_;
  std::chrono::steady_clock::time_point start_;
  std::string line_;  // reused buffer
};

}  // namespace switchboard
