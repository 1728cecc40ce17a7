#include "net/connection_net_log.h"

#include <algorithm>
#include <vector>

#include "net/handshake.h"

namespace switchboard {

std::vector<std::string> AddressList(const HostResolver::Addresses& addresses) {
  std::vector<std::string> list;
  for (const ResolvedAddress& address : addresses) list.push_back(address.ip);
  return list;
}

NetLogParams ResolveStartParams(const std::string& host, bool for_proxy,
                                const HostResolver& resolver) {
  return NetLogParams()
      .Add("host", host)
      .Add("for", for_proxy ? "proxy" : "target")
      .Add("source", resolver.AnswerSource(host));
}

NetLogParams ResolveEndParams(std::string_view host,
                              const Result<HostResolver::Addresses>& result) {
  NetLogParams params;
  params.Add("host", host).Add("ok", result.ok());
  if (result.ok()) {
    params.Add("addresses", AddressList(result.value()));
  } else {
    params.Add("error", result.error().message);
  }
  return params;
}

std::unique_ptr<ConnectionObserver> MakeConnectionObserver(NetLog* net_log, std::uint64_t source,
                                                           std::size_t max_header_block_bytes) {
  if (!net_log) return nullptr;
  return std::make_unique<ConnectionNetLogObserver>(*net_log, source, max_header_block_bytes);
}

ConnectionNetLogObserver::ConnectionNetLogObserver(NetLog& net_log, std::uint64_t source,
                                                   std::size_t max_header_block_bytes)
    : net_log_(net_log), source_(source), max_header_block_bytes_(max_header_block_bytes) {}

void ConnectionNetLogObserver::OnStart(const ConnectionUrl& url, const Origin& document_origin,
                                       bool secure_requested, std::string_view proxy) {
  net_log_.Add(source_, "connection_start",
               NetLogParams()
                   .Add("url", MaskUrlCredentials(url.href))
                   .Add("origin", document_origin.Serialize())
                   .Add("secure_requested", secure_requested)
                   .Add("proxy", MaskProxyUrl(proxy)));
}

void ConnectionNetLogObserver::OnResolveStart(const std::string& host, ResolveFor purpose,
                                              const HostResolver& resolver) {
  net_log_.Add(source_, "resolve_start",
               ResolveStartParams(host, purpose == ResolveFor::kProxy, resolver));
}

void ConnectionNetLogObserver::OnResolveEnd(std::string_view host,
                                            const Result<HostResolver::Addresses>& result) {
  net_log_.Add(source_, "resolve_end", ResolveEndParams(host, result));
}

void ConnectionNetLogObserver::OnEndpointWait(std::string_view endpoint) {
  net_log_.Add(source_, "endpoint_wait", NetLogParams().Add("endpoint", endpoint));
}

void ConnectionNetLogObserver::OnConnectStart(const ConnectionUrl& url,
                                              const HostResolver::Addresses& addresses,
                                              std::string_view proxy) {
  net_log_.Add(source_, "connect_start",
               NetLogParams()
                   .Add("host", url.host)
                   .Add("port", static_cast<unsigned>(url.port))
                   .Add("addresses", AddressList(addresses))
                   .Add("proxy", MaskProxyUrl(proxy)));
}

void ConnectionNetLogObserver::OnTlsStart(std::string_view server_name, bool upgrade) {
  net_log_.Add(source_, "tls_start",
               NetLogParams().Add("server_name", server_name).Add("upgrade", upgrade));
}

void ConnectionNetLogObserver::OnTlsEnd(const TlsClient& tls, const std::optional<Error>& error) {
  NetLogParams params;
  params.Add("ok", !error.has_value());
  if (error) params.Add("error", error->message);
  params.Add("version", tls.Version())
      .Add("cipher", tls.Cipher())
      .Add("peer_subject", tls.PeerCertificateSubject())
      .Add("peer_issuer", tls.PeerCertificateIssuer())
      .Add("verification", tls.VerificationResult());
  net_log_.Add(source_, "tls_end", params);
}

// Cookie values and credentials never reach the log (MaskHeaderLine).
void ConnectionNetLogObserver::OnHandshakeRequest(HandshakePurpose purpose,
                                                  std::string_view request) {
  NetLogParams params;
  params.Add("purpose", purpose == HandshakePurpose::kTlsUpgrade ? "tls_upgrade" : "tcpconnection")
      .Add("headers", SplitHeadLines(request, /*mask=*/true));
  if (net_log_.captures_contents()) params.AddContent("text", request);
  net_log_.Add(source_, "handshake_request", params);
}

void ConnectionNetLogObserver::OnHandshakeResponseBytes(std::string_view bytes) {
  if (handshake_head_.size() <= max_header_block_bytes_) {
    handshake_head_.append(bytes.substr(0, max_header_block_bytes_ + 1));
  }
}

// The response head as it arrived (status line and fields, Set-Cookie values masked), or —
// for a failed one — whatever had arrived of it, so that a non-HTTP answer can be seen.
void ConnectionNetLogObserver::OnHandshakeResponse(bool complete, std::size_t leftover_bytes,
                                                   int status_code) {
  std::string_view head = handshake_head_;
  head = head.substr(0, head.size() - std::min(head.size(), leftover_bytes));
  if (std::size_t end = head.find("\r\n\r\n"); end != std::string_view::npos) {
    head = head.substr(0, end + 4);  // a refused response's body is not part of its head
  }
  std::vector<std::string> lines = SplitHeadLines(head, /*mask=*/true);
  // A status the parser refused early (a 404, a redirect) is still worth seeing.
  int status = status_code;
  if (status == 0 && !lines.empty()) status = ParseStatusCode(lines.front());
  NetLogParams params;
  params.Add("complete", complete)
      .Add("status", status)
      .Add("head_bytes", head.size())
      .Add("headers", lines);
  if (net_log_.captures_contents()) params.AddContent("text", head);
  handshake_head_.clear();
  net_log_.Add(source_, "handshake_response", params);
}

void ConnectionNetLogObserver::OnHandshakeResponseCut(int status_code) {
  if (!handshake_head_.empty()) OnHandshakeResponse(false, 0, status_code);
}

void ConnectionNetLogObserver::OnOpen(std::string_view peer, bool secure, std::size_t cookies_set) {
  net_log_.Add(
      source_, "open",
      NetLogParams().Add("peer", peer).Add("secure", secure).Add("cookies_set", cookies_set));
}

// The size counts 0x02 and 0x17; the text goes only to a subscriber that asked for it.
NetLogParams ConnectionNetLogObserver::FrameParams(std::string_view text) const {
  NetLogParams params;
  params.Add("bytes", text.size() + 2);
  if (net_log_.captures_contents()) params.AddContent("text", text);
  return params;
}

void ConnectionNetLogObserver::OnFrameSent(std::string_view text) {
  ++frames_sent_;
  net_log_.AddUnflushed(source_, "frame_sent", FrameParams(text));
}

void ConnectionNetLogObserver::OnFrameReceived(std::string_view text) {
  ++frames_received_;
  net_log_.AddUnflushed(source_, "frame_received", FrameParams(text));
}

void ConnectionNetLogObserver::OnFlowControlPause(std::size_t unconsumed_bytes) {
  net_log_.Add(source_, "flow_control_pause",
               NetLogParams().Add("unconsumed_bytes", unconsumed_bytes));
}

void ConnectionNetLogObserver::OnFlowControlResume(std::size_t unconsumed_bytes) {
  net_log_.Add(source_, "flow_control_resume",
               NetLogParams().Add("unconsumed_bytes", unconsumed_bytes));
}

void ConnectionNetLogObserver::OnDisconnect() { net_log_.Add(source_, "disconnect"); }

void ConnectionNetLogObserver::OnClose(const std::optional<Error>& error, bool before_open,
                                       std::string_view clean_cause, ByteTotals bytes) {
  NetLogParams params;
  params.Add("clean", !error.has_value());
  if (error) {
    params.Add("stage", StageName(error->stage))
        .Add("reason", error->message)
        .Add("before_open", before_open);
  } else {
    params.Add("cause", clean_cause);
  }
  params.Add("bytes_sent", bytes.sent)
      .Add("bytes_received", bytes.received)
      .Add("frames_sent", frames_sent_)
      .Add("frames_received", frames_received_);
  net_log_.Add(source_, "close", params);
}

}  // namespace switchboard
