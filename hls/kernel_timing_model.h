#pragma once
// Cycle model of the kernel's compute datapath, phase by phase, for `fast` mode. It counts
// the cycles of the microarchitecture described by the HLS pragmas in hls/llama_kernel.h:
// per weight port one int8 MAC engine of `mac_lanes` lanes (II=1 over row chunks), one fp32
// vector unit of `fp_lanes` lanes, and pipelined fp units with the latencies below. Memory
// time is not in here: the fast-mode kernel overlaps it by streaming the phase's AXI bursts
// through the memory models, and a phase ends when both its compute and its bursts are done.
#include <cstdint>
#include <string>

#include "hls/device_layout.h"
#include "hls/kernel_phase.h"

namespace vp {

struct KernelMicroarch {
  uint32_t mac_lanes = 64;       // int8 MACs per cycle per weight port
  uint32_t fp_lanes = 16;        // fp32 vector-unit lanes
  uint32_t fadd_latency = 4;     // cycles, pipelined fp32 adder
  uint32_t fmul_latency = 3;     // cycles, pipelined fp32 multiplier
  uint32_t exp_latency = 26;     // 2 mul + 3 add for reduction, 8 Horner steps, 2 scaling muls
  uint32_t recip_latency = 18;   // 3 Newton steps of mul, sub, mul
  uint32_t rsqrt_latency = 24;   // 3 Newton steps of mul, mul, sub, mul
  uint32_t matmul_latency = 16;  // MAC adder tree + int32->fp32 + two scaling multiplies + accumulate
  uint32_t phase_overhead = 4;   // sequencer cycles between phases

  void validate(const std::string& prefix) const;
};

uint64_t phase_compute_cycles(KernelPhase phase, const KernelDescriptor& d, uint32_t pos, const KernelMicroarch& m);

}  // namespace vp
