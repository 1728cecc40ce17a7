// The engine's door into the bindings: install the interface objects on a page's global, and
// release the bindings' per-isolate data before the isolate goes.
//
// Thread: main thread. A page whose global object implements a [Global] interface (Window)
// creates its context from GlobalObjectTemplate(), then calls BindGlobalObject. Call
// InstallInterfaces once per context, right after creating it and
// before running any script; call DisposeBindings(isolate) after the last script ran and
// before isolate->Dispose(). The bindings keep their per-isolate data in isolate data slot
// PerIsolateData::kIsolateDataSlot (0).
#pragma once

#include <span>

#include <v8.h>

#include "bindings/wrapper_type_info.h"

namespace switchboard::bindings {

class ScriptWrappable;

// The template for v8::Context::New of a context whose global object implements the [Global]
// interface `global` (WebIDL §3.7): its regular members are the global object's own
// properties and its [[Prototype]] is the interface prototype object.
v8::Local<v8::ObjectTemplate> GlobalObjectTemplate(v8::Isolate* isolate,
                                                   const WrapperTypeInfo& global);

// Makes `implementation` (of the [Global] interface the context was created for) the
// implementation behind the context's global object. Its wrapper is the global proxy, which
// is what script sees as `self`; the wrapper holds a reference until DisposeBindings.
void BindGlobalObject(v8::Local<v8::Context> context, ScriptWrappable& implementation);

// Defines the runtime's interface objects (DOMException) and `interfaces` (the embedder's
// generated list, e.g. the engine's ExposedInterfaces()) on the context's global: writable,
// non-enumerable, configurable.
void InstallInterfaces(v8::Local<v8::Context> context,
                       std::span<const WrapperTypeInfo* const> interfaces);

// Cuts every wrapper and callback loose from V8 and frees the per-isolate data.
// Implementation objects that C++ still holds survive it, without wrappers.
void DisposeBindings(v8::Isolate* isolate);

}  // namespace switchboard::bindings
