#include "net/proxy.h"

#include <strings.h>

#include <curl/curl.h>

#include "base/ascii.h"
#include "base/host_port.h"
#include "net/handshake.h"

namespace switchboard {

namespace {

// At most this many bytes of the proxy's status line are quoted in an error message.
constexpr std::size_t kMaxQuotedStatusBytes = 64;

const char* Environment(const char* lower, const char* upper) {
  if (const char* value = std::getenv(lower); value && *value) return value;
  if (upper) {
    if (const char* value = std::getenv(upper); value && *value) return value;
  }
  return nullptr;
}

std::string_view TrimBlanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// curl's no_proxy rules: "*" matches everything; otherwise a comma-separated list of host
// names (matching the host or its subdomains, a leading dot allowed) and IP addresses.
bool NoProxyMatches(std::string_view no_proxy, std::string_view host) {
  while (!no_proxy.empty()) {
    std::size_t comma = no_proxy.find(',');
    std::string_view entry = TrimBlanks(no_proxy.substr(0, comma));
    no_proxy = comma == std::string_view::npos ? std::string_view() : no_proxy.substr(comma + 1);
    if (entry == "*") return true;
    if (!entry.empty() && entry.front() == '.') entry.remove_prefix(1);
    if (entry.empty() || host.size() < entry.size()) continue;
    if (host.size() > entry.size() && host[host.size() - entry.size() - 1] != '.') continue;
    if (EqualsIgnoringAsciiCase(host.substr(host.size() - entry.size()), entry)) return true;
  }
  return false;
}

}  // namespace

std::string ChooseProxy(const std::string& explicit_proxy, std::string_view scheme,
                        std::string_view host) {
  if (!explicit_proxy.empty()) return explicit_proxy;
  if (const char* no_proxy = Environment("no_proxy", "NO_PROXY");
      no_proxy && NoProxyMatches(no_proxy, host)) {
    return "";
  }
  const char* proxy = scheme == "https" ? Environment("https_proxy", "HTTPS_PROXY")
                                        : Environment("http_proxy", nullptr);
  if (!proxy) proxy = Environment("all_proxy", "ALL_PROXY");
  return proxy ? proxy : "";
}

Result<ProxyEndpoint> ParseProxyEndpoint(const std::string& proxy_url) {
  CURLU* url = curl_url();
  CURLUcode code = curl_url_set(url, CURLUPART_URL, proxy_url.c_str(),
                                CURLU_DEFAULT_SCHEME | CURLU_NON_SUPPORT_SCHEME);
  char* host = nullptr;
  char* port = nullptr;
  if (code == CURLUE_OK) code = curl_url_get(url, CURLUPART_HOST, &host, 0);
  ProxyEndpoint endpoint;
  if (code == CURLUE_OK) {
    endpoint.host = StripIpv6Brackets(host);
    // curl's default proxy port when the URL names none: 443 for an https:// proxy, else 1080.
    // (Not curl's parsed scheme: CURLU_DEFAULT_SCHEME makes a bare "host" https.)
    const bool https = strncasecmp(proxy_url.c_str(), "https://", 8) == 0;
    endpoint.port = curl_url_get(url, CURLUPART_PORT, &port, 0) == CURLUE_OK
                        ? static_cast<std::uint16_t>(std::stoi(port))
                    : https ? 443
                            : 1080;
  }
  curl_free(host);
  curl_free(port);
  curl_url_cleanup(url);
  if (code != CURLUE_OK) {
    return Error{Stage::kProxy, "bad proxy URL '" + proxy_url + "': " + curl_url_strerror(code)};
  }
  return endpoint;
}

std::string CurlResolveEntry(const std::string& host, std::uint16_t port,
                             const std::vector<ResolvedAddress>& addresses) {
  if (addresses.empty() || (addresses.size() == 1 && addresses.front().ip == host)) return "";
  std::string entry = HostPort(host, port) + ":";
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    if (i) entry += ",";
    entry += BracketedHost(addresses[i].ip);
  }
  return entry;
}

std::vector<std::string> AuthSchemeNames(long mask) {
  static constexpr std::pair<unsigned long, const char*> kSchemes[] = {
      {CURLAUTH_BASIC, "Basic"},         {CURLAUTH_DIGEST, "Digest"},
      {CURLAUTH_NEGOTIATE, "Negotiate"}, {CURLAUTH_NTLM, "NTLM"},
      {CURLAUTH_DIGEST_IE, "DigestIE"},  {CURLAUTH_BEARER, "Bearer"},
  };
  std::vector<std::string> names;
  for (const auto& [bit, name] : kSchemes) {
    if (static_cast<unsigned long>(mask) & bit) names.emplace_back(name);
  }
  return names;
}

bool ProxyAuthRounds::OnHeaderLine(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (!in_reply_) {
    in_reply_ = true;
    reply_counts_ = counting_ == Counting::kEveryReply || ParseStatusCode(line) == 407;
    if (reply_counts_) {
      ++rounds_;
      status_line_ = line.substr(0, 2 * kMaxQuotedStatusBytes);
    }
    return true;
  }
  if (!line.empty()) return true;
  // The end of the reply's header block: curl would now send the next request.
  in_reply_ = false;
  const int status = ParseStatusCode(status_line_);
  if (reply_counts_ && !(status >= 200 && status < 300) && rounds_ >= kMaxRounds) {
    exhausted_ = true;
    return false;
  }
  return true;
}

int ProxyAuthRounds::last_status() const {
  return in_reply_ && reply_counts_ ? 0 : ParseStatusCode(status_line_);
}

std::string ProxyAuthRounds::DescribeLastStatus() const {
  std::string_view status_line = status_line_;
  const std::size_t space = status_line.find(' ');
  if (space != std::string_view::npos) status_line.remove_prefix(space + 1);
  std::string described;
  for (char c : status_line.substr(0, kMaxQuotedStatusBytes)) {
    const auto byte = static_cast<unsigned char>(c);
    described += byte >= 0x20 && byte < 0x7F ? c : '?';
  }
  if (status_line.size() > kMaxQuotedStatusBytes) described += "...";
  return described;
}

std::string ProxyAuthRounds::FailureReason() const {
  return "proxy authentication failed after " + std::to_string(rounds_) +
         (rounds_ == 1 ? " round" : " rounds") + ": last status " + DescribeLastStatus();
}

}  // namespace switchboard
