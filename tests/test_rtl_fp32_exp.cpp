// rtl/fp32_exp.sv (Verilated) against its C++ twin vp::fp::exp, bit for bit: specials,
// the range limits, the rounding boundaries of n, random bit patterns and the kernel's
// softmax and SwiGLU ranges.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "Vfp32_exp.h"
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
using vp::rtl_dv::uniform_bits;

// The unit fed back to back: its results and per-input cycle counts.
vp::rtl_dv::SequentialRun run_unit(const std::vector<uint32_t>& inputs) {
  vp::rtl_dv::VerilatedUnit<Vfp32_exp> unit;
  unit.reset();
  return vp::rtl_dv::run_sequential(unit, inputs);
}

MismatchLog compare_with_twin(const std::vector<uint32_t>& inputs) {
  return vp::rtl_dv::compare_results(
      inputs, run_unit(inputs).results, [](uint32_t x) { return bits_of(vp::fp::exp(float_of(x))); },
      [](uint32_t x) { return "exp(" + hex32(x) + ")"; });
}

uint32_t any_bits(Fp32Stimulus& gen) { return gen.bits(); }

TEST(RtlFp32Exp, SpecialValuesAndRangeLimitsMatchTwin) {
  // NaNs come back unchanged (signalling ones too), beyond 88.5 gives inf, below -87 gives 0.
  std::vector<uint32_t> inputs = vp::rtl_dv::fp32_special_values();
  for (const float limit : {88.5f, -87.0f, 88.0f, -86.5f, 0.0f}) {
    float lo = limit;
    float hi = limit;
    for (int i = 0; i < 64; ++i) {
      inputs.push_back(bits_of(lo));
      inputs.push_back(bits_of(hi));
      lo = std::nextafter(lo, -1e9f);
      hi = std::nextafter(hi, 1e9f);
    }
  }
  const MismatchLog log = compare_with_twin(inputs);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
}

TEST(RtlFp32Exp, SpecialInputsTakeOneCycleOthersSeventyFive) {
  const std::vector<uint32_t> inputs = {0x7FC00000u, 0x42B20000u, 0xC2B00000u, bits_of(1.0f), bits_of(-20.0f)};
  const MismatchLog log = compare_with_twin(inputs);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
  EXPECT_EQ(run_unit(inputs).cycles, (std::vector<uint32_t>{1, 1, 1, 75, 75}));
}

TEST(RtlFp32Exp, RoundingBoundariesOfNMatchTwin) {
  // x near (k + 1/2) * ln2, where round_half_away(x * log2e) switches from k to k + 1.
  std::vector<uint32_t> inputs;
  for (int k = -127; k <= 127; ++k) {
    const float centre = static_cast<float>((k + 0.5) * 0.69314718055994530942);
    float lo = centre;
    float hi = centre;
    for (int i = 0; i < 48; ++i) {
      inputs.push_back(bits_of(lo));
      inputs.push_back(bits_of(hi));
      lo = std::nextafter(lo, -1e9f);
      hi = std::nextafter(hi, 1e9f);
    }
  }
  const MismatchLog log = compare_with_twin(inputs);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
}

TEST(RtlFp32Exp, RandomBitPatternsMatchTwin) {
  // Mostly out of range (fast path); every binade inside the range too.
  const MismatchLog log = check_random_inputs<uint32_t>(
      0xE4901, {{300000, any_bits}, {100000, [](Fp32Stimulus& gen) { return gen.in_binades(0, 133); }}},
      compare_with_twin);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
}

TEST(RtlFp32Exp, SoftmaxRangeMatchesTwin) {
  // x - max over attention scores: non-positive, mostly within a few tens of zero.
  const MismatchLog log = check_random_inputs<uint32_t>(
      0xE4902, {{200000, uniform_bits(-30.0, 0.0)}, {100000, uniform_bits(-87.0, 0.0)}}, compare_with_twin);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
}

TEST(RtlFp32Exp, SwigluAndFullRangeMatchTwin) {
  // -h1 of SwiGLU (hidden activations of either sign) and the whole finite range.
  const MismatchLog log = check_random_inputs<uint32_t>(
      0xE4903, {{200000, uniform_bits(-20.0, 20.0)}, {150000, uniform_bits(-87.0, 88.5)}}, compare_with_twin);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
}

}  // namespace
