// hls/llama_arith.h's activation quantization against llama2.c runq.c's own code, and at the edges
// of its range (the golden model, the hls/ kernel and the rtl/ datapath all follow it).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "hls/fp32_math.h"
#include "hls/llama_arith.h"

namespace {

using vp::fp::bits_of;
using vp::fp::float_of;

// runq.c quantize(), one group, transcribed: fabs max, scale = wmax / Q_MAX, (int8_t) round(x / scale).
float runq_quantize_group(int8_t* q, const float* x, int gs) {
  float wmax = 0.0f;
  for (int i = 0; i < gs; ++i) {
    const float val = std::fabs(x[i]);
    if (val > wmax) wmax = val;
  }
  const float scale = wmax / 127.0f;
  for (int i = 0; i < gs; ++i) q[i] = static_cast<int8_t>(std::round(x[i] / scale));
  return scale;
}

TEST(LlamaArithQuantizeGroup, EqualsRunqCodesAndScalesBitForBit) {
  std::mt19937 rng(7);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::uniform_real_distribution<float> magnitude(-12.0f, 6.0f);
  std::vector<float> x(64);
  std::vector<int8_t> ours(64), theirs(64);
  for (int group = 0; group < 200000; ++group) {
    const float spread = std::exp2(magnitude(rng));
    for (float& v : x) v = normal(rng) * spread;
    if (group % 7 == 0) x[group % 64] = -x[(group + 1) % 64];  // ties of max|x| with either sign
    const float scale = vp::arith::quantize_group(ours.data(), x.data(), 64);
    const float runq_scale = runq_quantize_group(theirs.data(), x.data(), 64);
    ASSERT_EQ(bits_of(scale), bits_of(runq_scale)) << "group " << group;
    ASSERT_EQ(ours, theirs) << "group " << group;
  }
}

TEST(LlamaArithQuantizeGroup, QuotientsExactlyHalfwayRoundAwayFromZero) {
  // max 127 gives scale 1: x / scale = x, so k + 0.5 rounds to k + 1 (and its negative to -(k + 1)),
  // while the float just below k + 0.5 stays k (x + 0.5f in fp32 would round it up).
  for (int k = 0; k < 126; ++k) {
    const float half = k + 0.5f;
    const float below = std::nextafter(half, 0.0f);
    const float x[4] = {127.0f, half, -half, below};
    int8_t q[4];
    ASSERT_EQ(vp::arith::quantize_group(q, x, 4), 1.0f);
    EXPECT_EQ(q[1], k + 1);
    EXPECT_EQ(q[2], -(k + 1));
    EXPECT_EQ(q[3], k);
  }
}

TEST(LlamaArithQuantizeGroup, SubnormalMaxKeepsCodesProportional) {
  // max 0x007FFFFF (largest subnormal): scale = max / 127 is a subnormal, the divisions are exact
  // IEEE, so codes follow the values (the old reciprocal formulation saturated them all to +-127).
  const std::vector<uint32_t> bits = {0x007FFFFFu, 0x00000001u, 0x80400000u, 0x807FFFFFu};
  std::vector<float> x;
  for (const uint32_t b : bits) x.push_back(float_of(b));
  std::vector<int8_t> q(x.size()), runq(x.size());
  const float scale = vp::arith::quantize_group(q.data(), x.data(), static_cast<int>(x.size()));
  EXPECT_EQ(bits_of(scale), bits_of(runq_quantize_group(runq.data(), x.data(), static_cast<int>(x.size()))));
  EXPECT_EQ(q, runq);
  EXPECT_EQ(q[0], 127);
  EXPECT_EQ(q[1], 0);
  EXPECT_EQ(q[2], -64);
  EXPECT_EQ(q[3], -127);
}

TEST(LlamaArithQuantizeGroup, ScaleThatUnderflowsToZeroGivesZeroCodes) {
  // max <= 63 * 2^-149: max / 127 rounds to +0, where runq.c would convert x / 0 (inf or NaN) to int8.
  // The spec writes 0 codes; 64 units give the scale 2^-149 and proportional codes again.
  for (uint32_t units = 1; units <= 64; ++units) {
    const float x[3] = {float_of(units), -float_of(1u), 0.0f};
    int8_t q[3] = {1, 1, 1};
    const float scale = vp::arith::quantize_group(q, x, 3);
    EXPECT_EQ(bits_of(scale), units <= 63 ? 0u : 1u) << units << " units of 2^-149";
    EXPECT_EQ(q[0], units <= 63 ? 0 : 64);
    EXPECT_EQ(q[1], units <= 63 ? 0 : -1);
    EXPECT_EQ(q[2], 0);
  }
}

TEST(LlamaArithQuantizeGroup, AllZeroAndHugeGroups) {
  const float zeros[4] = {0.0f, -0.0f, 0.0f, 0.0f};
  int8_t q[4] = {1, 1, 1, 1};
  EXPECT_EQ(vp::arith::quantize_group(q, zeros, 4), 0.0f);
  for (int8_t v : q) EXPECT_EQ(v, 0);
  // Max near FLT_MAX: scale stays finite and the codes proportional.
  const float x[4] = {std::ldexp(1.0f, 127), -std::ldexp(1.0f, 125), 1.0f, -std::ldexp(1.5f, 126)};
  EXPECT_GT(vp::arith::quantize_group(q, x, 4), 0.0f);
  EXPECT_EQ(q[0], 127);
  EXPECT_EQ(q[1], -32);  // -127 / 4 = -31.75
  EXPECT_EQ(q[2], 0);
  EXPECT_EQ(q[3], -95);  // -127 * 3 / 4 = -95.25
}

}  // namespace
