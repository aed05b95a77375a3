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
using vp::rtl_dv::Fp32Stimulus;
using vp::rtl_dv::hex32;
using vp::rtl_dv::MismatchLog;

struct Checked {
  MismatchLog log;
  std::vector<uint32_t> cycles;
};

Checked compare_with_twin(const std::vector<uint32_t>& inputs) {
  vp::rtl_dv::VerilatedUnit<Vfp32_rsqrt> unit;
  unit.reset();
  const vp::rtl_dv::SequentialRun run = vp::rtl_dv::run_sequential(unit, inputs);
  Checked out;
  out.cycles = run.cycles;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const uint32_t want = bits_of(vp::fp::rsqrt(float_of(inputs[i])));
    out.log.check(run.results[i] == want, [&] {
      return "rsqrt(" + hex32(inputs[i]) + "): rtl " + hex32(run.results[i]) + ", c++ " + hex32(want);
    });
  }
  return out;
}

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
  const Checked c = compare_with_twin(inputs);
  EXPECT_EQ(c.log.failed(), 0u) << c.log.summary();
}

TEST(RtlFp32Rsqrt, SpecialInputsTakeOneCycleOthersFortyThree) {
  const std::vector<uint32_t> inputs = {0x7FC00000u, 0xBF800000u, 0x00000001u, 0x7F800000u, bits_of(2.0f),
                                        bits_of(1e-5f)};
  const Checked c = compare_with_twin(inputs);
  EXPECT_EQ(c.log.failed(), 0u) << c.log.summary();
  EXPECT_EQ(c.cycles, (std::vector<uint32_t>{1, 1, 1, 1, 43, 43}));
}

TEST(RtlFp32Rsqrt, RandomBitPatternsMatchTwin) {
  Fp32Stimulus gen(0x25A1);
  std::vector<uint32_t> inputs;
  for (int i = 0; i < 400000; ++i) inputs.push_back(gen.bits());
  for (int i = 0; i < 200000; ++i) inputs.push_back(gen.in_binades(1, 254) & 0x7FFFFFFFu);
  const Checked c = compare_with_twin(inputs);
  EXPECT_EQ(c.log.failed(), 0u) << c.log.summary();
}

TEST(RtlFp32Rsqrt, RmsnormRangeMatchesTwin) {
  // mean(x^2) + 1e-5: from just above 1e-5 to large activations.
  Fp32Stimulus gen(0x25A2);
  std::vector<uint32_t> inputs;
  for (int i = 0; i < 200000; ++i) inputs.push_back(bits_of(gen.uniform(0.0, 4.0) + 1e-5f));
  for (int i = 0; i < 200000; ++i) inputs.push_back(gen.in_binades(110, 150) & 0x7FFFFFFFu);
  const Checked c = compare_with_twin(inputs);
  EXPECT_EQ(c.log.failed(), 0u) << c.log.summary();
}

}  // namespace
