#include "engine/inspector/network_agent.h"

#include <cstdio>
#include <optional>
#include <utility>

#include "base/ascii.h"
#include "base/base64.h"
#include "base/utf8_decoder.h"

namespace switchboard::inspector {

namespace {

constexpr std::string_view kLoaderId = "loader-1";

std::string Number(double value) {
  char text[40];
  std::snprintf(text, sizeof text, "%.6f", value);
  return text;
}

std::string Quote(std::string_view text) {
  std::string json;
  AppendJsonString(json, text);
  return json;
}

// A small builder of one JSON object, members in the order added.
class JsonObject {
 public:
  JsonObject& Raw(std::string_view key, std::string_view json) {
    if (!members_.empty()) members_ += ',';
    AppendJsonString(members_, key);
    members_ += ':';
    members_ += json;
    return *this;
  }
  JsonObject& String(std::string_view key, std::string_view value) {
    return Raw(key, Quote(value));
  }
  JsonObject& Double(std::string_view key, double value) { return Raw(key, Number(value)); }
  JsonObject& Integer(std::string_view key, long long value) {
    return Raw(key, std::to_string(value));
  }
  JsonObject& Bool(std::string_view key, bool value) { return Raw(key, value ? "true" : "false"); }
  std::string Json() const { return "{" + members_ + "}"; }

 private:
  std::string members_;
};

// "HTTP/1.1 101 Switching Protocols" → "Switching Protocols".
std::string StatusText(std::string_view status_line) {
  std::size_t first = status_line.find(' ');
  if (first == std::string_view::npos) return "";
  std::size_t second = status_line.find(' ', first + 1);
  if (second == std::string_view::npos) return "";
  return std::string(status_line.substr(second + 1));
}

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// CDP Headers: a field that occurs more than once has its values joined with "\n" (as
// Chromium does); the first line (request or status line) is not a field.
std::string HeadersObject(const std::vector<std::string>& lines) {
  std::vector<std::pair<std::string, std::string>> fields;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string name(TrimSpaces(line.substr(0, colon)));
    std::string value(TrimSpaces(line.substr(colon + 1)));
    bool merged = false;
    for (auto& [existing_name, existing_value] : fields) {
      if (existing_name == name) {
        existing_value += "\n" + value;
        merged = true;
        break;
      }
    }
    if (!merged) fields.emplace_back(std::move(name), std::move(value));
  }
  JsonObject headers;
  for (const auto& [name, value] : fields) headers.String(name, value);
  return headers.Json();
}

// The head's lines: from the bytes on the wire when the relay captured them (unmasked, as
// DevTools shows a browser's own traffic), else the net log's masked lines.
std::vector<std::string> LinesOf(const NetLogParams& params) {
  std::string_view text = params.String("text");
  if (!text.empty()) return SplitHeadLines(text, /*mask=*/false);
  return params.List("headers");
}

std::string HeadText(const std::vector<std::string>& lines, std::string_view captured) {
  if (!captured.empty()) return std::string(captured);
  std::string text;
  for (const std::string& line : lines) text += line + "\r\n";
  return text + "\r\n";
}

std::string ResourceType(std::string_view destination) {
  if (destination == "document") return "Document";
  if (destination == "script") return "Script";
  return "Other";
}

// "text/html; charset=utf-8" → "text/html".
std::string MimeType(std::string_view content_type) {
  return std::string(TrimSpaces(content_type.substr(0, content_type.find(';'))));
}

// "text/html; charset=utf-8" → "utf-8"; "" without a charset parameter.
std::string Charset(std::string_view content_type) {
  std::size_t semicolon = content_type.find(';');
  while (semicolon != std::string_view::npos) {
    content_type.remove_prefix(semicolon + 1);
    semicolon = content_type.find(';');
    std::string_view parameter = TrimSpaces(content_type.substr(0, semicolon));
    if (StartsWithIgnoringAsciiCase(parameter, "charset=")) {
      std::string_view value = parameter.substr(8);
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      return AsciiLowercase(value);
    }
  }
  return "";
}

constexpr std::string_view kNoData =
    R"("error":{"code":-32000,"message":"No data found for resource with given identifier"}})";

bool IsUtf8(std::string_view bytes) {
  std::string decoded;
  Utf8Decoder decoder(Utf8Decoder::ErrorMode::kFatal);
  return decoder.Decode({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()},
                        Utf8Decoder::Flush::kEndOfStream, decoded) == Utf8Decoder::Status::kOk;
}

// The string value of the member `key` of a JSON text (a command's params), or nullopt. The
// first "key": whose quotes are a token of their own (a string's own quotes are escaped) is
// taken; escapes are decoded (\uXXXX with surrogate pairs).
std::optional<std::string> JsonStringMember(std::string_view json, std::string_view key) {
  std::string token = "\"" + std::string(key) + "\"";
  for (std::size_t at = json.find(token); at != std::string_view::npos;
       at = json.find(token, at + 1)) {
    std::size_t next = at + token.size();
    while (next < json.size() &&
           (json[next] == ' ' || json[next] == '\t' || json[next] == '\n' || json[next] == '\r')) {
      ++next;
    }
    if (next >= json.size() || json[next] != ':') continue;
    ++next;
    while (next < json.size() &&
           (json[next] == ' ' || json[next] == '\t' || json[next] == '\n' || json[next] == '\r')) {
      ++next;
    }
    if (next >= json.size() || json[next] != '"') return std::nullopt;
    std::string value;
    for (std::size_t i = next + 1; i < json.size(); ++i) {
      char c = json[i];
      if (c == '"') return value;
      if (c != '\\') {
        value += c;
        continue;
      }
      if (++i >= json.size()) return std::nullopt;
      switch (json[i]) {
        case '"':
          value += '"';
          break;
        case '\\':
          value += '\\';
          break;
        case '/':
          value += '/';
          break;
        case 'b':
          value += '\b';
          break;
        case 'f':
          value += '\f';
          break;
        case 'n':
          value += '\n';
          break;
        case 'r':
          value += '\r';
          break;
        case 't':
          value += '\t';
          break;
        case 'u': {
          auto hex4 = [&](std::size_t from) -> std::optional<std::uint32_t> {
            if (from + 4 > json.size()) return std::nullopt;
            std::uint32_t unit = 0;
            for (std::size_t k = from; k < from + 4; ++k) {
              char h = json[k];
              unit <<= 4;
              if (h >= '0' && h <= '9')
                unit |= static_cast<std::uint32_t>(h - '0');
              else if (h >= 'a' && h <= 'f')
                unit |= static_cast<std::uint32_t>(h - 'a' + 10);
              else if (h >= 'A' && h <= 'F')
                unit |= static_cast<std::uint32_t>(h - 'A' + 10);
              else
                return std::nullopt;
            }
            return unit;
          };
          std::optional<std::uint32_t> unit = hex4(i + 1);
          if (!unit) return std::nullopt;
          i += 4;
          std::uint32_t code_point = *unit;
          if (code_point >= 0xD800 && code_point <= 0xDBFF && i + 6 < json.size() &&
              json[i + 1] == '\\' && json[i + 2] == 'u') {
            std::optional<std::uint32_t> low = hex4(i + 3);
            if (low && *low >= 0xDC00 && *low <= 0xDFFF) {
              code_point = 0x10000 + ((code_point - 0xD800) << 10) + (*low - 0xDC00);
              i += 6;
            }
          }
          if (code_point >= 0xD800 && code_point <= 0xDFFF) code_point = 0xFFFD;  // lone
          AppendUtf8(code_point, value);
          break;
        }
        default:
          return std::nullopt;
      }
    }
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

void NetworkAgent::KeepBody(const std::string& request_id, std::string_view body) {
  if (body.size() > kMaxKeptBodyBytes) return;
  if (auto existing = bodies_.find(request_id); existing != bodies_.end()) {
    kept_body_bytes_ -= existing->second.size();
    existing->second = std::string(body);
  } else {
    bodies_.emplace(request_id, std::string(body));
    body_order_.push_back(request_id);
  }
  kept_body_bytes_ += body.size();
  while (kept_body_bytes_ > kMaxKeptBodyBytes && !body_order_.empty()) {
    auto oldest = bodies_.find(body_order_.front());
    body_order_.pop_front();
    if (oldest == bodies_.end()) continue;
    kept_body_bytes_ -= oldest->second.size();
    bodies_.erase(oldest);
  }
}

NetworkAgent::NetworkAgent(SendEvent send_event) : send_event_(std::move(send_event)) {}

bool NetworkAgent::HandleMethod(int id, std::string_view method, std::string_view params_json,
                                std::string& response_json) {
  if (!method.starts_with("Network.")) return false;
  std::string prefix = R"({"id":)" + std::to_string(id) + ",";
  if (method == "Network.enable") {
    enabled_ = true;
  } else if (method == "Network.disable") {
    enabled_ = false;
  } else if (method == "Network.setCacheDisabled" || method == "Network.setBypassServiceWorker" ||
             method == "Network.setAttachDebugStack" || method == "Network.clearBrowserCache") {
    // Nothing to do: pages and scripts are never cached, there are no service workers, and
    // initiators carry no stacks.
  } else if (method == "Network.getResponseBody") {
    std::optional<std::string> request_id = JsonStringMember(params_json, "requestId");
    auto found = request_id ? bodies_.find(*request_id) : bodies_.end();
    if (found == bodies_.end()) {
      // A TCPConnection (its frames are in the Messages tab), a failed load, a body over the
      // network stack's bound or one evicted since: DevTools shows this message.
      response_json = prefix + std::string(kNoData);
      return true;
    }
    // Text as it is when it is UTF-8 (JSON carries it); anything else in base64.
    const std::string& body = found->second;
    bool text = IsUtf8(body);
    response_json = prefix + R"("result":)" +
                    JsonObject()
                        .String("body", text ? body : Base64Encode(body))
                        .Bool("base64Encoded", !text)
                        .Json() +
                    "}";
    return true;
  } else if (method == "Network.getRequestPostData") {
    response_json = prefix + std::string(kNoData);  // pages and scripts are loaded with GET
    return true;
  } else {
    response_json = prefix + R"("error":{"code":-32601,"message":)" +
                    Quote("'" + std::string(method) + "' wasn't found") + "}}";
    return true;
  }
  response_json = prefix + R"("result":{}})";
  return true;
}

void NetworkAgent::Send(std::string_view method, const std::string& params_json) {
  if (!enabled_) return;
  send_event_(R"({"method":)" + Quote(method) + R"(,"params":)" + params_json + "}");
}

void NetworkAgent::OnNetLogEvent(const NetLogEvent& event) {
  Time time{std::chrono::duration<double>(event.time.time_since_epoch()).count(),
            std::chrono::duration<double>(event.wall_time.time_since_epoch()).count()};
  if (event.source_kind == NetLogEvent::SourceKind::kLoad) {
    OnLoadEvent(event, time);
  } else {
    OnConnectionEvent(event, time);
  }
}

// Loads: net/net_log.md "Loads". requestWillBeSent waits for the request head (its method and
// headers), or for the end of a load that failed before sending one.
void NetworkAgent::OnLoadEvent(const NetLogEvent& event, Time time) {
  const NetLogParams& params = event.params;
  if (event.type == "load_start") {
    Load& load = loads_[event.source];
    load.request_id = "load-" + std::to_string(event.source);
    load.url = std::string(params.String("url"));
    load.type = ResourceType(params.String("destination"));
    load.start = time;
    load.hop_start = time.monotonic_seconds;
    if (load.type == "Document" && document_url_.empty()) document_url_ = load.url;
    return;
  }
  auto found = loads_.find(event.source);
  if (found == loads_.end()) return;  // started before this agent existed
  Load& load = found->second;
  if (event.type == "resolve_start") {
    load.dns_start = time.monotonic_seconds;
  } else if (event.type == "resolve_end") {
    load.dns_end = time.monotonic_seconds;
  } else if (event.type == "http_transfer_start") {
    load.transfer_start = time.monotonic_seconds;
  } else if (event.type == "http_request") {
    if (load.request.seen) return;  // an authentication round of the same request
    load.request = Head{true, 0, LinesOf(params), std::string(params.String("text")), time};
    AnnounceLoad(load);
  } else if (event.type == "http_response") {
    load.response = Head{true, static_cast<int>(params.Number("status")), LinesOf(params),
                         std::string(params.String("text")), time};
  } else if (event.type == "http_transfer_end") {
    load.connect_ms = params.Number("connect_ms");
    load.tls_ms = params.Number("tls_ms");
    load.request_sent_ms = params.Number("request_sent_ms");
    load.first_byte_ms = params.Number("first_byte_ms");
    load.header_bytes = static_cast<long long>(params.Number("header_bytes"));
    load.remote_address = std::string(params.String("address"));
    load.remote_port = static_cast<long long>(params.Number("port"));
  } else if (event.type == "redirect") {
    // The next hop is announced with the same requestId and this response (CDP's redirect).
    load.redirect_response = load.response;
    load.redirect_from_url = load.url;
    load.url = std::string(params.String("location"));
    load.request = Head{};
    load.response = Head{};
    load.hop_start = time.monotonic_seconds;
    load.dns_start = load.dns_end = load.transfer_start = 0;
  } else if (event.type == "load_end") {
    if (!load.request.seen) {
      load.request.time = time;
      AnnounceLoad(load);
    }
    if (load.announced) {
      if (load.response.seen) SendResponseReceived(load, time);
      if (params.Bool("ok")) {
        if (params.Find("body")) KeepBody(load.request_id, params.String("body"));
        Send("Network.loadingFinished",
             JsonObject()
                 .String("requestId", load.request_id)
                 .Double("timestamp", time.monotonic_seconds)
                 .Integer("encodedDataLength",
                          load.header_bytes + static_cast<long long>(params.Number("body_bytes")))
                 .Json());
      } else {
        Send("Network.loadingFailed",
             JsonObject()
                 .String("requestId", load.request_id)
                 .Double("timestamp", time.monotonic_seconds)
                 .String("type", load.type)
                 .String("errorText", std::string(params.String("stage")) + ": " +
                                          std::string(params.String("error")))
                 .Bool("canceled", false)
                 .Json());
      }
    }
    loads_.erase(found);
  }
}

void NetworkAgent::AnnounceLoad(Load& load) {
  if (!enabled_) return;
  if (load.redirect_response && !load.announced) return;  // its first hop was never shown
  std::string method = "GET";
  if (!load.request.lines.empty()) {
    std::string_view request_line = load.request.lines.front();
    method = std::string(request_line.substr(0, request_line.find(' ')));
  }
  JsonObject request;
  request.String("url", load.url)
      .String("method", method)
      .Raw("headers", HeadersObject(load.request.lines))
      .String("initialPriority", load.type == "Document" ? "VeryHigh" : "High")
      .String("referrerPolicy", "strict-origin-when-cross-origin");
  JsonObject initiator;
  if (load.type == "Document") {
    initiator.String("type", "other");
  } else {
    initiator.String("type", "parser").String("url", document_url_);
  }
  JsonObject params;
  params.String("requestId", load.request_id)
      .String("loaderId", kLoaderId)
      .String("documentURL", document_url_.empty() ? load.url : document_url_)
      .Raw("request", request.Json())
      .Double("timestamp", load.redirect_response ? load.request.time.monotonic_seconds
                                                  : load.start.monotonic_seconds)
      .Double("wallTime",
              load.redirect_response ? load.request.time.wall_seconds : load.start.wall_seconds)
      .Raw("initiator", initiator.Json())
      .Bool("redirectHasExtraInfo", false);
  if (load.redirect_response) {
    const Head& head = *load.redirect_response;
    JsonObject response;
    response.String("url", load.redirect_from_url)
        .Integer("status", head.status)
        .String("statusText", head.lines.empty() ? "" : StatusText(head.lines.front()))
        .Raw("headers", HeadersObject(head.lines))
        .String("mimeType", "")
        .String("charset", "")
        .Bool("connectionReused", false)
        .Integer("connectionId", 0)
        .Integer("encodedDataLength", 0)
        .String("securityState", "unknown");
    params.Raw("redirectResponse", response.Json());
    load.redirect_response.reset();
  }
  params.String("type", load.type);
  if (!frame_id_.empty()) params.String("frameId", frame_id_);
  load.announced = true;
  Send("Network.requestWillBeSent", params.Json());
}

// CDP ResourceTiming: ms since requestTime (the hop's start); -1 for what did not happen. DNS
// comes from the net log's resolve events, the rest from curl's times since the transfer
// started (net log http_transfer_end), the end of the response head from http_response.
void NetworkAgent::SendResponseReceived(Load& load, Time time) {
  const Head& head = load.response;
  double request_time = load.hop_start;
  auto since = [&](double seconds) { return seconds ? (seconds - request_time) * 1000 : -1.0; };
  double transfer = load.transfer_start ? since(load.transfer_start) : -1.0;
  // curl's connect time is 0 when the transfer went over a connection it kept from before.
  bool reused = transfer >= 0 && load.connect_ms == 0;
  double connect_end = transfer >= 0 && !reused ? transfer + load.connect_ms : -1.0;
  bool tls = load.tls_ms > 0;
  double send_start = transfer >= 0 ? transfer + (tls ? load.tls_ms : load.connect_ms) : -1.0;
  JsonObject timing;
  timing.Double("requestTime", request_time)
      .Double("proxyStart", -1)
      .Double("proxyEnd", -1)
      .Double("dnsStart", since(load.dns_start))
      .Double("dnsEnd", since(load.dns_end))
      .Double("connectStart", reused ? -1.0 : transfer)
      .Double("connectEnd", connect_end)
      .Double("sslStart", tls ? connect_end : -1.0)
      .Double("sslEnd", tls ? transfer + load.tls_ms : -1.0)
      .Double("workerStart", -1)
      .Double("workerReady", -1)
      .Double("workerFetchStart", -1)
      .Double("workerRespondWithSettled", -1)
      .Double("sendStart", send_start)
      .Double("sendEnd", transfer >= 0 ? transfer + load.request_sent_ms : -1.0)
      .Double("pushStart", 0)
      .Double("pushEnd", 0)
      .Double("receiveHeadersStart", transfer >= 0 ? transfer + load.first_byte_ms : -1.0)
      .Double("receiveHeadersEnd", since(head.time.monotonic_seconds));
  std::string content_type;
  for (std::size_t i = 1; i < head.lines.size(); ++i) {
    std::string_view line = head.lines[i];
    std::size_t colon = line.find(':');
    if (colon != std::string_view::npos &&
        EqualsIgnoringAsciiCase(TrimSpaces(line.substr(0, colon)), "Content-Type")) {
      content_type = std::string(TrimSpaces(line.substr(colon + 1)));
    }
  }
  JsonObject response;
  response.String("url", load.url)
      .Integer("status", head.status)
      .String("statusText", head.lines.empty() ? "" : StatusText(head.lines.front()))
      .Raw("headers", HeadersObject(head.lines))
      .String("headersText", HeadText(head.lines, head.text))
      .String("mimeType", MimeType(content_type))
      .String("charset", Charset(content_type))
      .Raw("requestHeaders", HeadersObject(load.request.lines))
      .String("requestHeadersText",
              load.request.seen ? HeadText(load.request.lines, load.request.text) : std::string())
      .Bool("connectionReused", reused)
      .Integer("connectionId", 0)
      .String("remoteIPAddress", load.remote_address)
      .Integer("remotePort", load.remote_port)
      .Integer("encodedDataLength", load.header_bytes)
      .Raw("timing", timing.Json())
      .String("protocol", "http/1.1")
      .String("securityState", load.url.starts_with("https:") ? "secure" : "insecure");
  JsonObject params;
  params.String("requestId", load.request_id)
      .String("loaderId", kLoaderId)
      .Double("timestamp", time.monotonic_seconds)
      .String("type", load.type)
      .Raw("response", response.Json())
      .Bool("hasExtraInfo", false);
  if (!frame_id_.empty()) params.String("frameId", frame_id_);
  Send("Network.responseReceived", params.Json());
}

// TCPConnections as WebSockets: net/net_log.md's connection events. Only a connection whose
// webSocketCreated went out (while enabled) gets later events.
void NetworkAgent::OnConnectionEvent(const NetLogEvent& event, Time time) {
  const NetLogParams& params = event.params;
  if (event.type == "connection_start") {
    Connection& connection = connections_[event.source];
    connection.request_id = "connection-" + std::to_string(event.source);
    connection.url = std::string(params.String("url"));
    connection.announced = enabled_;
    JsonObject initiator;
    initiator.String("type", "script");
    if (!document_url_.empty()) initiator.String("url", document_url_);
    Send("Network.webSocketCreated", JsonObject()
                                         .String("requestId", connection.request_id)
                                         .String("url", connection.url)
                                         .Raw("initiator", initiator.Json())
                                         .Json());
    return;
  }
  auto found = connections_.find(event.source);
  if (found == connections_.end()) return;
  Connection& connection = found->second;
  if (!connection.announced) {
    if (event.type == "close") connections_.erase(found);
    return;
  }
  auto with_id = [&] {
    JsonObject object;
    object.String("requestId", connection.request_id).Double("timestamp", time.monotonic_seconds);
    return object;
  };
  if (event.type == "handshake_request") {
    // §4.3's TLS upgrade request is not the TCPConnection handshake DevTools shows.
    connection.tcpconnection_handshake = params.String("purpose") == "tcpconnection";
    if (!connection.tcpconnection_handshake) return;
    connection.request = Head{true, 0, LinesOf(params), std::string(params.String("text")), time};
    Send("Network.webSocketWillSendHandshakeRequest",
         with_id()
             .Double("wallTime", time.wall_seconds)
             .Raw("request",
                  JsonObject().Raw("headers", HeadersObject(connection.request.lines)).Json())
             .Json());
  } else if (event.type == "handshake_response") {
    if (!connection.tcpconnection_handshake) return;
    std::vector<std::string> lines = LinesOf(params);
    JsonObject response;
    response.Integer("status", static_cast<long long>(params.Number("status")))
        .String("statusText", lines.empty() ? "" : StatusText(lines.front()))
        .Raw("headers", HeadersObject(lines))
        .String("headersText", HeadText(lines, params.String("text")))
        .Raw("requestHeaders", HeadersObject(connection.request.lines))
        .String("requestHeadersText", HeadText(connection.request.lines, connection.request.text));
    Send("Network.webSocketHandshakeResponseReceived",
         with_id().Raw("response", response.Json()).Json());
  } else if (event.type == "frame_sent" || event.type == "frame_received") {
    // §6: every frame is text; TCPConnection frames are not masked.
    JsonObject frame;
    frame.Integer("opcode", 1).Bool("mask", false).String("payloadData", params.String("text"));
    Send(event.type == "frame_sent" ? "Network.webSocketFrameSent"
                                    : "Network.webSocketFrameReceived",
         with_id().Raw("response", frame.Json()).Json());
  } else if (event.type == "close") {
    if (!params.Bool("clean")) {
      // §7: the failure's stage and reason, as the console line gives them.
      Send("Network.webSocketFrameError",
           with_id()
               .String("errorMessage", std::string(params.String("stage")) + ": " +
                                           std::string(params.String("reason")))
               .Json());
    }
    Send("Network.webSocketClosed", with_id().Json());
    connections_.erase(found);
  }
}

}  // namespace switchboard::inspector
