// Engine: Switchboard's process-wide set-up — V8 (its platform and worker threads) and
// libcurl. Create one Engine before the first Page and destroy it after the last one.
// V8 cannot be initialised again in a process once it has been disposed, so there is one
// Engine per process, once; a second one throws Error.
//
// Thread: create and destroy it on the thread that runs the pages (the Engine's thread);
// pages are created there too (Page::Create without an Engine throws Error). Version() and
// V8Version() may be called from any thread. Builds without NDEBUG check the rule: destroying
// the Engine, or creating a Page, on another thread aborts with a message naming the call.
#pragma once

#include <string_view>

#include "switchboard/export.h"

namespace switchboard::embed {

class SWITCHBOARD_EXPORT Engine {
 public:
  Engine();
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // "0.1.0"
  static std::string_view Version();
  // V8's version string, e.g. "10.2.154.26-node.26".
  static std::string_view V8Version();
};

}  // namespace switchboard::embed
