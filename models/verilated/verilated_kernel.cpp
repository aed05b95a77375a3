#include "models/verilated/verilated_kernel.h"

#include <cmath>
#include <stdexcept>

namespace vp {

void VerilatedKernelConfig::validate(const std::string& prefix) const {
  if (!std::isfinite(clock_mhz) || clock_mhz <= 0 || clock_mhz > 1e6)
    throw std::runtime_error("invalid configuration " + prefix + "clock_mhz: must be in (0, 1e6]");
  if (bridge.max_reads == 0) throw std::runtime_error("invalid configuration " + prefix + "max_reads: must be >= 1");
  if (bridge.max_writes == 0) throw std::runtime_error("invalid configuration " + prefix + "max_writes: must be >= 1");
  if (reset_cycles == 0) throw std::runtime_error("invalid configuration " + prefix + "reset_cycles: must be >= 1");
  if (quiet_cycles == 0) throw std::runtime_error("invalid configuration " + prefix + "quiet_cycles: must be >= 1");
}

namespace {

// Validates first: the period is computed from clock_mhz in the constructor's initializers.
uint64_t period_ps_of(const VerilatedKernelConfig& config, const std::string& name) {
  config.validate(name + ".");
  return static_cast<uint64_t>(std::llround(1e6 / config.clock_mhz));
}

}  // namespace

VerilatedKernel::VerilatedKernel(const sc_core::sc_module_name& name, std::unique_ptr<VerilatedTop> top,
                                 const VerilatedKernelConfig& config)
    : sc_module(name),
      interrupt_o("interrupt_o"),
      top_(std::move(top)),
      ports_(top_->ports()),
      config_(config),
      period_ps_(period_ps_of(config, this->name())),
      period_(double(period_ps_), sc_core::SC_PS),
      half_period_(double(period_ps_ / 2), sc_core::SC_PS),
      control_checker_(std::string(this->name()) + ".s_axi_control", AxiCheckerConfig{true, 4, 4096}) {
  if (period_ps_ < 2) throw std::runtime_error(std::string(this->name()) + ": clock period below 2 ps");
  if (!ports_.clock.bound() || !ports_.reset_n.bound())
    throw std::runtime_error(std::string(this->name()) + ": the Verilated top has no clock or reset pin bound");
  if (!config_.vcd.file.empty() && !top_->traceable())
    throw std::runtime_error(std::string(this->name()) + ": a VCD window needs a Verilated variant built with --trace");

  control_ = std::make_unique<AxiLiteTlmBridge>("s_axi_control", ports_.control, ports_.control_address_bits,
                                                [this] { wake(); });
  master_checkers_.reserve(ports_.masters.size());
  for (const auto& [port_name, pins] : ports_.masters) {
    masters_.push_back(std::make_unique<AxiTlmBridge>(port_name.c_str(), pins, config_.bridge));
    master_checkers_.emplace_back(std::string(this->name()) + "." + port_name,
                                  AxiCheckerConfig{false, pins.data_bytes(), 4096});
  }

  vcd_ = std::make_unique<RtlVcdRecorder>(config_.vcd);
  for (size_t i = 0; i < masters_.size(); ++i) {
    const std::string& port = ports_.masters[i].first;
    const AxiTlmBridge* m = masters_[i].get();
    vcd_->add_probe(port, "reads_in_flight", 16, [m] { return m->reads_in_flight(); });
    vcd_->add_probe(port, "writes_in_flight", 16, [m] { return m->writes_in_flight(); });
    vcd_->add_probe(port, "reads_in_memory", 16, [m] { return m->reads_in_memory(); });
    vcd_->add_probe(port, "writes_in_memory", 16, [m] { return m->writes_in_memory(); });
    vcd_->add_probe(port, "read_bytes", 64, [m] { return m->stats().read_bytes; });
    vcd_->add_probe(port, "write_bytes", 64, [m] { return m->stats().write_bytes; });
  }

  interrupt_o.initialize(false);
  SC_HAS_PROCESS(VerilatedKernel);
  SC_METHOD(tick);  // first edge at one period: next_trigger below
  ports_.clock.set(0);
  ports_.reset_n.set(0);
  top_->eval();
}

VerilatedKernel::~VerilatedKernel() {
  vcd_->close();
  top_->finish();
}

void VerilatedKernel::end_of_simulation() { vcd_->finish(*top_, sc_core::sc_time_stamp()); }

void VerilatedKernel::wake() {
  if (stopped_) wake_event_.notify(sc_core::SC_ZERO_TIME);
}

void VerilatedKernel::tick() {
  if (failed_) return;  // no trigger set: the method never runs again
  if (!started_) {
    started_ = true;
    scheduled_edge_ = 1;
    next_trigger(period_);
    return;
  }
  if (interrupt_write_pending_) {
    // The time of the run-ahead edge that changed the interrupt: only the write is left to do.
    interrupt_write_pending_ = false;
    interrupt_o.write(interrupt_);
    if (quiet_edges_ >= config_.quiet_cycles) {
      quiet_edges_ = 0;
      stopped_ = true;
      next_trigger(wake_event_);
      return;
    }
    next_trigger(period_);
    return;
  }
  if (stopped_) {
    // Woken by an MMIO access: the next edge on the clock grid, after the last one simulated.
    stopped_ = false;
    const uint64_t now_ps = static_cast<uint64_t>(std::llround(sc_core::sc_time_stamp().to_seconds() * 1e12));
    scheduled_edge_ = std::max(last_edge_index_ + 1, (now_ps + period_ps_ - 1) / period_ps_);
    next_trigger(sc_core::sc_time(double(scheduled_edge_ * period_ps_ - now_ps), sc_core::SC_PS));
    return;
  }
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  sc_core::sc_time at = now;
  uint64_t edge = scheduled_edge_;
  settle();
  for (;;) {
    last_edge_index_ = edge;
    finish_edge(at, edge);
    if (failed_) return;
    quiet_edges_ = quiet() ? quiet_edges_ + 1 : 0;
    if (interrupt_write_pending_) {
      scheduled_edge_ = edge + 1;
      next_trigger(at - now);
      return;
    }
    if (quiet_edges_ >= config_.quiet_cycles) {
      quiet_edges_ = 0;
      stopped_ = true;
      next_trigger(wake_event_);
      return;
    }
    // Run-ahead: the next edge now, unless something else may act before it or it starts a
    // transaction (then it is settled again at its own time, with the same inputs).
    const sc_core::sc_time next = at + period_;
    if (!may_run_ahead(next - now, edge + 1 - scheduled_edge_)) break;
    settle();
    if (master_handshake_presented()) break;
    at = next;
    ++edge;
  }
  scheduled_edge_ = last_edge_index_ + 1;
  next_trigger(at + period_ - now);
}

bool VerilatedKernel::may_run_ahead(const sc_core::sc_time& ahead, uint64_t edges_ahead) const {
  constexpr uint64_t kMaxEdgesAhead = 1u << 16;  // bounds one activation's wall time
  if (!config_.run_ahead || edges_ahead > kMaxEdgesAhead || interrupt_changed_) return false;
  if (edges_ < config_.reset_cycles || !control_->idle()) return false;
  for (const auto& m : masters_)
    if (!m->idle()) return false;
  // Nothing else in the simulation runs before that edge (a process due at the same time might
  // come first in the original order, so strictly before).
  return !sc_core::sc_pending_activity_at_current_time() && ahead < sc_core::sc_time_to_pending_activity();
}

bool VerilatedKernel::master_handshake_presented() const {
  for (const auto& [port_name, p] : ports_.masters)
    if (p.arvalid.get() || p.awvalid.get() || p.wvalid.get()) return true;
  return false;
}

void VerilatedKernel::settle() {
  const bool in_reset = edges_ < config_.reset_cycles;
  ports_.reset_n.set(!in_reset);
  control_->drive(in_reset);
  for (auto& m : masters_) m->drive(in_reset);
  ports_.clock.set(0);
  top_->eval();
}

void VerilatedKernel::finish_edge(const sc_core::sc_time& now, uint64_t edge_index) {
  const bool in_reset = edges_ < config_.reset_cycles;
  vcd_->sample(*top_, now - half_period_);

  const AxiPortSignals& control = control_->sample(in_reset);
  if (!control_checker_.check(control, now)) return report(*control_checker_.violation());
  control_->edge(control);
  for (size_t i = 0; i < masters_.size(); ++i) {
    const AxiPortSignals& s = masters_[i]->sample(in_reset);
    if (!master_checkers_[i].check(s, now)) return report(*master_checkers_[i].violation());
    masters_[i]->edge(s, now);
  }

  ports_.clock.set(1);
  top_->eval();
  vcd_->sample(*top_, now);
  ++edges_;
  const bool irq = ports_.interrupt.get() != 0;
  interrupt_changed_ = irq != interrupt_;
  if (interrupt_changed_) {
    interrupt_ = irq;
    const sc_core::sc_time current = sc_core::sc_time_stamp();
    if (now == current) interrupt_o.write(irq);
    else interrupt_write_pending_ = true;  // a run-ahead edge: tick() writes it at the edge's time
  }
  for (const EdgeObserver& observer : observers_) observer(edge_index, now);
}

bool VerilatedKernel::quiet() const {
  if (edges_ < config_.reset_cycles || !ports_.idle.get() || !control_->idle()) return false;
  for (size_t i = 0; i < masters_.size(); ++i) {
    const AxiMasterPins& p = ports_.masters[i].second;
    if (!masters_[i]->idle() || p.arvalid.get() || p.awvalid.get() || p.wvalid.get()) return false;
  }
  return true;
}

void VerilatedKernel::report(const AxiViolation& v) {
  failed_ = true;
  violation_ = v;
  vcd_->close();
  if (on_error_) {
    on_error_(v.message());
    return;
  }
  throw std::runtime_error(v.message());
}

}  // namespace vp
