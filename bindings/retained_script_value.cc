#include "bindings/retained_script_value.h"

#include <utility>

#include "bindings/generated_code_support.h"

namespace switchboard::bindings {

void RetainedScriptValue::Set(ScriptWrappable& owner, const ScriptValue& value) {
  Clear(owner);
  if (!value.IsObject()) {
    primitive_ = value;
    return;
  }
  v8::Isolate* isolate = value.isolate();
  v8::HandleScope handle_scope(isolate);
  object_ = MakeRefCounted<ObjectReference>(isolate, value.Get(isolate).As<v8::Object>());
  owner.RetainScriptReference(*object_);
}

void RetainedScriptValue::Clear(ScriptWrappable& owner) {
  primitive_ = ScriptValue();
  if (RefPtr<ObjectReference> object = std::exchange(object_, nullptr)) {
    owner.ReleaseScriptReference(*object);
  }
}

bool RetainedScriptValue::SetNewDOMException(ScriptWrappable& owner, const std::string& name,
                                             const std::string& message) {
  Clear(owner);
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  v8::HandleScope handle_scope(isolate);
  v8::Local<v8::Object> wrapper = NewDOMExceptionWrapper(isolate, name, message);
  if (wrapper.IsEmpty()) return false;
  object_ = MakeRefCounted<ObjectReference>(isolate, wrapper);
  owner.RetainScriptReference(*object_);
  return true;
}

ScriptValue RetainedScriptValue::Get() const {
  if (!object_) return primitive_;
  if (!object_->IsAlive()) return ScriptValue();
  v8::Isolate* isolate = object_->isolate();
  v8::HandleScope handle_scope(isolate);
  return ScriptValue(isolate, object_->CallbackObject());
}

}  // namespace switchboard::bindings
