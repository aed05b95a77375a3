// Golden Q8_0 forward pass speed on the stories110M shape (random checkpoint, group size 64), single thread,
// against a plain runq.c-style loop (libm expf/sqrtf, divisions, sequential sums) compiled with the same flags:
// the CPU baseline that the HLSTransform paper compares the accelerator with.
//
//   bench_golden [--tokens N] [--io DIR]
// --io DIR also times writing and reading a 110M checkpoint in both formats in DIR (about 0.6 GB, removed after).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <systemc>
#include <vector>

#include "sw/checkpoint_reader.h"
#include "sw/checkpoint_writer.h"
#include "sw/golden_model.h"
#include "sw/random_checkpoint.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// llama2.c runq.c forward(), transcribed as plain loops over the same Q8Checkpoint (single thread: runq.c's
// OpenMP pragma left out). The reference numerics: libm, divisions, sequential reductions.
class RunqReference {
 public:
  explicit RunqReference(const vp::Q8Checkpoint& w) : w_(w), p_(w.shape) {
    const int dim = p_.dim, hidden = p_.hidden_dim, kv_dim = p_.kv_dim();
    const vp::Q8Tensor& e = w.token_embedding;
    embedding_.resize(e.q.size());  // runq.c dequantizes the embedding table at load
    for (std::size_t i = 0; i < e.q.size(); ++i) embedding_[i] = e.q[i] * e.s[i / w.group_size];
    x_.resize(dim);
    xb_.resize(dim);
    xb2_.resize(dim);
    hb_.resize(hidden);
    hb2_.resize(hidden);
    xq_.resize(std::max(dim, hidden));
    xs_.resize(xq_.size() / w.group_size);
    q_.resize(dim);
    k_.resize(kv_dim);
    v_.resize(kv_dim);
    att_.resize(static_cast<std::size_t>(p_.n_heads) * p_.seq_len);
    logits_.resize(p_.vocab_size);
    key_cache_.resize(static_cast<std::size_t>(p_.n_layers) * p_.seq_len * kv_dim);
    value_cache_.resize(key_cache_.size());
  }

  const std::vector<float>& forward(int token, int pos) {
    const int dim = p_.dim, hidden = p_.hidden_dim, kv_dim = p_.kv_dim(), head_size = p_.head_size();
    const int kv_mul = p_.n_heads / p_.n_kv_heads;
    float* x = x_.data();
    std::memcpy(x, embedding_.data() + static_cast<std::size_t>(token) * dim, dim * sizeof(float));
    for (int l = 0; l < p_.n_layers; ++l) {
      rmsnorm(xb_.data(), x, w_.rms_att.data() + l * dim, dim);
      quantize(xb_.data(), dim);
      matmul(q_.data(), w_.wq[l], dim, dim);
      matmul(k_.data(), w_.wk[l], dim, kv_dim);
      matmul(v_.data(), w_.wv[l], dim, kv_dim);
      for (int i = 0; i < dim; i += 2) {
        const int head_dim = i % head_size;
        const float freq = 1.0f / powf(10000.0f, head_dim / (float)head_size);
        const float val = pos * freq;
        const float fcr = cosf(val), fci = sinf(val);
        const int rotn = i < kv_dim ? 2 : 1;
        for (int r = 0; r < rotn; ++r) {
          float* vec = r == 0 ? q_.data() : k_.data();
          const float v0 = vec[i], v1 = vec[i + 1];
          vec[i] = v0 * fcr - v1 * fci;
          vec[i + 1] = v0 * fci + v1 * fcr;
        }
      }
      const std::size_t loff = static_cast<std::size_t>(l) * p_.seq_len * kv_dim;
      std::memcpy(key_cache_.data() + loff + pos * kv_dim, k_.data(), kv_dim * sizeof(float));
      std::memcpy(value_cache_.data() + loff + pos * kv_dim, v_.data(), kv_dim * sizeof(float));
      for (int h = 0; h < p_.n_heads; ++h) {
        const float* q = q_.data() + h * head_size;
        float* att = att_.data() + static_cast<std::size_t>(h) * p_.seq_len;
        for (int t = 0; t <= pos; ++t) {
          const float* k = key_cache_.data() + loff + t * kv_dim + (h / kv_mul) * head_size;
          float score = 0.0f;
          for (int i = 0; i < head_size; ++i) score += q[i] * k[i];
          att[t] = score / sqrtf(head_size);
        }
        softmax(att, pos + 1);
        float* xb = xb_.data() + h * head_size;
        std::memset(xb, 0, head_size * sizeof(float));
        for (int t = 0; t <= pos; ++t) {
          const float* v = value_cache_.data() + loff + t * kv_dim + (h / kv_mul) * head_size;
          const float a = att[t];
          for (int i = 0; i < head_size; ++i) xb[i] += a * v[i];
        }
      }
      quantize(xb_.data(), dim);
      matmul(xb2_.data(), w_.wo[l], dim, dim);
      for (int i = 0; i < dim; ++i) x[i] += xb2_[i];
      rmsnorm(xb_.data(), x, w_.rms_ffn.data() + l * dim, dim);
      quantize(xb_.data(), dim);
      matmul(hb_.data(), w_.w1[l], dim, hidden);
      matmul(hb2_.data(), w_.w3[l], dim, hidden);
      for (int i = 0; i < hidden; ++i) {
        float val = hb_[i];
        val *= (1.0f / (1.0f + expf(-val)));
        hb_[i] = val * hb2_[i];
      }
      quantize(hb_.data(), hidden);
      matmul(xb_.data(), w_.w2[l], hidden, dim);
      for (int i = 0; i < dim; ++i) x[i] += xb_[i];
    }
    rmsnorm(x, x, w_.rms_final.data(), dim);
    quantize(x, dim);
    matmul(logits_.data(), w_.classifier(), dim, p_.vocab_size);
    return logits_;
  }

 private:
  static void rmsnorm(float* o, const float* x, const float* weight, int size) {
    float ss = 0.0f;
    for (int j = 0; j < size; ++j) ss += x[j] * x[j];
    ss /= size;
    ss += 1e-5f;
    ss = 1.0f / sqrtf(ss);
    for (int j = 0; j < size; ++j) o[j] = weight[j] * (ss * x[j]);
  }
  static void softmax(float* x, int size) {
    float max_val = x[0];
    for (int i = 1; i < size; ++i) max_val = std::max(max_val, x[i]);
    float sum = 0.0f;
    for (int i = 0; i < size; ++i) {
      x[i] = expf(x[i] - max_val);
      sum += x[i];
    }
    for (int i = 0; i < size; ++i) x[i] /= sum;
  }
  void quantize(const float* x, int n) {
    const int gs = w_.group_size;
    for (int group = 0; group < n / gs; ++group) {
      float wmax = 0.0f;
      for (int i = 0; i < gs; ++i) wmax = std::max(wmax, std::fabs(x[group * gs + i]));
      const float scale = wmax / 127.0f;
      xs_[group] = scale;
      for (int i = 0; i < gs; ++i) xq_[group * gs + i] = static_cast<int8_t>(std::round(x[group * gs + i] / scale));
    }
  }
  void matmul(float* xout, const vp::Q8Tensor& w, int n, int d) const {
    const int gs = w_.group_size;
    for (int i = 0; i < d; ++i) {
      const std::size_t in = static_cast<std::size_t>(i) * n;
      float val = 0.0f;
      for (int j = 0; j <= n - gs; j += gs) {
        int32_t ival = 0;
        for (int k = 0; k < gs; ++k) ival += int32_t(xq_[j + k]) * int32_t(w.q[in + j + k]);
        val += static_cast<float>(ival) * w.s[(in + j) / gs] * xs_[j / gs];
      }
      xout[i] = val;
    }
  }

  const vp::Q8Checkpoint& w_;
  vp::ModelShape p_;
  std::vector<float> embedding_, x_, xb_, xb2_, hb_, hb2_, xs_, q_, k_, v_, att_, logits_, key_cache_, value_cache_;
  std::vector<int8_t> xq_;
};

template <typename Model>
double tokens_per_second(Model& model, const std::vector<int>& tokens, std::vector<std::vector<float>>* logits) {
  const Clock::time_point start = Clock::now();
  for (std::size_t pos = 0; pos < tokens.size(); ++pos) logits->push_back(model.forward(tokens[pos], int(pos)));
  return tokens.size() / seconds_since(start);
}

void time_io(const std::string& dir, const vp::ModelShape& shape) {
  namespace fs = std::filesystem;
  const std::string fp32_path = (fs::path(dir) / "bench_golden_110m.bin").string();
  const std::string q8_path = (fs::path(dir) / "bench_golden_110m.q8").string();
  {
    const vp::Fp32Checkpoint fp32 = vp::random_fp32_checkpoint(shape, 1);
    Clock::time_point t = Clock::now();
    vp::write_fp32_checkpoint(fp32_path, fp32);
    std::printf("write fp32 checkpoint (%.0f MB): %.2f s\n", fs::file_size(fp32_path) / 1e6, seconds_since(t));
  }
  Clock::time_point t = Clock::now();
  vp::Fp32Checkpoint fp32 = vp::read_fp32_checkpoint(fp32_path);
  std::printf("read_fp32_checkpoint: %.2f s\n", seconds_since(t));
  fp32 = vp::Fp32Checkpoint{};
  t = Clock::now();
  const vp::Q8Checkpoint q8 = vp::load_checkpoint_as_q8(fp32_path, 64);
  std::printf("load_checkpoint_as_q8 (fp32 file, quantize gs %d): %.2f s\n", q8.group_size, seconds_since(t));
  t = Clock::now();
  vp::write_q8_checkpoint(q8_path, q8);
  std::printf("write Q8 checkpoint (%.0f MB): %.2f s\n", fs::file_size(q8_path) / 1e6, seconds_since(t));
  t = Clock::now();
  const vp::Q8Checkpoint back = vp::read_q8_checkpoint(q8_path);
  std::printf("read_q8_checkpoint: %.2f s (%s)\n", seconds_since(t),
              back.w2.back().q == q8.w2.back().q && back.token_embedding.s == q8.token_embedding.s ? "round trip ok"
                                                                                                 : "ROUND TRIP MISMATCH");
  fs::remove(fp32_path);
  fs::remove(q8_path);
}

}  // namespace

int sc_main(int argc, char* argv[]) {
  int n_tokens = 8;
  std::string io_dir;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--tokens" && i + 1 < argc) {
      n_tokens = std::atoi(argv[++i]);
    } else if (arg == "--io" && i + 1 < argc) {
      io_dir = argv[++i];
    } else {
      std::fprintf(stderr, "usage: %s [--tokens N] [--io DIR]\n", argv[0]);
      return 2;
    }
  }
  const vp::ModelShape shape = vp::ModelShape::stories110m();
  constexpr int kGroupSize = 64;
  std::printf("shape: %s, Q8_0 group size %d, single thread, %d tokens\n", vp::to_string(shape).c_str(), kGroupSize,
              n_tokens);

  Clock::time_point t = Clock::now();
  const vp::Q8Checkpoint checkpoint = vp::random_q8_checkpoint(shape, kGroupSize, 42);
  std::printf("random_q8_checkpoint: %.2f s\n", seconds_since(t));

  std::vector<int> tokens(n_tokens);
  for (int i = 0; i < n_tokens; ++i) tokens[i] = i == 0 ? 1 : (i * 7919) % shape.vocab_size;

  std::vector<std::vector<float>> golden_logits, reference_logits;
  vp::GoldenQ8Model golden(checkpoint);
  const double golden_tps = tokens_per_second(golden, tokens, &golden_logits);
  RunqReference reference(checkpoint);
  const double reference_tps = tokens_per_second(reference, tokens, &reference_logits);

  float max_diff = 0.0f, max_logit = 0.0f;
  int argmax_agree = 0;
  for (int p = 0; p < n_tokens; ++p) {
    const std::vector<float>& a = golden_logits[p];
    const std::vector<float>& b = reference_logits[p];
    for (std::size_t i = 0; i < a.size(); ++i) {
      max_diff = std::max(max_diff, std::fabs(a[i] - b[i]));
      max_logit = std::max(max_logit, std::fabs(b[i]));
    }
    argmax_agree += std::max_element(a.begin(), a.end()) - a.begin() == std::max_element(b.begin(), b.end()) - b.begin();
  }
  std::printf("golden Q8 (vp::arith):          %8.2f tokens/s\n", golden_tps);
  std::printf("runq.c-style reference loop:    %8.2f tokens/s\n", reference_tps);
  std::printf("ratio golden / reference:       %8.2f\n", golden_tps / reference_tps);
  std::printf("logits golden vs reference: max abs diff %.3g (max |logit| %.3g), argmax agrees %d/%d\n", max_diff,
              max_logit, argmax_agree, n_tokens);

  if (!io_dir.empty()) time_io(io_dir, shape);
  return 0;
}
