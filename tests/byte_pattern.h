#pragma once
// Deterministic test data (no time-based seeds): bytes from xorshift32 (shifts 13, 17, 5).
#include <cstddef>
#include <cstdint>
#include <vector>

namespace vp::test {

// `n` bytes: the low byte of each xorshift32 step from `state` (which must not be 0).
inline std::vector<uint8_t> xorshift_bytes(size_t n, uint32_t state) {
  std::vector<uint8_t> out(n);
  for (auto& b : out) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    b = static_cast<uint8_t>(state);
  }
  return out;
}

}  // namespace vp::test
