#include "engine/dom/abort_signal.h"

#include <algorithm>
#include <memory>

namespace switchboard::dom {

bindings::RefPtr<AbortSignal> AbortSignal::Create() {
  return bindings::RefPtr<AbortSignal>(new AbortSignal());
}

AbortSignal::~AbortSignal() {
  for (const bindings::RefPtr<AbortSignal>& source : source_signals_) {
    std::erase(source->dependent_signals_, this);
  }
}

// DOM §3.2 static abort(reason).
bindings::RefPtr<AbortSignal> AbortSignal::Abort(std::optional<bindings::ScriptValue> reason) {
  // 1. Let signal be a new AbortSignal object.
  bindings::RefPtr<AbortSignal> signal = Create();
  // 2. Set signal's abort reason to reason if it is given; otherwise to a new "AbortError".
  signal->aborted_ = true;
  signal->SetAbortReason(std::move(reason), DefaultReason::kAbortError);
  // 3. Return signal.
  return signal;
}

// DOM §3.2 static timeout(milliseconds).
bindings::RefPtr<AbortSignal> AbortSignal::Timeout(bindings::ScriptEnvironment& environment,
                                                   std::uint64_t milliseconds) {
  // 1. Let signal be a new AbortSignal object.
  bindings::RefPtr<AbortSignal> signal = Create();
  // 3. Run steps after a timeout: queue a task to signal abort given signal and a new
  //    "TimeoutError" DOMException. The task holds the signal; whether the pending timer keeps
  //    the page alive follows the signal's listeners (UpdateTimeoutKeepAlive).
  signal->timeout_environment_ = &environment;
  signal->timeout_timer_ = environment.StartPlatformTimer(
      milliseconds, bindings::ScriptEnvironment::KeepAlive::kDoesNotKeepPageAlive,
      [signal] { signal->TimeoutFired(); });
  // 4. Return signal.
  return signal;
}

void AbortSignal::TimeoutFired() {
  timeout_timer_.reset();
  SignalAbort(*timeout_environment_, std::nullopt, DefaultReason::kTimeoutError);
  UpdatePendingActivity();
}

// DOM §3.2 static any(signals): "create a dependent abort signal".
bindings::RefPtr<AbortSignal> AbortSignal::Any(const std::vector<AbortSignal*>& signals) {
  // 1. Let resultSignal be a new object implementing AbortSignal.
  bindings::RefPtr<AbortSignal> result = Create();
  // 2. For each signal of signals: if signal is aborted, then set resultSignal's abort reason
  //    to signal's abort reason and return resultSignal.
  for (AbortSignal* signal : signals) {
    if (signal->aborted_) {
      result->aborted_ = true;
      result->CopyAbortReasonFrom(*signal);
      return result;
    }
  }
  // 3. Set resultSignal's dependent to true.
  result->dependent_ = true;
  auto add_source = [&](AbortSignal* source) {
    bindings::RefPtr<AbortSignal> protect(source);
    if (std::find(result->source_signals_.begin(), result->source_signals_.end(), protect) !=
        result->source_signals_.end()) {
      return;
    }
    result->source_signals_.push_back(std::move(protect));
    source->dependent_signals_.push_back(result.get());
  };
  // 4. For each signal of signals:
  for (AbortSignal* signal : signals) {
    if (!signal->dependent_) {
      // 4.1. A signal that is not dependent is a source itself.
      add_source(signal);
    } else {
      // 4.2. Otherwise its sources are (none of them is aborted or dependent).
      for (const bindings::RefPtr<AbortSignal>& source : signal->source_signals_) {
        add_source(source.get());
      }
    }
  }
  // 5. Return resultSignal.
  return result;
}

// DOM §3.2 throwIfAborted(): throw this's abort reason, if this is aborted.
bindings::ExceptionOr<void> AbortSignal::ThrowIfAborted() const {
  if (!aborted_) return {};
  return bindings::Exception::ScriptValueException(
      std::make_shared<const bindings::ScriptValue>(reason_.Get()));
}

// DOM §3.2 "signal abort".
void AbortSignal::SignalAbort(bindings::ScriptEnvironment& environment,
                              std::optional<bindings::ScriptValue> reason,
                              DefaultReason default_reason) {
  // 1. If signal is aborted, then return.
  if (aborted_) return;
  bindings::RefPtr<AbortSignal> protect(this);
  // 2. Set signal's abort reason to reason if it is given; otherwise to a new DOMException
  //    ("AbortError", or "TimeoutError" for AbortSignal.timeout()).
  aborted_ = true;
  SetAbortReason(std::move(reason), default_reason);
  // 3-4. The dependent signals not yet aborted take the same reason.
  std::vector<bindings::RefPtr<AbortSignal>> dependents_to_abort;
  for (AbortSignal* dependent : dependent_signals_) {
    if (dependent->aborted_) continue;
    dependent->aborted_ = true;
    dependent->CopyAbortReasonFrom(*this);
    dependents_to_abort.emplace_back(dependent);
  }
  // 5. Run the abort steps for signal.
  RunAbortSteps(environment);
  // 6. Then for each dependent signal to abort.
  for (const bindings::RefPtr<AbortSignal>& dependent : dependents_to_abort) {
    dependent->RunAbortSteps(environment);
  }
}

void AbortSignal::SetAbortReason(std::optional<bindings::ScriptValue> reason,
                                 DefaultReason default_reason) {
  if (reason && !reason->IsUndefined()) {
    reason_.Set(*this, *reason);
    return;
  }
  // Creating the DOMException fails only when V8 threw (the reason is then undefined).
  if (default_reason == DefaultReason::kTimeoutError) {
    (void)reason_.SetNewDOMException(*this, "TimeoutError", "signal timed out");
  } else {
    (void)reason_.SetNewDOMException(*this, "AbortError", "signal is aborted without reason");
  }
}

void AbortSignal::CopyAbortReasonFrom(const AbortSignal& source) {
  reason_.Set(*this, source.reason_.Get());
}

// DOM §3.2 "run the abort steps".
void AbortSignal::RunAbortSteps(bindings::ScriptEnvironment& environment) {
  bindings::RefPtr<AbortSignal> protect(this);
  // The signal can no longer abort: its timeout, if any, is moot.
  if (timeout_timer_) {
    timeout_environment_->CancelPlatformTimer(*timeout_timer_);
    timeout_timer_.reset();
  }
  // 1. For each algorithm of signal's abort algorithms: run algorithm.
  // 2. Empty signal's abort algorithms. (Taken first: an algorithm may add or remove others.)
  std::vector<std::pair<AlgorithmId, std::function<void()>>> algorithms =
      std::exchange(abort_algorithms_, {});
  for (auto& [id, algorithm] : algorithms) algorithm();
  // 3. Fire an event named abort at signal.
  FireEvent(environment, "abort");
  UpdatePendingActivity();
  // Sources may have kept the page alive for this signal's listeners.
  for (const bindings::RefPtr<AbortSignal>& source : source_signals_) {
    source->UpdateTimeoutKeepAlive();
  }
}

AbortSignal::AlgorithmId AbortSignal::AddAlgorithm(std::function<void()> algorithm) {
  AlgorithmId id = next_algorithm_id_++;
  if (!aborted_) abort_algorithms_.emplace_back(id, std::move(algorithm));
  return id;
}

void AbortSignal::RemoveAlgorithm(AlgorithmId id) {
  std::erase_if(abort_algorithms_, [id](const auto& entry) { return entry.first == id; });
}

bool AbortSignal::HasAbortListenersHereOrInDependents() const {
  if (HasEventListeners("abort")) return true;
  return std::any_of(dependent_signals_.begin(), dependent_signals_.end(),
                     [](const AbortSignal* dependent) {
                       return !dependent->aborted_ && dependent->HasEventListeners("abort");
                     });
}

bool AbortSignal::HasPendingActivity() const {
  if (aborted_ || !HasEventListeners("abort")) return false;
  if (timeout_timer_) return true;
  return dependent_ && !source_signals_.empty();
}

void AbortSignal::UpdateTimeoutKeepAlive() {
  if (!timeout_timer_) return;
  timeout_environment_->SetPlatformTimerKeepAlive(
      *timeout_timer_, HasAbortListenersHereOrInDependents()
                           ? bindings::ScriptEnvironment::KeepAlive::kKeepsPageAlive
                           : bindings::ScriptEnvironment::KeepAlive::kDoesNotKeepPageAlive);
}

void AbortSignal::EventListenersChanged() {
  UpdatePendingActivity();
  UpdateTimeoutKeepAlive();
  // A dependent's listeners count for its sources' timeouts.
  for (const bindings::RefPtr<AbortSignal>& source : source_signals_) {
    source->UpdateTimeoutKeepAlive();
  }
}

}  // namespace switchboard::dom
