// HTML §2.7 structured serialization for structuredClone(): StructuredSerializeWithTransfer
// followed by StructuredDeserializeWithTransfer in the same realm, through V8's
// ValueSerializer. Plain data is cloned (primitives, objects, arrays, Date, RegExp, Map, Set,
// ArrayBuffers and views, Error objects, cycles) and DOMException (the one [Serializable]
// platform object); functions, symbols and other platform objects throw a DataCloneError.
// ArrayBuffers in `transfer` are transferred (detached here, their memory moved into the clone).
//
// Thread: main thread, inside a call from script (uses the isolate's current context).
#pragma once

#include <vector>

#include "bindings/exception_or.h"
#include "bindings/script_value.h"

namespace switchboard::bindings {

// Returns the clone, or the DataCloneError to throw. When script itself threw during
// serialization (a getter), that exception is left pending and an empty value returned.
ExceptionOr<ScriptValue> StructuredClone(const ScriptValue& value,
                                         const std::vector<ScriptValue>& transfer);

}  // namespace switchboard::bindings
