// PageUrl: the URL of a page or of a script it loads (file:, http:, https:), parsed and
// resolved by the URL Standard's parser (net/whatwg_url.h) as browsers do; libcurl only ever
// receives `href`. Connection URLs (spec §2) are ConnectionUrl (url.h); this is what the loads
// and `location` need.
//
// Thread: any (a value type).
#pragma once

#include <string>
#include <string_view>

#include "net/result.h"

namespace switchboard {

struct PageUrl {
  std::string href;
  std::string scheme;    // "file", "http" or "https"
  std::string hostname;  // "" for file: (or its host), IPv6 literals in brackets
  std::string port;      // "" when absent or the scheme's default
  std::string path;      // percent-encoded, starts with "/"
  std::string query;     // without "?"
  std::string fragment;  // without "#"

  // Parses an absolute URL.
  static Result<PageUrl> Parse(std::string_view input);
  // A file path (relative to the working directory or absolute) as a file: URL.
  static Result<PageUrl> FromFilePath(std::string_view file_path);
  // Resolves `reference` (absolute or relative) against this URL.
  Result<PageUrl> Resolve(std::string_view reference) const;

  bool IsFile() const { return scheme == "file"; }
  bool IsHttp() const { return scheme == "http" || scheme == "https"; }
  // "hostname[:port]"
  std::string Host() const;
  // The serialized origin: "null" for file:, else "scheme://host[:port]".
  std::string Origin() const;
  // The decoded file system path of a file: URL.
  std::string FilePath() const;
  // How error locations name this URL: the file path for file:, else the href.
  std::string DisplayName() const;
};

}  // namespace switchboard
