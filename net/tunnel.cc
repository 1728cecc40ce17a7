#include "net/tunnel.h"

#include <strings.h>
#include <unistd.h>

#include <algorithm>
#include <cassert>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "base/host_port.h"

namespace switchboard {

namespace {

// §3.1: "Authentication gives up after 3 rounds for one CONNECT, whatever the scheme". curl
// 7.88 answers each `stale=true` Digest challenge with a new CONNECT (some 2,000 in a row).
constexpr int kMaxProxyAuthenticationRounds = 3;

// At most this many bytes of the proxy's status line are quoted in an error message.
constexpr std::size_t kMaxQuotedStatusBytes = 64;

// The status code of a status line ("HTTP/1.1 407 Proxy Authentication Required"), 0 when it
// has none.
int StatusCode(std::string_view status_line) {
  const std::size_t space = status_line.find(' ');
  if (!status_line.starts_with("HTTP/") || space == std::string_view::npos) return 0;
  const std::string_view code = status_line.substr(space + 1, 3);
  if (code.size() != 3 ||
      !std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return 0;
  }
  return (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
}

// "407 Proxy Authentication Required" for a console message: the status line without its
// version, bytes outside printable ASCII as '?' so that a proxy cannot forge log lines.
std::string DescribeStatus(std::string_view status_line) {
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

std::string AddressList(const std::vector<ResolvedAddress>& addresses) {
  std::string list;
  for (const ResolvedAddress& address : addresses) {
    if (!list.empty()) list += ",";
    list += address.family == AF_INET6 ? "[" + address.ip + "]" : address.ip;
  }
  return list;
}

// CURLINFO_PROXYAUTH_AVAIL's bits, named (net log).
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

}  // namespace

Result<ProxyEndpoint> ParseProxyEndpoint(const std::string& proxy_url) {
  CURLU* url = curl_url();
  CURLUcode code = curl_url_set(url, CURLUPART_URL, proxy_url.c_str(),
                                CURLU_DEFAULT_SCHEME | CURLU_NON_SUPPORT_SCHEME);
  char* host = nullptr;
  char* port = nullptr;
  if (code == CURLUE_OK) code = curl_url_get(url, CURLUPART_HOST, &host, 0);
  ProxyEndpoint endpoint;
  if (code == CURLUE_OK) {
    endpoint.host = host;
    if (endpoint.host.size() > 2 && endpoint.host.front() == '[') {
      endpoint.host = endpoint.host.substr(1, endpoint.host.size() - 2);
    }
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

struct TunnelConnector::Attempt {
  TunnelConnector* connector;
  AttemptId id;
  CURL* easy;
  curl_slist* resolve_list = nullptr;
  Callback callback;
  bool uses_proxy;
  char error_buffer[CURL_ERROR_SIZE] = {};
  NetLog* net_log = nullptr;  // see TunnelRequest
  std::uint64_t net_log_source = 0;
  std::string proxy_response_head;  // the proxy's reply to CONNECT, line by line (net log)
  // §3.1 authentication rounds: the proxy's replies to CONNECT so far (one per round), the
  // status line of the last, and whether OnHeader ended the attempt at the limit.
  int proxy_replies = 0;
  bool in_proxy_reply = false;
  std::string proxy_status_line;
  bool proxy_rounds_exhausted = false;
};

struct TunnelConnector::SocketWatcher {
  TunnelConnector* connector;
  curl_socket_t socket;
  uv_poll_t poll;
};

TunnelConnector::TunnelConnector(IoThread& io_thread) : io_thread_(io_thread) {
  multi_ = curl_multi_init();
  curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &TunnelConnector::OnSocket);
  curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
  curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &TunnelConnector::OnTimer);
  curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
  timer_ = new uv_timer_t;
  uv_timer_init(io_thread.loop(), timer_);
  timer_->data = this;
}

TunnelConnector::~TunnelConnector() { Shutdown(); }

void TunnelConnector::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  while (!attempts_.empty()) Release(attempts_.begin()->second);
  curl_multi_cleanup(multi_);  // tells OnSocket to drop any remaining socket
  multi_ = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(timer_),
           [](uv_handle_t* handle) { delete reinterpret_cast<uv_timer_t*>(handle); });
  timer_ = nullptr;
}

TunnelConnector::AttemptId TunnelConnector::Connect(const TunnelRequest& request,
                                                    Callback callback) {
  assert(io_thread_.IsCurrent());
  auto attempt = std::make_unique<Attempt>();
  attempt->connector = this;
  attempt->id = next_id_++;
  attempt->callback = std::move(callback);
  attempt->uses_proxy = !request.proxy.empty();
  attempt->easy = curl_easy_init();
  CURL* easy = attempt->easy;

  std::string url = "http://" + HostPort(request.host, request.port) + "/";
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_CONNECT_ONLY, 1L);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_PRIVATE, attempt.get());
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, attempt->error_buffer);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, request.connect_timeout_ms);
  // Not CURLOPT_FORBID_REUSE: it closes the connection at "done", before we take it over;
  // connect-only connections are never reused anyway.
  curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, 1L);
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http");
  // The proxy was chosen by the caller for the target's scheme; never let curl pick one
  // from the environment for this http:// URL.
  curl_easy_setopt(easy, CURLOPT_PROXY, request.proxy.c_str());
  // ...nor apply no_proxy: an explicit proxy has no exceptions (§3.1), and for proxies from
  // the environment NetworkService::ProxyFor already applied no_proxy.
  curl_easy_setopt(easy, CURLOPT_NOPROXY, "");
  if (attempt->uses_proxy) {
    curl_easy_setopt(easy, CURLOPT_HTTPPROXYTUNNEL, 1L);
    curl_easy_setopt(easy, CURLOPT_PROXYAUTH, CURLAUTH_ANY);
    // The CONNECT replies go to OnHeader (connect-only: curl sends no other request).
    curl_easy_setopt(easy, CURLOPT_SUPPRESS_CONNECT_HEADERS, 0L);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &TunnelConnector::OnHeader);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, attempt.get());
    bool proxy_is_literal = request.proxy_addresses.size() == 1 &&
                            request.proxy_addresses.front().ip == request.proxy_host;
    if (!request.proxy_addresses.empty() && !proxy_is_literal) {
      std::string entry = HostPort(request.proxy_host, request.proxy_port) + ":" +
                          AddressList(request.proxy_addresses);
      attempt->resolve_list = curl_slist_append(attempt->resolve_list, entry.c_str());
    }
  } else if (!(request.addresses.size() == 1 && request.addresses.front().ip == request.host)) {
    // A host name: curl connects to the addresses of our resolution. (An IP literal needs
    // no entry, and curl 7.88 cannot parse one for a bracketed IPv6 host.)
    std::string entry = HostPort(request.host, request.port) + ":" + AddressList(request.addresses);
    attempt->resolve_list = curl_slist_append(attempt->resolve_list, entry.c_str());
  }
  if (attempt->resolve_list) curl_easy_setopt(easy, CURLOPT_RESOLVE, attempt->resolve_list);
  if (request.net_log) {
    attempt->net_log = request.net_log;
    attempt->net_log_source = request.net_log_source;
    curl_easy_setopt(easy, CURLOPT_DEBUGFUNCTION, &TunnelConnector::OnDebug);
    curl_easy_setopt(easy, CURLOPT_DEBUGDATA, attempt.get());
    curl_easy_setopt(easy, CURLOPT_VERBOSE, 1L);
  }

  AttemptId id = attempt->id;
  attempts_.emplace(id, attempt.release());
  CURLMcode added = curl_multi_add_handle(multi_, easy);
  if (added != CURLM_OK) {
    // Report it from the loop, never from inside Connect().
    std::string message = curl_multi_strerror(added);
    io_thread_.PostTask([this, id, message] {
      auto found = attempts_.find(id);
      if (found == attempts_.end()) return;
      Callback failed_callback = std::move(found->second->callback);
      Release(found->second);
      failed_callback(Error{Stage::kConnect, message});
    });
  }
  return id;
}

void TunnelConnector::Cancel(AttemptId id) {
  auto found = attempts_.find(id);
  if (found != attempts_.end()) Release(found->second);
}

void TunnelConnector::Release(Attempt* attempt) {
  attempts_.erase(attempt->id);
  if (multi_) curl_multi_remove_handle(multi_, attempt->easy);
  curl_easy_cleanup(attempt->easy);
  curl_slist_free_all(attempt->resolve_list);
  delete attempt;
}

void TunnelConnector::Perform(curl_socket_t socket, int events) {
  int running = 0;
  curl_multi_socket_action(multi_, socket, events, &running);
  CollectFinished();
}

void TunnelConnector::CollectFinished() {
  int queued = 0;
  while (CURLMsg* message = curl_multi_info_read(multi_, &queued)) {
    if (message->msg != CURLMSG_DONE) continue;
    Attempt* attempt = nullptr;
    curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &attempt);
    if (attempt) Finish(attempt, message->data.result);
  }
}

void TunnelConnector::Finish(Attempt* attempt, CURLcode code) {
  Callback callback = std::move(attempt->callback);
  if (code != CURLE_OK) {
    long proxy_status = 0;
    curl_easy_getinfo(attempt->easy, CURLINFO_HTTP_CONNECTCODE, &proxy_status);
    std::string reason =
        attempt->error_buffer[0] ? attempt->error_buffer : curl_easy_strerror(code);
    // OnHeader's abort at §3.1's limit shows as CURLE_WRITE_ERROR.
    bool proxy_failed =
        attempt->uses_proxy && (attempt->proxy_rounds_exhausted || proxy_status != 0 ||
                                code == CURLE_COULDNT_RESOLVE_PROXY || code == CURLE_PROXY ||
                                code == CURLE_RECV_ERROR || code == CURLE_COULDNT_CONNECT);
    Stage stage = attempt->proxy_rounds_exhausted    ? Stage::kProxy
                  : code == CURLE_OPERATION_TIMEDOUT ? Stage::kTimeout
                  : proxy_failed                     ? Stage::kProxy
                                                     : Stage::kConnect;
    // The proxy's last complete reply, when it refused the tunnel (curl or OnHeader gave up).
    const int last_status = attempt->in_proxy_reply ? 0 : StatusCode(attempt->proxy_status_line);
    const bool refused = last_status != 0 && (last_status < 200 || last_status >= 300);
    if (stage == Stage::kProxy && (attempt->proxy_rounds_exhausted || last_status == 407)) {
      reason = "proxy authentication failed after " + std::to_string(attempt->proxy_replies) +
               (attempt->proxy_replies == 1 ? " round" : " rounds") + ": last status " +
               DescribeStatus(attempt->proxy_status_line);
    } else if (stage == Stage::kProxy && refused) {
      reason = "proxy answered CONNECT with " + DescribeStatus(attempt->proxy_status_line);
    } else if (proxy_failed && proxy_status != 0) {
      reason = "proxy answered CONNECT with " + std::to_string(proxy_status);
    }
    if (NetLog* log = attempt->net_log) {
      NetLogParams params;
      params.Add("ok", false).Add("stage", StageName(stage)).Add("error", reason);
      params.Add("curl_code", static_cast<int>(code));
      // Ours: curl's is not yet updated for a reply that OnHeader aborted.
      if (attempt->uses_proxy) {
        params.Add("proxy_connect_status", refused ? static_cast<long>(last_status) : proxy_status);
      }
      log->Add(attempt->net_log_source, "connect_end", params);
      attempt->net_log = nullptr;
    }
    Release(attempt);
    callback(Error{stage, reason});
    return;
  }
  curl_socket_t socket = CURL_SOCKET_BAD;
  curl_easy_getinfo(attempt->easy, CURLINFO_ACTIVESOCKET, &socket);
  char* peer_ip = nullptr;
  long peer_port = 0;
  curl_easy_getinfo(attempt->easy, CURLINFO_PRIMARY_IP, &peer_ip);
  curl_easy_getinfo(attempt->easy, CURLINFO_PRIMARY_PORT, &peer_port);
  std::string peer = peer_ip ? peer_ip : "";
  if (NetLog* log = attempt->net_log) {
    NetLogParams params;
    params.Add("ok", true).Add("address", peer).Add("port", peer_port);
    if (attempt->uses_proxy) {
      long proxy_status = 0;
      long proxy_auth = 0;
      curl_easy_getinfo(attempt->easy, CURLINFO_HTTP_CONNECTCODE, &proxy_status);
      curl_easy_getinfo(attempt->easy, CURLINFO_PROXYAUTH_AVAIL, &proxy_auth);
      params.Add("proxy_connect_status", proxy_status)
          .Add("proxy_auth_offered", AuthSchemeNames(proxy_auth));
    }
    log->Add(attempt->net_log_source, "connect_end", params);
    attempt->net_log = nullptr;
  }
  // Our own descriptor for the connected socket; curl closes its copy on cleanup and, in
  // connect-only mode, never touches the socket again.
  int own = socket == CURL_SOCKET_BAD ? -1 : dup(socket);
  Release(attempt);
  if (own < 0) {
    callback(Error{Stage::kConnect, "connected socket unavailable"});
    return;
  }
  callback(ConnectedSocket{own, peer, peer_port});
}

int TunnelConnector::OnSocket(CURL* /*easy*/, curl_socket_t socket, int what, void* user,
                              void* socket_data) {
  auto* self = static_cast<TunnelConnector*>(user);
  auto* watcher = static_cast<SocketWatcher*>(socket_data);
  if (what == CURL_POLL_REMOVE) {
    if (watcher) {
      uv_close(reinterpret_cast<uv_handle_t*>(&watcher->poll),
               [](uv_handle_t* handle) { delete static_cast<SocketWatcher*>(handle->data); });
      if (self->multi_) curl_multi_assign(self->multi_, socket, nullptr);
    }
    return 0;
  }
  if (!watcher) {
    watcher = new SocketWatcher{self, socket, {}};
    uv_poll_init_socket(self->io_thread_.loop(), &watcher->poll, socket);
    watcher->poll.data = watcher;
    curl_multi_assign(self->multi_, socket, watcher);
  }
  int events = 0;
  if (what == CURL_POLL_IN || what == CURL_POLL_INOUT) events |= UV_READABLE;
  if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT) events |= UV_WRITABLE;
  uv_poll_start(&watcher->poll, events, [](uv_poll_t* poll, int status, int ready) {
    auto* ready_watcher = static_cast<SocketWatcher*>(poll->data);
    int flags = 0;
    if (status < 0) flags = CURL_CSELECT_ERR;
    if (ready & UV_READABLE) flags |= CURL_CSELECT_IN;
    if (ready & UV_WRITABLE) flags |= CURL_CSELECT_OUT;
    ready_watcher->connector->Perform(ready_watcher->socket, flags);
  });
  return 0;
}

// Net log only: curl's verbose output as events. "Trying <address>..." starts an attempt;
// the CONNECT request goes out as one block, the proxy's reply arrives line by line.
int TunnelConnector::OnDebug(CURL* /*easy*/, curl_infotype type, char* data, std::size_t size,
                             void* user) {
  auto* attempt = static_cast<Attempt*>(user);
  NetLog* log = attempt->net_log;
  if (!log) return 0;  // after connect_end: curl's clean-up of a handle we no longer use
  std::string_view text(data, size);
  switch (type) {
    case CURLINFO_TEXT: {
      while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
      while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
      if (text.starts_with("Trying ")) {
        std::string_view address = text.substr(7);
        if (address.ends_with("...")) address.remove_suffix(3);
        log->Add(attempt->net_log_source, "connect_attempt",
                 NetLogParams().Add("address", address));
      } else if (std::size_t failed = text.find(" failed: ");
                 text.starts_with("connect to ") && failed != std::string_view::npos) {
        // "connect to <address> port <port> failed: <reason>": this address did not answer.
        log->Add(attempt->net_log_source, "connect_attempt_end",
                 NetLogParams()
                     .Add("ok", false)
                     .Add("target", text.substr(11, failed - 11))
                     .Add("error", text.substr(failed + 9)));
      } else if (text.starts_with("Connected to ")) {
        log->Add(attempt->net_log_source, "connect_attempt_end",
                 NetLogParams().Add("ok", true).Add("target", text.substr(13)));
      } else if (!text.empty()) {
        log->Add(attempt->net_log_source, "tunnel_info", NetLogParams().Add("text", text));
      }
      break;
    }
    case CURLINFO_HEADER_OUT:
      if (attempt->uses_proxy) {
        log->Add(attempt->net_log_source, "proxy_connect_request",
                 NetLogParams().Add("headers", SplitHeadLines(text, /*mask=*/true)));
      }
      break;
    case CURLINFO_HEADER_IN:
      if (!attempt->uses_proxy) break;
      if (text == "\r\n" || text == "\n") {
        std::vector<std::string> lines = SplitHeadLines(attempt->proxy_response_head, true);
        attempt->proxy_response_head.clear();
        int status = 0;
        if (!lines.empty() && lines.front().size() >= 12) {
          status = std::atoi(lines.front().substr(9, 3).c_str());
        }
        log->Add(attempt->net_log_source, "proxy_connect_response",
                 NetLogParams().Add("status", status).Add("headers", lines));
      } else if (attempt->proxy_response_head.size() < 64 * 1024) {
        attempt->proxy_response_head.append(text);
      }
      break;
    default:
      break;
  }
  return 0;
}

// §3.1: curl hands every line of every reply to CONNECT here, also of the 407 replies it
// answers itself with another CONNECT; a reply is one authentication round.
std::size_t TunnelConnector::OnHeader(char* data, std::size_t size, std::size_t count, void* user) {
  auto* attempt = static_cast<Attempt*>(user);
  const std::size_t length = size * count;
  std::string_view line(data, length);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (!attempt->in_proxy_reply) {
    attempt->in_proxy_reply = true;
    ++attempt->proxy_replies;
    attempt->proxy_status_line = line.substr(0, 2 * kMaxQuotedStatusBytes);
  } else if (line.empty()) {
    // The end of the reply's header block: curl would now send the next CONNECT.
    attempt->in_proxy_reply = false;
    const int status = StatusCode(attempt->proxy_status_line);
    const bool tunnel_established = status >= 200 && status < 300;
    if (!tunnel_established && attempt->proxy_replies >= kMaxProxyAuthenticationRounds) {
      attempt->proxy_rounds_exhausted = true;
      return 0;  // less than `length`: curl aborts the transfer with CURLE_WRITE_ERROR
    }
  }
  return length;
}

int TunnelConnector::OnTimer(CURLM* /*multi*/, long timeout_ms, void* user) {
  auto* self = static_cast<TunnelConnector*>(user);
  if (!self->timer_) return 0;
  if (timeout_ms < 0) {
    uv_timer_stop(self->timer_);
    return 0;
  }
  // curl asks for 0 ms to mean "as soon as possible". Re-armed at 0 from inside the timer's
  // own callback it would run again in the same libuv timer phase and starve the polls, so
  // then it waits 1 ms.
  std::uint64_t delay = static_cast<std::uint64_t>(timeout_ms);
  if (delay == 0 && self->in_timer_callback_) delay = 1;
  uv_timer_start(
      self->timer_,
      [](uv_timer_t* timer) {
        auto* connector = static_cast<TunnelConnector*>(timer->data);
        connector->in_timer_callback_ = true;
        connector->Perform(CURL_SOCKET_TIMEOUT, 0);
        connector->in_timer_callback_ = false;
      },
      delay, 0);
  return 0;
}

}  // namespace switchboard
