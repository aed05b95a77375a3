// rtl/fp32_round_exact.sv (Verilated) against its C++ twin vp::fp::round_half_away_exact
// (hls/fp32_math.h), bit for bit: every tie k + 0.5 with |k| < 2^23 and both float neighbours of
// each, random floats by binade and random bit patterns, the 2^31 boundary, zeros, subnormals,
// infinities and NaNs (0x80000000 at and beyond 2^31, as the twin defines). Also the fixed
// latency (hls/fp32_pipeline_latency.h), one conversion per cycle and the tag sideband.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "Vfp32_round_exact.h"
#include "hls/fp32_math.h"
#include "hls/fp32_pipeline_latency.h"
#include "rtl/dv/fp32_stimulus.h"
#include "rtl/dv/verilated_harness.h"

namespace {

using vp::fp::bits_of;
using vp::fp::float_of;
using vp::fp::round_half_away_exact;
using namespace vp::rtl_dv;

constexpr uint32_t kRoundExactLatency = static_cast<uint32_t>(vp::fp::kRoundExactLatency);

uint32_t twin(uint32_t x) { return static_cast<uint32_t>(round_half_away_exact(float_of(x))); }

std::string decimal(uint32_t v) { return std::to_string(static_cast<int32_t>(v)); }

uint32_t tag_of(uint64_t i) { return static_cast<uint32_t>((i * 0x9E3779B97F4A7C15ull) >> 63); }

// Streams `count` inputs (next() gives each in turn) through the unit one per cycle, and checks
// every result against the twin as it comes out: value, tag (TAG_W = 1 as Verilated, a pseudo-
// random bit per input) and latency. Inputs are not stored, so tens of millions fit (the
// harness's run_pipelined keeps every input and result, and reads result_o, not int_o).
MismatchLog stream_and_compare(uint64_t count, const std::function<uint32_t()>& next) {
  vp::rtl_dv::VerilatedUnit<Vfp32_round_exact> unit;
  unit.reset();
  Vfp32_round_exact& io = unit.io();
  MismatchLog log;
  std::vector<uint32_t> in_flight(kRoundExactLatency + 1);  // inputs by issue index, a ring
  uint64_t issued = 0;
  uint64_t received = 0;
  uint64_t bad_tags = 0;
  while (received < count) {
    if (issued < count) {
      const uint32_t x = next();
      in_flight[issued % in_flight.size()] = x;
      io.valid_i = 1;
      io.x_i = x;
      io.tag_i = static_cast<uint8_t>(tag_of(issued));
      ++issued;
    } else {
      io.valid_i = 0;
    }
    unit.tick();
    if (io.valid_o) {
      // The result of input i comes with edge i + kRoundExactLatency (edges counted from 1).
      if (unit.cycles() != received + kRoundExactLatency) throw std::runtime_error("fp32_round_exact: latency");
      const uint32_t x = in_flight[received % in_flight.size()];
      const uint32_t want = twin(x);
      const uint32_t got = io.int_o;
      log.check(got == want, [&] { return hex32(x) + ": rtl " + decimal(got) + ", c++ " + decimal(want); });
      bad_tags += io.tag_o != tag_of(received);
      ++received;
    }
    if (unit.cycles() > count + 64) throw std::runtime_error("fp32_round_exact: results missing");
  }
  if (bad_tags != 0) throw std::runtime_error("fp32_round_exact: " + std::to_string(bad_tags) + " tags out of order");
  return log;
}

MismatchLog compare_with_twin(const std::vector<uint32_t>& inputs) {
  size_t i = 0;
  return stream_and_compare(inputs.size(), [&] { return inputs[i++]; });
}

TEST(RtlFp32RoundExact, ResultAppearsAfterTheDocumentedLatency) {
  vp::rtl_dv::VerilatedUnit<Vfp32_round_exact> unit;
  unit.reset();
  Vfp32_round_exact& io = unit.io();
  const uint32_t latency = issue_one(unit, [](Vfp32_round_exact& in) {
    in.x_i = bits_of(-2.5f);
    in.tag_i = 1;
  });
  EXPECT_EQ(latency, kRoundExactLatency);
  EXPECT_EQ(latency, 2u);
  EXPECT_EQ(static_cast<int32_t>(io.int_o), -3);
  EXPECT_EQ(io.tag_o, 1u);
  unit.tick();
  EXPECT_EQ(io.valid_o, 0) << "valid_o must last one cycle per conversion";
}

TEST(RtlFp32RoundExact, BubblesKeepLatencyAndTagOrder) {
  vp::rtl_dv::VerilatedUnit<Vfp32_round_exact> unit;
  unit.reset();
  Vfp32_round_exact& io = unit.io();
  Fp32Stimulus gen(0xE0A0001);
  std::vector<uint64_t> issue_edge;
  std::vector<uint32_t> inputs;
  size_t received = 0;
  for (uint64_t edge = 1; edge <= 20000; ++edge) {
    io.valid_i = gen.integer(0, 2) != 0;
    if (io.valid_i) {
      io.x_i = bits_of(gen.uniform(-300, 300));
      io.tag_i = static_cast<uint8_t>(tag_of(inputs.size()));
      inputs.push_back(io.x_i);
      issue_edge.push_back(edge);
    }
    unit.tick();
    if (io.valid_o) {
      ASSERT_LT(received, inputs.size());
      EXPECT_EQ(unit.cycles() - issue_edge[received] + 1, kRoundExactLatency);
      EXPECT_EQ(io.tag_o, tag_of(received));
      EXPECT_EQ(io.int_o, twin(inputs[received]));
      ++received;
    }
  }
  EXPECT_GE(received + kRoundExactLatency, inputs.size());
}

TEST(RtlFp32RoundExact, NamedValuesAndBoundaries) {
  struct Case {
    float x;
    int32_t want;
  };
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<Case> cases = {
      {0.0f, 0},
      {-0.0f, 0},
      {float_of(0x00000001u), 0},
      {float_of(0x807FFFFFu), 0},
      {0.49999997f, 0},  // fp32_round_half_away gives 1 here (0.49999997f + 0.5f rounds to 1.0f)
      {-0.49999997f, 0},
      {0.5f, 1},
      {-0.5f, -1},
      {1.5f, 2},
      {2.5f, 3},
      {-2.5f, -3},
      {8388607.5f, 8388608},
      {-8388607.5f, -8388608},
      {8388608.0f, 8388608},
      {16777215.0f, 16777215},
      {16777216.0f, 16777216},
      {127.49999f, 127},
      {-127.5f, -128},
      {2147483520.0f, 2147483520},  // largest float below 2^31
      {-2147483520.0f, -2147483520},
      {2147483648.0f, INT32_MIN},   // 2^31: out of range
      {-2147483648.0f, INT32_MIN},  // -2^31: INT32_MIN, also the exact value
      {4294967296.0f, INT32_MIN},
      {3.0e38f, INT32_MIN},
      {inf, INT32_MIN},
      {-inf, INT32_MIN},
      {float_of(0x7FC00000u), INT32_MIN},  // NaN
      {float_of(0xFF800001u), INT32_MIN},
  };
  std::vector<uint32_t> inputs;
  for (const Case& c : cases) {
    inputs.push_back(bits_of(c.x));
    EXPECT_EQ(round_half_away_exact(c.x), c.want) << c.x;
  }
  const MismatchLog log = compare_with_twin(inputs);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
}

TEST(RtlFp32RoundExact, SpecialValuesMatchTwin) {
  const MismatchLog log = compare_with_twin(vp::rtl_dv::fp32_special_values());
  EXPECT_EQ(log.failed(), 0u) << log.summary();
}

TEST(RtlFp32RoundExact, EveryTieAndItsNeighboursMatchTwin) {
  // k + 0.5 for |k| < 2^23 (exact floats), then the float just below and just above each.
  const int64_t kLimit = int64_t{1} << 23;
  const uint64_t count = static_cast<uint64_t>(2 * kLimit - 1) * 3;
  int64_t k = -kLimit + 1;
  int phase = 0;
  const MismatchLog log = stream_and_compare(count, [&] {
    const float tie = static_cast<float>(k) + 0.5f;
    float x = tie;
    if (phase == 1) x = std::nextafter(tie, -std::numeric_limits<float>::infinity());
    if (phase == 2) x = std::nextafter(tie, std::numeric_limits<float>::infinity());
    if (++phase == 3) {
      phase = 0;
      ++k;
    }
    return bits_of(x);
  });
  EXPECT_EQ(log.failed(), 0u) << log.summary();
  EXPECT_EQ(log.checked(), count);
}

TEST(RtlFp32RoundExact, RandomFloatsMatchTwin) {
  auto any_bits = [](Fp32Stimulus& gen) { return gen.bits(); };
  // Every binade from the subnormals to 2^32 (both signs), and the quantizer's range.
  auto binades = [](Fp32Stimulus& gen) { return gen.in_binades(0, 160); };
  auto quantized = vp::rtl_dv::uniform_bits(-127.5, 127.5);
  auto near_boundary = [](Fp32Stimulus& gen) { return gen.in_binades(156, 159); };
  const MismatchLog log = check_random_inputs<uint32_t>(
      0xE0A0002, {{1000000, any_bits}, {1000000, binades}, {500000, quantized}, {100000, near_boundary}},
      compare_with_twin);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
  EXPECT_EQ(log.checked(), 2600000u);
}

}  // namespace
