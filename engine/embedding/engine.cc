// The embedding API's Engine (engine/include/switchboard/engine.h): V8 and the network
// libraries, once per process.
#include "switchboard/engine.h"

#include "engine/embedding/thread_check.h"
#include "engine/script_platform.h"
#include "net/network_service.h"
#include "switchboard/value.h"
#include "switchboard/version.h"

namespace switchboard::embed {

namespace {
bool g_engine_created = false;
// Set while the Engine exists (issue 18's thread checks); read by Page::Create on that thread.
std::thread::id g_engine_thread;
}  // namespace

std::thread::id EngineThread() { return g_engine_thread; }

Engine::Engine() {
  if (g_engine_created) throw Error("one switchboard::embed::Engine per process, once");
  g_engine_created = true;
  NetworkService::InitializeProcess();
  ScriptPlatform::Initialize(nullptr);
  g_engine_thread = std::this_thread::get_id();
}

Engine::~Engine() {
  CheckThread(g_engine_thread, "Engine::~Engine", "Engine's thread");
  g_engine_thread = std::thread::id();
  ScriptPlatform::Shutdown();
  NetworkService::ShutdownProcess();
}

std::string_view Engine::Version() { return SWITCHBOARD_VERSION_STRING; }

std::string_view Engine::V8Version() { return v8::V8::GetVersion(); }

}  // namespace switchboard::embed
