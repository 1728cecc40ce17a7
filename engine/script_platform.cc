#include "engine/script_platform.h"

#include <cassert>
#include <mutex>

#include <libplatform/libplatform.h>

namespace switchboard {

namespace {
ScriptPlatform* g_platform = nullptr;
bool g_was_shut_down = false;
}  // namespace

ScriptPlatform& ScriptPlatform::Initialize(const char* executable_path) {
  if (g_platform) return *g_platform;
  assert(!g_was_shut_down && "V8 cannot be initialised again after disposal");
  g_platform = new ScriptPlatform();
  v8::V8::InitializeICUDefaultLocation(executable_path);
  g_platform->platform_ = v8::platform::NewDefaultPlatform();
  v8::V8::InitializePlatform(g_platform->platform_.get());
  v8::V8::Initialize();
  g_platform->allocator_.reset(v8::ArrayBuffer::Allocator::NewDefaultAllocator());
  return *g_platform;
}

ScriptPlatform& ScriptPlatform::Get() {
  assert(g_platform && "ScriptPlatform::Initialize must come first");
  return *g_platform;
}

void ScriptPlatform::Shutdown() {
  if (!g_platform) return;
  v8::V8::Dispose();
  v8::V8::DisposePlatform();
  delete g_platform;
  g_platform = nullptr;
  g_was_shut_down = true;
}

void ScriptPlatform::PumpForegroundTasks(v8::Isolate* isolate) {
  while (v8::platform::PumpMessageLoop(platform_.get(), isolate,
                                       v8::platform::MessageLoopBehavior::kDoNotWait)) {
  }
}

}  // namespace switchboard
