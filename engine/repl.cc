#include "engine/repl.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

// libedit's readline-compatible interface (Debian's libedit-dev).
#include <editline/readline.h>

#include "engine/console.h"
#include "engine/page.h"
#include "engine/v8_strings.h"
#include "switchboard/version.h"

namespace switchboard {

namespace {

constexpr const char* kPrompt = "> ";
constexpr const char* kContinuationPrompt = "... ";
constexpr const char* kInterrupted = "Script execution interrupted.";

// Node's REPL commands, with .help's descriptions.
struct Command {
  const char* name;
  const char* help;
};
constexpr Command kCommands[] = {
    {".break", "Sometimes you get stuck, this gets you out"},
    {".clear", "Alias for .break (the page and its globals stay: there is one context)"},
    {".editor", "Enter editor mode"},
    {".exit", "Exit the REPL"},
    {".help", "Print this help message"},
    {".load", "Load JS from a file into the REPL session"},
    {".save", "Save all evaluated commands in this REPL session to a file"},
};

// libedit calls plain functions; one Repl runs at a time.
Repl* g_repl = nullptr;
int g_interrupt_write_end = -1;
std::vector<std::string> g_completions;

// Async-signal-safe: a byte down the interrupt pipe ('i' Ctrl-C, 'w' a new window size).
void OnSignal(int signal_number) {
  if (g_interrupt_write_end >= 0) {
    char byte = signal_number == SIGWINCH ? 'w' : 'i';
    ssize_t written = write(g_interrupt_write_end, &byte, 1);
    (void)written;
  }
}

int ReadKey(FILE*) { return g_repl ? g_repl->NextCodePoint() : -1; }

char* NextCompletion(const char* text, int state) {
  static std::size_t next = 0;
  if (state == 0) next = 0;
  std::string_view prefix = text;
  while (next < g_completions.size()) {
    const std::string& candidate = g_completions[next++];
    if (candidate.starts_with(prefix)) return strdup(candidate.c_str());
  }
  return nullptr;
}

char** Complete(const char* text, int start, int) {
  rl_attempted_completion_over = 1;  // never libedit's file names
  if (!g_repl) return nullptr;
  g_completions = g_repl->CompletionsFor(text, start);
  if (g_completions.empty()) return nullptr;
  return rl_completion_matches(text, &NextCompletion);
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

bool IsIdentifierStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
}

bool IsIdentifier(std::string_view text) {
  if (text.empty() || !IsIdentifierStart(text[0])) return false;
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return IsIdentifierStart(c) || (c >= '0' && c <= '9'); });
}

std::vector<std::string_view> SplitMembers(std::string_view chain) {
  std::vector<std::string_view> parts;
  std::size_t begin = 0;
  while (true) {
    std::size_t dot = chain.find('.', begin);
    parts.push_back(chain.substr(begin, dot - begin));
    if (dot == std::string_view::npos) break;
    begin = dot + 1;
  }
  return parts;
}

// Node's REPL stores a multi-line input as one history entry; the history file has one line
// per entry.
std::string OneLine(std::string_view input) {
  std::string line;
  for (std::string_view rest = Trim(input); !rest.empty();) {
    std::size_t newline = rest.find('\n');
    std::string_view part = Trim(rest.substr(0, newline));
    if (!part.empty()) line += (line.empty() ? "" : " ") + std::string(part);
    if (newline == std::string_view::npos) break;
    rest = rest.substr(newline + 1);
  }
  return line;
}

std::string JsonString(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", byte);
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// Compile errors that mean "the input stops too early", like Node's REPL's recoverable
// errors: an open brace, bracket or parenthesis, an unterminated template literal.
bool IsIncompleteInput(std::string_view message) {
  return message.find("Unexpected end of input") != std::string_view::npos ||
         message.find("Unterminated template literal") != std::string_view::npos;
}

v8::Local<v8::Value> Field(v8::Local<v8::Context> context, v8::Local<v8::Value> object,
                           const char* name) {
  v8::Local<v8::Value> value;
  if (!object->IsObject() || !object.As<v8::Object>()
                                  ->Get(context, V8String(context->GetIsolate(), name))
                                  .ToLocal(&value)) {
    return v8::Undefined(context->GetIsolate());
  }
  return value;
}

// Where `name` is found along `object`'s prototype chain, read without calling anything:
// proxies (whose traps are script) and accessors (getters) stop the lookup.
enum class Lookup { kData, kAccessor, kAbsent, kRefused };
Lookup FindDataProperty(v8::Local<v8::Context> context, v8::Local<v8::Object> object,
                        v8::Local<v8::String> name, v8::Local<v8::Value>* value) {
  for (int depth = 0; depth < 64; ++depth) {
    if (object->IsProxy()) return Lookup::kRefused;
    v8::Local<v8::Value> descriptor;
    if (!object->GetOwnPropertyDescriptor(context, name).ToLocal(&descriptor)) {
      return Lookup::kRefused;
    }
    if (descriptor->IsObject()) {
      if (!Field(context, descriptor, "get")->IsUndefined() ||
          !Field(context, descriptor, "set")->IsUndefined()) {
        return Lookup::kAccessor;
      }
      *value = Field(context, descriptor, "value");
      return Lookup::kData;
    }
    v8::Local<v8::Value> prototype = object->GetPrototype();
    if (!prototype->IsObject()) return Lookup::kAbsent;
    object = prototype.As<v8::Object>();
  }
  return Lookup::kRefused;
}

// Every string-named property along the prototype chain (own ones first); no getter runs.
void CollectPropertyNames(v8::Local<v8::Context> context, v8::Local<v8::Object> object,
                          std::vector<std::string>& names) {
  v8::Isolate* isolate = context->GetIsolate();
  for (int depth = 0; depth < 64; ++depth) {
    if (object->IsProxy()) return;
    v8::Local<v8::Array> keys;
    if (object
            ->GetOwnPropertyNames(context, v8::SKIP_SYMBOLS,
                                  v8::KeyConversionMode::kConvertToString)
            .ToLocal(&keys)) {
      for (uint32_t i = 0; i < keys->Length(); ++i) {
        v8::Local<v8::Value> key;
        if (keys->Get(context, i).ToLocal(&key) && key->IsString()) {
          names.push_back(Utf8(isolate, key.As<v8::String>()));
        }
      }
    }
    v8::Local<v8::Value> prototype = object->GetPrototype();
    if (!prototype->IsObject()) return;
    object = prototype.As<v8::Object>();
  }
}

}  // namespace

Repl::Repl(embed::Page& page, std::string history_file)
    : page_(page),
      isolate_(page.isolate()),
      history_file_(std::move(history_file)),
      terminal_(isatty(0) != 0) {
  assert(!g_repl && "one Repl at a time");
  g_repl = this;
  {
    v8::HandleScope handle_scope(isolate_);
    engine_page_ = Page::From(page_.context());
  }
  // Node's rule: colours when the output is a terminal, unless NO_COLOR says otherwise.
  const char* no_color = std::getenv("NO_COLOR");
  colors_ = terminal_ && isatty(1) != 0 && !(no_color && *no_color);
  page_.SetConsoleHandler([this](embed::ConsoleLevel level, std::string_view text) {
    bool to_stderr = level == embed::ConsoleLevel::kError || level == embed::ConsoleLevel::kWarn;
    PrintAbovePrompt(to_stderr ? stderr : stdout, text);
  });
  page_.SetErrorHandler([this](std::string_view report) { PrintAbovePrompt(stderr, report); });
}

Repl::~Repl() {
  page_.SetConsoleHandler(nullptr);
  page_.SetErrorHandler(nullptr);
  session_.reset();
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
  int interrupt_watch = 0;
  struct sigaction previous_sigint = {};
  struct sigaction previous_sigwinch = {};
  InstallSpecialVariables();
  if (terminal_) {
    rl_instream = stdin;
    rl_outstream = stdout;
    // Before anything initializes libedit: keys come from typed_ (see ProcessTyped).
    rl_getc_function = &ReadKey;
    rl_attempted_completion_function = &Complete;
    static char word_breaks[] = " \t\n\"'`@><=;|&{(}[],+-*/%!~^?:";
    rl_basic_word_break_characters = word_breaks;
    rl_completer_word_break_characters = word_breaks;
    rl_completion_append_character = '\0';
    rl_completion_query_items = 200;
    // Signals are ours alone: libedit's handlers would switch the terminal to cooked mode and
    // raise the signal again from whichever thread it landed on, racing the loop's redraws.
    rl_catch_signals = 0;
    ReadHistoryFile();
    // Ctrl-C arrives as SIGINT (the terminal keeps ISIG). The handler only writes a byte;
    // a thread reads it and either ends the script that is running (which blocks the loop)
    // or passes it on to the loop, which clears the line.
    if (pipe(interrupt_pipe_) == 0 && pipe(line_interrupt_pipe_) == 0) {
      fcntl(interrupt_pipe_[1], F_SETFL, O_NONBLOCK);
      fcntl(line_interrupt_pipe_[0], F_SETFL, O_NONBLOCK);
      g_interrupt_write_end = interrupt_pipe_[1];
      struct sigaction action = {};
      action.sa_handler = &OnSignal;
      sigemptyset(&action.sa_mask);
      action.sa_flags = SA_RESTART;
      sigaction(SIGINT, &action, &previous_sigint);
      sigaction(SIGWINCH, &action, &previous_sigwinch);
      interrupt_thread_ = std::thread([this] {
        char byte = 0;
        while (read(interrupt_pipe_[0], &byte, 1) == 1 && byte != 'q') {
          {
            std::lock_guard lock(termination_mutex_);
            if (evaluating_ && byte == 'i') {
              termination_requested_ = true;
              isolate_->TerminateExecution();
              continue;
            }
          }
          ssize_t written = write(line_interrupt_pipe_[1], &byte, 1);
          (void)written;
        }
      });
      interrupt_watch = page_.WatchReadable(line_interrupt_pipe_[0], [this] { OnInterrupt(); });
    }
    // Like Node's "Welcome to Node.js v20.… Type ".help" for more information."
    std::printf("Welcome to Switchboard %s (V8 %s).\nType \".help\" for more information.\n",
                SWITCHBOARD_VERSION_STRING, v8::V8::GetVersion());
    ShowPrompt(Prompt::kNew);
    input_watch_ = page_.WatchReadable(0, [this] { OnTerminalReadable(); });
  } else {
    // Without a terminal there is nothing to edit: read lines as they come.
    std::fputs(kPrompt, stdout);
    std::fflush(stdout);
    try {
      input_watch_ = page_.WatchReadable(0, [this] { ReadPlainLines(); });
    } catch (const embed::Error&) {
      // epoll cannot watch a regular file or /dev/null, but reading one never blocks: read it
      // a chunk per task, so timers and connections run between chunks as between lines.
      page_.PostTask([this] { ReadFileLines(); });
    }
  }

  // Ends with Stop() (.exit, end of input) — or when the page stops for good.
  page_.RunUntilIdle();

  if (input_watch_ != 0) page_.Unwatch(input_watch_);
  input_watch_ = 0;
  if (terminal_) {
    page_.Unwatch(interrupt_watch);
    rl_callback_handler_remove();
    rl_deprep_terminal();
    WriteHistoryFile();
    if (interrupt_thread_.joinable()) {
      sigaction(SIGINT, &previous_sigint, nullptr);
      sigaction(SIGWINCH, &previous_sigwinch, nullptr);
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

// --- History ----------------------------------------------------------------------------

void Repl::ReadHistoryFile() {
  stifle_history(static_cast<int>(kMaxHistoryEntries));
  if (history_file_.empty()) return;
  std::ifstream file(history_file_);
  std::string line;
  while (std::getline(file, line)) {
    if (!IsBlank(line)) history_.push_back(line);
  }
  if (history_.size() > kMaxHistoryEntries) {
    history_.erase(history_.begin(),
                   history_.end() - static_cast<std::ptrdiff_t>(kMaxHistoryEntries));
  }
  for (const std::string& entry : history_) add_history(entry.c_str());
}

// Plain lines, the most recent last (libedit's write_history would escape spaces as \040).
void Repl::WriteHistoryFile() {
  if (history_file_.empty()) return;
  int fd = open(history_file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return;
  std::string text;
  std::size_t first =
      history_.size() > kMaxHistoryEntries ? history_.size() - kMaxHistoryEntries : 0;
  for (std::size_t i = first; i < history_.size(); ++i) text += history_[i] + "\n";
  for (std::size_t written = 0; written < text.size();) {
    ssize_t count = write(fd, text.data() + written, text.size() - written);
    if (count <= 0) break;
    written += static_cast<std::size_t>(count);
  }
  close(fd);
}

void Repl::AddHistory(const std::string& entry) {
  if (!terminal_) return;
  std::string line = OneLine(entry);
  if (line.empty() || (!history_.empty() && history_.back() == line)) return;
  history_.push_back(line);
  if (history_.size() > 2 * kMaxHistoryEntries) {
    history_.erase(history_.begin(),
                   history_.end() - static_cast<std::ptrdiff_t>(kMaxHistoryEntries));
  }
  add_history(line.c_str());
}

// --- The terminal -----------------------------------------------------------------------

void Repl::ShowPrompt(Prompt prompt) {
  // Installing the handler (again) draws the prompt; libedit needs it after every line.
  const char* text = prompt == Prompt::kNew        ? kPrompt
                     : prompt == Prompt::kContinue ? kContinuationPrompt
                                                   : "";
  rl_callback_handler_install(text, [](char* line) {
    if (g_repl) g_repl->OnLine(line);
    std::free(line);
  });
  prompt_visible_ = true;
}

void Repl::HidePrompt() { prompt_visible_ = false; }

void Repl::PromptAgain() {
  Prompt prompt = state_ == State::kEditor ? Prompt::kEditor
                  : pending_input_.empty() ? Prompt::kNew
                                           : Prompt::kContinue;
  if (terminal_) {
    ShowPrompt(prompt);
  } else if (prompt != Prompt::kEditor) {
    std::fputs(prompt == Prompt::kNew ? kPrompt : kContinuationPrompt, stdout);
    std::fflush(stdout);
  }
}

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
  if (state_ == State::kSearching) {
    DrawSearch();
  } else {
    rl_forced_update_display();
  }
}

void Repl::Stop() {
  stopping_ = true;
  page_.Stop();
}

void Repl::OnTerminalReadable() {
  char chunk[512];
  ssize_t count = read(0, chunk, sizeof chunk);
  // libuv made standard input non-blocking; a Ctrl-C in cooked mode (between two prompts)
  // flushes what poll saw, and then there is nothing to read yet.
  if (count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
  if (count <= 0) {  // the terminal went away
    Stop();
    return;
  }
  typed_.append(chunk, static_cast<std::size_t>(count));
  ProcessTyped();
}

// Keys go to Ctrl-R's search while it runs, else to libedit (through ReadKey); they wait
// while a top-level await is pending, as Node's do.
void Repl::ProcessTyped() {
  while (!typed_.empty() && !stopping_) {
    switch (state_) {
      case State::kAwaiting:
        return;
      case State::kSearching:
        HandleSearchByte();
        break;
      case State::kReading:
      case State::kEditor: {
        exit_armed_ = false;
        if (typed_[0] == '\x12' && state_ == State::kReading) {  // Ctrl-R
          typed_.erase(0, 1);
          StartSearch();
          break;
        }
        std::size_t before = typed_.size();
        rl_callback_read_char();
        if (typed_.size() == before) typed_.erase(0, 1);  // never spin on a key libedit left
        break;
      }
    }
  }
}

int Repl::NextCodePoint() {
  auto next_byte = [this]() -> int {
    if (typed_.empty()) {
      // The rest of a key libedit is reading (an escape sequence, a UTF-8 character), or its
      // answer to "Display all … possibilities?": wait for it (standard input is
      // non-blocking).
      char byte = 0;
      while (true) {
        ssize_t count = read(0, &byte, 1);
        if (count == 1) return static_cast<unsigned char>(byte);
        if (count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) return -1;
        pollfd readable = {0, POLLIN, 0};
        poll(&readable, 1, -1);
      }
    }
    auto byte = static_cast<unsigned char>(typed_[0]);
    typed_.erase(0, 1);
    return byte;
  };
  int lead = next_byte();
  if (lead < 0x80) return lead;
  int continuation = (lead & 0xE0) == 0xC0   ? 1
                     : (lead & 0xF0) == 0xE0 ? 2
                     : (lead & 0xF8) == 0xF0 ? 3
                                             : 0;
  if (continuation == 0) return 0xFFFD;
  int code_point = lead & (0x3F >> continuation);
  for (int i = 0; i < continuation; ++i) {
    int byte = next_byte();
    if (byte < 0) return -1;
    code_point = (code_point << 6) | (byte & 0x3F);
  }
  return code_point;
}

std::string Repl::CurrentLine() {
  // libedit keeps rl_line_buffer and rl_end up to date after every key (its rl_copy_text
  // does not copy the line's last character).
  if (!rl_line_buffer || rl_end <= 0) return {};
  return std::string(rl_line_buffer, static_cast<std::size_t>(rl_end));
}

// Ctrl-R: the most recent history entry that contains what is typed, like bash's and Node's
// reverse-i-search. Ctrl-R again goes further back, Enter runs the entry, Ctrl-G (or Ctrl-C)
// gives the line back, any other control key leaves the entry on the line to edit.
void Repl::StartSearch() {
  search_saved_line_ = CurrentLine();
  search_pattern_.clear();
  search_match_ = history_.size();
  search_failed_ = false;
  state_ = State::kSearching;
  DrawSearch();
}

void Repl::FindMatch(std::size_t before) {
  for (std::size_t i = before; i-- > 0;) {
    if (history_[i].find(search_pattern_) != std::string::npos) {
      search_match_ = i;
      search_failed_ = false;
      return;
    }
  }
  search_failed_ = !search_pattern_.empty();
}

void Repl::DrawSearch() {
  std::string match = search_match_ < history_.size() ? history_[search_match_] : std::string();
  std::string line = std::string("\r\x1b[K(") + (search_failed_ ? "failed " : "") +
                     "reverse-i-search)`" + search_pattern_ + "': " + match;
  std::fputs(line.c_str(), stdout);
  std::fflush(stdout);
}

void Repl::HandleSearchByte() {
  auto byte = static_cast<unsigned char>(typed_[0]);
  std::string match = search_match_ < history_.size() ? history_[search_match_] : std::string();
  if (byte == 0x12) {  // Ctrl-R: further back
    typed_.erase(0, 1);
    if (!search_pattern_.empty()) FindMatch(search_match_);
  } else if (byte == 0x7f || byte == 0x08) {  // Backspace: one character less
    typed_.erase(0, 1);
    while (!search_pattern_.empty() &&
           (static_cast<unsigned char>(search_pattern_.back()) & 0xC0) == 0x80) {
      search_pattern_.pop_back();
    }
    if (!search_pattern_.empty()) search_pattern_.pop_back();
    search_match_ = history_.size();
    search_failed_ = false;
    if (!search_pattern_.empty()) FindMatch(history_.size());
  } else if (byte == 0x07) {  // Ctrl-G: never mind
    typed_.erase(0, 1);
    EndSearch(search_saved_line_);
    return;
  } else if (byte < 0x20) {
    // Enter, Escape, arrows, Ctrl-A/E, Tab…: the entry goes on the line and libedit takes the
    // key (Enter then runs it).
    EndSearch(search_failed_ || match.empty() ? search_saved_line_ : match);
    return;
  } else {
    search_pattern_ += static_cast<char>(byte);
    typed_.erase(0, 1);
    FindMatch(search_match_ < history_.size() &&
                      history_[search_match_].find(search_pattern_) != std::string::npos
                  ? search_match_ + 1
                  : history_.size());
  }
  DrawSearch();
}

void Repl::EndSearch(const std::string& line) {
  state_ = State::kReading;
  std::fputs("\r\x1b[K", stdout);
  std::fflush(stdout);
  rl_callback_handler_remove();
  PromptAgain();
  if (!line.empty()) {
    rl_insert_text(line.c_str());
    // libedit redraws from where it believes the cursor is: the start of the line.
    std::fputs("\r", stdout);
    std::fflush(stdout);
    rl_forced_update_display();
  }
}

void Repl::OnInterrupt() {
  char drained[64];
  bool interrupted = false;
  bool resized = false;
  for (ssize_t count; (count = read(line_interrupt_pipe_[0], drained, sizeof drained)) > 0;) {
    for (ssize_t i = 0; i < count; ++i) (drained[i] == 'w' ? resized : interrupted) = true;
  }
  if (resized) rl_resize_terminal();
  if (!interrupted) return;
  switch (state_) {
    case State::kAwaiting:
      // Like Node: the await is abandoned (its promise may still settle; nobody listens).
      awaiting_id_ = 0;
      state_ = State::kReading;
      pending_input_.clear();
      Write(stdout, kInterrupted);
      PromptAgain();
      ProcessTyped();
      return;
    case State::kEditor:
      editor_buffer_.clear();
      state_ = State::kReading;
      break;
    case State::kSearching:
      state_ = State::kReading;
      break;
    case State::kReading:
      // Like Node: Ctrl-C on an empty line says how to leave, and leaves when pressed again.
      if (CurrentLine().empty() && pending_input_.empty()) {
        if (exit_armed_) {
          std::fputs("\n", stdout);
          std::fflush(stdout);
          Stop();
          return;
        }
        exit_armed_ = true;
        std::fputs("\n(To exit, press Ctrl+C again or Ctrl+D or type .exit)", stdout);
      }
      break;
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

void Repl::OnLine(const char* line) {
  HidePrompt();
  // libedit has just put the terminal in cooked mode; back to raw at once, so that keys typed
  // while the input runs are neither echoed twice nor read as the line discipline's (a Ctrl-D
  // would be end of file, a Ctrl-C would flush them).
  rl_prep_terminal(1);
  if (!line) {  // Ctrl-D on an empty line
    std::fputc('\n', stdout);
    std::fflush(stdout);
    if (state_ == State::kEditor) {
      state_ = State::kReading;
      EvaluateAndPrint(std::exchange(editor_buffer_, {}), Source::kWhole);
      return;
    }
    Stop();
    return;
  }
  HandleLine(line);
}

// --- Without a terminal -----------------------------------------------------------------

bool Repl::ReadPlainLines() {
  if (stopping_ || input_ended_) return false;
  char chunk[4096];
  ssize_t count = read(0, chunk, sizeof chunk);
  if (count <= 0) {
    input_ended_ = true;
    if (input_watch_ != 0) page_.Unwatch(input_watch_);
    input_watch_ = 0;
    if (!plain_buffer_.empty() && !plain_buffer_.ends_with('\n')) plain_buffer_ += '\n';
  } else {
    plain_buffer_.append(chunk, static_cast<std::size_t>(count));
  }
  ProcessPlainLines();
  return !stopping_ && !input_ended_;
}

void Repl::ProcessPlainLines() {
  std::size_t newline;
  while (!stopping_ && state_ != State::kAwaiting &&
         (newline = plain_buffer_.find('\n')) != std::string::npos) {
    std::string line = plain_buffer_.substr(0, newline);
    plain_buffer_.erase(0, newline + 1);
    HandleLine(line);
  }
  if (!input_ended_ || stopping_ || state_ == State::kAwaiting) return;
  if (state_ == State::kEditor) {  // .editor's input ends with the input
    state_ = State::kReading;
    EvaluateAndPrint(std::exchange(editor_buffer_, {}), Source::kWhole);
    if (state_ == State::kAwaiting) return;
  }
  std::fputc('\n', stdout);
  std::fflush(stdout);
  Stop();
}

void Repl::ReadFileLines() {
  if (ReadPlainLines()) page_.PostTask([this] { ReadFileLines(); });
}

// --- Inputs and dot-commands ------------------------------------------------------------

void Repl::HandleLine(const std::string& line) {
  if (state_ == State::kEditor) {
    editor_buffer_ += line + "\n";
    PromptAgain();
    return;
  }
  std::string_view trimmed = Trim(line);
  // Node's test: a leading '.' not followed by another, and not a number (".5 + 1").
  if (trimmed.size() > 1 && trimmed[0] == '.' && trimmed[1] != '.' &&
      !(trimmed[1] >= '0' && trimmed[1] <= '9')) {
    AddHistory(std::string(trimmed));
    RunCommand(trimmed);
    return;
  }
  if (pending_input_.empty() && trimmed.empty()) {
    PromptAgain();
    return;
  }
  pending_input_ += line;
  pending_input_ += '\n';
  EvaluateAndPrint(pending_input_, Source::kTyped);
}

void Repl::RunCommand(std::string_view command) {
  std::size_t space = command.find_first_of(" \t");
  std::string_view keyword = command.substr(0, space);
  std::string argument(space == std::string_view::npos ? "" : Trim(command.substr(space)));
  if (keyword == ".exit") {
    Stop();
    return;
  }
  if (keyword == ".break" || keyword == ".clear") {
    pending_input_.clear();
  } else if (keyword == ".help") {
    std::string help;
    for (const Command& entry : kCommands) {
      std::string name = entry.name;
      help += name + std::string(10 - name.size(), ' ') + entry.help + "\n";
    }
    help += "\nPress Ctrl+C to abort current expression, Ctrl+D to exit the REPL";
    Write(stdout, help);
  } else if (keyword == ".editor") {
    pending_input_.clear();
    editor_buffer_.clear();
    state_ = State::kEditor;
    Write(stdout, terminal_ ? "// Entering editor mode (Ctrl+D to finish, Ctrl+C to cancel)"
                            : "// Entering editor mode (the end of input finishes)");
  } else if (keyword == ".load") {
    std::ifstream file(argument);
    std::stringstream contents;
    if (argument.empty() || !file || !(contents << file.rdbuf())) {
      Write(stdout, "Failed to load: " + argument);
    } else {
      pending_input_.clear();
      EvaluateAndPrint(contents.str(), Source::kWhole);
      return;
    }
  } else if (keyword == ".save") {
    std::ofstream file(argument, std::ios::trunc);
    for (const std::string& input : session_inputs_)
      file << input << (input.ends_with('\n') ? "" : "\n");
    Write(stdout, !argument.empty() && file.flush() ? "Session saved to: " + argument
                                                    : "Failed to save: " + argument);
  } else {
    Write(stdout, "Invalid REPL keyword");
  }
  PromptAgain();
}

void Repl::BeginScript() {
  std::lock_guard lock(termination_mutex_);
  evaluating_ = true;
}

bool Repl::EndScript() {
  std::lock_guard lock(termination_mutex_);
  evaluating_ = false;
  if (!termination_requested_) return false;
  termination_requested_ = false;
  isolate_->CancelTerminateExecution();
  return true;
}

void Repl::EvaluateAndPrint(const std::string& source, Source source_kind) {
  v8::HandleScope handle_scope(isolate_);
  v8::Local<v8::Context> context = page_.context();
  v8::Context::Scope context_scope(context);
  std::string name = "REPL" + std::to_string(++input_number_);
  std::string_view input = Trim(source);
  if (input.empty()) {
    --input_number_;
    FinishInput();
    return;
  }

  v8::TryCatch try_catch(isolate_);
  v8::ScriptOrigin origin(isolate_, V8String(isolate_, name));
  v8::Local<v8::Script> script;
  // Like Node: "{ a: 1 }" is an object literal, not a block, when it parses as one.
  bool compiled =
      input.starts_with('{') && input.ends_with('}') &&
      v8::Script::Compile(context, V8String(isolate_, "(" + std::string(input) + "\n)"), &origin)
          .ToLocal(&script);
  if (!compiled) {
    try_catch.Reset();
    compiled = v8::Script::Compile(context, V8String(isolate_, source), &origin).ToLocal(&script);
  }
  if (!compiled) {
    std::string message =
        try_catch.Message().IsEmpty() ? "" : Utf8(isolate_, try_catch.Message()->Get());
    if (source_kind == Source::kTyped && IsIncompleteInput(message)) {
      --input_number_;
      PromptAgain();
      return;
    }
    // Top-level await: V8's REPL mode (see repl.h).
    if (source.find("await") != std::string::npos) {
      --input_number_;
      StartAwait(source, source_kind);
      return;
    }
  }

  v8::Local<v8::Value> completion;
  bool ran = false;
  std::string text = std::string(input);
  BeginScript();
  if (compiled) ran = script->Run(context).ToLocal(&completion);
  bool terminated = try_catch.HasTerminated();
  v8::Local<v8::Value> exception =
      try_catch.HasCaught() ? try_catch.Exception() : v8::Local<v8::Value>();
  try_catch.Reset();
  if (!terminated) {
    // The outcome first, then what its microtasks print ("Uncaught (in promise) …"), as Node.
    if (ran) {
      Write(stdout, Show(context, completion));
      Completed(completion, false, text);
    } else {
      if (exception.IsEmpty()) exception = v8::Undefined(isolate_);
      Write(stdout, "Uncaught " + DescribeException(context, exception));
      Completed(exception, true, text);
    }
    engine_page_->PerformMicrotaskCheckpoint();  // HTML "clean up after running script"
  }
  if (EndScript() || terminated) {
    Write(stdout, kInterrupted);
    if (terminated) Completed(v8::Local<v8::Value>(), false, text);
  }
  FinishInput();
}

void Repl::StartAwait(const std::string& source, Source source_kind) {
  awaiting_id_ = next_protocol_id_++;
  awaiting_source_ = source;
  awaiting_source_kind_ = source_kind;
  state_ = State::kAwaiting;
  std::string command =
      "{\"id\":" + std::to_string(awaiting_id_) +
      ",\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":" + JsonString(source) +
      ",\"replMode\":true,\"awaitPromise\":true,\"silent\":true,"
      "\"objectGroup\":\"repl\"}}";
  int id = awaiting_id_;
  BeginScript();
  Session().Dispatch(command);
  engine_page_->PerformMicrotaskCheckpoint();
  bool terminated = EndScript();
  if (terminated && awaiting_id_ == id) {
    awaiting_id_ = 0;
    state_ = State::kReading;
    pending_input_.clear();
    Write(stdout, kInterrupted);
    FinishInput();
  }
}

void Repl::OnProtocolMessage(std::string_view message) {
  v8::HandleScope handle_scope(isolate_);
  v8::Local<v8::Context> context = page_.context();
  v8::Context::Scope context_scope(context);
  v8::TryCatch try_catch(isolate_);
  v8::Local<v8::Value> parsed;
  if (!v8::JSON::Parse(context, V8String(isolate_, message)).ToLocal(&parsed) ||
      !parsed->IsObject()) {
    return;
  }
  v8::Local<v8::Value> id = Field(context, parsed, "id");
  if (!id->IsInt32()) return;  // an event
  int response_id = id.As<v8::Int32>()->Value();
  if (response_id == call_id_) {
    call_response_ = std::string(message);
  } else if (response_id == awaiting_id_ && state_ == State::kAwaiting) {
    FinishAwait(parsed.As<v8::Object>());
  }
}

// A Runtime.RemoteObject as the value it stands for.
v8::Local<v8::Value> Repl::FromRemoteObject(v8::Local<v8::Context> context,
                                            v8::Local<v8::Value> remote) {
  v8::Local<v8::Value> object_id = Field(context, remote, "objectId");
  if (object_id->IsString()) {
    v8::Local<v8::Value> value;
    if (Session().Unwrap(Utf8(isolate_, object_id.As<v8::String>())).ToLocal(&value)) return value;
    return v8::Undefined(isolate_);
  }
  v8::Local<v8::Value> unserializable = Field(context, remote, "unserializableValue");
  if (unserializable->IsString()) {  // NaN, -0, Infinity, 12n: literals V8 itself wrote
    v8::Local<v8::Script> literal;
    v8::Local<v8::Value> value;
    if (v8::Script::Compile(context, unserializable.As<v8::String>()).ToLocal(&literal) &&
        literal->Run(context).ToLocal(&value)) {
      return value;
    }
  }
  return Field(context, remote, "value");  // primitives are in the JSON; absent: undefined
}

void Repl::FinishAwait(v8::Local<v8::Object> response) {
  v8::Local<v8::Context> context = page_.context();
  Source source_kind = awaiting_source_kind_;
  std::string text(Trim(awaiting_source_));
  awaiting_id_ = 0;
  state_ = State::kReading;
  v8::Local<v8::Value> result = Field(context, response, "result");
  v8::Local<v8::Value> details = Field(context, result, "exceptionDetails");
  if (!result->IsObject()) {  // a protocol error: say what V8 said
    v8::Local<v8::Value> message = Field(context, Field(context, response, "error"), "message");
    Write(stdout, "Uncaught " + (message->IsString() ? Utf8(isolate_, message.As<v8::String>())
                                                     : std::string("error")));
    Completed(v8::Local<v8::Value>(), false, text);
  } else if (details->IsObject()) {
    v8::Local<v8::Value> exception =
        FromRemoteObject(context, Field(context, details, "exception"));
    std::string described = DescribeException(context, exception);
    if (source_kind == Source::kTyped && exception->IsNativeError() &&
        described.starts_with("SyntaxError") && IsIncompleteInput(described)) {
      PromptAgain();
      ResumeInput();
      return;
    }
    Write(stdout, "Uncaught " + described);
    Completed(exception, true, text);
  } else {
    v8::Local<v8::Value> value = FromRemoteObject(context, Field(context, result, "result"));
    Write(stdout, Show(context, value));
    Completed(value, false, text);
  }
  Session().Dispatch(
      "{\"id\":0,\"method\":\"Runtime.releaseObjectGroup\",\"params\":{\"objectGroup\":\"repl\"}}");
  FinishInput();
  ResumeInput();
}

// What was typed (or piped) while the await was pending — as a task of its own: a response
// may arrive while libedit is inside rl_callback_read_char.
void Repl::ResumeInput() {
  page_.PostTask([this] {
    if (stopping_) return;
    if (terminal_) {
      ProcessTyped();
    } else {
      ProcessPlainLines();
    }
  });
}

void Repl::Completed(v8::Local<v8::Value> value, bool threw, const std::string& text) {
  pending_input_.clear();
  AddHistory(text);
  session_inputs_.push_back(text);
  if (value.IsEmpty()) return;
  SpecialVariable& variable = threw ? *underscore_error_ : *underscore_;
  if (!variable.assigned) variable.value.Reset(isolate_, value);
}

void Repl::FinishInput() {
  if (state_ == State::kAwaiting) return;
  PromptAgain();
}

std::string Repl::Show(v8::Local<v8::Context> context, v8::Local<v8::Value> value) {
  return Inspect(context, value, colors_ ? InspectColors::kAnsi : InspectColors::kNone);
}

// How Node's REPL names an exception: the first line of an error's stack ("TypeError: x"),
// util.inspect of anything else ("42", "'text'").
std::string Repl::DescribeException(v8::Local<v8::Context> context,
                                    v8::Local<v8::Value> exception) {
  v8::TryCatch try_catch(isolate_);
  if (exception->IsObject()) {
    v8::Local<v8::Value> stack;
    if (exception.As<v8::Object>()->Get(context, V8String(isolate_, "stack")).ToLocal(&stack) &&
        stack->IsString()) {
      std::string text = Utf8(isolate_, stack.As<v8::String>());
      std::size_t frames = text.find("\n    at ");
      if (frames != std::string::npos) text.resize(frames);
      return text;
    }
  }
  return Show(context, exception);
}

// --- _ and _error -----------------------------------------------------------------------

void Repl::InstallSpecialVariables() {
  underscore_ = std::make_unique<SpecialVariable>(SpecialVariable{this, "_", {}, false});
  underscore_error_ = std::make_unique<SpecialVariable>(SpecialVariable{this, "_error", {}, false});
  v8::HandleScope handle_scope(isolate_);
  v8::Local<v8::Context> context = page_.context();
  v8::Context::Scope context_scope(context);
  for (SpecialVariable* variable : {underscore_.get(), underscore_error_.get()}) {
    v8::Local<v8::External> data = v8::External::New(isolate_, variable);
    v8::Local<v8::Function> getter;
    v8::Local<v8::Function> setter;
    if (!v8::Function::New(context, &Repl::GetSpecial, data, 0, v8::ConstructorBehavior::kThrow)
             .ToLocal(&getter) ||
        !v8::Function::New(context, &Repl::SetSpecial, data, 1, v8::ConstructorBehavior::kThrow)
             .ToLocal(&setter)) {
      continue;
    }
    context->Global()->SetAccessorProperty(V8String(isolate_, variable->name), getter, setter,
                                           v8::DontEnum);
  }
}

void Repl::GetSpecial(const v8::FunctionCallbackInfo<v8::Value>& info) {
  auto* variable = static_cast<SpecialVariable*>(info.Data().As<v8::External>()->Value());
  if (variable->value.IsEmpty()) return;  // undefined
  info.GetReturnValue().Set(variable->value.Get(info.GetIsolate()));
}

// Like Node: assigning `_` (or `_error`) makes it an ordinary variable from then on.
void Repl::SetSpecial(const v8::FunctionCallbackInfo<v8::Value>& info) {
  auto* variable = static_cast<SpecialVariable*>(info.Data().As<v8::External>()->Value());
  if (!variable->assigned) {
    variable->assigned = true;
    variable->repl->PrintAbovePrompt(
        stdout, std::string("Expression assignment to ") + variable->name + " now disabled.");
  }
  variable->value.Reset(info.GetIsolate(), info[0]);
}

// --- Completion -------------------------------------------------------------------------

PageInspector::LocalSession& Repl::Session() {
  if (!session_) {
    if (!engine_page_->inspector()) {
      engine_page_->SetInspector(PageInspector::CreateWithoutServer(*engine_page_));
    }
    session_ = engine_page_->inspector()->ConnectLocal(
        [this](std::string_view message) { OnProtocolMessage(message); });
  }
  return *session_;
}

std::vector<std::string> Repl::GlobalLexicalNames() {
  call_id_ = next_protocol_id_++;
  call_response_.clear();
  Session().Dispatch("{\"id\":" + std::to_string(call_id_) +
                     ",\"method\":\"Runtime.globalLexicalScopeNames\",\"params\":{}}");
  call_id_ = 0;
  std::vector<std::string> names;
  v8::HandleScope handle_scope(isolate_);
  v8::Local<v8::Context> context = page_.context();
  v8::Context::Scope context_scope(context);
  v8::TryCatch try_catch(isolate_);
  v8::Local<v8::Value> parsed;
  if (call_response_.empty() ||
      !v8::JSON::Parse(context, V8String(isolate_, call_response_)).ToLocal(&parsed)) {
    return names;
  }
  v8::Local<v8::Value> list = Field(context, Field(context, parsed, "result"), "names");
  if (!list->IsArray()) return names;
  auto array = list.As<v8::Array>();
  for (uint32_t i = 0; i < array->Length(); ++i) {
    v8::Local<v8::Value> name;
    if (array->Get(context, i).ToLocal(&name) && name->IsString()) {
      names.push_back(Utf8(isolate_, name.As<v8::String>()));
    }
  }
  return names;
}

// `a.b.c` read step by step from data properties only: a getter, a proxy or anything that
// is not a plain identifier chain gives up rather than run script.
bool Repl::ResolveWithoutSideEffects(v8::Local<v8::Context> context, std::string_view expression,
                                     v8::Local<v8::Value>* value) {
  std::vector<std::string_view> parts = SplitMembers(expression);
  if (!std::all_of(parts.begin(), parts.end(), IsIdentifier)) return false;
  v8::Local<v8::Value> current;
  switch (FindDataProperty(context, context->Global(), V8String(isolate_, parts[0]), &current)) {
    case Lookup::kData:
      break;
    case Lookup::kAccessor:
    case Lookup::kRefused:
      return false;
    case Lookup::kAbsent: {
      // A let/const/class binding: reading one runs nothing.
      std::vector<std::string> lexical = GlobalLexicalNames();
      if (std::find(lexical.begin(), lexical.end(), parts[0]) == lexical.end()) return false;
      v8::Local<v8::Script> read;
      if (!v8::Script::Compile(context, V8String(isolate_, parts[0])).ToLocal(&read) ||
          !read->Run(context).ToLocal(&current)) {
        return false;  // e.g. still in its temporal dead zone
      }
      break;
    }
  }
  for (std::size_t i = 1; i < parts.size(); ++i) {
    if (current->IsNullOrUndefined()) return false;
    v8::Local<v8::Object> object;
    if (!current->ToObject(context).ToLocal(&object)) return false;
    if (FindDataProperty(context, object, V8String(isolate_, parts[i]), &current) !=
        Lookup::kData) {
      return false;
    }
  }
  *value = current;
  return true;
}

std::vector<std::string> Repl::CompletionsFor(std::string_view text, int start) {
  std::vector<std::string> completions;
  if (start == 0 && text.starts_with('.')) {
    for (const Command& command : kCommands) completions.emplace_back(command.name);
  } else {
    v8::HandleScope handle_scope(isolate_);
    v8::Local<v8::Context> context = page_.context();
    v8::Context::Scope context_scope(context);
    v8::TryCatch try_catch(isolate_);
    std::size_t dot = text.rfind('.');
    std::vector<std::string> names;
    std::string prefix;
    if (dot == std::string_view::npos) {
      CollectPropertyNames(context, context->Global(), names);
      std::vector<std::string> lexical = GlobalLexicalNames();
      names.insert(names.end(), lexical.begin(), lexical.end());
    } else {
      v8::Local<v8::Value> target;
      if (!ResolveWithoutSideEffects(context, text.substr(0, dot), &target) ||
          target->IsNullOrUndefined()) {
        return completions;
      }
      v8::Local<v8::Object> object;
      if (!target->ToObject(context).ToLocal(&object)) return completions;
      CollectPropertyNames(context, object, names);
      prefix = std::string(text.substr(0, dot + 1));
    }
    for (const std::string& name : names) {
      if (IsIdentifier(name)) completions.push_back(prefix + name);
    }
  }
  std::erase_if(completions,
                [&](const std::string& candidate) { return !candidate.starts_with(text); });
  std::sort(completions.begin(), completions.end());
  completions.erase(std::unique(completions.begin(), completions.end()), completions.end());
  return completions;
}

}  // namespace switchboard
