#include "engine/repl.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cassert>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

// libedit's readline-compatible interface (Debian's libedit-dev).
#include <editline/readline.h>

namespace switchboard {

namespace {

constexpr const char* kPrompt = "> ";
constexpr const char* kContinuationPrompt = "... ";

// libedit calls plain functions; one Repl runs at a time.
Repl* g_repl = nullptr;
int g_interrupt_write_end = -1;

void OnSigint(int) {
  // Async-signal-safe: the loop reads the pipe and clears the line.
  if (g_interrupt_write_end >= 0) {
    char byte = 'i';
    ssize_t written = write(g_interrupt_write_end, &byte, 1);
    (void)written;
  }
}

bool IsBlank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::string_view Trim(std::string_view text) {
  std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  std::size_t last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

void Write(FILE* stream, std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), stream);
  std::fputc('\n', stream);
  std::fflush(stream);
}

}  // namespace

Repl::Repl(embed::Page& page, std::string history_file)
    : page_(page), history_file_(std::move(history_file)), terminal_(isatty(0) != 0) {
  assert(!g_repl && "one Repl at a time");
  g_repl = this;
  page_.SetConsoleHandler([this](embed::ConsoleLevel level, std::string_view text) {
    bool to_stderr = level == embed::ConsoleLevel::kError || level == embed::ConsoleLevel::kWarn;
    PrintAbovePrompt(to_stderr ? stderr : stdout, text);
  });
  page_.SetErrorHandler([this](std::string_view report) { PrintAbovePrompt(stderr, report); });
}

Repl::~Repl() {
  page_.SetConsoleHandler(nullptr);
  page_.SetErrorHandler(nullptr);
  g_repl = nullptr;
}

std::string Repl::DefaultHistoryFile() {
  if (const char* file = std::getenv("SWITCHBOARD_HISTORY")) return file;
  if (const char* home = std::getenv("HOME"); home && *home) {
    return std::string(home) + "/.switchboard_history";
  }
  return {};
}

int Repl::Run() {
  int input_watch = 0;
  int interrupt_watch = 0;
  struct sigaction previous_sigint = {};
  if (terminal_) {
    rl_instream = stdin;
    rl_outstream = stdout;
    if (!history_file_.empty()) read_history(history_file_.c_str());
    // Ctrl-C arrives as SIGINT (the terminal keeps ISIG). The handler only writes a byte;
    // a thread reads it and either ends the script that is running (which blocks the loop)
    // or passes it on to the loop, which clears the line.
    if (pipe(interrupt_pipe_) == 0 && pipe(line_interrupt_pipe_) == 0) {
      fcntl(interrupt_pipe_[1], F_SETFL, O_NONBLOCK);
      fcntl(line_interrupt_pipe_[0], F_SETFL, O_NONBLOCK);
      g_interrupt_write_end = interrupt_pipe_[1];
      struct sigaction action = {};
      action.sa_handler = &OnSigint;
      sigemptyset(&action.sa_mask);
      action.sa_flags = SA_RESTART;
      sigaction(SIGINT, &action, &previous_sigint);
      interrupt_thread_ = std::thread([this] {
        char byte = 0;
        while (read(interrupt_pipe_[0], &byte, 1) == 1 && byte != 'q') {
          if (evaluating_) {
            page_.TerminateScript();
          } else {
            ssize_t written = write(line_interrupt_pipe_[1], &byte, 1);
            (void)written;
          }
        }
      });
      interrupt_watch = page_.WatchReadable(line_interrupt_pipe_[0], [this] { OnInterrupt(); });
    }
    ShowPrompt(Prompt::kNew);
    input_watch = page_.WatchReadable(0, [] { rl_callback_read_char(); });
  } else {
    // Without a terminal there is nothing to edit: read lines as they come.
    std::fputs(kPrompt, stdout);
    std::fflush(stdout);
    try {
      input_watch = page_.WatchReadable(0, [this] { ReadPlainLines(); });
    } catch (const embed::Error&) {
      // epoll cannot watch a regular file or /dev/null, but reading one never blocks: read it
      // a chunk per task, so timers and connections run between chunks as between lines.
      page_.PostTask([this] { ReadFileLines(); });
    }
  }

  // Ends with Stop() (.exit, end of input) — or when the page stops for good.
  page_.RunUntilIdle();

  if (input_watch != 0) page_.Unwatch(input_watch);
  if (terminal_) {
    page_.Unwatch(interrupt_watch);
    rl_callback_handler_remove();
    if (!history_file_.empty()) write_history(history_file_.c_str());
    if (interrupt_thread_.joinable()) {
      sigaction(SIGINT, &previous_sigint, nullptr);
      g_interrupt_write_end = -1;
      char quit = 'q';
      ssize_t written = write(interrupt_pipe_[1], &quit, 1);
      (void)written;
      interrupt_thread_.join();
      for (int fd : {interrupt_pipe_[0], interrupt_pipe_[1], line_interrupt_pipe_[0],
                     line_interrupt_pipe_[1]}) {
        close(fd);
      }
    }
  }
  return 0;
}

void Repl::ShowPrompt(Prompt prompt) {
  // Installing the handler (again) draws the prompt; libedit needs it after every line.
  rl_callback_handler_install(prompt == Prompt::kNew ? kPrompt : kContinuationPrompt,
                              [](char* line) {
                                if (g_repl) g_repl->OnLine(line);
                                std::free(line);
                              });
  prompt_visible_ = true;
}

void Repl::HidePrompt() { prompt_visible_ = false; }

void Repl::PrintAbovePrompt(FILE* stream, std::string_view text) {
  if (!terminal_ || !prompt_visible_) {
    std::fflush(stdout);
    Write(stream, text);
    return;
  }
  // Carriage return + "erase line", the output, then the prompt and the edited line again.
  std::fputs("\r\x1b[K", stdout);
  std::fflush(stdout);
  Write(stream, text);
  rl_forced_update_display();
}

void Repl::Stop() {
  stopping_ = true;
  page_.Stop();
}

void Repl::OnLine(const char* line) {
  HidePrompt();
  if (!line) {  // Ctrl-D on an empty line
    std::fputc('\n', stdout);
    std::fflush(stdout);
    Stop();
    return;
  }
  if (!IsBlank(line)) add_history(line);
  Evaluate(line);
}

bool Repl::ReadPlainLines() {
  if (stopping_) return false;
  char chunk[4096];
  ssize_t count = read(0, chunk, sizeof chunk);
  if (count <= 0) {
    if (!plain_buffer_.empty()) Evaluate(std::exchange(plain_buffer_, {}));
    std::fputc('\n', stdout);
    std::fflush(stdout);
    Stop();
    return false;
  }
  plain_buffer_.append(chunk, static_cast<std::size_t>(count));
  std::size_t newline;
  while (!stopping_ && (newline = plain_buffer_.find('\n')) != std::string::npos) {
    std::string line = plain_buffer_.substr(0, newline);
    plain_buffer_.erase(0, newline + 1);
    Evaluate(line);
  }
  return !stopping_;
}

void Repl::ReadFileLines() {
  if (ReadPlainLines()) page_.PostTask([this] { ReadFileLines(); });
}

void Repl::Evaluate(const std::string& line) {
  auto prompt_again = [this](Prompt prompt) {
    if (terminal_) {
      ShowPrompt(prompt);
    } else {
      std::fputs(prompt == Prompt::kNew ? kPrompt : kContinuationPrompt, stdout);
      std::fflush(stdout);
    }
  };
  if (pending_input_.empty()) {
    std::string_view command = Trim(line);
    if (command == ".exit") {
      Stop();
      return;
    }
    if (command.empty()) {
      prompt_again(Prompt::kNew);
      return;
    }
  }
  pending_input_ += line;
  pending_input_ += '\n';

  std::string name = "REPL" + std::to_string(++input_number_);
  std::string_view input = Trim(pending_input_);
  embed::EvaluateResult result;
  evaluating_ = true;
  // Like Node: "{ a: 1 }" is an object literal, not a block, when it parses as one.
  if (input.starts_with('{') && input.ends_with('}')) {
    result = page_.Evaluate("(" + std::string(input) + "\n)", name);
    if (!result.compiled) {  // a block after all; only a parse failure may run it again
      result = page_.Evaluate(pending_input_, name);
    }
  } else {
    result = page_.Evaluate(pending_input_, name);
  }
  evaluating_ = false;
  if (result.status == embed::EvaluateResult::Status::kIncompleteInput) {
    --input_number_;
    prompt_again(Prompt::kContinue);
    return;
  }
  pending_input_.clear();
  Write(stdout, result.status == embed::EvaluateResult::Status::kTerminated
                    ? "Script execution interrupted."
                    : result.inspected);
  prompt_again(Prompt::kNew);
}

void Repl::OnInterrupt() {
  char drained[64];
  while (read(line_interrupt_pipe_[0], drained, sizeof drained) > 0) {
  }
  // Like Node: Ctrl-C drops the line being edited and any unfinished multi-line input.
  pending_input_.clear();
  rl_replace_line("", 0);
  rl_point = rl_end = 0;
  std::fputs("\n", stdout);
  std::fflush(stdout);
  rl_callback_handler_remove();
  ShowPrompt(Prompt::kNew);
}

}  // namespace switchboard
