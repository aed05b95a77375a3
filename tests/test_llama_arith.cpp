// hls/llama_arith.h's activation quantization against llama2.c runq.c's own code, and at the edges
// of its range; its block reductions against a literal transcription of the stated order (the
// golden model, the hls/ kernel and the rtl/ datapath all follow it).
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

// The reduction order of sum / sum_of_squares written out literally: blocks of 16 leaves (past n:
// -0.0f), each summed by the balanced tree ((l0+l1)+(l2+l3))+... level by level, block k into
// partial k % 8, partials combined ((p0+p1)+(p2+p3))+((p4+p5)+(p6+p7)).
float literal_block_sum(const std::vector<float>& leaves_in) {
  const int n = static_cast<int>(leaves_in.size());
  float p[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  for (int k = 0; 16 * k < n; ++k) {
    float level[16];
    for (int j = 0; j < 16; ++j) level[j] = 16 * k + j < n ? leaves_in[16 * k + j] : -0.0f;
    for (int width = 16; width > 1; width /= 2)
      for (int j = 0; j < width / 2; ++j) level[j] = level[2 * j] + level[2 * j + 1];
    p[k % 8] = p[k % 8] + level[0];
  }
  return ((p[0] + p[1]) + (p[2] + p[3])) + ((p[4] + p[5]) + (p[6] + p[7]));
}

TEST(LlamaArithReductions, SumAndSumOfSquaresFollowTheSixteenLeafBlockTreeOrder) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  for (int n : {1, 2, 3, 5, 15, 16, 17, 31, 32, 33, 100, 127, 128, 129, 257, 288, 1000, 4096}) {
    std::vector<float> x(n), sq(n);
    for (int i = 0; i < n; ++i) {
      // Spread magnitudes so that a different order would round differently.
      x[i] = u(rng) * std::ldexp(1.0f, static_cast<int>(rng() % 24) - 12);
      sq[i] = x[i] * x[i];
    }
    EXPECT_EQ(bits_of(vp::arith::sum(x.data(), n)), bits_of(literal_block_sum(x))) << "n = " << n;
    EXPECT_EQ(bits_of(vp::arith::sum_of_squares(x.data(), n)), bits_of(literal_block_sum(sq))) << "n = " << n;
  }
}

TEST(LlamaArithReductions, ShortBlocksAreTheTreeOfTheirOwnElements) {
  // -0.0f leaves are an exact identity: a block of 3 elements is ((x0 + x1) + x2).
  const float x[3] = {std::ldexp(1.0f, -24), std::ldexp(1.0f, -24), 1.0f};
  EXPECT_EQ(bits_of(vp::arith::sum(x, 3)), bits_of((x[0] + x[1]) + x[2]));
  EXPECT_EQ(bits_of(vp::arith::sum(x, 3)), bits_of(1.0f + std::ldexp(1.0f, -23)));
  // A block of -0.0f sums to -0.0f, which partial 0 (+0.0f) turns into +0.0f.
  const float z[3] = {-0.0f, -0.0f, -0.0f};
  EXPECT_EQ(bits_of(vp::arith::sum(z, 3)), bits_of(0.0f));
}

TEST(LlamaArithReductions, BlocksGoToPartialsModuloEight) {
  // 9 blocks of 16: block 8 shares partial 0 with block 0. One large element in block 0 and a
  // small one in block 8 add first (p0 = big + small), before the tree of partials.
  std::vector<float> x(9 * 16, 0.0f);
  x[0] = 1.0f;
  x[8 * 16] = std::ldexp(1.0f, -24);
  x[16] = std::ldexp(1.0f, -24);  // block 1: partial 1
  // p0 = 1 + 2^-24 = 1 (ties to even), p1 = 2^-24: (p0 + p1) = 1 again.
  EXPECT_EQ(bits_of(vp::arith::sum(x.data(), 9 * 16)), bits_of(1.0f));
  EXPECT_EQ(bits_of(vp::arith::sum(x.data(), 9 * 16)), bits_of(literal_block_sum(x)));
}
}  // namespace
