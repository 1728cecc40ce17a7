// Static files for the web tests: maps a request path to a file under the document root
// without ever leaving it (no "..", no symbolic link pointing outside), and names its
// Content-Type. Blocking file IO is fine here: test pages are small and the server is a test
// fixture, not a production server.
#pragma once

#include <string>
#include <string_view>

namespace switchboard::reference_server {

class FileServer {
 public:
  // `root` must name an existing directory; an empty root serves no files.
  explicit FileServer(const std::string& root);

  struct Lookup {
    enum class Outcome { kFound, kNotFound, kForbidden };
    Outcome outcome = Outcome::kNotFound;
    std::string file_path;  // canonical path, when kFound
  };
  // `request_path` is the request target's path, still percent-encoded. A path ending in '/'
  // means that directory's index.html.
  Lookup Resolve(std::string_view request_path) const;

  bool has_root() const { return !canonical_root_.empty(); }
  const std::string& canonical_root() const { return canonical_root_; }

 private:
  std::string canonical_root_;
};

// "text/html; charset=utf-8" for .html, and so on; application/octet-stream when unknown.
std::string_view ContentTypeFor(std::string_view file_path);

// Reads a whole file; false when it cannot be read.
bool ReadWholeFile(const std::string& file_path, std::string& contents);

}  // namespace switchboard::reference_server
