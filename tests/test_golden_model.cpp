// Golden forward passes against llama2.c's own logits on the real stories260K checkpoint (fp32: run.c, Q8_0 with
// group size 4: runq.c), and the Q8 pass against a literal transcription of the kernel specification.
#include "sw/golden_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "hls/llama_arith.h"
#include "sw/checkpoint_reader.h"
#include "sw/random_checkpoint.h"
#include "sw/rope_table.h"
#include "tests/test_data.h"

namespace {

const char* const kCheckpoint = "llama2c/stories260K.bin";
const char* const kFp32Tokens = "reference/stories260K_f32_greedy256_tokens.txt";
const char* const kFp32Logits = "reference/stories260K_f32_greedy256_logits.f32";
const char* const kQ8Tokens = "reference/stories260K_q80gs4_greedy256_tokens.txt";
const char* const kQ8Logits = "reference/stories260K_q80gs4_greedy256_logits.f32";
constexpr int kPositions = 256;
constexpr int kVocab = 512;

std::vector<int> read_tokens(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << path;
  return std::vector<int>(std::istream_iterator<int>(in), std::istream_iterator<int>());
}

std::vector<float> read_f32(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<float> v(bytes.size() / sizeof(float));
  std::memcpy(v.data(), bytes.data(), v.size() * sizeof(float));
  return v;
}

// A llama2.c greedy run over stories260K: the token it fed and the logits it printed at each position.
struct ReferenceRun {
  std::vector<int> tokens;    // [kPositions]
  std::vector<float> logits;  // [kPositions][kVocab]
};

// Reads the run from shared data into `run` and asserts its size (call it in ASSERT_NO_FATAL_FAILURE).
void read_reference_run(const char* tokens, const char* logits, ReferenceRun* run) {
  run->tokens = read_tokens(vp::test::shared_data(tokens));
  run->logits = read_f32(vp::test::shared_data(logits));
  ASSERT_EQ(run->tokens.size(), std::size_t(kPositions));
  ASSERT_EQ(run->logits.size(), std::size_t(kPositions) * kVocab);
}

int argmax(const float* x, int n) { return static_cast<int>(std::max_element(x, x + n) - x); }

// The fp32 reference uses run.c's own arithmetic, so it holds llama2.c's logits to 1e-4 absolute.
TEST(GoldenFp32Model, MatchesRunCLogitsOnStories260K) {
  VP_REQUIRE_SHARED_DATA(kCheckpoint);
  VP_REQUIRE_SHARED_DATA(kFp32Logits);
  ReferenceRun run;
  ASSERT_NO_FATAL_FAILURE(read_reference_run(kFp32Tokens, kFp32Logits, &run));
  constexpr float kTolerance = 1e-4f;

  vp::GoldenFp32Model model(vp::read_fp32_checkpoint(vp::test::shared_data(kCheckpoint)));
  ASSERT_EQ(model.shape().vocab_size, kVocab);
  float max_error = 0.0f;
  int outside_tolerance = 0;
  for (int pos = 0; pos < kPositions; ++pos) {
    const std::vector<float>& logits = model.forward(run.tokens[pos], pos);
    for (int i = 0; i < kVocab; ++i) {
      const float ref = run.logits[std::size_t(pos) * kVocab + i];
      const float error = std::fabs(logits[i] - ref);
      if (error > kTolerance && ++outside_tolerance <= 5)
        ADD_FAILURE() << "pos " << pos << " logit " << i << ": " << logits[i] << " vs run.c " << ref;
      max_error = std::max(max_error, error);
    }
  }
  std::cout << "fp32 golden vs run.c: max abs logit error " << max_error << "\n";
  RecordProperty("max_abs_logit_error", std::to_string(max_error));
  EXPECT_EQ(outside_tolerance, 0);
}

TEST(GoldenQ8Model, AgreesWithRunqArgmaxOnStories260KWithGroupSize4) {
  VP_REQUIRE_SHARED_DATA(kCheckpoint);
  VP_REQUIRE_SHARED_DATA(kQ8Logits);
  ReferenceRun run;
  ASSERT_NO_FATAL_FAILURE(read_reference_run(kQ8Tokens, kQ8Logits, &run));

  vp::Q8Checkpoint checkpoint = vp::load_checkpoint_as_q8(vp::test::shared_data(kCheckpoint), 64);
  ASSERT_EQ(checkpoint.group_size, 4);
  vp::GoldenQ8Model model(std::move(checkpoint));
  int agree = 0;
  float max_error = 0.0f;
  for (int pos = 0; pos < kPositions; ++pos) {
    const std::vector<float>& logits = model.forward(run.tokens[pos], pos);
    const float* ref = run.logits.data() + std::size_t(pos) * kVocab;
    if (argmax(logits.data(), kVocab) == argmax(ref, kVocab)) ++agree;
    for (int i = 0; i < kVocab; ++i) max_error = std::max(max_error, std::fabs(logits[i] - ref[i]));
  }
  std::cout << "Q8 golden vs runq.c (gs 4): argmax agrees at " << agree << "/" << kPositions
            << " positions, max abs logit error " << max_error << "\n";
  RecordProperty("argmax_agreement", agree);
  RecordProperty("max_abs_logit_error", std::to_string(max_error));
  EXPECT_GE(agree, (kPositions * 99 + 99) / 100);
}

// The kernel specification written out line by line with vp::arith, straight from the brief: no buffers shared
// with the model, no fast paths. GoldenQ8Model must match it bit for bit (its matmul has vectorized fast paths
// for group sizes 32/64/128).
struct LiteralSpec {
  const vp::Q8Checkpoint& w;
  std::vector<float> key_cache, value_cache;
  explicit LiteralSpec(const vp::Q8Checkpoint& c)
      : w(c),
        key_cache(std::size_t(c.shape.n_layers) * c.shape.seq_len * c.shape.kv_dim()),
        value_cache(key_cache.size()) {}

  std::vector<float> mm(const vp::Q8Tensor& t, const std::vector<int8_t>& xq, const std::vector<float>& xs) {
    std::vector<float> out(t.rows);
    for (int i = 0; i < t.rows; ++i)
      out[i] = vp::arith::dot_q8(t.row_q(i), t.row_s(i), xq.data(), xs.data(), t.cols, t.group_size);
    return out;
  }

  std::vector<float> forward(int token, int pos) {
    const vp::ModelShape& s = w.shape;
    const int dim = s.dim, hidden = s.hidden_dim, gs = w.group_size, hs = s.head_size(), kv_dim = s.kv_dim();
    const std::vector<float> rope = vp::rope_table(s);
    const float inv_dim = vp::inv_dim(s), inv_sqrt_hs = vp::inv_sqrt_head_size(s);
    std::vector<float> x(dim), xb(dim), hb(hidden);
    std::vector<int8_t> xq(std::max(dim, hidden));
    std::vector<float> xs(xq.size() / gs);
    for (int i = 0; i < dim; ++i)
      x[i] = vp::arith::dequant(w.token_embedding.row_q(token)[i], w.token_embedding.row_s(token)[i / gs]);
    for (int l = 0; l < s.n_layers; ++l) {
      vp::arith::rmsnorm(xb.data(), x.data(), &w.rms_att[std::size_t(l) * dim], dim, inv_dim);
      vp::arith::quantize(xq.data(), xs.data(), xb.data(), dim, gs);
      std::vector<float> q = mm(w.wq[l], xq, xs), k = mm(w.wk[l], xq, xs), v = mm(w.wv[l], xq, xs);
      for (int i = 0; i < dim; i += 2) {
        const int hd = i % hs;
        const float fcr = rope[(std::size_t(pos) * (hs / 2) + hd / 2) * 2];
        const float fci = rope[(std::size_t(pos) * (hs / 2) + hd / 2) * 2 + 1];
        vp::arith::rope_pair(&q[i], fcr, fci);
        if (i < kv_dim) vp::arith::rope_pair(&k[i], fcr, fci);
      }
      float* kc = &key_cache[(std::size_t(l) * s.seq_len) * kv_dim];
      float* vc = &value_cache[(std::size_t(l) * s.seq_len) * kv_dim];
      std::copy(k.begin(), k.end(), kc + std::size_t(pos) * kv_dim);
      std::copy(v.begin(), v.end(), vc + std::size_t(pos) * kv_dim);
      for (int h = 0; h < s.n_heads; ++h) {
        const int kvh = h / (s.n_heads / s.n_kv_heads);
        std::vector<float> att(pos + 1);
        for (int t = 0; t <= pos; ++t)
          att[t] = vp::arith::dot(&q[h * hs], kc + std::size_t(t) * kv_dim + kvh * hs, hs) * inv_sqrt_hs;
        vp::arith::softmax(att.data(), pos + 1);
        for (int i = 0; i < hs; ++i) xb[h * hs + i] = 0.0f;
        for (int t = 0; t <= pos; ++t)
          for (int i = 0; i < hs; ++i) xb[h * hs + i] += att[t] * vc[std::size_t(t) * kv_dim + kvh * hs + i];
      }
      vp::arith::quantize(xq.data(), xs.data(), xb.data(), dim, gs);
      const std::vector<float> xb2 = mm(w.wo[l], xq, xs);
      for (int i = 0; i < dim; ++i) x[i] = x[i] + xb2[i];
      vp::arith::rmsnorm(xb.data(), x.data(), &w.rms_ffn[std::size_t(l) * dim], dim, inv_dim);
      vp::arith::quantize(xq.data(), xs.data(), xb.data(), dim, gs);
      hb = mm(w.w1[l], xq, xs);
      const std::vector<float> hb2 = mm(w.w3[l], xq, xs);
      for (int i = 0; i < hidden; ++i) hb[i] = vp::arith::swiglu(hb[i], hb2[i]);
      vp::arith::quantize(xq.data(), xs.data(), hb.data(), hidden, gs);
      const std::vector<float> ffn = mm(w.w2[l], xq, xs);
      for (int i = 0; i < dim; ++i) x[i] = x[i] + ffn[i];
    }
    vp::arith::rmsnorm(x.data(), x.data(), w.rms_final.data(), dim, inv_dim);
    vp::arith::quantize(xq.data(), xs.data(), x.data(), dim, gs);
    return mm(w.classifier(), xq, xs);
  }
};

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

vp::ModelShape small_gqa_shape(bool shared) {
  return vp::ModelShape{128, 384, 2, 8, 2, 96, 16, shared};  // dim, hidden, layers, heads, kv heads, vocab, seq
}

void expect_matches_literal_spec(const vp::ModelShape& shape, int gs) {
  const vp::Q8Checkpoint checkpoint = vp::random_q8_checkpoint(shape, gs, 99);
  vp::GoldenQ8Model model(checkpoint);
  LiteralSpec spec(checkpoint);
  const int tokens[] = {1, 95, 0, 42, 42, 7, 60, 3};
  for (int pos = 0; pos < 8; ++pos) {
    const std::vector<float> expected = spec.forward(tokens[pos], pos);
    EXPECT_TRUE(same_bits(model.forward(tokens[pos], pos), expected)) << "gs " << gs << " pos " << pos;
  }
  EXPECT_TRUE(same_bits(model.key_cache(), spec.key_cache)) << "gs " << gs;
  EXPECT_TRUE(same_bits(model.value_cache(), spec.value_cache)) << "gs " << gs;
}

TEST(GoldenQ8Model, MatchesLiteralSpecBitForBitForEveryMatmulPath) {
  for (int gs : {4, 16, 32, 64, 128}) expect_matches_literal_spec(small_gqa_shape(true), gs);
  expect_matches_literal_spec(small_gqa_shape(false), 64);
}

TEST(GoldenQ8Model, WritesTheKvCacheRowOfTheCurrentPositionOnly) {
  const vp::ModelShape s = small_gqa_shape(true);
  vp::GoldenQ8Model model(vp::random_q8_checkpoint(s, 32, 5));
  model.forward(3, 0);
  model.forward(4, 1);
  const std::size_t row = s.kv_dim();
  for (int l = 0; l < s.n_layers; ++l) {
    for (int pos = 0; pos < s.seq_len; ++pos) {
      const float* k = model.key_cache().data() + (std::size_t(l) * s.seq_len + pos) * row;
      const float* v = model.value_cache().data() + (std::size_t(l) * s.seq_len + pos) * row;
      const bool k_written = std::any_of(k, k + row, [](float a) { return a != 0.0f; });
      const bool v_written = std::any_of(v, v + row, [](float a) { return a != 0.0f; });
      EXPECT_EQ(k_written, pos <= 1) << "layer " << l << " pos " << pos;
      EXPECT_EQ(v_written, pos <= 1) << "layer " << l << " pos " << pos;
    }
  }
}

TEST(GoldenQ8Model, OutOfRangeTokenOrPositionThrowsNamingIt) {
  const vp::ModelShape s = small_gqa_shape(true);
  vp::GoldenQ8Model model(vp::random_q8_checkpoint(s, 32, 5));
  auto message = [&](int token, int pos) -> std::string {
    try {
      model.forward(token, pos);
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return "no exception";
  };
  EXPECT_NE(message(96, 0).find("token 96"), std::string::npos);
  EXPECT_NE(message(-1, 0).find("token -1"), std::string::npos);
  EXPECT_NE(message(0, 16).find("pos 16"), std::string::npos);
  EXPECT_NE(message(0, -1).find("pos -1"), std::string::npos);
}

TEST(GoldenFp32Model, OutOfRangeTokenOrPositionThrowsNamingIt) {
  const vp::ModelShape s = small_gqa_shape(false);
  vp::GoldenFp32Model model(vp::random_fp32_checkpoint(s, 5));
  EXPECT_THROW(model.forward(96, 0), std::runtime_error);
  EXPECT_THROW(model.forward(0, 16), std::runtime_error);
  EXPECT_NO_THROW(model.forward(95, 15));
}

TEST(GoldenModels, RejectInconsistentCheckpoints) {
  vp::Q8Checkpoint q8 = vp::random_q8_checkpoint(small_gqa_shape(true), 32, 5);
  q8.wk.pop_back();
  EXPECT_THROW(vp::GoldenQ8Model{q8}, std::runtime_error);
  vp::Fp32Checkpoint f = vp::random_fp32_checkpoint(small_gqa_shape(true), 5);
  f.w2.resize(f.w2.size() - 1);
  EXPECT_THROW(vp::GoldenFp32Model{f}, std::runtime_error);
}

TEST(GoldenModels, Fp32AndQ8OfTheSameWeightsAgreeClosely) {
  // Quantization error only: a cross-check that both passes wire the same network.
  const vp::ModelShape s = small_gqa_shape(false);
  const vp::Fp32Checkpoint f = vp::random_fp32_checkpoint(s, 11);
  vp::GoldenFp32Model fp32(f);
  vp::GoldenQ8Model q8(vp::random_q8_checkpoint(s, 16, 11));
  for (int pos = 0; pos < 4; ++pos) {
    const std::vector<float> a = fp32.forward(10 + pos, pos);
    const std::vector<float>& b = q8.forward(10 + pos, pos);
    float max_abs = 0.0f, max_diff = 0.0f;
    for (std::size_t i = 0; i < a.size(); ++i) {
      max_abs = std::max(max_abs, std::fabs(a[i]));
      max_diff = std::max(max_diff, std::fabs(a[i] - b[i]));
    }
    EXPECT_LT(max_diff, 0.05f * max_abs) << "pos " << pos;
  }
}

}  // namespace
