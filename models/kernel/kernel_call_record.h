#pragma once
// What a kernel model records per call, whichever model ran it (models/kernel/kernel_model.h): the
// call's span and cycles and one record per phase. The platform's statistics, timeline and energy
// (models/kernel/power_model.h) read these alone, so they need no particular kernel.
#include <cstdint>
#include <vector>

#include <systemc>

#include "hls/kernel_phase.h"

namespace vp {

struct PhaseRecord {
  KernelPhase phase = KernelPhase::kLoadDescriptor;
  int layer = -1;
  sc_core::sc_time start, end;
  uint64_t compute_cycles = 0;
  uint64_t read_bytes = 0, write_bytes = 0;
};

struct KernelCallRecord {
  uint32_t token = 0, pos = 0;
  sc_core::sc_time start, end;
  uint64_t cycles = 0;
  uint64_t compute_cycles = 0;  // sum over phases: what a memory system with no stalls would give
  std::vector<PhaseRecord> phases;
};

}  // namespace vp
