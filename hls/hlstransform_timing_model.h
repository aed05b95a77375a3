#pragma once
// Cycle model of the HLSTransform kernel (He et al., 2024; HLSTransform/submission,
// llama_xrt_kernels/src/forward.cpp and forward.h) as Vitis HLS schedules it, for fast mode
// (kernel.vector_unit = hlstransform; platform/kernels/hlstransform_paper.cfg). The RTL cannot
// express it: rtl/llama_kernel.sv is another microarchitecture (run.mode = rtl refuses it).
//
// It follows forward.cpp's loops one by one, with no dataflow (one function after another) and
// UG1399's scheduling rules:
//   - a pipelined loop of T iterations takes (T - 1) * II + depth cycles; a loop nested in a
//     pipelined loop is fully unrolled into it; UNROLL factor U makes T / U iterations;
//   - II is the largest of: the m_axi port's cycles per iteration (one request or one data beat a
//     cycle per bundle, at most max_outstanding requests per maxi_latency cycles), the on-chip
//     array ports (a cyclic partition of factor F gives 2 F accesses a cycle: dual-port BRAM), and
//     a loop-carried recurrence (its operators' latency);
//   - a burst carries one element a beat, or width / element bits when the bundle is widened
//     (width > 32, the widest scalar on the interface); without a burst every element is a request;
//   - loops without a PIPELINE pragma and more than 64 iterations are pipelined automatically
//     (syn.compile.pipeline_loops = 64); shorter ones run one iteration after another.
// fp operator latencies (fadd, fmul, div, exp, sqrt) are the KernelMicroarch's: Vitis HLS's own
// are only in a synthesis report, which the repository does not hold. powf, sinf and cosf take
// exp_latency, sqrtf rsqrt_latency, fp compares fadd_latency. Memory traffic stays the functional
// kernel's (models/kernel/fast_kernel.h replays it at kernel.axi_data_bits); these cycles already hold
// the m_axi adapter's limits, so a phase takes the longer of the two.
#include <cstdint>

#include "hls/device_layout.h"
#include "hls/kernel_phase.h"
#include "hls/kernel_timing_model.h"

namespace vp {

PhaseCycles hlstransform_phase_cycles(KernelPhase phase, const KernelDescriptor& d, uint32_t pos,
                                      const KernelMicroarch& m);

}  // namespace vp
