// EventTarget (DOM §2.7): event listeners, event handler attributes (HTML §8.1.8.1) and
// dispatch (DOM §2.9). Switchboard has no DOM tree: a target has no parent, so every dispatch
// runs at the target only (a capturing pass, then a bubbling pass, both in phase AT_TARGET).
//
// Thread: main thread. Ownership: reference counted (bindings::ScriptWrappable). The listeners
// and handler values it stores are retained through its wrapper (RetainScriptReference), so a
// listener closing over its own target does not leak. Subclasses with pending activity
// (TCPConnection) override HasPendingActivity(); EventTarget re-evaluates it whenever its
// listeners change.
//
// Firing from C++ (a task on the main thread, never synchronously from a script call, spec §8):
//   target->FireEvent(environment, "open");                       // a plain Event
//   target->FireEvent(*ConnectionReadEvent::Create(environment, "read", init));
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "bindings/exception_or.h"
#include "bindings/ref_counted.h"
#include "bindings/script_environment.h"
#include "bindings/script_wrappable.h"
#include "engine/dom/event.h"
#include "engine/dom/event_handler.h"
#include "engine/dom/event_listener.h"

namespace switchboard::dom {

class AbortSignal;

// dictionary EventListenerOptions
struct EventListenerOptions {
  bool capture = false;
};

// dictionary AddEventListenerOptions : EventListenerOptions
struct AddEventListenerOptions : EventListenerOptions {
  std::optional<bool> passive;
  bool once = false;
  std::optional<AbortSignal*> signal;
};

class EventTarget : public bindings::ScriptWrappable {
 public:
  DECLARE_WRAPPER_TYPE_INFO()

  // constructor()
  static bindings::RefPtr<EventTarget> Create();

  void AddEventListener(const std::string& type, bindings::RefPtr<EventListener> callback,
                        const std::variant<AddEventListenerOptions, bool>& options);
  void RemoveEventListener(const std::string& type, bindings::RefPtr<EventListener> callback,
                           const std::variant<EventListenerOptions, bool>& options);
  // dispatchEvent(): an untrusted dispatch; InvalidStateError for an event being dispatched.
  bindings::ExceptionOr<bool> DispatchEvent(Event& event);

  // DOM "fire an event": sets isTrusted and dispatches. Returns the not-canceled flag.
  bool FireEvent(Event& event);
  bool FireEvent(bindings::ScriptEnvironment& environment, std::string type,
                 const EventInit& event_init = {});

  bool HasEventListeners() const { return !listeners_.empty(); }
  bool HasEventListeners(std::string_view type) const;

  // The event handler IDL attribute `on<type>` (generated code calls these for every
  // `attribute EventHandler on<type>`).
  EventHandlerNonNull* GetEventHandler(std::string_view type) const;
  void SetEventHandler(std::string_view type, bindings::RefPtr<EventHandlerNonNull> value);

 protected:
  EventTarget() = default;
  ~EventTarget() override;

  // Called after a listener was added or removed (AbortSignal's keep-alive follows them).
  virtual void EventListenersChanged() {}

  // HTML §8.1.8.1 "the event handler processing algorithm" for the handler of `type`. Window
  // overrides it for its special error event handling (an `error` ErrorEvent's handler gets
  // five arguments, and a true return value cancels).
  virtual bindings::ScriptOutcome RunEventHandler(Event& event, const std::string& type);

 private:
  // DOM "event listener". An event handler's listener has no callback: it runs the event
  // handler processing algorithm for its type.
  struct Listener {
    std::string type;
    bindings::RefPtr<EventListener> callback;
    bool is_event_handler = false;
    bool capture = false;
    bool passive = false;
    bool once = false;
    bool removed = false;
    // `signal` of addEventListener(), and the abort algorithm that removes this listener.
    // The listener holds its signal (unless the signal is this target: no self-cycle).
    AbortSignal* signal = nullptr;
    bindings::RefPtr<AbortSignal> signal_reference;
    std::uint64_t signal_algorithm = 0;
  };
  // HTML "event handler" of a type whose value is not null: the value and the listener
  // registered when it was first set (which names the type; a slot is 24 bytes, kept small
  // because every TCPConnection with handlers has some).
  struct EventHandlerSlot {
    bindings::RefPtr<EventHandlerNonNull> value;
    std::shared_ptr<Listener> listener;
  };
  enum class Phase { kCapturing, kBubbling };

  void AddListener(std::shared_ptr<Listener> listener);
  void RemoveListener(const std::shared_ptr<Listener>& listener);
  bool Dispatch(Event& event);
  void Invoke(Event& event, Phase phase);
  bool InnerInvoke(Event& event, const std::vector<std::shared_ptr<Listener>>& listeners,
                   Phase phase);

  std::vector<std::shared_ptr<Listener>> listeners_;
  std::vector<EventHandlerSlot> event_handlers_;
};

}  // namespace switchboard::dom
