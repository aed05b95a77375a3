// Reader and parser fixes found by fuzzing and by probing vpsim with extreme values, each pinned by
// the behaviour that was wrong (fuzz/README.md lists them).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "hls/llama_kernel.h"
#include "platform/model_source.h"
#include "platform/sim_config.h"
#include "sw/checkpoint_writer.h"
#include "sw/quantizer.h"
#include "sw/random_checkpoint.h"
#include "tests/sim_config_args.h"
#include "tests/thrown_message.h"
#include "tests/vpsim_child.h"

namespace {

std::string parse_error(const std::vector<std::string>& args) {
  return vp::test::thrown_message([&] { vp::test::config_from(args); });
}

// With subnormal weights, scale = max|w| / 127 loses precision and |w / scale| rounds to 128 or more:
// the conversion to int8 was undefined (found by fuzz_checkpoint_fp32). Codes now stay in [-127, 127]
// and each code still dequantizes to within one of its subnormal scale steps of the weight.
TEST(RobustnessReaders, QuantizingSubnormalWeightsKeepsCodesInRange) {
  const float tiny = std::numeric_limits<float>::denorm_min();
  std::vector<float> w;
  // max|w| = 169 units of denorm_min: scale = 169 / 127 units rounds to 1 unit, so w / scale reaches 169.
  for (int i = 0; i < 64; ++i) w.push_back(tiny * float(i % 2 ? 170 - i : -(100 + i)));
  const vp::Q8Tensor t = vp::quantize_tensor(w.data(), 1, 64, 64);
  const float scale = t.s[0];
  ASSERT_GT(scale, 0.0f);
  bool clamped = false;
  for (int i = 0; i < 64; ++i) {
    EXPECT_GE(t.q[i], -127) << i;
    EXPECT_LE(t.q[i], 127) << i;
    clamped |= std::fabs(w[i] / scale) > 127.5f;
  }
  EXPECT_TRUE(clamped) << "the input no longer reaches the clamp: the test lost its purpose";
}

TEST(RobustnessReaders, QuantizingNormalWeightsNeverNeedsTheClamp) {
  std::vector<float> w;
  for (int i = 0; i < 64; ++i) w.push_back(std::sin(float(i)) * 1e-3f);
  const vp::Q8Tensor t = vp::quantize_tensor(w.data(), 1, 64, 64);
  for (int i = 0; i < 64; ++i) EXPECT_EQ(t.q[i], static_cast<int8_t>(std::round(w[i] / t.s[0]))) << i;
}

// Boost's lexical_cast reads "-1" for an unsigned key as its maximum value.
TEST(RobustnessReaders, NegativeValueForACountIsRefused) {
  for (const char* arg : {"--run.steps=-1", "--kernel.timeout_cycles=-1", "--hbm.tRCD=-2", "--run.seed= -3"}) {
    const std::string error = parse_error({arg});
    EXPECT_NE(error.find("non-negative"), std::string::npos) << arg << ": " << error;
  }
}

TEST(RobustnessReaders, NonFiniteRealValueIsRefused) {
  for (const char* arg : {"--run.temperature=inf", "--hbm.e_rd_pj=nan", "--pcie.energy_pj_per_bit=inf"}) {
    const std::string error = parse_error({arg});
    EXPECT_NE(error.find("finite"), std::string::npos) << arg << ": " << error;
  }
}

// Times derived from these keys left sc_time's 64-bit picosecond range (the simulation hung).
TEST(RobustnessReaders, ValuesWhoseTimesLeaveTheSimulatedRangeAreRefused) {
  const vp::test::RefusedOption cases[] = {{"--kernel.clock_mhz=0.5", "kernel.clock_mhz"},
                                           {"--kernel.timeout_cycles=4000000000000000", "kernel.timeout_cycles"},
                                           {"--interconnect.base_latency_ns=2e6", "interconnect.base_latency_ns"},
                                           {"--control.access_ns=1e300", "control.access_ns"},
                                           {"--ddr.tck_ns=1e7", "ddr.tck_ns"},
                                           {"--pcie.encoding_efficiency=1e-300", "pcie.encoding_efficiency"},
                                           {"--board.hbm_channels=257", "board.hbm_channels"}};
  for (const auto& c : cases) {
    const std::string error = parse_error({c.arg});
    EXPECT_NE(error.find(c.key), std::string::npos) << c.arg << ": " << error;
  }
}

// A DRAM timing of 2^32 - 1 cycles wrapped tRAS + tRP past the consistency checks and then failed inside
// the run (std::bad_alloc, or "command bus history exceeded"); 10^6 cycles took 1 GB.
TEST(RobustnessReaders, AbsurdDramTimingIsRefusedNamingItsKey) {
  for (const char* arg : {"--hbm.tRC=4294967295", "--hbm.tRP=4294967295", "--ddr.tFAW=1000000"}) {
    const std::string key = std::string(arg).substr(2, std::string(arg).find('=') - 2);
    const std::string error = parse_error({arg});
    EXPECT_NE(error.find(key), std::string::npos) << arg << ": " << error;
    EXPECT_NE(error.find("65535"), std::string::npos) << arg << ": " << error;
  }
}

TEST(RobustnessReaders, ValuesAtTheEdgesOfTheRangesAreAccepted) {
  const vp::SimConfig c = vp::test::config_from({"--kernel.clock_mhz=1", "--kernel.timeout_cycles=9000000000000",
                                 "--interconnect.base_latency_ns=1e6", "--board.hbm_channels=64"});
  EXPECT_EQ(c.kernel.clock_mhz, 1.0);
  EXPECT_EQ(c.placement.timeout_cycles, 9'000'000'000'000ull);
  EXPECT_EQ(c.board.hbm_channels, 64u);
}

// An ak42 Q8_0 file stores nothing sized by seq_len, so a 97 KB file may claim seq_len 2^31 - 1: vpsim built
// a RoPE table (and port buffer) of seq_len * head_size floats before the kernel refused the descriptor
// (std::bad_alloc naming nothing at 2^31 - 1; 271 MB of RSS at 2,000,000). The checkpoint is now refused
// on load against the kernel's capacity, naming file and seq_len.
std::string write_tiny_q8_with_seq_len(const vp::test::ScratchDir& dir, int seq_len) {
  vp::ModelShape shape = vp::parse_model_shape("tiny");
  shape.seq_len = seq_len;
  const std::string path = dir.file("seq_len_" + std::to_string(seq_len) + ".bin");
  vp::write_q8_checkpoint(path, vp::random_q8_checkpoint(shape, 64, 1));
  return path;
}

TEST(RobustnessReaders, CheckpointWithSeqLenBeyondTheKernelIsRefusedOnLoad) {
  vp::test::ScratchDir dir("seq_len");
  vp::RunConfig run;
  run.checkpoint = write_tiny_q8_with_seq_len(dir, int(vp::kMaxSeqLen) + 1);
  const std::string error = vp::test::thrown_message([&] { vp::load_model(run); });
  EXPECT_NE(error.find(run.checkpoint), std::string::npos) << error;
  EXPECT_NE(error.find("seq_len " + std::to_string(vp::kMaxSeqLen + 1)), std::string::npos) << error;
  run.checkpoint = write_tiny_q8_with_seq_len(dir, int(vp::kMaxSeqLen));
  EXPECT_EQ(vp::load_model(run).weights.shape.seq_len, int(vp::kMaxSeqLen));
}

TEST(RobustnessReaders, VpsimRefusesAbsurdSeqLenBeforeAllocatingForIt) {
  vp::test::ScratchDir dir("seq_len_vpsim");
  for (const int seq_len : {std::numeric_limits<int32_t>::max(), 4000000}) {
    const std::string path = write_tiny_q8_with_seq_len(dir, seq_len);
    const vp::test::ChildResult child = vp::test::run_vpsim({"--run.checkpoint=" + path, "--run.steps=1"});
    EXPECT_EQ(child.exit_code, 1) << child.err;
    EXPECT_NE(child.err.find(path + ": seq_len " + std::to_string(seq_len)), std::string::npos) << child.err;
    // A normal tiny run peaks at 17 MB (76 MB under AddressSanitizer).
    EXPECT_LT(child.peak_rss_kb, 256 * 1024) << "vpsim allocated for seq_len " << seq_len;
  }
}

}  // namespace
