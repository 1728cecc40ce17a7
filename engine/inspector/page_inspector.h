// PageInspector: the embedder's half of V8's inspector for one Page (issue 16) — a
// V8InspectorClient with the page's context registered, one V8InspectorSession per DevTools
// WebSocket (net/devtools_server.h), the nested message loop that runs while the debugger
// has the page paused, and the wait of --inspect-wait / --inspect-brk.
//
// Thread: main thread (the page's); the server's callbacks only queue messages for it.
// Ownership: the Page owns it (Page::SetInspector) and destroys it before its context; it owns
// the server, the V8Inspector and every session.
// Messages: queued by the server's thread; each one wakes the page's event loop (a task drains
// the queue), and while paused or waiting for a debugger the main thread blocks on the queue
// itself, so a paused page still receives messages. Responses go back through the server.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <v8-inspector.h>
#include <v8.h>

#include "net/devtools_server.h"
#include "net/result.h"

namespace switchboard {

class Page;

// A protocol domain the engine serves itself beside V8's (issue 16's Network domain): the
// inspector hands it the commands whose method starts with its prefix ("Network."), and it
// answers through PageInspector::Send. Main thread; it must outlive the inspector, or be
// removed first.
class InspectorDomain {
 public:
  virtual ~InspectorDomain() = default;
  virtual std::string_view method_prefix() const = 0;
  // One command, as received ({"id":7,"method":"Network.enable","params":{…}}); `id` and
  // `method` are its, already read. Each command gets exactly one answer.
  virtual void HandleCommand(DevToolsServer::SessionId session, int id, std::string_view method,
                             std::string_view message) = 0;
  // The session went away: forget what it enabled.
  virtual void SessionClosed(DevToolsServer::SessionId session) = 0;
};

struct InspectorSettings {
  std::string host = "127.0.0.1";
  std::uint16_t port = 9229;  // 0: any free port
  // kWait: run no script until a client sent Runtime.runIfWaitingForDebugger; kBreak: and then
  // pause before the first statement.
  enum class Start { kNoWait, kWait, kBreak };
  Start start = Start::kNoWait;
};

class PageInspector final : public v8_inspector::V8InspectorClient {
 public:
  static Result<std::unique_ptr<PageInspector>> Create(Page& page,
                                                       const InspectorSettings& settings);
  // Without a DevTools endpoint: only local sessions (the REPL's, issue 17) talk to it.
  static std::unique_ptr<PageInspector> CreateWithoutServer(Page& page);
  ~PageInspector() override;
  PageInspector(const PageInspector&) = delete;
  PageInspector& operator=(const PageInspector&) = delete;

  // "ws://127.0.0.1:9229/<target-id>" ("" and 0 without a server).
  std::string WebSocketUrl() const { return server_ ? server_->WebSocketUrl() : std::string(); }
  std::uint16_t port() const { return server_ ? server_->port() : 0; }

  // An in-process session (the REPL's): V8's protocol without a WebSocket. Main thread; it
  // must be destroyed before the inspector. Responses and events go to `on_message` (JSON,
  // UTF-8), possibly from inside Dispatch.
  class LocalSession {
   public:
    virtual ~LocalSession() = default;
    virtual void Dispatch(std::string_view message) = 0;
    // The value a RemoteObject's objectId names (empty when it is unknown or released).
    virtual v8::MaybeLocal<v8::Value> Unwrap(std::string_view object_id) = 0;
  };
  std::unique_ptr<LocalSession> ConnectLocal(std::function<void(std::string_view)> on_message);

  // With Start::kWait or kBreak, the first call runs inspector messages until a client sends
  // Runtime.runIfWaitingForDebugger (kBreak then schedules a pause on the next statement);
  // later calls, and kNoWait, return at once. False when Interrupt() ended the wait: the page
  // is being terminated and must run no script.
  bool WaitForDebuggerIfAsked();

  // Whether a DevTools client is attached now (after handling what has been queued).
  bool HasSessions();
  // Runs inspector messages until every attached client has gone or Interrupt(): the page's
  // scripts have finished and DevTools can still inspect what they left, as Node does at exit
  // ("Waiting for the debugger to disconnect..."). Returns at once when none is attached.
  void WaitForSessionsToClose();

  // Any thread: ends a pause or a wait for a debugger now and any later one at once, so that
  // a terminated page (embed::Page::Terminate, the shell's --timeout) does not stay blocked
  // on a debugger.
  void Interrupt();

  // Engine-served domains (see InspectorDomain). Main thread.
  void AddDomain(InspectorDomain& domain);
  void RemoveDomain(InspectorDomain& domain);
  // A response or event (JSON text) to one session; ignored if it has gone. Main thread.
  void Send(DevToolsServer::SessionId session, std::string message);

  // Uncaught exceptions and unhandled rejections, as Runtime.exceptionThrown.
  void ExceptionThrown(v8::Local<v8::Context> context, std::string_view text,
                       v8::Local<v8::Value> exception, v8::Local<v8::Message> message);

  // v8_inspector::V8InspectorClient
  void runMessageLoopOnPause(int context_group_id) override;
  void quitMessageLoopOnPause() override;
  void runIfWaitingForDebugger(int context_group_id) override;
  v8::Local<v8::Context> ensureDefaultContextInGroup(int context_group_id) override;
  double currentTimeMS() override;
  // Scripts are named for error messages ("dir/script.js", relative to the working directory,
  // PageUrl::DisplayName); DevTools lists them under their URLs (file:///…/dir/script.js).
  std::unique_ptr<v8_inspector::StringBuffer> resourceNameToUrl(
      const v8_inspector::StringView& resource_name) override;

 private:
  class Session;
  // What the server's thread hands to the main thread.
  struct Incoming {
    enum class Kind { kSessionOpened, kMessage, kSessionClosed, kInterrupt };
    Kind kind;
    DevToolsServer::SessionId session;
    std::string message;
  };
  // Shared with the tasks posted to the event loop, which may outlive the inspector.
  struct Queue {
    std::mutex mutex;
    std::condition_variable arrived;
    std::deque<Incoming> incoming;   // guarded by mutex
    PageInspector* owner = nullptr;  // main thread only; null once the inspector is gone
  };

  PageInspector(Page& page, InspectorSettings settings);
  // Handles what is queued now, one at a time (a message may pause and nest another drain).
  void DispatchQueued();
  // Blocks until something is queued, then handles it.
  void WaitAndDispatch();
  void Handle(Incoming incoming);
  // Gives a command to the engine domain whose prefix its method has; false when none has.
  bool DispatchToDomain(DevToolsServer::SessionId session, const std::string& message);

  Page& page_;
  InspectorSettings settings_;
  std::shared_ptr<Queue> queue_ = std::make_shared<Queue>();
  std::unique_ptr<v8_inspector::V8Inspector> inspector_;
  std::map<DevToolsServer::SessionId, std::unique_ptr<Session>> sessions_;
  // Sessions closed while one of their messages was being dispatched: destroyed afterwards.
  std::vector<std::unique_ptr<Session>> closed_sessions_;
  std::vector<InspectorDomain*> domains_;
  int dispatch_depth_ = 0;
  bool paused_ = false;
  bool quit_pause_ = false;
  bool waiting_for_debugger_ = false;
  bool waited_ = false;
  bool interrupted_ = false;
  // Last: destroyed first, so no server callback runs while the rest goes away.
  std::unique_ptr<DevToolsServer> server_;
};

}  // namespace switchboard
