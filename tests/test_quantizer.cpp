// Q8_0 weight quantizer: the per-group rule of the reference data (scale = max|w|/127, q = round half away from
// zero of w/scale), its error bound, and the choice of a group size that divides every row.
#include "sw/quantizer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <vector>

#include "sw/checkpoint_reader.h"
#include "sw/random_checkpoint.h"
#include "tests/test_data.h"

namespace {

using vp::ModelShape;
using vp::Q8Tensor;

ModelShape shape_with(int dim, int hidden_dim) {
  return ModelShape{dim, hidden_dim, 1, 1, 1, 8, 8};  // one layer and head, vocab 8, seq_len 8
}

// Varied magnitudes per group (including tiny and large groups) from a fixed integer recurrence.
std::vector<float> test_weights(int n) {
  std::vector<float> w(n);
  uint32_t state = 12345;
  for (int i = 0; i < n; ++i) {
    state = state * 1664525u + 1013904223u;
    const float unit = static_cast<float>(state >> 8) / 16777216.0f - 0.5f;  // [-0.5, 0.5)
    w[i] = unit * std::ldexp(1.0f, (i / 16) % 20 - 10);
  }
  return w;
}

TEST(ChooseGroupSize, Stories260KShapeGives4ForMax64) { EXPECT_EQ(vp::choose_group_size(shape_with(64, 172), 64), 4); }

TEST(ChooseGroupSize, Stories110MShapeGivesTheMaximum) {
  EXPECT_EQ(vp::choose_group_size(ModelShape::stories110m(), 64), 64);
  EXPECT_EQ(vp::choose_group_size(ModelShape::stories110m(), 256), 256);
  EXPECT_EQ(vp::choose_group_size(ModelShape::stories110m(), 32), 32);
}

TEST(ChooseGroupSize, MaximumThatIsNotAPowerOfTwoRoundsDown) {
  EXPECT_EQ(vp::choose_group_size(ModelShape::stories110m(), 48), 32);
}

TEST(ChooseGroupSize, LimitedByTheLessDivisibleDimension) {
  EXPECT_EQ(vp::choose_group_size(shape_with(96, 256), 64), 32);
  EXPECT_EQ(vp::choose_group_size(shape_with(256, 24), 64), 8);
  EXPECT_EQ(vp::choose_group_size(shape_with(64, 33), 64), 1);
}

TEST(ChooseGroupSize, RejectsMaximumBelowOne) {
  EXPECT_THROW(vp::choose_group_size(ModelShape::stories110m(), 0), std::runtime_error);
}

TEST(QuantizeTensor, RoundTripErrorIsAtMostHalfAScale) {
  const int rows = 6, cols = 64, gs = 16;
  const std::vector<float> w = test_weights(rows * cols);
  const Q8Tensor t = vp::quantize_tensor(w.data(), rows, cols, gs);
  ASSERT_EQ(t.q.size(), w.size());
  ASSERT_EQ(t.s.size(), w.size() / gs);
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      const double scale = t.row_s(r)[c / gs];
      const double back = double(t.row_q(r)[c]) * scale;
      // half a step, plus a few ulps for the two fp32 roundings (w/scale and max/127)
      EXPECT_LE(std::fabs(back - double(w[r * cols + c])), 0.5 * scale * (1.0 + 1e-5)) << "row " << r << " col " << c;
    }
  }
}

TEST(QuantizeTensor, ScaleIsGroupMaxOver127AndTheMaxMapsTo127) {
  const std::vector<float> w = {0.1f, -0.7f, 0.3f, 0.0f, 2.0f, 1.0f, -0.5f, 0.25f};
  const Q8Tensor t = vp::quantize_tensor(w.data(), 1, 8, 4);
  EXPECT_EQ(t.s[0], 0.7f / 127.0f);
  EXPECT_EQ(t.s[1], 2.0f / 127.0f);
  EXPECT_EQ(t.q[1], -127);
  EXPECT_EQ(t.q[4], 127);
  EXPECT_EQ(t.q[3], 0);
}

TEST(QuantizeTensor, ZeroGroupGivesZeroScaleAndZeroCodes) {
  const std::vector<float> w = {0.0f, 0.0f, -0.0f, 0.0f, 1.0f, 0.0f, 0.0f, 0.0f};
  const Q8Tensor t = vp::quantize_tensor(w.data(), 1, 8, 4);
  EXPECT_EQ(t.s[0], 0.0f);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(t.q[i], 0);
  EXPECT_EQ(t.q[4], 127);
}

TEST(QuantizeTensor, HalfwayValuesRoundAwayFromZero) {
  // max 127 makes the scale exactly 1, so w/scale = w: the .5 cases are exact ties.
  const std::vector<float> w = {127.0f, 2.5f, -2.5f, 0.5f, -0.5f, 3.5f, -126.5f, 1.49f};
  const Q8Tensor t = vp::quantize_tensor(w.data(), 1, 8, 8);
  ASSERT_EQ(t.s[0], 1.0f);
  const int expected[] = {127, 3, -3, 1, -1, 4, -127, 1};
  for (int i = 0; i < 8; ++i) EXPECT_EQ(t.q[i], expected[i]) << "w = " << w[i];
}

TEST(QuantizeTensor, GroupsNeverSpanRows) {
  // Row 0 is large, row 1 tiny: with per-row groups row 1 keeps its own scale.
  const std::vector<float> w = {100.0f, -50.0f, 0.01f, -0.02f};
  const Q8Tensor t = vp::quantize_tensor(w.data(), 2, 2, 2);
  EXPECT_EQ(t.row_s(1)[0], 0.02f / 127.0f);
  EXPECT_EQ(t.row_q(1)[1], -127);
}

TEST(QuantizeTensor, RejectsColumnsNotAMultipleOfTheGroupSize) {
  const std::vector<float> w(12, 1.0f);
  EXPECT_THROW(vp::quantize_tensor(w.data(), 2, 6, 4), std::runtime_error);
  EXPECT_THROW(vp::quantize_tensor(w.data(), 2, 6, 0), std::runtime_error);
}

TEST(QuantizeTensor, RejectsNonFiniteWeights) {
  std::vector<float> w(8, 1.0f);
  w[5] = std::nanf("");
  EXPECT_THROW(vp::quantize_tensor(w.data(), 1, 8, 4), std::runtime_error);
  w[5] = INFINITY;
  EXPECT_THROW(vp::quantize_tensor(w.data(), 1, 8, 4), std::runtime_error);
}

TEST(QuantizeCheckpoint, QuantizesEveryMatrixAndCopiesRmsWeights) {
  ModelShape s = shape_with(16, 32);
  s.n_layers = 2;
  s.n_heads = 4;
  s.n_kv_heads = 2;
  s.shared_classifier = false;
  const vp::Fp32Checkpoint f = vp::random_fp32_checkpoint(s, 7);
  const vp::Q8Checkpoint q = vp::quantize_checkpoint(f, 8);
  q.validate("quantized");
  EXPECT_EQ(q.group_size, 8);
  EXPECT_EQ(q.rms_att, f.rms_att);
  EXPECT_EQ(q.rms_ffn, f.rms_ffn);
  EXPECT_EQ(q.rms_final, f.rms_final);
  const Q8Tensor w2_layer1 = vp::quantize_tensor(f.w2.data() + 16 * 32, 16, 32, 8);
  EXPECT_EQ(q.w2[1].q, w2_layer1.q);
  EXPECT_EQ(q.w2[1].s, w2_layer1.s);
  const Q8Tensor wcls = vp::quantize_tensor(f.wcls.data(), 8, 16, 8);
  EXPECT_EQ(q.wcls.q, wcls.q);
  EXPECT_EQ(&q.classifier(), &q.wcls);
}

TEST(QuantizeCheckpoint, SharedClassifierLeavesWclsEmpty) {
  ModelShape s = shape_with(16, 32);
  const vp::Q8Checkpoint q = vp::quantize_checkpoint(vp::random_fp32_checkpoint(s, 7), 16);
  EXPECT_TRUE(q.wcls.empty());
  EXPECT_EQ(&q.classifier(), &q.token_embedding);
}

TEST(QuantizeCheckpoint, RejectsGroupSizeNotDividingHiddenDim) {
  const vp::Fp32Checkpoint f = vp::random_fp32_checkpoint(shape_with(16, 24), 1);
  EXPECT_THROW(vp::quantize_checkpoint(f, 16), std::runtime_error);
}

// llama2.c runq.c forward() with its own numerics (libm, divisions, sequential sums), used to show that
// quantize_checkpoint gives exactly the weights the reference logits were made with.
class RunqForward {
 public:
  explicit RunqForward(const vp::Q8Checkpoint& w)
      : w_(w),
        p_(w.shape),
        x_(p_.dim),
        xb_(p_.dim),
        xb2_(p_.dim),
        hb_(p_.hidden_dim),
        hb2_(p_.hidden_dim),
        q_(p_.dim),
        k_(p_.kv_dim()),
        v_(p_.kv_dim()),
        att_(p_.seq_len),
        logits_(p_.vocab_size),
        xq_(std::max(p_.dim, p_.hidden_dim)),
        xs_(xq_.size() / w.group_size),
        kc_(std::size_t(p_.n_layers) * p_.seq_len * p_.kv_dim()),
        vc_(kc_.size()) {}

  const std::vector<float>& forward(int token, int pos) {
    const int dim = p_.dim, hidden = p_.hidden_dim, kv = p_.kv_dim(), hs = p_.head_size(), gs = w_.group_size;
    for (int i = 0; i < dim; ++i) x_[i] = w_.token_embedding.row_q(token)[i] * w_.token_embedding.row_s(token)[i / gs];
    for (int l = 0; l < p_.n_layers; ++l) {
      rmsnorm(xb_.data(), x_.data(), &w_.rms_att[std::size_t(l) * dim]);
      quantize(xb_.data(), dim);
      matmul(q_.data(), w_.wq[l]);
      matmul(k_.data(), w_.wk[l]);
      matmul(v_.data(), w_.wv[l]);
      for (int i = 0; i < dim; i += 2) {
        const float freq = 1.0f / powf(10000.0f, (i % hs) / (float)hs);
        const float val = pos * freq, fcr = cosf(val), fci = sinf(val);
        for (int r = 0; r < (i < kv ? 2 : 1); ++r) {
          float* vec = r == 0 ? q_.data() : k_.data();
          const float v0 = vec[i], v1 = vec[i + 1];
          vec[i] = v0 * fcr - v1 * fci;
          vec[i + 1] = v0 * fci + v1 * fcr;
        }
      }
      const std::size_t loff = std::size_t(l) * p_.seq_len * kv;
      std::copy(k_.begin(), k_.end(), kc_.begin() + loff + std::size_t(pos) * kv);
      std::copy(v_.begin(), v_.end(), vc_.begin() + loff + std::size_t(pos) * kv);
      for (int h = 0; h < p_.n_heads; ++h) {
        const int off = (h / (p_.n_heads / p_.n_kv_heads)) * hs;
        for (int t = 0; t <= pos; ++t) {
          float score = 0.0f;
          for (int i = 0; i < hs; ++i) score += q_[h * hs + i] * kc_[loff + std::size_t(t) * kv + off + i];
          att_[t] = score / sqrtf(hs);
        }
        float max_val = att_[0], sum = 0.0f;
        for (int t = 1; t <= pos; ++t) max_val = std::max(max_val, att_[t]);
        for (int t = 0; t <= pos; ++t) sum += (att_[t] = expf(att_[t] - max_val));
        for (int t = 0; t <= pos; ++t) att_[t] /= sum;
        std::fill(xb_.begin() + h * hs, xb_.begin() + (h + 1) * hs, 0.0f);
        for (int t = 0; t <= pos; ++t)
          for (int i = 0; i < hs; ++i) xb_[h * hs + i] += att_[t] * vc_[loff + std::size_t(t) * kv + off + i];
      }
      quantize(xb_.data(), dim);
      matmul(xb2_.data(), w_.wo[l]);
      for (int i = 0; i < dim; ++i) x_[i] += xb2_[i];
      rmsnorm(xb_.data(), x_.data(), &w_.rms_ffn[std::size_t(l) * dim]);
      quantize(xb_.data(), dim);
      matmul(hb_.data(), w_.w1[l]);
      matmul(hb2_.data(), w_.w3[l]);
      for (int i = 0; i < hidden; ++i) hb_[i] = hb_[i] * (1.0f / (1.0f + expf(-hb_[i]))) * hb2_[i];
      quantize(hb_.data(), hidden);
      matmul(xb_.data(), w_.w2[l]);
      for (int i = 0; i < dim; ++i) x_[i] += xb_[i];
    }
    rmsnorm(x_.data(), x_.data(), w_.rms_final.data());
    quantize(x_.data(), dim);
    matmul(logits_.data(), w_.classifier());
    return logits_;
  }

 private:
  void rmsnorm(float* o, const float* x, const float* weight) const {
    float ss = 0.0f;
    for (int j = 0; j < p_.dim; ++j) ss += x[j] * x[j];
    ss = 1.0f / sqrtf(ss / p_.dim + 1e-5f);
    for (int j = 0; j < p_.dim; ++j) o[j] = weight[j] * (ss * x[j]);
  }
  void quantize(const float* x, int n) {
    const int gs = w_.group_size;
    for (int g = 0; g < n / gs; ++g) {
      float wmax = 0.0f;
      for (int i = 0; i < gs; ++i) wmax = std::max(wmax, std::fabs(x[g * gs + i]));
      xs_[g] = wmax / 127.0f;
      for (int i = 0; i < gs; ++i) xq_[g * gs + i] = static_cast<int8_t>(std::round(x[g * gs + i] / xs_[g]));
    }
  }
  void matmul(float* out, const vp::Q8Tensor& w) const {
    for (int r = 0; r < w.rows; ++r) {
      float val = 0.0f;
      for (int g = 0; g < w.groups_per_row(); ++g) {
        int32_t isum = 0;
        for (int j = 0; j < w.group_size; ++j) isum += int32_t(xq_[g * w.group_size + j]) * w.row_q(r)[g * w.group_size + j];
        val += static_cast<float>(isum) * w.row_s(r)[g] * xs_[g];
      }
      out[r] = val;
    }
  }

  const vp::Q8Checkpoint& w_;
  vp::ModelShape p_;
  std::vector<float> x_, xb_, xb2_, hb_, hb2_, q_, k_, v_, att_, logits_;
  std::vector<int8_t> xq_;
  std::vector<float> xs_, kc_, vc_;
};

TEST(QuantizeCheckpoint, Stories260KGivesTheWeightsOfTheRunqReferenceLogits) {
  // Weights off by a single code would move some of the 131072 logits; with runq.c's numerics they match exactly.
  const char* const checkpoint = "llama2c/stories260K.bin";
  const char* const tokens_file = "reference/stories260K_q80gs4_greedy256_tokens.txt";
  const char* const logits_file = "reference/stories260K_q80gs4_greedy256_logits.f32";
  VP_REQUIRE_SHARED_DATA(checkpoint);
  VP_REQUIRE_SHARED_DATA(logits_file);
  std::ifstream token_in(vp::test::shared_data(tokens_file));
  const std::vector<int> tokens((std::istream_iterator<int>(token_in)), std::istream_iterator<int>());
  std::ifstream logit_in(vp::test::shared_data(logits_file), std::ios::binary);
  const std::vector<char> raw((std::istreambuf_iterator<char>(logit_in)), std::istreambuf_iterator<char>());
  std::vector<float> reference(raw.size() / sizeof(float));
  std::memcpy(reference.data(), raw.data(), reference.size() * sizeof(float));
  ASSERT_EQ(tokens.size(), 256u);
  ASSERT_EQ(reference.size(), 256u * 512u);

  const vp::Q8Checkpoint q8 =
      vp::quantize_checkpoint(vp::read_fp32_checkpoint(vp::test::shared_data(checkpoint)), 4);
  RunqForward runq(q8);
  int differing = 0;
  for (int pos = 0; pos < 256; ++pos) {
    const std::vector<float>& logits = runq.forward(tokens[pos], pos);
    for (int i = 0; i < 512; ++i) differing += logits[i] != reference[std::size_t(pos) * 512 + i];
  }
  EXPECT_EQ(differing, 0);
}

}  // namespace
