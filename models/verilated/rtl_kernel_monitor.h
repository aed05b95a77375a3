#pragma once
// Watches the RTL Llama kernel (models/verilated/verilated_kernel.h) from outside, so the platform gets the
// same per-call records (models/kernel/kernel_call_record.h) as from the fast kernel without the RTL knowing:
//  - it sits on the MMIO path (PcieDma::to_mmio -> from_host, to_kernel -> the kernel's
//    s_axi_control bridge), remembers the argument words the host writes (decoded with the argument
//    registers of models/kernel/kernel_arguments.h, the RTL's register map), and when the host
//    writes ap_start hands the arguments to a start check that may refuse the call (the RTL is
//    then never started and the error handler gets the message, as a hung kernel would);
//  - at every clock edge it follows ap_idle (a call runs from the edge it falls to the edge it
//    rises) and kernel_phase_o / kernel_layer_o (one PhaseRecord per phase, with the bytes the
//    m_axi bridges moved meanwhile), and stops on the first bus error a bridge reports.
// compute_cycles come from the timing model (hls/kernel_timing_model.h) of the same phases: the
// RTL has no such counter; they are the model's estimate of the cycles without memory stalls.
#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "hls/device_layout.h"
#include "hls/kernel_timing_model.h"
#include "hls/llama_kernel.h"
#include "models/kernel/kernel_arguments.h"
#include "models/kernel/kernel_call_record.h"
#include "models/verilated/verilated_kernel.h"

namespace vp {

// Status outputs of the top: ap_idle, kernel_phase_o (hls/kernel_phase.h value), kernel_layer_o.
struct RtlKernelStatusPins {
  PinRef idle, phase, layer;
};

class RtlKernelMonitor : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<RtlKernelMonitor> from_host;     // bind PcieDma::to_mmio here
  tlm_utils::simple_initiator_socket<RtlKernelMonitor> to_kernel;  // bind to VerilatedKernel::control().socket

  // Returns the call's descriptor, or throws std::runtime_error to refuse the start.
  using StartCheck = std::function<KernelDescriptor(const KernelArgs&)>;

  // The kernel (whose model `pins` point into) must outlive this.
  RtlKernelMonitor(const sc_core::sc_module_name& name, VerilatedKernel& kernel, const RtlKernelStatusPins& pins,
                   uint32_t weight_ports, uint32_t kv_ports, const KernelMicroarch& microarch, StartCheck check);

  const std::vector<KernelCallRecord>& calls() const { return calls_; }
  // "layer 3 phase attention" while a call runs, "idle" otherwise.
  std::string state() const;
  // Refused starts and bus errors; default: SC_REPORT_ERROR.
  void set_error_handler(std::function<void(const std::string&)> handler) { on_error_ = std::move(handler); }
  // The arguments as last written by the host.
  KernelArgs args() const;

 private:
  static constexpr uint32_t kArgWords = 32;  // 0x10 .. 0x8C: registers beyond them read as 0

  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  void on_edge(uint64_t edge, const sc_core::sc_time& at);
  void open_phase(KernelPhase phase, int layer, const sc_core::sc_time& at);
  void close_phase(const sc_core::sc_time& at);
  uint64_t bytes_read() const;
  uint64_t bytes_written() const;
  void fail(const std::string& message);

  VerilatedKernel& kernel_;
  RtlKernelStatusPins pins_;
  std::vector<KernelArgumentRegister> arguments_;
  KernelMicroarch microarch_;
  StartCheck check_;
  std::function<void(const std::string&)> on_error_;
  std::array<uint32_t, kArgWords> arg_words_{};

  bool started_ = false;  // the host's ap_start went to the RTL; the call begins when ap_idle falls
  bool busy_ = false;
  bool failed_ = false;
  KernelDescriptor desc_{};
  KernelCallRecord call_;
  uint64_t call_start_edge_ = 0;
  PhaseRecord phase_record_;
  uint32_t phase_value_ = 0, layer_value_ = 0;
  uint64_t phase_read_base_ = 0, phase_write_base_ = 0;
  std::vector<KernelCallRecord> calls_;
};

}  // namespace vp
