#include "engine/inspector/page_inspector.h"

#include <algorithm>
#include <cassert>
#include <chrono>
#include <utility>

#include "base/cross_thread_queue.h"
#include "engine/inspector/protocol/protocol_json.h"
#include "engine/page.h"
#include "engine/script_platform.h"
#include "engine/v8_strings.h"

namespace switchboard {
namespace {

// One page, one context group.
constexpr int kContextGroupId = 1;

v8_inspector::StringView View(std::string_view latin1_or_ascii) {
  return v8_inspector::StringView(reinterpret_cast<const std::uint8_t*>(latin1_or_ascii.data()),
                                  latin1_or_ascii.size());
}

// UTF-8 (what arrives on the WebSocket) to UTF-16 (what V8's inspector takes without guessing
// an encoding); ill-formed bytes become U+FFFD (the framer already refused non-UTF-8 text).
std::u16string Utf8ToUtf16(std::string_view utf8) {
  std::u16string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    auto byte = static_cast<std::uint8_t>(utf8[i]);
    std::uint32_t code_point = 0xFFFD;
    std::size_t length = 1;
    if (byte < 0x80) {
      code_point = byte;
    } else if ((byte & 0xE0) == 0xC0 && i + 1 < utf8.size()) {
      code_point = ((byte & 0x1Fu) << 6) | (static_cast<std::uint8_t>(utf8[i + 1]) & 0x3Fu);
      length = 2;
    } else if ((byte & 0xF0) == 0xE0 && i + 2 < utf8.size()) {
      code_point = ((byte & 0x0Fu) << 12) |
                   ((static_cast<std::uint8_t>(utf8[i + 1]) & 0x3Fu) << 6) |
                   (static_cast<std::uint8_t>(utf8[i + 2]) & 0x3Fu);
      length = 3;
    } else if ((byte & 0xF8) == 0xF0 && i + 3 < utf8.size()) {
      code_point = ((byte & 0x07u) << 18) |
                   ((static_cast<std::uint8_t>(utf8[i + 1]) & 0x3Fu) << 12) |
                   ((static_cast<std::uint8_t>(utf8[i + 2]) & 0x3Fu) << 6) |
                   (static_cast<std::uint8_t>(utf8[i + 3]) & 0x3Fu);
      length = 4;
    }
    i += length;
    if (code_point >= 0x10000) {
      code_point -= 0x10000;
      out.push_back(static_cast<char16_t>(0xD800 + (code_point >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + (code_point & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(code_point));
    }
  }
  return out;
}

void AppendUtf8(std::string& out, std::uint32_t code_point) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

// V8's protocol strings (Latin-1 or UTF-16) to the UTF-8 the WebSocket carries; a lone
// surrogate becomes U+FFFD.
std::string ToUtf8(const v8_inspector::StringView& view) {
  std::string out;
  out.reserve(view.length());
  if (view.is8Bit()) {
    for (std::size_t i = 0; i < view.length(); ++i) AppendUtf8(out, view.characters8()[i]);
    return out;
  }
  const std::uint16_t* units = view.characters16();
  for (std::size_t i = 0; i < view.length(); ++i) {
    std::uint32_t unit = units[i];
    if (unit >= 0xD800 && unit <= 0xDBFF && i + 1 < view.length() && units[i + 1] >= 0xDC00 &&
        units[i + 1] <= 0xDFFF) {
      AppendUtf8(out, 0x10000 + ((unit - 0xD800) << 10) + (units[i + 1] - 0xDC00));
      ++i;
    } else if (unit >= 0xD800 && unit <= 0xDFFF) {
      AppendUtf8(out, 0xFFFD);
    } else {
      AppendUtf8(out, unit);
    }
  }
  return out;
}

// A V8 string's UTF-16 code units, to hand to the inspector as a StringView.
std::u16string Utf16(v8::Isolate* isolate, v8::Local<v8::Value> value) {
  if (value.IsEmpty() || !value->IsString()) return u"";
  v8::Local<v8::String> string = value.As<v8::String>();
  std::u16string out(static_cast<std::size_t>(string->Length()), u'\0');
  string->Write(isolate, reinterpret_cast<std::uint16_t*>(out.data()));
  return out;
}

v8_inspector::StringView View(const std::u16string& text) {
  return v8_inspector::StringView(reinterpret_cast<const std::uint16_t*>(text.data()), text.size());
}

}  // namespace

// One DevTools WebSocket: V8's session, and the channel that sends its output back.
class PageInspector::Session final : public v8_inspector::V8Inspector::Channel {
 public:
  Session(PageInspector& owner, DevToolsServer::SessionId id) : owner_(owner), id_(id) {
    session_ = owner.inspector_->connect(kContextGroupId, this, v8_inspector::StringView());
  }
  v8_inspector::V8InspectorSession& session() { return *session_; }

  // (During ~PageInspector the server is gone first; what a closing session says is dropped.)
  void sendResponse(int, std::unique_ptr<v8_inspector::StringBuffer> message) override {
    if (owner_.server_) owner_.server_->Send(id_, ToUtf8(message->string()));
  }
  void sendNotification(std::unique_ptr<v8_inspector::StringBuffer> message) override {
    if (owner_.server_) owner_.server_->Send(id_, ToUtf8(message->string()));
  }
  void flushProtocolNotifications() override {}

 private:
  PageInspector& owner_;
  DevToolsServer::SessionId id_;
  std::unique_ptr<v8_inspector::V8InspectorSession> session_;
};

namespace {

class LocalSessionImpl final : public PageInspector::LocalSession,
                               public v8_inspector::V8Inspector::Channel {
 public:
  LocalSessionImpl(v8_inspector::V8Inspector& inspector,
                   std::function<void(std::string_view)> on_message)
      : on_message_(std::move(on_message)) {
    session_ = inspector.connect(kContextGroupId, this, v8_inspector::StringView());
  }

  void Dispatch(std::string_view message) override {
    std::u16string text = Utf8ToUtf16(message);
    session_->dispatchProtocolMessage(View(text));
  }
  v8::MaybeLocal<v8::Value> Unwrap(std::string_view object_id) override {
    std::u16string id = Utf8ToUtf16(object_id);
    std::unique_ptr<v8_inspector::StringBuffer> error;
    v8::Local<v8::Value> value;
    v8::Local<v8::Context> context;
    std::unique_ptr<v8_inspector::StringBuffer> group;
    if (!session_->unwrapObject(&error, View(id), &value, &context, &group)) return {};
    return v8::MaybeLocal<v8::Value>(value);
  }

  void sendResponse(int, std::unique_ptr<v8_inspector::StringBuffer> message) override {
    on_message_(ToUtf8(message->string()));
  }
  void sendNotification(std::unique_ptr<v8_inspector::StringBuffer> message) override {
    on_message_(ToUtf8(message->string()));
  }
  void flushProtocolNotifications() override {}

 private:
  std::function<void(std::string_view)> on_message_;
  std::unique_ptr<v8_inspector::V8InspectorSession> session_;
};

}  // namespace

std::unique_ptr<PageInspector> PageInspector::CreateWithoutServer(Page& page) {
  return std::unique_ptr<PageInspector>(new PageInspector(page, InspectorSettings{}));
}

std::unique_ptr<PageInspector::LocalSession> PageInspector::ConnectLocal(
    std::function<void(std::string_view)> on_message) {
  return std::make_unique<LocalSessionImpl>(*inspector_, std::move(on_message));
}

Result<std::unique_ptr<PageInspector>> PageInspector::Create(Page& page,
                                                             const InspectorSettings& settings) {
  std::unique_ptr<PageInspector> inspector(new PageInspector(page, settings));
  std::shared_ptr<Queue> queue = inspector->queue_;
  EventLoop* event_loop = &page.event_loop();
  auto push = [queue, event_loop](Incoming incoming) {
    {
      std::lock_guard lock(queue->mutex);
      queue->incoming.push_back(std::move(incoming));
    }
    queue->arrived.notify_one();
    // Wakes the page's loop; the task finds the inspector gone if it was destroyed meanwhile.
    event_loop->PostTaskFromAnyThread([queue] {
      if (queue->owner) queue->owner->DispatchQueued();
    });
  };
  DevToolsServerOptions options;
  options.host = settings.host;
  options.port = settings.port;
  options.browser = "Switchboard";
  options.v8_version = v8::V8::GetVersion();
  options.target_title = page.url().href;
  options.target_url = page.url().href;
  options.protocol_json = inspector::ProtocolJson();
  DevToolsServer::Callbacks callbacks;
  callbacks.on_session_opened = [push](DevToolsServer::SessionId session) {
    push({Incoming::Kind::kSessionOpened, session, {}});
  };
  callbacks.on_message = [push](DevToolsServer::SessionId session, std::string message) {
    push({Incoming::Kind::kMessage, session, std::move(message)});
  };
  callbacks.on_session_closed = [push](DevToolsServer::SessionId session) {
    push({Incoming::Kind::kSessionClosed, session, {}});
  };
  Result<std::unique_ptr<DevToolsServer>> server =
      DevToolsServer::Start(std::move(options), std::move(callbacks));
  if (!server.ok()) return server.error();
  inspector->server_ = std::move(server.value());
  return inspector;
}

PageInspector::PageInspector(Page& page, InspectorSettings settings)
    : page_(page), settings_(std::move(settings)) {
  queue_->owner = this;
  v8::Isolate* isolate = page.isolate();
  v8::HandleScope handle_scope(isolate);
  inspector_ = v8_inspector::V8Inspector::create(isolate, this);
  // The page's one context, named and with the origin DevTools shows in its context list.
  std::string name = page.url().href;
  v8_inspector::V8ContextInfo info(page.context(), kContextGroupId, View(name));
  info.origin = View(page.origin());
  // Marks it the default (top-frame) context, as Chrome's and Node's auxData do.
  std::string aux_data = "{\"isDefault\":true,\"type\":\"default\",\"frameId\":\"main\"}";
  info.auxData = View(aux_data);
  inspector_->contextCreated(info);
}

PageInspector::~PageInspector() {
  assert(page_.event_loop().IsMainThread());
  server_.reset();
  queue_->owner = nullptr;
  sessions_.clear();
  closed_sessions_.clear();
  v8::HandleScope handle_scope(page_.isolate());
  inspector_->contextDestroyed(page_.context());
  inspector_.reset();
}

void PageInspector::Interrupt() {
  {
    std::lock_guard lock(queue_->mutex);
    queue_->incoming.push_back({Incoming::Kind::kInterrupt, 0, {}});
  }
  queue_->arrived.notify_one();
}

void PageInspector::DispatchQueued() {
  for (;;) {
    Incoming next;
    {
      std::lock_guard lock(queue_->mutex);
      if (queue_->incoming.empty()) return;
      next = std::move(queue_->incoming.front());
      queue_->incoming.pop_front();
    }
    Handle(std::move(next));
  }
}

void PageInspector::WaitAndDispatch() {
  // V8's own foreground tasks (GC finalisation, heap-profiler work) run before each wait, as
  // the page's event loop runs them (EventLoop::SetBeforeWait in Page).
  ScriptPlatform::Get().PumpForegroundTasks(page_.isolate());
  // Sends made before the pause reach the IO thread while the page waits here.
  CrossThreadQueue::FlushWakeUps();
  {
    std::unique_lock lock(queue_->mutex);
    queue_->arrived.wait(lock, [this] { return !queue_->incoming.empty(); });
  }
  DispatchQueued();
}

void PageInspector::Handle(Incoming incoming) {
  switch (incoming.kind) {
    case Incoming::Kind::kSessionOpened:
      sessions_[incoming.session] = std::make_unique<Session>(*this, incoming.session);
      return;
    case Incoming::Kind::kMessage: {
      auto found = sessions_.find(incoming.session);
      if (found == sessions_.end()) return;
      if (DispatchToDomain(incoming.session, incoming.message)) return;
      std::u16string message = Utf8ToUtf16(incoming.message);
      ++dispatch_depth_;
      found->second->session().dispatchProtocolMessage(View(message));
      --dispatch_depth_;
      if (dispatch_depth_ == 0) closed_sessions_.clear();
      return;
    }
    case Incoming::Kind::kInterrupt:
      interrupted_ = true;
      quit_pause_ = true;
      waiting_for_debugger_ = false;
      return;
    case Incoming::Kind::kSessionClosed: {
      auto found = sessions_.find(incoming.session);
      if (found == sessions_.end()) return;
      std::unique_ptr<Session> session = std::move(found->second);
      sessions_.erase(found);
      for (InspectorDomain* domain : domains_) domain->SessionClosed(incoming.session);
      if (dispatch_depth_ > 0) {
        // One of its messages is on the stack (it paused): resume, destroy it once unwound.
        session->session().resume();
        closed_sessions_.push_back(std::move(session));
      }
      // A session destroyed here disables its agents, which resumes a pause it held.
      return;
    }
  }
}

void PageInspector::AddDomain(InspectorDomain& domain) { domains_.push_back(&domain); }

void PageInspector::RemoveDomain(InspectorDomain& domain) { std::erase(domains_, &domain); }

void PageInspector::Send(DevToolsServer::SessionId session, std::string message) {
  if (server_ && sessions_.contains(session)) server_->Send(session, std::move(message));
}

bool PageInspector::DispatchToDomain(DevToolsServer::SessionId session,
                                     const std::string& message) {
  if (domains_.empty()) return false;
  // The command's id and method, read with V8's JSON parser (what V8's own dispatcher does
  // with it next); anything malformed is left to V8, which answers with the protocol's error.
  v8::Isolate* isolate = page_.isolate();
  v8::HandleScope handle_scope(isolate);
  v8::Local<v8::Context> context = page_.context();
  v8::Context::Scope context_scope(context);
  v8::TryCatch try_catch(isolate);
  v8::Local<v8::Value> parsed;
  v8::Local<v8::String> text;
  if (!v8::String::NewFromUtf8(isolate, message.data(), v8::NewStringType::kNormal,
                               static_cast<int>(message.size()))
           .ToLocal(&text) ||
      !v8::JSON::Parse(context, text).ToLocal(&parsed) || !parsed->IsObject()) {
    return false;
  }
  v8::Local<v8::Object> command = parsed.As<v8::Object>();
  v8::Local<v8::Value> id;
  v8::Local<v8::Value> method;
  if (!command->Get(context, V8String(isolate, "id")).ToLocal(&id) || !id->IsInt32() ||
      !command->Get(context, V8String(isolate, "method")).ToLocal(&method) || !method->IsString()) {
    return false;
  }
  std::string method_name = Utf8(isolate, method.As<v8::String>());
  for (InspectorDomain* domain : domains_) {
    if (method_name.starts_with(domain->method_prefix())) {
      domain->HandleCommand(session, id.As<v8::Int32>()->Value(), method_name, message);
      return true;
    }
  }
  return false;
}

bool PageInspector::WaitForDebuggerIfAsked() {
  if (waited_ || settings_.start == InspectorSettings::Start::kNoWait) return !interrupted_;
  waited_ = true;
  waiting_for_debugger_ = true;
  while (waiting_for_debugger_) WaitAndDispatch();
  if (settings_.start == InspectorSettings::Start::kBreak && !interrupted_) {
    std::string reason = "Break on start";
    for (auto& [id, session] : sessions_) {
      session->session().schedulePauseOnNextStatement(View(reason), View(std::string_view()));
    }
  }
  return !interrupted_;
}

bool PageInspector::HasSessions() {
  DispatchQueued();
  return !sessions_.empty();
}

void PageInspector::WaitForSessionsToClose() {
  DispatchQueued();
  while (!sessions_.empty() && !interrupted_) WaitAndDispatch();
}

void PageInspector::ExceptionThrown(v8::Local<v8::Context> context, std::string_view text,
                                    v8::Local<v8::Value> exception,
                                    v8::Local<v8::Message> message) {
  v8::Isolate* isolate = page_.isolate();
  std::u16string detailed;
  std::u16string url;
  unsigned line = 0;
  unsigned column = 0;
  int script_id = 0;
  std::unique_ptr<v8_inspector::V8StackTrace> stack;
  if (!message.IsEmpty()) {
    detailed = Utf16(isolate, message->Get());
    url = Utf16(isolate, message->GetScriptResourceName());
    line = static_cast<unsigned>(message->GetLineNumber(context).FromMaybe(0));
    column = static_cast<unsigned>(message->GetStartColumn(context).FromMaybe(0));
    script_id = message->GetScriptOrigin().ScriptId();
    v8::Local<v8::StackTrace> trace = message->GetStackTrace();
    if (!trace.IsEmpty() && trace->GetFrameCount() > 0) stack = inspector_->createStackTrace(trace);
  }
  std::unique_ptr<v8_inspector::StringBuffer> as_url = resourceNameToUrl(View(url));
  inspector_->exceptionThrown(context, View(text), exception, View(detailed),
                              as_url ? as_url->string() : View(url), line, column, std::move(stack),
                              script_id);
}

void PageInspector::runMessageLoopOnPause(int) {
  // Nested pauses (a breakpoint hit by script a paused frame evaluates) share the flag.
  if (paused_ || interrupted_) return;
  paused_ = true;
  quit_pause_ = false;
  while (!quit_pause_) WaitAndDispatch();
  paused_ = false;
}

void PageInspector::quitMessageLoopOnPause() { quit_pause_ = true; }

void PageInspector::runIfWaitingForDebugger(int) { waiting_for_debugger_ = false; }

v8::Local<v8::Context> PageInspector::ensureDefaultContextInGroup(int) { return page_.context(); }

std::unique_ptr<v8_inspector::StringBuffer> PageInspector::resourceNameToUrl(
    const v8_inspector::StringView& resource_name) {
  std::string name = ToUtf8(resource_name);
  if (name.empty() || name.starts_with("<")) return nullptr;  // "<evaluate>", "<repl>"
  if (name.find("://") != std::string::npos) return nullptr;  // already a URL
  Result<PageUrl> url = PageUrl::FromFilePath(name);
  if (!url.ok()) return nullptr;
  return v8_inspector::StringBuffer::create(View(url.value().href));
}

double PageInspector::currentTimeMS() {
  return std::chrono::duration<double, std::milli>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace switchboard
