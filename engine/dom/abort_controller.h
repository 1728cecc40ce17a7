// AbortController (DOM §3.1): the object that aborts its signal.
//
// Thread: main thread. Ownership: reference counted (bindings::ScriptWrappable); holds its
// signal for life.
#pragma once

#include <optional>

#include "bindings/ref_counted.h"
#include "bindings/script_environment.h"
#include "bindings/script_value.h"
#include "bindings/script_wrappable.h"
#include "engine/dom/abort_signal.h"

namespace switchboard::dom {

class AbortController final : public bindings::ScriptWrappable {
 public:
  DECLARE_WRAPPER_TYPE_INFO()

  // constructor()
  static bindings::RefPtr<AbortController> Create();

  AbortSignal* signal() const { return signal_.get(); }
  // abort(optional any reason)
  void Abort(bindings::ScriptEnvironment& environment, std::optional<bindings::ScriptValue> reason);

 private:
  explicit AbortController(bindings::RefPtr<AbortSignal> signal) : signal_(std::move(signal)) {}

  bindings::RefPtr<AbortSignal> signal_;
};

}  // namespace switchboard::dom
