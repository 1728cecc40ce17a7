#include "web_tests/servers/reference/file_server.h"

#include <sys/stat.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "web_tests/servers/reference/http_request.h"

namespace switchboard::reference_server {

namespace {

std::string CanonicalPath(const std::string& path) {
  const std::unique_ptr<char, decltype(&std::free)> resolved(realpath(path.c_str(), nullptr),
                                                             &std::free);
  return resolved ? std::string(resolved.get()) : std::string();
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

FileServer::FileServer(const std::string& root) {
  if (!root.empty()) canonical_root_ = CanonicalPath(root);
}

FileServer::Lookup FileServer::Resolve(std::string_view request_path) const {
  Lookup lookup;
  if (canonical_root_.empty()) return lookup;
  const std::optional<std::string> decoded = PercentDecode(request_path, false);
  if (!decoded || decoded->empty() || decoded->front() != '/' ||
      decoded->find('\0') != std::string::npos) {
    return lookup;
  }

  // Refuse every "." or ".." segment instead of normalising it away.
  std::string_view segments = *decoded;
  while (!segments.empty()) {
    segments.remove_prefix(1);  // the '/'
    const std::size_t slash = segments.find('/');
    const std::string_view segment = segments.substr(0, slash);
    if (segment == "." || segment == "..") {
      lookup.outcome = Lookup::Outcome::kForbidden;
      return lookup;
    }
    if (slash == std::string_view::npos) break;
    segments.remove_prefix(slash);
  }

  std::string candidate = canonical_root_ + *decoded;
  if (candidate.back() == '/') candidate += "index.html";
  const std::string canonical = CanonicalPath(candidate);
  if (canonical.empty()) return lookup;
  // A symbolic link may still point outside the root.
  if (canonical.compare(0, canonical_root_.size() + 1, canonical_root_ + "/") != 0) {
    lookup.outcome = Lookup::Outcome::kForbidden;
    return lookup;
  }
  struct stat status {};
  if (stat(canonical.c_str(), &status) != 0 || !S_ISREG(status.st_mode)) return lookup;
  lookup.outcome = Lookup::Outcome::kFound;
  lookup.file_path = canonical;
  return lookup;
}

std::string_view ContentTypeFor(std::string_view file_path) {
  struct Type {
    std::string_view extension;
    std::string_view content_type;
  };
  static constexpr Type kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".json", "application/json"},
      {".txt", "text/plain; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".pem", "application/x-pem-file"},
  };
  for (const Type& type : kTypes) {
    if (EndsWith(file_path, type.extension)) return type.content_type;
  }
  return "application/octet-stream";
}

bool ReadWholeFile(const std::string& file_path, std::string& contents) {
  const std::unique_ptr<std::FILE, decltype(&std::fclose)> file(std::fopen(file_path.c_str(), "rb"),
                                                                &std::fclose);
  if (!file) return false;
  contents.clear();
  std::array<char, 64 * 1024> chunk{};
  std::size_t read = 0;
  while ((read = std::fread(chunk.data(), 1, chunk.size(), file.get())) > 0) {
    contents.append(chunk.data(), read);
  }
  return std::ferror(file.get()) == 0;
}

}  // namespace switchboard::reference_server
