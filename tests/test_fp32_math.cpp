// The shared fp32 algorithms: accurate to a few ulp over their ranges, defined on special cases.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>

#include "hls/fp32_math.h"
#include "hls/llama_arith.h"

namespace {

using vp::fp::bits_of;

// Distance in representable floats between two finite floats of the same sign.
int64_t ulp_distance(float a, float b) {
  const int64_t ia = static_cast<int32_t>(bits_of(a));
  const int64_t ib = static_cast<int32_t>(bits_of(b));
  return ia > ib ? ia - ib : ib - ia;
}

// Sweeps `count` values evenly over [lo, hi] and returns the worst ulp error against `ref`.
template <class F, class R>
int64_t worst_ulp(F f, R ref, double lo, double hi, int count) {
  int64_t worst = 0;
  for (int i = 0; i <= count; ++i) {
    const float x = static_cast<float>(lo + (hi - lo) * i / count);
    const float want = static_cast<float>(ref(static_cast<double>(x)));
    if (want == 0.0f || !std::isfinite(want) || std::fpclassify(want) == FP_SUBNORMAL) continue;
    worst = std::max(worst, ulp_distance(f(x), want));
  }
  return worst;
}

TEST(Fp32Math, ExpIsWithinTwoUlpOverTheSoftmaxAndSiluRange) {
  EXPECT_LE(worst_ulp(vp::fp::exp, [](double x) { return std::exp(x); }, -87.0, 88.0, 200000), 2);
}

TEST(Fp32Math, ReciprocalIsWithinTwoUlp) {
  EXPECT_LE(worst_ulp(vp::fp::reciprocal, [](double x) { return 1.0 / x; }, 1e-3, 1e4, 200000), 2);
  EXPECT_LE(worst_ulp(vp::fp::reciprocal, [](double x) { return 1.0 / x; }, -1e4, -1e-3, 200000), 2);
}

TEST(Fp32Math, RsqrtIsWithinThreeUlp) {
  EXPECT_LE(worst_ulp(vp::fp::rsqrt, [](double x) { return 1.0 / std::sqrt(x); }, 1e-6, 1e6, 200000), 3);
}

TEST(Fp32Math, SpecialCasesAreDefined) {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(vp::fp::exp(0.0f), 1.0f);
  EXPECT_EQ(vp::fp::exp(-100.0f), 0.0f);
  EXPECT_EQ(vp::fp::exp(100.0f), inf);
  EXPECT_TRUE(std::isnan(vp::fp::exp(nan)));
  EXPECT_EQ(vp::fp::reciprocal(0.0f), inf);
  EXPECT_EQ(vp::fp::reciprocal(-0.0f), -inf);
  EXPECT_EQ(vp::fp::reciprocal(inf), 0.0f);
  EXPECT_EQ(vp::fp::reciprocal(1e-40f), inf);  // subnormal input
  EXPECT_EQ(vp::fp::rsqrt(0.0f), inf);
  EXPECT_EQ(vp::fp::rsqrt(inf), 0.0f);
  EXPECT_TRUE(std::isnan(vp::fp::rsqrt(-1.0f)));
}

TEST(Fp32Math, ExpNearOverflowScalesInTwoSteps) {
  // n = 128 would overflow a single 2^n factor; the two-step scaling keeps the result finite.
  const float x = 88.5f;
  EXPECT_TRUE(std::isfinite(vp::fp::exp(x)));
  EXPECT_LE(ulp_distance(vp::fp::exp(x), static_cast<float>(std::exp(double(x)))), 2);
}

TEST(Arith, RoundHalfAwayFromZero) {
  EXPECT_EQ(vp::fp::round_half_away(2.5f), 3);
  EXPECT_EQ(vp::fp::round_half_away(-2.5f), -3);
  EXPECT_EQ(vp::fp::round_half_away(2.49f), 2);
  EXPECT_EQ(vp::fp::round_half_away(-0.4f), 0);
}

TEST(Arith, QuantizeGroupKeepsEveryValueWithinHalfAStep) {
  float x[64];
  for (int i = 0; i < 64; ++i) x[i] = std::sin(0.37f * i) * (i % 7 + 1);
  int8_t q[64];
  const float scale = vp::arith::quantize_group(q, x, 64);
  float max_abs = 0;
  for (float v : x) max_abs = std::max(max_abs, std::fabs(v));
  EXPECT_FLOAT_EQ(scale, max_abs / 127.0f);
  for (int i = 0; i < 64; ++i) {
    EXPECT_LE(std::abs(q[i]), 127);
    EXPECT_LE(std::fabs(q[i] * scale - x[i]), scale * 0.5f + 1e-6f) << "element " << i;
  }
}

TEST(Arith, QuantizeAllZeroGroupGivesZeroScale) {
  float x[8] = {};
  int8_t q[8];
  EXPECT_EQ(vp::arith::quantize_group(q, x, 8), 0.0f);
  for (int8_t v : q) EXPECT_EQ(v, 0);
}

TEST(Arith, DotQ8SumsGroupsExactlyThenScales) {
  int8_t w[8] = {127, -128, 5, 7, 1, 2, 3, 4};
  int8_t x[8] = {127, 127, -3, 2, 1, 1, 1, 1};
  const float ws[2] = {0.5f, 0.25f};
  const float xs[2] = {2.0f, 4.0f};
  const float want = float(127 * 127 - 128 * 127 - 15 + 14) * 0.5f * 2.0f + float(1 + 2 + 3 + 4) * 0.25f * 4.0f;
  EXPECT_EQ(vp::arith::dot_q8(w, ws, x, xs, 8, 4), want);
}

TEST(Arith, SoftmaxSumsToOneAndPreservesOrder) {
  float x[5] = {1.0f, 3.0f, -2.0f, 0.5f, 3.0f};
  vp::arith::softmax(x, 5);
  float s = 0;
  for (float v : x) s += v;
  EXPECT_NEAR(s, 1.0f, 1e-6f);
  EXPECT_GT(x[1], x[0]);
  EXPECT_EQ(x[1], x[4]);
  EXPECT_GT(x[0], x[2]);
}

}  // namespace
