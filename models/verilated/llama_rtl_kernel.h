#pragma once
// The Verilated Llama kernel (rtl/llama_kernel.sv) as the SoC's kernel (models/kernel/kernel_model.h,
// run.mode = rtl): the Verilated variant for the configured weight ports in a VerilatedKernel (clock,
// s_axi_control and m_axi bridges, protocol checkers, VCD), watched by an RtlKernelMonitor on its MMIO
// path, which gives the call records and, before each start, holds the call against what the RTL can
// hold (models/verilated/llama_rtl_limits.h). The register block is the RTL's own s_axi_control, with
// the argument registers of models/kernel/kernel_arguments.h.
// A VCD window may open at the start of the call at one pos and close at the end of the call at another
// (vcd_start_token / vcd_stop_token) instead of at fixed times.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/kernel/fast_kernel.h"
#include "models/kernel/kernel_model.h"
#include "models/verilated/rtl_kernel_monitor.h"
#include "models/verilated/rtl_vcd_recorder.h"
#include "models/verilated/verilated_kernel.h"

namespace vp {

struct LlamaRtlKernelConfig {
  FastKernelConfig kernel;  // the kernel.* keys: refused unless they describe the RTL's microarchitecture
  bool run_ahead = true;    // VerilatedKernelConfig::run_ahead
  VcdWindow vcd;            // file, start and stop time
  // The pos of the call whose start opens the VCD window (overrides vcd.start) and of the one whose
  // end closes it; -1: the time window's.
  int64_t vcd_start_token = -1, vcd_stop_token = -1;
};

class LlamaRtlKernel final : public KernelModel {
 public:
  // Modules `name` (the Verilated kernel) and `name`_monitor, in the module being elaborated.
  LlamaRtlKernel(const std::string& name, const LlamaRtlKernelConfig& config);
  ~LlamaRtlKernel() override;

  // ---- KernelModel ----
  tlm::tlm_target_socket<>& control_socket() override { return monitor_->from_host; }
  const std::vector<KernelArgumentRegister>& argument_registers() const override { return arguments_; }
  size_t master_count() const override { return kernel_->master_count(); }
  tlm::tlm_initiator_socket<>& master_socket(size_t port) override { return kernel_->master(port).socket; }
  sc_core::sc_out<bool>& interrupt() override { return kernel_->interrupt_o; }
  const std::vector<KernelCallRecord>& calls() const override { return monitor_->calls(); }
  uint64_t axi_beats() const override;
  // The monitor's state, the clock cycle and what each port has in flight.
  std::string hang_report() const override;
  // Both the kernel's (protocol violations) and the monitor's (refused starts, bus errors).
  void set_error_handler(std::function<void(const std::string&)> handler) override;

  VerilatedKernel& verilated() { return *kernel_; }
  RtlKernelMonitor& monitor() { return *monitor_; }

 private:
  std::unique_ptr<VerilatedKernel> kernel_;
  std::unique_ptr<RtlKernelMonitor> monitor_;  // destroyed first: it holds the kernel
  std::vector<KernelArgumentRegister> arguments_;
};

}  // namespace vp
