#include "engine/resource_loader.h"

#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

#include <curl/curl.h>

#include "net/net_log.h"

namespace switchboard {

namespace {

constexpr long kMaxRedirects = 10;
constexpr curl_off_t kMaxResourceBytes = 256 * 1024 * 1024;

struct EasyDeleter {
  void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};

std::size_t AppendBody(char* data, std::size_t size, std::size_t count, void* user_data) {
  static_cast<std::string*>(user_data)->append(data, size * count);
  return size * count;
}

Result<Resource> LoadFile(const PageUrl& url) {
  std::string path = url.FilePath();
  std::ifstream file(path, std::ios::binary);
  if (!file) return Error{Stage::kLoad, "cannot read '" + path + "'"};
  std::ostringstream contents;
  contents << file.rdbuf();
  return Resource{url, "", contents.str()};
}

struct ResponseHeaders {
  std::vector<std::string> set_cookies;
};

// curl hands over every header block it reads: a 1xx, a proxy's 407, then the response. Only
// the response's own Set-Cookie fields count, so each status line starts the list afresh.
std::size_t CollectHeader(char* data, std::size_t size, std::size_t count, void* user_data) {
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) static_cast<ResponseHeaders*>(user_data)->set_cookies.clear();
  constexpr std::string_view kSetCookie = "set-cookie:";
  if (line.size() > kSetCookie.size()) {
    bool matches = true;
    for (std::size_t i = 0; i < kSetCookie.size() && matches; ++i) {
      matches = std::tolower(static_cast<unsigned char>(line[i])) == kSetCookie[i];
    }
    if (matches) {
      std::string_view value = line.substr(kSetCookie.size());
      while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove_prefix(1);
      while (!value.empty() && (value.back() == '\r' || value.back() == '\n'))
        value.remove_suffix(1);
      static_cast<ResponseHeaders*>(user_data)->set_cookies.emplace_back(value);
    }
  }
  return size * count;
}

std::string HostWithoutBrackets(const std::string& hostname) {
  if (hostname.size() > 2 && hostname.front() == '[')
    return hostname.substr(1, hostname.size() - 2);
  return hostname;
}

// One request, no redirects followed: the caller follows them so that every hop gets the
// cookies of its own URL.
Result<Resource> LoadHttpOnce(const PageUrl& url, const PageSettings& settings,
                              CookieJar* cookie_jar, long& status, std::string& location) {
  std::unique_ptr<CURL, EasyDeleter> easy(curl_easy_init());
  if (!easy) return Error{Stage::kLoad, "libcurl could not start"};
  Resource resource;
  ResponseHeaders headers;
  char error_buffer[CURL_ERROR_SIZE] = {};
  std::string host = HostWithoutBrackets(url.hostname);
  CookieUrl cookie_url{url.scheme, host, url.path};
  CookieTransport transport =
      url.scheme == "https" ? CookieTransport::kSecure : CookieTransport::kInsecure;
  std::string cookie;
  if (cookie_jar) {
    cookie = cookie_jar->CookieHeaderFor(cookie_url, transport, CookieSource::kHttp,
                                         std::chrono::system_clock::now());
  }
  curl_easy_setopt(easy.get(), CURLOPT_URL, url.href.c_str());
  curl_easy_setopt(easy.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy.get(), CURLOPT_MAXFILESIZE_LARGE, kMaxResourceBytes);
  curl_easy_setopt(easy.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy.get(), CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(easy.get(), CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(easy.get(), CURLOPT_WRITEFUNCTION, &AppendBody);
  curl_easy_setopt(easy.get(), CURLOPT_WRITEDATA, &resource.body);
  curl_easy_setopt(easy.get(), CURLOPT_HEADERFUNCTION, &CollectHeader);
  curl_easy_setopt(easy.get(), CURLOPT_HEADERDATA, &headers);
  // A proxy's answer to CONNECT is not the server's: it must not set the server's cookies.
  curl_easy_setopt(easy.get(), CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
  curl_easy_setopt(easy.get(), CURLOPT_USERAGENT, "Switchboard/0.1");
  if (!cookie.empty()) curl_easy_setopt(easy.get(), CURLOPT_COOKIE, cookie.c_str());
  if (!settings.proxy.empty()) curl_easy_setopt(easy.get(), CURLOPT_PROXY, settings.proxy.c_str());
  if (!settings.ca_file.empty()) {
    curl_easy_setopt(easy.get(), CURLOPT_CAINFO, settings.ca_file.c_str());
    curl_easy_setopt(easy.get(), CURLOPT_PROXY_CAINFO, settings.ca_file.c_str());
  }
  CURLcode code = curl_easy_perform(easy.get());
  if (code != CURLE_OK) {
    return Error{Stage::kLoad, "cannot load " + MaskUrlCredentials(url.href) + ": " +
                                   (error_buffer[0] ? error_buffer : curl_easy_strerror(code))};
  }
  curl_easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &status);
  if (cookie_jar) {
    auto now = std::chrono::system_clock::now();
    for (const std::string& set_cookie : headers.set_cookies) {
      cookie_jar->SetCookie(cookie_url, set_cookie, transport, CookieSource::kHttp, now);
    }
  }
  char* redirect = nullptr;
  curl_easy_getinfo(easy.get(), CURLINFO_REDIRECT_URL, &redirect);
  location = redirect ? redirect : "";
  char* content_type = nullptr;
  curl_easy_getinfo(easy.get(), CURLINFO_CONTENT_TYPE, &content_type);
  if (content_type) resource.content_type = content_type;
  resource.url = url;
  return resource;
}

Result<Resource> LoadHttp(const PageUrl& url, const PageSettings& settings, CookieJar* cookie_jar) {
  PageUrl current = url;
  for (long redirects = 0;; ++redirects) {
    long status = 0;
    std::string location;
    Result<Resource> response = LoadHttpOnce(current, settings, cookie_jar, status, location);
    if (!response.ok()) return response;
    bool is_redirect =
        status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    if (is_redirect && !location.empty()) {
      if (redirects == kMaxRedirects) {
        return Error{Stage::kLoad, "cannot load " + MaskUrlCredentials(url.href) + ": more than " +
                                       std::to_string(kMaxRedirects) + " redirects"};
      }
      Result<PageUrl> next = current.Resolve(location);
      if (!next.ok()) return next.error();
      if (!next.value().IsHttp()) {
        return Error{Stage::kLoad, "cannot load " + MaskUrlCredentials(url.href) +
                                       ": redirect to " + MaskUrlCredentials(location)};
      }
      current = next.value();
      continue;
    }
    if (status < 200 || status > 299) {
      return Error{Stage::kLoad, "cannot load " + MaskUrlCredentials(current.href) +
                                     ": HTTP status " + std::to_string(status)};
    }
    return response;
  }
}

}  // namespace

Result<Resource> LoadResource(const PageUrl& url, const PageSettings& settings,
                              CookieJar* cookie_jar) {
  if (url.IsFile()) return LoadFile(url);
  return LoadHttp(url, settings, cookie_jar);
}

}  // namespace switchboard
