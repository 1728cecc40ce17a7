// The command line of switchboard-shell:
//   switchboard-shell [options] PAGE
// PAGE is a .js file, an .html file or an http(s):// URL.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "engine/page_settings.h"
#include "net/result.h"

namespace switchboard {

struct ShellOptions {
  enum class Action { kRunPage, kHelp, kVersion };
  Action action = Action::kRunPage;
  std::string page;
  std::optional<double> timeout_seconds;
  PageSettings settings;
};

// `arguments` excludes the program name. Errors (stage kLoad) carry a one-line message.
Result<ShellOptions> ParseShellOptions(std::span<const std::string_view> arguments);

std::string ShellUsage();

}  // namespace switchboard
