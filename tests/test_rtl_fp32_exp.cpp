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
using vp::rtl_dv::Fp32Stimulus;
using vp::rtl_dv::hex32;
using vp::rtl_dv::MismatchLog;

struct Checked {
  MismatchLog log;
  std::vector<uint32_t> cycles;
};

Checked compare_with_twin(const std::vector<uint32_t>& inputs) {
  vp::rtl_dv::VerilatedUnit<Vfp32_exp> unit;
  unit.reset();
  const vp::rtl_dv::SequentialRun run = vp::rtl_dv::run_sequential(unit, inputs);
  Checked out;
  out.cycles = run.cycles;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const uint32_t want = bits_of(vp::fp::exp(float_of(inputs[i])));
    out.log.check(run.results[i] == want,
                  [&] { return "exp(" + hex32(inputs[i]) + "): rtl " + hex32(run.results[i]) + ", c++ " + hex32(want); });
  }
  return out;
}

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
  const Checked c = compare_with_twin(inputs);
  EXPECT_EQ(c.log.failed(), 0u) << c.log.summary();
}

TEST(RtlFp32Exp, SpecialInputsTakeOneCycleOthersSeventyFive) {
  const std::vector<uint32_t> inputs = {0x7FC00000u, 0x42B20000u, 0xC2B00000u, bits_of(1.0f), bits_of(-20.0f)};
  const Checked c = compare_with_twin(inputs);
  EXPECT_EQ(c.log.failed(), 0u) << c.log.summary();
  EXPECT_EQ(c.cycles, (std::vector<uint32_t>{1, 1, 1, 75, 75}));
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
  const Checked c = compare_with_twin(inputs);
  EXPECT_EQ(c.log.failed(), 0u) << c.log.summary();
}

TEST(RtlFp32Exp, RandomBitPatternsMatchTwin) {
  // Mostly out of range (fast path); every binade inside the range too.
  Fp32Stimulus gen(0xE4901);
  std::vector<uint32_t> inputs;
  for (int i = 0; i < 300000; ++i) inputs.push_back(gen.bits());
  for (int i = 0; i < 100000; ++i) inputs.push_back(gen.in_binades(0, 133));
  const Checked c = compare_with_twin(inputs);
  EXPECT_EQ(c.log.failed(), 0u) << c.log.summary();
}

TEST(RtlFp32Exp, SoftmaxRangeMatchesTwin) {
  // x - max over attention scores: non-positive, mostly within a few tens of zero.
  Fp32Stimulus gen(0xE4902);
  std::vector<uint32_t> inputs;
  for (int i = 0; i < 200000; ++i) inputs.push_back(bits_of(gen.uniform(-30.0, 0.0)));
  for (int i = 0; i < 100000; ++i) inputs.push_back(bits_of(gen.uniform(-87.0, 0.0)));
  const Checked c = compare_with_twin(inputs);
  EXPECT_EQ(c.log.failed(), 0u) << c.log.summary();
}

TEST(RtlFp32Exp, SwigluAndFullRangeMatchTwin) {
  // -h1 of SwiGLU (hidden activations of either sign) and the whole finite range.
  Fp32Stimulus gen(0xE4903);
  std::vector<uint32_t> inputs;
  for (int i = 0; i < 200000; ++i) inputs.push_back(bits_of(gen.uniform(-20.0, 20.0)));
  for (int i = 0; i < 150000; ++i) inputs.push_back(bits_of(gen.uniform(-87.0, 88.5)));
  const Checked c = compare_with_twin(inputs);
  EXPECT_EQ(c.log.failed(), 0u) << c.log.summary();
}

}  // namespace
