#pragma once
// Stimulus and result checking shared by the fp32 RTL testbenches (tests/test_rtl_fp32_*.cpp):
// the IEEE binary32 special values, a fixed-seed generator of bit patterns, values in a range
// and values in chosen binades, and a log of mismatches that reports the first few.
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace vp::rtl_dv {

inline std::string hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", static_cast<unsigned>(v));
  return buf;
}

// Signed zeros, subnormal and normal extremes, the values around the overflow and underflow
// thresholds, small integers and halves, infinities, and quiet and signalling NaNs.
inline std::vector<uint32_t> fp32_special_values() {
  const std::vector<uint32_t> magnitudes = {
      0x00000000u,  // 0
      0x00000001u,  // smallest subnormal 2^-149
      0x00000002u, 0x00000003u, 0x00000100u,
      0x00400000u,  // 2^-127
      0x007FFFFFu,  // largest subnormal
      0x00800000u,  // smallest normal 2^-126
      0x00800001u, 0x00FFFFFFu, 0x01000000u, 0x0C000000u,
      0x33800000u,  // 2^-24
      0x34000000u,  // 2^-23
      0x3EFFFFFFu,  // 0.49999997
      0x3F000000u,  // 0.5
      0x3F000001u, 0x3F7FFFFFu,
      0x3F800000u,  // 1
      0x3F800001u, 0x3FC00000u, 0x40000000u, 0x40400000u,
      0x4B000000u,  // 2^23
      0x4B800000u,  // 2^24
      0x4B800001u, 0x4EFFFFFFu,
      0x4F000000u,  // 2^31
      0x7E800000u,  // 2^126
      0x7E800001u, 0x7EFFFFFFu, 0x7F000000u,
      0x7F7FFFFEu,
      0x7F7FFFFFu,  // largest normal
      0x7F800000u,  // inf
      0x7F800001u,  // signalling NaN, smallest payload
      0x7FBFFFFFu,  // signalling NaN, largest payload
      0x7FC00000u,  // quiet NaN
      0x7FC00001u, 0x7FFFFFFFu,
  };
  std::vector<uint32_t> values;
  for (const uint32_t m : magnitudes) {
    values.push_back(m);
    values.push_back(m | 0x80000000u);
  }
  return values;
}

class Fp32Stimulus {
 public:
  explicit Fp32Stimulus(uint64_t seed) : rng_(seed) {}

  uint32_t bits() { return static_cast<uint32_t>(rng_()); }
  bool coin() { return (rng_() & 1u) != 0; }

  // Uniform integer in [lo, hi].
  int64_t integer(int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng_); }

  // Uniform real in [lo, hi], rounded to the nearest float.
  float uniform(double lo, double hi) {
    return static_cast<float>(std::uniform_real_distribution<double>(lo, hi)(rng_));
  }

  // Random sign (or the given one), exponent field uniform in [exp_lo, exp_hi] (0 gives a
  // subnormal), random fraction: every binade in the range equally likely.
  uint32_t in_binades(uint32_t exp_lo, uint32_t exp_hi) {
    const uint32_t e = static_cast<uint32_t>(integer(exp_lo, exp_hi));
    return (bits() & 0x80000000u) | (e << 23) | (bits() & 0x007FFFFFu);
  }

 private:
  std::mt19937_64 rng_;
};

// Counts compared results and keeps a description of the first few mismatches.
class MismatchLog {
 public:
  template <class Describe>
  void check(bool equal, Describe&& describe) {
    ++checked_;
    if (equal) return;
    if (failed_ < kKept) first_ += describe() + "\n";
    ++failed_;
  }

  uint64_t checked() const { return checked_; }
  uint64_t failed() const { return failed_; }
  std::string summary() const {
    return std::to_string(failed_) + " of " + std::to_string(checked_) + " differ; first:\n" + first_;
  }

 private:
  static constexpr uint64_t kKept = 8;
  uint64_t checked_ = 0;
  uint64_t failed_ = 0;
  std::string first_;
};

}  // namespace vp::rtl_dv
