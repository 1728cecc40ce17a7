// embedder: the smallest useful Switchboard embedder. It makes a page at the server's origin,
// gives the page's script a C++ function, opens a TCPConnection to the server named on the
// command line, sends one message and prints the echo that comes back through the console
// callback. Exit status 0 when the echo arrived, 1 otherwise.
//
//   embedder http://127.0.0.1:8080/echo [MESSAGE]
#include <cstdio>
#include <string>
#include <string_view>

#include <switchboard/switchboard.h>

namespace sb = switchboard::embed;

namespace {

const char* LevelName(sb::ConsoleLevel level) {
  switch (level) {
    case sb::ConsoleLevel::kLog:
      return "log";
    case sb::ConsoleLevel::kInfo:
      return "info";
    case sb::ConsoleLevel::kWarn:
      return "warn";
    case sb::ConsoleLevel::kError:
      return "error";
    case sb::ConsoleLevel::kDebug:
      return "debug";
  }
  return "log";
}

// The page's script: connect, send, print the echo, disconnect.
constexpr std::string_view kScript = R"js(
  const connection = new TCPConnection(serverUrl);
  connection.onopen = () => connection.send(`hello from ${embedderName()}: ${message}`);
  connection.onread = (event) => {
    console.log("echo:", event.data);
    echoed(event.data);
    connection.disconnect();
  };
  connection.onerror = () => console.error("could not connect to", serverUrl);
  connection.onclose = () => console.info("closed");
)js";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s http://HOST:PORT/PATH [MESSAGE]\n", argv[0]);
    return 2;
  }
  std::string server_url = argv[1];
  std::string message = argc > 2 ? argv[2] : "ping";

  sb::Engine engine;  // V8 and libcurl, once per process; outlives every page
  std::string echo;
  try {
    // The page lives at the server's URL, so the connection is same-origin (spec §5).
    auto page = sb::Page::Create({
        .url = server_url,
        .console =
            [](sb::ConsoleLevel level, std::string_view text) {
              std::printf("[console.%s] %.*s\n", LevelName(level), static_cast<int>(text.size()),
                          text.data());
            },
    });

    // Globals: two values and two C++ functions.
    page->DefineValue("serverUrl", server_url);
    page->DefineValue("message", message);
    page->DefineFunction("embedderName", [](std::span<const sb::Value>) -> sb::Value {
      return std::string("examples/embedder");
    });
    page->DefineFunction("echoed", [&echo](std::span<const sb::Value> arguments) -> sb::Value {
      if (arguments.empty() || !std::holds_alternative<std::string>(arguments[0])) {
        throw sb::ScriptError("echoed(text) wants a string");
      }
      echo = std::get<std::string>(arguments[0]);
      return sb::Undefined{};
    });

    sb::EvaluateResult started = page->Evaluate(kScript, "embedder.js");
    if (!started.ok()) {
      std::fprintf(stderr, "%s\n", started.inspected.c_str());
      return 1;
    }
    // Connection events, one task at a time, until the connection has closed.
    if (page->RunFor(std::chrono::seconds(30)) != sb::RunResult::kIdle) {
      std::fprintf(stderr, "timed out\n");
      return 1;
    }
  } catch (const sb::Error& error) {
    std::fprintf(stderr, "embedder: %s\n", error.what());
    return 1;
  }
  // The page is gone (its connections closed, its isolate disposed); the engine goes next.
  std::printf("received %zu bytes from %s\n", echo.size(), server_url.c_str());
  return echo.empty() ? 1 : 0;
}
