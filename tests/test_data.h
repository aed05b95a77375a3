#pragma once
// Locations of fixtures: the shared llama2.c data beside the project, when it exists.
#include <gtest/gtest.h>
#include <filesystem>
#include <string>

namespace vp::test {

inline std::string shared_data(const std::string& relative) { return std::string(VP_SHARED_DATA) + "/" + relative; }

// Skips the calling test (with a message) where ../shared/data is absent.
#define VP_REQUIRE_SHARED_DATA(relative)                                              \
  do {                                                                                \
    if (!std::filesystem::exists(::vp::test::shared_data(relative)))                  \
      GTEST_SKIP() << "shared data not found: " << ::vp::test::shared_data(relative); \
  } while (0)

}  // namespace vp::test
