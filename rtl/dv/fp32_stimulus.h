#pragma once
// Stimulus and result checking shared by the fp32 RTL testbenches (tests/test_rtl_fp32_*.cpp):
// the IEEE binary32 special values, a fixed-seed generator of bit patterns, values in a range
// and values in chosen binades, a log of mismatches that reports the first few, and the random
// check every testbench runs: draw inputs from a seed, run the DUT, compare with the C++ twin.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <limits>
#include <random>
#include <stdexcept>
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

// Appends `steps` floats on each side of `centre`, walking outwards one float at a time and
// alternating below and above: centre, centre, next below, next above, ...
inline void append_float_neighbours(std::vector<uint32_t>& values, float centre, int steps) {
  float lo = centre;
  float hi = centre;
  for (int i = 0; i < steps; ++i) {
    uint32_t bits;
    std::memcpy(&bits, &lo, sizeof bits);
    values.push_back(bits);
    std::memcpy(&bits, &hi, sizeof bits);
    values.push_back(bits);
    lo = std::nextafter(lo, -1e9f);
    hi = std::nextafter(hi, 1e9f);
  }
}

// Every ordered pair (a, b) of fp32_special_values() as Op{a, b}, a-major.
template <class Op>
std::vector<Op> special_value_pairs() {
  const std::vector<uint32_t> specials = fp32_special_values();
  std::vector<Op> pairs;
  pairs.reserve(specials.size() * specials.size());
  for (const uint32_t a : specials)
    for (const uint32_t b : specials) pairs.push_back(Op{a, b});
  return pairs;
}

// True when `exact`, a result held exactly in a double, lies exactly halfway between two adjacent
// floats: a rounding tie. A value that is a float, or rounds to infinity, is none.
inline bool is_float_rounding_tie(double exact) {
  const float f = static_cast<float>(exact);
  if (static_cast<double>(f) == exact || std::isinf(f)) return false;
  const float other = std::nextafter(f, exact > static_cast<double>(f) ? std::numeric_limits<float>::infinity()
                                                                        : -std::numeric_limits<float>::infinity());
  return exact - static_cast<double>(f) == static_cast<double>(other) - exact;
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

// `count` inputs, each drawn by `draw` from the check's generator.
template <class Input>
struct RandomDraws {
  size_t count;
  std::function<Input(Fp32Stimulus&)> draw;
};

// A draw of the bits of a value uniform in [lo, hi], rounded to float.
inline std::function<uint32_t(Fp32Stimulus&)> uniform_bits(double lo, double hi) {
  return [lo, hi](Fp32Stimulus& gen) {
    const float x = gen.uniform(lo, hi);
    uint32_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    return bits;
  };
}

// The groups' inputs in order, drawn from one generator seeded with `seed`.
template <class Input>
std::vector<Input> draw_inputs(uint64_t seed, const std::vector<RandomDraws<Input>>& groups) {
  Fp32Stimulus gen(seed);
  size_t total = 0;
  for (const RandomDraws<Input>& g : groups) total += g.count;
  std::vector<Input> inputs;
  inputs.reserve(total);
  for (const RandomDraws<Input>& g : groups)
    for (size_t i = 0; i < g.count; ++i) inputs.push_back(g.draw(gen));
  return inputs;
}

// The DUT's results against the C++ twin, bit for bit and in input order. A mismatch is described
// as "<describe(input)>: rtl <result>, c++ <twin(input)>", results formatted by `format`.
template <class Input, class Twin, class Describe>
MismatchLog compare_results(const std::vector<Input>& inputs, const std::vector<uint32_t>& results, Twin&& twin,
                            Describe&& describe, std::string (*format)(uint32_t) = hex32) {
  if (results.size() != inputs.size())
    throw std::logic_error("rtl_dv: " + std::to_string(results.size()) + " results for " +
                           std::to_string(inputs.size()) + " inputs");
  MismatchLog log;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const uint32_t want = twin(inputs[i]);
    log.check(results[i] == want,
              [&] { return describe(inputs[i]) + ": rtl " + format(results[i]) + ", c++ " + format(want); });
  }
  return log;
}

// The random check of an fp32 testbench: draws the groups from one generator seeded with `seed`
// and hands all inputs at once to `run_and_compare` (which streams them through the DUT, back to
// back as the hardware would see them, and compares each result with the twin). Every input must
// have been compared.
template <class Input, class RunAndCompare>
MismatchLog check_random_inputs(uint64_t seed, const std::vector<RandomDraws<Input>>& groups,
                                RunAndCompare&& run_and_compare) {
  const std::vector<Input> inputs = draw_inputs(seed, groups);
  MismatchLog log = run_and_compare(inputs);
  if (log.checked() != inputs.size())
    throw std::logic_error("rtl_dv: " + std::to_string(log.checked()) + " of " + std::to_string(inputs.size()) +
                           " random inputs compared");
  return log;
}

}  // namespace vp::rtl_dv
