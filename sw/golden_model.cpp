#include "sw/golden_model.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>

#include "hls/llama_arith.h"
#include "sw/rope_table.h"

namespace vp {

namespace detail {

GoldenState::GoldenState(const ModelShape& s)
    : shape(s),
      rope(rope_table(s)),
      inv_dim(vp::inv_dim(s)),
      inv_sqrt_head_size(vp::inv_sqrt_head_size(s)),
      x(s.dim),
      xb(s.dim),
      xb2(s.dim),
      hb(s.hidden_dim),
      hb2(s.hidden_dim),
      q(s.dim),
      k(s.kv_dim()),
      v(s.kv_dim()),
      att(s.seq_len),
      logits(s.vocab_size),
      key_cache(static_cast<std::size_t>(s.n_layers) * s.seq_len * s.kv_dim()),
      value_cache(key_cache.size()) {}

}  // namespace detail

namespace {

using detail::GoldenState;

void check_inputs(const ModelShape& s, int token, int pos, const char* model) {
  if (token < 0 || token >= s.vocab_size)
    throw std::runtime_error(std::string(model) + "::forward: token " + std::to_string(token) +
                             " is out of range [0, " + std::to_string(s.vocab_size) + ")");
  if (pos < 0 || pos >= s.seq_len)
    throw std::runtime_error(std::string(model) + "::forward: pos " + std::to_string(pos) + " is out of range [0, " +
                             std::to_string(s.seq_len) + ")");
}

std::size_t cache_offset(const ModelShape& s, int layer, int pos) {
  return (static_cast<std::size_t>(layer) * s.seq_len + pos) * s.kv_dim();
}

// RoPE on q (all heads) and k (the first kv_dim entries) with the host table, then k and v into the cache.
void rope_and_store_kv(GoldenState& st, int layer, int pos) {
  const ModelShape& s = st.shape;
  const int head_size = s.head_size(), kv_dim = s.kv_dim();
  const float* rope_pos = st.rope.data() + static_cast<std::size_t>(pos) * head_size;  // head_size/2 pairs of 2
  for (int i = 0; i < s.dim; i += 2) {
    const int hd = i % head_size;
    const float fcr = rope_pos[hd];  // pair hd/2 starts at 2*(hd/2) = hd
    const float fci = rope_pos[hd + 1];
    arith::rope_pair(&st.q[i], fcr, fci);
    if (i < kv_dim) arith::rope_pair(&st.k[i], fcr, fci);
  }
  std::copy(st.k.begin(), st.k.end(), st.key_cache.begin() + cache_offset(s, layer, pos));
  std::copy(st.v.begin(), st.v.end(), st.value_cache.begin() + cache_offset(s, layer, pos));
}

// The kernel's arithmetic (hls/llama_arith.h): what the Q8_0 golden model, the spec, uses.
struct KernelArith {
  static void rmsnorm(float* o, const float* x, const float* w, int n, float inv_n) { arith::rmsnorm(o, x, w, n, inv_n); }
  static void softmax(float* x, int n) { arith::softmax(x, n); }
  static float score(const float* q, const float* k, int hs, float inv_sqrt_hs) { return arith::dot(q, k, hs) * inv_sqrt_hs; }
  static float swiglu(float h1, float h3) { return arith::swiglu(h1, h3); }
};

// llama2.c run.c's own arithmetic (sequential sums, libm, divisions): the fp32 golden model
// reproduces run.c's logits with it, which isolates the fp32 reference from the kernel's choices.
struct RunCArith {
  static void rmsnorm(float* o, const float* x, const float* w, int n, float) {
    float ss = 0.0f;
    for (int j = 0; j < n; ++j) ss += x[j] * x[j];
    ss /= static_cast<float>(n);
    ss += 1e-5f;
    ss = 1.0f / std::sqrt(ss);
    for (int j = 0; j < n; ++j) o[j] = w[j] * (ss * x[j]);
  }
  static void softmax(float* x, int n) {
    float max_val = x[0];
    for (int i = 1; i < n; ++i) max_val = std::max(max_val, x[i]);
    float sum = 0.0f;
    for (int i = 0; i < n; ++i) {
      x[i] = std::exp(x[i] - max_val);
      sum += x[i];
    }
    for (int i = 0; i < n; ++i) x[i] /= sum;
  }
  static float score(const float* q, const float* k, int hs, float) {
    float s = 0.0f;
    for (int i = 0; i < hs; ++i) s += q[i] * k[i];
    return s / std::sqrt(static_cast<float>(hs));
  }
  static float swiglu(float h1, float h3) { return h1 * (1.0f / (1.0f + std::exp(-h1))) * h3; }
};

// Multi-head attention over positions 0..pos of `layer`, result in st.xb.
template <class Arith>
void attention(GoldenState& st, int layer, int pos) {
  const ModelShape& s = st.shape;
  const int hs = s.head_size(), kv_dim = s.kv_dim(), kv_mul = s.n_heads / s.n_kv_heads;
  const float* keys = st.key_cache.data() + cache_offset(s, layer, 0);
  const float* values = st.value_cache.data() + cache_offset(s, layer, 0);
  for (int h = 0; h < s.n_heads; ++h) {
    const float* q = st.q.data() + h * hs;
    const int kv_off = (h / kv_mul) * hs;
    float* att = st.att.data();
    for (int t = 0; t <= pos; ++t)
      att[t] = Arith::score(q, keys + static_cast<std::size_t>(t) * kv_dim + kv_off, hs, st.inv_sqrt_head_size);
    Arith::softmax(att, pos + 1);
    float* xb = st.xb.data() + h * hs;
    std::fill(xb, xb + hs, 0.0f);
    for (int t = 0; t <= pos; ++t) {
      const float* v = values + static_cast<std::size_t>(t) * kv_dim + kv_off;
      const float a = att[t];
      for (int i = 0; i < hs; ++i) xb[i] += a * v[i];
    }
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------
// Q8_0

GoldenQ8Model::GoldenQ8Model(const Q8Checkpoint& checkpoint)
    : GoldenModelBase(checkpoint, "GoldenQ8Model"),
      xq_(std::max(w_->shape.dim, w_->shape.hidden_dim)),
      xs_(xq_.size() / w_->group_size) {}

GoldenQ8Model::GoldenQ8Model(Q8Checkpoint&& checkpoint)
    : GoldenModelBase(std::move(checkpoint), "GoldenQ8Model"),
      xq_(std::max(w_->shape.dim, w_->shape.hidden_dim)),
      xs_(xq_.size() / w_->group_size) {}

// out[r] = dot_q8(w row r, xq_, xs_) over w.cols inputs.
void GoldenQ8Model::matmul(float* out, const Q8Tensor& w) const {
  for (int r = 0; r < w.rows; ++r)
    out[r] = arith::dot_q8_any(w.row_q(r), w.row_s(r), xq_.data(), xs_.data(), w.cols, w.group_size);
}

const std::vector<float>& GoldenQ8Model::forward(int token, int pos) {
  const ModelShape& s = state_.shape;
  check_inputs(s, token, pos, "GoldenQ8Model");
  const Q8Checkpoint& w = *w_;
  GoldenState& st = state_;
  const int dim = s.dim, hidden = s.hidden_dim, gs = w.group_size;
  int8_t* xq = xq_.data();
  float* xs = xs_.data();

  const int8_t* emb_q = w.token_embedding.row_q(token);
  const float* emb_s = w.token_embedding.row_s(token);
  for (int i = 0; i < dim; ++i) st.x[i] = arith::dequant(emb_q[i], emb_s[i / gs]);

  for (int l = 0; l < s.n_layers; ++l) {
    arith::rmsnorm(st.xb.data(), st.x.data(), w.rms_att.data() + static_cast<std::size_t>(l) * dim, dim, st.inv_dim);
    arith::quantize(xq, xs, st.xb.data(), dim, gs);
    matmul(st.q.data(), w.wq[l]);
    matmul(st.k.data(), w.wk[l]);
    matmul(st.v.data(), w.wv[l]);
    rope_and_store_kv(st, l, pos);
    attention<KernelArith>(st, l, pos);
    arith::quantize(xq, xs, st.xb.data(), dim, gs);
    matmul(st.xb2.data(), w.wo[l]);
    for (int i = 0; i < dim; ++i) st.x[i] = st.x[i] + st.xb2[i];

    arith::rmsnorm(st.xb.data(), st.x.data(), w.rms_ffn.data() + static_cast<std::size_t>(l) * dim, dim, st.inv_dim);
    arith::quantize(xq, xs, st.xb.data(), dim, gs);
    matmul(st.hb.data(), w.w1[l]);
    matmul(st.hb2.data(), w.w3[l]);
    for (int i = 0; i < hidden; ++i) st.hb[i] = arith::swiglu(st.hb[i], st.hb2[i]);
    arith::quantize(xq, xs, st.hb.data(), hidden, gs);
    matmul(st.xb.data(), w.w2[l]);
    for (int i = 0; i < dim; ++i) st.x[i] = st.x[i] + st.xb[i];
  }

  arith::rmsnorm(st.x.data(), st.x.data(), w.rms_final.data(), dim, st.inv_dim);
  arith::quantize(xq, xs, st.x.data(), dim, gs);
  matmul(st.logits.data(), w.classifier());
  return st.logits;
}

// ---------------------------------------------------------------------------------------------------------------
// fp32

namespace {

// run.c matmul: out[i] = sum_j w[i*n + j] * x[j], summed sequentially in j.
void matmul_fp32(float* out, const float* x, const float* w, int n, int d) {
  for (int i = 0; i < d; ++i) {
    const float* row = w + static_cast<std::size_t>(i) * n;
    float val = 0.0f;
    for (int j = 0; j < n; ++j) val += row[j] * x[j];
    out[i] = val;
  }
}

}  // namespace

GoldenFp32Model::GoldenFp32Model(const Fp32Checkpoint& checkpoint)
    : GoldenModelBase(checkpoint, "GoldenFp32Model") {}

GoldenFp32Model::GoldenFp32Model(Fp32Checkpoint&& checkpoint)
    : GoldenModelBase(std::move(checkpoint), "GoldenFp32Model") {}

const std::vector<float>& GoldenFp32Model::forward(int token, int pos) {
  const ModelShape& s = state_.shape;
  check_inputs(s, token, pos, "GoldenFp32Model");
  const Fp32Checkpoint& w = *w_;
  GoldenState& st = state_;
  const int dim = s.dim, hidden = s.hidden_dim, kv_dim = s.kv_dim();
  const std::size_t attn_elements = static_cast<std::size_t>(dim) * dim;
  const std::size_t kv_elements = static_cast<std::size_t>(kv_dim) * dim;
  const std::size_t ffn_elements = static_cast<std::size_t>(hidden) * dim;

  std::copy_n(w.token_embedding.begin() + static_cast<std::ptrdiff_t>(token) * dim, dim, st.x.begin());

  for (int l = 0; l < s.n_layers; ++l) {
    RunCArith::rmsnorm(st.xb.data(), st.x.data(), w.rms_att.data() + static_cast<std::size_t>(l) * dim, dim, st.inv_dim);
    matmul_fp32(st.q.data(), st.xb.data(), w.wq.data() + l * attn_elements, dim, dim);
    matmul_fp32(st.k.data(), st.xb.data(), w.wk.data() + l * kv_elements, dim, kv_dim);
    matmul_fp32(st.v.data(), st.xb.data(), w.wv.data() + l * kv_elements, dim, kv_dim);
    rope_and_store_kv(st, l, pos);
    attention<RunCArith>(st, l, pos);
    matmul_fp32(st.xb2.data(), st.xb.data(), w.wo.data() + l * attn_elements, dim, dim);
    for (int i = 0; i < dim; ++i) st.x[i] = st.x[i] + st.xb2[i];

    RunCArith::rmsnorm(st.xb.data(), st.x.data(), w.rms_ffn.data() + static_cast<std::size_t>(l) * dim, dim, st.inv_dim);
    matmul_fp32(st.hb.data(), st.xb.data(), w.w1.data() + l * ffn_elements, dim, hidden);
    matmul_fp32(st.hb2.data(), st.xb.data(), w.w3.data() + l * ffn_elements, dim, hidden);
    for (int i = 0; i < hidden; ++i) st.hb[i] = RunCArith::swiglu(st.hb[i], st.hb2[i]);
    matmul_fp32(st.xb.data(), st.hb.data(), w.w2.data() + l * ffn_elements, hidden, dim);
    for (int i = 0; i < dim; ++i) st.x[i] = st.x[i] + st.xb[i];
  }

  RunCArith::rmsnorm(st.x.data(), st.x.data(), w.rms_final.data(), dim, st.inv_dim);
  const std::vector<float>& classifier = s.shared_classifier ? w.token_embedding : w.wcls;
  matmul_fp32(st.logits.data(), st.x.data(), classifier.data(), dim, s.vocab_size);
  return st.logits;
}

}  // namespace vp
