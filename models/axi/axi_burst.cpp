#include "models/axi/axi_burst.h"

#include <algorithm>

namespace vp {

void append_bursts(std::vector<AxiBurst>& out, uint64_t address, uint64_t bytes, uint32_t beat_bytes) {
  const uint64_t max_span = std::min<uint64_t>(kAxiBoundary, uint64_t(kAxiMaxBeats) * beat_bytes);
  while (bytes > 0) {
    // A burst ends at the next 4 KiB boundary or when 256 beats (from the aligned start) are used.
    const uint64_t aligned_start = address / beat_bytes * beat_bytes;
    const uint64_t boundary = (address / kAxiBoundary + 1) * kAxiBoundary;
    const uint64_t limit = std::min(boundary, aligned_start + max_span);
    const uint64_t take = std::min(bytes, limit - address);
    const uint64_t end = address + take;
    const uint64_t beats = (end + beat_bytes - 1) / beat_bytes - aligned_start / beat_bytes;
    out.push_back({address, static_cast<uint32_t>(take), static_cast<uint32_t>(beats)});
    address = end;
    bytes -= take;
  }
}

std::vector<AxiBurst> split_into_bursts(uint64_t address, uint64_t bytes, uint32_t beat_bytes) {
  std::vector<AxiBurst> out;
  append_bursts(out, address, bytes, beat_bytes);
  return out;
}

}  // namespace vp
