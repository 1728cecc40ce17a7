// WhatwgUrl: a URL as the URL Standard (https://url.spec.whatwg.org/) defines it — parsed by the
// basic URL parser (§4.4), serialized by the URL serializer (§4.5), with its origin (§4.7) and
// the URL API's accessors and setters (§6.1: href, protocol, username, …, hash). Also Fetch's bad
// ports.
//
// Thread: any (a value type; pure functions). Strings are UTF-8; every accessor returns ASCII.
// Parse failure is a value (UrlParseError), never an exception.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "net/url_host.h"

namespace switchboard {

class WhatwgUrl;
using WhatwgUrlResult = ResultOf<WhatwgUrl, UrlParseError>;

// §4.7 "origin": a tuple (scheme, host, port) or an opaque origin.
struct UrlOrigin {
  bool opaque = true;
  std::string scheme;
  Host host;
  std::optional<uint16_t> port;  // null for the scheme's default port

  // HTML's "serialization of an origin": "null", or "scheme://host[:port]".
  std::string Serialize() const;
  // HTML's "same origin"; an opaque origin is same-origin with nothing here (we do not track
  // opaque origins' identities).
  bool IsSameOrigin(const UrlOrigin& other) const;
};

// Whether the URL serializer writes the fragment.
enum class Fragment { kInclude, kExclude };

class WhatwgUrl {
 public:
  // §4.4 "basic URL parser" with no url and no state override: `input` against `base` (null:
  // none). Bytes of `input` that are not UTF-8 are read as U+FFFD, as a JS string would be.
  static WhatwgUrlResult Parse(std::string_view input, const WhatwgUrl* base = nullptr);
  // The URL API's constructor: `base` is parsed first and must parse.
  static WhatwgUrlResult Parse(std::string_view input, std::string_view base);

  // §4.5 "URL serializer".
  std::string Serialize(Fragment fragment = Fragment::kInclude) const;
  // §4.5 "URL path serializer".
  std::string SerializePath() const;
  // §4.7 "origin".
  UrlOrigin origin() const;

  // The URL API's getters (§6.1).
  std::string href() const { return Serialize(); }
  std::string protocol() const { return scheme_ + ":"; }
  const std::string& username() const { return username_; }
  const std::string& password() const { return password_; }
  std::string host() const;      // "example.com:8080", "[::1]", "" when the host is null
  std::string hostname() const;  // without the port
  std::string port() const;      // "" when null
  std::string pathname() const { return SerializePath(); }
  std::string search() const;  // "?q" or ""
  std::string hash() const;    // "#f" or ""

  // The URL API's setters (§6.1), on this URL in place. Only href can fail (the API throws a
  // TypeError); the others ignore what they cannot use, as the standard says: a protocol that
  // would change whether the URL is special, a username/password/port on a URL that cannot
  // have one, a host/hostname/port/pathname on a URL with an opaque path, … The URL object's
  // query object (URLSearchParams) is not here: its owner updates it after set_href and
  // set_search.
  ResultOf<Ok, UrlParseError> set_href(std::string_view value);
  void set_protocol(std::string_view value);
  void set_username(std::string_view value);
  void set_password(std::string_view value);
  void set_host(std::string_view value);
  void set_hostname(std::string_view value);
  void set_port(std::string_view value);
  void set_pathname(std::string_view value);
  void set_search(std::string_view value);
  void set_hash(std::string_view value);
  // Sets the query as it is, already encoded (URLSearchParams' update steps); null removes it.
  void SetQuery(std::optional<std::string> query) { query_ = std::move(query); }

  // §4.1 "cannot have a username/password/port": a null or empty host, or the scheme "file".
  bool CannotHaveUsernamePasswordPort() const;

  // The URL record's fields (§4.1).
  const std::string& scheme() const { return scheme_; }
  const std::optional<Host>& host_record() const { return host_; }
  std::optional<uint16_t> port_number() const { return port_; }
  bool has_opaque_path() const { return has_opaque_path_; }
  // Path segments; for an opaque path, its one string.
  const std::vector<std::string>& path() const { return path_; }
  const std::optional<std::string>& query() const { return query_; }
  const std::optional<std::string>& fragment() const { return fragment_; }
  bool is_special() const;
  bool IncludesCredentials() const { return !username_.empty() || !password_.empty(); }

  bool operator==(const WhatwgUrl&) const = default;

 private:
  friend class BasicUrlParser;

  std::string scheme_;
  std::string username_;
  std::string password_;
  std::optional<Host> host_;
  std::optional<uint16_t> port_;
  bool has_opaque_path_ = false;
  std::vector<std::string> path_;
  std::optional<std::string> query_;
  std::optional<std::string> fragment_;
};

// §4.1: ftp, file, http, https, ws and wss; their default ports (file has none).
bool IsSpecialScheme(std::string_view scheme);
std::optional<uint16_t> SpecialSchemeDefaultPort(std::string_view scheme);

// Fetch §2.9 "bad port" (https://fetch.spec.whatwg.org/#bad-port), port 0 included.
bool IsBadPort(uint16_t port);

}  // namespace switchboard
