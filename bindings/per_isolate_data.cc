#include "bindings/per_isolate_data.h"

#include <vector>

#include "bindings/callback.h"
#include "bindings/script_wrappable.h"

namespace switchboard::bindings {

PerIsolateData* PerIsolateData::From(v8::Isolate* isolate) {
  return static_cast<PerIsolateData*>(isolate->GetData(kIsolateDataSlot));
}

PerIsolateData& PerIsolateData::Ensure(v8::Isolate* isolate) {
  PerIsolateData* data = From(isolate);
  if (!data) {
    data = new PerIsolateData(isolate);
    isolate->SetData(kIsolateDataSlot, data);
  }
  return *data;
}

void PerIsolateData::Dispose(v8::Isolate* isolate) {
  PerIsolateData* data = From(isolate);
  if (!data) return;
  // Detaching may release the last reference to objects that unregister themselves, so work
  // on copies and detach everything before any object can be deleted.
  std::vector<CallbackBase*> callbacks(data->callbacks_.begin(), data->callbacks_.end());
  data->callbacks_.clear();
  for (CallbackBase* callback : callbacks) callback->DetachFromIsolate();
  std::vector<RefPtr<ScriptWrappable>> wrappables(data->wrappables_.begin(),
                                                  data->wrappables_.end());
  data->wrappables_.clear();
  for (const RefPtr<ScriptWrappable>& wrappable : wrappables) wrappable->DetachFromIsolate();
  wrappables.clear();
  isolate->SetData(kIsolateDataSlot, nullptr);
  delete data;
}

v8::Local<v8::FunctionTemplate> PerIsolateData::InterfaceTemplate(
    const WrapperTypeInfo& type_info) {
  auto found = templates_.find(&type_info);
  if (found != templates_.end()) return found->second.Get(isolate_);
  v8::Local<v8::FunctionTemplate> interface_template =
      type_info.create_interface_template(isolate_);
  templates_.emplace(&type_info, v8::Global<v8::FunctionTemplate>(isolate_, interface_template));
  return interface_template;
}

v8::Local<v8::FunctionTemplate> PerIsolateData::FindTemplate(const void* key) {
  auto found = other_templates_.find(key);
  if (found == other_templates_.end()) return {};
  return found->second.Get(isolate_);
}

void PerIsolateData::StoreTemplate(const void* key,
                                   v8::Local<v8::FunctionTemplate> function_template) {
  other_templates_[key].Reset(isolate_, function_template);
}

v8::Local<v8::Private> PerIsolateData::PrivateSymbol(const char* name) {
  auto found = private_symbols_.find(name);
  if (found != private_symbols_.end()) return found->second.Get(isolate_);
  v8::Local<v8::Private> symbol = v8::Private::New(
      isolate_,
      v8::String::NewFromUtf8(isolate_, name, v8::NewStringType::kInternalized).ToLocalChecked());
  private_symbols_.emplace(name, v8::Global<v8::Private>(isolate_, symbol));
  return symbol;
}

}  // namespace switchboard::bindings
