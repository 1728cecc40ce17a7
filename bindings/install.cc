#include "bindings/install.h"

#include <span>

#include "bindings/interface_template_builder.h"
#include "bindings/per_isolate_data.h"

namespace switchboard::bindings {

// Generated from idl/*.idl (bindings/generated/v8_exposed_interfaces.cc).
std::span<const WrapperTypeInfo* const> ExposedInterfaces();

void InstallInterfaces(v8::Local<v8::Context> context) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::HandleScope handle_scope(isolate);
  v8::Context::Scope context_scope(context);
  PerIsolateData::Ensure(isolate);
  for (const WrapperTypeInfo* type_info : ExposedInterfaces()) {
    // Only fails when V8 runs out of memory while setting up; nothing script can cause.
    InstallInterfaceObject(context, *type_info);
  }
}

void DisposeBindings(v8::Isolate* isolate) {
  v8::HandleScope handle_scope(isolate);
  PerIsolateData::Dispose(isolate);
}

}  // namespace switchboard::bindings
