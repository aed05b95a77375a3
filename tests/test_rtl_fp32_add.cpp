// rtl/fp32_add.sv (Verilated) against its C++ twin, the float `+` / `-` of x86-64 SSE:
// bit for bit for every result, NaNs included (operand order pinned with addss/subss).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "Vfp32_add.h"
#include "hls/fp32_math.h"
#include "rtl/dv/fp32_stimulus.h"
#include "rtl/dv/sse_twin.h"
#include "rtl/dv/verilated_harness.h"

namespace {

using vp::fp::bits_of;
using vp::fp::float_of;
using namespace vp::rtl_dv;

struct AddOp {
  uint32_t a;
  uint32_t b;
  bool sub = false;  // a - b
};

// The C++ twin (rtl/dv/sse_twin.h): addss/subss.
uint32_t twin(const AddOp& op) { return sse_twin(op.sub ? SseOp::kSub : SseOp::kAdd, op.a, op.b); }

// Streams one operation per cycle through the pipeline and returns the results in order.
std::vector<uint32_t> run_adder(const std::vector<AddOp>& ops) {
  return run_in_order<Vfp32_add>(
      "fp32_add", ops,
      [](Vfp32_add& io, const AddOp& op) {
        io.a_i = op.a;
        io.b_i = op.b;
        io.sub_i = op.sub;
      },
      [](Vfp32_add& io) { return io.result_o; });
}

MismatchLog compare_with_twin(const std::vector<AddOp>& ops) {
  return vp::rtl_dv::compare_results(ops, run_adder(ops), twin, [](const AddOp& op) {
    return hex32(op.a) + (op.sub ? " - " : " + ") + hex32(op.b);
  });
}

// True when the exact sum lies exactly halfway between two adjacent floats. The double sum
// is exact for operands less than 29 binades apart.
bool is_rounding_tie(const AddOp& op) {
  const double a = float_of(op.a);
  const double b = float_of(op.b);
  return is_float_rounding_tie(op.sub ? a - b : a + b);
}

TEST(RtlFp32Add, ResultAppearsFourCyclesAfterIssue) {
  vp::rtl_dv::VerilatedUnit<Vfp32_add> unit;
  unit.reset();
  Vfp32_add& io = unit.io();
  const uint32_t latency = issue_one(unit, [](Vfp32_add& in) {
    in.a_i = 0x3F800000u;  // 1 + 2
    in.b_i = 0x40000000u;
    in.sub_i = 0;
  });
  EXPECT_EQ(latency, 4u);
  EXPECT_EQ(io.result_o, 0x40400000u);
  unit.tick();
  EXPECT_EQ(io.valid_o, 0) << "valid_o must last one cycle per operation";
}

TEST(RtlFp32Add, AllPairsOfSpecialValuesMatchTwin) {
  std::vector<AddOp> ops;
  for (const AddOp& pair : special_value_pairs<AddOp>())
    for (const bool sub : {false, true}) ops.push_back({pair.a, pair.b, sub});
  const MismatchLog log = compare_with_twin(ops);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
}

TEST(RtlFp32Add, RandomBitPatternsMatchTwin) {
  auto any_bits = [](Fp32Stimulus& gen) { return AddOp{gen.bits(), gen.bits(), gen.coin()}; };
  // Operands a few binades apart, where the significands overlap and rounding happens.
  auto overlapping = [](Fp32Stimulus& gen) {
    const uint32_t a = gen.in_binades(1, 254);
    const int64_t e = static_cast<int64_t>((a >> 23) & 0xFF) + gen.integer(-26, 26);
    const uint32_t b = gen.in_binades(static_cast<uint32_t>(std::clamp<int64_t>(e, 0, 254)),
                                      static_cast<uint32_t>(std::clamp<int64_t>(e, 0, 254)));
    return AddOp{a, b, gen.coin()};
  };
  const MismatchLog log =
      check_random_inputs<AddOp>(0xADD0001, {{2000000, any_bits}, {1000000, overlapping}}, compare_with_twin);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
  EXPECT_EQ(log.checked(), 3000000u);
}

TEST(RtlFp32Add, KernelRangeValuesMatchTwin) {
  // Dot-product partial sums, residual adds and Horner steps: magnitudes 2^-30 .. 2^20.
  auto thousands = [](Fp32Stimulus& gen) {
    return AddOp{bits_of(gen.uniform(-1000, 1000)), bits_of(gen.uniform(-1000, 1000)), gen.coin()};
  };
  auto kernel_binades = [](Fp32Stimulus& gen) {
    return AddOp{gen.in_binades(97, 147), gen.in_binades(97, 147), gen.coin()};
  };
  const MismatchLog log =
      check_random_inputs<AddOp>(0xADD0002, {{150000, thousands}, {150000, kernel_binades}}, compare_with_twin);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
}

TEST(RtlFp32Add, CancellationAndSubnormalResultsMatchTwin) {
  // Nearly equal magnitudes subtracted: long normalization shifts, exact zeros.
  auto cancelling = [](Fp32Stimulus& gen) {
    const uint32_t a = gen.in_binades(0, 254);
    uint32_t b = a ^ (gen.bits() & ((1u << gen.integer(0, 24)) - 1u));
    if (gen.coin()) b -= (b & 0x7F800000u) != 0 ? 0x00800000u : 0u;  // one binade lower
    return AddOp{a, b, (a >> 31) == (b >> 31)};
  };
  // Subnormal operands, alone and with small normals.
  auto subnormal = [](Fp32Stimulus& gen) { return AddOp{gen.in_binades(0, 2), gen.in_binades(0, 30), gen.coin()}; };
  // Sums at the overflow threshold.
  auto near_overflow = [](Fp32Stimulus& gen) {
    return AddOp{gen.in_binades(252, 254), gen.in_binades(225, 254), gen.coin()};
  };
  const MismatchLog log = check_random_inputs<AddOp>(
      0xADD0003, {{100000, cancelling}, {100000, subnormal}, {20000, near_overflow}}, compare_with_twin);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
}

TEST(RtlFp32Add, ExactRoundingTiesRoundToEvenLikeTwin) {
  // b sits k = 1..24 binades below a with its bits below a's ulp equal to exactly half an ulp.
  auto tie = [](Fp32Stimulus& gen) {
    const uint32_t a = gen.in_binades(25, 254);
    const uint32_t k = static_cast<uint32_t>(gen.integer(1, 24));
    const uint32_t eb = ((a >> 23) & 0xFF) - k;
    uint32_t man = (gen.bits() & 0x007FFFFFu) | 0x00800000u;
    man = (man & ~((1u << k) - 1u)) | (1u << (k - 1));
    const uint32_t b = (gen.bits() & 0x80000000u) | (eb << 23) | (man & 0x007FFFFFu);
    return AddOp{a, b, gen.coin()};
  };
  const std::vector<AddOp> ops = vp::rtl_dv::draw_inputs<AddOp>(0xADD0004, {{100000, tie}});
  const auto ties = std::count_if(ops.begin(), ops.end(), is_rounding_tie);
  EXPECT_GT(size_t(ties), ops.size() / 2) << "the generator must produce mostly exact ties";
  const MismatchLog log = compare_with_twin(ops);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
}

TEST(RtlFp32Add, SubtractionPropagatesNanOfBWithoutFlippingItsSign) {
  // subss returns b's NaN quieted, sign unchanged; a NaN in a wins over one in b.
  const std::vector<AddOp> ops = {{0x3F800000u, 0x7F800001u, true},
                                  {0x3F800000u, 0xFFA00000u, true},
                                  {0x7F800002u, 0xFFC00000u, true},
                                  {0x7F800000u, 0x7F800000u, true},
                                  {0xFF800000u, 0x7F800000u, false}};
  const std::vector<uint32_t> results = run_adder(ops);
  EXPECT_EQ(results[0], 0x7FC00001u);
  EXPECT_EQ(results[1], 0xFFE00000u);
  EXPECT_EQ(results[2], 0x7FC00002u);
  EXPECT_EQ(results[3], 0xFFC00000u);  // inf - inf: default NaN
  EXPECT_EQ(results[4], 0xFFC00000u);  // -inf + inf
  for (size_t i = 0; i < ops.size(); ++i) EXPECT_EQ(results[i], twin(ops[i])) << i;
}

}  // namespace
