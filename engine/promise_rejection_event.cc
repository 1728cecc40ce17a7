#include "engine/promise_rejection_event.h"

namespace switchboard {

bindings::RefPtr<PromiseRejectionEvent> PromiseRejectionEvent::Create(
    bindings::ScriptEnvironment& environment, std::string type, PromiseRejectionEventInit init) {
  return bindings::RefPtr<PromiseRejectionEvent>(new PromiseRejectionEvent(
      std::move(type), std::move(init), environment.CurrentHighResolutionTime()));
}

}  // namespace switchboard
