// The command line of switchboard-shell:
//   switchboard-shell [options] PAGE
//   switchboard-shell [options] --repl      (or no PAGE when standard input is a terminal)
// PAGE is a .js file, an .html file or an http(s):// URL.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "net/result.h"
#include "switchboard/page.h"

namespace switchboard {

struct ShellOptions {
  enum class Action { kRunPage, kRepl, kHelp, kVersion };
  Action action = Action::kRunPage;
  std::string page;
  std::optional<double> timeout_seconds;
  // Everything but the page's URL (`page`), as the embedding API takes it.
  embed::PageOptions page_options;
};

// `arguments` excludes the program name. Errors (stage kLoad) carry a one-line message.
// Without PAGE, a terminal on standard input means the REPL (`stdin_is_terminal`).
Result<ShellOptions> ParseShellOptions(std::span<const std::string_view> arguments,
                                       bool stdin_is_terminal = false);

std::string ShellUsage();

// --inspect's "[HOST:]PORT" ("9229", "0.0.0.0:9229", "[::1]:0", "localhost"), or nullopt.
std::optional<embed::PageOptions::Inspect> ParseInspectAddress(std::string_view address);

}  // namespace switchboard
