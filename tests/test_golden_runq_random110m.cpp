// The Q8_0 golden model (the kernel's numerical spec) against llama2.c runq.c on a random model of
// the stories110M shape (../shared/data/reference/random110M_seed11_*: group size 64, 128 positions,
// teacher-forced), rebuilt into the build tree's cache on first use (tests/random110m_checkpoint.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "sw/checkpoint_reader.h"
#include "sw/golden_model.h"
#include "tests/random110m_checkpoint.h"
#include "tests/reference_data.h"
#include "tests/test_data.h"

namespace {

const char* const kTokens = "reference/random110M_seed11_q80gs64_greedy128_tokens.txt";
const char* const kLogits = "reference/random110M_seed11_q80gs64_greedy128_logits.f32";
constexpr int kPositions = 128;
constexpr int kVocab = 32000;
constexpr int kBos = 1;

// Top-1 agreement where runq.c's own margin (best minus second best) exceeds our largest error:
// below that margin a tie-break is not a disagreement about the arithmetic.
TEST(GoldenQ8Model, AgreesWithRunqOnRandom110MShapeTeacherForced) {
  if (!vp::test::mkckpt_available()) GTEST_SKIP() << "../shared/tools/mkckpt.c not found at configure time";
  VP_REQUIRE_SHARED_DATA(kTokens);
  VP_REQUIRE_SHARED_DATA(kLogits);
  const std::vector<int> outputs = vp::test::read_token_ids(vp::test::shared_data(kTokens));
  const std::vector<std::vector<float>> reference = vp::test::read_logits(vp::test::shared_data(kLogits), kVocab);
  ASSERT_EQ(outputs.size(), std::size_t(kPositions));
  ASSERT_EQ(reference.size(), std::size_t(kPositions));

  vp::Q8Checkpoint checkpoint = vp::read_q8_checkpoint(vp::test::random110m_checkpoint());
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
