#include "net/page_url.h"

#include <filesystem>
#include <memory>
#include <optional>

#include <curl/curl.h>

#include "net/url.h"

namespace switchboard {

namespace {

struct UrlHandleDeleter {
  void operator()(CURLU* handle) const { curl_url_cleanup(handle); }
};
using UrlHandle = std::unique_ptr<CURLU, UrlHandleDeleter>;

struct CurlStringDeleter {
  void operator()(char* text) const { curl_free(text); }
};

std::string GetPart(CURLU* handle, CURLUPart part, unsigned flags = 0) {
  char* raw = nullptr;
  if (curl_url_get(handle, part, &raw, flags) != CURLUE_OK || !raw) return {};
  std::unique_ptr<char, CurlStringDeleter> owned(raw);
  return std::string(raw);
}

Error CurlUrlError(std::string_view input, CURLUcode code) {
  return Error{Stage::kLoad,
               "invalid URL '" + std::string(input) + "': " + curl_url_strerror(code)};
}

Result<PageUrl> FromHandle(CURLU* handle, std::string_view input) {
  PageUrl url;
  url.scheme = GetPart(handle, CURLUPART_SCHEME);
  if (url.scheme != "file" && url.scheme != "http" && url.scheme != "https") {
    return Error{Stage::kLoad, "unsupported URL scheme in '" + std::string(input) + "'"};
  }
  // Not CURLU_PUNYCODE: Debian's curl converts through the process locale and fails under
  // "C"; net/ converts IDN with libidn2 directly.
  url.hostname = GetPart(handle, CURLUPART_HOST);
  if (!url.hostname.empty() && url.hostname.front() != '[') {
    std::optional<std::string> ascii = CanonicalizeHost(url.hostname);
    if (!ascii) return Error{Stage::kLoad, "invalid host in '" + std::string(input) + "'"};
    if (*ascii != url.hostname) {
      url.hostname = *ascii;
      curl_url_set(handle, CURLUPART_HOST, url.hostname.c_str(), 0);
    }
  }
  url.port = GetPart(handle, CURLUPART_PORT, CURLU_NO_DEFAULT_PORT);
  url.path = GetPart(handle, CURLUPART_PATH, CURLU_URLENCODE);
  if (url.path.empty()) url.path = "/";
  url.query = GetPart(handle, CURLUPART_QUERY);
  url.fragment = GetPart(handle, CURLUPART_FRAGMENT);
  url.href = GetPart(handle, CURLUPART_URL, CURLU_NO_DEFAULT_PORT);
  return url;
}

}  // namespace

Result<PageUrl> PageUrl::Parse(std::string_view input) {
  UrlHandle handle(curl_url());
  std::string text(input);
  CURLUcode code = curl_url_set(handle.get(), CURLUPART_URL, text.c_str(), CURLU_URLENCODE);
  if (code != CURLUE_OK) return CurlUrlError(input, code);
  return FromHandle(handle.get(), input);
}

Result<PageUrl> PageUrl::FromFilePath(std::string_view file_path) {
  std::error_code error;
  std::filesystem::path absolute = std::filesystem::absolute(std::string(file_path), error);
  if (error) return Error{Stage::kLoad, "bad path '" + std::string(file_path) + "'"};
  UrlHandle handle(curl_url());
  curl_url_set(handle.get(), CURLUPART_SCHEME, "file", 0);
  CURLUcode code = curl_url_set(handle.get(), CURLUPART_PATH, absolute.lexically_normal().c_str(),
                                CURLU_URLENCODE);
  if (code != CURLUE_OK) return CurlUrlError(file_path, code);
  return FromHandle(handle.get(), file_path);
}

Result<PageUrl> PageUrl::Resolve(std::string_view reference) const {
  UrlHandle handle(curl_url());
  CURLUcode code = curl_url_set(handle.get(), CURLUPART_URL, href.c_str(), 0);
  if (code != CURLUE_OK) return CurlUrlError(href, code);
  std::string text(reference);
  code = curl_url_set(handle.get(), CURLUPART_URL, text.c_str(), CURLU_URLENCODE);
  if (code != CURLUE_OK) return CurlUrlError(reference, code);
  return FromHandle(handle.get(), reference);
}

std::string PageUrl::Host() const { return port.empty() ? hostname : hostname + ":" + port; }

std::string PageUrl::Origin() const {
  if (!IsHttp()) return "null";
  return scheme + "://" + Host();
}

std::string PageUrl::FilePath() const {
  int length = 0;
  char* decoded = curl_easy_unescape(nullptr, path.c_str(), static_cast<int>(path.size()), &length);
  if (!decoded) return path;
  std::string result(decoded, static_cast<std::size_t>(length));
  curl_free(decoded);
  return result;
}

std::string PageUrl::DisplayName() const {
  if (!IsFile()) return href;
  std::filesystem::path file = FilePath();
  std::error_code error;
  std::filesystem::path relative = std::filesystem::relative(file, error);
  if (!error && !relative.empty() && !relative.string().starts_with("..")) return relative.string();
  return file.string();
}

}  // namespace switchboard
