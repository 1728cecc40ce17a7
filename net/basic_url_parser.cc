// URL Standard §4.4 "URL parsing": the basic URL parser, state by state, with its url and state
// override inputs (the URL API's setters, §6.1). Step numbers in comments are the standard's.
#include "net/basic_url_parser.h"

#include <utility>
#include <vector>

#include "base/ascii.h"
#include "net/percent_encoding.h"

namespace switchboard {
namespace {

bool IsAsciiAlpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(int c) { return c >= '0' && c <= '9'; }

// §4.2 "Windows drive letter": an ASCII alpha followed by ':' or '|'; "normalized" only ':'.
bool IsWindowsDriveLetter(std::string_view text) {
  return text.size() == 2 && IsAsciiAlpha(text[0]) && (text[1] == ':' || text[1] == '|');
}
bool IsNormalizedWindowsDriveLetter(std::string_view text) {
  return IsWindowsDriveLetter(text) && text[1] == ':';
}
// §4.2 "starts with a Windows drive letter".
bool StartsWithWindowsDriveLetter(std::string_view text) {
  if (text.size() < 2 || !IsWindowsDriveLetter(text.substr(0, 2))) return false;
  if (text.size() == 2) return true;
  const char third = text[2];
  return third == '/' || third == '\\' || third == '?' || third == '#';
}

// §4.4 "single-dot URL path segment" and "double-dot URL path segment".
bool IsSingleDotSegment(std::string_view segment) {
  return segment == "." || EqualsIgnoringAsciiCase(segment, "%2e");
}
bool IsDoubleDotSegment(std::string_view segment) {
  return segment == ".." || EqualsIgnoringAsciiCase(segment, ".%2e") ||
         EqualsIgnoringAsciiCase(segment, "%2e.") || EqualsIgnoringAsciiCase(segment, "%2e%2e");
}

}  // namespace

namespace {

// §4.4 step 3: remove all ASCII tab or newline. (A URL is a string of scalar values: bytes that
// are not UTF-8 read as U+FFFD.)
std::string WithoutTabOrNewline(std::string_view input) {
  std::string output;
  for (const char c : ToWellFormedUtf8(input)) {
    if (c != '\t' && c != '\n' && c != '\r') output += c;
  }
  return output;
}

}  // namespace

const BasicUrlParser::Step BasicUrlParser::kContinue{};
const BasicUrlParser::Step BasicUrlParser::kReturn{BasicUrlParser::Step::Outcome::kReturn};

BasicUrlParser::BasicUrlParser(std::string_view input, const WhatwgUrl* base)
    : base_(base), url_(owned_url_) {
  // 1. No url given: a new URL, and input without leading and trailing C0 control or space.
  const auto is_c0_control_or_space = [](char c) { return static_cast<unsigned char>(c) <= 0x20; };
  while (!input.empty() && is_c0_control_or_space(input.front())) input.remove_prefix(1);
  while (!input.empty() && is_c0_control_or_space(input.back())) input.remove_suffix(1);
  input_ = WithoutTabOrNewline(input);
}

BasicUrlParser::BasicUrlParser(std::string_view input, WhatwgUrl& url, State state_override)
    : input_(WithoutTabOrNewline(input)),
      url_(url),
      state_override_(state_override),
      // 4. Let state be state override.
      state_(state_override) {}

std::optional<UrlParseError> BasicUrlParser::RunOn(std::string_view input, WhatwgUrl& url,
                                                   State state_override) {
  const Step step = BasicUrlParser(input, url, state_override).RunStateMachine();
  if (step.outcome == Step::Outcome::kFailure) return step.error;
  return std::nullopt;
}

void BasicUrlParser::ShortenPath() {
  // 2. A file URL's path that is only a drive letter is not shortened.
  std::vector<std::string>& path = url_.path_;
  if (url_.scheme_ == "file" && path.size() == 1 && IsNormalizedWindowsDriveLetter(path[0])) {
    return;
  }
  // 3. Remove path's last item, if any.
  if (!path.empty()) path.pop_back();
}

void BasicUrlParser::CopyAuthorityFromBase() {
  url_.username_ = base_->username_;
  url_.password_ = base_->password_;
  url_.host_ = base_->host_;
  url_.port_ = base_->port_;
}

WhatwgUrlResult BasicUrlParser::Run() {
  const Step step = RunStateMachine();
  if (step.outcome == Step::Outcome::kFailure) return step.error;
  return std::move(url_);
}

BasicUrlParser::Step BasicUrlParser::RunStateMachine() {
  // 10. Keep running the state machine, one code point (here: byte) at a time, until after the
  // EOF code point has been processed.
  for (;; ++pointer_) {
    const int c = CodePointAt(static_cast<size_t>(pointer_));
    Step step = kContinue;
    switch (state_) {
      case State::kSchemeStart:
        step = SchemeStart(c);
        break;
      case State::kScheme:
        step = Scheme(c);
        break;
      case State::kNoScheme:
        step = NoScheme(c);
        break;
      case State::kSpecialRelativeOrAuthority:
        step = SpecialRelativeOrAuthority(c);
        break;
      case State::kPathOrAuthority:
        step = PathOrAuthority(c);
        break;
      case State::kRelative:
        step = Relative(c);
        break;
      case State::kRelativeSlash:
        step = RelativeSlash(c);
        break;
      case State::kSpecialAuthoritySlashes:
        step = SpecialAuthoritySlashes(c);
        break;
      case State::kSpecialAuthorityIgnoreSlashes:
        step = SpecialAuthorityIgnoreSlashes(c);
        break;
      case State::kAuthority:
        step = Authority(c);
        break;
      case State::kHost:
      case State::kHostname:
        step = Host(c);
        break;
      case State::kPort:
        step = Port(c);
        break;
      case State::kFile:
        step = File(c);
        break;
      case State::kFileSlash:
        step = FileSlash(c);
        break;
      case State::kFileHost:
        step = FileHost(c);
        break;
      case State::kPathStart:
        step = PathStart(c);
        break;
      case State::kPath:
        step = Path(c);
        break;
      case State::kOpaquePath:
        step = OpaquePath(c);
        break;
      case State::kQuery:
        step = Query(c);
        break;
      case State::kFragment:
        step = Fragment(c);
        break;
    }
    if (step.outcome != Step::Outcome::kContinue) return step;
    // "after the EOF code point has been processed" — unless the state stepped back onto it.
    if (pointer_ >= static_cast<std::ptrdiff_t>(input_.size())) return kContinue;
  }
}

// scheme start state
BasicUrlParser::Step BasicUrlParser::SchemeStart(int c) {
  // 1. If c is an ASCII alpha, append c, lowercased, to buffer, and set state to scheme state.
  if (IsAsciiAlpha(c)) {
    buffer_ += AsciiLower(static_cast<char>(c));
    state_ = State::kScheme;
    return kContinue;
  }
  // 2. Otherwise, if state override is not given, set state to no scheme state and decrease
  // pointer by 1.
  if (!HasStateOverride()) {
    state_ = State::kNoScheme;
    StepBack();
    return kContinue;
  }
  // 3. Otherwise, return failure (the protocol setter changes nothing).
  return UrlParseError{"invalid-scheme"};
}

// scheme state
BasicUrlParser::Step BasicUrlParser::Scheme(int c) {
  // 1. If c is an ASCII alphanumeric, "+", "-", or ".", append c, lowercased, to buffer.
  if (IsAsciiAlpha(c) || IsAsciiDigit(c) || c == '+' || c == '-' || c == '.') {
    buffer_ += AsciiLower(static_cast<char>(c));
    return kContinue;
  }
  // 2. Otherwise, if c is ":":
  if (c == ':') {
    // 2.1 With a state override, a scheme change must not change what the URL can be.
    if (HasStateOverride()) {
      if (IsSpecial() != IsSpecialScheme(buffer_)) return kReturn;
      if ((url_.IncludesCredentials() || url_.port_) && buffer_ == "file") return kReturn;
      if (url_.scheme_ == "file" && url_.host_ && url_.host_->kind == Host::Kind::kEmpty) {
        return kReturn;
      }
    }
    // 2.2 Set url's scheme to buffer.
    url_.scheme_ = std::move(buffer_);
    buffer_.clear();
    // 2.3 With a state override, the port becomes null if it is the new scheme's default.
    if (HasStateOverride()) {
      if (url_.port_ && url_.port_ == SpecialSchemeDefaultPort(url_.scheme_)) url_.port_.reset();
      return kReturn;
    }
    // 2.4 Set buffer to the empty string (above).
    if (url_.scheme_ == "file") {
      // 2.5 file state.
      state_ = State::kFile;
    } else if (IsSpecial() && base_ && base_->scheme_ == url_.scheme_) {
      // 2.6 special relative or authority state.
      state_ = State::kSpecialRelativeOrAuthority;
    } else if (IsSpecial()) {
      // 2.7 special authority slashes state.
      state_ = State::kSpecialAuthoritySlashes;
    } else if (Remaining().starts_with('/')) {
      // 2.8 path or authority state, and increase pointer by 1.
      state_ = State::kPathOrAuthority;
      ++pointer_;
    } else {
      // 2.9 url's path becomes the empty (opaque) string; opaque path state.
      url_.has_opaque_path_ = true;
      url_.path_.assign(1, std::string());
      state_ = State::kOpaquePath;
    }
    return kContinue;
  }
  // 4. With a state override, return failure (the protocol setter changes nothing).
  if (HasStateOverride()) return UrlParseError{"invalid-scheme"};
  // 3. Otherwise: buffer is emptied, no scheme state, and start over from the first code point.
  buffer_.clear();
  state_ = State::kNoScheme;
  pointer_ = -1;
  return kContinue;
}

// no scheme state
BasicUrlParser::Step BasicUrlParser::NoScheme(int c) {
  // 1. If base is null, or base has an opaque path and c is not "#", failure.
  if (!base_ || (base_->has_opaque_path_ && c != '#')) {
    return UrlParseError{"missing-scheme-non-relative-URL"};
  }
  // 2. Otherwise, if base has an opaque path and c is "#": copy all but the fragment.
  if (base_->has_opaque_path_ && c == '#') {
    url_.scheme_ = base_->scheme_;
    url_.has_opaque_path_ = true;
    url_.path_ = base_->path_;
    url_.query_ = base_->query_;
    url_.fragment_ = std::string();
    state_ = State::kFragment;
    return kContinue;
  }
  // 3.-4. relative state, or file state for a file base; decrease pointer by 1.
  state_ = base_->scheme_ != "file" ? State::kRelative : State::kFile;
  StepBack();
  return kContinue;
}

// special relative or authority state
BasicUrlParser::Step BasicUrlParser::SpecialRelativeOrAuthority(int c) {
  if (c == '/' && Remaining().starts_with('/')) {
    state_ = State::kSpecialAuthorityIgnoreSlashes;
    ++pointer_;
  } else {
    state_ = State::kRelative;
    StepBack();
  }
  return kContinue;
}

// path or authority state
BasicUrlParser::Step BasicUrlParser::PathOrAuthority(int c) {
  if (c == '/') {
    state_ = State::kAuthority;
  } else {
    state_ = State::kPath;
    StepBack();
  }
  return kContinue;
}

// relative state
BasicUrlParser::Step BasicUrlParser::Relative(int c) {
  // 2. Set url's scheme to base's scheme.
  url_.scheme_ = base_->scheme_;
  // 3.-4. "/" (or "\" for special URLs): relative slash state.
  if (c == '/' || IsSpecialBackslash(c)) {
    state_ = State::kRelativeSlash;
    return kContinue;
  }
  // 5. Otherwise: everything but the fragment comes from base.
  CopyAuthorityFromBase();
  url_.path_ = base_->path_;
  url_.query_ = base_->query_;
  if (c == '?') {
    url_.query_ = std::string();
    state_ = State::kQuery;
  } else if (c == '#') {
    url_.fragment_ = std::string();
    state_ = State::kFragment;
  } else if (c != kEof) {
    url_.query_.reset();
    ShortenPath();
    state_ = State::kPath;
    StepBack();
  }
  return kContinue;
}

// relative slash state
BasicUrlParser::Step BasicUrlParser::RelativeSlash(int c) {
  if (IsSpecial() && (c == '/' || c == '\\')) {
    state_ = State::kSpecialAuthorityIgnoreSlashes;
  } else if (c == '/') {
    state_ = State::kAuthority;
  } else {
    CopyAuthorityFromBase();
    state_ = State::kPath;
    StepBack();
  }
  return kContinue;
}

// special authority slashes state
BasicUrlParser::Step BasicUrlParser::SpecialAuthoritySlashes(int c) {
  state_ = State::kSpecialAuthorityIgnoreSlashes;
  if (c == '/' && Remaining().starts_with('/')) {
    ++pointer_;
  } else {
    StepBack();
  }
  return kContinue;
}

// special authority ignore slashes state
BasicUrlParser::Step BasicUrlParser::SpecialAuthorityIgnoreSlashes(int c) {
  if (c != '/' && c != '\\') {
    state_ = State::kAuthority;
    StepBack();
  }
  return kContinue;
}

// authority state
BasicUrlParser::Step BasicUrlParser::Authority(int c) {
  // 1. If c is "@": the buffer so far is userinfo.
  if (c == '@') {
    // 1.2 A second "@" belongs to the userinfo, percent-encoded.
    if (at_sign_seen_) buffer_.insert(0, "%40");
    at_sign_seen_ = true;
    // 1.4 For each code point: the first ":" separates username from password.
    for (const char code_point : buffer_) {
      if (code_point == ':' && !password_token_seen_) {
        password_token_seen_ = true;
        continue;
      }
      AppendPercentEncoded(std::string_view(&code_point, 1), PercentEncodeSet::kUserinfo,
                           password_token_seen_ ? url_.password_ : url_.username_);
    }
    buffer_.clear();
    return kContinue;
  }
  // 2. The end of the authority: go back to its start and parse the host.
  if (c == kEof || c == '/' || c == '?' || c == '#' || IsSpecialBackslash(c)) {
    if (at_sign_seen_ && buffer_.empty()) return UrlParseError{"host-missing"};
    pointer_ -= static_cast<std::ptrdiff_t>(buffer_.size()) + 1;
    buffer_.clear();
    state_ = State::kHost;
    return kContinue;
  }
  // 3. Otherwise, append c to buffer.
  buffer_ += static_cast<char>(c);
  return kContinue;
}

// host state, hostname state
BasicUrlParser::Step BasicUrlParser::Host(int c) {
  // 1. A state override on a file URL: the file host state does the work.
  if (HasStateOverride() && url_.scheme_ == "file") {
    StepBack();
    state_ = State::kFileHost;
    return kContinue;
  }
  const HostParsing parsing = IsSpecial() ? HostParsing::kSpecial : HostParsing::kOpaque;
  // 2. ":" outside brackets ends the host; a port follows.
  if (c == ':' && !inside_brackets_) {
    if (buffer_.empty()) return UrlParseError{"host-missing"};
    // 2.2 The hostname setter takes no port: the whole value is refused.
    if (state_override_ == State::kHostname) return UrlParseError{"host-invalid-code-point"};
    HostResult host = ParseHost(buffer_, parsing);
    if (!host.ok()) return host.error();
    url_.host_ = std::move(host).value();
    buffer_.clear();
    state_ = State::kPort;
    return kContinue;
  }
  // 3. The end of the authority.
  if (c == kEof || c == '/' || c == '?' || c == '#' || IsSpecialBackslash(c)) {
    StepBack();
    // 3.2 A special URL needs a host.
    if (IsSpecial() && buffer_.empty()) return UrlParseError{"host-missing"};
    // 3.3 A setter cannot empty the host of a URL with credentials or a port.
    if (HasStateOverride() && buffer_.empty() && (url_.IncludesCredentials() || url_.port_)) {
      return UrlParseError{"host-missing"};
    }
    // 3.4-3.7 (an empty host stays an empty host for non-special URLs).
    if (buffer_.empty()) {
      url_.host_ = Host::Empty();
    } else {
      HostResult host = ParseHost(buffer_, parsing);
      if (!host.ok()) return host.error();
      url_.host_ = std::move(host).value();
    }
    buffer_.clear();
    state_ = State::kPathStart;
    // 3.8 If state override is given, then return.
    return HasStateOverride() ? kReturn : kContinue;
  }
  // 4. Otherwise: track brackets and append c to buffer.
  if (c == '[') inside_brackets_ = true;
  if (c == ']') inside_brackets_ = false;
  buffer_ += static_cast<char>(c);
  return kContinue;
}

// port state
BasicUrlParser::Step BasicUrlParser::Port(int c) {
  // 1. If c is an ASCII digit, append c to buffer.
  if (IsAsciiDigit(c)) {
    // Leading zeros do not count; more digits than a port has cannot be in range.
    if (buffer_ == "0") buffer_.clear();
    buffer_ += static_cast<char>(c);
    if (buffer_.size() > 5) return UrlParseError{"port-out-of-range"};
    return kContinue;
  }
  // 2. The end of the port (with a state override, anything else ends it too).
  if (c == kEof || c == '/' || c == '?' || c == '#' || IsSpecialBackslash(c) ||
      HasStateOverride()) {
    if (!buffer_.empty()) {
      // 2.1.2-2.1.3 port = buffer read as decimal; more than 2^16 - 1 is port-out-of-range.
      unsigned port = 0;
      for (const char digit : buffer_) port = port * 10 + static_cast<unsigned>(digit - '0');
      if (port > 65535) return UrlParseError{"port-out-of-range"};
      // 2.1.4 The scheme's default port is null.
      if (SpecialSchemeDefaultPort(url_.scheme_) == port) {
        url_.port_.reset();
      } else {
        url_.port_ = static_cast<uint16_t>(port);
      }
      buffer_.clear();
      // 2.1.6 If state override is given, then return.
      if (HasStateOverride()) return kReturn;
    }
    // 2.2 A state override with no digits: failure.
    if (HasStateOverride()) return UrlParseError{"port-invalid"};
    state_ = State::kPathStart;
    StepBack();
    return kContinue;
  }
  // 3. Otherwise, port-invalid, return failure.
  return UrlParseError{"port-invalid"};
}

// file state
BasicUrlParser::Step BasicUrlParser::File(int c) {
  // 1.-2. Set url's scheme to "file" and its host to the empty string.
  url_.scheme_ = "file";
  url_.host_ = Host::Empty();
  // 3. "/" or "\": file slash state.
  if (c == '/' || c == '\\') {
    state_ = State::kFileSlash;
    return kContinue;
  }
  // 4. Against a file base: its host, path and query.
  if (base_ && base_->scheme_ == "file") {
    url_.host_ = base_->host_;
    url_.path_ = base_->path_;
    url_.query_ = base_->query_;
    if (c == '?') {
      url_.query_ = std::string();
      state_ = State::kQuery;
    } else if (c == '#') {
      url_.fragment_ = std::string();
      state_ = State::kFragment;
    } else if (c != kEof) {
      url_.query_.reset();
      // A drive letter starts a new path; otherwise the path is relative to base's.
      if (!StartsWithWindowsDriveLetter(FromPointer())) {
        ShortenPath();
      } else {
        url_.path_.clear();
      }
      state_ = State::kPath;
      StepBack();
    }
    return kContinue;
  }
  // 5. Otherwise, path state, and decrease pointer by 1.
  state_ = State::kPath;
  StepBack();
  return kContinue;
}

// file slash state
BasicUrlParser::Step BasicUrlParser::FileSlash(int c) {
  if (c == '/' || c == '\\') {
    state_ = State::kFileHost;
    return kContinue;
  }
  // 2.1 Against a file base: its host, and its drive letter unless the input has one.
  if (base_ && base_->scheme_ == "file") {
    url_.host_ = base_->host_;
    if (!StartsWithWindowsDriveLetter(FromPointer()) && !base_->path_.empty() &&
        IsNormalizedWindowsDriveLetter(base_->path_[0])) {
      url_.path_.push_back(base_->path_[0]);
    }
  }
  state_ = State::kPath;
  StepBack();
  return kContinue;
}

// file host state
BasicUrlParser::Step BasicUrlParser::FileHost(int c) {
  if (c == kEof || c == '/' || c == '\\' || c == '?' || c == '#') {
    StepBack();
    // 1.2 A drive letter is not a host: buffer is kept for the path state.
    if (!HasStateOverride() && IsWindowsDriveLetter(buffer_)) {
      state_ = State::kPath;
      return kContinue;
    }
    if (buffer_.empty()) {
      // 1.3 An empty host.
      url_.host_ = Host::Empty();
      if (HasStateOverride()) return kReturn;
    } else {
      // 1.4 The host; "localhost" is the empty host.
      HostResult host = ParseHost(buffer_, HostParsing::kSpecial);
      if (!host.ok()) return host.error();
      if (host.value().kind == Host::Kind::kDomain && host.value().name == "localhost") {
        url_.host_ = Host::Empty();
      } else {
        url_.host_ = std::move(host).value();
      }
      if (HasStateOverride()) return kReturn;
      buffer_.clear();
    }
    state_ = State::kPathStart;
    return kContinue;
  }
  // 2. Otherwise, append c to buffer.
  buffer_ += static_cast<char>(c);
  return kContinue;
}

// path start state
BasicUrlParser::Step BasicUrlParser::PathStart(int c) {
  if (IsSpecial()) {
    // 1. Special URLs always have a path.
    state_ = State::kPath;
    if (c != '/' && c != '\\') StepBack();
  } else if (!HasStateOverride() && c == '?') {
    url_.query_ = std::string();
    state_ = State::kQuery;
  } else if (!HasStateOverride() && c == '#') {
    url_.fragment_ = std::string();
    state_ = State::kFragment;
  } else if (c != kEof) {
    state_ = State::kPath;
    if (c != '/') StepBack();
  } else if (HasStateOverride() && !url_.host_) {
    // 5. The pathname setter on a URL without a host keeps one empty segment ("foo:/").
    url_.path_.emplace_back();
  }
  return kContinue;
}

// path state
BasicUrlParser::Step BasicUrlParser::Path(int c) {
  // 1. The end of a segment ("?" and "#" end the path only without a state override).
  if (c == kEof || c == '/' || IsSpecialBackslash(c) ||
      (!HasStateOverride() && (c == '?' || c == '#'))) {
    const bool slash = c == '/' || IsSpecialBackslash(c);
    if (IsDoubleDotSegment(buffer_)) {
      // 1.2 ".." removes the last segment; at the end it leaves an empty one ("/a/..": "/").
      ShortenPath();
      if (!slash) url_.path_.emplace_back();
    } else if (IsSingleDotSegment(buffer_) && !slash) {
      // 1.3 "." at the end leaves an empty segment.
      url_.path_.emplace_back();
    } else if (!IsSingleDotSegment(buffer_)) {
      // 1.4 A file URL's first segment "C|" is written "C:".
      if (url_.scheme_ == "file" && url_.path_.empty() && IsWindowsDriveLetter(buffer_)) {
        buffer_[1] = ':';
      }
      url_.path_.push_back(std::move(buffer_));
    }
    buffer_.clear();
    if (c == '?') {
      url_.query_ = std::string();
      state_ = State::kQuery;
    }
    if (c == '#') {
      url_.fragment_ = std::string();
      state_ = State::kFragment;
    }
    return kContinue;
  }
  // 2.3 UTF-8 percent-encode c using the path percent-encode set and append it to buffer.
  const char code_point = static_cast<char>(c);
  AppendPercentEncoded(std::string_view(&code_point, 1), PercentEncodeSet::kPath, buffer_);
  return kContinue;
}

// opaque path state
BasicUrlParser::Step BasicUrlParser::OpaquePath(int c) {
  std::string& path = url_.path_[0];
  if (c == '?') {
    url_.query_ = std::string();
    state_ = State::kQuery;
  } else if (c == '#') {
    url_.fragment_ = std::string();
    state_ = State::kFragment;
  } else if (c == ' ') {
    // 3. A space before "?" or "#" is encoded so that the serialization parses back the same.
    const std::string_view remaining = Remaining();
    path += remaining.starts_with('?') || remaining.starts_with('#') ? "%20" : " ";
  } else if (c != kEof) {
    // 4. UTF-8 percent-encode c using the C0 control percent-encode set.
    const char code_point = static_cast<char>(c);
    AppendPercentEncoded(std::string_view(&code_point, 1), PercentEncodeSet::kC0Control, path);
  }
  return kContinue;
}

// query state (the encoding is always UTF-8 here)
BasicUrlParser::Step BasicUrlParser::Query(int c) {
  // 2. At the end, or at "#" without a state override, buffer is percent-encoded into the query.
  if ((!HasStateOverride() && c == '#') || c == kEof) {
    AppendPercentEncoded(buffer_,
                         IsSpecial() ? PercentEncodeSet::kSpecialQuery : PercentEncodeSet::kQuery,
                         *url_.query_);
    buffer_.clear();
    if (c == '#') {
      url_.fragment_ = std::string();
      state_ = State::kFragment;
    }
    return kContinue;
  }
  // 3. Otherwise, append c to buffer.
  buffer_ += static_cast<char>(c);
  return kContinue;
}

// fragment state
BasicUrlParser::Step BasicUrlParser::Fragment(int c) {
  if (c != kEof) {
    const char code_point = static_cast<char>(c);
    AppendPercentEncoded(std::string_view(&code_point, 1), PercentEncodeSet::kFragment,
                         *url_.fragment_);
  }
  return kContinue;
}

WhatwgUrlResult WhatwgUrl::Parse(std::string_view input, const WhatwgUrl* base) {
  return BasicUrlParser(input, base).Run();
}

WhatwgUrlResult WhatwgUrl::Parse(std::string_view input, std::string_view base) {
  const WhatwgUrlResult parsed_base = Parse(base);
  if (!parsed_base.ok()) return parsed_base.error();
  return Parse(input, &parsed_base.value());
}
}  // namespace switchboard
