// sequential_phase_cycles: the RTL kernel's cycle model (hls/sequential_timing_model.h). The
// expected values are worked by hand from the formulas' documented meaning on small descriptors
// with every latency set explicitly, so a change of a formula or of a latency default shows.
#include "hls/sequential_timing_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "hls/device_layout.h"
#include "hls/kernel_timing_model.h"
#include "sw/device_image.h"
#include "tests/thrown_message.h"

namespace {

using vp::KernelPhase;
using vp::PhaseCycles;

// dim 64, 4 heads of 16, no GQA, Q8 groups of 32, one weight port.
vp::KernelDescriptor small_descriptor() {
  // dim, hidden, layers, heads, kv heads, vocab, seq, group size; one weight port and one KV port
  return vp::descriptor_header(64, 128, 1, 4, 4, 32, 16, 32, 1, 1);
}

// Latencies fixed here so the hand computations below do not depend on the defaults.
vp::KernelMicroarch small_microarch() {
  vp::KernelMicroarch m;
  m.vector_unit = vp::VectorUnitKind::kSequential;
  m.mac_lanes = 64;
  m.fp_lanes = 16;
  m.accumulators = 8;
  m.memory_latency = 12;
  m.prefetch_beats = 0;  // each matmul requests its matrix at its start (PREFETCH_BEATS = 0)
  m.fadd_latency = 4;
  m.fmul_latency = 3;
  m.div_latency = 10;
  m.round_latency = 2;
  return m;
}

PhaseCycles cycles(KernelPhase phase, const vp::KernelDescriptor& d, uint32_t pos, const vp::KernelMicroarch& m) {
  return vp::sequential_phase_cycles(phase, d, pos, m);
}

TEST(SequentialTimingModel, DescriptorLoadIsTheLoadPlusBothDivisionsByRepeatedSubtraction) {
  const auto d = small_descriptor();
  const auto m = small_microarch();
  // load(64 words) = command 4 + request 4 + memory_latency 12 + first burst (256 B -> 4 beats)
  //                  + one beat a cycle (64 words / 16 a beat = 4)                        = 28
  const uint64_t load = 4 + 4 + 12 + 4 + 4;
  // 2 + load + (head_size + 2) for dim / n_heads + (kv_mul + 2) for n_heads / n_kv_heads + 3.
  const uint64_t hs = 16, kv_mul = 1;
  const PhaseCycles p = cycles(KernelPhase::kLoadDescriptor, d, 0, m);
  EXPECT_EQ(p.overlapped, 0u) << "a sequential load overlaps nothing";
  EXPECT_EQ(p.serial, 2 + load + (hs + 2) + (kv_mul + 2) + 3);
}

TEST(SequentialTimingModel, WoMatmulStreamsRowsAtTheSlowestStageAndDrainsSerially) {
  const auto d = small_descriptor();
  const auto m = small_microarch();
  // Without the weight prefetch (PREFETCH_BEATS = 0) each matmul's request waits its round trip.
  ASSERT_EQ(m.prefetch_beats, 0u);
  // A 64 x 64 Q8 row: 64 codes + 2 scales * 4 B = 72 B, padded to 128 B = 2 beats of 64 B.
  const uint64_t rows = 64, beats = 2, groups = 64 / 32;
  // A row enters every max(MAC stage beats * ceil(64 / mac_lanes), term multiplier one group a
  // cycle) = 2 cycles while a slot is free; a slot is held for
  // occupancy = mac + MAC pipeline (2 + log2 64 = 8) + 2 * fmul + groups * (fadd + 1) + 2
  //           = 2 + 8 + 6 + 10 + 2 = 28 cycles
  // (the add chain takes each term as the term multiplier makes it), so with 8 accumulators each
  // round of 8 rows starts 28 cycles after the one before.
  const uint64_t mac = beats * 1, mac_stages = 8;
  const uint64_t occupancy = mac + mac_stages + 2 * 3 + groups * (4 + 1) + 2;
  const uint64_t period = std::max<uint64_t>(mac, groups);
  ASSERT_EQ(occupancy, 28u);
  // matmul_stream = max(7 full rounds + the last round's 8 row periods, rows), P = 1.
  const uint64_t stream = std::max((rows - 1) / 8 * occupancy + 8 * period, rows);
  // Drain: command 4 + memory_latency 12 + the first burst of the port's rows (64 rows * 128 B
  // = 8 KiB, capped at 4 KiB, at 64 B a cycle) + the MAC pipeline + 2 * fmul +
  // groups * (fadd + 1) + 2 (the last row's terms feed its add chain as they come).
  const uint64_t engine_drain = mac_stages + 2 * 3 + groups * (4 + 1) + 2;
  const uint64_t drain = 4 + 12 + 4096 / 64 + engine_drain;
  // Residual: command 4 + a stream of 64 elements in beats of 16 lanes: beats + 5 + (fadd + 1).
  const uint64_t residual = 4 + (64 / 16 + 5 + (4 + 1));
  const PhaseCycles p = cycles(KernelPhase::kWoMatmul, d, 0, m);
  EXPECT_EQ(p.overlapped, stream);
  EXPECT_EQ(p.serial, drain + residual);
  EXPECT_EQ(p.after_memory, -1) << "the serial part follows the memory";
  EXPECT_EQ(p.tail(), p.serial);
}

// The SoC's AXI bridge hands a burst on once the memory has served all of it, so a matmul's
// first beat waits for its first 4 KiB at the channel's rate: an HBM2 pseudo-channel at a 300 MHz
// kernel serves 14.4 GB/s / 300 MHz = 48 B a cycle, 86 cycles instead of 64 at one beat a cycle.
TEST(SequentialTimingModel, TheFirstBurstWaitsAtTheChannelsRate) {
  const auto d = small_descriptor();
  auto m = small_microarch();
  const PhaseCycles beat_a_cycle = cycles(KernelPhase::kWoMatmul, d, 0, m);
  m.memory_bytes_per_cycle = 48;
  const PhaseCycles hbm = cycles(KernelPhase::kWoMatmul, d, 0, m);
  EXPECT_EQ(hbm.overlapped, beat_a_cycle.overlapped);
  EXPECT_EQ(hbm.serial, beat_a_cycle.serial + (86 - 64));
}

TEST(SequentialTimingModel, WithPrefetchAMatmulStartsOnBufferedBeats) {
  const auto d = small_descriptor();
  auto m = small_microarch();
  m.prefetch_beats = 512;
  const uint64_t groups = 2, engine_drain = 8 + 2 * 3 + groups * (4 + 1) + 2;  // terms feed the add chain as they come
  const uint64_t residual = 4 + (64 / 16 + 5 + (4 + 1));
  const PhaseCycles p = cycles(KernelPhase::kWoMatmul, d, 0, m);
  // The first beat is in the FIFO's output stage: 2 cycles instead of the round trip.
  EXPECT_EQ(p.serial, 4 + 2 + engine_drain + residual);
  // After a memory-bound stream: the last burst's delivery (12 + 64 beats), the FIFO, the drain.
  EXPECT_EQ(p.after_memory, int64_t(4 + 12 + 64 + 2 + engine_drain + residual));
  // q, k and v: only the last matmul's drain follows the memory.
  const PhaseCycles qkv = cycles(KernelPhase::kQkvMatmul, d, 0, m);
  EXPECT_EQ(qkv.after_memory, p.after_memory - int64_t(residual));
}

TEST(SequentialTimingModel, QkvMatmulIsThreeMatmulsOfDimRowsWithoutGqa) {
  const auto d = small_descriptor();
  const auto m = small_microarch();
  // kv_dim = dim when n_kv_heads = n_heads: q, k and v are the same 64 x 64 matmul as wo.
  const PhaseCycles qkv = cycles(KernelPhase::kQkvMatmul, d, 0, m);
  const PhaseCycles wo = cycles(KernelPhase::kWoMatmul, d, 0, m);
  const uint64_t residual = 4 + (64 / 16 + 5 + (4 + 1));
  EXPECT_EQ(qkv.overlapped, 3 * wo.overlapped);
  EXPECT_EQ(qkv.serial, 3 * (wo.serial - residual));
}

TEST(SequentialTimingModel, FastModeDispatchesTheSequentialVectorUnitHere) {
  const auto d = small_descriptor();
  const auto m = small_microarch();
  for (int i = 0; i < vp::kKernelPhaseCount; ++i) {
    const auto phase = static_cast<KernelPhase>(i);
    const PhaseCycles a = vp::phase_cycles(phase, d, 3, m), b = cycles(phase, d, 3, m);
    EXPECT_EQ(a.overlapped, b.overlapped) << vp::phase_name(phase);
    EXPECT_EQ(a.serial, b.serial) << vp::phase_name(phase);
  }
}

TEST(SequentialTimingModel, AttentionGrowsStrictlyWithPosition) {
  auto d = small_descriptor();
  const auto m = small_microarch();
  d.seq_len = 64;
  PhaseCycles before = cycles(KernelPhase::kAttention, d, 0, m);
  for (uint32_t pos = 1; pos < d.seq_len; ++pos) {
    const PhaseCycles now = cycles(KernelPhase::kAttention, d, pos, m);
    // One more cached position: more score issues and weighted-sum issues (overlapped); the
    // softmax per head (serial) moves 16 scores a beat and sums whole blocks of 16, so it grows
    // when the position count passes a multiple of 16 (and the first bursts grow up to 4 KiB).
    EXPECT_GT(now.overlapped, before.overlapped) << "pos " << pos;
    EXPECT_GE(now.serial, before.serial) << "pos " << pos;
    if (pos % 16 == 0) {
      EXPECT_GT(now.serial, before.serial) << "pos " << pos;
    }
    before = now;
  }
}

TEST(SequentialTimingModel, AttentionScoreIssuesPerPositionFollowTheBeatAndHeadGeometry) {
  const auto d = small_descriptor();
  const auto m = small_microarch();
  // Overlapped part per extra position: score issues (kv_dim / 16) * kv_mul * (16 / hs when
  // hs < 16, else 1) = 4, plus the weighted-sum period max(rows = 4, 9, ceil((rows + heads + 2) / 2)
  // = 5) = 9 cycles.
  const uint64_t per_position = (64 / 16) * 1 * 1 + 9;
  const PhaseCycles p0 = cycles(KernelPhase::kAttention, d, 0, m);
  const PhaseCycles p5 = cycles(KernelPhase::kAttention, d, 5, m);
  EXPECT_EQ(p0.overlapped, per_position);
  EXPECT_EQ(p5.overlapped, 6 * per_position);
}

TEST(SequentialTimingModel, KvLanesTakeAGroupOfPositionsForTheCostOfOne) {
  auto d = small_descriptor();
  d.kv_ports = 4;
  const auto m = small_microarch();
  // Per group of 4 positions: 4 score issues as for one position; the weighted sum's period is
  // max(rows = 4, depth + 1, 5) with the multiply-add pipeline now 1 + 3 (multiplier) + 4 x 4
  // (one adder per lane, in position order) = 20 deep.
  const uint64_t per_group = (64 / 16) * 1 * 1 + (1 + 3 + 4 * 4 + 1);
  EXPECT_EQ(cycles(KernelPhase::kAttention, d, 0, m).overlapped, per_group);
  EXPECT_EQ(cycles(KernelPhase::kAttention, d, 3, m).overlapped, per_group);
  EXPECT_EQ(cycles(KernelPhase::kAttention, d, 4, m).overlapped, 2 * per_group);
  EXPECT_EQ(cycles(KernelPhase::kAttention, d, 10, m).overlapped, 3 * per_group);
}

// A classifier over `vocab` rows of `dim` columns with `ports` weight ports: its overlapped part
// is the matmul engines' streaming alone.
uint64_t classifier_stream(uint32_t vocab, uint32_t dim, uint32_t ports) {
  auto d = small_descriptor();
  d.vocab_size = vocab;
  d.dim = dim;
  d.weight_ports = ports;
  d.kv_ports = 1;
  return cycles(KernelPhase::kClassifier, d, 0, small_microarch()).overlapped;
}

TEST(SequentialTimingModel, SixteenWeightPortsDivideAWideMatmulStreamBySixteen) {
  // dim 1024, groups of 32: 32 groups a row, so the term multiplier (one group a cycle) gives a
  // period of 32 cycles a row (MAC: 18 beats; a slot is held 18 + 8 + 6 + 160 + 2 = 194 cycles,
  // less than a round of 8 rows at 32 cycles, so the slots never stall it).
  const uint64_t period = 32;
  const uint32_t vocab = 4001;  // not a multiple of 16: the busiest engine takes ceil(4001 / 16) = 251 rows
  const uint64_t one = classifier_stream(vocab, 1024, 1), sixteen = classifier_stream(vocab, 1024, 16);
  EXPECT_EQ(one, vocab * period);
  EXPECT_EQ(sixteen, 251 * period);
  const double speedup = double(one) / double(sixteen);
  EXPECT_GT(speedup, 15.9);
  EXPECT_LE(speedup, 16.0);
}

TEST(SequentialTimingModel, SixteenPortsStopAtTheMergeBoundOfOneResultACycle) {
  // dim 64: rounds of 8 rows 28 cycles apart (see the wo test), so 16 engines of 256 rows would
  // finish in 31 * 28 + 8 * 2 = 884 cycles, but the round-robin merge hands out one result a cycle.
  const uint32_t vocab = 4096;
  auto engine_bound = [](uint64_t rows) { return (rows - 1) / 8 * 28 + 8 * 2; };
  EXPECT_EQ(classifier_stream(vocab, 64, 1), engine_bound(vocab));
  EXPECT_EQ(classifier_stream(vocab, 64, 16), uint64_t(vocab));
  // Between the two: 2 ports give 255 * 28 + 16 = 7156 > 4096, still engine bound.
  EXPECT_EQ(classifier_stream(vocab, 64, 2), engine_bound(vocab / 2));
}

// The serial part of an rmsnorm phase: its element loops and its quantization depend on fp_lanes.
uint64_t rmsnorm_serial(uint32_t fp_lanes, uint32_t group_size = 32) {
  auto d = small_descriptor();
  d.group_size = group_size;
  auto m = small_microarch();
  m.fp_lanes = fp_lanes;
  return cycles(KernelPhase::kAttnRmsnorm, d, 0, m).serial;
}

TEST(SequentialTimingModel, QuantizeMovesMinOfFpLanesAndGroupSizeWordsABeat) {
  // dim 64 in groups of 32: 2 groups of `beats` = 32 / lanes beats. Without contention (2 groups
  // <= 4 slots, and the maxima, 2 * beats cycles, end before the first scale is ready after
  // 4 + div = 14 cycles), the last group's last max beat issues at 2 * beats - 1, its scale is
  // ready 14 cycles later and its quant beats follow one a cycle:
  //   last_issue = 2 * beats - 1 + 14 + beats - 1, quantize = 4 + 3 + last_issue + 4 + div + round.
  auto quantize = [](uint64_t beats) { return 4 + 3 + (2 * beats - 1 + 14 + beats - 1) + 4 + 10 + 2; };
  // load(64) = 4 + 4 + 12 + 4 + 4 = 28. rmsnorm(64) with L lanes = 4
  //   + the sum of squares: stream(64 / L beats (4 whole blocks of 16), mul 4 + the sum's path:
  //     L-leaf tree, 16 / L combine levels and the partial add, five adders of 4 + 1 = 25, one
  //     more register with one lane)
  //   + 1 + tree (7 * (add 6 + 1)) + mul 5 + add 6 + rsqrt (rsqrt_latency + 2)
  //   + the scaling: stream(64 / L, 2 * (mul 3 + 1)); stream(beats, path) = beats + 5 + path.
  const auto m = small_microarch();
  auto rmsnorm = [&](uint64_t lanes) {
    return 4 + (64 / lanes + 5 + 4 + 25 + (lanes == 1 ? 1 : 0)) + 1 + 7 * 7 + 5 + 6 + (m.rsqrt_latency + 2) +
           (64 / lanes + 5 + 8);
  };
  EXPECT_EQ(rmsnorm_serial(16), 28 + rmsnorm(16) + quantize(2));
  EXPECT_EQ(rmsnorm_serial(8), 28 + rmsnorm(8) + quantize(4)) << "8 lanes: 4 beats a group instead of 2";
  EXPECT_EQ(rmsnorm_serial(4), 28 + rmsnorm(4) + quantize(8)) << "4 lanes: 8 beats a group";
  // 32 lanes: the scaling and the quantizer (a group a beat) move 32 words a beat, the sum of
  // squares still 16 (its partials' add chains take a block a cycle).
  EXPECT_EQ(rmsnorm_serial(32), 28 + rmsnorm(16) - (64 / 16 - 64 / 32) + quantize(1));
  // With fewer lanes the maxima of the second group outlast the first scale (quantize() above no
  // longer holds), but the rmsnorm part still follows the formula: one lane, 64 beats a stream.
  EXPECT_EQ(rmsnorm(1) - rmsnorm(16), 2 * (64 - 4) + 1);
}

TEST(SequentialTimingModel, ElementLoopsMoveFpLanesElementsABeat) {
  auto d = small_descriptor();
  auto m = small_microarch();
  for (uint32_t lanes : {1u, 2u, 4u, 8u, 16u, 32u}) {
    m.fp_lanes = lanes;
    // wo: residual = 4 + stream(64 / L, fadd + 1); the matmul's part does not depend on lanes.
    const PhaseCycles wo = cycles(KernelPhase::kWoMatmul, d, 0, m);
    m.fp_lanes = 16;
    const PhaseCycles wo16 = cycles(KernelPhase::kWoMatmul, d, 0, m);
    m.fp_lanes = lanes;
    EXPECT_EQ(int64_t(wo.serial - wo16.serial), int64_t(64 / lanes) - 64 / 16) << lanes << " lanes";
    // RoPE and the two k/v stores (kv_dim 64 words from lane 0: 4 beats, 2 + 3 * 4 = 14 + 4 each):
    // q then k, 64 elements each, beats of min(max(L, 2), 16) (head size 16) elements, path
    // mul 4 + add 5: 4 + 2 * (64 / step + 5 + 9).
    const uint64_t step = lanes < 2 ? 2 : lanes > 16 ? 16 : lanes;
    EXPECT_EQ(cycles(KernelPhase::kRopeKvWrite, d, 0, m).serial, 4 + 2 * (64 / step + 5 + 9) + 2 * (4 + 2 + 3 * 4))
        << lanes << " lanes";
  }
}

TEST(SequentialTimingModel, RopeBeatsNeverCrossAHeadOfOddMultiplesOfTwo) {
  // Head size 8 * 3 = 24: the table offset wraps every 24 elements, so a beat is 8 elements
  // (the largest power of two dividing 24), even with 16 lanes: 4 + 2 * (96 / 8 + 5 + 9).
  auto d = small_descriptor();
  d.dim = 96;
  d.n_heads = 4;
  d.n_kv_heads = 4;
  auto m = small_microarch();
  const uint64_t kv_dim = 96, store = 4 + 2 + 3 * (kv_dim / 16);
  EXPECT_EQ(cycles(KernelPhase::kRopeKvWrite, d, 0, m).serial, 4 + 2 * (96 / 8 + 5 + 9) + 2 * store);
}

TEST(SequentialTimingModel, FpLanesTheRtlCannotHaveAreRefusedNamingTheKey) {
  auto m = small_microarch();
  for (uint32_t lanes : {1u, 2u, 4u, 8u, 16u, 32u}) {
    m.fp_lanes = lanes;
    EXPECT_NO_THROW(m.validate("kernel.")) << lanes;
  }
  const auto expect_refused = [&](uint32_t lanes) {
    const std::string e = vp::test::thrown_message<std::invalid_argument>([&] { m.validate("kernel."); });
    EXPECT_NE(e.find("kernel.fp_lanes = " + std::to_string(lanes)), std::string::npos) << e;
    EXPECT_NE(e.find("1, 2, 4, 8, 16 or 32 lanes, at most mac_lanes"), std::string::npos) << e;
  };
  for (uint32_t lanes : {5u, 12u, 64u}) {
    m.fp_lanes = lanes;
    expect_refused(lanes);
  }
  m.fp_lanes = 32;  // a beat's codes fill one xq word of MAC_LANES bytes at most
  m.mac_lanes = 16;
  expect_refused(32);
  m.vector_unit = vp::VectorUnitKind::kPipelined;  // the HLS-style what-if has no such limit
  m.fp_lanes = 64;
  EXPECT_NO_THROW(m.validate("kernel."));
}

TEST(SequentialTimingModel, LanesBeyondTheGroupSizeGainNothing) {
  // Groups of 8 words: 8 lanes quantize a group a beat, and so do 16; only the rmsnorm's two element
  // loops (64 words each) gain. With groups of 32 the quantizer gains too.
  EXPECT_EQ(rmsnorm_serial(8, 8) - rmsnorm_serial(16, 8), 2 * (64 / 8 - 64 / 16));
  EXPECT_GT(rmsnorm_serial(8, 32) - rmsnorm_serial(16, 32), 2 * (64 / 8 - 64 / 16));
}

}  // namespace
