#include "bindings/install.h"

#include <span>

#include "bindings/interface_template_builder.h"
#include "bindings/per_isolate_data.h"

namespace switchboard::bindings {

// Generated from idl/DOMException.idl (bindings/generated/v8_runtime_exposed_interfaces.cc).
std::span<const WrapperTypeInfo* const> RuntimeExposedInterfaces();

void InstallInterfaces(v8::Local<v8::Context> context,
                       std::span<const WrapperTypeInfo* const> interfaces) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::HandleScope handle_scope(isolate);
  v8::Context::Scope context_scope(context);
  PerIsolateData::Ensure(isolate);
  // Only fails when V8 runs out of memory while setting up; nothing script can cause.
  for (const WrapperTypeInfo* type_info : RuntimeExposedInterfaces()) {
    InstallInterfaceObject(context, *type_info);
  }
  for (const WrapperTypeInfo* type_info : interfaces) InstallInterfaceObject(context, *type_info);
}

void DisposeBindings(v8::Isolate* isolate) {
  v8::HandleScope handle_scope(isolate);
  PerIsolateData::Dispose(isolate);
}

}  // namespace switchboard::bindings
