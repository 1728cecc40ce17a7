#include "bindings/script_environment.h"

#include <cmath>

namespace switchboard::bindings {

double ScriptEnvironment::CurrentHighResolutionTime() const {
  std::chrono::duration<double, std::milli> elapsed =
      std::chrono::steady_clock::now() - time_origin_;
  return std::floor(elapsed.count() * 10) / 10;
}

void ScriptEnvironment::AttachTo(v8::Local<v8::Context> context) {
  context->SetAlignedPointerInEmbedderData(static_cast<int>(ContextSlot::kScriptEnvironment), this);
}

ScriptEnvironment* ScriptEnvironment::From(v8::Local<v8::Context> context) {
  constexpr int kSlot = static_cast<int>(ContextSlot::kScriptEnvironment);
  if (context.IsEmpty() || context->GetNumberOfEmbedderDataFields() <= kSlot) return nullptr;
  return static_cast<ScriptEnvironment*>(context->GetAlignedPointerFromEmbedderData(kSlot));
}

}  // namespace switchboard::bindings
