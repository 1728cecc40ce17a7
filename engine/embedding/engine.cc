// The embedding API's Engine (engine/include/switchboard/engine.h): V8 and the network
// libraries, once per process.
#include "switchboard/engine.h"

#include "engine/script_platform.h"
#include "net/network_service.h"
#include "switchboard/value.h"
#include "switchboard/version.h"

namespace switchboard::embed {

namespace {
bool g_engine_created = false;
}  // namespace

Engine::Engine() {
  if (g_engine_created) throw Error("one switchboard::embed::Engine per process, once");
  g_engine_created = true;
  NetworkService::InitializeProcess();
  ScriptPlatform::Initialize(nullptr);
}

Engine::~Engine() {
  ScriptPlatform::Shutdown();
  NetworkService::ShutdownProcess();
}

std::string_view Engine::Version() { return SWITCHBOARD_VERSION_STRING; }

std::string_view Engine::V8Version() { return v8::V8::GetVersion(); }

}  // namespace switchboard::embed
