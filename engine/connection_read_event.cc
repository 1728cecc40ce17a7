#include "engine/connection_read_event.h"

namespace switchboard {

bindings::RefPtr<ConnectionReadEvent> ConnectionReadEvent::Create(
    bindings::ScriptEnvironment& environment, std::string type, ConnectionReadEventInit init) {
  return bindings::RefPtr<ConnectionReadEvent>(new ConnectionReadEvent(
      std::move(type), std::move(init), environment.CurrentHighResolutionTime()));
}

}  // namespace switchboard
