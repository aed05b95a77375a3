#pragma once
// The phases of one kernel call, in execution order: the unit of the timing model, of the
// per-layer report and of the timeline trace.
#include <cstdint>

namespace vp {

enum class KernelPhase : uint8_t {
  kLoadDescriptor,
  kEmbedding,
  kAttnRmsnorm,
  kQkvMatmul,
  kRopeKvWrite,
  kAttention,
  kWoMatmul,
  kFfnRmsnorm,
  kW13Matmul,
  kW2Matmul,
  kFinalRmsnorm,
  kClassifier,
};
constexpr int kKernelPhaseCount = 12;

inline const char* phase_name(KernelPhase p) {
  switch (p) {
    case KernelPhase::kLoadDescriptor: return "load_descriptor";
    case KernelPhase::kEmbedding: return "embedding";
    case KernelPhase::kAttnRmsnorm: return "attn_rmsnorm";
    case KernelPhase::kQkvMatmul: return "qkv_matmul";
    case KernelPhase::kRopeKvWrite: return "rope_kv_write";
    case KernelPhase::kAttention: return "attention";
    case KernelPhase::kWoMatmul: return "wo_matmul";
    case KernelPhase::kFfnRmsnorm: return "ffn_rmsnorm";
    case KernelPhase::kW13Matmul: return "w1_w3_matmul";
    case KernelPhase::kW2Matmul: return "w2_matmul";
    case KernelPhase::kFinalRmsnorm: return "final_rmsnorm";
    case KernelPhase::kClassifier: return "classifier";
  }
  return "unknown";
}

// Kernel AXI master ports: weight ports 0..P-1, then the KV-cache port, then the logits port.
inline uint32_t kv_port(uint32_t weight_ports) { return weight_ports; }
inline uint32_t out_port(uint32_t weight_ports) { return weight_ports + 1; }
inline uint32_t port_count(uint32_t weight_ports) { return weight_ports + 2; }

}  // namespace vp
