// rtl/fp32_mul.sv (Verilated) against its C++ twin, the float `*` of x86-64 SSE: bit for
// bit for every result, NaNs included (operand order pinned with mulss).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "Vfp32_mul.h"
#include "hls/fp32_math.h"
#include "rtl/dv/fp32_stimulus.h"
#include "rtl/dv/sse_twin.h"
#include "rtl/dv/verilated_harness.h"

namespace {

using vp::fp::bits_of;
using vp::fp::float_of;
using namespace vp::rtl_dv;

struct MulOp {
  uint32_t a;
  uint32_t b;
};

// The C++ twin (rtl/dv/sse_twin.h): mulss.
uint32_t twin(const MulOp& op) { return sse_twin(SseOp::kMul, op.a, op.b); }

// Streams one operation per cycle through the pipeline and returns the results in order.
std::vector<uint32_t> run_multiplier(const std::vector<MulOp>& ops) {
  return run_in_order<Vfp32_mul>(
      "fp32_mul", ops,
      [](Vfp32_mul& io, const MulOp& op) {
        io.a_i = op.a;
        io.b_i = op.b;
      },
      [](Vfp32_mul& io) { return io.result_o; });
}

MismatchLog compare_with_twin(const std::vector<MulOp>& ops) {
  return vp::rtl_dv::compare_results(ops, run_multiplier(ops), twin,
                                     [](const MulOp& op) { return hex32(op.a) + " * " + hex32(op.b); });
}

// b's exponent field chosen so that ea + eb lands `offset` (drawn in [lo, hi]) from `target`.
MulOp with_exponent_sum(Fp32Stimulus& gen, int64_t target, int64_t lo, int64_t hi) {
  const uint32_t a = gen.in_binades(1, 254);
  const int64_t ea = (a >> 23) & 0xFF;
  const int64_t eb = std::min<int64_t>(std::max<int64_t>(target - ea + gen.integer(lo, hi), 1), 254);
  return MulOp{a, gen.in_binades(static_cast<uint32_t>(eb), static_cast<uint32_t>(eb))};
}

// True when the exact product (exact in double: two 24-bit significands) lies exactly halfway
// between two adjacent floats.
bool is_rounding_tie(const MulOp& op) {
  return is_float_rounding_tie(static_cast<double>(float_of(op.a)) * static_cast<double>(float_of(op.b)));
}

TEST(RtlFp32Mul, ResultAppearsThreeCyclesAfterIssue) {
  vp::rtl_dv::VerilatedUnit<Vfp32_mul> unit;
  unit.reset();
  Vfp32_mul& io = unit.io();
  const uint32_t latency = issue_one(unit, [](Vfp32_mul& in) {
    in.a_i = 0x40400000u;  // 3 * -2
    in.b_i = 0xC0000000u;
  });
  EXPECT_EQ(latency, 3u);
  EXPECT_EQ(io.result_o, 0xC0C00000u);
  unit.tick();
  EXPECT_EQ(io.valid_o, 0) << "valid_o must last one cycle per operation";
}

TEST(RtlFp32Mul, AllPairsOfSpecialValuesMatchTwin) {
  const MismatchLog log = compare_with_twin(special_value_pairs<MulOp>());
  EXPECT_EQ(log.failed(), 0u) << log.summary();
}

TEST(RtlFp32Mul, RandomBitPatternsMatchTwin) {
  auto any_bits = [](Fp32Stimulus& gen) { return MulOp{gen.bits(), gen.bits()}; };
  const MismatchLog log = check_random_inputs<MulOp>(0x3170001, {{2000000, any_bits}}, compare_with_twin);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
  EXPECT_EQ(log.checked(), 2000000u);
}

TEST(RtlFp32Mul, KernelRangeValuesMatchTwin) {
  // Activations times weights and scales, Horner steps, Newton steps: 2^-30 .. 2^20.
  auto activations_times_weights = [](Fp32Stimulus& gen) {
    return MulOp{bits_of(gen.uniform(-100, 100)), bits_of(gen.uniform(-2, 2))};
  };
  auto kernel_binades = [](Fp32Stimulus& gen) { return MulOp{gen.in_binades(97, 147), gen.in_binades(97, 147)}; };
  const MismatchLog log = check_random_inputs<MulOp>(
      0x3170002, {{150000, activations_times_weights}, {150000, kernel_binades}}, compare_with_twin);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
}

TEST(RtlFp32Mul, UnderflowAndOverflowBoundariesMatchTwin) {
  // Exponent sums around the subnormal range (results 2^-152 .. 2^-120), with normal and
  // subnormal operands, and around the overflow threshold.
  auto near_underflow = [](Fp32Stimulus& gen) { return with_exponent_sum(gen, 127, -25, 6); };
  auto subnormal_times_normal = [](Fp32Stimulus& gen) {
    return MulOp{gen.in_binades(0, 0), gen.in_binades(100, 180)};
  };
  auto near_overflow = [](Fp32Stimulus& gen) { return with_exponent_sum(gen, 381, -2, 1); };
  const MismatchLog log = check_random_inputs<MulOp>(
      0x3170003, {{100000, near_underflow}, {50000, subnormal_times_normal}, {50000, near_overflow}},
      compare_with_twin);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
}

TEST(RtlFp32Mul, SubnormalOperandsOfEveryLeadingZeroCountMatchTwin) {
  // A subnormal operand with its leading one at each bit 0..22 (the multiplier normalizes it
  // before the product), times a normal placed so that the result is normal, subnormal or
  // rounds to zero; both orders; also two subnormals and a subnormal with zero, inf or NaN.
  auto subnormal = [](Fp32Stimulus& gen) {
    const uint32_t top = static_cast<uint32_t>(gen.integer(0, 22));
    return (gen.bits() & 0x80000000u) | (1u << top) | (gen.bits() & ((1u << top) - 1u));
  };
  auto subnormal_times_normal = [subnormal](Fp32Stimulus& gen) {
    const uint32_t s = subnormal(gen);
    const int64_t top = 31 - __builtin_clz(s & 0x7FFFFFu);  // s = 1.x * 2^(top - 149)
    // Result binade (top - 149) + (eb - 127) drawn in [-175, -100] and, one in four, anywhere.
    const int64_t eb = gen.coin() && gen.coin() ? gen.integer(1, 254) : gen.integer(-175, -100) - top + 276;
    const auto eb_field = static_cast<uint32_t>(std::min<int64_t>(std::max<int64_t>(eb, 1), 254));
    const uint32_t n = gen.in_binades(eb_field, eb_field);
    return gen.coin() ? MulOp{s, n} : MulOp{n, s};
  };
  auto subnormal_times_special = [subnormal](Fp32Stimulus& gen) {
    const uint32_t specials[] = {0x00000000u, 0x80000000u, 0x7F800000u, 0xFF800000u, 0x7FC00000u, 0xFF812345u,
                                 0x7FBFFFFFu, 0x00000001u, 0x807FFFFFu};
    const uint32_t s = subnormal(gen);
    const uint32_t x = gen.coin() ? specials[gen.integer(0, 8)] : subnormal(gen);
    return gen.coin() ? MulOp{s, x} : MulOp{x, s};
  };
  const MismatchLog log = check_random_inputs<MulOp>(
      0x3170005, {{200000, subnormal_times_normal}, {20000, subnormal_times_special}}, compare_with_twin);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
}

TEST(RtlFp32Mul, ExactRoundingTiesRoundToEvenLikeTwin) {
  // m1 * m2 odd with 25 significant bits is an exact tie when normal; any odd m1 * m2 scaled
  // to 2^-150 is an exact tie in the subnormal range.
  Fp32Stimulus gen(0x3170004);
  std::vector<MulOp> ops;
  size_t ties = 0;
  for (int i = 0; i < 100000; ++i) {
    const int64_t m1 = gen.integer(1 << 11, (1 << 12) - 1) * 2 + 1;  // odd, 13 bits
    int64_t m2 = gen.integer(((1 << 24) / m1 + 1) / 2, ((1 << 25) - 1) / m1 / 2) * 2 + 1;
    int e1;
    int e2;
    if (i % 2 == 0) {
      const int target = static_cast<int>(gen.integer(-140, 90));
      e1 = static_cast<int>(gen.integer(std::max(-138, target - 100), std::min(100, target + 126)));
      e2 = target - e1;
    } else {
      m2 = gen.integer(0, (1 << 10) - 1) * 2 + 1;
      e1 = static_cast<int>(gen.integer(-120, -30));
      e2 = -150 - e1;
    }
    const MulOp op{bits_of(std::ldexp(static_cast<float>(m1), e1)) | (gen.coin() ? 0x80000000u : 0u),
                   bits_of(std::ldexp(static_cast<float>(m2), e2))};
    ties += is_rounding_tie(op) ? 1 : 0;
    ops.push_back(op);
  }
  EXPECT_GT(ties, ops.size() * 9 / 10) << "the generator must produce exact ties";
  const MismatchLog log = compare_with_twin(ops);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
}

TEST(RtlFp32Mul, InvalidProductsGiveDefaultNanAndNanOperandsPropagateQuieted) {
  const std::vector<MulOp> ops = {{0x7F800000u, 0x00000000u},
                                  {0x80000000u, 0xFF800000u},
                                  {0x3F800000u, 0x7F800001u},
                                  {0xFF800005u, 0x7FC00000u}};
  const std::vector<uint32_t> results = run_multiplier(ops);
  EXPECT_EQ(results[0], 0xFFC00000u);
  EXPECT_EQ(results[1], 0xFFC00000u);
  EXPECT_EQ(results[2], 0x7FC00001u);
  EXPECT_EQ(results[3], 0xFFC00005u);
  for (size_t i = 0; i < ops.size(); ++i) EXPECT_EQ(results[i], twin(ops[i])) << i;
}

}  // namespace
