#include "bindings/install.h"

#include <span>

#include "bindings/interface_template_builder.h"
#include "bindings/per_isolate_data.h"
#include "bindings/script_wrappable.h"

namespace switchboard::bindings {

// Generated from idl/DOMException.idl (bindings/generated/v8_runtime_exposed_interfaces.cc).
std::span<const WrapperTypeInfo* const> RuntimeExposedInterfaces();

v8::Local<v8::ObjectTemplate> GlobalObjectTemplate(v8::Isolate* isolate,
                                                   const WrapperTypeInfo& global) {
  return PerIsolateData::Ensure(isolate).InterfaceTemplate(global)->InstanceTemplate();
}

void BindGlobalObject(v8::Local<v8::Context> context, ScriptWrappable& implementation) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::HandleScope handle_scope(isolate);
  v8::Context::Scope context_scope(context);
  // The global proxy is the wrapper: `self`, `window` and listeners' `this` are it.
  v8::Local<v8::Object> global_proxy = context->Global();
  implementation.AssociateWithWrapper(isolate, global_proxy);
  // V8 calls the global's accessors and methods with the global object itself as holder
  // (the proxy's [[Prototype]]), so it carries the implementation too.
  v8::Local<v8::Value> global_object = global_proxy->GetPrototype();
  if (!global_object->IsObject() || global_object.As<v8::Object>()->InternalFieldCount() <
                                        static_cast<int>(WrapperField::kCount)) {
    return;
  }
  global_object.As<v8::Object>()->SetAlignedPointerInInternalField(
      static_cast<int>(WrapperField::kTypeInfo),
      const_cast<WrapperTypeInfo*>(implementation.GetWrapperTypeInfo()));
  global_object.As<v8::Object>()->SetAlignedPointerInInternalField(
      static_cast<int>(WrapperField::kImplementation), &implementation);
}

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
