// ErrorEvent (HTML §8.1.5.4): the `error` event that "report an exception" fires at the
// global object, carrying the exception and where it was thrown.
//
// Thread: main thread. Ownership: reference counted like every Event; holds its `error`
// value strongly (an exception does not refer back to the event).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "bindings/script_value.h"
#include "engine/dom/event.h"
#include "engine/dom/event_target.h"  // event.h needs it complete for ~Event()

namespace switchboard {

// dictionary ErrorEventInit : EventInit
struct ErrorEventInit : dom::EventInit {
  std::string message;
  std::string filename;
  uint32_t lineno = 0;
  uint32_t colno = 0;
  std::optional<bindings::ScriptValue> error;
};

class ErrorEvent final : public dom::Event {
 public:
  DECLARE_WRAPPER_TYPE_INFO()

  // constructor(DOMString type, optional ErrorEventInit eventInitDict = {}); also for C++.
  static bindings::RefPtr<ErrorEvent> Create(bindings::ScriptEnvironment& environment,
                                             std::string type, ErrorEventInit init = {});

  const std::string& message() const { return message_; }
  const std::string& filename() const { return filename_; }
  uint32_t lineno() const { return lineno_; }
  uint32_t colno() const { return colno_; }
  // Undefined when the init dictionary had no `error`.
  const bindings::ScriptValue& error() const { return error_; }

 private:
  ErrorEvent(std::string type, ErrorEventInit init, double time_stamp)
      : Event(std::move(type), init, time_stamp),
        message_(std::move(init.message)),
        filename_(std::move(init.filename)),
        lineno_(init.lineno),
        colno_(init.colno),
        error_(init.error ? std::move(*init.error) : bindings::ScriptValue()) {}

  std::string message_;
  std::string filename_;
  uint32_t lineno_;
  uint32_t colno_;
  bindings::ScriptValue error_;
};

}  // namespace switchboard
