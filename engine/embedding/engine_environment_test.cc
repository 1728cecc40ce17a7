// One Engine for a whole test binary (V8 is initialised once per process): linked into each
// binary of the embedding API's tests.
#include <memory>

#include <gtest/gtest.h>

#include "switchboard/switchboard.h"

namespace switchboard::embed {
namespace {

class EngineEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { engine_ = std::make_unique<Engine>(); }
  void TearDown() override { engine_.reset(); }

 private:
  std::unique_ptr<Engine> engine_;
};
const auto* const kEngine = ::testing::AddGlobalTestEnvironment(new EngineEnvironment);

}  // namespace
}  // namespace switchboard::embed
