// CloseAndDelete: the end of a libuv handle that net/ allocated on its own with `new` (a
// timer, a check, a TCP stream). libuv needs the memory until the close callback has run, so
// the handle is deleted there, never at once.
//
// Thread: the handle's loop (the IO thread); the close callback runs on a later loop turn.
#pragma once

#include <uv.h>

namespace switchboard {

// Closes `handle` (which must come from `new Handle`) and deletes it from its close callback.
template <typename Handle>
void CloseAndDelete(Handle* handle) {
  uv_close(reinterpret_cast<uv_handle_t*>(handle),
           [](uv_handle_t* closed) { delete reinterpret_cast<Handle*>(closed); });
}

}  // namespace switchboard
