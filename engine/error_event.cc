#include "engine/error_event.h"

namespace switchboard {

bindings::RefPtr<ErrorEvent> ErrorEvent::Create(bindings::ScriptEnvironment& environment,
                                                std::string type, ErrorEventInit init) {
  return bindings::RefPtr<ErrorEvent>(
      new ErrorEvent(std::move(type), std::move(init), environment.CurrentHighResolutionTime()));
}

}  // namespace switchboard
