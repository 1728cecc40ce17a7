#include "net/http_fetch.h"

#include <algorithm>
#include <cassert>

#include "base/ascii.h"
#include "base/host_port.h"
#include "net/connection_net_log.h"
#include "net/handshake.h"
#include "net/proxy.h"
#include "net/request_headers.h"
#include "net/uv_handle.h"

namespace switchboard {

namespace {

constexpr std::size_t kMaxLoggedHeadBytes = 64 * 1024;
// A load's body as net log content (only for a subscriber that asked, i.e. DevTools) when at
// most this long; a longer one is left out (DevTools then says it has no data).
constexpr std::size_t kMaxLoggedBodyBytes = 10 * 1024 * 1024;
// The header lines of one hop's replies (a proxy's included), as browsers bound them: a
// server that sends more fails the load instead of growing memory.
constexpr std::size_t kMaxHeaderBytes = 256 * 1024;

bool IsRedirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// Milliseconds (µs precision) from a CURLINFO_*_TIME_T value in µs.
double Milliseconds(curl_off_t microseconds) { return static_cast<double>(microseconds) / 1000.0; }

// The stage a failed transfer names (spec §7's stages, as connection failures name them).
Stage StageOf(CURLcode code, bool via_proxy, long proxy_connect_status) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return Stage::kTimeout;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      return Stage::kTls;
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_PROXY:
      return Stage::kProxy;
    case CURLE_COULDNT_CONNECT:
      return via_proxy ? Stage::kProxy : Stage::kConnect;
    case CURLE_COULDNT_RESOLVE_HOST:
      return Stage::kDns;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
      return via_proxy && proxy_connect_status == 0 ? Stage::kConnect : Stage::kHttp;
    default:
      return via_proxy && proxy_connect_status != 0 &&
                     (proxy_connect_status < 200 || proxy_connect_status >= 300)
                 ? Stage::kProxy
                 : Stage::kHttp;
  }
}

}  // namespace

// One load: hops of (resolve → transfer) until a response that is not a redirect.
class HttpFetcher::Load {
 public:
  Load(HttpFetcher& fetcher, LoadId id, FetchRequest request, Callback callback)
      : fetcher_(fetcher),
        id_(id),
        request_(std::move(request)),
        callback_(std::move(callback)),
        current_(request_.url),
        log_(fetcher.net_log_) {}

  ~Load() { Release(); }

  void Start() {
    deadline_ = new uv_timer_t;
    uv_timer_init(fetcher_.multi_.io_thread().loop(), deadline_);
    deadline_->data = this;
    uv_timer_start(
        deadline_,
        [](uv_timer_t* timer) {
          auto* self = static_cast<Load*>(timer->data);
          self->Fail(Error{Stage::kTimeout,
                           "not loaded within " +
                               std::to_string(self->request_.limits.load_timeout.count()) + " ms"});
        },
        static_cast<std::uint64_t>(std::max<std::int64_t>(0, request_.limits.load_timeout.count())),
        0);
    if (log_) {
      log_->AddForLoad(id_, "load_start",
                       NetLogParams()
                           .Add("url", MaskUrlCredentials(request_.url.href))
                           .Add("destination", request_.destination));
    }
    if (std::optional<std::string> refused = ExtraHeadersError(request_.extra_headers)) {
      // Reported from the loop, never from inside Start().
      fetcher_.multi_.io_thread().PostTask(
          [fetcher = &fetcher_, id = id_, reason = std::move(*refused)] {
            auto found = fetcher->loads_.find(id);
            if (found != fetcher->loads_.end()) found->second->Fail(Error{Stage::kPolicy, reason});
          });
      return;
    }
    StartHop();
  }

 private:
  // 1. The proxy for this hop's URL (§3.1); 2. resolve the proxy's name with one, else the
  // host's (§3.2); 3. the transfer.
  void StartHop() {
    host_ = StripIpv6Brackets(current_.hostname);
    proxy_ = ChooseProxy(fetcher_.settings_.proxy, current_.scheme, host_);
    std::string resolve_host = host_;
    if (!proxy_.empty()) {
      Result<ProxyEndpoint> endpoint = ParseProxyEndpoint(proxy_);
      if (!endpoint.ok()) {
        Fail(endpoint.error());
        return;
      }
      proxy_endpoint_ = std::move(endpoint).value();
      resolve_host = proxy_endpoint_.host;
    }
    if (log_) {
      log_->AddForLoad(id_, "resolve_start",
                       ResolveStartParams(resolve_host, !proxy_.empty(), fetcher_.resolver_));
    }
    resolve_request_ = fetcher_.resolver_.Resolve(
        resolve_host, [this, resolve_host](Result<HostResolver::Addresses> result) {
          resolve_request_.reset();
          if (log_) log_->AddForLoad(id_, "resolve_end", ResolveEndParams(resolve_host, result));
          if (!result.ok()) {
            Fail(proxy_.empty() ? result.error()
                                : Error{Stage::kProxy,
                                        "could not resolve the proxy: " + result.error().message});
            return;
          }
          StartTransfer(std::move(result).value());
        });
  }

  void StartTransfer(const HostResolver::Addresses& addresses) {
    easy_ = curl_easy_init();
    if (!easy_) {
      Fail(Error{Stage::kConnect, "libcurl could not start a transfer"});
      return;
    }
    body_.clear();
    set_cookies_.clear();
    rounds_ = ProxyAuthRounds(ProxyAuthRounds::Counting::kChallenges);
    body_too_large_ = false;
    header_bytes_ = 0;
    headers_too_large_ = false;
    error_buffer_[0] = '\0';
    const std::uint16_t port =
        current_.port.empty() ? static_cast<std::uint16_t>(current_.scheme == "https" ? 443 : 80)
                              : static_cast<std::uint16_t>(std::stoi(current_.port));
    std::string entry =
        proxy_.empty() ? CurlResolveEntry(host_, port, addresses)
                       : CurlResolveEntry(proxy_endpoint_.host, proxy_endpoint_.port, addresses);
    if (!entry.empty()) resolve_list_ = curl_slist_append(nullptr, entry.c_str());

    std::string cookie;
    if (request_.cookie_jar) {
      cookie = request_.cookie_jar->CookieHeaderFor(
          CookieUrl{current_.scheme, host_, current_.path}, Transport(), CookieSource::kHttp,
          std::chrono::system_clock::now());
    }
    // Connecting is bounded as a connection's is (§9's handshake timeout); the whole load by
    // the deadline timer.
    const long timeout_ms = static_cast<long>(request_.limits.handshake_timeout.count());
    curl_easy_setopt(easy_, CURLOPT_URL, current_.href.c_str());
    curl_easy_setopt(easy_, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy_, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(easy_, CURLOPT_USERAGENT, "Switchboard/0.1");
    curl_easy_setopt(easy_, CURLOPT_ERRORBUFFER, error_buffer_);
    curl_easy_setopt(easy_, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    curl_easy_setopt(easy_, CURLOPT_MAXFILESIZE_LARGE,
                     static_cast<curl_off_t>(request_.limits.max_resource_bytes));
    curl_easy_setopt(easy_, CURLOPT_WRITEFUNCTION, &Load::OnBody);
    curl_easy_setopt(easy_, CURLOPT_WRITEDATA, this);
    curl_easy_setopt(easy_, CURLOPT_HEADERFUNCTION, &Load::OnHeader);
    curl_easy_setopt(easy_, CURLOPT_HEADERDATA, this);
    if (!cookie.empty()) curl_easy_setopt(easy_, CURLOPT_COOKIE, cookie.c_str());
    if (current_.Origin() == request_.url.Origin()) {
      for (const HeaderField& field : request_.extra_headers) {
        // "Name;" sends an empty value; "Name:" would remove the header instead.
        std::string line = field.value.empty() ? field.name + ";" : field.name + ": " + field.value;
        header_list_ = curl_slist_append(header_list_, line.c_str());
      }
      if (header_list_) curl_easy_setopt(easy_, CURLOPT_HTTPHEADER, header_list_);
    }
    // The proxy was chosen above for this URL: curl must neither pick one from the
    // environment nor apply no_proxy again.
    curl_easy_setopt(easy_, CURLOPT_PROXY, proxy_.c_str());
    curl_easy_setopt(easy_, CURLOPT_NOPROXY, "");
    if (!proxy_.empty()) {
      curl_easy_setopt(easy_, CURLOPT_PROXYAUTH, CURLAUTH_ANY);
      // Replies to CONNECT reach OnHeader too: their 407s are authentication rounds.
      curl_easy_setopt(easy_, CURLOPT_SUPPRESS_CONNECT_HEADERS, 0L);
    }
    if (!fetcher_.settings_.ca_file.empty()) {
      curl_easy_setopt(easy_, CURLOPT_CAINFO, fetcher_.settings_.ca_file.c_str());
      curl_easy_setopt(easy_, CURLOPT_PROXY_CAINFO, fetcher_.settings_.ca_file.c_str());
    }
    if (resolve_list_) curl_easy_setopt(easy_, CURLOPT_RESOLVE, resolve_list_);
    if (log_) {
      log_->AddForLoad(id_, "http_transfer_start",
                       NetLogParams()
                           .Add("url", MaskUrlCredentials(current_.href))
                           .Add("proxy", MaskProxyUrl(proxy_))
                           .Add("addresses", AddressList(addresses)));
      curl_easy_setopt(easy_, CURLOPT_DEBUGFUNCTION, &Load::OnDebug);
      curl_easy_setopt(easy_, CURLOPT_DEBUGDATA, this);
      curl_easy_setopt(easy_, CURLOPT_VERBOSE, 1L);
    }
    CURLMcode added = fetcher_.multi_.Add(easy_, [this](CURLcode code) { OnTransferDone(code); });
    if (added != CURLM_OK) {
      std::string message = curl_multi_strerror(added);
      // Reported from the loop, never from inside Start().
      fetcher_.multi_.io_thread().PostTask([fetcher = &fetcher_, id = id_, message] {
        auto found = fetcher->loads_.find(id);
        if (found != fetcher->loads_.end()) found->second->Fail(Error{Stage::kConnect, message});
      });
    }
  }

  void OnTransferDone(CURLcode code) {
    long status = 0;
    long proxy_connect_status = 0;
    curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(easy_, CURLINFO_HTTP_CONNECTCODE, &proxy_connect_status);
    const bool via_proxy = !proxy_.empty();
    if (log_) LogTransferEnd(code, status);
    if (code != CURLE_OK) {
      std::string reason = error_buffer_[0] ? error_buffer_ : curl_easy_strerror(code);
      Stage stage = StageOf(code, via_proxy, proxy_connect_status);
      if (rounds_.exhausted() || (via_proxy && rounds_.last_status() == 407 &&
                                  (proxy_connect_status == 407 || status == 407))) {
        stage = Stage::kProxy;
        reason = rounds_.FailureReason();
      } else if (headers_too_large_) {
        stage = Stage::kHttp;
        reason = "the response header is larger than the limit of " +
                 std::to_string(kMaxHeaderBytes) + " bytes";
      } else if (body_too_large_ || code == CURLE_FILESIZE_EXCEEDED) {
        stage = Stage::kHttp;
        reason = "the response body is larger than the limit of " +
                 std::to_string(request_.limits.max_resource_bytes) + " bytes";
      } else if (stage == Stage::kProxy && proxy_connect_status != 0) {
        reason = "proxy answered CONNECT with " + std::to_string(proxy_connect_status);
      }
      Fail(Error{stage, reason});
      return;
    }
    // The response's own cookies (not a proxy's), for this hop's URL.
    if (request_.cookie_jar) {
      auto now = std::chrono::system_clock::now();
      for (const std::string& set_cookie : set_cookies_) {
        request_.cookie_jar->SetCookie(CookieUrl{current_.scheme, host_, current_.path}, set_cookie,
                                       Transport(), CookieSource::kHttp, now);
      }
    }
    if (via_proxy && status == 407) {
      Fail(Error{Stage::kProxy, rounds_.FailureReason()});
      return;
    }
    char* redirect = nullptr;
    curl_easy_getinfo(easy_, CURLINFO_REDIRECT_URL, &redirect);
    std::string location = redirect ? redirect : "";
    char* content_type = nullptr;
    curl_easy_getinfo(easy_, CURLINFO_CONTENT_TYPE, &content_type);
    std::string type = content_type ? content_type : "";
    ReleaseTransfer();
    if (IsRedirect(status) && !location.empty()) {
      FollowRedirect(status, location);
      return;
    }
    if (status < 200 || status > 299) {
      Fail(Error{Stage::kHttp, "status " + std::to_string(status)});
      return;
    }
    FetchResponse response;
    response.url = current_;
    response.status = static_cast<int>(status);
    response.content_type = std::move(type);
    response.body = std::move(body_);
    if (log_) {
      NetLogParams params;
      params.Add("ok", true)
          .Add("status", response.status)
          .Add("url", MaskUrlCredentials(response.url.href))
          .Add("content_type", response.content_type)
          .Add("body_bytes", response.body.size())
          .Add("redirects", redirects_);
      // For DevTools' Response tab (Network.getResponseBody), bodies up to a bound.
      if (log_->captures_contents() && response.body.size() <= kMaxLoggedBodyBytes) {
        params.AddContent("body", response.body);
      }
      log_->AddForLoad(id_, "load_end", params);
    }
    Complete(std::move(response));
  }

  void FollowRedirect(long status, const std::string& location) {
    if (redirects_ == kMaxRedirects) {
      Fail(Error{Stage::kHttp, "more than " + std::to_string(kMaxRedirects) + " redirects"});
      return;
    }
    Result<PageUrl> next = current_.Resolve(location);
    if (!next.ok()) {
      Fail(Error{Stage::kHttp, "bad redirect: " + next.error().message});
      return;
    }
    if (!next.value().IsHttp()) {
      Fail(Error{Stage::kHttp, "redirect to " + MaskUrlCredentials(location)});
      return;
    }
    ++redirects_;
    if (log_) {
      log_->AddForLoad(id_, "redirect",
                       NetLogParams()
                           .Add("status", status)
                           .Add("location", MaskUrlCredentials(next.value().href)));
    }
    current_ = std::move(next).value();
    StartHop();
  }

  CookieTransport Transport() const {
    return current_.scheme == "https" ? CookieTransport::kSecure : CookieTransport::kInsecure;
  }

  void Fail(Error error) {
    if (log_) {
      log_->AddForLoad(id_, "load_end",
                       NetLogParams()
                           .Add("ok", false)
                           .Add("stage", StageName(error.stage))
                           .Add("error", error.message)
                           .Add("url", MaskUrlCredentials(current_.href))
                           .Add("redirects", redirects_));
    }
    Complete(std::move(error));
  }

  void Complete(Result<FetchResponse> result) {
    if (!callback_) return;
    Release();
    Callback callback = std::move(callback_);
    callback_ = nullptr;
    fetcher_.Finished(id_);
    callback(std::move(result));
  }

  void ReleaseTransfer() {
    if (easy_) {
      fetcher_.multi_.Remove(easy_);
      curl_easy_cleanup(easy_);
      easy_ = nullptr;
    }
    curl_slist_free_all(resolve_list_);
    resolve_list_ = nullptr;
    curl_slist_free_all(header_list_);
    header_list_ = nullptr;
  }

  void Release() {
    if (resolve_request_) {
      fetcher_.resolver_.Cancel(*resolve_request_);
      resolve_request_.reset();
    }
    ReleaseTransfer();
    if (deadline_) {
      CloseAndDelete(deadline_);
      deadline_ = nullptr;
    }
  }

  static std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* user) {
    auto* self = static_cast<Load*>(user);
    const std::size_t length = size * count;
    if (self->body_.size() + length > self->request_.limits.max_resource_bytes) {
      self->body_too_large_ = true;
      return 0;  // curl ends the transfer with CURLE_WRITE_ERROR
    }
    self->body_.append(data, length);
    return length;
  }

  // Every header line of every reply: a proxy's (CONNECT or a 407 to the request), a 1xx, the
  // response. Each status line starts a new reply; only the last reply's Set-Cookie count.
  static std::size_t OnHeader(char* data, std::size_t size, std::size_t count, void* user) {
    auto* self = static_cast<Load*>(user);
    const std::size_t length = size * count;
    std::string_view line(data, length);
    self->header_bytes_ += length;
    if (self->header_bytes_ > kMaxHeaderBytes) {
      self->headers_too_large_ = true;
      return 0;  // curl ends the transfer with CURLE_WRITE_ERROR
    }
    if (!self->proxy_.empty() && !self->rounds_.OnHeaderLine(line)) return 0;  // §3.1 limit
    if (ParseStatusCode(line) != 0) self->set_cookies_.clear();
    constexpr std::string_view kSetCookie = "set-cookie:";
    if (StartsWithIgnoringAsciiCase(line, kSetCookie)) {
      std::string_view value = line.substr(kSetCookie.size());
      while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove_prefix(1);
      while (!value.empty() && (value.back() == '\r' || value.back() == '\n' ||
                                value.back() == ' ' || value.back() == '\t'))
        value.remove_suffix(1);
      self->set_cookies_.emplace_back(value);
    }
    return length;
  }

  // Net log only: the request heads as they went out (a proxy's CONNECT apart), the reply
  // heads as they came in.
  static int OnDebug(CURL*, curl_infotype type, char* data, std::size_t size, void* user) {
    auto* self = static_cast<Load*>(user);
    NetLog* log = self->log_;
    if (!log) return 0;
    std::string_view text(data, size);
    if (type == CURLINFO_HEADER_OUT) {
      self->in_connect_ = text.starts_with("CONNECT ");
      NetLogParams params;
      params.Add("headers", SplitHeadLines(text, /*mask=*/true));
      if (log->captures_contents()) params.AddContent("text", text);
      log->AddForLoad(self->id_, self->in_connect_ ? "proxy_connect_request" : "http_request",
                      params);
    } else if (type == CURLINFO_HEADER_IN) {
      if (text == "\r\n" || text == "\n") {
        std::vector<std::string> lines = SplitHeadLines(self->response_head_, /*mask=*/true);
        int status = lines.empty() ? 0 : ParseStatusCode(lines.front());
        NetLogParams params;
        params.Add("status", status).Add("headers", lines);
        if (log->captures_contents()) params.AddContent("text", self->response_head_ + "\r\n");
        log->AddForLoad(self->id_, self->in_connect_ ? "proxy_connect_response" : "http_response",
                        params);
        self->response_head_.clear();
        if (self->in_connect_ && status >= 200 && status < 300) self->in_connect_ = false;
      } else if (self->response_head_.size() < kMaxLoggedHeadBytes) {
        self->response_head_.append(text);
      }
    }
    return 0;
  }

  // curl's timing of the hop's transfer, each in ms since it started: TCP connected (to the
  // proxy when there is one), TLS done, request sent, first byte of the response, the end.
  void LogTransferEnd(CURLcode code, long status) {
    curl_off_t connect = 0, tls = 0, sent = 0, first_byte = 0, total = 0, body = 0;
    curl_easy_getinfo(easy_, CURLINFO_CONNECT_TIME_T, &connect);
    curl_easy_getinfo(easy_, CURLINFO_APPCONNECT_TIME_T, &tls);
    curl_easy_getinfo(easy_, CURLINFO_PRETRANSFER_TIME_T, &sent);
    curl_easy_getinfo(easy_, CURLINFO_STARTTRANSFER_TIME_T, &first_byte);
    curl_easy_getinfo(easy_, CURLINFO_TOTAL_TIME_T, &total);
    curl_easy_getinfo(easy_, CURLINFO_SIZE_DOWNLOAD_T, &body);
    long header_bytes = 0;
    long proxy_auth = 0;
    long port = 0;
    char* ip = nullptr;
    curl_easy_getinfo(easy_, CURLINFO_HEADER_SIZE, &header_bytes);
    curl_easy_getinfo(easy_, CURLINFO_PROXYAUTH_AVAIL, &proxy_auth);
    curl_easy_getinfo(easy_, CURLINFO_PRIMARY_IP, &ip);
    curl_easy_getinfo(easy_, CURLINFO_PRIMARY_PORT, &port);
    NetLogParams params;
    params.Add("ok", code == CURLE_OK).Add("status", status);
    if (code != CURLE_OK) {
      params.Add("curl_code", static_cast<int>(code))
          .Add("error", error_buffer_[0] ? error_buffer_ : curl_easy_strerror(code));
    }
    params.Add("address", ip ? ip : "")
        .Add("port", port)
        .Add("connect_ms", Milliseconds(connect))
        .Add("tls_ms", Milliseconds(tls))
        .Add("request_sent_ms", Milliseconds(sent))
        .Add("first_byte_ms", Milliseconds(first_byte))
        .Add("total_ms", Milliseconds(total))
        .Add("header_bytes", header_bytes)
        .Add("body_bytes", static_cast<long long>(body));
    if (!proxy_.empty()) params.Add("proxy_auth_offered", AuthSchemeNames(proxy_auth));
    log_->AddForLoad(id_, "http_transfer_end", params);
  }

  HttpFetcher& fetcher_;
  LoadId id_;
  FetchRequest request_;
  Callback callback_;
  PageUrl current_;  // this hop's URL
  int redirects_ = 0;
  NetLog* log_;
  uv_timer_t* deadline_ = nullptr;

  std::string host_;   // current_'s, without brackets
  std::string proxy_;  // "" for direct
  ProxyEndpoint proxy_endpoint_;
  std::optional<HostResolver::RequestId> resolve_request_;
  CURL* easy_ = nullptr;
  curl_slist* resolve_list_ = nullptr;
  curl_slist* header_list_ = nullptr;  // the policy's extra fields (FetchRequest::extra_headers)
  char error_buffer_[CURL_ERROR_SIZE] = {};
  std::string body_;
  bool body_too_large_ = false;
  std::size_t header_bytes_ = 0;
  bool headers_too_large_ = false;
  std::vector<std::string> set_cookies_;
  ProxyAuthRounds rounds_{ProxyAuthRounds::Counting::kChallenges};
  bool in_connect_ = false;    // net log: replies are to a CONNECT
  std::string response_head_;  // net log: the reply head arriving
};

HttpFetcher::HttpFetcher(HostResolver& resolver, CurlMulti& multi, NetLog* net_log,
                         FetchSettings settings)
    : resolver_(resolver), multi_(multi), net_log_(net_log), settings_(std::move(settings)) {}

HttpFetcher::~HttpFetcher() { Shutdown(); }

void HttpFetcher::Start(LoadId id, FetchRequest request, Callback callback) {
  assert(multi_.io_thread().IsCurrent());
  auto load = std::make_unique<Load>(*this, id, std::move(request), std::move(callback));
  Load* raw = load.get();
  loads_[id] = std::move(load);
  raw->Start();
}

void HttpFetcher::Cancel(LoadId id) { loads_.erase(id); }

void HttpFetcher::Shutdown() { loads_.clear(); }

void HttpFetcher::Finished(LoadId id) {
  // Deferred: the load is still on the stack.
  multi_.io_thread().PostTask([this, id] { loads_.erase(id); });
}

}  // namespace switchboard
