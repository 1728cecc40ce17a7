// For GoogleTest binaries that run pages: V8 is initialised once for the whole binary and
// disposed at its end (V8 cannot be initialised again in one process).
#pragma once

#include <gtest/gtest.h>

#include "engine/script_platform.h"

namespace switchboard::testing {

class V8TestEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { ScriptPlatform::Initialize(nullptr); }
  void TearDown() override { ScriptPlatform::Shutdown(); }
};

// In one .cc file of the binary:
//   const auto* const kV8 = ::testing::AddGlobalTestEnvironment(new testing::V8TestEnvironment);

}  // namespace switchboard::testing
