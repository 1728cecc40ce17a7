#include "engine/embedding/thread_check.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "switchboard/value.h"

namespace switchboard::embed {

void FailThreadCheck(const char* call, const char* thread_name) {
  std::fflush(stdout);
  std::fprintf(stderr, "switchboard: %s called off the %s\n", call, thread_name);
  std::fflush(stderr);
  std::abort();
}

void RequireEngineThread(const char* call) {
  if (EngineThread() == std::thread::id()) {
    throw Error(std::string(call) + ": create a switchboard::embed::Engine first");
  }
  CheckThread(EngineThread(), call, "Engine's thread");
}

}  // namespace switchboard::embed
