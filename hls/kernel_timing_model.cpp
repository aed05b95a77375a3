#include "hls/kernel_timing_model.h"

#include <string>

#include <stdexcept>

#include "hls/hlstransform_timing_model.h"
#include "hls/llama_arith.h"
#include "hls/sequential_timing_model.h"

namespace vp {
namespace {

struct Cost {
  const KernelDescriptor& d;
  const KernelMicroarch& m;

  uint64_t vec(uint64_t n) const { return ceil_div(n, m.fp_lanes); }
  uint64_t reduce_tree() const { return 3ull * m.fadd_latency; }
  // Max-abs pass, one reciprocal per group (pipelined across groups), scale-and-round pass.
  // max|x|, scale = max / 127, then x / scale and its rounding per element.
  uint64_t quantize(uint64_t n) const { return vec(n) + m.div_latency + vec(n) + m.div_latency + m.round_latency; }
  // Sum of squares, rsqrt, scale pass, then quantization of the result.
  uint64_t rmsnorm_quantize(uint64_t n) const {
    return vec(n) + reduce_tree() + m.fadd_latency + m.rsqrt_latency + vec(n) + 2ull * m.fmul_latency + quantize(n);
  }
  // Rows split over the weight ports; each port's engine takes ceil(cols/mac_lanes) cycles a row.
  uint64_t matmul(uint64_t rows, uint64_t cols) const {
    return ceil_div(rows, d.weight_ports) * ceil_div(cols, m.mac_lanes) + m.matmul_latency;
  }
};

}  // namespace

void KernelMicroarch::validate(const std::string& prefix) const {
  auto positive = [&](uint32_t v, const char* key) {
    if (v == 0) throw std::invalid_argument(prefix + key + " must be positive");
  };
  positive(mac_lanes, "mac_lanes");
  positive(fp_lanes, "fp_lanes");
  positive(fadd_latency, "fadd_latency");
  positive(fmul_latency, "fmul_latency");
  positive(exp_latency, "exp_latency");
  positive(recip_latency, "recip_latency");
  positive(rsqrt_latency, "rsqrt_latency");
  positive(div_latency, "div_latency");
  positive(round_latency, "round_latency");
  positive(matmul_latency, "matmul_latency");
  positive(accumulators, "accumulators");
  if (accumulators > 64) throw std::invalid_argument(prefix + "accumulators must be <= 64");
  if (mac_lanes > 4096) throw std::invalid_argument(prefix + "mac_lanes must be <= 4096");
  if (fp_lanes > 256) throw std::invalid_argument(prefix + "fp_lanes must be <= 256");
  // The RTL's lanes (rtl/llama_vector_stream.sv, llama_quantize.sv) read one scratchpad window of
  // max(lanes, 16) banks a cycle, its reductions take whole 16-leaf subtrees, and its quantizer
  // writes a beat's codes into one MAC_LANES-byte xq word: more lanes, a lane count that is not a
  // power of two, or more lanes than MACs is a design the sequential unit cannot be.
  if (vector_unit == VectorUnitKind::kSequential &&
      (fp_lanes > 32 || (fp_lanes & (fp_lanes - 1)) != 0 || fp_lanes > mac_lanes))
    throw std::invalid_argument(prefix + "fp_lanes = " + std::to_string(fp_lanes) +
                                ": the RTL's vector unit (vector_unit = sequential) has 1, 2, 4, 8, 16 or 32 lanes, "
                                "at most mac_lanes (" + std::to_string(mac_lanes) +
                                "); vector_unit = pipelined models other what-ifs");
  if (prefetch_beats != 0 && prefetch_beats < 64)
    throw std::invalid_argument(prefix + "prefetch_beats must be 0 or >= 64 (one 4 KiB burst)");
  if (!(memory_bytes_per_cycle > 0)) throw std::invalid_argument(prefix + "memory_bytes_per_cycle must be > 0");
  if (vector_unit == VectorUnitKind::kHlsTransform) hlstransform.validate(prefix);
}

const char* vector_unit_name(VectorUnitKind kind) {
  switch (kind) {
    case VectorUnitKind::kSequential: return "sequential";
    case VectorUnitKind::kPipelined: return "pipelined";
    case VectorUnitKind::kHlsTransform: return "hlstransform";
  }
  return "unknown";
}

VectorUnitKind parse_vector_unit(const std::string& text, const std::string& key) {
  if (text == "sequential") return VectorUnitKind::kSequential;
  if (text == "pipelined") return VectorUnitKind::kPipelined;
  if (text == "hlstransform") return VectorUnitKind::kHlsTransform;
  throw std::invalid_argument("config key " + key + " = '" + text + "': expected sequential, pipelined or hlstransform");
}

PhaseCycles phase_cycles(KernelPhase phase, const KernelDescriptor& d, uint32_t pos, const KernelMicroarch& m) {
  if (m.vector_unit == VectorUnitKind::kSequential) return sequential_phase_cycles(phase, d, pos, m);
  if (m.vector_unit == VectorUnitKind::kHlsTransform) return hlstransform_phase_cycles(phase, d, pos, m);
  const Cost c{d, m};
  const uint64_t dim = d.dim, hidden = d.hidden_dim, heads = d.n_heads;
  const uint64_t head_size = d.dim / d.n_heads, kv_dim = head_size * d.n_kv_heads;
  const uint64_t positions = uint64_t(pos) + 1;
  uint64_t cycles = 0;
  switch (phase) {
    case KernelPhase::kLoadDescriptor: cycles = 1; break;
    case KernelPhase::kEmbedding: cycles = c.vec(dim) + m.fmul_latency; break;
    case KernelPhase::kAttnRmsnorm:
    case KernelPhase::kFfnRmsnorm:
    case KernelPhase::kFinalRmsnorm: cycles = c.rmsnorm_quantize(dim); break;
    case KernelPhase::kQkvMatmul: cycles = c.matmul(dim, dim) + 2 * c.matmul(kv_dim, dim); break;
    case KernelPhase::kRopeKvWrite: cycles = c.vec(dim) + m.fmul_latency + m.fadd_latency; break;
    case KernelPhase::kAttention: {
      const uint64_t per_position = heads * c.vec(head_size);  // one head-size dot (or axpy) per head
      const uint64_t scores = positions * per_position + c.reduce_tree() + m.fmul_latency;
      const uint64_t softmax = heads * (3 * c.vec(positions) + m.exp_latency + c.reduce_tree() + m.recip_latency);
      const uint64_t weighted = positions * per_position + m.fmul_latency + m.fadd_latency;
      cycles = scores + softmax + weighted + c.quantize(dim);
      break;
    }
    case KernelPhase::kWoMatmul: cycles = c.matmul(dim, dim) + c.vec(dim) + m.fadd_latency; break;
    case KernelPhase::kW13Matmul:
      cycles = 2 * c.matmul(hidden, dim) + c.vec(hidden) + m.exp_latency + m.recip_latency + 2ull * m.fmul_latency +
               c.quantize(hidden);
      break;
    case KernelPhase::kW2Matmul: cycles = c.matmul(dim, hidden) + c.vec(dim) + m.fadd_latency; break;
    case KernelPhase::kClassifier: cycles = c.matmul(d.vocab_size, dim); break;
  }
  return PhaseCycles{cycles + m.phase_overhead, 0};
}

KernelActionCounts& KernelActionCounts::operator+=(const KernelActionCounts& o) {
  int8_macs += o.int8_macs;
  fp32_adds += o.fp32_adds;
  fp32_muls += o.fp32_muls;
  exp_ops += o.exp_ops;
  recip_ops += o.recip_ops;
  rsqrt_ops += o.rsqrt_ops;
  buffer_read_words += o.buffer_read_words;
  buffer_write_words += o.buffer_write_words;
  return *this;
}

bool KernelActionCounts::operator==(const KernelActionCounts& o) const {
  return int8_macs == o.int8_macs && fp32_adds == o.fp32_adds && fp32_muls == o.fp32_muls && exp_ops == o.exp_ops &&
         recip_ops == o.recip_ops && rsqrt_ops == o.rsqrt_ops && buffer_read_words == o.buffer_read_words &&
         buffer_write_words == o.buffer_write_words;
}

namespace {

// Accumulates the actions of the kernel's building blocks, in the order llama_forward runs them.
struct Actions {
  const KernelDescriptor& d;
  const KernelMicroarch& m;
  KernelActionCounts a{};

  static uint64_t words(uint64_t bytes) { return ceil_div(bytes, 4); }
  // An int8 vector of n read by the MAC engine, mac_lanes bytes per access.
  uint64_t int8_vector_words(uint64_t n) const { return words(ceil_div(n, m.mac_lanes) * m.mac_lanes); }

  void matmul(uint64_t rows, uint64_t cols) {
    const uint64_t groups = cols / d.group_size;
    a.int8_macs += rows * cols;
    a.fp32_muls += rows * groups * 2;  // isum * w_scale * x_scale
    a.fp32_adds += rows * groups;      // val += ...
    // Per row: the burst fills the row buffer (stride bytes, padding included) and the
    // result is stored; the engine reads the weight row and the activation vector with
    // their scales.
    a.buffer_write_words += rows * (words(q8_row_stride(uint32_t(cols), d.group_size)) + 1);
    a.buffer_read_words += rows * (2 * int8_vector_words(cols) + 2 * groups);
  }
  void quantize(uint64_t n) {
    const uint64_t groups = n / d.group_size;
    a.fp32_adds += 4 * n;              // max-abs compare, two clamp compares, rounding add
    a.fp32_muls += n + 2 * groups;     // x * inv_scale; 127 * 1/max and max * 1/127 per group
    a.recip_ops += groups;
    a.buffer_read_words += 2 * n;      // max pass, scale pass
    a.buffer_write_words += words(n) + groups;
  }
  // Includes the fill of the RMS weight buffer from the AXI read.
  void rmsnorm(uint64_t n) {
    a.fp32_muls += 3 * n + 1;          // x*x, scale*x, weight*(..), sum*inv_n
    a.fp32_adds += n + (arith::kReduceLanes - 1) + 1;  // partial sums, tree, + 1e-5
    a.rsqrt_ops += 1;
    a.buffer_read_words += 3 * n;      // x for the sum, x and weight for the scale pass
    a.buffer_write_words += 2 * n;     // weight fill, output
  }
  void residual(uint64_t n) {
    a.fp32_adds += n;
    a.buffer_read_words += 2 * n;
    a.buffer_write_words += n;
  }
};

}  // namespace

KernelActionCounts phase_action_counts(KernelPhase phase, const KernelDescriptor& d, uint32_t pos,
                                       const KernelMicroarch& m) {
  Actions x{d, m};
  KernelActionCounts& a = x.a;
  const uint64_t dim = d.dim, hidden = d.hidden_dim, heads = d.n_heads, gs = d.group_size;
  const uint64_t head_size = d.dim / d.n_heads, kv_dim = head_size * d.n_kv_heads;
  const uint64_t positions = uint64_t(pos) + 1;
  const uint64_t tree = arith::kReduceLanes - 1;
  switch (phase) {
    case KernelPhase::kLoadDescriptor: a.buffer_write_words += Actions::words(sizeof(KernelDescriptor)); break;
    case KernelPhase::kEmbedding:
      // Embedding row into the row buffer, dequantized into x; this position's RoPE row.
      a.fp32_muls += dim;
      a.buffer_write_words += Actions::words(q8_row_stride(d.dim, d.group_size)) + dim + head_size;
      a.buffer_read_words += Actions::words(dim) + dim / gs;
      break;
    case KernelPhase::kAttnRmsnorm:
    case KernelPhase::kFfnRmsnorm:
    case KernelPhase::kFinalRmsnorm:
      x.rmsnorm(dim);
      x.quantize(dim);
      break;
    case KernelPhase::kQkvMatmul:
      x.matmul(dim, dim);
      x.matmul(kv_dim, dim);
      x.matmul(kv_dim, dim);
      break;
    case KernelPhase::kRopeKvWrite: {
      const uint64_t pairs = dim / 2 + kv_dim / 2;  // q pairs, then k pairs
      a.fp32_muls += 4 * pairs;
      a.fp32_adds += 2 * pairs;
      a.buffer_read_words += 4 * pairs + 2 * kv_dim;  // pair and its cos/sin; k and v rows out to the cache
      a.buffer_write_words += 2 * pairs;
      break;
    }
    case KernelPhase::kAttention: {
      // Scores: per cached position a key row fill, then a head-size dot and scaling per head.
      a.buffer_write_words += positions * (kv_dim + heads);
      a.buffer_read_words += positions * 2 * dim;
      a.fp32_muls += positions * (dim + heads);
      a.fp32_adds += positions * (dim + tree * heads);
      // Softmax per head over the positions: max, subtract-and-exp, sum, scale.
      a.fp32_adds += heads * (3 * positions + tree - 1);
      a.fp32_muls += heads * positions;
      a.exp_ops += heads * positions;
      a.recip_ops += heads;
      a.buffer_read_words += heads * 4 * positions;
      a.buffer_write_words += heads * 2 * positions;
      // Weighted sum: zero fill, then per position a value row fill and an axpy per head.
      a.buffer_write_words += dim + positions * (kv_dim + dim);
      a.buffer_read_words += positions * (heads + 2 * dim);
      a.fp32_muls += positions * dim;
      a.fp32_adds += positions * dim;
      x.quantize(dim);
      break;
    }
    case KernelPhase::kWoMatmul:
      x.matmul(dim, dim);
      x.residual(dim);
      break;
    case KernelPhase::kW13Matmul:
      x.matmul(hidden, dim);
      x.matmul(hidden, dim);
      // SwiGLU per element: exp(-h1), 1 + e, reciprocal, h1 * r, * h3.
      a.exp_ops += hidden;
      a.recip_ops += hidden;
      a.fp32_adds += hidden;
      a.fp32_muls += 2 * hidden;
      a.buffer_read_words += 2 * hidden;
      a.buffer_write_words += hidden;
      x.quantize(hidden);
      break;
    case KernelPhase::kW2Matmul:
      x.matmul(dim, hidden);
      x.residual(dim);
      break;
    case KernelPhase::kClassifier:
      x.matmul(d.vocab_size, dim);
      a.buffer_read_words += d.vocab_size;  // logit blocks out to the output port
      break;
  }
  return a;
}

}  // namespace vp
