#pragma once
// Fixed fp32 algorithms shared by the golden model, the hls/ kernel and the rtl/ units.
// Each is written only from IEEE fp32 add/multiply (round-to-nearest-even), compares,
// float<->int conversions and exponent-field manipulation, in a fixed order, so a
// hardware twin can reproduce it bit for bit. Compile with -ffp-contract=off.
#include <cstdint>
#include <cstring>
#include <limits>

namespace vp::fp {

inline uint32_t bits_of(float x) {
  uint32_t u;
  std::memcpy(&u, &x, sizeof u);
  return u;
}

inline float float_of(uint32_t u) {
  float x;
  std::memcpy(&x, &u, sizeof x);
  return x;
}

inline bool is_nan(float x) { return (bits_of(x) & 0x7fffffffu) > 0x7f800000u; }

// 2^n for n in [-126, 127], built directly in the exponent field.
inline float exp2_int(int n) { return float_of(static_cast<uint32_t>(n + 127) << 23); }

// Round half away from zero to int32; |x| must be < 2^31 (callers clamp first).
inline int32_t round_half_away(float x) {
  const float r = x < 0.0f ? x - 0.5f : x + 0.5f;
  return static_cast<int32_t>(r);  // truncation toward zero
}

// Round half away from zero to int32, exactly (C round()/lround() on the float's value), from
// the exponent and fraction fields: |x| = m * 2^(e - 150) with m the 24-bit significand, so
// for |x| in [0.5, 2^23) the magnitude is (m + 2^(sh - 1)) >> sh, sh = 150 - e. |x| < 0.5
// (zeros, subnormals) gives 0. |x| >= 2^31, infinities and NaN give INT32_MIN (0x80000000,
// the x86 "integer indefinite" that the hardware conversions also give; its low byte is 0, as
// x86 gives for llama2.c's (int8_t) round(NaN)). Twin of rtl/fp32_round_exact.sv.
inline int32_t round_half_away_exact(float x) {
  const uint32_t u = bits_of(x);
  const uint32_t e = (u >> 23) & 0xffu;
  if (e >= 158u) return std::numeric_limits<int32_t>::min();
  if (e < 126u) return 0;
  const uint32_t m = (u & 0x007fffffu) | 0x00800000u;
  uint32_t mag;
  if (e >= 150u) {
    mag = m << (e - 150u);  // an integer already, below 2^31
  } else {
    const uint32_t sh = 150u - e;  // 1 .. 24
    mag = (m + (1u << (sh - 1u))) >> sh;
  }
  return (u & 0x80000000u) ? static_cast<int32_t>(0u - mag) : static_cast<int32_t>(mag);
}

// e^x: Cody-Waite reduction x = n*ln2 + r, |r| <= ln2/2, degree-7 Horner polynomial,
// scaling by 2^n in two exact steps so n = 128 needs no special case.
// Below -87 the result is flushed to +0 (no subnormal results); above 88.5 it is +inf.
inline float exp(float x) {
  if (is_nan(x)) return x;
  if (x > 88.5f) return std::numeric_limits<float>::infinity();
  if (x < -87.0f) return 0.0f;
  constexpr float kLog2e = 1.44269504088896341f;
  constexpr float kLn2Hi = 0.693145751953125f;      // 15 significant bits: n*kLn2Hi is exact for |n| <= 256
  constexpr float kLn2Lo = 1.428606765330187045e-06f;
  const int32_t n = round_half_away(x * kLog2e);
  const float nf = static_cast<float>(n);
  const float r = (x - nf * kLn2Hi) - nf * kLn2Lo;
  float p = 1.98412698e-4f;  // 1/7!
  p = p * r + 1.38888889e-3f;  // 1/6!
  p = p * r + 8.33333333e-3f;  // 1/5!
  p = p * r + 4.16666667e-2f;  // 1/4!
  p = p * r + 1.66666667e-1f;  // 1/3!
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  const int32_t half = n >> 1;  // arithmetic shift: floor(n/2)
  return (p * exp2_int(half)) * exp2_int(n - half);
}

// 1/x: magic-constant seed, then three Newton steps y = y*(2 - a*y) on a = |x|.
// |x| < 2^-126 (zero, subnormal) gives signed inf; |x| > 2^126 gives signed 0 (flush).
inline float reciprocal(float x) {
  if (is_nan(x)) return x;
  const uint32_t sign = bits_of(x) & 0x80000000u;
  const uint32_t mag = bits_of(x) & 0x7fffffffu;
  if (mag < 0x00800000u) return float_of(sign | 0x7f800000u);
  if (mag > 0x7e800000u) return float_of(sign);
  const float a = float_of(mag);
  float y = float_of(0x7ef311c7u - mag);
  y = y * (2.0f - a * y);
  y = y * (2.0f - a * y);
  y = y * (2.0f - a * y);
  return float_of(bits_of(y) | sign);
}

// 1/sqrt(x): magic-constant seed, then three Newton steps y = y*(1.5 - (h*y)*y), h = x/2.
// x < 0 gives NaN, +0 and positive subnormals give +inf, +inf gives +0; -0 (not < 0, sign bit
// set) falls in the last case and gives +0, as its RTL twin does. The kernel only takes x >= 1e-5.
inline float rsqrt(float x) {
  if (is_nan(x)) return x;
  if (x < 0.0f) return std::numeric_limits<float>::quiet_NaN();
  const uint32_t mag = bits_of(x);
  if (mag < 0x00800000u) return std::numeric_limits<float>::infinity();
  if (mag >= 0x7f800000u) return 0.0f;
  const float h = 0.5f * x;
  float y = float_of(0x5f375a86u - (mag >> 1));
  y = y * (1.5f - (h * y) * y);
  y = y * (1.5f - (h * y) * y);
  y = y * (1.5f - (h * y) * y);
  return y;
}

}  // namespace vp::fp
