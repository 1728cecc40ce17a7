// AbortSignal (DOM §3.2): whether an operation was aborted and why, with the abort algorithms
// of those who follow it (an event listener added with `signal`), dependent signals
// (AbortSignal.any()) and timeouts (AbortSignal.timeout()).
//
// Thread: main thread. Ownership: reference counted (bindings::ScriptWrappable). A dependent
// signal holds its source signals; a source refers to its dependents weakly (they leave its
// list when destroyed). The reason is kept for script like a listener
// (bindings::RetainedScriptValue). Abort algorithms run synchronously inside "signal abort",
// then the `abort` event is fired (trusted).
//
// Keep-alive: the wrapper stays strong while the signal may still abort and has `abort`
// listeners (it is a timeout signal whose timer is pending, or a dependent signal whose
// sources may abort). A page ends when it has no pending work: a pending timeout keeps it
// alive only while the timeout signal, or a signal depending on it, has `abort` listeners; one
// nobody listens to lets the page end, and still aborts on time if the page runs on.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bindings/exception_or.h"
#include "bindings/ref_counted.h"
#include "bindings/retained_script_value.h"
#include "bindings/script_environment.h"
#include "bindings/script_value.h"
#include "engine/dom/event_target.h"

namespace switchboard::dom {

class AbortSignal final : public EventTarget {
 public:
  DECLARE_WRAPPER_TYPE_INFO()

  using AlgorithmId = std::uint64_t;
  // The DOMException a signal aborted without a reason gets.
  enum class DefaultReason { kAbortError, kTimeoutError };

  // DOM "create an AbortSignal object" (new AbortController()).
  static bindings::RefPtr<AbortSignal> Create();
  ~AbortSignal() override;

  // static abort(optional any reason)
  static bindings::RefPtr<AbortSignal> Abort(std::optional<bindings::ScriptValue> reason);
  // static timeout([EnforceRange] unsigned long long milliseconds)
  static bindings::RefPtr<AbortSignal> Timeout(bindings::ScriptEnvironment& environment,
                                               std::uint64_t milliseconds);
  // static any(sequence<AbortSignal> signals)
  static bindings::RefPtr<AbortSignal> Any(const std::vector<AbortSignal*>& signals);

  bool aborted() const { return aborted_; }
  bindings::ScriptValue reason() const { return reason_.Get(); }
  bindings::ExceptionOr<void> ThrowIfAborted() const;

  // DOM "signal abort": `reason`, or a new `default_reason` DOMException when there is
  // none (or it is undefined). Fires `abort` events (trusted), so never call it synchronously
  // from C++ code that script started, only from script's own abort() or a task.
  void SignalAbort(bindings::ScriptEnvironment& environment,
                   std::optional<bindings::ScriptValue> reason,
                   DefaultReason default_reason = DefaultReason::kAbortError);

  // DOM "add" / "remove" an abort algorithm. Adding to an aborted signal does nothing (the
  // returned id is then never run).
  AlgorithmId AddAlgorithm(std::function<void()> algorithm);
  void RemoveAlgorithm(AlgorithmId id);

  bool HasPendingActivity() const override;

 protected:
  void EventListenersChanged() override;

 private:
  AbortSignal() = default;

  // The reason, or a new DOMException for `default_reason`.
  void SetAbortReason(std::optional<bindings::ScriptValue> reason, DefaultReason default_reason);
  void CopyAbortReasonFrom(const AbortSignal& source);
  // DOM "run the abort steps".
  void RunAbortSteps(bindings::ScriptEnvironment& environment);
  // Whether `abort` listeners here or on a dependent signal wait for this signal.
  bool HasAbortListenersHereOrInDependents() const;
  // Re-evaluates whether a pending timeout keeps the page alive.
  void UpdateTimeoutKeepAlive();
  void TimeoutFired();

  bool aborted_ = false;
  bindings::RetainedScriptValue reason_;
  std::vector<std::pair<AlgorithmId, std::function<void()>>> abort_algorithms_;
  AlgorithmId next_algorithm_id_ = 1;

  // AbortSignal.any(): a dependent signal's sources (never dependent themselves), and the
  // dependents of a source.
  bool dependent_ = false;
  std::vector<bindings::RefPtr<AbortSignal>> source_signals_;
  std::vector<AbortSignal*> dependent_signals_;

  // AbortSignal.timeout(): the pending timer, and the environment that runs it.
  bindings::ScriptEnvironment* timeout_environment_ = nullptr;
  std::optional<bindings::ScriptEnvironment::PlatformTimerId> timeout_timer_;
};

}  // namespace switchboard::dom
