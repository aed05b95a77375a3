#pragma once
// Cycle model of the RTL kernel (rtl/llama_kernel.sv) for fast mode: the sequencer runs one
// command at a time; the vector unit (rtl/llama_vector_unit.sv) runs its element loops
// pipelined, fp_lanes elements a cycle (rtl/llama_vector_stream.sv: reductions in whole blocks
// of 16, scaling, residual, dequantization, softmax's max and exp, SwiGLU, RoPE; quantization in
// rtl/llama_quantize.sv), and its
// scalar steps as one operation-unit call at a time, a call costing its unit's latency plus
// the issue and the return cycle; after a memory round trip, loads move one AXI beat per
// cycle and stores one word per cycle; the matmul engine (rtl/llama_gemv.sv) streams rows at the slowest of its MAC
// stage, its term multiplier (one group per cycle) and its accumulators.
// A phase splits into the matmul engine's streaming, which overlaps the phase's memory
// traffic, and the serial rest, which follows it.
#include <cstdint>

#include "hls/device_layout.h"
#include "hls/kernel_phase.h"
#include "hls/kernel_timing_model.h"

namespace vp {

PhaseCycles sequential_phase_cycles(KernelPhase phase, const KernelDescriptor& d, uint32_t pos,
                                    const KernelMicroarch& m);

}  // namespace vp
