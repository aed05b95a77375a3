// hls/llama_arith.h at the edges of its range, as the spec defines it (the golden model, the hls/
// kernel and the rtl/ datapath all follow it, so these are documented rather than changed).
//
// quantize_group computes inv_scale = 127 * fp::reciprocal(max|x|) and q = round(x * inv_scale). For a
// group whose max|x| is below 127 * 2^-128 (about 3.7e-37: every subnormal max, and normal ones up to
// 2^-121), 127 / max|x| exceeds FLT_MAX and inv_scale is +inf (fp::reciprocal is itself +inf for a
// subnormal). Then every nonzero element saturates to +-127, whatever its size, and each zero element
// meets 0 * inf = NaN. Activations that small only arise from (near) all-zero activations, e.g. a
// degenerate checkpoint, but the RTL must reproduce the same codes.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "hls/fp32_math.h"
#include "hls/llama_arith.h"

namespace {

using vp::fp::bits_of;
using vp::fp::float_of;

constexpr uint32_t kFirstFiniteInvScale = 0x02FE0000u;  // 127 * 2^-128 = 1.984375 * 2^-122

float inv_scale_of(float wmax) { return 127.0f * vp::fp::reciprocal(wmax); }

TEST(LlamaArithQuantizeGroup, InverseScaleIsInfiniteForEveryMaxBelow127Times2ToMinus128) {
  // 127 / max > 2^128 (1 - 2^-25), the overflow threshold of round to nearest, exactly when
  // max < 127 * 2^-128 up to the reciprocal's ulp: every subnormal and the normals up to 2^-121.
  uint32_t finite_below = 0;
  for (uint32_t bits = 1; bits < kFirstFiniteInvScale; ++bits)
    finite_below += std::isinf(inv_scale_of(float_of(bits))) ? 0 : 1;
  EXPECT_EQ(finite_below, 0u);
  EXPECT_EQ(inv_scale_of(float_of(0x00800000u)), std::numeric_limits<float>::infinity()) << "smallest normal";
  EXPECT_EQ(vp::fp::reciprocal(float_of(0x007FFFFFu)), std::numeric_limits<float>::infinity())
      << "largest subnormal: the reciprocal itself is +inf";
  // From 127 * 2^-128 up, inv_scale is finite (sampled: the first 2^16 values, then a stride).
  for (uint32_t bits = kFirstFiniteInvScale; bits < kFirstFiniteInvScale + 65536u; ++bits)
    ASSERT_TRUE(std::isfinite(inv_scale_of(float_of(bits)))) << std::hex << bits;
  for (uint32_t bits = kFirstFiniteInvScale; bits <= 0x7E800000u; bits += 4099u)
    ASSERT_TRUE(std::isfinite(inv_scale_of(float_of(bits)))) << std::hex << bits;
}

TEST(LlamaArithQuantizeGroup, GroupWithSubnormalMaxQuantizesEveryNonzeroElementToPlusOrMinus127) {
  // Max 0x007FFFFF (largest subnormal) with elements down to the smallest subnormal, either sign.
  const std::vector<uint32_t> bits = {0x007FFFFFu, 0x00000001u, 0x80400000u, 0x00000123u, 0x807FFFFFu,
                                      0x80000001u, 0x00100000u, 0x00654321u};
  std::vector<float> x;
  for (const uint32_t b : bits) x.push_back(float_of(b));
  std::vector<int8_t> q(x.size());
  const float scale = vp::arith::quantize_group(q.data(), x.data(), static_cast<int>(x.size()));
  for (size_t i = 0; i < x.size(); ++i) EXPECT_EQ(q[i], x[i] < 0.0f ? -127 : 127) << "element " << i;
  // scale = max * (1/127) in units of 2^-149: 8388607 / 127 = 66052.02 (kInv127's relative error of
  // 2^-24 moves it by 0.004), rounded to 66052 = 0x10204 units. Every element dequantizes to
  // +-127 * 66052 units = +-8388604 * 2^-149, within max of the true value but not proportional to it.
  EXPECT_EQ(bits_of(scale), 0x00010204u);
}

TEST(LlamaArithQuantizeGroup, GroupWithNormalMaxBelowTheThresholdAlsoSaturates) {
  // Max 2^-124 (normal): inv_scale is +inf as for subnormals, so codes are the signs times 127.
  const float x[4] = {std::ldexp(1.0f, -124), -std::ldexp(1.0f, -130), std::ldexp(1.0f, -140),
                      -std::ldexp(3.0f, -126)};
  int8_t q[4];
  vp::arith::quantize_group(q, x, 4);
  EXPECT_EQ(q[0], 127);
  EXPECT_EQ(q[1], -127);
  EXPECT_EQ(q[2], 127);
  EXPECT_EQ(q[3], -127);
}

TEST(LlamaArithQuantizeGroup, MaxOfAtMost63SmallestSubnormalsGivesZeroScale) {
  // max * (1/127) below half of 2^-149 rounds to +0: the codes are +-127 but the group dequantizes to 0.
  // 63 / 127 < 1/2 gives 0; 64 / 127 > 1/2 gives 2^-149.
  for (uint32_t units = 1; units <= 64; ++units) {
    const float x[2] = {float_of(units), -float_of(1u)};
    int8_t q[2];
    const float scale = vp::arith::quantize_group(q, x, 2);
    EXPECT_EQ(bits_of(scale), units <= 63 ? 0u : 1u) << units << " units of 2^-149";
    EXPECT_EQ(q[0], 127);
    EXPECT_EQ(q[1], -127);
  }
}

TEST(LlamaArithQuantizeGroup, ZeroElementOfAGroupWithSubnormalMaxBecomesNanBeforeRounding) {
  // What quantize_group computes for x[i] = +-0 when max|x| is subnormal: 0 * inf = NaN, which passes
  // both clamps (every comparison with NaN is false) into fp::round_half_away, whose NaN to int32
  // conversion is undefined behaviour in C++.
  const float wmax = float_of(0x00000ABCu);
  const float inv_scale = inv_scale_of(wmax);
  ASSERT_EQ(inv_scale, std::numeric_limits<float>::infinity());
  for (const float zero : {0.0f, -0.0f}) {
    const float v = zero * inv_scale;
    EXPECT_TRUE(vp::fp::is_nan(v));
    EXPECT_FALSE(v > 127.0f);
    EXPECT_FALSE(v < -127.0f);
    EXPECT_TRUE(vp::fp::is_nan(v + 0.5f));  // round_half_away's argument to the int32 conversion
  }
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
  // With g++ on x86-64 the code is 0: cvttss2si gives 0x80000000 (integer indefinite, as
  // rtl/fp32_round_half_away.sv does, RtlFp32RoundHalfAway.OutOfDomainGivesIntegerIndefinite) and its
  // low byte is 0; g++'s constant folding of the conversion gives 0 as well. (g++'s
  // -fsanitize=undefined does not include float-cast-overflow; clang's does and would stop here.)
  const float x[4] = {wmax, 0.0f, -0.0f, -wmax};
  int8_t q[4] = {1, 1, 1, 1};
  vp::arith::quantize_group(q, x, 4);
  EXPECT_EQ(q[0], 127);
  EXPECT_EQ(q[1], 0);
  EXPECT_EQ(q[2], 0);
  EXPECT_EQ(q[3], -127);
#endif
}

TEST(LlamaArithQuantizeGroup, GroupWithMaxAbove2To126QuantizesToAllZeroCodes) {
  // The other end: fp::reciprocal flushes magnitudes above 2^126 to 0, so inv_scale = 0 and every
  // finite element gets code 0 while scale = max / 127 stays finite: the group dequantizes to 0.
  const float x[4] = {std::ldexp(1.0f, 127), -std::ldexp(1.5f, 126), 1.0f, -std::ldexp(1.0f, 126)};
  int8_t q[4] = {1, 1, 1, 1};
  const float scale = vp::arith::quantize_group(q, x, 4);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(q[i], 0) << "element " << i;
  EXPECT_TRUE(std::isfinite(scale));
  EXPECT_GT(scale, 0.0f);
  // At exactly 2^126 the reciprocal is still computed: codes are proportional as usual.
  const float y[2] = {std::ldexp(1.0f, 126), -std::ldexp(1.0f, 124)};
  int8_t r[2];
  vp::arith::quantize_group(r, y, 2);
  EXPECT_EQ(r[0], 127);
  EXPECT_EQ(r[1], -32);  // -127 / 4 = -31.75
}

}  // namespace
