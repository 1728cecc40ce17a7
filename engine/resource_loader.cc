#include "engine/resource_loader.h"

#include <fstream>
#include <future>
#include <sstream>

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

Result<Resource> LoadFile(const PageUrl& url) {
  std::string path = url.FilePath();
  std::ifstream file(path, std::ios::binary);
  if (!file) return Error{Stage::kLoad, "cannot read '" + path + "'"};
  std::ostringstream contents;
  contents << file.rdbuf();
  return Resource{url, "", contents.str()};
}

Error LoadFailure(const PageUrl& url, const Error& error) {
  return Error{error.stage, "cannot load " + MaskUrlCredentials(url.href) + ": " +
                                std::string(StageName(error.stage)) + ": " + error.message};
}

void LoadResource(Page& page, const PageUrl& url, std::string destination,
                  std::function<void(Result<Resource>)> done) {
  if (url.IsFile()) {
    page.event_loop().PostTask([url, done = std::move(done)] { done(LoadFile(url)); });
    return;
  }
  page.network().Fetch(url, std::move(destination),
                       [url, done = std::move(done)](Result<FetchResponse> fetched) {
                         done(ToResource(url, std::move(fetched)));
                       });
}

Result<Resource> LoadResourceBlocking(NetworkService& service, const PageUrl& url,
                                      const PageSettings& settings,
                                      std::shared_ptr<CookieJar> cookie_jar) {
  if (url.IsFile()) return LoadFile(url);
  std::promise<Result<FetchResponse>> answer;
  service.Fetch(FetchRequestFor(url, settings, std::move(cookie_jar), "document"),
                [&answer](Result<FetchResponse> fetched) { answer.set_value(std::move(fetched)); });
  return ToResource(url, answer.get_future().get());
}

}  // namespace switchboard
