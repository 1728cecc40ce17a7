#include "net/page_url.h"

#include <filesystem>

#include "net/percent_encoding.h"
#include "net/whatwg_url.h"

namespace switchboard {

namespace {

Result<PageUrl> FromWhatwgUrl(const WhatwgUrl& parsed, std::string_view input) {
  PageUrl url;
  url.scheme = parsed.scheme();
  if (url.scheme != "file" && url.scheme != "http" && url.scheme != "https") {
    return Error{Stage::kLoad, "unsupported URL scheme '" + url.scheme + ":' in '" +
                                   std::string(input) +
                                   "' (pages load from file:, http: or https:)"};
  }
  url.hostname = parsed.hostname();  // IPv6 in brackets
  url.port = parsed.port();          // "" for the scheme's default
  url.path = parsed.pathname();
  if (url.path.empty()) url.path = "/";
  url.query = parsed.query().value_or("");
  url.fragment = parsed.fragment().value_or("");
  url.href = parsed.href();
  return url;
}

Error InvalidUrl(std::string_view input, const UrlParseError& error) {
  return Error{Stage::kLoad, "invalid URL '" + std::string(input) + "' (" +
                                 std::string(error.validation_error) + ")"};
}

}  // namespace

Result<PageUrl> PageUrl::Parse(std::string_view input) {
  WhatwgUrlResult parsed = WhatwgUrl::Parse(input);
  if (!parsed.ok()) return InvalidUrl(input, parsed.error());
  return FromWhatwgUrl(parsed.value(), input);
}

Result<PageUrl> PageUrl::FromFilePath(std::string_view file_path) {
  std::error_code error;
  std::filesystem::path absolute = std::filesystem::absolute(std::string(file_path), error);
  if (error) return Error{Stage::kLoad, "bad path '" + std::string(file_path) + "'"};
  // Every byte but '/' that the URL parser could read as something else ('%', '?', '#', '\\'
  // and the rest of the component percent-encode set, non-ASCII included) is percent-encoded,
  // so that FilePath() gives back exactly these bytes, valid UTF-8 or not.
  std::string url = "file://";
  for (char c : absolute.lexically_normal().string()) {
    if (c != '/' &&
        IsInPercentEncodeSet(static_cast<unsigned char>(c), PercentEncodeSet::kComponent)) {
      AppendPercentEncoded(std::string_view(&c, 1), PercentEncodeSet::kComponent, url);
    } else {
      url += c;
    }
  }
  return Parse(url);
}

Result<PageUrl> PageUrl::Resolve(std::string_view reference) const {
  WhatwgUrlResult base = WhatwgUrl::Parse(href);
  if (!base.ok()) return InvalidUrl(href, base.error());
  WhatwgUrlResult parsed = WhatwgUrl::Parse(reference, &base.value());
  if (!parsed.ok()) return InvalidUrl(reference, parsed.error());
  return FromWhatwgUrl(parsed.value(), reference);
}

std::string PageUrl::Host() const { return port.empty() ? hostname : hostname + ":" + port; }

std::string PageUrl::Origin() const {
  if (!IsHttp()) return "null";
  return scheme + "://" + Host();
}

std::string PageUrl::FilePath() const { return PercentDecode(path); }

std::string PageUrl::DisplayName() const {
  if (!IsFile()) return href;
  std::filesystem::path file = FilePath();
  std::error_code error;
  std::filesystem::path relative = std::filesystem::relative(file, error);
  if (!error && !relative.empty() && !relative.string().starts_with("..")) return relative.string();
  return file.string();
}

}  // namespace switchboard
