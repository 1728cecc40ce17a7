#include "engine/script_platform.h"

#include <cassert>
#include <mutex>

#include <libplatform/libplatform.h>

namespace switchboard {

namespace {
ScriptPlatform* g_platform = nullptr;
bool g_was_shut_down = false;

// An isolate's foreground task runner that tells the page, after each post, that there is
// something to pump.
class WakingTaskRunner : public v8::TaskRunner {
 public:
  WakingTaskRunner(std::shared_ptr<v8::TaskRunner> runner, ScriptPlatform* owner,
                   v8::Isolate* isolate)
      : runner_(std::move(runner)), owner_(owner), isolate_(isolate) {}

  void PostTask(std::unique_ptr<v8::Task> task) override {
    runner_->PostTask(std::move(task));
    owner_->WakeUp(isolate_, 0);
  }
  void PostNonNestableTask(std::unique_ptr<v8::Task> task) override {
    runner_->PostNonNestableTask(std::move(task));
    owner_->WakeUp(isolate_, 0);
  }
  void PostDelayedTask(std::unique_ptr<v8::Task> task, double delay_in_seconds) override {
    runner_->PostDelayedTask(std::move(task), delay_in_seconds);
    owner_->WakeUp(isolate_, delay_in_seconds);
  }
  void PostNonNestableDelayedTask(std::unique_ptr<v8::Task> task,
                                  double delay_in_seconds) override {
    runner_->PostNonNestableDelayedTask(std::move(task), delay_in_seconds);
    owner_->WakeUp(isolate_, delay_in_seconds);
  }
  void PostIdleTask(std::unique_ptr<v8::IdleTask> task) override {
    runner_->PostIdleTask(std::move(task));
  }
  bool IdleTasksEnabled() override { return runner_->IdleTasksEnabled(); }
  bool NonNestableTasksEnabled() const override { return runner_->NonNestableTasksEnabled(); }
  bool NonNestableDelayedTasksEnabled() const override {
    return runner_->NonNestableDelayedTasksEnabled();
  }

 private:
  std::shared_ptr<v8::TaskRunner> runner_;
  ScriptPlatform* owner_;
  v8::Isolate* isolate_;
};

}  // namespace

// V8's default platform with WakingTaskRunner as every isolate's foreground runner.
class ScriptPlatform::WakingPlatform : public v8::Platform {
 public:
  WakingPlatform(v8::Platform* inner, ScriptPlatform* owner) : inner_(inner), owner_(owner) {}

  v8::PageAllocator* GetPageAllocator() override { return inner_->GetPageAllocator(); }
  v8::ZoneBackingAllocator* GetZoneBackingAllocator() override {
    return inner_->GetZoneBackingAllocator();
  }
  v8::HighAllocationThroughputObserver* GetHighAllocationThroughputObserver() override {
    return inner_->GetHighAllocationThroughputObserver();
  }
  void OnCriticalMemoryPressure() override { inner_->OnCriticalMemoryPressure(); }
  bool OnCriticalMemoryPressure(size_t length) override {
    return inner_->OnCriticalMemoryPressure(length);
  }
  int NumberOfWorkerThreads() override { return inner_->NumberOfWorkerThreads(); }
  std::shared_ptr<v8::TaskRunner> GetForegroundTaskRunner(v8::Isolate* isolate) override {
    return std::make_shared<WakingTaskRunner>(inner_->GetForegroundTaskRunner(isolate), owner_,
                                              isolate);
  }
  void CallOnWorkerThread(std::unique_ptr<v8::Task> task) override {
    inner_->CallOnWorkerThread(std::move(task));
  }
  void CallBlockingTaskOnWorkerThread(std::unique_ptr<v8::Task> task) override {
    inner_->CallBlockingTaskOnWorkerThread(std::move(task));
  }
  void CallLowPriorityTaskOnWorkerThread(std::unique_ptr<v8::Task> task) override {
    inner_->CallLowPriorityTaskOnWorkerThread(std::move(task));
  }
  void CallDelayedOnWorkerThread(std::unique_ptr<v8::Task> task, double delay_in_seconds) override {
    inner_->CallDelayedOnWorkerThread(std::move(task), delay_in_seconds);
  }
  bool IdleTasksEnabled(v8::Isolate* isolate) override { return inner_->IdleTasksEnabled(isolate); }
  std::unique_ptr<v8::JobHandle> PostJob(v8::TaskPriority priority,
                                         std::unique_ptr<v8::JobTask> job_task) override {
    return inner_->PostJob(priority, std::move(job_task));
  }
  double MonotonicallyIncreasingTime() override { return inner_->MonotonicallyIncreasingTime(); }
  double CurrentClockTimeMillis() override { return inner_->CurrentClockTimeMillis(); }
  StackTracePrinter GetStackTracePrinter() override { return inner_->GetStackTracePrinter(); }
  v8::TracingController* GetTracingController() override { return inner_->GetTracingController(); }
  void DumpWithoutCrashing() override { inner_->DumpWithoutCrashing(); }

 private:
  v8::Platform* inner_;
  ScriptPlatform* owner_;
};

ScriptPlatform& ScriptPlatform::Initialize(const char* executable_path) {
  if (g_platform) return *g_platform;
  assert(!g_was_shut_down && "V8 cannot be initialised again after disposal");
  g_platform = new ScriptPlatform();
  v8::V8::InitializeICUDefaultLocation(executable_path);
  g_platform->default_platform_ = v8::platform::NewDefaultPlatform();
  g_platform->platform_ =
      std::make_unique<WakingPlatform>(g_platform->default_platform_.get(), g_platform);
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

bool ScriptPlatform::PumpForegroundTasks(v8::Isolate* isolate) {
  bool ran = false;
  // PumpMessageLoop wants V8's own platform (it casts to it).
  while (v8::platform::PumpMessageLoop(default_platform_.get(), isolate,
                                       v8::platform::MessageLoopBehavior::kDoNotWait)) {
    ran = true;
  }
  return ran;
}

void ScriptPlatform::SetForegroundWakeUp(v8::Isolate* isolate, ForegroundWakeUp wake_up) {
  std::lock_guard lock(wake_ups_mutex_);
  wake_ups_[isolate] = std::move(wake_up);
}

void ScriptPlatform::ClearForegroundWakeUp(v8::Isolate* isolate) {
  std::lock_guard lock(wake_ups_mutex_);
  wake_ups_.erase(isolate);
}

void ScriptPlatform::WakeUp(v8::Isolate* isolate, double delay_seconds) {
  std::lock_guard lock(wake_ups_mutex_);
  auto found = wake_ups_.find(isolate);
  if (found != wake_ups_.end()) found->second(delay_seconds);
}

}  // namespace switchboard
