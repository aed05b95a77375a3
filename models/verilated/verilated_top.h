#pragma once
// What VerilatedKernel needs from one Verilated kernel top, whatever its generated class: its
// clock, reset, interrupt and idle pins, its s_axi_control and m_axi ports, eval and tracing.
// VerilatedTopModel<Model> owns the VerilatedContext and the model; a kernel's adapter derives
// from it and binds the ports (see models/verilated/stream_copy_rtl_top.h).
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <systemc>
// With SystemC present, Verilator's headers call sc_time_stamp() unqualified; include them
// through this header (before any generated V*.h) so they find it.
using sc_core::sc_time_stamp;
#include "verilated.h"
#include "verilated_vcd_c.h"

#include "models/verilated/verilated_pins.h"

namespace vp {

struct VerilatedTopPorts {
  PinRef clock;      // ap_clk
  PinRef reset_n;    // ap_rst_n, active low
  PinRef interrupt;  // interrupt
  PinRef idle;       // ap_idle: no run in progress (lets the wrapper stop clocking)
  AxiLitePins control;
  unsigned control_address_bits = 0;
  std::vector<std::pair<std::string, AxiMasterPins>> masters;  // ("m_axi_gmem", pins), in socket order
};

class VerilatedTop {
 public:
  virtual ~VerilatedTop() = default;
  virtual const VerilatedTopPorts& ports() const = 0;
  virtual void eval() = 0;
  // Whether the model was Verilated with --trace (a variant without it is faster: no trace
  // activity flags, signals only the VCD needs optimized away), and so can dump a VCD.
  virtual bool traceable() const = 0;
  // Registers the model's signals with a VCD file that is not open yet; traceable() only.
  virtual void trace(VerilatedVcdC& vcd) = 0;
  // End of simulation: runs final blocks.
  virtual void finish() = 0;
};

// Whether a generated class has trace() (Verilated with --trace).
template <class Model, class = void>
struct HasVerilatedTrace : std::false_type {};
template <class Model>
struct HasVerilatedTrace<Model, std::void_t<decltype(std::declval<Model&>().trace(
                                    static_cast<VerilatedVcdC*>(nullptr), 0))>> : std::true_type {};

template <class Model>
class VerilatedTopModel : public VerilatedTop {
 public:
  static constexpr bool kTraceable = HasVerilatedTrace<Model>::value;

  const VerilatedTopPorts& ports() const override { return ports_; }
  void eval() override { model_->eval(); }
  bool traceable() const override { return kTraceable; }
  void trace(VerilatedVcdC& vcd) override {
    if constexpr (kTraceable) model_->trace(&vcd, 99);
    else throw std::logic_error("VerilatedTop::trace: this Verilated variant was built without --trace");
  }
  void finish() override { model_->final(); }
  Model& model() { return *model_; }

 protected:
  // `name` is the top scope in the VCD.
  explicit VerilatedTopModel(const char* name) : context_(std::make_unique<VerilatedContext>()) {
    context_->randReset(0);        // deterministic initial state
    context_->traceEverOn(kTraceable);  // a VCD window may open later in the run
    model_ = std::make_unique<Model>(context_.get(), name);
  }

  // The Vitis kernel interface every top has: ap_clk, ap_rst_n, interrupt, ap_idle and the
  // s_axi_control slave with its address width.
  void bind_vitis_control(unsigned control_address_bits) {
    Model& m = *model_;
    ports_.clock = PinRef(m.ap_clk);
    ports_.reset_n = PinRef(m.ap_rst_n);
    ports_.interrupt = PinRef(m.__SYM__interrupt);  // Verilator renames the C++-reserved word
    ports_.idle = PinRef(m.ap_idle);
    ports_.control = VP_AXI_LITE_PINS(m, s_axi_control);
    ports_.control_address_bits = control_address_bits;
  }

  VerilatedTopPorts ports_;

 private:
  std::unique_ptr<VerilatedContext> context_;
  std::unique_ptr<Model> model_;
};

}  // namespace vp
