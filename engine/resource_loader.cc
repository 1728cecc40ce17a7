#include "engine/resource_loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <future>

#include "engine/page.h"
#include "net/net_log.h"

namespace switchboard {

namespace {

Result<Resource> ToResource(const PageUrl& requested, Result<FetchResponse> fetched) {
  if (!fetched.ok()) return LoadFailure(requested, fetched.error());
  FetchResponse& response = fetched.value();
  return Resource{std::move(response.url), std::move(response.content_type),
                  std::move(response.body)};
}

}  // namespace

Result<Resource> LoadFile(const PageUrl& url, std::size_t max_bytes) {
  std::string path = url.FilePath();
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    return Error{Stage::kLoad, "'" + path + "' is a directory"};
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) return Error{Stage::kLoad, "cannot read '" + path + "'"};
  // Read in chunks up to the limit plus one byte, so that an endless file ends the load.
  std::string contents;
  char chunk[64 * 1024];
  while (file) {
    std::size_t room = max_bytes + 1 - contents.size();
    file.read(chunk, static_cast<std::streamsize>(std::min(room, sizeof chunk)));
    contents.append(chunk, static_cast<std::size_t>(file.gcount()));
    if (contents.size() > max_bytes) {
      return Error{Stage::kLoad, "'" + path + "' is larger than the limit of " +
                                     std::to_string(max_bytes) + " bytes"};
    }
  }
  if (file.bad()) return Error{Stage::kLoad, "cannot read '" + path + "'"};
  return Resource{url, "", std::move(contents)};
}

Error LoadFailure(const PageUrl& url, const Error& error) {
  return Error{error.stage, "cannot load " + MaskUrlCredentials(url.href) + ": " +
                                std::string(StageName(error.stage)) + ": " + error.message};
}

void LoadResource(Page& page, const PageUrl& url, std::string destination,
                  std::function<void(Result<Resource>)> done) {
  if (url.IsFile()) {
    std::size_t max_bytes = page.settings().limits.max_resource_bytes;
    page.event_loop().PostTask(
        [url, max_bytes, done = std::move(done)] { done(LoadFile(url, max_bytes)); });
    return;
  }
  page.network().Fetch(url, std::move(destination), page.origin(),
                       [url, done = std::move(done)](Result<FetchResponse> fetched) {
                         done(ToResource(url, std::move(fetched)));
                       });
}

Result<Resource> LoadResourceBlocking(NetworkService& service, const PageUrl& url,
                                      const PageSettings& settings,
                                      std::shared_ptr<CookieJar> cookie_jar) {
  if (url.IsFile()) return LoadFile(url, settings.limits.max_resource_bytes);
  // Issue 18: the embedder's policy first, on this (the page's) thread.
  Result<std::vector<HeaderField>> allowed = AskConnectionPolicy(
      settings.connection_policy,
      {PolicyTarget::kDocument, url.href,
       settings.origin_override.empty() ? url.Origin() : settings.origin_override,
       url.scheme == "https"});
  if (!allowed.ok()) return LoadFailure(url, allowed.error());
  FetchRequest request = FetchRequestFor(url, settings, std::move(cookie_jar), "document");
  request.extra_headers = std::move(allowed).value();
  std::promise<Result<FetchResponse>> answer;
  service.Fetch(std::move(request),
                [&answer](Result<FetchResponse> fetched) { answer.set_value(std::move(fetched)); });
  return ToResource(url, answer.get_future().get());
}

}  // namespace switchboard
