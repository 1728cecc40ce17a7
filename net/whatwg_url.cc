// URL Standard §4.5 "URL serializing", §4.7 "Origin", §6.1's getters and setters; Fetch's bad
// ports. The parser is basic_url_parser.cc.
#include "net/whatwg_url.h"

#include <algorithm>
#include <array>
#include <utility>

#include "net/basic_url_parser.h"
#include "net/percent_encoding.h"

namespace switchboard {
namespace {

// Fetch §2.9's bad ports, sorted for binary search.
constexpr std::array<uint16_t, 83> kBadPorts = {
    0,    1,    7,    9,    11,   13,   15,   17,   19,   20,   21,   22,   23,   25,
    37,   42,   43,   53,   69,   77,   79,   87,   95,   101,  102,  103,  104,  109,
    110,  111,  113,  115,  117,  119,  123,  135,  137,  139,  143,  161,  179,  389,
    427,  465,  512,  513,  514,  515,  526,  530,  531,  532,  540,  548,  554,  556,
    563,  587,  601,  636,  989,  990,  993,  995,  1719, 1720, 1723, 2049, 3659, 4045,
    4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080};
static_assert(std::is_sorted(kBadPorts.begin(), kBadPorts.end()));

}  // namespace

// §4.5 "URL serializer".
std::string WhatwgUrl::Serialize(Fragment fragment) const {
  // 1. Let output be url's scheme and ":".
  std::string output = scheme_ + ":";
  // 2. If url's host is non-null: "//", userinfo, host, port.
  if (host_) {
    output += "//";
    if (IncludesCredentials()) {
      output += username_;
      if (!password_.empty()) output += ":" + password_;
      output += "@";
    }
    output += host_->Serialize();
    if (port_) output += ":" + std::to_string(*port_);
  }
  // 3. Without a host, a path whose first segment is empty would read as "//host": "/." first.
  if (!host_ && !has_opaque_path_ && path_.size() > 1 && path_[0].empty()) output += "/.";
  // 4. The path.
  output += SerializePath();
  // 5.-6. The query and the fragment.
  if (query_) output += "?" + *query_;
  if (fragment == Fragment::kInclude && fragment_) output += "#" + *fragment_;
  return output;
}

// §4.5 "URL path serializer".
std::string WhatwgUrl::SerializePath() const {
  if (has_opaque_path_) return path_[0];
  std::string output;
  for (const std::string& segment : path_) output += "/" + segment;
  return output;
}

// §4.7 "origin".
UrlOrigin WhatwgUrl::origin() const {
  if (scheme_ == "blob") {
    // The origin of the URL inside a blob: URL, when that is an http(s) or file URL.
    const WhatwgUrlResult path_url = Parse(SerializePath());
    if (path_url.ok() &&
        (path_url.value().scheme_ == "http" || path_url.value().scheme_ == "https" ||
         path_url.value().scheme_ == "file")) {
      return path_url.value().origin();
    }
    return UrlOrigin();
  }
  if (scheme_ == "ftp" || scheme_ == "http" || scheme_ == "https" || scheme_ == "ws" ||
      scheme_ == "wss") {
    return UrlOrigin{false, scheme_, *host_, port_};
  }
  // "file": unfortunate, and left as an exercise to the reader — an opaque origin here.
  return UrlOrigin();
}

std::string WhatwgUrl::host() const {
  if (!host_) return "";
  if (!port_) return host_->Serialize();
  return host_->Serialize() + ":" + std::to_string(*port_);
}

std::string WhatwgUrl::hostname() const { return host_ ? host_->Serialize() : ""; }

std::string WhatwgUrl::port() const { return port_ ? std::to_string(*port_) : ""; }

std::string WhatwgUrl::search() const { return query_ && !query_->empty() ? "?" + *query_ : ""; }

std::string WhatwgUrl::hash() const {
  return fragment_ && !fragment_->empty() ? "#" + *fragment_ : "";
}

bool WhatwgUrl::is_special() const { return IsSpecialScheme(scheme_); }

bool WhatwgUrl::CannotHaveUsernamePasswordPort() const {
  return !host_ || host_->kind == Host::Kind::kEmpty || scheme_ == "file";
}

// §6.1 The href setter: the basic URL parser on the value; failure leaves the URL unchanged.
ResultOf<Ok, UrlParseError> WhatwgUrl::set_href(std::string_view value) {
  WhatwgUrlResult parsed = Parse(value);
  if (!parsed.ok()) return parsed.error();
  *this = std::move(parsed).value();
  return Ok{};
}

// The protocol setter: the value followed by ":", from the scheme start state.
void WhatwgUrl::set_protocol(std::string_view value) {
  std::string input(value);
  input += ':';
  (void)BasicUrlParser::RunOn(input, *this, BasicUrlParser::State::kSchemeStart);
}

// The username and password setters: "set the username/password" (§4.4), percent-encoded with
// the userinfo set, unless the URL cannot have one.
void WhatwgUrl::set_username(std::string_view value) {
  if (CannotHaveUsernamePasswordPort()) return;
  username_ = PercentEncode(ToWellFormedUtf8(value), PercentEncodeSet::kUserinfo);
}

void WhatwgUrl::set_password(std::string_view value) {
  if (CannotHaveUsernamePasswordPort()) return;
  password_ = PercentEncode(ToWellFormedUtf8(value), PercentEncodeSet::kUserinfo);
}

// The host and hostname setters: nothing for an opaque path; otherwise the host state (which
// also takes a port) or the hostname state (which refuses one).
void WhatwgUrl::set_host(std::string_view value) {
  if (has_opaque_path_) return;
  (void)BasicUrlParser::RunOn(value, *this, BasicUrlParser::State::kHost);
}

void WhatwgUrl::set_hostname(std::string_view value) {
  if (has_opaque_path_) return;
  (void)BasicUrlParser::RunOn(value, *this, BasicUrlParser::State::kHostname);
}

// The port setter: the empty string removes the port; digits up to the first non-digit set it.
void WhatwgUrl::set_port(std::string_view value) {
  if (CannotHaveUsernamePasswordPort()) return;
  if (value.empty()) {
    port_.reset();
    return;
  }
  (void)BasicUrlParser::RunOn(value, *this, BasicUrlParser::State::kPort);
}

// The pathname setter: a new path from the path start state, unless the path is opaque.
void WhatwgUrl::set_pathname(std::string_view value) {
  if (has_opaque_path_) return;
  path_.clear();
  (void)BasicUrlParser::RunOn(value, *this, BasicUrlParser::State::kPathStart);
}

// The search setter: the empty string removes the query; otherwise one leading "?" goes and
// the rest is the new query, percent-encoded by the query state.
void WhatwgUrl::set_search(std::string_view value) {
  if (value.empty()) {
    query_.reset();
    return;
  }
  if (value.front() == '?') value.remove_prefix(1);
  query_ = std::string();
  (void)BasicUrlParser::RunOn(value, *this, BasicUrlParser::State::kQuery);
}

// The hash setter: likewise, with "#" and the fragment state.
void WhatwgUrl::set_hash(std::string_view value) {
  if (value.empty()) {
    fragment_.reset();
    return;
  }
  if (value.front() == '#') value.remove_prefix(1);
  fragment_ = std::string();
  (void)BasicUrlParser::RunOn(value, *this, BasicUrlParser::State::kFragment);
}

std::string UrlOrigin::Serialize() const {
  if (opaque) return "null";
  std::string output = scheme + "://" + host.Serialize();
  if (port) output += ":" + std::to_string(*port);
  return output;
}

bool UrlOrigin::IsSameOrigin(const UrlOrigin& other) const {
  if (opaque || other.opaque) return false;
  return scheme == other.scheme && host == other.host && port == other.port;
}

bool IsSpecialScheme(std::string_view scheme) {
  return scheme == "ftp" || scheme == "file" || scheme == "http" || scheme == "https" ||
         scheme == "ws" || scheme == "wss";
}

std::optional<uint16_t> SpecialSchemeDefaultPort(std::string_view scheme) {
  if (scheme == "ftp") return 21;
  if (scheme == "http" || scheme == "ws") return 80;
  if (scheme == "https" || scheme == "wss") return 443;
  return std::nullopt;
}

bool IsBadPort(uint16_t port) {
  return std::binary_search(kBadPorts.begin(), kBadPorts.end(), port);
}

}  // namespace switchboard
