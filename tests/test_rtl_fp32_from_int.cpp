// rtl/fp32_from_int.sv (Verilated, combinational) against its C++ twin
// static_cast<float>(int32_t): round to nearest even, bit for bit.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <vector>

#include "Vfp32_from_int.h"
#include "hls/fp32_math.h"
#include "rtl/dv/fp32_stimulus.h"
#include "rtl/dv/verilated_harness.h"

namespace {

using vp::fp::bits_of;
using namespace vp::rtl_dv;

MismatchLog compare_with_twin(const std::vector<int32_t>& inputs) {
  vp::rtl_dv::VerilatedUnit<Vfp32_from_int> unit;
  std::vector<uint32_t> results;
  results.reserve(inputs.size());
  for (const int32_t i : inputs) {
    unit.io().int_i = static_cast<uint32_t>(i);
    unit.eval();
    results.push_back(unit.io().result_o);
  }
  return vp::rtl_dv::compare_results(
      inputs, results, [](int32_t i) { return bits_of(static_cast<float>(i)); },
      [](int32_t i) { return std::to_string(i); });
}

TEST(RtlFp32FromInt, ExtremesAndNeighboursOfPowersOfTwoMatchTwin) {
  // Around every power of two: exact conversions, ties (2^k + 2^(k-24) for k >= 24) and
  // rounding carries into the next binade.
  std::vector<int32_t> inputs = {0, 1, -1, std::numeric_limits<int32_t>::max(), std::numeric_limits<int32_t>::min(),
                                 std::numeric_limits<int32_t>::min() + 1};
  for (int k = 0; k < 31; ++k) {
    const int64_t p = int64_t{1} << k;
    for (int64_t d = -300; d <= 300; ++d) {
      for (const int64_t v : {p + d, -(p + d), p + d * (p >> 24), -(p + d * (p >> 24))}) {
        if (v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max())
          inputs.push_back(static_cast<int32_t>(v));
      }
    }
  }
  const MismatchLog log = compare_with_twin(inputs);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
}

TEST(RtlFp32FromInt, RandomIntegersMatchTwin) {
  // Uniform int32 (mostly large magnitudes, rounded), and int8 dot-product sums (the kernel's
  // isum of a 32..256-element group: |isum| <= 256 * 127 * 127).
  auto any_int = [](Fp32Stimulus& gen) { return static_cast<int32_t>(gen.bits()); };
  auto dot_product_sum = [](Fp32Stimulus& gen) {
    return static_cast<int32_t>(gen.integer(-256 * 127 * 127, 256 * 127 * 127));
  };
  // Every binade equally: 2^k random bits.
  auto any_binade = [](Fp32Stimulus& gen) { return static_cast<int32_t>(gen.bits() >> gen.integer(0, 31)); };
  const MismatchLog log = check_random_inputs<int32_t>(
      0xF10A7, {{1000000, any_int}, {200000, dot_product_sum}, {200000, any_binade}}, compare_with_twin);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
  EXPECT_EQ(log.checked(), 1400000u);
}

TEST(RtlFp32FromInt, TiesRoundToEven) {
  // 2^24 + 1 lies halfway between 2^24 and 2^24 + 2: even significand wins (2^24); 2^24 + 3
  // lies halfway between 2^24 + 2 and 2^24 + 4: 2^24 + 4.
  vp::rtl_dv::VerilatedUnit<Vfp32_from_int> unit;
  unit.io().int_i = (1u << 24) + 1u;
  unit.eval();
  EXPECT_EQ(unit.io().result_o, 0x4B800000u);
  unit.io().int_i = (1u << 24) + 3u;
  unit.eval();
  EXPECT_EQ(unit.io().result_o, 0x4B800002u);
  unit.io().int_i = static_cast<uint32_t>(-((1 << 24) + 3));
  unit.eval();
  EXPECT_EQ(unit.io().result_o, 0xCB800002u);
}

}  // namespace
