#pragma once
// What the SoC needs from a kernel, whichever model runs it: the fast kernel
// (models/kernel/fast_kernel.h) or the Verilated RTL (models/verilated/llama_rtl_kernel.h).
// Each model owns its s_axi_control register block with the argument registers it declares, its
// m_axi masters and its interrupt; the platform binds them (platform/soc.cpp) and reads the call
// records, so it never needs to know which model it holds.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <vector>

#include <systemc>
#include <tlm>

#include "models/kernel/kernel_arguments.h"
#include "models/kernel/kernel_call_record.h"

namespace vp {

class KernelModel {
 public:
  virtual ~KernelModel() = default;

  // s_axi_control (AXI4-Lite target, the Vitis HLS register map of models/kernel/kernel_control_regs.h):
  // bind the host's MMIO initiator (PcieDma::to_mmio) here.
  virtual tlm::tlm_target_socket<>& control_socket() = 0;
  // The argument registers of that block (at 0x10 and up).
  virtual const std::vector<KernelArgumentRegister>& argument_registers() const = 0;
  // The m_axi masters m_axi_w0..w{P-1}, m_axi_kv, m_axi_out (hls/kernel_phase.h port order): bind
  // each to the interconnect, in that order.
  virtual size_t master_count() const = 0;
  virtual tlm::tlm_initiator_socket<>& master_socket(size_t port) = 0;
  // The level interrupt: high while GIE and (ISR & IER) != 0.
  virtual sc_core::sc_out<bool>& interrupt() = 0;

  // One record per finished call, in order.
  virtual const std::vector<KernelCallRecord>& calls() const = 0;
  // Data beats moved on the m_axi masters so far (read and write; the power model's AXI energy).
  virtual uint64_t axi_beats() const = 0;
  // Where the kernel is and what its ports still wait for, for a hang report.
  virtual std::string hang_report() const = 0;
  // Called on the first failure inside the kernel (refused call, bus error, protocol violation);
  // the kernel then raises no done, as hardware would hang.
  virtual void set_error_handler(std::function<void(const std::string&)> handler) = 0;
};

// The concrete model behind `kernel`, for tests that need its own API; throws std::logic_error
// naming both types when it is another model.
template <class Model>
Model& kernel_as(KernelModel& kernel) {
  if (auto* model = dynamic_cast<Model*>(&kernel)) return *model;
  throw std::logic_error(std::string("kernel_as: the kernel is a ") + typeid(kernel).name() + ", not a " +
                         typeid(Model).name());
}

}  // namespace vp
