#include "hls/hlstransform_timing_model.h"

#include <algorithm>
#include <stdexcept>

namespace vp {

void HlsTransformSchedule::validate(const std::string& prefix) const {
  auto width = [&](uint32_t v, const char* key) {
    if (v < 32 || v > 1024 || (v & (v - 1)) != 0)
      throw std::invalid_argument(prefix + key + " = " + std::to_string(v) + " must be a power of two from 32 to 1024");
  };
  auto range = [&](uint32_t v, uint32_t hi, const char* key) {
    if (v == 0 || v > hi)
      throw std::invalid_argument(prefix + key + " = " + std::to_string(v) + " outside 1.." + std::to_string(hi));
  };
  width(weights_maxi_bits, "hls_weights_maxi_bits");
  width(kv_maxi_bits, "hls_kv_maxi_bits");
  range(maxi_latency, 4096, "hls_maxi_latency");
  range(max_read_burst, 256, "hls_max_read_burst");
  range(max_write_burst, 256, "hls_max_write_burst");
  range(read_outstanding, 256, "max_outstanding");
  range(unroll, 4096, "hls_unroll");
  range(swiglu_unroll, 4096, "hls_swiglu_unroll");
  range(softmax_unroll, 4096, "hls_softmax_unroll");
}

namespace {

// The widest scalar on forward.cpp's interfaces (float, int): an m_axi bundle this wide is not widened.
constexpr uint32_t kScalarBits = 32;
// Auto-pipelining threshold (UG1399 syn.compile.pipeline_loops / config_compile -pipeline_loops, default 64).
constexpr uint64_t kAutoPipelineTrips = 64;

uint64_t ceil_log2(uint64_t n) {
  uint64_t bits = 0;
  while ((uint64_t(1) << bits) < n) ++bits;
  return bits;
}

struct Schedule {
  const KernelDescriptor& d;
  const KernelMicroarch& m;
  const HlsTransformSchedule& s;

  // UG1399: a pipelined loop of `trips` iterations.
  static uint64_t pipe(uint64_t trips, uint64_t ii, uint64_t depth) { return trips == 0 ? 0 : (trips - 1) * ii + depth; }
  // A loop below the auto-pipelining threshold: one iteration after another.
  static uint64_t serial(uint64_t trips, uint64_t latency) { return trips * latency; }

  // m_axi: data beats of a burst of n elements of `bits`, on a bundle `width` bits wide.
  static uint64_t beats(uint64_t n, uint32_t bits, uint32_t width) {
    return ceil_div(n, width > kScalarBits ? width / bits : 1);
  }
  // Cycles the read channel is busy for a burst of n elements: one beat a cycle, at most
  // read_outstanding requests (of max_read_burst beats) per maxi_latency cycles.
  uint64_t burst_read(uint64_t n, uint32_t bits, uint32_t width) const {
    const uint64_t b = beats(n, bits, width);
    return std::max(b, ceil_div(ceil_div(b, s.max_read_burst) * s.maxi_latency, s.read_outstanding));
  }
  uint64_t burst_write(uint64_t n, uint32_t bits, uint32_t width) const {
    const uint64_t b = beats(n, bits, width);
    return std::max(b, ceil_div(ceil_div(b, s.max_write_burst) * s.maxi_latency, s.read_outstanding));
  }
  // n accesses that are not a burst: one request each, one a cycle, read_outstanding per maxi_latency.
  uint64_t single_reads(uint64_t n) const { return std::max(n, ceil_div(n * s.maxi_latency, s.read_outstanding)); }
  // A memcpy from / to an m_axi bundle (one array in its region: a burst), with the round trip.
  uint64_t memcpy_read(uint64_t n, uint32_t width) const { return s.maxi_latency + burst_read(n, 32, width); }
  uint64_t memcpy_write(uint64_t n, uint32_t width) const { return s.maxi_latency + burst_write(n, 32, width); }
  // Accesses of a cyclic partition of factor f (dual-port banks) per cycle.
  static uint64_t partition_cycles(uint64_t accesses, uint64_t f) { return ceil_div(accesses, 2 * f); }

  // matmul<N, D> (forward.cpp): x_buff and xs_buff copies (UNROLL 16 and 4, on chip, fewer than 64
  // iterations: one a cycle), then the row loop, PIPELINE, with matmul1 (wq row, N int8), matmul2
  // (ws, N/GS floats), matmul3/4 unrolled into it. wq and ws share gmem0 in that region, so only the
  // row copy can burst (kernel.hls_row_burst); ws is N/GS single reads. Arrays: x_buffer cyclic 16,
  // w_buffer cyclic 32, ws_buffer cyclic 32, xs_buffer cyclic 4.
  uint64_t matmul_row_ii(uint64_t n) const {
    const uint64_t groups = n / d.group_size;
    const uint64_t port = s.row_burst ? burst_read(n, 8, s.weights_maxi_bits) + single_reads(groups)
                                      : single_reads(n + groups);
    return std::max({port, partition_cycles(n, 16), partition_cycles(n, 32), partition_cycles(groups, 32),
                     partition_cycles(groups, 4), uint64_t(1)});
  }
  uint64_t matmul_row_depth(uint64_t n) const {
    const uint64_t groups = n / d.group_size;
    // The row's reads arrive, the unrolled int8 products sum in a tree, val accumulates the groups
    // in order (isum * ws * xs: two multiplies, then one add per group on val), xout[i] is stored.
    return s.maxi_latency + matmul_row_ii(n) + ceil_log2(d.group_size) + 2ull * m.fmul_latency +
           groups * m.fadd_latency + 1;
  }
  uint64_t matmul(uint64_t n, uint64_t rows) const {
    const uint64_t copies = ceil_div(n, 16) + ceil_div(n / d.group_size, 4);
    return copies + pipe(rows, matmul_row_ii(n), matmul_row_depth(n));
  }

  // rmsnorm<S>: memcpy x (on chip, one word a cycle), memcpy weight (gmem0 burst), sum_of_squares
  // (PIPELINE, UNROLL 128: 128 chained adds on ss per iteration, the recurrence), ss / S + 1e-5,
  // 1 / sqrtf, norm_and_scale (PIPELINE, UNROLL 64), memcpy out (on chip).
  uint64_t rmsnorm(uint64_t n) const {
    const uint64_t chain = 128ull * m.fadd_latency;
    const uint64_t sum = pipe(ceil_div(n, 128), chain, m.fmul_latency + chain);
    const uint64_t scalar = m.div_latency + m.fadd_latency + m.rsqrt_latency + m.div_latency;
    const uint64_t norm = pipe(ceil_div(n, 64), 1, 2ull * m.fmul_latency + 2);
    return n + memcpy_read(n, s.weights_maxi_bits) + sum + scalar + norm + n;
  }
  // quantize<S> (forward.h): main_loop over groups, PIPELINE with UNROLL 8: the max and scale loops
  // unrolled into it (8 * 2 * GS reads of x per iteration, x partitioned cyclic UNROLL_FACTOR); a
  // group's max is a chain of GS compares, then wmax / 127, x / scale per element, round. Then the
  // copies of the quantized values and scales (on chip).
  uint64_t quantize(uint64_t n) const {
    const uint64_t gs = d.group_size, groups = n / gs;
    const uint64_t ii = std::max({partition_cycles(8 * 2 * gs, s.unroll), partition_cycles(8 * gs, 64), uint64_t(1)});
    const uint64_t depth = gs * m.fadd_latency + 2ull * m.div_latency + m.round_latency + 1;
    return pipe(ceil_div(groups, 8), ii, depth) + n + groups;
  }
  // residual loops: UNROLL factor f, fewer than 64 iterations (not pipelined): read x and xb
  // (cyclic UNROLL_FACTOR), add, write.
  uint64_t residual(uint64_t n, uint64_t f) const {
    const uint64_t trips = ceil_div(n, f);
    const uint64_t latency = partition_cycles(f, s.unroll) + m.fadd_latency + 1;
    return trips > kAutoPipelineTrips ? pipe(trips, partition_cycles(f, s.unroll), latency) : serial(trips, latency);
  }

  // Attention of one head over positions 0..pos.
  uint64_t score_ii() const {  // iterate: PIPELINE; key row of the head (strided by kv_dim per t) as one burst
    const uint64_t hs = d.dim / d.n_heads;
    return std::max({burst_read(hs, 32, s.kv_maxi_bits), partition_cycles(hs, s.unroll), uint64_t(1)});
  }
  uint64_t acc_ii() const {  // acc: PIPELINE; value row burst, xb[i] += a * v[i]: read and write xb, recurrence on xb
    const uint64_t hs = d.dim / d.n_heads;
    return std::max({burst_read(hs, 32, s.kv_maxi_bits), partition_cycles(2 * hs, s.unroll),
                     uint64_t(m.fadd_latency) + 2, uint64_t(1)});
  }
  uint64_t head(uint64_t positions) const {
    const uint64_t hs = d.dim / d.n_heads;
    const uint64_t su = s.softmax_unroll;
    // score: fully unrolled dot (a chain of head_size adds on score), score / sqrtf(head_size), store.
    const uint64_t scores =
        pipe(positions, score_ii(), s.maxi_latency + score_ii() + m.fmul_latency + hs * m.fadd_latency + m.div_latency + 1);
    // softmax<257>: max (PIPELINE, recurrence on max_val), exp (PIPELINE, UNROLL 16 into buffer[],
    // which is not partitioned: 2 writes a cycle), sum (no pragma, more than 64 iterations at most:
    // auto-pipelined at the recurrence on sum), 1.0 / sum, norm (PIPELINE, UNROLL 16, reads buffer[]).
    const uint64_t max_loop = pipe(positions - 1, m.fadd_latency, m.fadd_latency + 1);
    const uint64_t exp_loop = pipe(ceil_div(positions, su), ceil_div(su, 2), m.fadd_latency + m.exp_latency + 1);
    const uint64_t sum_loop = pipe(positions, m.fadd_latency, m.fadd_latency);
    const uint64_t norm_loop = pipe(ceil_div(positions, su), ceil_div(su, 2), m.fmul_latency + 2);
    const uint64_t softmax = max_loop + exp_loop + sum_loop + m.div_latency + norm_loop;
    // memset of the head's xb slice (one word a cycle), then the weighted sum.
    const uint64_t acc = pipe(positions, acc_ii(), s.maxi_latency + acc_ii() + m.fmul_latency + m.fadd_latency + 2);
    return scores + softmax + hs + acc;
  }
};

}  // namespace

PhaseCycles hlstransform_phase_cycles(KernelPhase phase, const KernelDescriptor& d, uint32_t pos,
                                      const KernelMicroarch& m) {
  const Schedule c{d, m, m.hlstransform};
  const HlsTransformSchedule& s = m.hlstransform;
  const uint64_t dim = d.dim, hidden = d.hidden_dim;
  const uint64_t head_size = d.dim / d.n_heads, kv_dim = head_size * d.n_kv_heads;
  uint64_t cycles = 0;
  switch (phase) {
    case KernelPhase::kLoadDescriptor: cycles = 1; break;  // forward.cpp has no descriptor: the start handshake
    case KernelPhase::kEmbedding:  // memcpy of the token's dequantized embedding row (dim floats) from gmem0
      cycles = c.memcpy_read(dim, s.weights_maxi_bits);
      break;
    case KernelPhase::kAttnRmsnorm:
    case KernelPhase::kFfnRmsnorm:
    case KernelPhase::kFinalRmsnorm: cycles = c.rmsnorm(dim) + c.quantize(dim); break;
    case KernelPhase::kQkvMatmul: cycles = c.matmul(dim, dim) + 2 * c.matmul(dim, kv_dim); break;
    case KernelPhase::kRopeKvWrite: {
      // rotation1: i < kv_dim step 2, PIPELINE with UNROLL UNROLL_FACTOR: q and k pairs read and
      // written (2 U reads + 2 U writes of each, cyclic U); rotation2: PIPELINE, II 1. Each pair:
      // head_dim / head_size, powf, 1 / powf, pos * freq, cosf and sinf, the rotation.
      const uint64_t depth = 2ull * m.div_latency + 2ull * m.exp_latency + 2ull * m.fmul_latency + m.fadd_latency + 2;
      const uint64_t rot1 = c.pipe(ceil_div(kv_dim / 2, s.unroll), Schedule::partition_cycles(4 * s.unroll, s.unroll), depth);
      const uint64_t rot2 = c.pipe((dim - kv_dim) / 2, 1, depth);
      // memcpy of the key and value rows to the caches (gmem), one after the other.
      cycles = rot1 + rot2 + 2 * c.memcpy_write(kv_dim, s.kv_maxi_bits);
      break;
    }
    case KernelPhase::kAttention:
      cycles = uint64_t(d.n_heads) * c.head(uint64_t(pos) + 1) + c.quantize(dim);
      break;
    case KernelPhase::kWoMatmul: cycles = c.matmul(dim, dim) + c.residual(dim, 64); break;  // residual: UNROLL 64
    case KernelPhase::kW13Matmul: {
      // swi_glu: PIPELINE, UNROLL 4: expf(-val), 1 + e, 1 / (..), two multiplies; memcpy hb_out -> hb (on chip).
      const uint64_t swiglu =
          c.pipe(ceil_div(hidden, s.swiglu_unroll), 1, m.exp_latency + m.fadd_latency + m.div_latency + 2ull * m.fmul_latency + 2);
      cycles = 2 * c.matmul(dim, hidden) + swiglu + hidden + c.quantize(hidden);
      break;
    }
    case KernelPhase::kW2Matmul: cycles = c.matmul(hidden, dim) + c.residual(dim, 16); break;  // residual2: UNROLL 16
    case KernelPhase::kClassifier: cycles = c.matmul(dim, d.vocab_size); break;
  }
  return PhaseCycles{cycles, 0};
}

}  // namespace vp
