#include "engine/network_hooks.h"

#include <exception>
#include <utility>

#include "net/request_headers.h"

namespace switchboard {

Result<std::vector<HeaderField>> AskConnectionPolicy(const ConnectionPolicy& policy,
                                                     const PolicyQuery& query) {
  if (!policy) return std::vector<HeaderField>{};
  PolicyVerdict verdict;
  try {
    verdict = policy(query);
  } catch (const std::exception& error) {
    return Error{Stage::kPolicy, std::string("the connection policy threw: ") + error.what()};
  } catch (...) {
    return Error{Stage::kPolicy, "the connection policy threw"};
  }
  if (verdict.refusal) {
    return Error{Stage::kPolicy,
                 verdict.refusal->empty() ? "refused by the embedder" : *verdict.refusal};
  }
  if (std::optional<std::string> invalid = ExtraHeadersError(verdict.headers)) {
    return Error{Stage::kPolicy, "the connection policy's headers cannot be sent: " + *invalid};
  }
  return std::move(verdict.headers);
}

}  // namespace switchboard
