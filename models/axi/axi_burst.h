#pragma once
// AXI4 burst shaping: INCR bursts of at most 256 beats that never cross a 4 KiB boundary.
#include <cstdint>
#include <vector>

namespace vp {

struct AxiBurst {
  uint64_t address = 0;  // first byte the burst carries
  uint32_t bytes = 0;    // payload bytes
  uint32_t beats = 0;    // data beats on the bus (counts partial first/last beats)
};

constexpr uint64_t kAxiBoundary = 4096;
constexpr uint32_t kAxiMaxBeats = 256;

// Splits [address, address+bytes) into legal bursts for a data bus of `beat_bytes`.
std::vector<AxiBurst> split_into_bursts(uint64_t address, uint64_t bytes, uint32_t beat_bytes);

// Appends the bursts to `out` (no allocation when `out` has capacity).
void append_bursts(std::vector<AxiBurst>& out, uint64_t address, uint64_t bytes, uint32_t beat_bytes);

}  // namespace vp
