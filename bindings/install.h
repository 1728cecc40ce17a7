// The engine's door into the bindings: install the interface objects on a page's global, and
// release the bindings' per-isolate data before the isolate goes.
//
// Thread: main thread. Call InstallInterfaces once per context, right after creating it and
// before running any script; call DisposeBindings(isolate) after the last script ran and
// before isolate->Dispose(). The bindings keep their per-isolate data in isolate data slot
// PerIsolateData::kIsolateDataSlot (0).
#pragma once

#include <span>

#include <v8.h>

#include "bindings/wrapper_type_info.h"

namespace switchboard::bindings {

// Defines the runtime's interface objects (DOMException) and `interfaces` (the embedder's
// generated list, e.g. the engine's ExposedInterfaces()) on the context's global: writable,
// non-enumerable, configurable.
void InstallInterfaces(v8::Local<v8::Context> context,
                       std::span<const WrapperTypeInfo* const> interfaces);

// Cuts every wrapper and callback loose from V8 and frees the per-isolate data.
// Implementation objects that C++ still holds survive it, without wrappers.
void DisposeBindings(v8::Isolate* isolate);

}  // namespace switchboard::bindings
