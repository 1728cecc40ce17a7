#include "net/net_log.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <ctime>

namespace switchboard {

namespace {

bool IsContinuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// The length of the valid UTF-8 sequence at the start of `bytes` (RFC 3629 §4: no overlong
// forms, no surrogates, nothing above U+10FFFF), or 0 when it does not start one.
std::size_t ValidSequenceLength(std::string_view bytes) {
  auto at = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
  unsigned char lead = at(0);
  if (lead < 0x80) return 1;
  std::size_t length;
  unsigned char second_low = 0x80;
  unsigned char second_high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) second_low = 0xA0;   // overlong
    if (lead == 0xED) second_high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) second_low = 0x90;   // overlong
    if (lead == 0xF4) second_high = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (bytes.size() < length) return 0;
  if (at(1) < second_low || at(1) > second_high) return 0;
  for (std::size_t i = 2; i < length; ++i) {
    if (!IsContinuation(at(i))) return 0;
  }
  return length;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

constexpr std::string_view kMasked = "<masked>";

// "a=1; b=2" → "a=<masked>; b=<masked>".
std::string MaskCookiePairs(std::string_view value) {
  std::string masked;
  while (true) {
    std::size_t semicolon = value.find(';');
    std::string_view pair = Trim(value.substr(0, semicolon));
    if (!pair.empty()) {
      if (!masked.empty()) masked += "; ";
      std::size_t equals = pair.find('=');
      masked += pair.substr(0, equals);
      if (equals != std::string_view::npos) {
        masked += '=';
        masked += kMasked;
      }
    }
    if (semicolon == std::string_view::npos) break;
    value.remove_prefix(semicolon + 1);
  }
  return masked;
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view bytes) {
  out += '"';
  while (!bytes.empty()) {
    std::size_t length = ValidSequenceLength(bytes);
    if (length == 0) {
      out += "\\uFFFD";  // one replacement character per byte that is not valid UTF-8
      bytes.remove_prefix(1);
      continue;
    }
    unsigned char byte = static_cast<unsigned char>(bytes[0]);
    if (length > 1) {
      out.append(bytes.data(), length);
    } else if (byte == '"') {
      out += "\\\"";
    } else if (byte == '\\') {
      out += "\\\\";
    } else if (byte == '\n') {
      out += "\\n";
    } else if (byte == '\r') {
      out += "\\r";
    } else if (byte == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7F) {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += "\\u00";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    } else {
      out += static_cast<char>(byte);
    }
    bytes.remove_prefix(length);
  }
  out += '"';
}

NetLogParams::Field& NetLogParams::Push(std::string_view key, Field::Kind kind) {
  Field& field = fields_.emplace_back();
  field.key = std::string(key);
  field.kind = kind;
  return field;
}

NetLogParams& NetLogParams::Add(std::string_view key, std::string_view value) {
  Push(key, Field::Kind::kString).value = std::string(value);
  return *this;
}

NetLogParams& NetLogParams::Add(std::string_view key, long long value) {
  Push(key, Field::Kind::kNumber).value = std::to_string(value);
  return *this;
}

NetLogParams& NetLogParams::Add(std::string_view key, unsigned long long value) {
  Push(key, Field::Kind::kNumber).value = std::to_string(value);
  return *this;
}

NetLogParams& NetLogParams::Add(std::string_view key, bool value) {
  Push(key, Field::Kind::kBool).value = value ? "true" : "false";
  return *this;
}

NetLogParams& NetLogParams::Add(std::string_view key, double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", std::isfinite(value) ? value : 0.0);
  Push(key, Field::Kind::kNumber).value = text;
  return *this;
}

NetLogParams& NetLogParams::Add(std::string_view key, const std::vector<std::string>& values) {
  Push(key, Field::Kind::kList).values = values;
  return *this;
}

NetLogParams& NetLogParams::AddContent(std::string_view key, std::string_view value) {
  Field& field = Push(key, Field::Kind::kString);
  field.value = std::string(value);
  field.content = true;
  return *this;
}

std::string NetLogParams::ToJson(bool with_contents) const {
  std::string json = "{";
  bool first = true;
  for (const Field& field : fields_) {
    if (field.content && !with_contents) continue;
    if (!first) json += ',';
    first = false;
    AppendJsonString(json, field.key);
    json += ':';
    switch (field.kind) {
      case Field::Kind::kString:
        AppendJsonString(json, field.value);
        break;
      case Field::Kind::kNumber:
      case Field::Kind::kBool:
        json += field.value;
        break;
      case Field::Kind::kList:
        json += '[';
        for (std::size_t i = 0; i < field.values.size(); ++i) {
          if (i) json += ',';
          AppendJsonString(json, field.values[i]);
        }
        json += ']';
        break;
    }
  }
  json += '}';
  return json;
}

NetLogParams NetLogParams::WithoutContents() const {
  NetLogParams params;
  for (const Field& field : fields_) {
    if (!field.content) params.fields_.push_back(field);
  }
  return params;
}

const NetLogParams::Field* NetLogParams::Find(std::string_view key) const {
  for (const Field& field : fields_) {
    if (field.key == key) return &field;
  }
  return nullptr;
}

std::string_view NetLogParams::String(std::string_view key) const {
  const Field* field = Find(key);
  return field && field->kind != Field::Kind::kList ? std::string_view(field->value)
                                                    : std::string_view();
}

double NetLogParams::Number(std::string_view key) const {
  const Field* field = Find(key);
  if (!field || field->kind != Field::Kind::kNumber) return 0;
  return std::strtod(field->value.c_str(), nullptr);
}

bool NetLogParams::Bool(std::string_view key) const {
  const Field* field = Find(key);
  return field && field->kind == Field::Kind::kBool && field->value == "true";
}

const std::vector<std::string>& NetLogParams::List(std::string_view key) const {
  static const std::vector<std::string> kNone;
  const Field* field = Find(key);
  return field && field->kind == Field::Kind::kList ? field->values : kNone;
}

std::string MaskHeaderLine(std::string_view line) {
  std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return std::string(line);
  std::string_view name = line.substr(0, colon);
  std::string_view value = Trim(line.substr(colon + 1));
  std::string masked(name);
  masked += ": ";
  if (EqualsIgnoringCase(name, "Authorization") ||
      EqualsIgnoringCase(name, "Proxy-Authorization")) {
    // Keep the scheme ("Basic", "Digest"): it says which authentication ran.
    std::size_t space = value.find(' ');
    if (space != std::string_view::npos) {
      masked += value.substr(0, space);
      masked += ' ';
    }
    masked += kMasked;
  } else if (EqualsIgnoringCase(name, "Cookie")) {
    masked += MaskCookiePairs(value);
  } else if (EqualsIgnoringCase(name, "Set-Cookie")) {
    // The name=value pair is masked; the attributes (Path, Secure, HttpOnly…) are kept.
    std::size_t semicolon = value.find(';');
    masked += MaskCookiePairs(value.substr(0, semicolon));
    if (semicolon != std::string_view::npos) masked += value.substr(semicolon);
  } else {
    return std::string(line);
  }
  return masked;
}

std::vector<std::string> SplitHeadLines(std::string_view head, bool mask) {
  std::vector<std::string> lines;
  while (!head.empty()) {
    std::size_t end = head.find('\n');
    std::string_view line = head.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() && end != std::string_view::npos) break;  // the end of the head
    lines.push_back(mask ? MaskHeaderLine(line) : std::string(line));
    if (end == std::string_view::npos) break;
    head.remove_prefix(end + 1);
  }
  return lines;
}

std::string MaskProxyUrl(std::string_view proxy_url) {
  std::size_t scheme_end = proxy_url.find("://");
  std::size_t authority = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  std::size_t path = proxy_url.find('/', authority);
  std::size_t at = proxy_url.rfind('@', path);
  if (at == std::string_view::npos || at < authority) return std::string(proxy_url);
  std::size_t colon = proxy_url.find(':', authority);
  if (colon == std::string_view::npos || colon > at) return std::string(proxy_url);
  return std::string(proxy_url.substr(0, colon + 1)) + std::string(kMasked) +
         std::string(proxy_url.substr(at));
}

std::string MaskUrlCredentials(std::string_view url) {
  std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(url);
  std::size_t authority = scheme_end + 3;
  std::size_t authority_end = url.find_first_of("/?#", authority);
  std::size_t at =
      url.rfind('@', authority_end == std::string_view::npos ? url.npos : authority_end - 1);
  if (at == std::string_view::npos || at < authority) return std::string(url);
  return std::string(url.substr(0, authority)) + std::string(kMasked) + std::string(url.substr(at));
}

Result<std::unique_ptr<NetLog>> NetLog::OpenFile(const std::string& path,
                                                 NetLogSubscriber subscriber) {
  std::FILE* file = std::fopen(path.c_str(), "w");
  if (!file) {
    return Error{Stage::kLoad, "cannot open net log '" + path + "': " + std::strerror(errno)};
  }
  return std::unique_ptr<NetLog>(new NetLog(file, std::move(subscriber)));
}

std::unique_ptr<NetLog> NetLog::ForSubscriber(NetLogSubscriber subscriber) {
  return std::unique_ptr<NetLog>(new NetLog(nullptr, std::move(subscriber)));
}

NetLog::NetLog(std::FILE* file, NetLogSubscriber subscriber)
    : file_(file), subscriber_(std::move(subscriber)), start_(std::chrono::steady_clock::now()) {
  if (!file_) return;
  auto now = std::chrono::system_clock::now();
  auto unix_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char time_text[64];
  std::size_t length = std::strftime(time_text, sizeof time_text, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(time_text + length, sizeof time_text - length, ".%03dZ",
                static_cast<int>(unix_ms % 1000));
  std::string header = R"({"type":"log_start","version":1,"start_time":")";
  header += time_text;
  header += R"(","start_time_unix_ms":)" + std::to_string(unix_ms) + "}\n";
  std::fwrite(header.data(), 1, header.size(), file_);
  std::fflush(file_);
}

NetLog::~NetLog() {
  if (!file_) return;
  Write("connection", 0, "log_end", {}, true);
  std::fclose(file_);
}

void NetLog::Add(std::uint64_t source, std::string_view type, const NetLogParams& params) {
  Write("connection", source, type, params, true);
}

void NetLog::AddForLoad(std::uint64_t load, std::string_view type, const NetLogParams& params) {
  Write("load", load, type, params, true);
}

void NetLog::AddUnflushed(std::uint64_t source, std::string_view type, const NetLogParams& params) {
  Write("connection", source, type, params, false);
}

void NetLog::Flush() {
  if (file_) std::fflush(file_);
}

void NetLog::Write(std::string_view source_kind, std::uint64_t source, std::string_view type,
                   const NetLogParams& params, bool flush) {
  std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now();
  if (subscriber_.on_event && type != "log_end") {
    NetLogEvent event;
    event.source_kind = source_kind == "load" ? NetLogEvent::SourceKind::kLoad
                                              : NetLogEvent::SourceKind::kConnection;
    event.source = source;
    event.type = std::string(type);
    event.time = now;
    event.wall_time = std::chrono::system_clock::now();
    event.params = subscriber_.capture_contents ? params : params.WithoutContents();
    subscriber_.on_event(std::move(event));
  }
  if (!file_) return;
  auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(now - start_).count();
  char time_text[32];
  std::snprintf(time_text, sizeof time_text, "%lld.%03lld", static_cast<long long>(elapsed / 1000),
                static_cast<long long>(elapsed % 1000));
  line_.clear();
  line_ += R"({"t":)";
  line_ += time_text;
  line_ += R"(,")";
  line_ += source_kind;
  line_ += R"(":)";
  line_ += std::to_string(source);
  line_ += R"(,"type":)";
  AppendJsonString(line_, type);
  line_ += R"(,"params":)";
  line_ += params.ToJson();
  line_ += "}\n";
  std::fwrite(line_.data(), 1, line_.size(), file_);
  if (flush) std::fflush(file_);
}

}  // namespace switchboard
