#pragma once
// Adapter of the Verilated Llama kernel rtl/llama_kernel.sv for VerilatedKernel, like
// StreamCopyRtlTop: a template over the generated class, its WEIGHT_PORTS and its KV_PORTS
// (LlamaRtlTop<Vllama_kernel, 1, 1>), so a variant Verilated with other parameters (-G) shares it.
// Masters in socket order m_axi_gmem_w0 .. w{W-1} (lanes of the vector ports m_axi_gmem_w_*),
// m_axi_gmem_kv (one KV port) or m_axi_gmem_kv0 .. kv{P-1} (lanes of the vector ports
// m_axi_gmem_kv_*), m_axi_gmem_out (hls/kernel_phase.h port numbering: kv_port(W, p) = W + p,
// out_port(W, P) = W + P). kernel_phase_o /
// kernel_layer_o say where a run is, for the call records.
#include <string>

#include "models/verilated/verilated_top.h"

namespace vp {

template <class Model, unsigned kWeightPorts, unsigned kKvPorts = 1>
class LlamaRtlTop : public VerilatedTopModel<Model> {
 public:
  static_assert(kKvPorts >= 1 && kKvPorts <= 16 && (kKvPorts & (kKvPorts - 1)) == 0,
                "KV_PORTS is 1, 2, 4, 8 or 16");
  // CTRL_ADDR_WIDTH = $clog2(0x39 + 8 * WEIGHT_PORTS + 16 * (KV_PORTS - 1)): registers up to the
  // last KV port's value_cache high word
  static constexpr unsigned kControlAddressBits = [] {
    unsigned bits = 0;
    while ((1u << bits) < 0x39u + 8u * kWeightPorts + 16u * (kKvPorts - 1)) ++bits;
    return bits;
  }();
  static constexpr uint32_t kDataBytes = 64;  // DATA_WIDTH 512

  LlamaRtlTop() : VerilatedTopModel<Model>("llama_kernel") {
    Model& m = this->model();
    VerilatedTopPorts& p = this->ports_;
    this->bind_vitis_control(kControlAddressBits);
    for (unsigned port = 0; port < kWeightPorts; ++port)
      p.masters.emplace_back("m_axi_gmem_w" + std::to_string(port),
                             VP_AXI_READ_LANE_PINS(m, m_axi_gmem_w, port, kDataBytes));
    for (unsigned port = 0; port < kKvPorts; ++port)
      p.masters.emplace_back(kKvPorts == 1 ? std::string("m_axi_gmem_kv") : "m_axi_gmem_kv" + std::to_string(port),
                             VP_AXI_LANE_PINS(m, m_axi_gmem_kv, port, kDataBytes));
    p.masters.emplace_back("m_axi_gmem_out", VP_AXI_MASTER_PINS(m, m_axi_gmem_out));
    phase_ = PinRef(m.kernel_phase_o);
    layer_ = PinRef(m.kernel_layer_o);
  }

  // hls/kernel_phase.h KernelPhase value of the running phase, and its layer (0 outside layers).
  PinRef phase_pin() const { return phase_; }
  PinRef layer_pin() const { return layer_; }

 private:
  PinRef phase_, layer_;
};

}  // namespace vp
