#pragma once
// Adapter of the Verilated Llama kernel rtl/llama_kernel.sv for VerilatedKernel, like
// StreamCopyRtlTop: a template over the generated class (LlamaRtlTop<Vllama_kernel>), so a
// variant Verilated with other parameters (-G) shares it. Masters in socket order
// m_axi_gmem_w0, m_axi_gmem_kv, m_axi_gmem_out (hls/kernel_phase.h port numbering for one
// weight port). kernel_phase_o / kernel_layer_o say where a run is, for the call records.
#include "models/verilated/verilated_top.h"

namespace vp {

template <class Model>
class LlamaRtlTop : public VerilatedTopModel<Model> {
 public:
  static constexpr unsigned kControlAddressBits = 7;  // CTRL_ADDR_WIDTH: registers up to 0x7C

  LlamaRtlTop() : VerilatedTopModel<Model>("llama_kernel") {
    Model& m = this->model();
    VerilatedTopPorts& p = this->ports_;
    p.clock = PinRef(m.ap_clk);
    p.reset_n = PinRef(m.ap_rst_n);
    p.interrupt = PinRef(m.__SYM__interrupt);  // Verilator renames the C++-reserved word
    p.idle = PinRef(m.ap_idle);
    p.control = VP_AXI_LITE_PINS(m, s_axi_control);
    p.control_address_bits = kControlAddressBits;
    p.masters.emplace_back("m_axi_gmem_w0", VP_AXI_MASTER_PINS(m, m_axi_gmem_w0));
    p.masters.emplace_back("m_axi_gmem_kv", VP_AXI_MASTER_PINS(m, m_axi_gmem_kv));
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
