#include "engine/connection_read_event.h"

namespace switchboard {

bindings::RefPtr<ConnectionReadEvent> ConnectionReadEvent::Create(
    bindings::ScriptEnvironment& environment, std::string type, ConnectionReadEventInit init) {
  return bindings::RefPtr<ConnectionReadEvent>(new ConnectionReadEvent(
      std::move(type), std::move(init), false, environment.CurrentHighResolutionTime()));
}

bindings::RefPtr<ConnectionReadEvent> ConnectionReadEvent::CreateForFrame(
    bindings::ScriptEnvironment& environment, std::string data, bool data_is_ascii,
    std::string source) {
  ConnectionReadEventInit init;
  init.data = std::move(data);
  init.source = std::move(source);
  return bindings::RefPtr<ConnectionReadEvent>(new ConnectionReadEvent(
      "read", std::move(init), data_is_ascii, environment.CurrentHighResolutionTime()));
}

}  // namespace switchboard
