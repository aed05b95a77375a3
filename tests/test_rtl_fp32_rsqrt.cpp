// rtl/fp32_rsqrt.sv (Verilated) against its C++ twin vp::fp::rsqrt, bit for bit: specials,
// the thresholds, random bit patterns and RMSNorm's range.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "Vfp32_rsqrt.h"
#include "hls/fp32_math.h"
#include "rtl/dv/fp32_stimulus.h"
#include "rtl/dv/verilated_harness.h"

namespace {

using vp::fp::bits_of;
using vp::fp::float_of;
using vp::rtl_dv::check_random_inputs;
using vp::rtl_dv::Fp32Stimulus;
using vp::rtl_dv::hex32;
using vp::rtl_dv::MismatchLog;

// The unit fed back to back: its results and per-input cycle counts.
vp::rtl_dv::SequentialRun run_unit(const std::vector<uint32_t>& inputs) {
  vp::rtl_dv::VerilatedUnit<Vfp32_rsqrt> unit;
  unit.reset();
  return vp::rtl_dv::run_sequential(unit, inputs);
}

MismatchLog compare_with_twin(const std::vector<uint32_t>& inputs) {
  return vp::rtl_dv::compare_results(
      inputs, run_unit(inputs).results, [](uint32_t x) { return bits_of(vp::fp::rsqrt(float_of(x))); },
      [](uint32_t x) { return "rsqrt(" + hex32(x) + ")"; });
}

uint32_t any_bits(Fp32Stimulus& gen) { return gen.bits(); }

TEST(RtlFp32Rsqrt, SpecialValuesAndThresholdsMatchTwin) {
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

TEST(RtlFp32Rsqrt, SpecialInputsTakeOneCycleOthersFortyThree) {
  const std::vector<uint32_t> inputs = {0x7FC00000u, 0xBF800000u, 0x00000001u, 0x7F800000u, bits_of(2.0f),
                                        bits_of(1e-5f)};
  const MismatchLog log = compare_with_twin(inputs);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
  EXPECT_EQ(run_unit(inputs).cycles, (std::vector<uint32_t>{1, 1, 1, 1, 43, 43}));
}

TEST(RtlFp32Rsqrt, RandomBitPatternsMatchTwin) {
  auto positive_normals = [](Fp32Stimulus& gen) { return gen.in_binades(1, 254) & 0x7FFFFFFFu; };
  const MismatchLog log =
      check_random_inputs<uint32_t>(0x25A1, {{400000, any_bits}, {200000, positive_normals}}, compare_with_twin);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
}

TEST(RtlFp32Rsqrt, RmsnormRangeMatchesTwin) {
  // mean(x^2) + 1e-5: from just above 1e-5 to large activations.
  auto mean_square_plus_eps = [](Fp32Stimulus& gen) { return bits_of(gen.uniform(0.0, 4.0) + 1e-5f); };
  auto positive_binades = [](Fp32Stimulus& gen) { return gen.in_binades(110, 150) & 0x7FFFFFFFu; };
  const MismatchLog log = check_random_inputs<uint32_t>(
      0x25A2, {{200000, mean_square_plus_eps}, {200000, positive_binades}}, compare_with_twin);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
}

}  // namespace
