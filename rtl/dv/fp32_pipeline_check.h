#pragma once
// A one-operand fp32 pipeline (fp32_exp_pipeline, fp32_reciprocal_pipeline, fp32_rsqrt_pipeline)
// against its C++ twin in hls/fp32_math.h: fed from reset one input per cycle (or with bubbles),
// every result compared bit for bit, and its latency and tag held against the unit's fixed latency
// (a GoogleTest expectation); and the three timing checks their testbenches share: fixed latency,
// one result per cycle back to back, and bubbles in the input stream.
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "hls/fp32_math.h"
#include "rtl/dv/fp32_stimulus.h"
#include "rtl/dv/verilated_harness.h"

namespace vp::rtl_dv {

template <class Model>
class Fp32PipelineCheck {
 public:
  Fp32PipelineCheck(std::string name, float (*twin)(float), uint32_t latency)
      : name_(std::move(name)), twin_(twin), latency_(latency) {}

  uint32_t latency() const { return latency_; }

  PipelinedRun run(const std::vector<uint32_t>& inputs, const std::function<bool(uint64_t)>& bubble = nullptr) const {
    VerilatedUnit<Model> unit;
    unit.reset();
    return run_pipelined(unit, inputs, bubble);
  }

  // Expects every result at the fixed latency with its input's tag; returns the value comparison.
  MismatchLog compare(const std::vector<uint32_t>& inputs, const PipelinedRun& run) const {
    EXPECT_EQ(pipelined_timing_deviations(run, latency_), "") << name_;
    return compare_results(
        inputs, run.results, [this](uint32_t x) { return fp::bits_of(twin_(fp::float_of(x))); },
        [this](uint32_t x) { return name_ + "(" + hex32(x) + ")"; });
  }

  MismatchLog run_and_compare(const std::vector<uint32_t>& inputs) const { return compare(inputs, run(inputs)); }

  // Fed back to back, every result leaves exactly the fixed latency after its input, and matches.
  void expect_fixed_latency(const std::vector<uint32_t>& inputs) const {
    const PipelinedRun r = run(inputs);
    EXPECT_EQ(r.latency, latency_) << name_;
    EXPECT_EQ(r.latencies, std::vector<uint32_t>(inputs.size(), latency_)) << name_;
    expect_match(inputs, r);
  }

  // N inputs back to back take N + latency cycles, and every result matches.
  void expect_one_result_per_cycle(const std::vector<uint32_t>& inputs) const {
    const PipelinedRun r = run(inputs);
    EXPECT_EQ(r.cycles, inputs.size() + latency_) << name_;
    expect_match(inputs, r);
  }

  // With each of pipelined_bubble_patterns() in the input stream the run takes longer than back
  // to back, and every result still comes in order, with its tag, and matches.
  void expect_bubbles_keep_order_and_tags(const std::vector<uint32_t>& inputs) const {
    for (const std::function<bool(uint64_t)>& bubble : pipelined_bubble_patterns()) {
      const PipelinedRun r = run(inputs, bubble);
      EXPECT_GT(r.cycles, inputs.size() + latency_) << name_;
      expect_match(inputs, r);
    }
  }

 private:
  void expect_match(const std::vector<uint32_t>& inputs, const PipelinedRun& r) const {
    const MismatchLog log = compare(inputs, r);
    EXPECT_EQ(log.failed(), 0u) << log.summary();
  }

  std::string name_;
  float (*twin_)(float);
  uint32_t latency_;
};

}  // namespace vp::rtl_dv
