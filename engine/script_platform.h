// ScriptPlatform: V8's process-wide set-up (ICU, the platform with its worker threads,
// V8::Initialize). V8 can be initialised once per process and never again after disposal,
// so this is a process singleton.
//
// V8 is given a thin platform of ours over V8's default one: it passes everything through,
// and tells the page whose isolate gets a foreground task (from V8's worker threads too)
// through its wake-up (SetForegroundWakeUp), so that a page waiting in its loop — or in an
// embedder's poll() on Page::PollFd() — wakes to pump it (issue 18).
//
// Thread: Initialize/Shutdown on the main thread; Get() from any thread after Initialize.
// Ownership: owns the v8::Platform; Shutdown() disposes V8 and must come after every Page
// has been destroyed.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>

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

  // The platform V8 runs on (ours, over V8's default platform).
  v8::Platform* platform() const { return platform_.get(); }
  v8::ArrayBuffer::Allocator* array_buffer_allocator() const { return allocator_.get(); }

  // Runs the platform's foreground tasks for `isolate` that are ready now (V8's own
  // housekeeping, e.g. GC finalisation, Atomics.waitAsync). Returns whether any ran.
  bool PumpForegroundTasks(v8::Isolate* isolate);

  // Called, on the thread that posted, each time V8 posts a foreground task for `isolate`
  // (delay_seconds 0 for one that is ready now). It must only post to the page's loop (a
  // lock is held while it runs). Set and cleared on the isolate's thread; after
  // ClearForegroundWakeUp returns it is never called again.
  using ForegroundWakeUp = std::function<void(double delay_seconds)>;
  void SetForegroundWakeUp(v8::Isolate* isolate, ForegroundWakeUp wake_up);
  void ClearForegroundWakeUp(v8::Isolate* isolate);
  void WakeUp(v8::Isolate* isolate, double delay_seconds);

 private:
  class WakingPlatform;
  ScriptPlatform() = default;

  std::unique_ptr<v8::Platform> default_platform_;  // what PumpMessageLoop needs
  std::unique_ptr<v8::Platform> platform_;          // wraps default_platform_
  std::mutex wake_ups_mutex_;
  std::map<v8::Isolate*, ForegroundWakeUp> wake_ups_;  // guarded by wake_ups_mutex_
  std::unique_ptr<v8::ArrayBuffer::Allocator> allocator_;
};

}  // namespace switchboard
