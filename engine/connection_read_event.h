// ConnectionReadEvent (spec §1): the `read` event of a TCPConnection — one received frame's
// text and the peer it came from.
//
// Thread: main thread. Ownership: reference counted like every Event.
#pragma once

#include <string>

#include "bindings/string_conversions.h"
#include "engine/dom/event.h"
#include "engine/dom/event_target.h"  // event.h needs it complete for ~Event()

namespace switchboard {

// dictionary ConnectionReadEventInit : EventInit
struct ConnectionReadEventInit : dom::EventInit {
  std::string data;
  std::string source;
};

class ConnectionReadEvent final : public dom::Event {
 public:
  DECLARE_WRAPPER_TYPE_INFO()

  // constructor(DOMString type, optional ConnectionReadEventInit init = {}); also for C++,
  // which moves a received frame's text in (spec §6) instead of copying it.
  static bindings::RefPtr<ConnectionReadEvent> Create(bindings::ScriptEnvironment& environment,
                                                      std::string type,
                                                      ConnectionReadEventInit init = {});
  // A received frame's `read` event; `data_is_ascii` (known from the frame's UTF-8 check)
  // lets a large text become script's string without a copy (bindings::ScriptText).
  static bindings::RefPtr<ConnectionReadEvent> CreateForFrame(
      bindings::ScriptEnvironment& environment, std::string data, bool data_is_ascii,
      std::string source);

  const bindings::ScriptText& data() const { return data_; }
  const std::string& source() const { return source_; }

  // The frame's text lives outside the JavaScript heap until the event is collected: a flood
  // of `read` events whose data script never touches must still make V8 collect them (§6
  // flow control only bounds what waits for script).
  size_t ExternalMemoryBytes() const override { return data_.size() + source_.size(); }

 private:
  ConnectionReadEvent(std::string type, ConnectionReadEventInit init, bool data_is_ascii,
                      double time_stamp)
      : Event(std::move(type), init, time_stamp),
        data_(std::move(init.data), data_is_ascii),
        source_(std::move(init.source)) {}

  bindings::ScriptText data_;
  std::string source_;
};

}  // namespace switchboard
