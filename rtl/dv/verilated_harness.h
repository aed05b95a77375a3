#pragma once
// Drives a Verilated rtl/ unit from a GoogleTest testbench: clock, reset, one input issued alone
// (its latency), a stream of inputs back to back (the results in order), and for the pipelined
// fp32 function units (fp32_*_pipeline: valid_i, x_i, tag_i, valid_o, result_o, tag_o) a runner
// that feeds one input per cycle, or with bubbles, and times every result.
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "verilated.h"

namespace vp::rtl_dv {

// Whether a Verilated model has a tag_i input (the tagged fp32 units).
template <class Model, class = void>
struct has_tag_input : std::false_type {};
template <class Model>
struct has_tag_input<Model, std::void_t<decltype(std::declval<Model&>().tag_i)>> : std::true_type {};

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

// Issues one input into a unit fresh from reset: valid_i = 1 with the operand ports set by
// drive(io) for one edge, then valid_i = 0 (and tag_i = 0 where the unit has one) until valid_o.
// Returns the latency (the issuing edge counted, as for PipelinedRun), or max_latency + 1 if no
// result came; the outputs then still show the result.
template <class Model, class Drive>
uint32_t issue_one(VerilatedUnit<Model>& unit, Drive&& drive, uint32_t max_latency = 20) {
  Model& io = unit.io();
  io.valid_i = 1;
  drive(io);
  unit.tick();
  io.valid_i = 0;
  if constexpr (has_tag_input<Model>::value) io.tag_i = 0;
  uint32_t latency = 1;
  while (!io.valid_o && latency < max_latency) {
    unit.tick();
    ++latency;
  }
  return latency;
}

// Streams the inputs through a fresh unit, one per cycle from reset (drive(io, input) sets the
// operand ports while valid_i = 1), and returns read(io) of every cycle with valid_o, in order.
// Throws "<name>: results missing" when they are not all out within inputs.size() + 64 cycles.
template <class Model, class Input, class Drive, class Read>
std::vector<uint32_t> run_in_order(const std::string& name, const std::vector<Input>& inputs, Drive&& drive,
                                   Read&& read) {
  VerilatedUnit<Model> unit;
  unit.reset();
  Model& io = unit.io();
  std::vector<uint32_t> results;
  results.reserve(inputs.size());
  size_t issued = 0;
  while (results.size() < inputs.size()) {
    io.valid_i = issued < inputs.size();
    if (io.valid_i) drive(io, inputs[issued++]);
    unit.tick();
    if (io.valid_o) results.push_back(read(io));
    if (unit.cycles() > inputs.size() + 64) throw std::runtime_error(name + ": results missing");
  }
  return results;
}

// Cycles are counted as the units' LATENCY: an input presented in cycle c
// (sampled by the edge that ends it) whose result is on result_o in cycle c + L (raised by edge
// c + L, as after L register stages) has latency L.
struct PipelinedRun {
  std::vector<uint32_t> results;    // in the order valid_o delivered them
  std::vector<uint32_t> tags;       // tag_o with each result
  std::vector<uint32_t> latencies;  // per result: cycles from the input of the same rank
  uint32_t latency = 0;             // of the first input (latencies[0])
  uint64_t cycles = 0;              // cycles from the first input's through the last result's,
                                    // both counted: N inputs back to back take N + L
};

// Input gap patterns for pipelined units (true: no input this cycle): valid_i toggling every
// cycle, then pseudo-random gaps (about 3 cycles in 8 idle).
inline std::vector<std::function<bool(uint64_t)>> pipelined_bubble_patterns() {
  return {[](uint64_t c) { return (c & 1u) != 0; },
          [](uint64_t c) { return ((c * 0x9E3779B97F4A7C15ull) >> 61) < 3; }};
}

// Drives valid_i = 1 with one input per cycle (tag_i = the input's index masked to tag_bits),
// except in the cycles where `bubble(cycle)` is true (cycle = edges this run has ticked so far):
// there valid_i = 0 and x_i, tag_i carry junk. Collects every result by valid_o; the unit must not
// raise valid_o more often than it was given inputs, nor leave an input without a result for
// max_latency cycles.
template <class Model>
PipelinedRun run_pipelined(VerilatedUnit<Model>& unit, const std::vector<uint32_t>& inputs,
                           const std::function<bool(uint64_t)>& bubble = nullptr, unsigned tag_bits = 1,
                           uint32_t max_latency = 1000) {
  PipelinedRun run;
  run.results.reserve(inputs.size());
  run.tags.reserve(inputs.size());
  run.latencies.reserve(inputs.size());
  const uint32_t tag_mask = tag_bits >= 32 ? 0xFFFFFFFFu : ((1u << tag_bits) - 1u);
  std::vector<uint64_t> issued_at;  // edge that sampled input i
  issued_at.reserve(inputs.size());
  Model& io = unit.io();
  uint64_t cycle = 0;
  uint64_t last_issue = 0;
  uint64_t first_issue_edge = 0;
  while (run.results.size() < inputs.size()) {
    const bool issue = issued_at.size() < inputs.size() && !(bubble && bubble(cycle));
    const size_t next = issued_at.size();
    io.valid_i = issue ? 1 : 0;
    io.x_i = issue ? inputs[next] : 0x7FA5A5A5u;  // a bubble carries a signalling NaN
    io.tag_i = (issue ? static_cast<uint32_t>(next) : ~static_cast<uint32_t>(next)) & tag_mask;
    unit.tick();
    ++cycle;
    if (issue) {
      if (issued_at.empty()) first_issue_edge = unit.cycles();
      issued_at.push_back(unit.cycles());
      last_issue = cycle;
    } else if (issued_at.size() < inputs.size() && cycle - last_issue > max_latency) {
      throw std::runtime_error("rtl_dv: the bubble pattern never lets input " + std::to_string(next) + " in");
    }
    if (io.valid_o) {
      const size_t rank = run.results.size();
      if (rank >= issued_at.size()) throw std::runtime_error("rtl_dv: valid_o without an input");
      run.results.push_back(io.result_o);
      run.tags.push_back(static_cast<uint32_t>(io.tag_o));
      run.latencies.push_back(static_cast<uint32_t>(unit.cycles() - issued_at[rank] + 1));
    } else if (run.results.size() < issued_at.size() &&
               unit.cycles() - issued_at[run.results.size()] + 1 > max_latency) {
      throw std::runtime_error("rtl_dv: no result for input " + std::to_string(run.results.size()));
    }
  }
  io.valid_i = 0;
  run.latency = run.latencies.empty() ? 0 : run.latencies.front();
  run.cycles = inputs.empty() ? 0 : unit.cycles() - first_issue_edge + 2;
  return run;
}

// The results of a pipelined run that did not leave exactly `latency` cycles after their input
// or did not bring back their input's tag (its index masked to tag_bits): "" if none, else a
// count and the first few.
inline std::string pipelined_timing_deviations(const PipelinedRun& run, uint32_t latency, unsigned tag_bits = 1) {
  const uint32_t tag_mask = tag_bits >= 32 ? 0xFFFFFFFFu : ((1u << tag_bits) - 1u);
  size_t deviations = 0;
  std::string first;
  for (size_t i = 0; i < run.results.size(); ++i) {
    const uint32_t want_tag = static_cast<uint32_t>(i) & tag_mask;
    if (run.latencies[i] == latency && run.tags[i] == want_tag) continue;
    if (++deviations <= 8)
      first += "result " + std::to_string(i) + ": latency " + std::to_string(run.latencies[i]) + " (want " +
               std::to_string(latency) + "), tag " + std::to_string(run.tags[i]) + " (want " +
               std::to_string(want_tag) + ")\n";
  }
  return deviations == 0 ? std::string() : std::to_string(deviations) + " results off; first:\n" + first;
}

}  // namespace vp::rtl_dv
