#pragma once
// An RTL kernel in the SoC: a Verilated top (C++ model, no SystemC inside) clocked from one
// SC_METHOD, its s_axi_control reached through an AxiLiteTlmBridge target socket, each m_axi port
// through an AxiTlmBridge initiator socket, an AxiProtocolChecker on every port, the interrupt
// pin driven onto interrupt_o, and an optional VCD window (RtlVcdRecorder).
//
// Per rising edge at t: the bridges drive the model's inputs, the model settles with the clock
// low (dumped at t - half period), the ports are sampled and checked and the bridges take the
// edge's handshakes, then the clock rises (dumped at t). The first violation stops the clock and
// goes to the error handler (default: throw std::runtime_error with the message).
// The clock stops by itself after `quiet_cycles` edges in which the kernel's ap_idle was high
// and no port had anything in flight, and restarts on the clock grid at the next MMIO access, so
// a kernel waiting for the host costs no simulation time.
// Run-ahead (config.run_ahead): after an edge, while no port has anything accepted and not
// answered, no MMIO access is queued, and no other process in the simulation is due before the
// next edge, that edge cannot see anything the rest of the SoC does, so it is simulated at once
// (at its own time for the VCD, checkers and observers) instead of after a SystemC activation;
// an edge whose settled outputs start an AXI handshake is left to its own activation, and an
// interrupt change is written at its edge's time. Cycle counts and results are those of edge by
// edge simulation.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <systemc>

#include "models/verilated/axi_lite_tlm_bridge.h"
#include "models/axi/axi_protocol_checker.h"
#include "models/verilated/axi_tlm_bridge.h"
#include "models/verilated/rtl_vcd_recorder.h"
#include "models/verilated/verilated_top.h"

namespace vp {

struct VerilatedKernelConfig {
  double clock_mhz = 300.0;
  AxiBridgeConfig bridge;        // every m_axi port
  uint32_t reset_cycles = 4;     // ap_rst_n low for the first edges
  uint32_t quiet_cycles = 16;    // idle edges before the clock stops
  VcdWindow vcd;
  bool run_ahead = true;         // simulate edges nobody else can influence in one activation

  void validate(const std::string& prefix) const;
};

class VerilatedKernel : public sc_core::sc_module {
 public:
  sc_core::sc_out<bool> interrupt_o;

  VerilatedKernel(const sc_core::sc_module_name& name, std::unique_ptr<VerilatedTop> top,
                  const VerilatedKernelConfig& config);
  ~VerilatedKernel() override;

  // Bind control().socket to the MMIO initiator (PcieDma::to_mmio).
  AxiLiteTlmBridge& control() { return *control_; }
  // Bind master(i).socket to the interconnect; ports in the top's order.
  size_t master_count() const { return masters_.size(); }
  AxiTlmBridge& master(size_t i) { return *masters_.at(i); }
  const AxiProtocolChecker& master_checker(size_t i) const { return master_checkers_.at(i); }
  const AxiProtocolChecker& control_checker() const { return control_checker_; }
  // Add probes (e.g. memory channel activity) before the VCD window opens.
  RtlVcdRecorder& vcd() { return *vcd_; }

  void set_error_handler(std::function<void(const std::string&)> handler) { on_error_ = std::move(handler); }
  // Called after every rising edge with the edge's index (cycles()) and time, the model settled
  // with the clock high (e.g. to follow status outputs of the top).
  using EdgeObserver = std::function<void(uint64_t edge_index, const sc_core::sc_time& at)>;
  void add_edge_observer(EdgeObserver observer) { observers_.push_back(std::move(observer)); }
  const std::optional<AxiViolation>& violation() const { return violation_; }

  uint64_t clock_edges() const { return edges_; }           // edges simulated
  uint64_t cycles() const { return last_edge_index_; }      // clock periods up to the last edge, stops included
  sc_core::sc_time cycle() const { return period_; }
  bool clock_stopped() const { return stopped_; }

 private:
  void tick();
  // One rising edge at `at`: settle() drives the inputs and settles the model with the clock low
  // (idempotent while the bridges' state is unchanged),
  // finish_edge() samples, checks and hands over the edge's handshakes and raises the clock.
  void settle();
  void finish_edge(const sc_core::sc_time& at, uint64_t edge_index);
  // Whether the edge `ahead` after the current time may be simulated now (see run-ahead above).
  bool may_run_ahead(const sc_core::sc_time& ahead, uint64_t edges_ahead) const;
  // After settle(): an m_axi port presents AR, AW or W (the edge would start a transaction).
  bool master_handshake_presented() const;
  bool quiet() const;
  void wake();
  // Stops the clock for good and hands the violation to the error handler.
  void report(const AxiViolation& v);
  void end_of_simulation() override;

  std::unique_ptr<VerilatedTop> top_;
  const VerilatedTopPorts& ports_;
  VerilatedKernelConfig config_;
  uint64_t period_ps_;
  sc_core::sc_time period_, half_period_;
  std::unique_ptr<AxiLiteTlmBridge> control_;
  AxiProtocolChecker control_checker_;
  std::vector<std::unique_ptr<AxiTlmBridge>> masters_;
  std::vector<AxiProtocolChecker> master_checkers_;
  std::unique_ptr<RtlVcdRecorder> vcd_;

  sc_core::sc_event wake_event_;
  bool started_ = false;
  bool stopped_ = false;        // clock stopped while the kernel is idle
  uint64_t scheduled_edge_ = 0;   // index of the edge the method is triggered for
  bool failed_ = false;         // a violation stopped the clock for good
  uint64_t edges_ = 0;
  uint64_t last_edge_index_ = 0;  // the edge at last_edge_index_ * period
  uint32_t quiet_edges_ = 0;
  bool interrupt_ = false;
  bool interrupt_changed_ = false;        // by the last edge
  bool interrupt_write_pending_ = false;  // changed by a run-ahead edge: written at its time
  std::vector<EdgeObserver> observers_;
  std::optional<AxiViolation> violation_;
  std::function<void(const std::string&)> on_error_;
};

}  // namespace vp
