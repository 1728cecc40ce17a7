#include "engine/performance.h"

namespace switchboard {

bindings::RefPtr<Performance> Performance::Create(double time_origin_unix_ms) {
  return bindings::RefPtr<Performance>(new Performance(time_origin_unix_ms));
}

}  // namespace switchboard
