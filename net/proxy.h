// Forward proxies (spec §3.1), for every load of the network service — the CONNECT tunnels of
// TCPConnections (tunnel.h) and page and script loads (http_fetch.h) alike: which proxy a URL
// goes through, where that proxy is, and §3.1's bound on authentication rounds.
//
// Thread: any (pure functions and a value type; ChooseProxy reads the environment).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "net/host_resolver.h"
#include "net/result.h"

namespace switchboard {

// §3.1: the proxy URL for a target ("" for a direct connection): `explicit_proxy` when set
// (no exceptions), else the environment as curl reads it (http_proxy only in lower case,
// https_proxy, all_proxy, and no_proxy's exceptions).
std::string ChooseProxy(const std::string& explicit_proxy, std::string_view scheme,
                        std::string_view host);

// Where a proxy URL points, as curl will connect to it (no port: curl's default, 443 for
// https://, else 1080).
struct ProxyEndpoint {
  std::string host;  // ASCII; IPv6 without brackets
  std::uint16_t port = 0;
  std::vector<ResolvedAddress> addresses;  // filled by the caller's resolution
};
Result<ProxyEndpoint> ParseProxyEndpoint(const std::string& proxy_url);

// curl's CURLOPT_RESOLVE entry that makes it connect to `addresses` for host:port, or "" when
// none is needed (an IP literal, which curl 7.88 cannot take for a bracketed IPv6 host).
std::string CurlResolveEntry(const std::string& host, std::uint16_t port,
                             const std::vector<ResolvedAddress>& addresses);

// CURLINFO_PROXYAUTH_AVAIL's bits, named (net log).
std::vector<std::string> AuthSchemeNames(long mask);

// §3.1: "Authentication gives up after 3 rounds, whatever the scheme". curl hands every header
// line of every reply to its header callback, also of the 407 replies it answers itself with
// a new request (curl 7.88 answers each `stale=true` Digest challenge again, some 2,000 times
// in a row). Fed those lines, this counts the rounds and says when to stop.
class ProxyAuthRounds {
 public:
  // kEveryReply: every reply is the proxy's (a connect-only CONNECT: each one is a round).
  // kChallenges: replies come from the proxy and the server (a load): 407s are the rounds.
  enum class Counting { kEveryReply, kChallenges };
  static constexpr int kMaxRounds = 3;

  explicit ProxyAuthRounds(Counting counting) : counting_(counting) {}

  // One header line (CRLF included or not); false when the limit is reached: the caller ends
  // the transfer (a header callback returns 0).
  bool OnHeaderLine(std::string_view line);

  int rounds() const { return rounds_; }
  bool exhausted() const { return exhausted_; }
  // The status of the last complete reply that counted, 0 while one is arriving or none did.
  int last_status() const;
  // "407 Proxy Authentication Required": the last counted reply's status line without its
  // version, bytes outside printable ASCII as '?' so that a proxy cannot forge log lines.
  std::string DescribeLastStatus() const;
  // "proxy authentication failed after N rounds: last status …"
  std::string FailureReason() const;

 private:
  Counting counting_;
  int rounds_ = 0;
  bool in_reply_ = false;
  bool reply_counts_ = false;
  bool exhausted_ = false;
  std::string status_line_;
};

}  // namespace switchboard
