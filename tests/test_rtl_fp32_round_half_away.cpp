// rtl/fp32_round_half_away.sv (Verilated) against its C++ twin vp::fp::round_half_away
// (x -/+ 0.5f with an fp add, then truncation), bit for bit for |x| < 2^31.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "Vfp32_round_half_away.h"
#include "hls/fp32_math.h"
#include "rtl/dv/fp32_stimulus.h"
#include "rtl/dv/verilated_harness.h"

namespace {

using vp::fp::bits_of;
using vp::fp::float_of;
using namespace vp::rtl_dv;

constexpr float kTwoPow31 = 2147483648.0f;

// Streams one input per cycle through the unit and returns the integers in order.
std::vector<uint32_t> run_unit(const std::vector<uint32_t>& inputs) {
  return run_in_order<Vfp32_round_half_away>(
      "fp32_round_half_away", inputs, [](Vfp32_round_half_away& io, uint32_t x) { io.x_i = x; },
      [](Vfp32_round_half_away& io) { return io.int_o; });
}

std::string decimal(uint32_t v) { return std::to_string(static_cast<int32_t>(v)); }

MismatchLog compare_with_twin(const std::vector<uint32_t>& inputs) {
  return vp::rtl_dv::compare_results(
      inputs, run_unit(inputs), [](uint32_t x) { return static_cast<uint32_t>(vp::fp::round_half_away(float_of(x))); },
      hex32, decimal);
}

bool in_domain(uint32_t x) { return std::fabs(float_of(x)) < kTwoPow31; }

TEST(RtlFp32RoundHalfAway, ResultAppearsFourCyclesAfterIssue) {
  vp::rtl_dv::VerilatedUnit<Vfp32_round_half_away> unit;
  unit.reset();
  const uint32_t latency = issue_one(unit, [](Vfp32_round_half_away& in) { in.x_i = bits_of(-2.5f); });
  Vfp32_round_half_away& io = unit.io();
  EXPECT_EQ(latency, 4u);
  EXPECT_EQ(static_cast<int32_t>(io.int_o), -3);
}

TEST(RtlFp32RoundHalfAway, SpecialValuesInDomainMatchTwin) {
  std::vector<uint32_t> inputs;
  for (const uint32_t x : vp::rtl_dv::fp32_special_values())
    if (in_domain(x)) inputs.push_back(x);
  const MismatchLog log = compare_with_twin(inputs);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
}

TEST(RtlFp32RoundHalfAway, HalvesAndTheirNeighboursMatchTwin) {
  // k + 0.5 and the floats just below and above it; 0.49999997f + 0.5f rounds to 1.0f in the
  // add, so the twin gives 1 there, and the RTL must too.
  std::vector<uint32_t> inputs;
  for (int k = -100000; k <= 100000; ++k) {
    const float h = static_cast<float>(k) + 0.5f;
    for (const float x : {h, std::nextafter(h, -1e9f), std::nextafter(h, 1e9f)}) inputs.push_back(bits_of(x));
  }
  for (int e = 0; e < 31; ++e) {  // large halves are integers already; their neighbours
    const float p = std::ldexp(1.0f, e);
    for (const float x : {p, std::nextafter(p, 0.0f), std::nextafter(p, 1e10f), -p, std::nextafter(-p, 0.0f)})
      if (std::fabs(x) < kTwoPow31) inputs.push_back(bits_of(x));
  }
  const MismatchLog log = compare_with_twin(inputs);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
  EXPECT_EQ(static_cast<int32_t>(run_unit({bits_of(0.49999997f)})[0]), 1);
}

TEST(RtlFp32RoundHalfAway, RandomFloatsMatchTwin) {
  // Random bit patterns of magnitude below 2^31, and the kernel's ranges: quantized
  // activations v in [-127, 127] and exp's x * log2e in [-126, 128].
  auto bits_in_domain = [](Fp32Stimulus& gen) {
    uint32_t x = gen.bits();
    while (!in_domain(x)) x = gen.bits();
    return x;
  };
  auto below_2_pow_31 = [](Fp32Stimulus& gen) { return gen.in_binades(0, 157); };
  const MismatchLog log = check_random_inputs<uint32_t>(
      0x2A1F,
      {{500000, bits_in_domain}, {300000, uniform_bits(-127.0, 127.0)}, {200000, uniform_bits(-126.0, 128.0)},
       {100000, below_2_pow_31}},
      compare_with_twin);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
  EXPECT_EQ(log.checked(), 1100000u);
}

TEST(RtlFp32RoundHalfAway, OutOfDomainGivesIntegerIndefinite) {
  // Outside |x| < 2^31 the C++ cast is undefined; the RTL gives x86's 0x80000000.
  const std::vector<uint32_t> inputs = {bits_of(kTwoPow31), bits_of(-4e9f), 0x7F800000u, 0xFF800000u,
                                        0x7FC00000u, 0x7F7FFFFFu};
  for (const uint32_t r : run_unit(inputs)) EXPECT_EQ(r, 0x80000000u);
}

}  // namespace
