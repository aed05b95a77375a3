// rtl/fp32_exp_pipeline.sv (Verilated) against its C++ twin vp::fp::exp, bit for bit, fed
// one input per cycle: specials, the range limits, the rounding boundaries of n, random bit
// patterns and the kernel's softmax and SwiGLU ranges. Every run also checks that each result
// leaves exactly kExpPipelineLatency cycles after its input with its input's tag; separate
// tests check the throughput (N inputs in N + latency cycles) and bubbles in the input stream.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "Vfp32_exp_pipeline.h"
#include "hls/fp32_math.h"
#include "hls/fp32_pipeline_latency.h"
#include "rtl/dv/fp32_stimulus.h"
#include "rtl/dv/fp32_pipeline_check.h"
#include "rtl/dv/verilated_harness.h"

namespace {

using vp::fp::bits_of;
using vp::fp::float_of;
using namespace vp::rtl_dv;

const Fp32PipelineCheck<Vfp32_exp_pipeline> kUnit("exp", vp::fp::exp, vp::fp::kExpPipelineLatency);

MismatchLog compare_with_twin(const std::vector<uint32_t>& inputs) { return kUnit.run_and_compare(inputs); }

uint32_t any_bits(Fp32Stimulus& gen) { return gen.bits(); }

// Specials and in-range values interleaved.
uint32_t mixed(Fp32Stimulus& gen) { return gen.coin() ? gen.bits() : bits_of(gen.uniform(-87.0, 88.5)); }

TEST(RtlFp32ExpPipeline, SpecialValuesAndRangeLimitsMatchTwin) {
  // NaNs come back unchanged (signalling ones too), beyond 88.5 gives inf, below -87 gives 0.
  std::vector<uint32_t> inputs = vp::rtl_dv::fp32_special_values();
  for (const float limit : {88.5f, -87.0f, 88.0f, -86.5f, 0.0f}) append_float_neighbours(inputs, limit, 64);
  const MismatchLog log = compare_with_twin(inputs);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
}

TEST(RtlFp32ExpPipeline, LatencyEqualsHeaderConstantForSpecialAndNormalInputs) {
  for (const std::vector<uint32_t>& inputs :
       {std::vector<uint32_t>{0x7FC00000u, 0x42B20000u, 0xC2B00000u, bits_of(1.0f), bits_of(-20.0f)},
        std::vector<uint32_t>{bits_of(1.0f), 0x7F800001u, bits_of(-20.0f), 0xC2B00000u, 0x42B20000u}}) {
    kUnit.expect_fixed_latency(inputs);
  }
}

TEST(RtlFp32ExpPipeline, OneResultPerCycleBackToBack) {
  const std::vector<uint32_t> inputs = draw_inputs<uint32_t>(0xE4910, {{5000, mixed}});
  kUnit.expect_one_result_per_cycle(inputs);
}

TEST(RtlFp32ExpPipeline, BubblesKeepOrderAndTags) {
  const std::vector<uint32_t> inputs = draw_inputs<uint32_t>(0xE4911, {{5000, mixed}});
  kUnit.expect_bubbles_keep_order_and_tags(inputs);
}

TEST(RtlFp32ExpPipeline, RoundingBoundariesOfNMatchTwin) {
  // x near (k + 1/2) * ln2, where round_half_away(x * log2e) switches from k to k + 1.
  std::vector<uint32_t> inputs;
  for (int k = -127; k <= 127; ++k) {
    append_float_neighbours(inputs, static_cast<float>((k + 0.5) * 0.69314718055994530942), 48);
  }
  const MismatchLog log = compare_with_twin(inputs);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
}

TEST(RtlFp32ExpPipeline, RandomBitPatternsMatchTwin) {
  // Mostly out of range (specials); every binade inside the range too.
  const MismatchLog log = check_random_inputs<uint32_t>(
      0xE4901, {{300000, any_bits}, {100000, [](Fp32Stimulus& gen) { return gen.in_binades(0, 133); }}},
      compare_with_twin);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
}

TEST(RtlFp32ExpPipeline, SoftmaxRangeMatchesTwin) {
  // x - max over attention scores: non-positive, mostly within a few tens of zero.
  const MismatchLog log = check_random_inputs<uint32_t>(
      0xE4902, {{200000, uniform_bits(-30.0, 0.0)}, {100000, uniform_bits(-87.0, 0.0)}}, compare_with_twin);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
}

TEST(RtlFp32ExpPipeline, SwigluAndFullRangeMatchTwin) {
  // -h1 of SwiGLU (hidden activations of either sign) and the whole finite range.
  const MismatchLog log = check_random_inputs<uint32_t>(
      0xE4903, {{200000, uniform_bits(-20.0, 20.0)}, {150000, uniform_bits(-87.0, 88.5)}}, compare_with_twin);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
}

}  // namespace
