#pragma once
// The platform's MMIO path into an RTL kernel: a TLM-2.0 target socket (bound to
// PcieDma::to_mmio, or a test's initiator) whose 32-bit register accesses are played on the pins
// of the Verilated s_axi_control AXI4-Lite slave. b_transport blocks the calling thread until
// the RTL has answered (B or R), so an access costs the cycles the RTL takes. Accesses from
// several threads are queued and played one at a time.
// Same rules as KernelControlRegs: single aligned 4-byte accesses without byte enables;
// SLVERR/DECERR from the RTL come back as TLM_ADDRESS_ERROR_RESPONSE (unknown register).
// No debug transport: a register read can have side effects (clear on read) and the RTL has no
// zero-time view.
//
// The owner (VerilatedKernel) calls drive() / sample() / edge() at every rising edge, like
// AxiTlmBridge, and is told through `wake` when a request arrives so it can restart a stopped
// clock.
#include <cstdint>
#include <deque>
#include <functional>
#include <string>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "models/axi/axi_protocol_checker.h"
#include "models/verilated/verilated_pins.h"

namespace vp {

class AxiLiteTlmBridge : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<AxiLiteTlmBridge> socket;

  // `address_bits`: width of the RTL's AWADDR/ARADDR; accesses above it are address errors.
  AxiLiteTlmBridge(const sc_core::sc_module_name& name, const AxiLitePins& pins, unsigned address_bits,
                   std::function<void()> wake);

  // Nothing is presented while the RTL is in reset.
  void drive(bool in_reset);
  const AxiPortSignals& sample(bool in_reset);
  void edge(const AxiPortSignals& s);

  bool idle() const { return queue_.empty(); }
  uint64_t reads() const { return reads_; }
  uint64_t writes() const { return writes_; }

 private:
  struct Request {
    bool write = false;
    uint32_t address = 0;
    uint32_t data = 0;
    bool address_done = false;  // AW or AR accepted
    bool data_done = false;     // W accepted (writes)
    uint32_t resp = 0;
    sc_core::sc_event done;
  };

  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);

  AxiLitePins pins_;
  unsigned address_bits_;
  std::function<void()> wake_;
  AxiPortSignals signals_;
  uint32_t w_data_sample_ = 0, r_data_sample_ = 0;
  std::deque<Request*> queue_;  // front: the access on the pins
  // The pins hold the idle values (nothing presented): the model never writes its inputs, so
  // drive() has nothing to do until an access comes (the port idles through almost every edge).
  bool driven_idle_ = false;
  uint64_t reads_ = 0, writes_ = 0;
};

}  // namespace vp
