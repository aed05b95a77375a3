// The HLSTransform paper preset (platform/kernels/hlstransform_paper.cfg) and its timing model
// (hls/hlstransform_timing_model.h): the loop-structure arithmetic recomputed by hand from the
// rules the preset cites (forward.cpp's pragmas, UG1399's defaults) on a small shape.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "hls/hlstransform_timing_model.h"
#include "platform/rtl_kernel_assembly.h"
#include "platform/simulation.h"
#include "platform/sim_config.h"
#include "platform/soc.h"
#include "sw/device_image.h"
#include "tests/sim_config_args.h"

namespace {

const std::string kBoard = std::string(VP_SOURCE_DIR) + "/platform/vu9p_f1.cfg";
const std::string kPaper = std::string(VP_SOURCE_DIR) + "/platform/kernels/hlstransform_paper.cfg";

using vp::test::config_from;

// A small shape with the paper's head size (64) and group size (GS = 64, config.h).
vp::KernelDescriptor small_shape() {
  // dim, hidden, layers, heads, kv heads, vocab, seq, group size; one weight port and one KV port
  return vp::descriptor_header(128, 256, 1, 2, 2, 512, 32, 64, 1, 1);
}

uint64_t cycles(vp::KernelPhase p, uint32_t pos, const vp::KernelMicroarch& m) {
  return vp::phase_cycles(p, small_shape(), pos, m).total();
}

TEST(HlsTransformPaperPreset, ParsesToTheCitedSchedule) {
  const vp::SimConfig c = config_from({kBoard, kPaper});
  const vp::KernelMicroarch& m = c.kernel.microarch;
  EXPECT_EQ(m.vector_unit, vp::VectorUnitKind::kHlsTransform);
  EXPECT_EQ(c.kernel.clock_mhz, 250.0);
  EXPECT_EQ(c.kernel.weight_ports, 1u);
  EXPECT_EQ(m.hlstransform.weights_maxi_bits, 32u);
  EXPECT_EQ(m.hlstransform.kv_maxi_bits, 512u);
  EXPECT_FALSE(m.hlstransform.row_burst);
  EXPECT_EQ(m.hlstransform.maxi_latency, 64u);
  EXPECT_EQ(m.hlstransform.max_read_burst, 16u);
  EXPECT_EQ(m.hlstransform.max_write_burst, 16u);
  EXPECT_EQ(m.hlstransform.read_outstanding, 16u);
  EXPECT_EQ(m.hlstransform.unroll, 16u);
  EXPECT_EQ(m.hlstransform.swiglu_unroll, 4u);
  EXPECT_EQ(m.hlstransform.softmax_unroll, 16u);
  EXPECT_EQ(c.placement.weights_channel, 0u);
  EXPECT_EQ(c.placement.kv_channel, 0u);
  EXPECT_EQ(c.placement.out_channel, 0u);
}

// Every key of the preset cites its source (a line of forward.cpp, a UG1399 rule, an AWS document)
// in the comment block right above it (shared by the keys that follow it without a comment of their
// own) or on its line.
TEST(HlsTransformPaperPreset, EveryKeyCitesItsSource) {
  std::ifstream in(kPaper);
  ASSERT_TRUE(in) << kPaper;
  const std::regex key_line(R"(^\s*([a-z_]+)\s*=\s*([^#]*?)\s*(#.*)?$)");
  const std::regex source(R"(forward\.cpp|forward\.h|UG1399|aws-fpga|hls/hlstransform_timing_model)");
  std::string block, line;
  bool after_key = false;
  int keys = 0;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    if (line[0] == '[') {
      block.clear();
      after_key = false;
      continue;
    }
    if (line[0] == '#') {
      if (after_key) block.clear();
      after_key = false;
      block += line + '\n';
      continue;
    }
    std::smatch m;
    ASSERT_TRUE(std::regex_match(line, m, key_line)) << line;
    ++keys;
    after_key = true;
    EXPECT_TRUE(std::regex_search(block + m[3].str(), source)) << "key " << m[1] << " cites no source";
  }
  EXPECT_GE(keys, 18);
}

// matmul<N, D>: the row loop is pipelined (forward.cpp:227) with the row copy (matmul1) and the
// scale copy (matmul2) unrolled into it; both read gmem0 in that region, so no burst (UG1399):
// N + N/GS single requests, one a cycle, at most 16 outstanding per 64-cycle round trip.
TEST(HlsTransformTimingModel, MatmulRowsFollowTheRowLoopPipeline) {
  const vp::KernelMicroarch m = config_from({kBoard, kPaper}).kernel.microarch;
  const uint64_t fadd = m.fadd_latency, fmul = m.fmul_latency;
  // N = 128, GS = 64: 2 groups. 130 requests * 64 cycles / 16 outstanding = 520 cycles a row; the
  // arrays allow more (x_buffer cyclic 16: 128 / 32 = 4 cycles), so II = 520.
  const uint64_t ii_128 = 130 * 64 / 16;
  ASSERT_EQ(ii_128, 520u);
  // Depth of one row: round trip 64, the row's requests, the 64-product adder tree (6 levels),
  // two scale multiplies, the 2 group adds on val, the store.
  const uint64_t depth_128 = 64 + ii_128 + 6 + 2 * fmul + 2 * fadd + 1;
  // x_buff (UNROLL 16: 8 iterations) and xs_buff (UNROLL 4: 1 iteration), one a cycle.
  const uint64_t copies_128 = 128 / 16 + 1;
  const uint64_t matmul_128x128 = copies_128 + (128 - 1) * ii_128 + depth_128;
  // q, k and v: dim = kv_dim = 128.
  EXPECT_EQ(cycles(vp::KernelPhase::kQkvMatmul, 0, m), 3 * matmul_128x128);
  EXPECT_EQ(cycles(vp::KernelPhase::kClassifier, 0, m), copies_128 + (512 - 1) * ii_128 + depth_128);
  // The cycles per row are the row loop's II: one more row of the classifier adds exactly II.
  vp::KernelDescriptor bigger = small_shape();
  bigger.vocab_size = 513;
  EXPECT_EQ(vp::phase_cycles(vp::KernelPhase::kClassifier, bigger, 0, m).total() -
                cycles(vp::KernelPhase::kClassifier, 0, m),
            ii_128);

  // W2: N = hidden = 256, 4 groups: 260 requests -> 1040 cycles a row; then residual2 (UNROLL 16,
  // 8 iterations, not pipelined: x and xb cyclic 16 give 16 accesses in 1 cycle, the add, the store).
  const uint64_t ii_256 = 260 * 64 / 16;
  const uint64_t depth_256 = 64 + ii_256 + 6 + 2 * fmul + 4 * fadd + 1;
  const uint64_t matmul_256x128 = (256 / 16 + 1) + (128 - 1) * ii_256 + depth_256;
  EXPECT_EQ(cycles(vp::KernelPhase::kW2Matmul, 0, m), matmul_256x128 + 8 * (1 + fadd + 1));

  // What-if: the row copy bursts (16-beat bursts, one element a beat on the 32-bit bundle): 128
  // beats, 8 bursts (8 * 64 / 16 = 32 cycles of requests, below the beats); ws stays 2 single
  // requests (2 * 64 / 16 = 8 cycles): 136 cycles a row.
  vp::KernelMicroarch burst = m;
  burst.hlstransform.row_burst = true;
  EXPECT_EQ(vp::phase_cycles(vp::KernelPhase::kClassifier, bigger, 0, burst).total() -
                cycles(vp::KernelPhase::kClassifier, 0, burst),
            128u + 8u);
  // ... and widened to 512 bits: 64 int8 a beat, 2 beats in one burst (its request: 64 / 16 = 4
  // cycles) plus ws's 8: 12 cycles a row, above x_buffer's 4.
  burst.hlstransform.weights_maxi_bits = 512;
  EXPECT_EQ(vp::phase_cycles(vp::KernelPhase::kClassifier, bigger, 0, burst).total() -
                cycles(vp::KernelPhase::kClassifier, 0, burst),
            4u + 8u);
}

// Attention per head: iterate (PIPELINE; a key row of 64 floats per t, one burst of 4 beats on the
// 512-bit KV bundle, its request limited to 16 per 64 cycles: II 4), softmax<257> (max and sum at
// their recurrence, fadd a position; exp and norm UNROLL 16 into an unpartitioned buffer: II 8 per
// 16 positions), acc (PIPELINE; xb[i] += a * v[i] recurs through xb: II fadd + 2).
TEST(HlsTransformTimingModel, AttentionGrowsPerPositionByTheLoopIIs) {
  const vp::KernelMicroarch m = config_from({kBoard, kPaper}).kernel.microarch;
  const uint64_t fadd = m.fadd_latency, fmul = m.fmul_latency, div = m.div_latency;
  const uint64_t score_ii = 4, acc_ii = std::max<uint64_t>(4, fadd + 2);
  const uint64_t per_position = 2 * (score_ii + fadd + fadd + acc_ii);  // 2 heads
  const auto attention = [&](uint32_t pos) { return cycles(vp::KernelPhase::kAttention, pos, m); };
  EXPECT_EQ(attention(4) - attention(3), per_position);
  EXPECT_EQ(attention(10) - attention(9), per_position);
  // Crossing 16 positions adds one exp and one norm iteration (II 8 each) per head.
  EXPECT_EQ(attention(16) - attention(15), per_position + 2 * (8 + 8));

  // Position 0, by hand. One head: scores pipe(1) = depth; softmax: no max iteration, exp depth,
  // sum depth, 1 / sum, norm depth; memset of 64 words; acc pipe(1) = depth.
  const uint64_t scores = 64 + score_ii + fmul + 64 * fadd + div + 1;
  const uint64_t softmax = (fadd + m.exp_latency + 1) + fadd + div + (fmul + 2);
  const uint64_t acc = 64 + acc_ii + fmul + fadd + 2;
  // quantize<128>: 2 groups, main_loop UNROLL 8 -> 1 iteration; its depth: a 64-compare max chain,
  // wmax / 127, x / scale, round; then the copies of 128 values and 2 scales.
  const uint64_t quantize = 64 * fadd + 2 * div + m.round_latency + 1 + 128 + 2;
  EXPECT_EQ(attention(0), 2 * (scores + softmax + 64 + acc) + quantize);
}

TEST(HlsTransformTimingModel, OtherVectorUnitsAreUnchanged) {
  vp::KernelMicroarch m;
  const uint64_t sequential = cycles(vp::KernelPhase::kAttention, 3, m);
  m.hlstransform.row_burst = true;  // the schedule's keys do not touch the other models
  m.hlstransform.maxi_latency = 1000;
  EXPECT_EQ(cycles(vp::KernelPhase::kAttention, 3, m), sequential);
}

TEST(HlsTransformPaperPreset, ScheduleKeysAreValidatedByName) {
  EXPECT_THROW(
      try { config_from({kBoard, kPaper, "--kernel.hls_weights_maxi_bits=48"}); } catch (const std::exception& e) {
        EXPECT_NE(std::string(e.what()).find("kernel.hls_weights_maxi_bits = 48"), std::string::npos) << e.what();
        throw;
      },
      std::exception);
  EXPECT_THROW(
      try { config_from({kBoard, kPaper, "--kernel.hls_max_read_burst=0"}); } catch (const std::exception& e) {
        EXPECT_NE(std::string(e.what()).find("kernel.hls_max_read_burst"), std::string::npos) << e.what();
        throw;
      },
      std::exception);
}

// run.mode = rtl cannot express the kernel: refused before the start, naming kernel.vector_unit
// (or, in a build without the RTL kernel, refused as every rtl run is).
TEST(HlsTransformPaperPreset, RtlModeIsRefusedNamingTheKey) {
  const vp::SimConfig c = config_from({kBoard, kPaper, "--run.mode=rtl", "--run.model_shape=tiny", "--run.steps=1"});
  std::string message;
  try {
    vp::Soc soc("soc", c);
  } catch (const std::exception& e) {
    message = e.what();
  }
  if (vp::rtl_kernel_built())
    EXPECT_NE(message.find("kernel.vector_unit = hlstransform"), std::string::npos) << message;
  else
    EXPECT_EQ(message, vp::kNoRtlKernelMessage);
}

// A fast-mode run with the preset completes and each phase lasts at least its schedule's cycles.
TEST(HlsTransformPaperPreset, FastRunTakesTheScheduleCycles) {
  const vp::SimConfig c =
      config_from({kBoard, kPaper, "--run.model_shape=tiny", "--run.steps=2", "--run.functional=off"});
  const vp::RunResult result = vp::run_simulation(c, [](const vp::TokenStats&) {});
  ASSERT_TRUE(result.error.empty()) << result.error;
  ASSERT_EQ(result.calls.size(), 2u);
  for (const vp::KernelCallRecord& call : result.calls) {
    EXPECT_GE(call.cycles + call.phases.size(), call.compute_cycles);
    for (const vp::PhaseRecord& p : call.phases)
      EXPECT_GE((p.end - p.start) / c.kernel.cycle() + 1.0, double(p.compute_cycles)) << vp::phase_name(p.phase);
  }
}

}  // namespace
