// Repl: switchboard-shell's interactive prompt (--repl, or no PAGE on a terminal), like
// Node's REPL: each input is evaluated in one page and its result printed with util.inspect
// ("undefined" for statements, strings quoted, "Uncaught Error: …" for exceptions, after which
// the REPL goes on); input that stops early (an open brace, an unterminated template)
// continues on a "... " line. Like Node's too: a banner, colours on a terminal (not with
// NO_COLOR), Tab completion of globals and of properties along an expression's prototype
// chain, Ctrl-R reverse history search, the dot-commands (.help lists them), `_` and `_error`,
// top-level `await`, Ctrl-C twice on an empty line to leave, and a plain-text history file.
//
// The page's event loop runs between prompts: standard input is one more descriptor watched
// by the loop (libedit's callback interface reads one key when it is readable, through our
// getc so that Ctrl-R's search can be ours), so timers and connection events fire while the
// prompt waits, and their console output is printed above the prompt, which is then drawn
// again with the line being edited.
//
// Top-level `await`: an input that does not compile as a classic script but mentions `await`
// is evaluated by V8's REPL mode through an in-process inspector session (Runtime.evaluate
// with replMode and awaitPromise, as Chrome's console does): declarations, `const x = await …`
// included, stay visible to later inputs, and the loop keeps running until the promise
// settles. Completion never runs script that could have effects: the expression before the
// last `.` must be a chain of identifiers, and each step reads only data properties.
//
// Thread: the page's thread. Ownership: the shell owns the Repl and the page it drives; one
// Repl at a time (libedit's readline interface is process-global).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <v8.h>

#include "engine/inspector/page_inspector.h"
#include "switchboard/page.h"

namespace switchboard {

class Page;

class Repl {
 public:
  // `history_file`: where line history is read from and written to ("" for none).
  Repl(embed::Page& page, std::string history_file);
  ~Repl();
  Repl(const Repl&) = delete;
  Repl& operator=(const Repl&) = delete;

  // Runs until `.exit`, Ctrl-D, Ctrl-C twice or end of input; returns the shell's exit
  // code (0).
  int Run();

  // $SWITCHBOARD_HISTORY, else ~/.switchboard_history, else "" (no home directory).
  static std::string DefaultHistoryFile();

  // The most entries the history file keeps (the most recent ones).
  static constexpr std::size_t kMaxHistoryEntries = 1000;

  // Tab completion (libedit calls it through a plain function): what `text` may complete
  // to; `start` is its offset in the line.
  std::vector<std::string> CompletionsFor(std::string_view text, int start);
  // The key reader libedit uses: one code point of what the terminal sent.
  int NextCodePoint();

 private:
  enum class Prompt { kNew, kContinue, kEditor };
  // kReading: libedit edits a line; kSearching: Ctrl-R's search has the keys; kEditor:
  // .editor collects lines; kAwaiting: a top-level await is pending (keys wait).
  enum class State { kReading, kSearching, kEditor, kAwaiting };
  // Where an input came from: typed (it may continue on the next line), or .editor / .load.
  enum class Source { kTyped, kWhole };
  // `_` or `_error`: the last result or uncaught exception, until script assigns it.
  struct SpecialVariable {
    Repl* repl;
    const char* name;
    v8::Global<v8::Value> value;
    bool assigned = false;
  };

  void OnLine(const char* line);
  // One line of input (typed, or read without a terminal): a dot-command or more source.
  void HandleLine(const std::string& line);
  void RunCommand(std::string_view command);
  // Evaluates `source` and prints the outcome (later, for a top-level await).
  void EvaluateAndPrint(const std::string& source, Source source_kind);
  void StartAwait(const std::string& source, Source source_kind);
  void OnProtocolMessage(std::string_view message);
  void FinishAwait(v8::Local<v8::Object> response);
  void ResumeInput();
  // After an input is done: history, .save's record, `_`/`_error`, the next prompt.
  void Completed(v8::Local<v8::Value> value, bool threw, const std::string& text);
  // The next prompt, unless an await is pending.
  void FinishInput();
  void PromptAgain();
  v8::Local<v8::Value> FromRemoteObject(v8::Local<v8::Context> context,
                                        v8::Local<v8::Value> remote);
  std::string Show(v8::Local<v8::Context> context, v8::Local<v8::Value> value);
  std::string DescribeException(v8::Local<v8::Context> context, v8::Local<v8::Value> exception);
  void InstallSpecialVariables();
  static void GetSpecial(const v8::FunctionCallbackInfo<v8::Value>& info);
  static void SetSpecial(const v8::FunctionCallbackInfo<v8::Value>& info);

  // The in-process inspector session (made on first use) and synchronous commands on it.
  PageInspector::LocalSession& Session();
  std::vector<std::string> GlobalLexicalNames();
  bool ResolveWithoutSideEffects(v8::Local<v8::Context> context, std::string_view expression,
                                 v8::Local<v8::Value>* value);

  // Running script: a Ctrl-C meanwhile ends it (TerminateExecution), and only it.
  void BeginScript();
  bool EndScript();  // true when a Ctrl-C ended it

  // Terminal input: bytes read, handed to the search or to libedit key by key.
  void OnTerminalReadable();
  void ProcessTyped();
  void StartSearch();
  void HandleSearchByte();
  void DrawSearch();
  void FindMatch(std::size_t before);
  void EndSearch(const std::string& line);
  std::string CurrentLine();

  void OnInterrupt();
  void AddHistory(const std::string& entry);
  void ReadHistoryFile();
  void WriteHistoryFile();
  // Console output while the prompt may be on screen: clears the prompt's line, prints, and
  // draws the prompt and the line being edited again.
  void PrintAbovePrompt(FILE* stream, std::string_view text);
  void ShowPrompt(Prompt prompt);
  void HidePrompt();
  // Reads what standard input has and evaluates each complete line; false at its end or after
  // .exit.
  bool ReadPlainLines();
  void ProcessPlainLines();
  void ReadFileLines();
  void Stop();

  embed::Page& page_;
  Page* engine_page_ = nullptr;
  v8::Isolate* isolate_ = nullptr;
  std::string history_file_;
  bool terminal_ = false;
  bool colors_ = false;
  bool prompt_visible_ = false;
  bool stopping_ = false;  // .exit, Ctrl-D or the end of input: evaluate nothing more
  State state_ = State::kReading;
  std::string pending_input_;  // lines of an incomplete input so far
  std::string editor_buffer_;  // .editor's lines so far
  std::string plain_buffer_;   // without a terminal: bytes read but not yet a line
  bool input_ended_ = false;   // without a terminal: standard input is at its end
  int input_watch_ = 0;
  std::string typed_;        // with a terminal: bytes read but not yet handled
  bool exit_armed_ = false;  // the last key was a Ctrl-C on an empty line
  int input_number_ = 0;
  std::vector<std::string> history_;         // oldest first, multi-line inputs on one line
  std::vector<std::string> session_inputs_;  // what .save writes
  // Ctrl-R: the pattern, the entry shown (index into history_, or history_.size() for
  // none), and the line to restore when the search is cancelled.
  std::string search_pattern_;
  std::size_t search_match_ = 0;
  bool search_failed_ = false;
  std::string search_saved_line_;
  // The pending top-level await: its protocol id (0: none) and what was typed.
  int awaiting_id_ = 0;
  std::string awaiting_source_;
  Source awaiting_source_kind_ = Source::kTyped;
  int next_protocol_id_ = 1;
  // Synchronous protocol commands: the id asked about and its response.
  int call_id_ = 0;
  std::string call_response_;
  std::unique_ptr<PageInspector::LocalSession> session_;
  std::unique_ptr<SpecialVariable> underscore_;
  std::unique_ptr<SpecialVariable> underscore_error_;
  // SIGINT → interrupt_pipe_ → interrupt_thread_ → TerminateExecution while evaluating_,
  // else line_interrupt_pipe_ → the loop (OnInterrupt).
  int interrupt_pipe_[2] = {-1, -1};
  int line_interrupt_pipe_[2] = {-1, -1};
  std::mutex termination_mutex_;
  bool evaluating_ = false;             // guarded by termination_mutex_
  bool termination_requested_ = false;  // guarded by termination_mutex_
  std::thread interrupt_thread_;
};

}  // namespace switchboard
