#include "engine/dom/abort_controller.h"

#include <utility>

namespace switchboard::dom {

// DOM §3.1 new AbortController(): 1-3. a new AbortSignal becomes this's signal.
bindings::RefPtr<AbortController> AbortController::Create() {
  return bindings::RefPtr<AbortController>(new AbortController(AbortSignal::Create()));
}

// DOM §3.1 abort(reason): signal abort on this with reason if it is given.
void AbortController::Abort(bindings::ScriptEnvironment& environment,
                            std::optional<bindings::ScriptValue> reason) {
  signal_->SignalAbort(environment, std::move(reason));
}

}  // namespace switchboard::dom
