// The embedding API's Engine (engine/include/switchboard/engine.h): V8 and libcurl, once per
// process.
#include "switchboard/engine.h"

#include <curl/curl.h>

#include "engine/script_platform.h"
#include "switchboard/value.h"
#include "switchboard/version.h"

namespace switchboard::embed {

namespace {
bool g_engine_created = false;
}  // namespace

Engine::Engine() {
  if (g_engine_created) throw Error("one switchboard::embed::Engine per process, once");
  g_engine_created = true;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  ScriptPlatform::Initialize(nullptr);
}

Engine::~Engine() {
  ScriptPlatform::Shutdown();
  curl_global_cleanup();
}

std::string_view Engine::Version() { return SWITCHBOARD_VERSION_STRING; }

std::string_view Engine::V8Version() { return v8::V8::GetVersion(); }

}  // namespace switchboard::embed
