// Deterministic random checkpoints: reproducible bytes per seed, the Q8 generator equal to quantizing the fp32
// one, plausible magnitudes, and a forward pass that neither vanishes nor explodes.
#include "sw/random_checkpoint.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "sw/checkpoint_writer.h"
#include "sw/golden_model.h"
#include "sw/quantizer.h"
#include "tests/scratch_dir.h"

namespace {

vp::ModelShape tiny_shape(bool shared) {
  return vp::ModelShape{32, 96, 2, 4, 2, 40, 16, shared};  // dim, hidden, layers, heads, kv heads, vocab, seq
}

class RandomCheckpointFiles : public ::testing::Test {
 protected:
  std::string path(const std::string& name) const { return dir_.file(name); }
  // The fp32 and the Q8_0 (group size 16) random checkpoints of `s` from `seed`, as stem.bin and stem.q8.
  void write_random_checkpoints(const vp::ModelShape& s, uint64_t seed, const std::string& stem) const {
    vp::write_fp32_checkpoint(path(stem + ".bin"), vp::random_fp32_checkpoint(s, seed));
    vp::write_q8_checkpoint(path(stem + ".q8"), vp::random_q8_checkpoint(s, 16, seed));
  }
  static std::vector<char> bytes(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    return std::vector<char>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  vp::test::ScratchDir dir_{"random_ckpt"};
};

TEST_F(RandomCheckpointFiles, SameSeedGivesIdenticalBytes) {
  const vp::ModelShape s = tiny_shape(false);
  write_random_checkpoints(s, 1234, "a");
  write_random_checkpoints(s, 1234, "b");
  const std::vector<char> a = bytes(path("a.bin")), aq = bytes(path("a.q8"));
  ASSERT_GT(a.size(), 1000u);
  ASSERT_GT(aq.size(), 1000u);
  EXPECT_EQ(a, bytes(path("b.bin")));
  EXPECT_EQ(aq, bytes(path("b.q8")));
}

TEST_F(RandomCheckpointFiles, DifferentSeedGivesDifferentBytes) {
  const vp::ModelShape s = tiny_shape(true);
  write_random_checkpoints(s, 1, "a");
  write_random_checkpoints(s, 2, "b");
  EXPECT_NE(bytes(path("a.bin")), bytes(path("b.bin")));
  EXPECT_NE(bytes(path("a.q8")), bytes(path("b.q8")));
}

TEST(RandomCheckpoint, EveryTensorOfADifferentSeedDiffers) {
  const vp::ModelShape s = tiny_shape(false);
  const vp::Fp32Checkpoint a = vp::random_fp32_checkpoint(s, 1), b = vp::random_fp32_checkpoint(s, 2);
  EXPECT_NE(a.token_embedding, b.token_embedding);
  EXPECT_NE(a.rms_att, b.rms_att);
  EXPECT_NE(a.rms_ffn, b.rms_ffn);
  EXPECT_NE(a.rms_final, b.rms_final);
  EXPECT_NE(a.wcls, b.wcls);
  for (const vp::LayerMatrix& m : vp::layer_matrices(s)) EXPECT_NE(a.*m.fp32, b.*m.fp32) << m.name;
}

TEST(RandomCheckpoint, LayersDrawDifferentValues) {
  const vp::ModelShape s = tiny_shape(true);
  const vp::Fp32Checkpoint c = vp::random_fp32_checkpoint(s, 3);
  const std::size_t per_layer = std::size_t(s.hidden_dim) * s.dim;
  EXPECT_FALSE(std::equal(c.w1.begin(), c.w1.begin() + per_layer, c.w1.begin() + per_layer));
  EXPECT_FALSE(std::equal(c.w1.begin(), c.w1.begin() + per_layer, c.w3.begin()));
}

TEST(RandomCheckpoint, Q8EqualsQuantizedFp32BitForBit) {
  vp::ModelShape s = tiny_shape(false);
  s.vocab_size = 5000;  // the embedding spans several generation blocks
  const vp::Q8Checkpoint expected = vp::quantize_checkpoint(vp::random_fp32_checkpoint(s, 77), 8);
  const vp::Q8Checkpoint actual = vp::random_q8_checkpoint(s, 8, 77);
  EXPECT_EQ(actual.group_size, 8);
  EXPECT_EQ(actual.rms_att, expected.rms_att);
  EXPECT_EQ(actual.rms_ffn, expected.rms_ffn);
  EXPECT_EQ(actual.rms_final, expected.rms_final);
  EXPECT_EQ(actual.token_embedding.q, expected.token_embedding.q);
  EXPECT_EQ(actual.token_embedding.s, expected.token_embedding.s);
  EXPECT_EQ(actual.wcls.q, expected.wcls.q);
  EXPECT_EQ(actual.wcls.s, expected.wcls.s);
  for (const vp::LayerMatrix& m : vp::layer_matrices(s)) {
    for (int l = 0; l < s.n_layers; ++l) {
      EXPECT_EQ((actual.*m.q8)[l].q, (expected.*m.q8)[l].q) << m.name << " layer " << l;
      EXPECT_EQ((actual.*m.q8)[l].s, (expected.*m.q8)[l].s) << m.name << " layer " << l;
    }
  }
}

double std_dev(const std::vector<float>& v) {
  double sum = 0.0, sum2 = 0.0;
  for (float x : v) {
    sum += x;
    sum2 += double(x) * x;
  }
  const double mean = sum / v.size();
  return std::sqrt(sum2 / v.size() - mean * mean);
}

TEST(RandomCheckpoint, MatricesHaveStdHalfOverSqrtFanInAndRmsWeightsNearOne) {
  const vp::ModelShape s{256, 768, 2, 8, 8, 40, 16, true};  // tiny_shape(true) made wider, without GQA
  const vp::Fp32Checkpoint c = vp::random_fp32_checkpoint(s, 5);
  EXPECT_NEAR(std_dev(c.wq), 0.5 / std::sqrt(256.0), 0.02 * 0.5 / std::sqrt(256.0));
  EXPECT_NEAR(std_dev(c.w2), 0.5 / std::sqrt(768.0), 0.02 * 0.5 / std::sqrt(768.0));
  EXPECT_NEAR(std_dev(c.token_embedding), 0.5 / std::sqrt(256.0), 0.05 * 0.5 / std::sqrt(256.0));
  for (float w : c.rms_att) {
    EXPECT_GE(w, 0.9f);
    EXPECT_LE(w, 1.1f);
  }
}

TEST(RandomCheckpoint, TinyModelQ8LogitsAreFiniteAndNotAllEqual) {
  vp::GoldenQ8Model model(vp::random_q8_checkpoint(tiny_shape(true), 16, 9));
  for (int pos = 0; pos < 4; ++pos) {
    const std::vector<float>& logits = model.forward(pos * 7 % 40, pos);
    for (float x : logits) ASSERT_TRUE(std::isfinite(x)) << "pos " << pos;
    const auto [lo, hi] = std::minmax_element(logits.begin(), logits.end());
    EXPECT_LT(*lo, *hi) << "pos " << pos;
  }
}

TEST(RandomCheckpoint, TwelveLayerLogitsStayOfOrderOne) {
  // The 110M depth at a small width: logits of std well inside (0.05, 20) means the residual stream neither
  // vanished nor exploded through the layers.
  const vp::ModelShape s{128, 352, 12, 4, 4, 256, 16, true};  // dim, hidden, layers, heads, kv heads, vocab, seq
  vp::GoldenQ8Model model(vp::random_q8_checkpoint(s, 32, 11));
  for (int pos = 0; pos < 8; ++pos) {
    const std::vector<float> logits = model.forward((pos * 37) % 256, pos);
    for (float x : logits) ASSERT_TRUE(std::isfinite(x));
    const double sd = std_dev(logits);
    EXPECT_GT(sd, 0.05) << "pos " << pos;
    EXPECT_LT(sd, 20.0) << "pos " << pos;
  }
}

TEST(RandomCheckpoint, RejectsInvalidShapeAndGroupSize) {
  vp::ModelShape s = tiny_shape(true);
  s.n_kv_heads = 3;
  EXPECT_THROW(vp::random_fp32_checkpoint(s, 1), std::runtime_error);
  EXPECT_THROW(vp::random_q8_checkpoint(tiny_shape(true), 64, 1), std::runtime_error);  // 64 does not divide dim 32
}

}  // namespace
