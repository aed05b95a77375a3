#pragma once
// The Llama 2 forward-pass kernel, Vitis HLS style. One call = one token at one position.
// It is written against a memory-port object `Mem` so the same source runs as a native
// C-simulation (hls/csim_memory.h) and as the platform's fast-mode kernel (models/kernel/fast_kernel),
// where every read and write becomes AXI bursts through the TLM interconnect and memory models:
//   void Mem::read(uint32_t port, uint64_t addr, void* dst, uint32_t bytes);
//   void Mem::write(uint32_t port, uint64_t addr, const void* src, uint32_t bytes);
//   void Mem::phase(KernelPhase phase, int layer);  // marks the start of a phase
//   void Mem::finish();                              // marks the end of the call
//   bool Mem::computes() const;  // optional, default true; false: a timing-only run (run.functional
//                                // = off) where the kernel makes every access but skips the arithmetic
// Vitis synthesis view: weight ports w0..w{P-1} are m_axi bundles gmem_w<p> (rows interleaved
// over them, hls/device_layout.h; burst 256, outstanding reads from config), key/value caches
// share bundle gmem_kv, logits use gmem_out; scalars and pointers sit in s_axi_control
// (register map: hls/device_layout.h).
// The arithmetic is hls/llama_arith.h, in the order of sw/golden_model (the numerical spec).
#include <cstdint>
#include <cstring>
#include <vector>

#include "hls/device_layout.h"
#include "hls/kernel_phase.h"
#include "hls/llama_arith.h"

namespace vp {

// On-chip buffer capacities: compile-time constants in the synthesized kernel; a descriptor
// that exceeds them is refused, as the hardware could not hold the activations.
constexpr uint32_t kMaxDim = 4096;
constexpr uint32_t kMaxHidden = 16384;
constexpr uint32_t kMaxSeqLen = 4096;
constexpr uint32_t kMaxHeads = 64;

struct KernelArgs {
  uint32_t token = 0;
  uint32_t pos = 0;
  // KV port p's caches, each [n_layers][kv_rows_per_port][kv_dim] fp32 holding the positions
  // t % kv_ports == p (hls/device_layout.h)
  uint64_t key_cache[kMaxKvPorts] = {};
  uint64_t value_cache[kMaxKvPorts] = {};
  uint64_t logits = 0;       // [vocab_size] fp32 on the output port
  uint64_t weights[kMaxWeightPorts] = {};
};

// Checks a descriptor against its own consistency and the on-chip capacities; throws
// std::runtime_error naming the field.
void validate_descriptor(const KernelDescriptor& d);
// Checks token/pos against the descriptor; throws naming the argument.
void validate_args(const KernelDescriptor& d, const KernelArgs& a);

// Activation buffers (BRAM/URAM in hardware), sized once per descriptor.
struct KernelBuffers {
  std::vector<float> x, xb, xb2, hb, hb2, q, k, v, att, xs, ws, rms, rope;
  std::vector<int8_t> xq;
  std::vector<uint8_t> row;
  void size_for(const KernelDescriptor& d);
};

namespace kernel_detail {

// Mem::computes() where the Mem declares it, else true.
template <class Mem>
auto computes(const Mem& mem, int) -> decltype(mem.computes()) { return mem.computes(); }
template <class Mem>
bool computes(const Mem&, long) { return true; }

struct Dims {
  uint32_t dim, hidden, layers, heads, kv_heads, vocab, seq, gs, ports, kv_ports, head_size, kv_dim;
  explicit Dims(const KernelDescriptor& d)
      : dim(d.dim), hidden(d.hidden_dim), layers(d.n_layers), heads(d.n_heads), kv_heads(d.n_kv_heads),
        vocab(d.vocab_size), seq(d.seq_len), gs(d.group_size), ports(d.weight_ports), kv_ports(d.kv_ports),
        head_size(d.dim / d.n_heads), kv_dim(d.dim / d.n_heads * d.n_kv_heads) {}
  // Position t's row in the key (or value) cache of its KV port, inside layer l; the port's number.
  uint64_t kv_row_offset(uint32_t l, uint32_t t) const {
    return (uint64_t(l) * kv_rows_per_port(seq, kv_ports) + kv_row_in_port(t, kv_ports)) * kv_dim * sizeof(float);
  }
  uint32_t kv_master(uint32_t t) const { return kv_port(ports, kv_port_of_position(t, kv_ports)); }
};

// Mem::view(port, addr, buffer, bytes) where the Mem declares it (a pointer to the bytes: in the
// memory itself, as the fast kernel's DMI gives them, or read into `buffer`), else Mem::read into
// `buffer`. Only a simulation speed-up: the same access either way.
template <class Mem>
auto read_view(Mem& mem, uint32_t port, uint64_t addr, void* buffer, uint32_t bytes, int)
    -> decltype(mem.view(port, addr, buffer, bytes)) {
  return mem.view(port, addr, buffer, bytes);
}
template <class Mem>
const void* read_view(Mem& mem, uint32_t port, uint64_t addr, void* buffer, uint32_t bytes, long) {
  mem.read(port, addr, buffer, bytes);
  return buffer;
}

// Reads one Q8_0 row of `cols`: its int8 values (returned; in b.row or in place) and its scales
// into b.ws.
template <class Mem>
const int8_t* read_q8_row(Mem& mem, uint32_t port, uint64_t addr, uint32_t cols, uint32_t gs, KernelBuffers& b) {
  const uint64_t stride = q8_row_stride(cols, gs);
  const auto* row =
      static_cast<const uint8_t*>(read_view(mem, port, addr, b.row.data(), static_cast<uint32_t>(stride), 0));
  std::memcpy(b.ws.data(), row + cols, (cols / gs) * sizeof(float));
  return reinterpret_cast<const int8_t*>(row);
}

// Q8_0 matrix-vector product out[r] = W[r,:] . x with x already in b.xq/b.xs.
template <class Mem>
void matmul_q8(Mem& mem, const KernelArgs& a, const Dims& d, KernelBuffers& b, uint64_t offset, uint32_t rows,
               uint32_t cols, float* out) {
  const uint64_t stride = q8_row_stride(cols, d.gs);
  const uint32_t per_port = rows_per_port(rows, d.ports);
  const bool compute = computes(mem, 0);
MATMUL_PORTS:
  for (uint32_t p = 0; p < d.ports; ++p) {  // one engine per port, all concurrent in hardware
  MATMUL_ROWS:
    for (uint32_t r = 0; r < per_port && r * d.ports + p < rows; ++r) {
#pragma HLS PIPELINE II = 1  // inner MAC loop unrolled by MAC_LANES (see hls/kernel_timing_model.h)
      const int8_t* wq = read_q8_row(mem, p, a.weights[p] + offset + r * stride, cols, d.gs, b);
      if (compute) out[r * d.ports + p] = arith::dot_q8_any(wq, b.ws.data(), b.xq.data(), b.xs.data(), cols, d.gs);
    }
  }
}

// RMSNorm with the weight vector at port-0 offset `weight_offset`, then Q8_0 quantization.
template <class Mem>
void rmsnorm_quantize(Mem& mem, const KernelArgs& a, const KernelDescriptor& desc, const Dims& d, KernelBuffers& b,
                      uint64_t weight_offset) {
  mem.read(0, a.weights[0] + weight_offset, b.rms.data(), d.dim * sizeof(float));
  if (!computes(mem, 0)) return;
  arith::rmsnorm(b.xb.data(), b.x.data(), b.rms.data(), d.dim, desc.inv_dim);
  arith::quantize(b.xq.data(), b.xs.data(), b.xb.data(), d.dim, d.gs);
}

}  // namespace kernel_detail

template <class Mem>
void llama_forward(Mem& mem, const KernelArgs& a, KernelBuffers& b) {
  using namespace kernel_detail;
  mem.phase(KernelPhase::kLoadDescriptor, -1);
  KernelDescriptor desc;
  mem.read(0, a.weights[0], &desc, sizeof desc);
  validate_descriptor(desc);
  validate_args(desc, a);
  b.size_for(desc);
  const Dims d(desc);
  const bool compute = computes(mem, 0);  // false: every access below, none of the arithmetic
  const uint32_t hs = d.head_size;
  const uint32_t kv_mul = d.heads / d.kv_heads;

  mem.phase(KernelPhase::kEmbedding, -1);
  {
    const uint32_t port = port_of_row(a.token, d.ports);
    const uint64_t addr =
        a.weights[port] + desc.off_embedding + uint64_t(row_in_port(a.token, d.ports)) * q8_row_stride(d.dim, d.gs);
    const int8_t* eq = read_q8_row(mem, port, addr, d.dim, d.gs, b);
  EMBED:
    for (uint32_t i = 0; compute && i < d.dim; ++i) b.x[i] = arith::dequant(eq[i], b.ws[i / d.gs]);
  }
  // This position's RoPE row: [head_size/2][cos, sin], read once per call.
  mem.read(0, a.weights[0] + desc.off_rope + uint64_t(a.pos) * hs * sizeof(float), b.rope.data(),
           hs * sizeof(float));

LAYERS:
  for (uint32_t l = 0; l < d.layers; ++l) {
    const uint64_t lo = l * desc.layer_stride;

    mem.phase(KernelPhase::kAttnRmsnorm, int(l));
    rmsnorm_quantize(mem, a, desc, d, b, desc.off_rms_att + uint64_t(l) * d.dim * sizeof(float));

    mem.phase(KernelPhase::kQkvMatmul, int(l));
    matmul_q8(mem, a, d, b, desc.off_wq + lo, d.dim, d.dim, b.q.data());
    matmul_q8(mem, a, d, b, desc.off_wk + lo, d.kv_dim, d.dim, b.k.data());
    matmul_q8(mem, a, d, b, desc.off_wv + lo, d.kv_dim, d.dim, b.v.data());

    mem.phase(KernelPhase::kRopeKvWrite, int(l));
  ROPE:
    for (uint32_t i = 0; compute && i < d.dim; i += 2) {
      const uint32_t pair = (i % hs) / 2;
      arith::rope_pair(&b.q[i], b.rope[2 * pair], b.rope[2 * pair + 1]);
      if (i < d.kv_dim) arith::rope_pair(&b.k[i], b.rope[2 * pair], b.rope[2 * pair + 1]);
    }
    const uint32_t row_bytes = d.kv_dim * sizeof(float);
    const uint32_t pos_port = kv_port_of_position(a.pos, d.kv_ports);
    mem.write(d.kv_master(a.pos), a.key_cache[pos_port] + d.kv_row_offset(l, a.pos), b.k.data(), row_bytes);
    mem.write(d.kv_master(a.pos), a.value_cache[pos_port] + d.kv_row_offset(l, a.pos), b.v.data(), row_bytes);

    mem.phase(KernelPhase::kAttention, int(l));
    // Scores of all heads per cached position: each key row is read once per layer.
  SCORES:
    for (uint32_t t = 0; t <= a.pos; ++t) {
      mem.read(d.kv_master(t), a.key_cache[kv_port_of_position(t, d.kv_ports)] + d.kv_row_offset(l, t), b.k.data(),
               row_bytes);
      for (uint32_t h = 0; compute && h < d.heads; ++h)
        b.att[h * d.seq + t] =
            arith::dot(&b.q[h * hs], &b.k[(h / kv_mul) * hs], static_cast<int>(hs)) * desc.inv_sqrt_head_size;
    }
  SOFTMAX:
    for (uint32_t h = 0; compute && h < d.heads; ++h) arith::softmax(&b.att[h * d.seq], static_cast<int>(a.pos + 1));
    if (compute) std::fill(b.xb.begin(), b.xb.begin() + d.dim, 0.0f);
  WEIGHTED_SUM:
    for (uint32_t t = 0; t <= a.pos; ++t) {
      mem.read(d.kv_master(t), a.value_cache[kv_port_of_position(t, d.kv_ports)] + d.kv_row_offset(l, t), b.v.data(),
               row_bytes);
      for (uint32_t h = 0; compute && h < d.heads; ++h) {
        const float w = b.att[h * d.seq + t];
        const float* vh = &b.v[(h / kv_mul) * hs];
        for (uint32_t i = 0; i < hs; ++i) b.xb[h * hs + i] += w * vh[i];
      }
    }
    if (compute) arith::quantize(b.xq.data(), b.xs.data(), b.xb.data(), d.dim, d.gs);

    mem.phase(KernelPhase::kWoMatmul, int(l));
    matmul_q8(mem, a, d, b, desc.off_wo + lo, d.dim, d.dim, b.xb2.data());
  RESIDUAL_ATTN:
    for (uint32_t i = 0; compute && i < d.dim; ++i) b.x[i] = b.x[i] + b.xb2[i];

    mem.phase(KernelPhase::kFfnRmsnorm, int(l));
    rmsnorm_quantize(mem, a, desc, d, b, desc.off_rms_ffn + uint64_t(l) * d.dim * sizeof(float));

    mem.phase(KernelPhase::kW13Matmul, int(l));
    matmul_q8(mem, a, d, b, desc.off_w1 + lo, d.hidden, d.dim, b.hb.data());
    matmul_q8(mem, a, d, b, desc.off_w3 + lo, d.hidden, d.dim, b.hb2.data());
  SWIGLU:
    for (uint32_t i = 0; compute && i < d.hidden; ++i) b.hb[i] = arith::swiglu(b.hb[i], b.hb2[i]);
    if (compute) arith::quantize(b.xq.data(), b.xs.data(), b.hb.data(), d.hidden, d.gs);

    mem.phase(KernelPhase::kW2Matmul, int(l));
    matmul_q8(mem, a, d, b, desc.off_w2 + lo, d.dim, d.hidden, b.xb.data());
  RESIDUAL_FFN:
    for (uint32_t i = 0; compute && i < d.dim; ++i) b.x[i] = b.x[i] + b.xb[i];
  }

  mem.phase(KernelPhase::kFinalRmsnorm, -1);
  mem.read(0, a.weights[0] + desc.off_rms_final, b.rms.data(), d.dim * sizeof(float));
  if (compute) {
    arith::rmsnorm(b.x.data(), b.x.data(), b.rms.data(), d.dim, desc.inv_dim);
    arith::quantize(b.xq.data(), b.xs.data(), b.x.data(), d.dim, d.gs);
  }

  mem.phase(KernelPhase::kClassifier, -1);
  // Logits leave in row blocks as they are produced, so the output port streams beside the weights.
  const uint64_t stride = q8_row_stride(d.dim, d.gs);
  constexpr uint32_t kLogitBlock = 16;  // one 64-byte beat of fp32 logits
  float block[kLogitBlock] = {};
CLASSIFIER:
  for (uint32_t base = 0; base < d.vocab; base += kLogitBlock) {
    const uint32_t n = d.vocab - base < kLogitBlock ? d.vocab - base : kLogitBlock;
    for (uint32_t j = 0; j < n; ++j) {
      const uint32_t row = base + j;
      const uint32_t port = port_of_row(row, d.ports);
      const uint64_t addr = a.weights[port] + desc.off_classifier + row_in_port(row, d.ports) * stride;
      const int8_t* wq = read_q8_row(mem, port, addr, d.dim, d.gs, b);
      if (compute) block[j] = arith::dot_q8_any(wq, b.ws.data(), b.xq.data(), b.xs.data(), d.dim, d.gs);
    }
    mem.write(out_port(d.ports, d.kv_ports), a.logits + uint64_t(base) * sizeof(float), block, n * sizeof(float));
  }
  mem.finish();
}

}  // namespace vp
