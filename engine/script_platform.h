// ScriptPlatform: V8's process-wide set-up (ICU, the platform with its worker threads,
// V8::Initialize). V8 can be initialised once per process and never again after disposal,
// so this is a process singleton.
//
// Thread: Initialize/Shutdown on the main thread; Get() from any thread after Initialize.
// Ownership: owns the v8::Platform; Shutdown() disposes V8 and must come after every Page
// has been destroyed.
#pragma once

#include <memory>

#include <v8-platform.h>
#include <v8.h>

namespace switchboard {

class ScriptPlatform {
 public:
  // Idempotent. `executable_path` lets V8 find ICU data when it needs a file (Debian's
  // libnode uses the system ICU, so normally nothing is read).
  static ScriptPlatform& Initialize(const char* executable_path);
  static ScriptPlatform& Get();
  static void Shutdown();

  v8::Platform* platform() const { return platform_.get(); }
  v8::ArrayBuffer::Allocator* array_buffer_allocator() const { return allocator_.get(); }

  // Runs the platform's foreground tasks for `isolate` that are ready now (V8's own
  // housekeeping, e.g. GC finalisation, Atomics.waitAsync).
  void PumpForegroundTasks(v8::Isolate* isolate);

 private:
  ScriptPlatform() = default;

  std::unique_ptr<v8::Platform> platform_;
  std::unique_ptr<v8::ArrayBuffer::Allocator> allocator_;
};

}  // namespace switchboard
