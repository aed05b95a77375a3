#pragma once
// Where the model lives in device memory: the contract between the host's image builder
// (sw/device_image) and the kernel (hls/, rtl/). Matrices are Q8_0 rows, each row stored
// as `cols` int8 values followed by cols/group_size fp32 scales, padded to kRowAlign bytes,
// and row-interleaved over the weight ports: row r lives in port r % ports as that port's row
// r / ports, so P engines working through their ports' rows in order hand out their results
// in the matrix's row order (the RTL merges them round-robin into one in-order stream, which
// the logits port and the scratchpad take one a cycle). Every weight port's buffer has the
// same layout (same offsets), so one descriptor serves all of them.
// The key/value caches are position-interleaved over the KV ports: KV port p holds the positions
// t with t % P == p as its local row t / P, so P lanes of the attention unit take P consecutive
// positions at once, one from each port, and every sum still runs in position order.
#include <cstdint>

namespace vp {

constexpr uint32_t kDescriptorMagic = 0x414d4c4cu;  // "LLMA" little-endian
constexpr uint32_t kDescriptorVersion = 3;  // 3: kv_ports (2: rows interleaved over the ports; 1: in blocks)
constexpr uint32_t kRowAlign = 64;            // one 512-bit AXI beat
constexpr uint32_t kMaxWeightPorts = 32;
constexpr uint32_t kMaxKvPorts = 16;

// Fixed-size record at offset 0 of weight port 0's buffer; the kernel reads it on every call.
struct KernelDescriptor {
  uint32_t magic;
  uint32_t version;
  uint32_t dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len, group_size;
  uint32_t weight_ports;
  uint32_t kv_ports;         // KV-cache ports, a power of two (the caches' interleave)
  float inv_dim;             // 1.0f / dim, rounded once by the host
  float inv_sqrt_head_size;  // 1.0f / sqrtf(head_size)
  // Offsets inside port 0's buffer of the fp32 parameters.
  uint64_t off_rms_att;    // [n_layers][dim]
  uint64_t off_rms_ffn;    // [n_layers][dim]
  uint64_t off_rms_final;  // [dim]
  uint64_t off_rope;       // [seq_len][head_size/2][cos, sin]
  // Offsets inside every weight port's buffer of its row slice of each matrix.
  uint64_t off_embedding;  // token embedding (also the classifier when shared)
  uint64_t off_wq, off_wk, off_wv, off_wo, off_w1, off_w2, off_w3;  // layer 0; add l * layer_stride
  uint64_t layer_stride;
  uint64_t off_classifier;
  uint64_t port_buffer_bytes;  // size of each weight port's buffer
  uint8_t pad[256 - 14 * 4 - 15 * 8];
};
static_assert(sizeof(KernelDescriptor) == 256, "descriptor is one 256-byte record");

inline uint64_t ceil_div(uint64_t a, uint64_t b) { return (a + b - 1) / b; }
inline uint64_t align_up(uint64_t v, uint64_t a) { return ceil_div(v, a) * a; }

// Bytes of one stored Q8_0 row.
inline uint64_t q8_row_stride(uint32_t cols, uint32_t group_size) {
  return align_up(uint64_t(cols) + 4ull * (cols / group_size), kRowAlign);
}

inline uint32_t rows_per_port(uint32_t rows, uint32_t ports) { return (rows + ports - 1) / ports; }
// The weight port holding row r, and r's row index inside that port's slice.
inline uint32_t port_of_row(uint32_t row, uint32_t ports) { return row % ports; }
inline uint32_t row_in_port(uint32_t row, uint32_t ports) { return row / ports; }

// KV ports: a power of two up to kMaxKvPorts (the attention unit's lanes are one group of P
// positions; the scores of a group are one partial beat of the 16-word scratchpad).
inline bool valid_kv_ports(uint32_t p) { return p >= 1 && p <= kMaxKvPorts && (p & (p - 1)) == 0; }
// The KV port holding position t, t's row inside that port's cache, and the rows per layer of
// each port's cache (every port's cache has the same layout).
inline uint32_t kv_port_of_position(uint32_t t, uint32_t kv_ports) { return t % kv_ports; }
inline uint32_t kv_row_in_port(uint32_t t, uint32_t kv_ports) { return t / kv_ports; }
inline uint32_t kv_rows_per_port(uint32_t seq_len, uint32_t kv_ports) { return (seq_len + kv_ports - 1) / kv_ports; }
// Bytes of one port's key (or value) cache: [n_layers][kv_rows_per_port][kv_dim] fp32.
inline uint64_t kv_cache_bytes_per_port(uint32_t n_layers, uint32_t seq_len, uint32_t kv_dim, uint32_t kv_ports) {
  return uint64_t(n_layers) * kv_rows_per_port(seq_len, kv_ports) * kv_dim * sizeof(float);
}

// Kernel argument registers (s_axi_control offsets, Vitis style: 64-bit pointers as lo/hi words).
namespace kernel_args {
constexpr uint32_t kToken = 0x10;
constexpr uint32_t kPos = 0x18;
constexpr uint32_t kKeyCache = 0x20;
constexpr uint32_t kValueCache = 0x28;
constexpr uint32_t kLogits = 0x30;
constexpr uint32_t kWeights0 = 0x38;  // weight port p at kWeights0 + 8 * p
inline uint32_t weights(uint32_t port) { return kWeights0 + 8 * port; }
// KV port p's caches: port 0 at kKeyCache / kValueCache, port p >= 1 right after the last weight
// pointer (Vitis numbers arguments in order): key at 0x38 + 8 W + 16 (p - 1), value 8 bytes on.
inline uint32_t key_cache(uint32_t kv_port, uint32_t weight_ports) {
  return kv_port == 0 ? kKeyCache : weights(weight_ports) + 16 * (kv_port - 1);
}
inline uint32_t value_cache(uint32_t kv_port, uint32_t weight_ports) {
  return kv_port == 0 ? kValueCache : key_cache(kv_port, weight_ports) + 8;
}
}  // namespace kernel_args

}  // namespace vp
