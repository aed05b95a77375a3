// End-to-end runs through the simulated host, PCIe, interconnect, memory and fast kernel.
#include <gtest/gtest.h>

#include <cstring>
#include <sstream>

#include "hls/csim_memory.h"
#include "hls/llama_kernel.h"
#include "platform/sim_config.h"
#include "platform/simulation.h"
#include "sw/checkpoint_reader.h"
#include "sw/golden_model.h"
#include "tests/reference_data.h"
#include "tests/sim_config_args.h"
#include "tests/test_data.h"

namespace {

using vp::test::config_from;

std::string join_ids(const std::vector<int>& ids) {
  std::ostringstream s;
  for (int id : ids) s << id << ' ';
  return s.str();
}

// stories260K teacher-forced over all 256 reference positions on the u280 preset: logits equal
// the golden Q8_0 model (and so the hls/ C-sim, held to it bit for bit by test_llama_kernel)
// at every position, and agree with llama2.c runq.c's argmax at >= 99% of positions.
TEST(PlatformRun, Stories260KThroughThePlatformMatchesGoldenAndReference) {
  VP_REQUIRE_SHARED_DATA("llama2c/stories260K.bin");
  const std::string checkpoint = vp::test::shared_data("llama2c/stories260K.bin");
  const std::vector<int> tokens =
      vp::test::read_token_ids(vp::test::shared_data("reference/stories260K_q80gs4_greedy256_tokens.txt"));
  const auto reference =
      vp::test::read_logits(vp::test::shared_data("reference/stories260K_q80gs4_greedy256_logits.f32"), 512);
  ASSERT_EQ(tokens.size(), 256u);
  ASSERT_EQ(reference.size(), 256u);

  const vp::SimConfig config =
      config_from({std::string(VP_SOURCE_DIR) + "/platform/u280.cfg", "--run.checkpoint=" + checkpoint,
                   "--run.prompt=" + join_ids(tokens), "--run.steps=256", "--run.dump_logits=/dev/null"});
  const vp::RunResult result = vp::run_simulation(config, [](const vp::TokenStats&) {});
  ASSERT_TRUE(result.error.empty()) << result.error;
  ASSERT_EQ(result.logits.size(), 256u);

  vp::GoldenQ8Model golden(vp::load_checkpoint_as_q8(checkpoint, 64));
  int agree = 0;
  for (int pos = 0; pos < 256; ++pos) {
    const std::vector<float>& want = golden.forward(tokens[pos], pos);
    ASSERT_EQ(std::memcmp(result.logits[pos].data(), want.data(), want.size() * sizeof(float)), 0)
        << "platform logits differ from the golden model at pos " << pos;
    agree += vp::test::argmax(result.logits[pos]) == vp::test::argmax(reference[pos]);
  }
  EXPECT_GE(agree, 254) << "argmax agreement with runq.c: " << agree << "/256";
  std::cout << "argmax agreement with llama2.c runq.c (gs 4): " << agree << "/256\n";

  // Every call moved the whole model through the memory models and took longer than its compute.
  ASSERT_EQ(result.tokens.size(), 256u);
  for (const vp::TokenStats& t : result.tokens) {
    EXPECT_GT(t.read_bytes, result.upload.bytes / 2) << "pos " << t.pos;
    EXPECT_GE(t.cycles, t.compute_cycles) << "pos " << t.pos;
  }
  // Attention reads grow with the position: the last call moves more than the first.
  EXPECT_GT(result.tokens.back().read_bytes, result.tokens.front().read_bytes);
}

// Weight rows sliced over 8 HBM pseudo-channels: same logits, every channel carries weights.
TEST(PlatformRun, RowsSlicedOverEightChannelsGiveTheSameLogits) {
  VP_REQUIRE_SHARED_DATA("llama2c/stories260K.bin");
  const std::string checkpoint = vp::test::shared_data("llama2c/stories260K.bin");
  const vp::SimConfig config = config_from({"--run.checkpoint=" + checkpoint, "--run.prompt=1 200 33 7",
                                            "--run.steps=4", "--run.dump_logits=/dev/null",
                                            "--kernel.weight_ports=8", "--kernel.kv_channel=8",
                                            "--kernel.out_channel=9"});
  const vp::RunResult result = vp::run_simulation(config, [](const vp::TokenStats&) {});
  ASSERT_TRUE(result.error.empty()) << result.error;
  vp::GoldenQ8Model golden(vp::load_checkpoint_as_q8(checkpoint, 64));
  const std::vector<int> tokens{1, 200, 33, 7};
  for (int pos = 0; pos < 4; ++pos) {
    const std::vector<float>& want = golden.forward(tokens[pos], pos);
    ASSERT_EQ(std::memcmp(result.logits[pos].data(), want.data(), want.size() * sizeof(float)), 0) << pos;
  }
  // Every weight channel carried traffic.
  for (uint32_t ch = 0; ch < 8; ++ch) EXPECT_GT(result.channels[ch].stats.read_bytes, 0u) << "HBM[" << ch << "]";
}

TEST(PlatformRun, KernelErrorIsReportedWithItsState) {
  // A model whose seq_len is beyond the kernel's on-chip capacity is refused by the kernel.
  const vp::SimConfig config =
      config_from({"--run.model_shape=64,128,1,4,4,64,8192", "--run.steps=2", "--run.cache_dir=vp_test_cache"});
  const vp::RunResult result = vp::run_simulation(config, [](const vp::TokenStats&) {});
  EXPECT_NE(result.error.find("seq_len 8192"), std::string::npos) << result.error;
  EXPECT_NE(result.error.find("load_descriptor"), std::string::npos) << result.error;
  EXPECT_TRUE(result.tokens.empty());
}

// The key/value caches position-interleaved over 4 HBM pseudo-channels: the same logits as the golden
// model, and every KV channel carries its rows. 11 positions: groups of 4 and a partial last group.
// (What the lanes save is test_sequential_timing_model's.)
TEST(PlatformRun, KvCacheOverFourChannelsGivesTheSameLogits) {
  VP_REQUIRE_SHARED_DATA("llama2c/stories260K.bin");
  const std::string checkpoint = vp::test::shared_data("llama2c/stories260K.bin");
  const std::vector<int> tokens{1, 200, 33, 7, 90, 12, 400, 5, 61, 300, 2};
  std::string prompt;
  for (int t : tokens) prompt += (prompt.empty() ? "" : " ") + std::to_string(t);
  const vp::SimConfig config =
      config_from({"--run.checkpoint=" + checkpoint, "--run.prompt=" + prompt,
                   "--run.steps=" + std::to_string(tokens.size()), "--run.dump_logits=/dev/null",
                   "--kernel.kv_ports=4", "--kernel.kv_channel=1", "--kernel.out_channel=5"});
  const vp::RunResult four = vp::run_simulation(config, [](const vp::TokenStats&) {});
  ASSERT_TRUE(four.error.empty()) << four.error;
  vp::GoldenQ8Model golden(vp::load_checkpoint_as_q8(checkpoint, 64));
  for (size_t pos = 0; pos < tokens.size(); ++pos) {
    const std::vector<float>& want = golden.forward(tokens[pos], int(pos));
    ASSERT_EQ(std::memcmp(four.logits[pos].data(), want.data(), want.size() * sizeof(float)), 0) << pos;
  }
  for (uint32_t ch = 1; ch <= 4; ++ch) EXPECT_GT(four.channels[ch].stats.read_bytes, 0u) << "HBM[" << ch << "]";
}

TEST(PlatformRun, KvPortsThatAreNotAPowerOfTwoAreRefusedNamingTheKey) {
  std::string error;
  try {
    config_from({"--run.model_shape=64,128,1,4,4,64,64", "--run.steps=1", "--kernel.kv_ports=3"});
  } catch (const std::exception& e) {
    error = e.what();
  }
  EXPECT_NE(error.find("kv_ports = 3"), std::string::npos) << error;
}

}  // namespace
