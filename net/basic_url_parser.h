// BasicUrlParser: the URL Standard's basic URL parser (§4.4), the state machine behind
// WhatwgUrl::Parse() and, with a url and a state override, behind WhatwgUrl's setters (§6.1).
// Internal to net/: include whatwg_url.h instead.
//
// Thread: any; one object per parse, used once (Run() or RunOn()) and then discarded.
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
    kHostname,  // the host state under another name, for the hostname setter's state override
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

  // Steps 1-3 without a url: `input` without leading and trailing C0 control or space, and
  // without ASCII tab or newline; `base` may be null.
  BasicUrlParser(std::string_view input, const WhatwgUrl* base);

  // Returns the new URL, or the failure.
  WhatwgUrlResult Run();

  // The basic URL parser given a url and a state override (the URL API's setters): `input`
  // (only ASCII tab or newline removed, step 2-3) is parsed into `url` in place, from the state
  // `state_override`. Returns the failure, if any; as the standard has it, what the states
  // changed before a failure (or before a plain "return") stays changed.
  static std::optional<UrlParseError> RunOn(std::string_view input, WhatwgUrl& url,
                                            State state_override);

 private:
  BasicUrlParser(std::string_view input, WhatwgUrl& url, State state_override);

  // What a state's step returns: keep going, stop ("return", which only a state override
  // reaches), or stop with a failure.
  struct Step {
    enum class Outcome { kContinue, kReturn, kFailure };
    Outcome outcome = Outcome::kContinue;
    UrlParseError error{};

    constexpr Step() = default;
    constexpr explicit Step(Outcome o) : outcome(o) {}
    constexpr Step(UrlParseError failure)  // NOLINT(google-explicit-constructor)
        : outcome(Outcome::kFailure), error(failure) {}
  };
  // The EOF code point.
  static constexpr int kEof = -1;
  static const Step kContinue;
  static const Step kReturn;

  // Step 10: the state machine; kContinue when it ran past the EOF code point.
  Step RunStateMachine();

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
  bool HasStateOverride() const { return state_override_.has_value(); }
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

  const WhatwgUrl* base_ = nullptr;
  std::string input_;
  // The URL being built (owned_url_) or the one given with the state override.
  WhatwgUrl owned_url_;
  WhatwgUrl& url_;
  std::optional<State> state_override_;
  State state_ = State::kSchemeStart;
  std::string buffer_;
  bool at_sign_seen_ = false;
  bool inside_brackets_ = false;
  bool password_token_seen_ = false;
  // Signed: "decrease pointer by 1" may take it to -1 before the loop's increment.
  std::ptrdiff_t pointer_ = 0;
};

}  // namespace switchboard
