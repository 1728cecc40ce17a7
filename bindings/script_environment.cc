#include "bindings/script_environment.h"

namespace switchboard::bindings {

void ScriptEnvironment::AttachTo(v8::Local<v8::Context> context) {
  context->SetAlignedPointerInEmbedderData(static_cast<int>(ContextSlot::kScriptEnvironment),
                                           this);
}

ScriptEnvironment* ScriptEnvironment::From(v8::Local<v8::Context> context) {
  constexpr int kSlot = static_cast<int>(ContextSlot::kScriptEnvironment);
  if (context.IsEmpty() || context->GetNumberOfEmbedderDataFields() <= kSlot) return nullptr;
  return static_cast<ScriptEnvironment*>(context->GetAlignedPointerFromEmbedderData(kSlot));
}

}  // namespace switchboard::bindings
