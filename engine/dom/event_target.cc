#include "engine/dom/event_target.h"

#include <algorithm>
#include <cassert>
#include <utility>

#include "engine/dom/abort_signal.h"

namespace switchboard::dom {

bindings::RefPtr<EventTarget> EventTarget::Create() {
  return bindings::RefPtr<EventTarget>(new EventTarget());
}

EventTarget::~EventTarget() {
  // The signals of listeners still here must not run their removal algorithms any more.
  for (const std::shared_ptr<Listener>& listener : listeners_) {
    if (listener->signal_reference) {
      listener->signal_reference->RemoveAlgorithm(listener->signal_algorithm);
    }
  }
}

namespace {

// DOM "flatten more": the capture, passive, once and signal of `options`.
struct FlattenedOptions {
  bool capture = false;
  bool passive = false;  // the "default passive value" is false: no target here is a Window/Node
  bool once = false;
  AbortSignal* signal = nullptr;
};

FlattenedOptions Flatten(const std::variant<AddEventListenerOptions, bool>& options) {
  if (const bool* capture = std::get_if<bool>(&options)) return {.capture = *capture};
  const auto& dictionary = std::get<AddEventListenerOptions>(options);
  return {.capture = dictionary.capture,
          .passive = dictionary.passive.value_or(false),
          .once = dictionary.once,
          .signal = dictionary.signal.value_or(nullptr)};
}

bool FlattenCapture(const std::variant<EventListenerOptions, bool>& options) {
  if (const bool* capture = std::get_if<bool>(&options)) return *capture;
  return std::get<EventListenerOptions>(options).capture;
}

}  // namespace

// DOM §2.7 addEventListener(type, callback, options).
void EventTarget::AddEventListener(const std::string& type,
                                   bindings::RefPtr<EventListener> callback,
                                   const std::variant<AddEventListenerOptions, bool>& options) {
  // 1. Flatten more.
  FlattenedOptions flattened = Flatten(options);
  // 2. "Add an event listener", step 2: if listener's signal is aborted, return.
  if (flattened.signal && flattened.signal->aborted()) return;
  // Step 3: a null callback does nothing.
  if (!callback) return;
  // Step 4: a listener with the same type, callback and capture is not added twice.
  for (const std::shared_ptr<Listener>& listener : listeners_) {
    if (!listener->is_event_handler && listener->type == type &&
        listener->callback->IsSameCallback(*callback) && listener->capture == flattened.capture) {
      return;
    }
  }
  auto listener = std::make_shared<Listener>();
  listener->type = type;
  listener->callback = std::move(callback);
  listener->capture = flattened.capture;
  listener->passive = flattened.passive;
  listener->once = flattened.once;
  // Step 5: if listener's signal is not null, add the abort steps that remove the listener.
  // The algorithm refers to the listener weakly: it lives in this target's list, and a
  // listener removed otherwise takes its algorithm off the signal (RemoveListener).
  if (flattened.signal) {
    listener->signal = flattened.signal;
    if (static_cast<EventTarget*>(flattened.signal) != this) {
      listener->signal_reference = bindings::RefPtr<AbortSignal>(flattened.signal);
    }
    listener->signal_algorithm = flattened.signal->AddAlgorithm(
        [target = this, weak_listener = std::weak_ptr<Listener>(listener)] {
          std::shared_ptr<Listener> aborted = weak_listener.lock();
          if (aborted && !aborted->removed) target->RemoveListener(aborted);
        });
  }
  AddListener(std::move(listener));
}

// DOM §2.7 removeEventListener(type, callback, options).
void EventTarget::RemoveEventListener(const std::string& type,
                                      bindings::RefPtr<EventListener> callback,
                                      const std::variant<EventListenerOptions, bool>& options) {
  // 1. Flatten.
  bool capture = FlattenCapture(options);
  if (!callback) return;
  // 3. Remove the listener with the same type, callback and capture, if any.
  for (const std::shared_ptr<Listener>& listener : listeners_) {
    if (!listener->is_event_handler && listener->type == type &&
        listener->callback->IsSameCallback(*callback) && listener->capture == capture) {
      RemoveListener(std::shared_ptr<Listener>(listener));
      return;
    }
  }
}

void EventTarget::AddListener(std::shared_ptr<Listener> listener) {
  if (listener->callback) RetainScriptReference(*listener->callback);
  listeners_.push_back(std::move(listener));
  UpdatePendingActivity();
  EventListenersChanged();
}

// DOM "remove an event listener": set its removed flag (a dispatch holding a copy of the list
// skips it) and take it out of the list.
void EventTarget::RemoveListener(const std::shared_ptr<Listener>& listener) {
  bindings::RefPtr<EventTarget> protect(this);
  listener->removed = true;
  std::erase(listeners_, listener);
  if (listener->callback) ReleaseScriptReference(*listener->callback);
  if (listener->signal) {
    listener->signal->RemoveAlgorithm(listener->signal_algorithm);
    listener->signal = nullptr;
    listener->signal_reference = nullptr;
  }
  UpdatePendingActivity();
  EventListenersChanged();
}

bool EventTarget::HasEventListeners(std::string_view type) const {
  return std::any_of(
      listeners_.begin(), listeners_.end(),
      [&](const std::shared_ptr<Listener>& listener) { return listener->type == type; });
}

// DOM §2.7 dispatchEvent(event).
bindings::ExceptionOr<bool> EventTarget::DispatchEvent(Event& event) {
  // 1. An event being dispatched, or not initialized, cannot be dispatched.
  if (event.dispatch_flag_ || !event.initialized_flag_) {
    return bindings::Exception::InvalidStateError("The event is already being dispatched.");
  }
  // 2. Initialize event's isTrusted attribute to false.
  event.is_trusted_ = false;
  // 3. Return the result of dispatching event to this.
  return Dispatch(event);
}

bool EventTarget::FireEvent(Event& event) {
  assert(!event.dispatch_flag_);
  event.is_trusted_ = true;
  return Dispatch(event);
}

bool EventTarget::FireEvent(bindings::ScriptEnvironment& environment, std::string type,
                            const EventInit& event_init) {
  bindings::RefPtr<Event> event = Event::Create(environment, std::move(type), event_init);
  return FireEvent(*event);
}

// DOM §2.9 "dispatch", for a target without parents: the event path is this target alone.
bool EventTarget::Dispatch(Event& event) {
  // Listeners may drop the last script reference to either; keep both alive until done.
  bindings::RefPtr<EventTarget> protect_target(this);
  bindings::RefPtr<Event> protect_event(&event);
  // 1. Set event's dispatch flag.
  event.dispatch_flag_ = true;
  // 5.4-5.12: the path holds one struct whose shadow-adjusted target is this target.
  // 5.13: capturing pass. The struct has a shadow-adjusted target, so the phase is AT_TARGET.
  event.event_phase_ = Event::kAtTarget;
  Invoke(event, Phase::kCapturing);
  // 5.14: bubbling pass, again AT_TARGET (so it runs even when the event does not bubble).
  event.event_phase_ = Event::kAtTarget;
  Invoke(event, Phase::kBubbling);
  // 6-10: reset the dispatch state.
  event.event_phase_ = Event::kNone;
  event.current_target_ = nullptr;
  event.dispatch_flag_ = false;
  event.stop_propagation_flag_ = false;
  event.stop_immediate_propagation_flag_ = false;
  // 13. Return false if event's canceled flag is set; otherwise true.
  return !event.canceled_flag_;
}

// DOM §2.9 "invoke".
void EventTarget::Invoke(Event& event, Phase phase) {
  // 1. Set event's target to the struct's shadow-adjusted target.
  event.target_ = this;
  // 3. If event's stop propagation flag is set, then return.
  if (event.stop_propagation_flag_) return;
  // 4. Initialize event's currentTarget attribute to the struct's invocation target.
  event.current_target_ = this;
  // 5. Let listeners be a clone of event's currentTarget's event listener list, so that
  //    listeners added during dispatch do not run (removed ones carry their removed flag).
  std::vector<std::shared_ptr<Listener>> listeners = listeners_;
  // 6. Inner invoke. (7: the legacy type renaming applies to no event here.)
  InnerInvoke(event, listeners, phase);
}

// DOM §2.9 "inner invoke".
bool EventTarget::InnerInvoke(Event& event, const std::vector<std::shared_ptr<Listener>>& listeners,
                              Phase phase) {
  // 1. Let found be false.
  bool found = false;
  // 2. For each listener whose removed is false:
  for (const std::shared_ptr<Listener>& listener : listeners) {
    if (listener->removed) continue;
    // 2.1. If event's type is not listener's type, continue.
    if (listener->type != event.type_) continue;
    // 2.2. Set found to true.
    found = true;
    // 2.3-2.4. Skip listeners of the other phase.
    if (phase == Phase::kCapturing && !listener->capture) continue;
    if (phase == Phase::kBubbling && listener->capture) continue;
    // 2.5. If listener's once is true, remove it from currentTarget's list.
    if (listener->once) event.current_target_->RemoveListener(listener);
    // 2.9. If listener's passive is true, set event's in passive listener flag.
    if (listener->passive) event.in_passive_listener_flag_ = true;
    // 2.11. Call the listener; an exception is reported (EnterScript), not propagated.
    bindings::ScriptOutcome outcome =
        listener->is_event_handler
            ? event.current_target_->RunEventHandler(event, listener->type)
            : listener->callback->HandleEvent(event.current_target_.get(), event);
    // 2.12. Unset event's in passive listener flag.
    event.in_passive_listener_flag_ = false;
    // A terminating isolate runs no more script.
    if (outcome == bindings::ScriptOutcome::kTerminated) return found;
    // 2.14. If event's stop immediate propagation flag is set, then return found.
    if (event.stop_immediate_propagation_flag_) return found;
  }
  // 3. Return found.
  return found;
}

EventHandlerNonNull* EventTarget::GetEventHandler(std::string_view type) const {
  for (const EventHandlerSlot& slot : event_handlers_) {
    if (slot.listener->type == type) return slot.value.get();
  }
  return nullptr;
}

// HTML §8.1.8.1 the event handler IDL attribute's setter. A slot exists only while the value
// is not null (a null value is no slot), so its listener names its type.
void EventTarget::SetEventHandler(std::string_view type,
                                  bindings::RefPtr<EventHandlerNonNull> value) {
  auto slot = std::find_if(
      event_handlers_.begin(), event_handlers_.end(),
      [&](const EventHandlerSlot& candidate) { return candidate.listener->type == type; });
  if (slot != event_handlers_.end()) {
    ReleaseScriptReference(*slot->value);
    if (!value) {
      // "Deactivate an event handler": remove its listener; a later value registers anew, last.
      std::shared_ptr<Listener> listener = std::move(slot->listener);
      event_handlers_.erase(slot);
      RemoveListener(listener);
      return;
    }
    // The listener keeps its place in the listener list while the value changes.
    slot->value = std::move(value);
    RetainScriptReference(*slot->value);
    return;
  }
  if (!value) return;
  // "Activate an event handler": the first value registers the listener.
  auto listener = std::make_shared<Listener>();
  listener->type = std::string(type);
  listener->is_event_handler = true;
  RetainScriptReference(*value);
  event_handlers_.push_back(EventHandlerSlot{std::move(value), listener});
  AddListener(std::move(listener));
}

// HTML §8.1.8.1 "the event handler processing algorithm".
bindings::ScriptOutcome EventTarget::RunEventHandler(Event& event, const std::string& type) {
  // 1. Let callback be the event handler's current value; 2. if null, return.
  bindings::RefPtr<EventHandlerNonNull> callback(GetEventHandler(type));
  if (!callback) return bindings::ScriptOutcome::kCompleted;
  // 3-4. Invoke it with the event, this being the event's currentTarget.
  bindings::CallbackResult<bindings::ScriptValue> result =
      callback->Invoke(event.current_target_.get(), event);
  if (result.outcome != bindings::ScriptOutcome::kCompleted) return result.outcome;
  // 5. Process the return value: false cancels the event. (The special error event handling
  //    is Window's override; there is no beforeunload.)
  if (result.value.IsFalse()) event.SetCanceledFlag();
  return bindings::ScriptOutcome::kCompleted;
}

}  // namespace switchboard::dom
