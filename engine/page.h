// Page: one document — a V8 isolate and context on the main thread, its event loop, its
// globals (the Window global object, console, timers, location) and its settings.
//
// Thread: main thread only; asserted in debug builds.
// Ownership: the embedder (the shell) owns the Page. The Page owns the isolate, the context,
// the event loop and every v8::Global it hands out; destroying the Page closes everything
// (spec §8: "Tearing down the page closes all").
// Callbacks: console lines go to the ConsoleSink given at construction, synchronously, in
// the order script produced them.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <v8.h>

#include "bindings/ref_counted.h"
#include "bindings/script_environment.h"
#include "engine/event_loop.h"
#include "engine/page_network.h"
#include "engine/page_settings.h"
#include "net/origin.h"
#include "net/page_url.h"

namespace switchboard {

class PageInspector;
class Timers;
class Window;

using ConsoleSink = std::function<void(bindings::ConsoleLevel, std::string_view line)>;
using DiagnosticSink = std::function<void(std::string_view text)>;

// Where a script's text came from: shown in error locations ("file:line:col").
struct ScriptLocation {
  std::string name;       // URL or file path
  int line_offset = 0;    // 0-based line of the first character (inline <script> elements)
  int column_offset = 0;  // 0-based column of the first character on its line
};

class Page final : public bindings::ScriptEnvironment {
 public:
  // `url` is the document URL (file: or http(s):). `console` receives console output;
  // `diagnostics` receives uncaught-exception reports (the shell sends them to stderr).
  // `cookie_jar`: the jar page loads and handshakes share; null makes an in-memory one.
  // `network_service`: the one that loaded the document (Page::Load), which the page goes on
  // using for its scripts and connections; null starts one on first use.
  Page(PageUrl url, PageSettings settings, ConsoleSink console, DiagnosticSink diagnostics,
       std::shared_ptr<CookieJar> cookie_jar = nullptr,
       std::unique_ptr<NetworkService> network_service = nullptr);
  ~Page() override;
  Page(const Page&) = delete;
  Page& operator=(const Page&) = delete;

  static Page* From(v8::Local<v8::Context> context);

  // Compiles and runs a classic script, then performs a microtask checkpoint.
  bindings::ScriptOutcome EvaluateScript(std::string_view source, const ScriptLocation& location);

  // HTML "perform a microtask checkpoint", then "notify about rejected promises".
  void PerformMicrotaskCheckpoint();

  EventLoop& event_loop() { return *event_loop_; }
  v8::Isolate* isolate() const { return isolate_; }
  v8::Local<v8::Context> context() const { return context_.Get(isolate_); }
  const PageUrl& url() const { return url_; }
  const PageSettings& settings() const { return settings_; }
  // The document origin, serialized ("null" when opaque).
  const std::string& origin() const { return origin_; }
  const Origin& document_origin() const { return document_origin_; }
  // The page's connections (spec §3); the network thread starts with the first one.
  PageNetwork& network() { return *network_; }
  const std::shared_ptr<CookieJar>& cookie_jar() const { return cookie_jar_; }
  // The global object's implementation (HTML §7.2).
  Window& window() { return *window_; }
  // DevTools (issue 16): null unless the embedder asked for --inspect. The page owns it and
  // destroys it first, while its context still exists.
  PageInspector* inspector() const { return inspector_.get(); }
  void SetInspector(std::unique_ptr<PageInspector> inspector);

  // The number of uncaught exceptions and unhandled rejections reported so far.
  int uncaught_exception_count() const { return uncaught_exception_count_; }
  // Counts a failure that is not a script exception (e.g. a <script src> that did not load)
  // and prints it as a diagnostic.
  void ReportLoadError(std::string_view text);

  // bindings::ScriptEnvironment. HTML §8.1.5.4 "report an exception": fires a cancelable
  // ErrorEvent at the global object and, unless it was canceled, prints the exception.
  void ReportException(v8::Local<v8::Context> context, v8::Local<v8::Value> exception,
                       v8::Local<v8::Message> message) override;
  void PrintToConsole(bindings::ConsoleLevel level, std::string_view line) override;
  PlatformTimerId StartPlatformTimer(std::uint64_t delay_ms, KeepAlive keep_alive,
                                     std::function<void()> task) override;
  void SetPlatformTimerKeepAlive(PlatformTimerId id, KeepAlive keep_alive) override;
  void CancelPlatformTimer(PlatformTimerId id) override;

 private:
  struct RejectedPromise {
    v8::Global<v8::Promise> promise;
    v8::Global<v8::Value> reason;
  };

  void InstallGlobals();
  void PrintUncaughtException(v8::Local<v8::Context> context, v8::Local<v8::Value> exception,
                              v8::Local<v8::Message> message);
  void NotifyAboutRejectedPromises();
  void PrintUnhandledRejection(v8::Local<v8::Context> context, v8::Local<v8::Value> reason);
  void QueueRejectionHandled(v8::Local<v8::Promise> promise);
  static void OnPromiseReject(v8::PromiseRejectMessage message);
  static void OnMessage(v8::Local<v8::Message> message, v8::Local<v8::Value> exception);

  PageUrl url_;
  PageSettings settings_;
  std::string origin_;
  Origin document_origin_ = Origin::Opaque();
  ConsoleSink console_;
  DiagnosticSink diagnostics_;
  std::shared_ptr<CookieJar> cookie_jar_;

  std::unique_ptr<EventLoop> event_loop_;
  v8::Isolate* isolate_ = nullptr;
  bindings::RefPtr<Window> window_;
  v8::Global<v8::Context> context_;
  std::unique_ptr<Timers> timers_;
  std::unique_ptr<PageNetwork> network_;
  // HTML §8.1.5.7: the "about-to-be-notified rejected promises list" and the "outstanding
  // rejected promises weak set" (weak handles; a collected promise can never be handled).
  std::vector<RejectedPromise> pending_rejections_;
  std::vector<v8::Global<v8::Promise>> outstanding_rejections_;
  bool notifying_about_rejected_promises_ = false;
  // HTML "in error reporting mode": an exception thrown while an error event is being
  // dispatched is printed, not reported again.
  bool in_error_reporting_mode_ = false;
  int uncaught_exception_count_ = 0;
  std::unique_ptr<PageInspector> inspector_;
};

}  // namespace switchboard
