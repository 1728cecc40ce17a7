#include "engine/shell_options.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>

#include "base/ascii.h"
#include "base/host_port.h"
#include "net/devtools_http_request.h"
#include "net/tls_client.h"

namespace switchboard {

namespace {

Error UsageError(std::string message) { return Error{Stage::kLoad, std::move(message)}; }

bool IsValidOrigin(std::string_view origin) {
  if (origin == "null") return true;
  std::size_t separator = origin.find("://");
  if (separator == std::string_view::npos) return false;
  std::string_view scheme = origin.substr(0, separator);
  std::string_view host_and_port = origin.substr(separator + 3);
  if (scheme != "http" && scheme != "https") return false;
  if (host_and_port.empty() || host_and_port.find_first_of("/?#@ ") != std::string_view::npos) {
    return false;
  }
  return true;
}

// "host:port" with a numeric port; IPv6 hosts in brackets.
bool IsValidHostAndPort(std::string_view server) {
  std::size_t colon = server.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  std::string_view host = server.substr(0, colon);
  std::string_view port_text = server.substr(colon + 1);
  if (host.find(':') != std::string_view::npos && !(host.front() == '[' && host.back() == ']')) {
    return false;
  }
  unsigned port = 0;
  auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  return error == std::errc() && end == port_text.data() + port_text.size() && port > 0 &&
         port <= 65535;
}

// Seconds as the timeouts take them: a finite decimal number within [minimum, maximum].
std::optional<double> ParseSeconds(const std::string& text, double minimum, double maximum) {
  double seconds = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(seconds) ||
      seconds < minimum || seconds > maximum) {
    return std::nullopt;
  }
  return seconds;
}

std::string Quoted(std::string_view path) { return "'" + std::string(path) + "'"; }

Error PathError(std::string_view option, std::string_view path, std::string_view why) {
  return UsageError(std::string(option) + " " + Quoted(path) + " " + std::string(why));
}

// The directory a new file at `path` would be created in ("." for a bare name).
std::string DirectoryOf(const std::string& path) {
  std::string directory = std::filesystem::path(path).parent_path().string();
  return directory.empty() ? "." : directory;
}

// The reasons below complete a sentence that starts with the option and its path
// ("--net-log 'x' is a directory, not a file").

// Why a file cannot be created at `path` (its directory missing or not writable), or nullopt.
std::optional<std::string> CannotCreateIn(const std::string& path) {
  const std::string directory = DirectoryOf(path);
  struct stat status {};
  if (stat(directory.c_str(), &status) != 0) {
    if (errno == ENOENT) {
      return "cannot be created: directory " + Quoted(directory) + " does not exist";
    }
    return "cannot be created: directory " + Quoted(directory) + ": " + std::strerror(errno);
  }
  if (!S_ISDIR(status.st_mode)) {
    return "cannot be created: " + Quoted(directory) + " is not a directory";
  }
  if (access(directory.c_str(), W_OK | X_OK) != 0) {
    return "cannot be created in " + Quoted(directory) + ": " + std::strerror(errno);
  }
  return std::nullopt;
}

// How a file is written: opened for writing (the net log), or, when it is a regular file,
// written beside itself and renamed over itself (the cookie jar), which needs its directory.
enum class Write { kInPlace, kByRename };

// Why `path` cannot be written, or nullopt.
std::optional<std::string> CannotWrite(const std::string& path, Write write) {
  struct stat status {};
  if (stat(path.c_str(), &status) != 0) {
    if (errno != ENOENT && errno != ENOTDIR) {
      return std::string("cannot be written: ") + std::strerror(errno);
    }
    return CannotCreateIn(path);
  }
  if (S_ISDIR(status.st_mode)) return std::string("is a directory, not a file");
  if (access(path.c_str(), W_OK) != 0) {
    return std::string("cannot be written: ") + std::strerror(errno);
  }
  if (write == Write::kByRename && S_ISREG(status.st_mode)) {
    std::error_code error;
    std::filesystem::path target = std::filesystem::canonical(path, error);
    if (!error) return CannotCreateIn(target.string());
  }
  return std::nullopt;
}

// Why `path` cannot be read as a file, or nullopt.
std::optional<std::string> CannotRead(const std::string& path) {
  struct stat status {};
  if (stat(path.c_str(), &status) != 0) {
    return std::string("cannot be read: ") + std::strerror(errno);
  }
  if (S_ISDIR(status.st_mode)) return std::string("is a directory, not a file");
  if (access(path.c_str(), R_OK) != 0) {
    return std::string("cannot be read: ") + std::strerror(errno);
  }
  return std::nullopt;
}

}  // namespace

bool IsPageUrl(std::string_view page) {
  // As the embedding API decides (URL Standard scheme start: letters in any case before ':').
  const std::size_t colon = page.find(':');
  if (colon == std::string_view::npos) return false;
  const std::string_view scheme = page.substr(0, colon);
  return EqualsIgnoringAsciiCase(scheme, "http") || EqualsIgnoringAsciiCase(scheme, "https") ||
         EqualsIgnoringAsciiCase(scheme, "file");
}

Result<Ok> CheckPathOptions(const ShellOptions& options) {
  const embed::PageOptions& page_options = options.page_options;
  if (const std::string& file = page_options.ca_file; !file.empty()) {
    if (std::optional<std::string> why = CannotRead(file)) {
      return PathError("--ca-file", file, *why);
    }
    // The same loading TLS connections do (OpenSSL reads every PEM certificate in the file).
    if (Result<std::shared_ptr<TlsContext>> context = TlsContext::Create(file); !context.ok()) {
      return PathError("--ca-file", file,
                       "holds no certificate that can be loaded (it wants PEM: "
                       "-----BEGIN CERTIFICATE-----)");
    }
  }
  if (const std::string& file = page_options.cookie_jar; !file.empty()) {
    struct stat status {};
    if (stat(file.c_str(), &status) == 0) {
      if (std::optional<std::string> why = CannotRead(file)) {
        return PathError("--cookie-jar", file, *why);
      }
    }
    if (std::optional<std::string> why = CannotWrite(file, Write::kByRename)) {
      return PathError("--cookie-jar", file, *why);
    }
  }
  if (const std::string& file = page_options.net_log; !file.empty()) {
    if (std::optional<std::string> why = CannotWrite(file, Write::kInPlace)) {
      return PathError("--net-log", file, *why);
    }
  }
  return Ok{};
}

Result<Ok> CheckPageFile(const ShellOptions& options) {
  if (options.page.empty() || IsPageUrl(options.page)) return Ok{};
  struct stat status {};
  if (stat(options.page.c_str(), &status) != 0) {
    return UsageError("cannot read " + Quoted(options.page) + ": " + std::strerror(errno));
  }
  if (S_ISDIR(status.st_mode)) {
    return UsageError(Quoted(options.page) +
                      " is a directory; PAGE is a .js or .html file, an http(s):// URL or - "
                      "(standard input)");
  }
  if (access(options.page.c_str(), R_OK) != 0) {
    return UsageError("cannot read " + Quoted(options.page) + ": " + std::strerror(errno));
  }
  return Ok{};
}

std::string ShellUsage() {
  return R"(Usage: switchboard-shell [options] PAGE
       switchboard-shell [options] --repl [PAGE]

Runs PAGE (a .js file, an .html file or an http(s):// URL) in a V8 page with
console, timers, location and TCPConnection, until nothing is pending.
PAGE - (or no PAGE when standard input is not a terminal) runs the script on
standard input, named [stdin], in a page at the working directory.
With --repl (or without PAGE when standard input is a terminal), reads
JavaScript interactively in a page at the working directory (or at PAGE, whose
scripts run first) with the event loop running between prompts; .exit or
Ctrl-D ends it. History: $SWITCHBOARD_HISTORY or ~/.switchboard_history.

Options:
  --origin ORIGIN            document origin for file pages (default: the page
                             URL's origin; opaque "null" for files)
  --proxy URL                forward proxy for page loads and connections
                             (default: http_proxy, https_proxy, all_proxy and
                             no_proxy)
  --ca-file FILE             CA certificates (PEM) for TLS (default: the system
                             store)
  --dns-server HOST:PORT[,...]  DNS servers for connections (default: the
                             system's)
  --cookie-jar FILE          read and write cookies in curl's Netscape format
  --net-log FILE             write a JSON Lines log of network events
                             (netlog-view FILE draws it)
  --max-connections N        connections a page may hold open (default 1024;
                             the shell raises its open-file limit to the hard
                             limit, which bounds it too)
  --handshake-timeout SECONDS  time for DNS, connect, TLS and the 101
                             (default 30)
  --max-header-bytes N       largest 101 header block (default 16384)
  --max-frame-bytes N        largest received frame (default 16777216)
  --receive-window N         received bytes waiting for script before reading
                             pauses (default 4194304); each frame counts 64 more
  --disconnect-timeout SECONDS  time disconnect() waits for the peer to take
                             what was sent before it resets (default 30)
  --load-timeout SECONDS     time for the page or a script to load (default 120)
  --max-resource-bytes N     largest page or script body (default 268435456)
  --timeout SECONDS          stop after SECONDS; exit code 124
  --inspect[=[HOST:]PORT]    be a DevTools target (Chrome DevTools Protocol) on
                             HOST:PORT (default 127.0.0.1:9229; port 0: any
                             free port); prints the WebSocket URL to stderr
  --inspect-wait[=[HOST:]PORT]  the same, and run no script until a debugger
                             attached and said to run
  --inspect-brk[=[HOST:]PORT]   the same, and pause before the first statement
  --repl                     interactive prompt (see above)
  -h, --help                 show this help
  --version                  show the version

Exit status: 0 when the page ran without uncaught exceptions, 1 otherwise
(also when PAGE cannot be loaded), 2 for a bad command line (an unknown
option, a bad value, a --ca-file, --cookie-jar or --net-log path that cannot
work; nothing runs then), 124 on timeout.
)";
}

std::optional<embed::PageOptions::Inspect> ParseInspectAddress(std::string_view address) {
  embed::PageOptions::Inspect inspect;
  std::string_view host;
  std::string_view port = address;
  if (std::size_t colon = address.rfind(':');
      colon != std::string_view::npos && !address.ends_with(']')) {
    host = address.substr(0, colon);
    port = address.substr(colon + 1);
    if (host.empty() || port.empty()) return std::nullopt;
  } else if (address.find_first_not_of("0123456789") != std::string_view::npos) {
    host = address;  // a host alone: the default port
    port = {};
  }
  if (!host.empty()) {
    // An IP literal ("[::1]" for IPv6) or localhost: the server binds without a resolver.
    if (!IsAllowedDevToolsHost(host)) return std::nullopt;
    inspect.host = StripIpv6Brackets(host);
  }
  if (!port.empty()) {
    unsigned number = 0;
    auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), number);
    if (error != std::errc() || end != port.data() + port.size() || number > 65535) {
      return std::nullopt;
    }
    inspect.port = static_cast<std::uint16_t>(number);
  } else if (host.empty()) {
    return std::nullopt;
  }
  return inspect;
}

Result<ShellOptions> ParseShellOptions(std::span<const std::string_view> arguments,
                                       bool stdin_is_terminal) {
  ShellOptions options;
  bool options_ended = false;
  bool page_given = false;
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    std::string_view argument = arguments[i];
    // "-" is standard input, even after "--" (a file named "-" is "./-").
    if (options_ended || !argument.starts_with("-") || argument == "-") {
      if (page_given) return UsageError("more than one PAGE: '" + std::string(argument) + "'");
      if (argument.empty()) return UsageError("PAGE is empty");
      page_given = true;
      options.page = argument;
      continue;
    }
    if (argument == "--") {
      options_ended = true;
      continue;
    }
    if (argument == "-h") {
      options.action = ShellOptions::Action::kHelp;
      continue;
    }
    if (!argument.starts_with("--"))
      return UsageError("unknown option '" + std::string(argument) + "'");
    std::string_view name = argument;
    std::optional<std::string_view> inline_value;
    if (std::size_t equals = argument.find('='); equals != std::string_view::npos) {
      name = argument.substr(0, equals);
      inline_value = argument.substr(equals + 1);
    }
    auto value = [&]() -> std::optional<std::string> {
      if (inline_value) return std::string(*inline_value);
      if (i + 1 >= arguments.size()) return std::nullopt;
      return std::string(arguments[++i]);
    };
    auto missing = [&] { return UsageError("option " + std::string(name) + " needs a value"); };

    if (name == "--repl") {
      if (inline_value) return UsageError("option --repl takes no value");
      if (options.action == ShellOptions::Action::kRunPage) {
        options.action = ShellOptions::Action::kRepl;
      }
    } else if (name == "--help" || name == "--version") {
      if (inline_value) return UsageError("option " + std::string(name) + " takes no value");
      options.action =
          name == "--help" ? ShellOptions::Action::kHelp : ShellOptions::Action::kVersion;
    } else if (name == "--origin") {
      auto origin = value();
      if (!origin) return missing();
      if (!IsValidOrigin(*origin)) {
        return UsageError("--origin must be 'null' or scheme://host[:port], not '" + *origin + "'");
      }
      options.page_options.origin = *origin;
    } else if (name == "--proxy") {
      auto proxy = value();
      if (!proxy) return missing();
      options.page_options.proxy = *proxy;
    } else if (name == "--ca-file") {
      auto file = value();
      if (!file) return missing();
      options.page_options.ca_file = *file;
    } else if (name == "--dns-server") {
      auto servers = value();
      if (!servers) return missing();
      std::string_view rest = *servers;
      while (true) {
        std::size_t comma = rest.find(',');
        std::string_view server = rest.substr(0, comma);
        if (!IsValidHostAndPort(server)) {
          return UsageError("--dns-server wants HOST:PORT[,...], not '" + *servers + "'");
        }
        options.page_options.dns_servers.emplace_back(server);
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
    } else if (name == "--cookie-jar") {
      auto file = value();
      if (!file) return missing();
      options.page_options.cookie_jar = *file;
    } else if (name == "--net-log") {
      auto file = value();
      if (!file) return missing();
      options.page_options.net_log = *file;
    } else if (name == "--max-connections") {
      auto text = value();
      if (!text) return missing();
      unsigned long count = 0;
      auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), count);
      if (error != std::errc() || end != text->data() + text->size() || count == 0 ||
          count > 1'000'000) {
        return UsageError("--max-connections wants a number from 1 to 1000000, not '" + *text +
                          "'");
      }
      options.page_options.max_connections = static_cast<std::uint32_t>(count);
    } else if (name == "--handshake-timeout" || name == "--disconnect-timeout" ||
               name == "--load-timeout") {
      auto text = value();
      if (!text) return missing();
      // A limit of 0 would fail every handshake, linger and load at once: the smallest is the
      // millisecond the limits are kept in.
      std::optional<double> seconds = ParseSeconds(*text, 0.001, 86400);
      if (!seconds) {
        return UsageError(std::string(name) + " wants seconds from 0.001 to 86400, not '" + *text +
                          "'");
      }
      auto limit = std::chrono::milliseconds(std::llround(*seconds * 1000));
      if (name == "--handshake-timeout") options.page_options.handshake_timeout = limit;
      if (name == "--disconnect-timeout") options.page_options.disconnect_timeout = limit;
      if (name == "--load-timeout") options.page_options.load_timeout = limit;
    } else if (name == "--max-header-bytes" || name == "--max-frame-bytes" ||
               name == "--receive-window" || name == "--max-resource-bytes") {
      auto text = value();
      if (!text) return missing();
      std::size_t bytes = 0;
      auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), bytes);
      // §9 limits: at least one byte, at most 1 GiB.
      if (error != std::errc() || end != text->data() + text->size() || bytes == 0 ||
          bytes > (std::size_t{1} << 30)) {
        return UsageError(std::string(name) +
                          " wants a number of bytes from 1 to 1073741824, not '" + *text + "'");
      }
      if (name == "--max-header-bytes") options.page_options.max_response_header_bytes = bytes;
      if (name == "--max-frame-bytes") options.page_options.max_frame_bytes = bytes;
      if (name == "--receive-window") options.page_options.receive_window_bytes = bytes;
      if (name == "--max-resource-bytes") options.page_options.max_resource_bytes = bytes;
    } else if (name == "--inspect" || name == "--inspect-wait" || name == "--inspect-brk") {
      // Like Node: the address only ever comes inline (--inspect=9229), never as the next
      // argument, which is the PAGE.
      embed::PageOptions::Inspect inspect;
      if (name == "--inspect-wait") inspect.start = embed::PageOptions::Inspect::Start::kWait;
      if (name == "--inspect-brk") inspect.start = embed::PageOptions::Inspect::Start::kBreak;
      if (inline_value) {
        std::optional<embed::PageOptions::Inspect> parsed = ParseInspectAddress(*inline_value);
        if (!parsed) {
          return UsageError(std::string(name) +
                            " wants [HOST:]PORT with HOST an IP address or localhost and PORT "
                            "from 0 to 65535, not '" +
                            std::string(*inline_value) + "'");
        }
        inspect.host = parsed->host;
        inspect.port = parsed->port;
      }
      options.page_options.inspect = inspect;
    } else if (name == "--timeout") {
      auto text = value();
      if (!text) return missing();
      // At most a year: the watchdog's deadline must not overflow the clock.
      std::optional<double> seconds = ParseSeconds(*text, 0.001, 31'536'000);
      if (!seconds) {
        return UsageError("--timeout wants seconds from 0.001 to 31536000, not '" + *text + "'");
      }
      options.timeout_seconds = *seconds;
    } else {
      return UsageError("unknown option '" + std::string(argument) + "'");
    }
  }
  const bool page_is_stdin = page_given && options.page == "-";
  if (options.action == ShellOptions::Action::kRepl && page_is_stdin) {
    return UsageError("--repl reads standard input, so PAGE cannot be - as well");
  }
  if (options.action == ShellOptions::Action::kRunPage && (page_is_stdin || !page_given)) {
    // Like Node: no PAGE on a terminal is the REPL, no PAGE from a pipe or file is a script.
    options.action = !page_given && stdin_is_terminal ? ShellOptions::Action::kRepl
                                                      : ShellOptions::Action::kRunStandardInput;
  }
  if (page_is_stdin) options.page.clear();
  return options;
}

}  // namespace switchboard
