// What a page and its network stack hold, for tests that prove a workload leaves nothing
// behind (soak_test.cc, fault_soak_test.cc): descriptors, libuv handles, connections on both
// threads, script wrappers, V8's heap and resident memory, measured after a full collection.
//
// Thread: the page's (main) thread.
#pragma once

#include <malloc.h>

#include <cstdio>

#include "bindings/script_wrappable.h"
#include "engine/page.h"
#include "net/testing/test_servers.h"

namespace switchboard::testing {

struct ResourceFigures {
  int descriptors = 0;
  int handles = 0;
  std::size_t connections = 0;
  std::size_t live_connections = 0;  // PageNetwork's view
  std::size_t wrappers = 0;          // ScriptWrappable objects alive
  std::size_t heap_used = 0;
  std::size_t resident = 0;   // after malloc_trim(0): pages malloc holds but does not use
  std::size_t anonymous = 0;  // the anonymous part of it (no program text)
};

inline std::size_t AnonymousResidentBytes() {
  std::size_t kilobytes = 0;
  if (FILE* status = std::fopen("/proc/self/status", "r")) {
    char line[256];
    while (std::fgets(line, sizeof line, status)) {
      if (std::sscanf(line, "RssAnon: %zu kB", &kilobytes) == 1) break;
    }
    std::fclose(status);
  }
  return kilobytes * 1024;
}

// Collects garbage (so closed, unreferenced connections are gone), runs what that queued,
// gives malloc's free pages back to the system, and takes the figures.
inline ResourceFigures Measure(Page& page) {
  page.isolate()->LowMemoryNotification();
  page.event_loop().RunUntilNoReadyTasks();
  page.isolate()->LowMemoryNotification();
  malloc_trim(0);
  ResourceFigures figures;
  figures.descriptors = CountOpenFileDescriptors();
  auto [handles, connections] =
      page.network().service_for_testing()->CountLiveResourcesForTesting();
  figures.handles = handles;
  figures.connections = connections;
  figures.live_connections = page.network().live_connection_count();
  figures.wrappers = bindings::ScriptWrappable::LiveObjectCountForTesting();
  v8::HeapStatistics heap;
  page.isolate()->GetHeapStatistics(&heap);
  figures.heap_used = heap.used_heap_size();
  figures.resident = ResidentSetBytes();
  figures.anonymous = AnonymousResidentBytes();
  return figures;
}

inline void Print(const char* label, const ResourceFigures& figures) {
  std::printf(
      "[ figures  ] %-28s fds %d, libuv handles %d, connections %zu (page %zu), wrappers %zu, "
      "V8 heap used %.2f MiB, RSS %.2f MiB (anonymous %.2f MiB)\n",
      label, figures.descriptors, figures.handles, figures.connections, figures.live_connections,
      figures.wrappers, static_cast<double>(figures.heap_used) / kMiB,
      static_cast<double>(figures.resident) / kMiB, static_cast<double>(figures.anonymous) / kMiB);
  std::fflush(stdout);
}

}  // namespace switchboard::testing
