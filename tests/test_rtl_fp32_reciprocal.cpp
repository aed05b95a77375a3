// rtl/fp32_reciprocal.sv (Verilated) against its C++ twin vp::fp::reciprocal, bit for bit:
// specials, the flush thresholds, random bit patterns and the kernel's ranges.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "Vfp32_reciprocal.h"
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
  vp::rtl_dv::VerilatedUnit<Vfp32_reciprocal> unit;
  unit.reset();
  return vp::rtl_dv::run_sequential(unit, inputs);
}

MismatchLog compare_with_twin(const std::vector<uint32_t>& inputs) {
  return vp::rtl_dv::compare_results(
      inputs, run_unit(inputs).results, [](uint32_t x) { return bits_of(vp::fp::reciprocal(float_of(x))); },
      [](uint32_t x) { return "reciprocal(" + hex32(x) + ")"; });
}

uint32_t any_bits(Fp32Stimulus& gen) { return gen.bits(); }

TEST(RtlFp32Reciprocal, SpecialValuesAndFlushThresholdsMatchTwin) {
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

TEST(RtlFp32Reciprocal, SpecialInputsTakeOneCycleOthersThirtyOne) {
  const std::vector<uint32_t> inputs = {0x7FC00000u, 0x80000000u, 0x7F000000u, bits_of(3.0f), bits_of(-0.1f)};
  const MismatchLog log = compare_with_twin(inputs);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
  EXPECT_EQ(run_unit(inputs).cycles, (std::vector<uint32_t>{1, 1, 1, 31, 31}));
}

TEST(RtlFp32Reciprocal, RandomBitPatternsMatchTwin) {
  const MismatchLog log = check_random_inputs<uint32_t>(
      0x2EC1, {{500000, any_bits}, {100000, [](Fp32Stimulus& gen) { return gen.in_binades(1, 253); }}},
      compare_with_twin);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
}

TEST(RtlFp32Reciprocal, KernelRangesMatchTwin) {
  // Softmax sums (1 .. seq_len), quantization max|x| (2^-20 .. 2^10), SwiGLU's 1 + e^-h.
  auto positive_binades = [](Fp32Stimulus& gen) { return gen.in_binades(107, 137) & 0x7FFFFFFFu; };
  auto swiglu_denominator = [](Fp32Stimulus& gen) { return bits_of(1.0f + vp::fp::exp(gen.uniform(-20.0, 20.0))); };
  const MismatchLog log = check_random_inputs<uint32_t>(
      0x2EC2, {{150000, uniform_bits(1.0, 4096.0)}, {150000, positive_binades}, {100000, swiglu_denominator}},
      compare_with_twin);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
}

}  // namespace
