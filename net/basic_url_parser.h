// BasicUrlParser: the URL Standard's basic URL parser (§4.4), the state machine behind
// WhatwgUrl::Parse(). Internal to net/: include whatwg_url.h instead.
//
// Thread: any; one object per parse, used once (Run()) and then discarded.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "net/whatwg_url.h"

namespace switchboard {

// §4.4 "basic URL parser": one object per parse, one switch that advances `state_`.
class BasicUrlParser {
 public:
  // Steps 1-3: `input` without leading and trailing C0 control or space, and without ASCII
  // tab or newline; `base` may be null.
  BasicUrlParser(std::string_view input, const WhatwgUrl* base);

  WhatwgUrlResult Run();

 private:
  enum class State {
    kSchemeStart,
    kScheme,
    kNoScheme,
    kSpecialRelativeOrAuthority,
    kPathOrAuthority,
    kRelative,
    kRelativeSlash,
    kSpecialAuthoritySlashes,
    kSpecialAuthorityIgnoreSlashes,
    kAuthority,
    kHost,
    kPort,
    kFile,
    kFileSlash,
    kFileHost,
    kPathStart,
    kPath,
    kOpaquePath,
    kQuery,
    kFragment,
  };

  // What a state's step returns: keep going, or stop with a failure.
  using Step = std::optional<UrlParseError>;
  // The EOF code point.
  static constexpr int kEof = -1;
  static constexpr Step kContinue = std::nullopt;

  int CodePointAt(size_t index) const {
    return index < input_.size() ? static_cast<unsigned char>(input_[index]) : kEof;
  }
  // "remaining": the input after the pointer.
  std::string_view Remaining() const {
    const auto next = static_cast<size_t>(pointer_ + 1);
    return next < input_.size() ? std::string_view(input_).substr(next) : std::string_view();
  }
  // The input from the pointer on ("the substring from pointer to the end of input").
  std::string_view FromPointer() const {
    const auto at = static_cast<size_t>(pointer_);
    return at < input_.size() ? std::string_view(input_).substr(at) : std::string_view();
  }
  // "decrease pointer by 1", with the loop's increment to come.
  void StepBack() { --pointer_; }
  bool IsSpecial() const { return IsSpecialScheme(url_.scheme_); }
  bool IsSpecialBackslash(int c) const { return c == '\\' && IsSpecial(); }

  // §4.4 "shorten a url's path".
  void ShortenPath();
  // The relative and relative slash states' "set url's username to base's username, …".
  void CopyAuthorityFromBase();

  Step SchemeStart(int c);
  Step Scheme(int c);
  Step NoScheme(int c);
  Step SpecialRelativeOrAuthority(int c);
  Step PathOrAuthority(int c);
  Step Relative(int c);
  Step RelativeSlash(int c);
  Step SpecialAuthoritySlashes(int c);
  Step SpecialAuthorityIgnoreSlashes(int c);
  Step Authority(int c);
  Step Host(int c);
  Step Port(int c);
  Step File(int c);
  Step FileSlash(int c);
  Step FileHost(int c);
  Step PathStart(int c);
  Step Path(int c);
  Step OpaquePath(int c);
  Step Query(int c);
  Step Fragment(int c);

  const WhatwgUrl* base_;
  std::string input_;
  WhatwgUrl url_;
  State state_ = State::kSchemeStart;
  std::string buffer_;
  bool at_sign_seen_ = false;
  bool inside_brackets_ = false;
  bool password_token_seen_ = false;
  // Signed: "decrease pointer by 1" may take it to -1 before the loop's increment.
  std::ptrdiff_t pointer_ = 0;
};

}  // namespace switchboard
