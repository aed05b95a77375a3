#pragma once
// The kernel's s_axi_control slave with the Vitis HLS register map, so the host driver sees
// what it would see on a real HLS export:
//   0x00 ap_ctrl  bit0 ap_start (R/W, set by host, cleared when the kernel accepts it unless
//                 auto_restart), bit1 ap_done (clear on read), bit2 ap_idle, bit3 ap_ready
//                 (clear on read), bit7 auto_restart (R/W)
//   0x04 GIE      bit0 global interrupt enable
//   0x08 IER      bit0 done, bit1 ready
//   0x0C ISR      bit0 done, bit1 ready; writing 1 toggles the bit
//   0x10...       arguments, 32-bit ones in one word, 64-bit ones as lo word then hi word
// The host reaches it over `s_axi_control`; the kernel uses the start/finish/argument API.
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include <cstdint>
#include <string>
#include <vector>

#include "models/config_fields.h"

namespace vp {

struct ControlRegsConfig {
  double access_ns = 10.0;  // AXI4-Lite register access time inside the kernel

  void validate(const std::string& prefix) const;
  // Keys prefix + key, e.g. "control.access_ns" (models/config_fields.h).
  static const ConfigFields<ControlRegsConfig>& fields();
};

class KernelControlRegs : public sc_core::sc_module {
 public:
  static constexpr uint32_t kApCtrl = 0x00;
  static constexpr uint32_t kGie = 0x04;
  static constexpr uint32_t kIer = 0x08;
  static constexpr uint32_t kIsr = 0x0C;
  static constexpr uint32_t kFirstArgument = 0x10;

  static constexpr uint32_t kApStart = 1u << 0;
  static constexpr uint32_t kApDone = 1u << 1;
  static constexpr uint32_t kApIdle = 1u << 2;
  static constexpr uint32_t kApReady = 1u << 3;
  static constexpr uint32_t kAutoRestart = 1u << 7;
  static constexpr uint32_t kIrqDone = 1u << 0;   // IER / ISR bits
  static constexpr uint32_t kIrqReady = 1u << 1;

  tlm_utils::simple_target_socket<KernelControlRegs> s_axi_control;
  sc_core::sc_out<bool> interrupt_o;  // level: high while GIE and (ISR & IER) != 0

  KernelControlRegs(const sc_core::sc_module_name& name, const ControlRegsConfig& config);

  // Declares an argument register: width 32 (one word) or 64 (lo at offset, hi at offset + 4).
  // Throws when the offset is below 0x10, not word aligned, or overlaps another argument, or
  // the name is taken or the width unsupported.
  void add_argument(const std::string& name, uint32_t offset, unsigned width_bits);

  // ---- kernel side ----
  // Notified (delta) when ap_start rises while the kernel is idle, and at finish() when a start
  // is already pending (auto_restart, or the host wrote ap_start during the run).
  const sc_core::sc_event& start_requested() const { return start_requested_; }
  bool start_pending() const { return ap_start_; }
  // The kernel takes its inputs: clears ap_start unless auto_restart, ap_idle = 0, ap_ready = 1.
  // Throws when no start is pending.
  void accept_start();
  // The run is over: ap_done = 1, ap_idle = 1, ISR done if enabled.
  void finish();
  uint32_t arg32(const std::string& name) const;  // 32-bit arguments only
  uint64_t arg64(const std::string& name) const;  // 64-bit, or a 32-bit one zero-extended

  bool interrupt_level() const;
  const ControlRegsConfig& config() const { return config_; }

 private:
  struct Argument {
    std::string name;
    uint32_t offset = 0;
    unsigned width_bits = 32;
    uint64_t value = 0;
  };

  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  unsigned transport_dbg(tlm::tlm_generic_payload& trans);

  // Register reads with side effects (clear-on-read) and without; false for an unknown offset.
  bool read_register(uint32_t offset, uint32_t& value);
  bool peek_register(uint32_t offset, uint32_t& value) const;
  bool write_register(uint32_t offset, uint32_t value);
  // The argument holding word `offset`, or nullptr; `high` says whether it is the upper word.
  Argument* argument_at(uint32_t offset, bool& high);
  const Argument* argument_at(uint32_t offset, bool& high) const;
  const Argument& argument(const std::string& name) const;

  void request_interrupt_update() { interrupt_changed_.notify(sc_core::SC_ZERO_TIME); }
  // The one process driving interrupt_o (host and kernel threads both change its inputs).
  void drive_interrupt();

  ControlRegsConfig config_;
  bool ap_start_ = false;
  bool ap_done_ = false;
  bool ap_idle_ = true;
  bool ap_ready_ = false;
  bool auto_restart_ = false;
  uint32_t gie_ = 0;
  uint32_t ier_ = 0;
  uint32_t isr_ = 0;
  std::vector<Argument> arguments_;
  sc_core::sc_event start_requested_;
  sc_core::sc_event interrupt_changed_;
};

}  // namespace vp
