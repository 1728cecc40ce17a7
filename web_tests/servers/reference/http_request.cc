#include "web_tests/servers/reference/http_request.h"

#include <algorithm>
#include <charconv>

namespace switchboard::reference_server {

namespace {

char ToLowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view TrimWhitespace(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Control characters other than HTAB may not appear in a request head (RFC 9110 §5.5).
bool IsForbiddenControl(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return (byte < 0x20 && c != '\t') || byte == 0x7f;
}

HttpRequestParse Failure(int status, std::string reason) {
  HttpRequestParse parse;
  parse.outcome = HttpRequestParse::Outcome::kError;
  parse.error_status = status;
  parse.error_reason = std::move(reason);
  return parse;
}

// Splits the head into lines; each line excludes its CRLF or LF.
std::vector<std::string_view> SplitLines(std::string_view head) {
  std::vector<std::string_view> lines;
  while (!head.empty()) {
    const std::size_t newline = head.find('\n');
    std::string_view line = head.substr(0, newline);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (newline == std::string_view::npos) break;
    head.remove_prefix(newline + 1);
  }
  return lines;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool IsTokenCharacter(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ToLowerAscii(x) == ToLowerAscii(y);
         });
}

const std::string* HttpRequest::Header(std::string_view name) const {
  for (const HttpHeader& header : headers) {
    if (EqualsIgnoringAsciiCase(header.name, name)) return &header.value;
  }
  return nullptr;
}

bool HttpRequest::HasToken(std::string_view name, std::string_view token) const {
  for (const HttpHeader& header : headers) {
    if (!EqualsIgnoringAsciiCase(header.name, name)) continue;
    std::string_view list = header.value;
    while (!list.empty()) {
      const std::size_t comma = list.find(',');
      if (EqualsIgnoringAsciiCase(TrimWhitespace(list.substr(0, comma)), token)) return true;
      if (comma == std::string_view::npos) break;
      list.remove_prefix(comma + 1);
    }
  }
  return false;
}

bool HttpRequest::KeepAlive() const {
  if (HasToken("Connection", "close")) return false;
  return minor_version >= 1 || HasToken("Connection", "keep-alive");
}

HttpRequestParse ParseHttpRequestHead(std::string_view bytes, std::size_t max_head_bytes) {
  // RFC 9112 §2.2: ignore empty lines received before the request line.
  std::size_t skipped = 0;
  while (skipped < bytes.size() && (bytes[skipped] == '\r' || bytes[skipped] == '\n')) ++skipped;
  const std::string_view rest = bytes.substr(skipped);

  // The head ends at the first empty line: "\n\r\n" or "\n\n" (the request line is not empty).
  std::size_t head_end = std::string_view::npos;
  for (std::size_t newline = rest.find('\n'); newline != std::string_view::npos;
       newline = rest.find('\n', newline + 1)) {
    if (newline + 1 < rest.size() && rest[newline + 1] == '\n') {
      head_end = newline + 2;
      break;
    }
    if (newline + 2 < rest.size() && rest[newline + 1] == '\r' && rest[newline + 2] == '\n') {
      head_end = newline + 3;
      break;
    }
  }
  if (head_end == std::string_view::npos) {
    if (rest.size() > max_head_bytes) return Failure(431, "request header block too large");
    return HttpRequestParse{};
  }
  if (head_end > max_head_bytes) return Failure(431, "request header block too large");

  HttpRequestParse parse;
  HttpRequest& request = parse.request;
  request.raw_head = std::string(rest.substr(0, head_end));
  const std::vector<std::string_view> lines = SplitLines(rest.substr(0, head_end));

  for (std::string_view line : lines) {
    if (std::any_of(line.begin(), line.end(), IsForbiddenControl)) {
      return Failure(400, "control character in request head");
    }
  }

  // Request line: method SP request-target SP HTTP-version (RFC 9112 §3).
  const std::string_view request_line = lines.front();
  const std::size_t first_space = request_line.find(' ');
  const std::size_t second_space =
      first_space == std::string_view::npos ? first_space : request_line.find(' ', first_space + 1);
  if (second_space == std::string_view::npos) return Failure(400, "malformed request line");
  const std::string_view method = request_line.substr(0, first_space);
  const std::string_view target =
      request_line.substr(first_space + 1, second_space - first_space - 1);
  const std::string_view version = request_line.substr(second_space + 1);
  if (method.empty() || !std::all_of(method.begin(), method.end(), IsTokenCharacter)) {
    return Failure(400, "malformed method");
  }
  if (target.empty() || target.find_first_of(" \t") != std::string_view::npos) {
    return Failure(400, "malformed request target");
  }
  if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || version[6] != '.' ||
      version[5] < '0' || version[5] > '9' || version[7] < '0' || version[7] > '9') {
    return Failure(400, "malformed HTTP version");
  }
  if (version[5] != '1') return Failure(505, "only HTTP/1.x is supported");
  request.method = std::string(method);
  request.target = std::string(target);
  request.minor_version = version[7] - '0';
  const std::size_t question = target.find('?');
  request.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) request.query = std::string(target.substr(question + 1));

  // Header fields: field-name ":" OWS field-value OWS (RFC 9112 §5).
  std::optional<std::size_t> content_length;
  for (std::size_t index = 1; index < lines.size(); ++index) {
    const std::string_view line = lines[index];
    if (line.empty()) break;  // the final empty line
    if (line.front() == ' ' || line.front() == '\t') {
      return Failure(400, "obsolete line folding");  // RFC 9112 §5.2
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return Failure(400, "malformed header line");
    const std::string_view name = line.substr(0, colon);
    if (!std::all_of(name.begin(), name.end(), IsTokenCharacter)) {
      return Failure(400, "malformed header name");
    }
    const std::string_view value = TrimWhitespace(line.substr(colon + 1));
    request.headers.push_back(HttpHeader{std::string(name), std::string(value)});

    if (EqualsIgnoringAsciiCase(name, "Content-Length")) {
      std::size_t length = 0;
      const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), length);
      if (error != std::errc() || end != value.data() + value.size() || value.empty()) {
        return Failure(400, "malformed Content-Length");
      }
      if (content_length && *content_length != length) {
        return Failure(400, "conflicting Content-Length headers");
      }
      content_length = length;
    } else if (EqualsIgnoringAsciiCase(name, "Transfer-Encoding")) {
      return Failure(501, "Transfer-Encoding is not supported");
    }
  }
  request.content_length = content_length.value_or(0);

  parse.outcome = HttpRequestParse::Outcome::kComplete;
  parse.consumed_bytes = skipped + head_end;
  return parse;
}

std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  std::string decoded;
  decoded.reserve(text.size());
  for (std::size_t index = 0; index < text.size(); ++index) {
    const char c = text[index];
    if (c == '%') {
      if (index + 2 >= text.size()) return std::nullopt;
      const int high = HexValue(text[index + 1]);
      const int low = HexValue(text[index + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      decoded.push_back(static_cast<char>(high * 16 + low));
      index += 2;
    } else if (c == '+' && plus_is_space) {
      decoded.push_back(' ');
    } else {
      decoded.push_back(c);
    }
  }
  return decoded;
}

QueryParameters::QueryParameters(std::string_view query) {
  while (!query.empty()) {
    const std::size_t ampersand = query.find('&');
    const std::string_view pair = query.substr(0, ampersand);
    const std::size_t equals = pair.find('=');
    const std::optional<std::string> name = PercentDecode(pair.substr(0, equals), true);
    const std::optional<std::string> value = PercentDecode(
        equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1), true);
    if (name && value && !name->empty()) parameters_.emplace_back(*name, *value);
    if (ampersand == std::string_view::npos) break;
    query.remove_prefix(ampersand + 1);
  }
}

bool QueryParameters::Has(std::string_view name) const {
  return std::any_of(parameters_.begin(), parameters_.end(),
                     [name](const auto& parameter) { return parameter.first == name; });
}

std::string QueryParameters::Get(std::string_view name, std::string_view fallback) const {
  for (const auto& [key, value] : parameters_) {
    if (key == name) return value;
  }
  return std::string(fallback);
}

std::vector<std::string> QueryParameters::GetAll(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& [key, value] : parameters_) {
    if (key == name) values.push_back(value);
  }
  return values;
}

long long QueryParameters::GetInteger(std::string_view name, long long fallback, long long minimum,
                                      long long maximum) const {
  if (!Has(name)) return fallback;
  const std::string text = Get(name);
  long long number = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return fallback;
  return std::clamp(number, minimum, maximum);
}

}  // namespace switchboard::reference_server
