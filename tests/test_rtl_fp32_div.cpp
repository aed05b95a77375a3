// rtl/fp32_div.sv (Verilated) against its C++ twin, the float `/` of x86-64 SSE (divss), bit
// for bit for every result, NaNs included: special operand pairs, subnormals, overflow and
// underflow, exact quotients, rounding ties, random bit patterns and the activation
// quantization's divisions (llama2.c runq.c: scale = wmax / 127.0f, x / scale). Also the fixed
// latency (hls/fp32_pipeline_latency.h), one division per cycle and the tag sideband.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "Vfp32_div.h"
#include "hls/fp32_math.h"
#include "hls/fp32_pipeline_latency.h"
#include "rtl/dv/fp32_stimulus.h"
#include "rtl/dv/sse_twin.h"
#include "rtl/dv/verilated_harness.h"

namespace {

using vp::fp::bits_of;
using vp::fp::float_of;
using namespace vp::rtl_dv;

constexpr uint32_t kDivLatency = static_cast<uint32_t>(vp::fp::kDivLatency);

struct DivOp {
  uint32_t a;
  uint32_t b;
};

// The C++ twin (rtl/dv/sse_twin.h): divss, a / b with a as the destination, whose NaN wins.
uint32_t twin(const DivOp& op) { return sse_twin(SseOp::kDiv, op.a, op.b); }

// The tag given to the i-th issued operation: a pseudo-random bit sequence, so a result
// returned early, late or out of order shows up as a tag mismatch.
uint32_t tag_of(size_t i, uint32_t tag_mask) {
  return static_cast<uint32_t>((static_cast<uint64_t>(i) * 0x9E3779B97F4A7C15ull) >> 40) & tag_mask;
}

struct DivRun {
  std::vector<uint32_t> results;
  std::vector<uint32_t> tags;
  std::vector<uint64_t> issue_cycle;   // number of the edge that sampled the operation
  std::vector<uint64_t> result_cycle;  // number of the edge that raised valid_o with its result
};

// Streams the operations through the pipeline, one per cycle, except that a cycle with
// bubble(cycle) true issues nothing; collects every result with its tag and cycle. (The
// harness's run_pipelined drives a single operand x_i, so the divider has its own driver.)
template <class Bubble>
DivRun run_divider(const std::vector<DivOp>& ops, Bubble&& bubble) {
  vp::rtl_dv::VerilatedUnit<Vfp32_div> unit;
  unit.reset();
  Vfp32_div& io = unit.io();
  const uint32_t tag_mask = 1u;  // TAG_W = 1 as Verilated
  DivRun run;
  run.results.reserve(ops.size());
  run.tags.reserve(ops.size());
  run.issue_cycle.reserve(ops.size());
  run.result_cycle.reserve(ops.size());
  size_t issued = 0;
  while (run.results.size() < ops.size()) {
    const uint64_t edge = unit.cycles() + 1;
    if (issued < ops.size() && !bubble(edge)) {
      io.valid_i = 1;
      io.a_i = ops[issued].a;
      io.b_i = ops[issued].b;
      io.tag_i = static_cast<uint8_t>(tag_of(issued, tag_mask));
      run.issue_cycle.push_back(edge);
      ++issued;
    } else {
      io.valid_i = 0;
    }
    unit.tick();
    if (io.valid_o) {
      run.results.push_back(io.result_o);
      run.tags.push_back(io.tag_o);
      run.result_cycle.push_back(unit.cycles());
    }
    if (unit.cycles() > 2 * ops.size() + 64) throw std::runtime_error("fp32_div: results missing");
  }
  return run;
}

std::vector<uint32_t> run_back_to_back(const std::vector<DivOp>& ops) {
  return run_divider(ops, [](uint64_t) { return false; }).results;
}

MismatchLog compare_with_twin(const std::vector<DivOp>& ops) {
  return vp::rtl_dv::compare_results(ops, run_back_to_back(ops), twin,
                                     [](const DivOp& op) { return hex32(op.a) + " / " + hex32(op.b); });
}

// b's exponent field chosen so that ea - eb lands `offset` (drawn in [lo, hi]) from `target`;
// with a_exp_lo .. a_exp_hi the range of a's exponent field (0: subnormal a).
DivOp with_exponent_difference(Fp32Stimulus& gen, int64_t target, int64_t lo, int64_t hi, uint32_t a_exp_lo = 1,
                               uint32_t a_exp_hi = 254) {
  const uint32_t a = gen.in_binades(a_exp_lo, a_exp_hi);
  const int64_t ea = std::max<int64_t>((a >> 23) & 0xFF, 1);
  const int64_t eb = std::min<int64_t>(std::max<int64_t>(ea - target - gen.integer(lo, hi), 0), 254);
  return DivOp{a, gen.in_binades(static_cast<uint32_t>(eb), static_cast<uint32_t>(eb))};
}

// The exact quotient as a double when it has at most 53 significant bits (a / b in double is
// then exact), for finite nonzero operands.
bool exact_double_quotient(const DivOp& op, double* q) {
  const double a = float_of(op.a);
  const double b = float_of(op.b);
  *q = a / b;
  return std::isfinite(*q) && *q != 0.0 && std::fma(*q, b, -a) == 0.0;
}

// True when the exact quotient lies exactly halfway between two adjacent floats (possible only
// when the quotient is subnormal: a normal quotient of two 24-bit significands is never a tie).
bool is_rounding_tie(const DivOp& op) {
  double q;
  return exact_double_quotient(op, &q) && is_float_rounding_tie(q);
}

TEST(RtlFp32Div, ResultAppearsAfterTheDocumentedLatency) {
  vp::rtl_dv::VerilatedUnit<Vfp32_div> unit;
  unit.reset();
  Vfp32_div& io = unit.io();
  const uint32_t latency = issue_one(
      unit,
      [](Vfp32_div& in) {
        in.a_i = 0x40E00000u;  // 7 / -2
        in.b_i = 0xC0000000u;
        in.tag_i = 1;
      },
      64);
  EXPECT_EQ(latency, kDivLatency);
  EXPECT_EQ(latency, 16u);
  EXPECT_EQ(io.result_o, 0xC0600000u);  // -3.5
  EXPECT_EQ(io.tag_o, 1u);
  unit.tick();
  EXPECT_EQ(io.valid_o, 0) << "valid_o must last one cycle per operation";
}

TEST(RtlFp32Div, BackToBackAndWithBubblesEveryResultAfterFixedLatencyTagsInOrder) {
  Fp32Stimulus gen(0xD170001);
  std::vector<DivOp> ops;
  for (int i = 0; i < 20000; ++i) ops.push_back({gen.bits(), gen.bits()});
  // Back to back: one division accepted per cycle, results on consecutive cycles.
  // With bubbles: about one cycle in three idle.
  for (const bool bubbles : {false, true}) {
    uint64_t state = 0x5EED;
    const DivRun run = run_divider(ops, [&](uint64_t) {
      if (!bubbles) return false;
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      return (state >> 61) < 3;
    });
    ASSERT_EQ(run.results.size(), ops.size());
    size_t bad_latency = 0;
    size_t bad_tag = 0;
    size_t bad_result = 0;
    for (size_t i = 0; i < ops.size(); ++i) {
      bad_latency += run.result_cycle[i] - run.issue_cycle[i] + 1 != kDivLatency;  // both edges counted
      bad_tag += run.tags[i] != tag_of(i, 1u);
      bad_result += run.results[i] != twin(ops[i]);
    }
    EXPECT_EQ(bad_latency, 0u) << "bubbles " << bubbles;
    EXPECT_EQ(bad_tag, 0u) << "bubbles " << bubbles;
    EXPECT_EQ(bad_result, 0u) << "bubbles " << bubbles;
    if (!bubbles) {
      EXPECT_EQ(run.result_cycle.back(), ops.size() + kDivLatency - 1);
    }
  }
}

TEST(RtlFp32Div, AllPairsOfSpecialValuesMatchTwin) {
  const size_t specials = vp::rtl_dv::fp32_special_values().size();
  const MismatchLog log = compare_with_twin(special_value_pairs<DivOp>());
  EXPECT_EQ(log.failed(), 0u) << log.summary();
  EXPECT_EQ(log.checked(), specials * specials);
}

TEST(RtlFp32Div, InvalidQuotientsGiveDefaultNanAndNanOperandsPropagateQuieted) {
  const std::vector<DivOp> ops = {
      {0x00000000u, 0x80000000u},  // 0 / -0
      {0xFF800000u, 0x7F800000u},  // -inf / inf
      {0x3F800000u, 0x7F800001u},  // 1 / sNaN
      {0xFF800005u, 0x7FC00000u},  // sNaN / qNaN: a wins
      {0x7FC00003u, 0xFF800009u},  // qNaN / sNaN: a wins
      {0x00000000u, 0x7FA00000u},  // 0 / sNaN
      {0xBF800000u, 0x00000000u},  // -1 / 0
      {0x00000001u, 0x80000000u},  // tiny subnormal / -0
      {0x7F800000u, 0x80000000u},  // inf / -0
      {0x80000000u, 0x7F800000u},  // -0 / inf
      {0x7F7FFFFFu, 0xFF800000u},  // max / -inf
  };
  const std::vector<uint32_t> want = {0xFFC00000u, 0xFFC00000u, 0x7FC00001u, 0xFFC00005u, 0x7FC00003u, 0x7FE00000u,
                                      0xFF800000u, 0xFF800000u, 0xFF800000u, 0x80000000u, 0x80000000u};
  const std::vector<uint32_t> results = run_back_to_back(ops);
  for (size_t i = 0; i < ops.size(); ++i) {
    EXPECT_EQ(results[i], want[i]) << i << ": " << hex32(results[i]);
    EXPECT_EQ(twin(ops[i]), want[i]) << i << ": twin " << hex32(twin(ops[i]));
  }
}

TEST(RtlFp32Div, RandomBitPatternsMatchTwin) {
  auto any_bits = [](Fp32Stimulus& gen) { return DivOp{gen.bits(), gen.bits()}; };
  const MismatchLog log = check_random_inputs<DivOp>(0xD170002, {{2000000, any_bits}}, compare_with_twin);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
  EXPECT_EQ(log.checked(), 2000000u);
}

// llama2.c runq.c quantize(): per group of gs activations wmax = max |x|, scale = wmax / 127.0f,
// then x / scale for every x of the group. Activations uniform in [-100, 100], or in [-r, r]
// with r spread over binades (small residual-stream values, RMS-normalized vectors).
TEST(RtlFp32Div, QuantizationDivisionsInTheKernelRangeMatchTwin) {
  Fp32Stimulus gen(0xD170003);
  std::vector<DivOp> ops;
  const size_t kTotal = 1200000;
  ops.reserve(kTotal + 64);
  size_t group_index = 0;
  while (ops.size() < kTotal) {
    const size_t gs = (group_index % 3 == 0) ? 32 : 64;
    const double range = (group_index % 2 == 0) ? 100.0 : std::ldexp(1.0, static_cast<int>(gen.integer(-12, 6)));
    ++group_index;
    std::vector<float> x(gs);
    float wmax = 0.0f;
    for (float& v : x) {
      v = gen.uniform(-range, range);
      const float val = std::fabs(v);
      if (val > wmax) wmax = val;
    }
    const float scale = wmax / 127.0f;
    ops.push_back({bits_of(wmax), bits_of(127.0f)});
    for (const float v : x) ops.push_back({bits_of(v), bits_of(scale)});
  }
  const MismatchLog log = compare_with_twin(ops);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
  EXPECT_GE(log.checked(), 1000000u);
}

TEST(RtlFp32Div, SubnormalAndNormalMixesMatchTwin) {
  auto sub_by_sub = [](Fp32Stimulus& gen) { return DivOp{gen.in_binades(0, 0), gen.in_binades(0, 0)}; };
  auto sub_by_normal = [](Fp32Stimulus& gen) { return DivOp{gen.in_binades(0, 0), gen.in_binades(1, 254)}; };
  auto normal_by_sub = [](Fp32Stimulus& gen) { return DivOp{gen.in_binades(1, 254), gen.in_binades(0, 0)}; };
  // Subnormals with few significant bits (long leading-zero runs).
  auto short_subnormals = [](Fp32Stimulus& gen) {
    const uint32_t width_a = static_cast<uint32_t>(gen.integer(1, 23));
    const uint32_t width_b = static_cast<uint32_t>(gen.integer(1, 23));
    return DivOp{(gen.bits() & 0x80000000u) | ((gen.bits() & ((1u << width_a) - 1)) | (1u << (width_a - 1))),
                 (gen.bits() & 0x80000000u) | ((gen.bits() & ((1u << width_b) - 1)) | (1u << (width_b - 1)))};
  };
  auto short_by_normal = [short_subnormals](Fp32Stimulus& gen) {
    DivOp op = short_subnormals(gen);
    return gen.coin() ? DivOp{op.a, gen.in_binades(1, 140)} : DivOp{gen.in_binades(100, 254), op.b};
  };
  const MismatchLog log = check_random_inputs<DivOp>(0xD170004,
                                                     {{60000, sub_by_sub},
                                                      {60000, sub_by_normal},
                                                      {60000, normal_by_sub},
                                                      {60000, short_subnormals},
                                                      {60000, short_by_normal}},
                                                     compare_with_twin);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
}

TEST(RtlFp32Div, OverflowAndUnderflowBoundariesMatchTwin) {
  // Biased result exponent ea - eb + 127 around 255 (overflow to inf or largest normal) and
  // from 1 down to -26 (subnormal results, rounding up to the smallest normal, to 2^-149, to 0).
  auto near_overflow = [](Fp32Stimulus& gen) { return with_exponent_difference(gen, 128, -2, 1, 129, 254); };
  auto near_underflow = [](Fp32Stimulus& gen) { return with_exponent_difference(gen, -126, -26, 2, 1, 127); };
  auto subnormal_near_underflow = [](Fp32Stimulus& gen) { return with_exponent_difference(gen, -126, -26, 2, 0, 0); };
  auto far_underflow = [](Fp32Stimulus& gen) { return DivOp{gen.in_binades(0, 60), gen.in_binades(180, 254)}; };
  auto far_overflow = [](Fp32Stimulus& gen) { return DivOp{gen.in_binades(190, 254), gen.in_binades(0, 60)}; };
  const MismatchLog log = check_random_inputs<DivOp>(0xD170005,
                                                     {{100000, near_overflow},
                                                      {150000, near_underflow},
                                                      {50000, subnormal_near_underflow},
                                                      {30000, far_underflow},
                                                      {30000, far_overflow}},
                                                     compare_with_twin);
  EXPECT_EQ(log.failed(), 0u) << log.summary();

  // Named boundary cases.
  const std::vector<DivOp> named = {
      {0x7F7FFFFFu, 0x3F7FFFFFu},  // max / (1 - 2^-24): overflows
      {0x7F7FFFFFu, 0x3F800000u},  // max / 1
      {0x7F7FFFFFu, 0x3F000000u},  // max / 0.5: inf
      {0x00800000u, 0x3F800001u},  // smallest normal / (1 + 2^-23): just below 2^-126, rounds up to it
      {0x00800000u, 0x40000000u},  // 2^-126 / 2 = 2^-127
      {0x00000001u, 0x40000000u},  // 2^-149 / 2: tie, rounds to even (0)
      {0x00000003u, 0x40000000u},  // 3 * 2^-150: tie, rounds to even (2^-148)
      {0x00000001u, 0x3FFFFFFFu},  // just above half of 2^-149: rounds up
      {0x00000001u, 0x40000001u},  // just below half: rounds to 0
      {0x00000001u, 0x7F7FFFFFu},  // to 0
      {0x80000001u, 0x3F000000u},  // -2^-149 / 0.5 = -2^-148
      {0x007FFFFFu, 0x3F7FFFFFu},  // largest subnormal / (1 - 2^-24)
  };
  const MismatchLog named_log = compare_with_twin(named);
  EXPECT_EQ(named_log.failed(), 0u) << named_log.summary();
  EXPECT_EQ(run_back_to_back({named[2]})[0], 0x7F800000u);
  EXPECT_EQ(run_back_to_back({named[5]})[0], 0x00000000u);
  EXPECT_EQ(run_back_to_back({named[6]})[0], 0x00000002u);
}

TEST(RtlFp32Div, ExactQuotientsMatchTwin) {
  // a = q * b exactly (q and b with 12 significant bits each), over the whole exponent range,
  // including subnormal a or b; plus powers of two and small integers.
  Fp32Stimulus gen(0xD170006);
  std::vector<DivOp> ops;
  size_t exact = 0;
  for (int i = 0; i < 200000; ++i) {
    const float q = std::ldexp(static_cast<float>(gen.integer(1, 4095)), static_cast<int>(gen.integer(-80, 80)));
    const float b = std::ldexp(static_cast<float>(gen.integer(1, 4095)), static_cast<int>(gen.integer(-150, 100)));
    const float a = q * b;
    const DivOp op{bits_of(a) ^ (gen.coin() ? 0x80000000u : 0u), bits_of(b)};
    double qd;
    if (exact_double_quotient(op, &qd) && static_cast<double>(static_cast<float>(qd)) == qd) ++exact;
    ops.push_back(op);
  }
  for (int k = 1; k <= 256; ++k)
    for (int j = -3; j <= 3; ++j) ops.push_back({bits_of(static_cast<float>(k)), bits_of(std::ldexp(1.0f, j))});
  EXPECT_GT(exact, 100000u) << "the generator must produce exact quotients";
  const MismatchLog log = compare_with_twin(ops);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
}

TEST(RtlFp32Div, ExactRoundingTiesRoundToEvenLikeTwin) {
  // A quotient t * 2^E with t odd and its lowest bit at 2^-150 (half the subnormal step) is an
  // exact tie: a = c * t * 2^ea, b = c * 2^eb with c odd and c * t below 2^24.
  Fp32Stimulus gen(0xD170007);
  std::vector<DivOp> ops;
  size_t ties = 0;
  for (int i = 0; i < 200000; ++i) {
    const int t_bits = static_cast<int>(gen.integer(1, 20));
    const int64_t t = gen.integer(0, (int64_t{1} << (t_bits - 1)) - 1) * 2 + 1;
    const int c_bits = static_cast<int>(gen.integer(1, 24 - t_bits));
    const int64_t c = gen.integer(0, (int64_t{1} << (c_bits - 1)) - 1) * 2 + 1;
    // Quotient = t * 2^-150 exactly; ea - eb = -150, ea chosen so both operands are in range.
    const int ea = static_cast<int>(gen.integer(-149, -30));
    const int eb = ea + 150;
    const float a = std::ldexp(static_cast<float>(c * t), ea);
    const float b = std::ldexp(static_cast<float>(c), eb);
    if (a == 0.0f || std::isinf(b)) continue;
    const DivOp op{bits_of(a) | (gen.coin() ? 0x80000000u : 0u), bits_of(b) | (gen.coin() ? 0x80000000u : 0u)};
    ties += is_rounding_tie(op) ? 1u : 0u;
    ops.push_back(op);
  }
  EXPECT_GT(ties, ops.size() * 9 / 10) << "the generator must produce exact ties";
  const MismatchLog log = compare_with_twin(ops);
  EXPECT_EQ(log.failed(), 0u) << log.summary();
}

}  // namespace
