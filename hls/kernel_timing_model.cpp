#include "hls/kernel_timing_model.h"

#include <stdexcept>

namespace vp {
namespace {

uint64_t ceil_div(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

struct Cost {
  const KernelDescriptor& d;
  const KernelMicroarch& m;

  uint64_t vec(uint64_t n) const { return ceil_div(n, m.fp_lanes); }
  uint64_t reduce_tree() const { return 3ull * m.fadd_latency; }
  // Max-abs pass, one reciprocal per group (pipelined across groups), scale-and-round pass.
  uint64_t quantize(uint64_t n) const { return vec(n) + m.recip_latency + vec(n) + m.fmul_latency; }
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
  positive(matmul_latency, "matmul_latency");
  if (mac_lanes > 4096) throw std::invalid_argument(prefix + "mac_lanes must be <= 4096");
  if (fp_lanes > 256) throw std::invalid_argument(prefix + "fp_lanes must be <= 256");
}

uint64_t phase_compute_cycles(KernelPhase phase, const KernelDescriptor& d, uint32_t pos, const KernelMicroarch& m) {
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
  return cycles + m.phase_overhead;
}

}  // namespace vp
