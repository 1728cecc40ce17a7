// embedder-poll: a Switchboard page inside the program's own poll() loop, next to another
// descriptor (standard input), with no busy-waiting. The page runs a chain of timers and echoes
// messages over a TCPConnection through the server named on the command line; every line read
// from standard input is evaluated in the page. The loop sleeps in poll() on the page's
// descriptor (Page::PollFd) and stdin, for at most the page's timeout (Page::PollTimeout), and
// calls RunOnce only when the page's descriptor is readable or the timeout ran out.
//
//   printf 'console.log(6 * 7)\n' | embedder-poll http://127.0.0.1:8080/echo
//
// At the end it prints what happened and how many times it called RunOnce:
//   events: 21 (timers 10, echoes 5, connection 2, lines 4)
//   RunOnce calls: 15, poll() calls: 17
// Exit status 0 when the timers ran, the echoes came back and the connection closed.
// With --busy-loop it does what an embedder without PollFd/PollTimeout has to do — call RunOnce
// over and over, looking at stdin without waiting — for comparison.
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <switchboard/switchboard.h>

namespace sb = switchboard::embed;

namespace {

// The page's script: a chain of timers, and an echo conversation over TCPConnection.
constexpr std::string_view kScript = R"js(
  let ticks = 0;
  const tick = () => {
    count("timer");
    if (++ticks < 10) setTimeout(tick, 20);
    else console.log("timers: done after", ticks, "ticks");
  };
  setTimeout(tick, 20);

  const connection = new TCPConnection(serverUrl);
  let sent = 0;
  connection.onopen = () => { count("connection"); connection.send(`message ${sent++}`); };
  connection.onread = (event) => {
    count("echo");
    console.log("echo:", event.data);
    if (sent < 5) connection.send(`message ${sent++}`);
    else connection.disconnect();
  };
  connection.onerror = () => console.error("could not connect to", serverUrl);
  connection.onclose = () => { count("connection"); console.log("connection: closed"); };
)js";

struct Counts {
  int timers = 0;
  int echoes = 0;
  int connection = 0;
  int lines = 0;
  int total() const { return timers + echoes + connection + lines; }
};

void EvaluateLine(sb::Page& page, std::string_view line, Counts& counts) {
  if (line.empty()) return;
  ++counts.lines;
  sb::EvaluateResult result = page.Evaluate(line, "[stdin]");
  std::printf("> %.*s\n%s\n", static_cast<int>(line.size()), line.data(), result.inspected.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  const bool busy_loop = argc == 3 && std::string_view(argv[2]) == "--busy-loop";
  if (argc < 2 || (argc == 3 && !busy_loop) || argc > 3) {
    std::fprintf(stderr, "usage: %s http://HOST:PORT/PATH [--busy-loop] < lines-of-script\n",
                 argv[0]);
    return 2;
  }
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  sb::Engine engine;
  Counts counts;
  int run_once_calls = 0;
  int poll_calls = 0;
  try {
    auto page = sb::Page::Create({
        .url = argv[1],
        .console =
            [](sb::ConsoleLevel, std::string_view text) {
              std::printf("%.*s\n", static_cast<int>(text.size()), text.data());
            },
    });
    page->DefineValue("serverUrl", std::string(argv[1]));
    page->DefineFunction("count", [&counts](std::span<const sb::Value> arguments) -> sb::Value {
      const auto* what = arguments.empty() ? nullptr : std::get_if<std::string>(&arguments[0]);
      if (!what) throw sb::ScriptError("count(what) wants a string");
      if (*what == "timer") ++counts.timers;
      if (*what == "echo") ++counts.echoes;
      if (*what == "connection") ++counts.connection;
      return sb::Undefined{};
    });
    sb::EvaluateResult started = page->Evaluate(kScript, "embedder-poll.js");
    if (!started.ok()) {
      std::fprintf(stderr, "%s\n", started.inspected.c_str());
      return 1;
    }

    bool input_open = true;
    std::string pending;  // a line read in part
    while (input_open || page->HasPendingWork()) {
      // Right before each wait: PollTimeout also takes in what became ready meanwhile.
      std::optional<std::chrono::milliseconds> timeout = page->PollTimeout();
      if (busy_loop) timeout = std::chrono::milliseconds(0);
      pollfd fds[2] = {{page->PollFd(), POLLIN, 0}, {input_open ? 0 : -1, POLLIN, 0}};
      int ready = poll(fds, 2, timeout ? static_cast<int>(timeout->count()) : -1);
      ++poll_calls;
      if (ready < 0 && errno != EINTR) {
        std::perror("poll");
        return 1;
      }
      if (fds[1].revents != 0) {
        char buffer[4096];
        ssize_t got = read(0, buffer, sizeof buffer);
        if (got > 0) {
          pending.append(buffer, static_cast<std::size_t>(got));
        } else if (got == 0 || errno != EINTR) {
          input_open = false;  // end of input (or an error): the rest is the last line
          pending += '\n';
        }
        for (std::size_t end; (end = pending.find('\n')) != std::string::npos;) {
          EvaluateLine(*page, std::string_view(pending).substr(0, end), counts);
          pending.erase(0, end + 1);
        }
      }
      // The page has something to do: its descriptor is readable, or its timer is due.
      const bool timer_due = timeout && (ready == 0 || timeout->count() == 0);
      if ((fds[0].revents & POLLIN) != 0 || timer_due) {
        page->RunOnce();
        ++run_once_calls;
      }
    }
  } catch (const sb::Error& error) {
    std::fprintf(stderr, "embedder-poll: %s\n", error.what());
    return 1;
  }
  std::printf("events: %d (timers %d, echoes %d, connection %d, lines %d)\n", counts.total(),
              counts.timers, counts.echoes, counts.connection, counts.lines);
  std::printf("RunOnce calls: %d, poll() calls: %d\n", run_once_calls, poll_calls);
  return counts.timers == 10 && counts.echoes == 5 && counts.connection == 2 ? 0 : 1;
}
