#pragma once
// The `fast` fidelity kernel: the hls/ C++ kernel runs natively, on a host thread beside the SystemC
// thread that plays its timing (the same bursts at the same times as if one thread did both).
// Its functional reads and writes use the memory models' storage at once (debug transport, or a
// TLM DMI pointer for the matmul rows where the memory grants one: no copy);
// at every phase boundary the phase's accesses, coalesced and shaped into the same AXI bursts
// the hardware would issue, are played through the ports, interconnect and memory models,
// overlapped with the phase's compute cycles from hls/kernel_timing_model.
// With `functional` off (run.functional = off) the kernel makes the same accesses but moves no
// data and skips the arithmetic: the same bursts at the same times, so the same cycles and memory
// statistics, with no logits. Only the descriptor is still read, as it sets the loop bounds.
// The kernel owns its s_axi_control block (KernelControlRegs "control") and declares its argument
// registers there (models/kernel/kernel_arguments.h); the SoC reaches it as a KernelModel.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <systemc>

#include "hls/device_layout.h"
#include "hls/kernel_phase.h"
#include "hls/kernel_timing_model.h"
#include "hls/llama_kernel.h"
#include "models/axi/axi_master_port.h"
#include "models/config_fields.h"
#include "models/kernel/kernel_arguments.h"
#include "models/kernel/kernel_call_record.h"
#include "models/kernel/kernel_control_regs.h"
#include "models/kernel/kernel_model.h"

namespace vp {

struct FastKernelConfig {
  double clock_mhz = 300.0;
  uint32_t axi_data_bits = 512;
  uint32_t weight_ports = 1;
  uint32_t kv_ports = 1;  // KV-cache m_axi ports m_axi_kv0..: port i on channel kv_channel + i; position t on port t % kv_ports
  uint32_t max_outstanding = 16;
  KernelMicroarch microarch;
  bool functional = true;  // run.functional (the platform copies it in; not a kernel.* key)

  sc_core::sc_time cycle() const { return sc_core::sc_time(1000.0 / clock_mhz, sc_core::SC_NS); }
  void validate(const std::string& prefix) const;
  // The kernel.* keys of this struct and its microarch (models/kernel/fast_kernel_config.cpp).
  static const ConfigFields<FastKernelConfig>& fields();
};

class FastKernel : public sc_core::sc_module, public KernelModel {
 public:
  // m_axi_w0..w{P-1}, m_axi_kv, m_axi_out, in that order (hls/kernel_phase.h port numbering).
  std::vector<std::unique_ptr<AxiMasterPort>> ports;

  FastKernel(sc_core::sc_module_name name, const FastKernelConfig& config, const ControlRegsConfig& control = {});
  ~FastKernel() override;

  // ---- KernelModel ----
  tlm::tlm_target_socket<>& control_socket() override { return regs_.s_axi_control; }
  const std::vector<KernelArgumentRegister>& argument_registers() const override { return arguments_; }
  size_t master_count() const override { return ports.size(); }
  tlm::tlm_initiator_socket<>& master_socket(size_t port) override { return ports.at(port)->socket; }
  sc_core::sc_out<bool>& interrupt() override { return regs_.interrupt_o; }
  const std::vector<KernelCallRecord>& calls() const override { return calls_; }
  uint64_t axi_beats() const override;
  // state() and the bursts each port still has outstanding.
  std::string hang_report() const override;
  // Called when a call fails (bad descriptor or arguments, bus error): the kernel does not
  // raise done, as hardware would hang; the platform reports the message and stops.
  void set_error_handler(std::function<void(const std::string&)> handler) override { on_error_ = std::move(handler); }

  KernelControlRegs& control() { return regs_; }
  // Where the kernel is now, for a hang report: "layer 3 phase attention".
  std::string state() const;

 private:
  class PhaseTimedMemory;
  void run();
  KernelArgs read_args() const;
  // Ends the call's compute thread (at its next phase if it still runs) and drops its memory view.
  void stop_compute();
  struct ComputeGuard {
    explicit ComputeGuard(FastKernel& kernel) : k(kernel) {}
    ~ComputeGuard() { k.stop_compute(); }
    FastKernel& k;
  };

  FastKernelConfig config_;
  KernelControlRegs regs_;
  std::vector<KernelArgumentRegister> arguments_;
  KernelBuffers buffers_;
  std::vector<KernelCallRecord> calls_;
  std::function<void(const std::string&)> on_error_;
  KernelPhase current_phase_ = KernelPhase::kLoadDescriptor;
  int current_layer_ = -1;
  bool busy_ = false;
  // The call in flight: its memory view and the host thread running the functional kernel on it.
  std::unique_ptr<PhaseTimedMemory> memory_;
  std::thread compute_;
  std::atomic<bool> cancel_compute_{false};
};

}  // namespace vp
