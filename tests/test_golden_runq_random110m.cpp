// The Q8_0 golden model (the kernel's numerical spec) against llama2.c runq.c on a random model of
// the stories110M shape (../shared/data/reference/random110M_seed11_*: group size 64, 128 positions,
// teacher-forced). The checkpoint is rebuilt with ../shared/tools/mkckpt.c (built by CMake as
// VP_MKCKPT) into the build tree's cache on first use, as ../shared/data/README.md describes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include <unistd.h>

#include "sw/checkpoint_reader.h"
#include "sw/golden_model.h"
#include "tests/reference_data.h"
#include "tests/test_data.h"

namespace {

const char* const kTokens = "reference/random110M_seed11_q80gs64_greedy128_tokens.txt";
const char* const kLogits = "reference/random110M_seed11_q80gs64_greedy128_logits.f32";
constexpr int kPositions = 128;
constexpr int kVocab = 32000;
constexpr int kBos = 1;

// mkckpt gen + conv, exactly the README's commands, into VP_TEST_CACHE_DIR (kept between runs).
std::string random110m_checkpoint() {
  const std::filesystem::path dir = VP_TEST_CACHE_DIR;
  const std::filesystem::path q8 = dir / "random110M_seed11_q80.bin";
  if (std::filesystem::exists(q8)) return q8.string();
  std::filesystem::create_directories(dir);
  const std::filesystem::path fp32 = dir / ("random110M_seed11_f32." + std::to_string(::getpid()) + ".bin");
  const std::filesystem::path partial = q8.string() + "." + std::to_string(::getpid()) + ".partial";
  const std::string tool = VP_MKCKPT;
  const std::string gen = tool + " gen " + fp32.string() + " 768 2048 12 12 12 -32000 1024 11";
  const std::string conv = tool + " conv " + fp32.string() + " " + partial.string() + " 64";
  if (std::system(gen.c_str()) != 0 || std::system(conv.c_str()) != 0)
    throw std::runtime_error("mkckpt failed: " + gen + " && " + conv);
  std::filesystem::remove(fp32);
  std::filesystem::rename(partial, q8);  // atomic: a concurrent or killed run never sees half a file
  return q8.string();
}

// Top-1 agreement where runq.c's own margin (best minus second best) exceeds our largest error:
// below that margin a tie-break is not a disagreement about the arithmetic.
TEST(GoldenQ8Model, AgreesWithRunqOnRandom110MShapeTeacherForced) {
  if (std::string(VP_MKCKPT).empty()) GTEST_SKIP() << "../shared/tools/mkckpt.c not found at configure time";
  VP_REQUIRE_SHARED_DATA(kTokens);
  VP_REQUIRE_SHARED_DATA(kLogits);
  const std::vector<int> outputs = vp::test::read_token_ids(vp::test::shared_data(kTokens));
  const std::vector<std::vector<float>> reference = vp::test::read_logits(vp::test::shared_data(kLogits), kVocab);
  ASSERT_EQ(outputs.size(), std::size_t(kPositions));
  ASSERT_EQ(reference.size(), std::size_t(kPositions));

  vp::Q8Checkpoint checkpoint = vp::read_q8_checkpoint(random110m_checkpoint());
  ASSERT_EQ(checkpoint.group_size, 64);
  ASSERT_EQ(checkpoint.shape.vocab_size, kVocab);
  vp::GoldenQ8Model model(std::move(checkpoint));

  std::vector<std::vector<float>> ours;
  float max_error = 0.0f;
  for (int pos = 0; pos < kPositions; ++pos) {
    const int token = pos == 0 ? kBos : outputs[pos - 1];
    ours.push_back(model.forward(token, pos));
    for (int i = 0; i < kVocab; ++i) max_error = std::max(max_error, std::fabs(ours.back()[i] - reference[pos][i]));
  }
  int agree = 0, decisive = 0, decisive_agree = 0;
  for (int pos = 0; pos < kPositions; ++pos) {
    std::vector<float> sorted = reference[pos];
    std::partial_sort(sorted.begin(), sorted.begin() + 2, sorted.end(), std::greater<float>());
    const bool same = vp::test::argmax(ours[pos]) == vp::test::argmax(reference[pos]);
    agree += same;
    if (sorted[0] - sorted[1] > 2 * max_error) {
      ++decisive;
      decisive_agree += same;
    }
  }
  std::cout << "Q8 golden vs runq.c (random 110M, gs 64): top-1 agrees at " << agree << "/" << kPositions
            << " positions (" << decisive_agree << "/" << decisive << " where runq.c's margin exceeds twice our "
            << "max error), max abs logit error " << max_error << "\n";
  RecordProperty("top1_agreement", agree);
  RecordProperty("max_abs_logit_error", std::to_string(max_error));
  EXPECT_EQ(decisive_agree, decisive);
  EXPECT_GE(decisive, kPositions / 2);  // the margin test leaves most positions in
  EXPECT_LT(max_error, 0.05f);
}

}  // namespace
