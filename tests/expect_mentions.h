#pragma once
// EXPECT_MENTIONS(text, part): `text` (an error message, a child process's output) holds `part`;
// on failure GoogleTest prints both.
#include <gtest/gtest.h>

#include <string>

namespace vp::test {

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace vp::test

#define EXPECT_MENTIONS(text, part) EXPECT_PRED2(::vp::test::contains, text, part)
