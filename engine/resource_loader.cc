#include "engine/resource_loader.h"

#include <fstream>
#include <memory>
#include <sstream>

#include <curl/curl.h>

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

Result<Resource> LoadHttp(const PageUrl& url, const PageSettings& settings) {
  std::unique_ptr<CURL, EasyDeleter> easy(curl_easy_init());
  if (!easy) return Error{Stage::kLoad, "libcurl could not start"};
  Resource resource;
  char error_buffer[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(easy.get(), CURLOPT_URL, url.href.c_str());
  curl_easy_setopt(easy.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy.get(), CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy.get(), CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(easy.get(), CURLOPT_MAXREDIRS, kMaxRedirects);
  curl_easy_setopt(easy.get(), CURLOPT_MAXFILESIZE_LARGE, kMaxResourceBytes);
  curl_easy_setopt(easy.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy.get(), CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(easy.get(), CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(easy.get(), CURLOPT_WRITEFUNCTION, &AppendBody);
  curl_easy_setopt(easy.get(), CURLOPT_WRITEDATA, &resource.body);
  curl_easy_setopt(easy.get(), CURLOPT_USERAGENT, "Switchboard/0.1");
  if (!settings.proxy.empty()) curl_easy_setopt(easy.get(), CURLOPT_PROXY, settings.proxy.c_str());
  if (!settings.ca_file.empty()) {
    curl_easy_setopt(easy.get(), CURLOPT_CAINFO, settings.ca_file.c_str());
    curl_easy_setopt(easy.get(), CURLOPT_PROXY_CAINFO, settings.ca_file.c_str());
  }
  CURLcode code = curl_easy_perform(easy.get());
  if (code != CURLE_OK) {
    return Error{Stage::kLoad, "cannot load " + url.href + ": " +
                                   (error_buffer[0] ? error_buffer : curl_easy_strerror(code))};
  }
  long status = 0;
  curl_easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status > 299) {
    return Error{Stage::kLoad,
                 "cannot load " + url.href + ": HTTP status " + std::to_string(status)};
  }
  char* content_type = nullptr;
  curl_easy_getinfo(easy.get(), CURLINFO_CONTENT_TYPE, &content_type);
  if (content_type) resource.content_type = content_type;
  char* effective_url = nullptr;
  curl_easy_getinfo(easy.get(), CURLINFO_EFFECTIVE_URL, &effective_url);
  Result<PageUrl> final_url = PageUrl::Parse(effective_url ? effective_url : url.href);
  resource.url = final_url.ok() ? final_url.value() : url;
  return resource;
}

}  // namespace

Result<Resource> LoadResource(const PageUrl& url, const PageSettings& settings) {
  if (url.IsFile()) return LoadFile(url);
  return LoadHttp(url, settings);
}

}  // namespace switchboard
