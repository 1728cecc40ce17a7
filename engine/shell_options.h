// The command line of switchboard-shell:
//   switchboard-shell [options] PAGE
//   switchboard-shell [options] --repl [PAGE]   (or no PAGE when standard input is a terminal)
// PAGE is a .js file, an .html file, an http(s):// URL, or "-" for a script on standard input
// (also what no PAGE means when standard input is not a terminal, as with Node).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "net/result.h"
#include "switchboard/page.h"

namespace switchboard {

struct ShellOptions {
  // kRunStandardInput: the page is the script read from standard input ("[stdin]"), at the
  // working directory; `page` is empty.
  enum class Action { kRunPage, kRunStandardInput, kRepl, kHelp, kVersion };
  Action action = Action::kRunPage;
  std::string page;
  std::optional<double> timeout_seconds;
  // Everything but the page's URL (`page`), as the embedding API takes it.
  embed::PageOptions page_options;
};

// `arguments` excludes the program name. Errors (stage kLoad) carry a one-line message.
// Without PAGE, a terminal on standard input means the REPL (`stdin_is_terminal`), anything
// else a script on standard input.
Result<ShellOptions> ParseShellOptions(std::span<const std::string_view> arguments,
                                       bool stdin_is_terminal = false);

// Before anything starts: whether the path options (--ca-file, --cookie-jar, --net-log) can
// work — a CA file that is readable and holds certificates, a cookie jar and a net log that
// can be written where they are (an existing jar also read). The message names the option.
Result<Ok> CheckPathOptions(const ShellOptions& options);

// Before loading: whether PAGE, when it is a file path (not a URL, not standard input), names
// a readable file — not a directory, not missing.
Result<Ok> CheckPageFile(const ShellOptions& options);

// Whether PAGE is read as a URL (http:, https: or file:, in any case) rather than a path — as
// the embedding API reads PageOptions::url.
bool IsPageUrl(std::string_view page);

std::string ShellUsage();

// --inspect's "[HOST:]PORT" ("9229", "0.0.0.0:9229", "[::1]:0", "localhost"), or nullopt.
std::optional<embed::PageOptions::Inspect> ParseInspectAddress(std::string_view address);

}  // namespace switchboard
