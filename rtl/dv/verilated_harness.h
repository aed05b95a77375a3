#pragma once
// Drives a Verilated rtl/ unit from a GoogleTest testbench: clock, reset, and for the
// sequential fp32 function units (fp32_exp, fp32_reciprocal, fp32_rsqrt: ports valid_i,
// ready_o, x_i, valid_o, result_o) a runner that feeds inputs back to back.
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "verilated.h"

namespace vp::rtl_dv {

// One Verilated model with its own context. Models with clk_i/rst_ni get tick()/reset().
template <class Model>
class VerilatedUnit {
 public:
  VerilatedUnit() : context_(std::make_unique<VerilatedContext>()) {
    context_->randReset(0);  // deterministic initial state
    model_ = std::make_unique<Model>(context_.get(), "dut");
  }
  ~VerilatedUnit() { model_->final(); }
  VerilatedUnit(const VerilatedUnit&) = delete;
  VerilatedUnit& operator=(const VerilatedUnit&) = delete;

  Model& io() { return *model_; }
  void eval() { model_->eval(); }

  // One rising clock edge: inputs set before tick() are sampled at this edge, and the
  // outputs read after it show the registers' new values.
  void tick() {
    model_->clk_i = 0;
    model_->eval();
    model_->clk_i = 1;
    model_->eval();
    ++cycles_;
  }

  void reset() {
    model_->rst_ni = 0;
    model_->clk_i = 0;
    model_->eval();
    tick();
    model_->rst_ni = 1;
    model_->eval();
    cycles_ = 0;
  }

  uint64_t cycles() const { return cycles_; }

 private:
  std::unique_ptr<VerilatedContext> context_;
  std::unique_ptr<Model> model_;
  uint64_t cycles_ = 0;
};

struct SequentialRun {
  std::vector<uint32_t> results;
  std::vector<uint32_t> cycles;  // per input: from the issuing edge to the edge that raised valid_o
};

// Feeds every input as soon as ready_o allows, collects one result per input in order.
template <class Model>
SequentialRun run_sequential(VerilatedUnit<Model>& unit, const std::vector<uint32_t>& inputs,
                             uint32_t max_cycles_per_input = 1000) {
  SequentialRun run;
  run.results.reserve(inputs.size());
  run.cycles.reserve(inputs.size());
  Model& io = unit.io();
  for (const uint32_t x : inputs) {
    uint32_t waited = 0;
    while (!io.ready_o) {
      unit.tick();
      if (++waited > max_cycles_per_input) throw std::runtime_error("rtl_dv: unit never became ready");
    }
    io.valid_i = 1;
    io.x_i = x;
    unit.tick();
    io.valid_i = 0;
    uint32_t cycles = 1;
    while (!io.valid_o) {
      unit.tick();
      if (++cycles > max_cycles_per_input)
        throw std::runtime_error("rtl_dv: no result for input bits " + std::to_string(x));
    }
    run.results.push_back(io.result_o);
    run.cycles.push_back(cycles);
  }
  return run;
}

}  // namespace vp::rtl_dv
