// Debug builds' check of the embedding API's threading rules (issue 18): a call that belongs
// on the page's thread, made from another thread, aborts with a message that names it
// ("switchboard: Page::Evaluate called off the page's thread"). Builds with NDEBUG (the
// release and RelWithDebInfo builds) compile the checks to nothing.
#pragma once

#include <thread>

namespace switchboard::embed {

#ifdef NDEBUG
inline constexpr bool kThreadChecks = false;
#else
inline constexpr bool kThreadChecks = true;
#endif

// Prints the message to standard error and aborts.
[[noreturn]] void FailThreadCheck(const char* call, const char* thread_name);

inline void CheckThread(std::thread::id owner, const char* call, const char* thread_name) {
  if constexpr (kThreadChecks) {
    if (std::this_thread::get_id() != owner) FailThreadCheck(call, thread_name);
  }
}

// The Engine's thread, where pages are made (engine.cc); unset before the first Engine.
std::thread::id EngineThread();

// For Page::Create/Load/LoadScript: throws Error when no Engine exists (the script platform
// would not be there), and checks that the call is on the Engine's thread.
void RequireEngineThread(const char* call);

}  // namespace switchboard::embed
