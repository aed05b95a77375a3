#pragma once
// Reading a Verilated AXI port's pins into the protocol checker's AxiPortSignals, for the bridges.
#include <cstdint>

#include "models/axi/axi_protocol_checker.h"
#include "models/verilated/verilated_pins.h"

namespace vp {

// What AXI4 and AXI4-Lite share (from AxiMasterPins or AxiLitePins): each channel's handshake, the
// addresses, the write strobes and the responses. Data and the AXI4 burst fields are the caller's.
// A payload is read only while its VALID is high: the checker and the bridges look at it only then
// (stability, handshakes), and an idle port, most ports most of the time, costs its five VALIDs.
template <class Pins>
void sample_axi_lite_signals(const Pins& pins, AxiPortSignals& s) {
  s.aw_valid = pins.awvalid.get();
  s.aw_ready = pins.awready.get();
  if (s.aw_valid) s.aw_addr = pins.awaddr.get();
  s.w_valid = pins.wvalid.get();
  s.w_ready = pins.wready.get();
  if (s.w_valid) s.w_strb = pins.wstrb.get();
  s.b_valid = pins.bvalid.get();
  s.b_ready = pins.bready.get();
  if (s.b_valid) s.b_resp = static_cast<uint32_t>(pins.bresp.get());
  s.ar_valid = pins.arvalid.get();
  s.ar_ready = pins.arready.get();
  if (s.ar_valid) s.ar_addr = pins.araddr.get();
  s.r_valid = pins.rvalid.get();
  s.r_ready = pins.rready.get();
  if (s.r_valid) s.r_resp = static_cast<uint32_t>(pins.rresp.get());
}

}  // namespace vp
