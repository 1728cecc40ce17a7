#include "net/devtools_http_request.h"

#include <arpa/inet.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <cstdio>

#include "base/ascii.h"

namespace switchboard {
namespace {

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string Lowercase(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

bool ListContainsToken(std::string_view list, std::string_view token) {
  while (!list.empty()) {
    std::size_t comma = list.find(',');
    std::string_view item = TrimSpaces(list.substr(0, comma));
    if (Lowercase(item) == token) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

std::optional<std::string_view> DevToolsHttpRequest::Header(std::string_view name) const {
  for (const auto& [header_name, value] : headers) {
    if (header_name == name) return std::string_view(value);
  }
  return std::nullopt;
}

bool DevToolsHttpRequest::IsWebSocketUpgrade() const {
  auto upgrade = Header("upgrade");
  auto connection = Header("connection");
  auto version = Header("sec-websocket-version");
  auto key = Header("sec-websocket-key");
  if (!upgrade || !connection || !version || !key) return false;
  if (!ListContainsToken(*upgrade, "websocket") || !ListContainsToken(*connection, "upgrade")) {
    return false;
  }
  if (*version != "13") return false;
  // §4.1: the key is a base64-encoded 16-byte value: 24 characters ending in "==".
  unsigned char decoded[24];
  return key->size() == 24 &&
         EVP_DecodeBlock(decoded, reinterpret_cast<const unsigned char*>(key->data()), 24) == 18 &&
         key->substr(22) == "==";
}

std::optional<std::size_t> FindHttpHeadEnd(std::string_view bytes) {
  std::size_t end = bytes.find("\r\n\r\n");
  if (end == std::string_view::npos) return std::nullopt;
  return end + 4;
}

ResultOf<DevToolsHttpRequest, std::string> ParseDevToolsHttpRequest(std::string_view head) {
  DevToolsHttpRequest request;
  std::size_t line_end = head.find("\r\n");
  if (line_end == std::string_view::npos) return std::string("no request line");
  // RFC 9112 §3: method SP request-target SP HTTP-version.
  std::string_view request_line = head.substr(0, line_end);
  std::size_t first_space = request_line.find(' ');
  std::size_t second_space = request_line.find(' ', first_space + 1);
  if (first_space == std::string_view::npos || second_space == std::string_view::npos ||
      request_line.find(' ', second_space + 1) != std::string_view::npos) {
    return std::string("malformed request line");
  }
  request.method = std::string(request_line.substr(0, first_space));
  request.target =
      std::string(request_line.substr(first_space + 1, second_space - first_space - 1));
  std::string_view version = request_line.substr(second_space + 1);
  if (request.method.empty() || request.target.empty() || request.target.front() != '/') {
    return std::string("malformed request line");
  }
  for (char c : request.method) {
    if (!IsHttpTokenChar(c)) return std::string("malformed method");
  }
  for (char c : request.target) {
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7F) {
      return std::string("malformed request-target");
    }
  }
  if (version != "HTTP/1.1" && version != "HTTP/1.0") return std::string("unsupported version");

  std::string_view rest = head.substr(line_end + 2);
  for (;;) {
    line_end = rest.find("\r\n");
    if (line_end == std::string_view::npos) return std::string("head not terminated");
    std::string_view line = rest.substr(0, line_end);
    rest.remove_prefix(line_end + 2);
    if (line.empty()) break;
    std::size_t colon = line.find(':');
    if (colon == 0 || colon == std::string_view::npos) return std::string("malformed header");
    std::string_view name = line.substr(0, colon);
    for (char c : name) {
      if (!IsHttpTokenChar(c)) return std::string("malformed header name");
    }
    std::string_view value = TrimSpaces(line.substr(colon + 1));
    for (char c : value) {
      if (c == '\0' || c == '\r' || c == '\n') return std::string("malformed header value");
    }
    request.headers.emplace_back(Lowercase(name), std::string(value));
  }
  return request;
}

bool IsAllowedDevToolsHost(std::string_view host_header) {
  // inet_pton reads a C string: a NUL inside would cut "127.0.0.1\0.attacker.example" short.
  for (char c : host_header) {
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7F) {
      return false;
    }
  }
  std::string_view host = host_header;
  std::string_view port;
  if (!host.empty() && host.front() == '[') {
    // An IPv6 literal: "[::1]" or "[::1]:9229".
    std::size_t close = host.find(']');
    if (close == std::string_view::npos) return false;
    std::string_view after = host.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return false;
      port = after.substr(1);
      if (port.empty()) return false;
    }
    host = host.substr(1, close - 1);
    std::string address(host);
    unsigned char parsed[16];
    if (inet_pton(AF_INET6, address.c_str(), parsed) != 1) return false;
  } else {
    std::size_t colon = host.find(':');
    if (colon != std::string_view::npos) {
      port = host.substr(colon + 1);
      host = host.substr(0, colon);
      if (port.empty()) return false;
    }
    std::string address(host);
    unsigned char parsed[4];
    // inet_pton's AF_INET form is exactly the dotted quad (no "127.1", no octal).
    if (Lowercase(host) != "localhost" && inet_pton(AF_INET, address.c_str(), parsed) != 1) {
      return false;
    }
  }
  if (port.size() > 5) return false;
  for (char c : port) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::string WebSocketAcceptFor(std::string_view key) {
  std::string input(key);
  input += "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  unsigned char encoded[32];
  int length = EVP_EncodeBlock(encoded, digest, SHA_DIGEST_LENGTH);
  return std::string(reinterpret_cast<const char*>(encoded), static_cast<std::size_t>(length));
}

std::string JsonQuote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
          out += escaped;
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

}  // namespace switchboard
