#include "net/tunnel.h"

#include <strings.h>
#include <unistd.h>

#include <algorithm>
#include <cassert>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "base/host_port.h"
#include "net/handshake.h"

namespace switchboard {

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
  // §3.1: every reply to CONNECT is one authentication round.
  ProxyAuthRounds proxy_rounds{ProxyAuthRounds::Counting::kEveryReply};
};

TunnelConnector::TunnelConnector(CurlMulti& multi) : multi_(multi) {}

TunnelConnector::~TunnelConnector() { Shutdown(); }

void TunnelConnector::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  while (!attempts_.empty()) Release(attempts_.begin()->second);
}

TunnelConnector::AttemptId TunnelConnector::Connect(const TunnelRequest& request,
                                                    Callback callback) {
  assert(multi_.io_thread().IsCurrent());
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
    std::string entry =
        CurlResolveEntry(request.proxy_host, request.proxy_port, request.proxy_addresses);
    if (!entry.empty()) attempt->resolve_list = curl_slist_append(nullptr, entry.c_str());
  } else if (std::string entry = CurlResolveEntry(request.host, request.port, request.addresses);
             !entry.empty()) {
    // A host name: curl connects to the addresses of our resolution.
    attempt->resolve_list = curl_slist_append(nullptr, entry.c_str());
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
  Attempt* raw = attempts_[id];
  CURLMcode added = multi_.Add(easy, [this, raw](CURLcode code) { Finish(raw, code); });
  if (added != CURLM_OK) {
    // Report it from the loop, never from inside Connect().
    std::string message = curl_multi_strerror(added);
    multi_.io_thread().PostTask([this, id, message] {
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
  multi_.Remove(attempt->easy);
  curl_easy_cleanup(attempt->easy);
  curl_slist_free_all(attempt->resolve_list);
  delete attempt;
}

void TunnelConnector::Finish(Attempt* attempt, CURLcode code) {
  Callback callback = std::move(attempt->callback);
  if (code != CURLE_OK) {
    long proxy_status = 0;
    curl_easy_getinfo(attempt->easy, CURLINFO_HTTP_CONNECTCODE, &proxy_status);
    std::string reason =
        attempt->error_buffer[0] ? attempt->error_buffer : curl_easy_strerror(code);
    // OnHeader's abort at §3.1's limit shows as CURLE_WRITE_ERROR.
    const ProxyAuthRounds& rounds = attempt->proxy_rounds;
    bool proxy_failed =
        attempt->uses_proxy &&
        (rounds.exhausted() || proxy_status != 0 || code == CURLE_COULDNT_RESOLVE_PROXY ||
         code == CURLE_PROXY || code == CURLE_RECV_ERROR || code == CURLE_COULDNT_CONNECT);
    Stage stage = rounds.exhausted()                 ? Stage::kProxy
                  : code == CURLE_OPERATION_TIMEDOUT ? Stage::kTimeout
                  : proxy_failed                     ? Stage::kProxy
                                                     : Stage::kConnect;
    // The proxy's last complete reply, when it refused the tunnel (curl or OnHeader gave up).
    const int last_status = rounds.last_status();
    const bool refused = last_status != 0 && (last_status < 200 || last_status >= 300);
    if (stage == Stage::kProxy && (rounds.exhausted() || last_status == 407)) {
      reason = rounds.FailureReason();
    } else if (stage == Stage::kProxy && refused) {
      reason = "proxy answered CONNECT with " + rounds.DescribeLastStatus();
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
        int status = lines.empty() ? 0 : ParseStatusCode(lines.front());
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
// answers itself with another CONNECT.
std::size_t TunnelConnector::OnHeader(char* data, std::size_t size, std::size_t count, void* user) {
  auto* attempt = static_cast<Attempt*>(user);
  const std::size_t length = size * count;
  // Less than `length`: curl aborts the transfer with CURLE_WRITE_ERROR.
  return attempt->proxy_rounds.OnHeaderLine(std::string_view(data, length)) ? length : 0;
}

}  // namespace switchboard
