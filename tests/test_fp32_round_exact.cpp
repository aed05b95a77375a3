// vp::fp::round_half_away_exact (hls/fp32_math.h) against the C library's round half away from
// zero (std::lround, exact on the float's value): every 7th bit pattern with |x| < 2^24 (both
// signs), every tie k + 0.5 with |k| < 2^23 and its float neighbours, sampled patterns up to
// 2^31, and the defined results outside the int32 range (0x80000000 for |x| >= 2^31, inf, NaN).
// Also where the inexact vp::fp::round_half_away (x +/- 0.5f in fp32) differs.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "hls/fp32_math.h"

namespace {

using vp::fp::bits_of;
using vp::fp::float_of;
using vp::fp::round_half_away_exact;

// Counts mismatches over bit patterns [lo, hi) taken every `step`, both signs, and keeps the first.
struct Sweep {
  uint64_t checked = 0;
  uint64_t failed = 0;
  std::string first;
  void check(float x) {
    ++checked;
    const long want = std::lround(x);
    const int32_t got = round_half_away_exact(x);
    if (got == want) return;
    if (failed++ == 0)
      first = std::to_string(bits_of(x)) + ": got " + std::to_string(got) + ", lround " + std::to_string(want);
  }
};

TEST(Fp32RoundExact, EverySeventhPatternBelowTwoPow24MatchesLround) {
  Sweep sweep;
  const uint32_t limit = 0x4B800000u;  // 2^24
  for (uint32_t u = 0; u < limit; u += 7) {
    sweep.check(float_of(u));
    sweep.check(float_of(u | 0x80000000u));
  }
  EXPECT_EQ(sweep.failed, 0u) << sweep.first;
  EXPECT_GT(sweep.checked, 300000000u);
}

TEST(Fp32RoundExact, EveryTieAndItsNeighboursMatchLround) {
  Sweep sweep;
  const int64_t limit = int64_t{1} << 23;
  for (int64_t k = -limit + 1; k < limit; ++k) {
    const float tie = static_cast<float>(k) + 0.5f;
    ASSERT_EQ(static_cast<double>(tie), static_cast<double>(k) + 0.5);
    sweep.check(tie);
    sweep.check(std::nextafter(tie, -std::numeric_limits<float>::infinity()));
    sweep.check(std::nextafter(tie, std::numeric_limits<float>::infinity()));
  }
  EXPECT_EQ(sweep.failed, 0u) << sweep.first;
  EXPECT_EQ(sweep.checked, static_cast<uint64_t>(2 * limit - 1) * 3);
}

TEST(Fp32RoundExact, IntegersUpToTwoPow31MatchLround) {
  // [2^24, 2^31): every float there is an integer; every 3rd pattern.
  Sweep sweep;
  for (uint32_t u = 0x4B800000u; u < 0x4F000000u; u += 3) {
    sweep.check(float_of(u));
    sweep.check(float_of(u | 0x80000000u));
  }
  EXPECT_EQ(sweep.failed, 0u) << sweep.first;
}

TEST(Fp32RoundExact, OutsideTheInt32RangeGivesIntegerIndefinite) {
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(round_half_away_exact(2147483520.0f), 2147483520);  // largest float below 2^31
  EXPECT_EQ(round_half_away_exact(-2147483520.0f), -2147483520);
  EXPECT_EQ(round_half_away_exact(-2147483648.0f), INT32_MIN);     // exact, and the indefinite value
  for (uint32_t u = 0x4F000000u; u <= 0x7F800000u; u += 0x1001) {  // 2^31 .. inf
    EXPECT_EQ(round_half_away_exact(float_of(u)), INT32_MIN) << u;
    EXPECT_EQ(round_half_away_exact(float_of(u | 0x80000000u)), INT32_MIN) << u;
  }
  EXPECT_EQ(round_half_away_exact(inf), INT32_MIN);
  EXPECT_EQ(round_half_away_exact(-inf), INT32_MIN);
  EXPECT_EQ(round_half_away_exact(std::numeric_limits<float>::quiet_NaN()), INT32_MIN);
  EXPECT_EQ(round_half_away_exact(float_of(0x7F800001u)), INT32_MIN);
  EXPECT_EQ(round_half_away_exact(float_of(0xFFFFFFFFu)), INT32_MIN);
  // llama2.c runq.c's (int8_t) round(NaN) on x86 (an all-zero group: 0 / 0) is the low byte 0.
  EXPECT_EQ(static_cast<int8_t>(round_half_away_exact(std::numeric_limits<float>::quiet_NaN())), 0);
}

TEST(Fp32RoundExact, DiffersFromTheFloatAddRoundingWhereThatIsInexact) {
  // x + 0.5f rounds up for 0.49999997f and for the odd integers in [2^23, 2^24).
  EXPECT_EQ(vp::fp::round_half_away(0.49999997f), 1);
  EXPECT_EQ(round_half_away_exact(0.49999997f), 0);
  EXPECT_EQ(vp::fp::round_half_away(-0.49999997f), -1);
  EXPECT_EQ(round_half_away_exact(-0.49999997f), 0);
  EXPECT_EQ(vp::fp::round_half_away(8388609.0f), 8388610);
  EXPECT_EQ(round_half_away_exact(8388609.0f), 8388609);
}

}  // namespace
