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
using vp::rtl_dv::Fp32Stimulus;
using vp::rtl_dv::hex32;
using vp::rtl_dv::MismatchLog;

struct Checked {
  MismatchLog log;
  std::vector<uint32_t> cycles;
};

Checked compare_with_twin(const std::vector<uint32_t>& inputs) {
  vp::rtl_dv::VerilatedUnit<Vfp32_reciprocal> unit;
  unit.reset();
  const vp::rtl_dv::SequentialRun run = vp::rtl_dv::run_sequential(unit, inputs);
  Checked out;
  out.cycles = run.cycles;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const uint32_t want = bits_of(vp::fp::reciprocal(float_of(inputs[i])));
    out.log.check(run.results[i] == want, [&] {
      return "reciprocal(" + hex32(inputs[i]) + "): rtl " + hex32(run.results[i]) + ", c++ " + hex32(want);
    });
  }
  return out;
}

TEST(RtlFp32Reciprocal, SpecialValuesAndFlushThresholdsMatchTwin) {
  // NaNs unchanged, zeros and subnormals to signed inf, above 2^126 to signed zero.
  std::vector<uint32_t> inputs = vp::rtl_dv::fp32_special_values();
  for (const uint32_t edge : {0x00800000u, 0x7E800000u, 0x3F800000u}) {
    for (uint32_t d = 0; d < 256; ++d) {
      inputs.push_back(edge + d);
      inputs.push_back((edge - d - 1) | 0x80000000u);
    }
  }
  const Checked c = compare_with_twin(inputs);
  EXPECT_EQ(c.log.failed(), 0u) << c.log.summary();
}

TEST(RtlFp32Reciprocal, SpecialInputsTakeOneCycleOthersThirtyOne) {
  const std::vector<uint32_t> inputs = {0x7FC00000u, 0x80000000u, 0x7F000000u, bits_of(3.0f), bits_of(-0.1f)};
  const Checked c = compare_with_twin(inputs);
  EXPECT_EQ(c.log.failed(), 0u) << c.log.summary();
  EXPECT_EQ(c.cycles, (std::vector<uint32_t>{1, 1, 1, 31, 31}));
}

TEST(RtlFp32Reciprocal, RandomBitPatternsMatchTwin) {
  Fp32Stimulus gen(0x2EC1);
  std::vector<uint32_t> inputs;
  for (int i = 0; i < 500000; ++i) inputs.push_back(gen.bits());
  for (int i = 0; i < 100000; ++i) inputs.push_back(gen.in_binades(1, 253));
  const Checked c = compare_with_twin(inputs);
  EXPECT_EQ(c.log.failed(), 0u) << c.log.summary();
}

TEST(RtlFp32Reciprocal, KernelRangesMatchTwin) {
  // Softmax sums (1 .. seq_len), quantization max|x| (2^-20 .. 2^10), SwiGLU's 1 + e^-h.
  Fp32Stimulus gen(0x2EC2);
  std::vector<uint32_t> inputs;
  for (int i = 0; i < 150000; ++i) inputs.push_back(bits_of(gen.uniform(1.0, 4096.0)));
  for (int i = 0; i < 150000; ++i) inputs.push_back(gen.in_binades(107, 137) & 0x7FFFFFFFu);
  for (int i = 0; i < 100000; ++i) inputs.push_back(bits_of(1.0f + vp::fp::exp(gen.uniform(-20.0, 20.0))));
  const Checked c = compare_with_twin(inputs);
  EXPECT_EQ(c.log.failed(), 0u) << c.log.summary();
}

}  // namespace
