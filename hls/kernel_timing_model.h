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
#include "hls/fp32_pipeline_latency.h"
#include "hls/hlstransform_schedule.h"
#include "hls/kernel_phase.h"

namespace vp {

// How the fp32 vector unit runs the non-matmul operations:
//   sequential: rtl/llama_vector_unit.sv: one command at a time, its element loops and Q8_0
//               quantization fp_lanes (a power of two <= 32) elements a cycle (sums at most 16)
//               (rtl/llama_vector_stream.sv, rtl/llama_quantize.sv; the RTL kernel's cycles, see
//               hls/sequential_timing_model.h)
//   pipelined:  an HLS-style unit of fp_lanes lanes with II=1 loops (not in RTL; a what-if)
//   hlstransform: the whole kernel as HLSTransform's forward.cpp under Vitis HLS (not in RTL;
//               hls/hlstransform_timing_model.h, parameters in `hlstransform`)
enum class VectorUnitKind : uint8_t { kSequential, kPipelined, kHlsTransform };

struct KernelMicroarch {
  uint32_t mac_lanes = 64;       // int8 MACs per cycle per weight port
  VectorUnitKind vector_unit = VectorUnitKind::kSequential;
  uint32_t fp_lanes = 16;        // fp32 vector-unit lanes (element loops and quantization)
  uint32_t accumulators = 8;     // matmul rows whose fp32 group accumulation overlaps (rtl/llama_gemv.sv)
  uint32_t memory_latency = 12;  // cycles from a blocking request to its first burst's service (sequential model;
                                 // measured: u280 HBM, rtl mode, tiny shape; the first burst's bytes at
                                 // memory_bytes_per_cycle come on top; checked on stories260K and 110M)
  // Bytes the memory behind the kernel's ports serves per kernel cycle at its peak (the
  // platform sets it from the weights' channel: hbm/ddr bus width x data rate / tCK over
  // kernel.clock_mhz); a stream's first beat waits for its whole first burst at this rate.
  double memory_bytes_per_cycle = 64;
  uint32_t fadd_latency = 4;     // cycles, pipelined fp32 adder
  uint32_t fmul_latency = 3;     // cycles, pipelined fp32 multiplier
  uint32_t exp_latency = fp::kExpPipelineLatency;           // rtl/fp32_exp_pipeline.sv
  uint32_t recip_latency = fp::kReciprocalPipelineLatency;  // rtl/fp32_reciprocal_pipeline.sv
  uint32_t rsqrt_latency = fp::kRsqrtPipelineLatency;       // rtl/fp32_rsqrt_pipeline.sv
  uint32_t div_latency = fp::kDivLatency;                   // rtl/fp32_div.sv
  uint32_t round_latency = fp::kRoundExactLatency;          // rtl/fp32_round_exact.sv
  uint32_t matmul_latency = 16;  // MAC adder tree + int32->fp32 + two scaling multiplies + accumulate
  uint32_t phase_overhead = 4;   // sequencer cycles between phases
  // sequential: beats each weight port reads ahead of its matmul engine into its beat FIFO
  // (rtl/llama_weight_prefetch.sv, llama_kernel's PREFETCH_BEATS, which run.mode = rtl requires
  // this to equal); 0: none, each matmul's request waits its round trip. With a FIFO the matmul
  // starts on prefetched beats and only the last matmul's drain follows a phase's memory
  // (PhaseCycles::after_memory), and the fast kernel plays a matmul phase's first bursts (those
  // that fit the FIFO) in the phase before it, as the RTL reads them.
  uint32_t prefetch_beats = 512;
  HlsTransformSchedule hlstransform;  // kernel.hls_* (vector_unit = hlstransform only)

  void validate(const std::string& prefix) const;
};

// A phase's compute: the part that overlaps the phase's memory traffic (the phase ends when
// both are done) and the part that follows it (a sequential machine waiting on its own loads).
struct PhaseCycles {
  uint64_t overlapped = 0;
  uint64_t serial = 0;
  // Cycles the phase still needs once its last read beat is in, when that is not `serial`
  // (-1: `serial` if the phase has an overlapped part, else 0): with the weight prefetch
  // (prefetch_beats > 0) a matmul phase's matmuls start on prefetched beats, so only the last
  // one's drain follows the memory, and a phase would end at max(start + total, memory done +
  // tail()).
  int64_t after_memory = -1;
  uint64_t total() const { return overlapped + serial; }
  uint64_t tail() const {
    return after_memory >= 0 ? uint64_t(after_memory) : overlapped > 0 ? serial : 0;
  }
};

PhaseCycles phase_cycles(KernelPhase phase, const KernelDescriptor& d, uint32_t pos, const KernelMicroarch& m);
// Beats of a matmul phase's weight stream that each weight port would read during the phase
// before it (the sequential unit's prefetch; 0 for the other vector units, which model none).
inline uint32_t weight_prefetch_beats(const KernelMicroarch& m) {
  return m.vector_unit == VectorUnitKind::kSequential ? m.prefetch_beats : 0;
}
inline uint64_t phase_compute_cycles(KernelPhase phase, const KernelDescriptor& d, uint32_t pos,
                                     const KernelMicroarch& m) {
  return phase_cycles(phase, d, pos, m).total();
}

const char* vector_unit_name(VectorUnitKind kind);
// "sequential" | "pipelined" | "hlstransform"; throws naming `key`.
VectorUnitKind parse_vector_unit(const std::string& text, const std::string& key);

// Datapath actions of one phase of the same microarchitecture, for the power model
// (models/kernel/power_model.h). Counted from the operations of hls/llama_kernel.h and
// hls/llama_arith.h: a matmul is rows*cols int8 MACs plus, per group, two fp32 multiplies
// (weight and activation scales) and one fp32 accumulate. fp32 compares and the rounding
// add of quantization count as adds; sign flips, abs and int<->fp conversions are free.
// exp/reciprocal/rsqrt are counted as calls of their units (hls/fp32_math.h), not as the
// adds and multiplies inside them. On-chip buffers (BRAM/URAM) are counted in 32-bit
// words: every AXI read lands in a buffer (weight row, RMS weights, KV row, RoPE row) and
// is read from it; int8 vectors are read mac_lanes bytes at a time, as the MAC engine does.
struct KernelActionCounts {
  uint64_t int8_macs = 0;
  uint64_t fp32_adds = 0;
  uint64_t fp32_muls = 0;
  uint64_t exp_ops = 0, recip_ops = 0, rsqrt_ops = 0;
  uint64_t buffer_read_words = 0, buffer_write_words = 0;

  KernelActionCounts& operator+=(const KernelActionCounts& o);
  bool operator==(const KernelActionCounts& o) const;
  bool operator!=(const KernelActionCounts& o) const { return !(*this == o); }
};

KernelActionCounts phase_action_counts(KernelPhase phase, const KernelDescriptor& d, uint32_t pos,
                                       const KernelMicroarch& m);

}  // namespace vp
