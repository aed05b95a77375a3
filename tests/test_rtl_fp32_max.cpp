// rtl/fp32_max.sv (Verilated, combinational) against its C++ twins: the running-max steps of
// vp::arith::softmax (`if (x > m) m = x`) and vp::arith::quantize_group (`a = x < 0 ? -x : x;
// if (a > m) m = a`), bit for bit, NaN operands included (C++ compare semantics).
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "Vfp32_max.h"
#include "hls/fp32_math.h"
#include "hls/llama_arith.h"
#include "rtl/dv/fp32_stimulus.h"
#include "rtl/dv/verilated_harness.h"

namespace {

using vp::fp::bits_of;
using vp::fp::float_of;
using namespace vp::rtl_dv;

struct MaxStep {
  uint32_t x;  // new element
  uint32_t m;  // running maximum
};

uint32_t twin(const MaxStep& s, bool abs) {
  const float x = float_of(s.x);
  float m = float_of(s.m);
  const float a = abs ? (x < 0.0f ? -x : x) : x;
  if (a > m) m = a;
  return bits_of(m);
}

class MaxUnit {
 public:
  uint32_t step(uint32_t x, uint32_t m, bool abs) {
    unit_.io().a_i = x;
    unit_.io().b_i = m;
    unit_.io().abs_i = abs;
    unit_.eval();
    return unit_.io().max_o;
  }

 private:
  vp::rtl_dv::VerilatedUnit<Vfp32_max> unit_;
};

MismatchLog compare_with_twin(const std::vector<MaxStep>& steps, bool abs) {
  MaxUnit unit;
  std::vector<uint32_t> results;
  results.reserve(steps.size());
  for (const MaxStep& s : steps) results.push_back(unit.step(s.x, s.m, abs));
  return vp::rtl_dv::compare_results(
      steps, results, [abs](const MaxStep& s) { return twin(s, abs); },
      [abs](const MaxStep& s) { return std::string(abs ? "absmax(" : "max(") + hex32(s.x) + ", " + hex32(s.m) + ")"; });
}

// Every pair of special values, then random steps drawn from `seed`.
std::vector<MaxStep> stimulus(uint64_t seed) {
  std::vector<MaxStep> steps = special_value_pairs<MaxStep>();
  auto any_bits = [](Fp32Stimulus& gen) { return MaxStep{gen.bits(), gen.bits()}; };
  auto equal_magnitudes = [](Fp32Stimulus& gen) {  // either sign
    const uint32_t x = gen.bits();
    return MaxStep{x, x ^ (gen.coin() ? 0x80000000u : 0u)};
  };
  auto softmax_range = [](Fp32Stimulus& gen) {
    return MaxStep{bits_of(gen.uniform(-30, 30)), bits_of(gen.uniform(-30, 30))};
  };
  auto subnormal = [](Fp32Stimulus& gen) { return MaxStep{gen.in_binades(0, 3), gen.in_binades(0, 3)}; };
  const std::vector<MaxStep> random = vp::rtl_dv::draw_inputs<MaxStep>(
      seed, {{300000, any_bits}, {100000, equal_magnitudes}, {200000, softmax_range}, {100000, subnormal}});
  steps.insert(steps.end(), random.begin(), random.end());
  return steps;
}

TEST(RtlFp32Max, SoftmaxMaxStepMatchesTwin) {
  const MismatchLog log = compare_with_twin(stimulus(0x3A70001), false);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
  EXPECT_GT(log.checked(), 700000u);
}

TEST(RtlFp32Max, AbsMaxStepMatchesTwin) {
  const MismatchLog log = compare_with_twin(stimulus(0x3A70002), true);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
  EXPECT_GT(log.checked(), 700000u);
}

TEST(RtlFp32Max, SignedZerosAndTiesKeepTheRunningMax) {
  MaxUnit unit;
  EXPECT_EQ(unit.step(0x80000000u, 0x00000000u, false), 0x00000000u);  // -0 > +0 is false
  EXPECT_EQ(unit.step(0x00000000u, 0x80000000u, false), 0x80000000u);  // +0 > -0 is false
  EXPECT_EQ(unit.step(0x80000000u, 0x80000000u, true), 0x80000000u);   // abs(-0) stays -0
  EXPECT_EQ(unit.step(0xC0000000u, 0x3F800000u, true), 0x40000000u);   // |-2| > 1
  EXPECT_EQ(unit.step(0x7FC00000u, 0x3F800000u, false), 0x3F800000u);  // NaN never replaces
  EXPECT_EQ(unit.step(0x3F800000u, 0x7FC00000u, false), 0x7FC00000u);  // NaN is never replaced
}

TEST(RtlFp32Max, GroupAbsMaxReproducesQuantizeGroupScale) {
  // The max |x| of each group, iterated through the unit, divided by 127 is the scale that
  // vp::arith::quantize_group returns.
  Fp32Stimulus gen(0x3A70003);
  MaxUnit unit;
  constexpr int kGroup = 64;
  for (int g = 0; g < 2000; ++g) {
    float x[kGroup];
    int8_t q[kGroup];
    const double range = std::ldexp(1.0, static_cast<int>(gen.integer(-10, 10)));
    for (float& v : x) v = gen.uniform(-range, range);
    uint32_t wmax = bits_of(0.0f);
    for (const float v : x) wmax = unit.step(bits_of(v), wmax, true);
    const float scale = vp::arith::quantize_group(q, x, kGroup);
    ASSERT_EQ(bits_of(float_of(wmax) / 127.0f), bits_of(scale)) << "group " << g;
  }
}

TEST(RtlFp32Max, RowMaxReproducesSoftmaxMax) {
  // The softmax max over a row, iterated through the unit, leaves x[i] - max <= 0 with an
  // exact zero at the arg max, and matches the C++ loop.
  Fp32Stimulus gen(0x3A70004);
  MaxUnit unit;
  for (int row = 0; row < 2000; ++row) {
    std::vector<float> x(static_cast<size_t>(gen.integer(1, 256)));
    for (float& v : x) v = gen.uniform(-20, 20);
    uint32_t m = bits_of(x[0]);
    for (size_t i = 1; i < x.size(); ++i) m = unit.step(bits_of(x[i]), m, false);
    float want = x[0];
    for (size_t i = 1; i < x.size(); ++i)
      if (x[i] > want) want = x[i];
    ASSERT_EQ(m, bits_of(want)) << "row " << row;
  }
}

}  // namespace
