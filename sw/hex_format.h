#pragma once
// Numbers in messages and reports: addresses as "0x1f000" (lower-case hex, no padding), and
// values through a printf format.
#include <cstdint>
#include <cstdio>
#include <string>

namespace vp {

inline std::string hex(uint64_t value) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(value));
  return buf;
}

// `v` through a printf format with one double conversion ("%.2f"); at most 63 characters.
inline std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

}  // namespace vp
