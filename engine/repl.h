// Repl: switchboard-shell's interactive prompt (--repl, or no PAGE on a terminal), like
// Node's REPL: each input is evaluated in one page and its result printed with util.inspect
// ("undefined" for statements, strings quoted, "Uncaught Error: …" for exceptions, after which
// the REPL goes on); input that stops early (an open brace, an unterminated template)
// continues on a "... " line; `.exit` or Ctrl-D ends it, Ctrl-C clears the line (or ends
// a script that runs too long).
//
// The page's event loop runs between prompts: standard input is one more descriptor watched
// by the loop (libedit's callback interface reads one character when it is readable), so
// timers and connection events fire while the prompt waits, and their console output is
// printed above the prompt, which is then drawn again with the line being edited.
//
// Thread: the page's thread. Ownership: the shell owns the Repl and the page it drives; one
// Repl at a time (libedit's readline interface is process-global).
#pragma once

#include <atomic>
#include <string>
#include <thread>

#include "switchboard/page.h"

namespace switchboard {

class Repl {
 public:
  // `history_file`: where line history is read from and written to ("" for none).
  Repl(embed::Page& page, std::string history_file);
  ~Repl();
  Repl(const Repl&) = delete;
  Repl& operator=(const Repl&) = delete;

  // Runs until `.exit` or end of input; returns the shell's exit code (0).
  int Run();

  // $SWITCHBOARD_HISTORY, else ~/.switchboard_history, else "" (no home directory).
  static std::string DefaultHistoryFile();

 private:
  enum class Prompt { kNew, kContinue };

  void OnLine(const char* line);
  void Evaluate(const std::string& input);
  void OnInterrupt();
  // Console output while the prompt may be on screen: clears the prompt's line, prints, and
  // draws the prompt and the line being edited again.
  void PrintAbovePrompt(FILE* stream, std::string_view text);
  void ShowPrompt(Prompt prompt);
  void HidePrompt();
  // Reads what standard input has and evaluates each complete line; false at its end or after
  // .exit.
  bool ReadPlainLines();
  void ReadFileLines();
  void Stop();

  embed::Page& page_;
  std::string history_file_;
  bool terminal_ = false;
  bool prompt_visible_ = false;
  bool stopping_ = false;      // .exit, Ctrl-D or the end of input: evaluate nothing more
  std::string pending_input_;  // lines of an incomplete input so far
  std::string plain_buffer_;   // without a terminal: bytes read but not yet a line
  int input_number_ = 0;
  // SIGINT → interrupt_pipe_ → interrupt_thread_ → TerminateScript() while evaluating_,
  // else line_interrupt_pipe_ → the loop (OnInterrupt).
  int interrupt_pipe_[2] = {-1, -1};
  int line_interrupt_pipe_[2] = {-1, -1};
  std::atomic<bool> evaluating_ = false;
  std::thread interrupt_thread_;
};

}  // namespace switchboard
