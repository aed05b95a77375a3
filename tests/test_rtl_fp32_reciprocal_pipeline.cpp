// rtl/fp32_reciprocal_pipeline.sv (Verilated) against its C++ twin vp::fp::reciprocal, bit for
// bit, fed one input per cycle: specials, the flush thresholds, random bit patterns and the
// kernel's ranges. Every run also checks that each result leaves exactly
// kReciprocalPipelineLatency cycles after its input with its input's tag; separate tests check
// the throughput (N inputs in N + latency cycles) and bubbles in the input stream.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "Vfp32_reciprocal_pipeline.h"
#include "hls/fp32_math.h"
#include "hls/fp32_pipeline_latency.h"
#include "rtl/dv/fp32_stimulus.h"
#include "rtl/dv/fp32_pipeline_check.h"
#include "rtl/dv/verilated_harness.h"

namespace {

using vp::fp::bits_of;
using vp::fp::float_of;
using namespace vp::rtl_dv;

const Fp32PipelineCheck<Vfp32_reciprocal_pipeline> kUnit("reciprocal", vp::fp::reciprocal, vp::fp::kReciprocalPipelineLatency);

MismatchLog compare_with_twin(const std::vector<uint32_t>& inputs) { return kUnit.run_and_compare(inputs); }

uint32_t any_bits(Fp32Stimulus& gen) { return gen.bits(); }

// Specials and in-range values interleaved.
uint32_t mixed(Fp32Stimulus& gen) { return gen.coin() ? gen.bits() : gen.in_binades(1, 253); }

TEST(RtlFp32ReciprocalPipeline, SpecialValuesAndFlushThresholdsMatchTwin) {
  // NaNs unchanged, zeros and subnormals to signed inf, above 2^126 to signed zero.
  std::vector<uint32_t> inputs = vp::rtl_dv::fp32_special_values();
  for (const uint32_t edge : {0x00800000u, 0x7E800000u, 0x3F800000u}) {
    for (uint32_t d = 0; d < 256; ++d) {
      inputs.push_back(edge + d);
      inputs.push_back((edge - d - 1) | 0x80000000u);
    }
  }
  const MismatchLog log = compare_with_twin(inputs);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
}

TEST(RtlFp32ReciprocalPipeline, LatencyEqualsHeaderConstantForSpecialAndNormalInputs) {
  for (const std::vector<uint32_t>& inputs :
       {std::vector<uint32_t>{0x7FC00000u, 0x80000000u, 0x7F000000u, bits_of(3.0f), bits_of(-0.1f)},
        std::vector<uint32_t>{bits_of(3.0f), 0xFF800001u, bits_of(-0.1f), 0x00000001u, 0xFF000000u}}) {
    kUnit.expect_fixed_latency(inputs);
  }
}

TEST(RtlFp32ReciprocalPipeline, OneResultPerCycleBackToBack) {
  const std::vector<uint32_t> inputs = draw_inputs<uint32_t>(0x2EC10, {{5000, mixed}});
  kUnit.expect_one_result_per_cycle(inputs);
}

TEST(RtlFp32ReciprocalPipeline, BubblesKeepOrderAndTags) {
  const std::vector<uint32_t> inputs = draw_inputs<uint32_t>(0x2EC11, {{5000, mixed}});
  kUnit.expect_bubbles_keep_order_and_tags(inputs);
}

TEST(RtlFp32ReciprocalPipeline, RandomBitPatternsMatchTwin) {
  const MismatchLog log = check_random_inputs<uint32_t>(
      0x2EC1, {{500000, any_bits}, {100000, [](Fp32Stimulus& gen) { return gen.in_binades(1, 253); }}},
      compare_with_twin);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
}

TEST(RtlFp32ReciprocalPipeline, KernelRangesMatchTwin) {
  // Softmax sums (1 .. seq_len), quantization max|x| (2^-20 .. 2^10), SwiGLU's 1 + e^-h.
  auto positive_binades = [](Fp32Stimulus& gen) { return gen.in_binades(107, 137) & 0x7FFFFFFFu; };
  auto swiglu_denominator = [](Fp32Stimulus& gen) { return bits_of(1.0f + vp::fp::exp(gen.uniform(-20.0, 20.0))); };
  const MismatchLog log = check_random_inputs<uint32_t>(
      0x2EC2, {{150000, uniform_bits(1.0, 4096.0)}, {150000, positive_binades}, {100000, swiglu_denominator}},
      compare_with_twin);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
}

}  // namespace
