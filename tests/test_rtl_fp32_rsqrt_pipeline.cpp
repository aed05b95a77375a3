// rtl/fp32_rsqrt_pipeline.sv (Verilated) against its C++ twin vp::fp::rsqrt, bit for bit, fed
// one input per cycle: specials, the thresholds, random bit patterns and RMSNorm's range.
// Every run also checks that each result leaves exactly kRsqrtPipelineLatency cycles after its
// input with its input's tag; separate tests check the throughput (N inputs in N + latency
// cycles) and bubbles in the input stream.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "Vfp32_rsqrt_pipeline.h"
#include "hls/fp32_math.h"
#include "hls/fp32_pipeline_latency.h"
#include "rtl/dv/fp32_stimulus.h"
#include "rtl/dv/fp32_pipeline_check.h"
#include "rtl/dv/verilated_harness.h"

namespace {

using vp::fp::bits_of;
using vp::fp::float_of;
using namespace vp::rtl_dv;

const Fp32PipelineCheck<Vfp32_rsqrt_pipeline> kUnit("rsqrt", vp::fp::rsqrt, vp::fp::kRsqrtPipelineLatency);

MismatchLog compare_with_twin(const std::vector<uint32_t>& inputs) { return kUnit.run_and_compare(inputs); }

uint32_t any_bits(Fp32Stimulus& gen) { return gen.bits(); }

// Specials and positive normals interleaved.
uint32_t mixed(Fp32Stimulus& gen) { return gen.coin() ? gen.bits() : (gen.in_binades(1, 254) & 0x7FFFFFFFu); }

TEST(RtlFp32RsqrtPipeline, SpecialValuesAndThresholdsMatchTwin) {
  // NaNs unchanged, negatives to the quiet NaN, +0 and subnormals to +inf, +inf to +0, and
  // -0 (bits 0x80000000 >= 0x7f800000 in the twin's unsigned test) to +0.
  std::vector<uint32_t> inputs = vp::rtl_dv::fp32_special_values();
  for (const uint32_t edge : {0x00800000u, 0x7F800000u, 0x3F800000u, 0x40000000u}) {
    for (uint32_t d = 0; d < 256; ++d) {
      inputs.push_back(edge + d);
      inputs.push_back(edge - d - 1);
    }
  }
  const MismatchLog log = compare_with_twin(inputs);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
}

TEST(RtlFp32RsqrtPipeline, LatencyEqualsHeaderConstantForSpecialAndNormalInputs) {
  for (const std::vector<uint32_t>& inputs :
       {std::vector<uint32_t>{0x7FC00000u, 0xBF800000u, 0x00000001u, 0x7F800000u, bits_of(2.0f), bits_of(1e-5f)},
        std::vector<uint32_t>{bits_of(2.0f), 0x80000000u, bits_of(1e-5f), 0x7F800001u, 0x00000000u, 0xBF800000u}}) {
    kUnit.expect_fixed_latency(inputs);
  }
}

TEST(RtlFp32RsqrtPipeline, OneResultPerCycleBackToBack) {
  const std::vector<uint32_t> inputs = draw_inputs<uint32_t>(0x25A10, {{5000, mixed}});
  kUnit.expect_one_result_per_cycle(inputs);
}

TEST(RtlFp32RsqrtPipeline, BubblesKeepOrderAndTags) {
  const std::vector<uint32_t> inputs = draw_inputs<uint32_t>(0x25A11, {{5000, mixed}});
  kUnit.expect_bubbles_keep_order_and_tags(inputs);
}

TEST(RtlFp32RsqrtPipeline, RandomBitPatternsMatchTwin) {
  auto positive_normals = [](Fp32Stimulus& gen) { return gen.in_binades(1, 254) & 0x7FFFFFFFu; };
  const MismatchLog log =
      check_random_inputs<uint32_t>(0x25A1, {{400000, any_bits}, {200000, positive_normals}}, compare_with_twin);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
}

TEST(RtlFp32RsqrtPipeline, RmsnormRangeMatchesTwin) {
  // mean(x^2) + 1e-5: from just above 1e-5 to large activations.
  auto mean_square_plus_eps = [](Fp32Stimulus& gen) { return bits_of(gen.uniform(0.0, 4.0) + 1e-5f); };
  auto positive_binades = [](Fp32Stimulus& gen) { return gen.in_binades(110, 150) & 0x7FFFFFFFu; };
  const MismatchLog log = check_random_inputs<uint32_t>(
      0x25A2, {{200000, mean_square_plus_eps}, {200000, positive_binades}}, compare_with_twin);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
}

}  // namespace
