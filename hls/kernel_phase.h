#pragma once
// The phases of one kernel call, in execution order: the unit of the timing model, of the
// per-layer report and of the timeline trace.
#include <cstdint>
#include <string>

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

// Kernel AXI master ports: weight ports 0..W-1, then the KV-cache ports W..W+P-1, then the logits port.
inline uint32_t kv_port(uint32_t weight_ports, uint32_t kv_port_index) { return weight_ports + kv_port_index; }
inline uint32_t out_port(uint32_t weight_ports, uint32_t kv_ports) { return weight_ports + kv_ports; }
inline uint32_t port_count(uint32_t weight_ports, uint32_t kv_ports) { return weight_ports + kv_ports + 1; }
// m_axi_w<p>, m_axi_kv (one KV port) or m_axi_kv<p>, m_axi_out.
inline std::string kernel_port_name(uint32_t port, uint32_t weight_ports, uint32_t kv_ports) {
  if (port < weight_ports) return "m_axi_w" + std::to_string(port);
  if (port < weight_ports + kv_ports)
    return kv_ports == 1 ? std::string("m_axi_kv") : "m_axi_kv" + std::to_string(port - weight_ports);
  return "m_axi_out";
}

}  // namespace vp
