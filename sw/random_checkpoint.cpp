#include "sw/random_checkpoint.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "sw/quantizer.h"

namespace vp {

namespace {

uint64_t splitmix64_next(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// Identifies a tensor's stream; per-layer tensors get one stream per layer so layers can be made independently.
enum class TensorId : uint64_t { kEmbedding, kRmsAtt, kRmsFfn, kRmsFinal, kWcls, kLayerMatrix0 };

class UniformStream {
 public:
  UniformStream(uint64_t seed, uint64_t tensor, uint64_t layer) {
    uint64_t mix = seed;
    state_ = splitmix64_next(&mix) ^ (tensor << 32) ^ layer;
    splitmix64_next(&state_);  // decorrelate neighbouring keys
  }
  // Uniform in [lo, hi): 24 random bits scaled exactly into [0, 1), then fp32 arithmetic.
  void fill(float* out, std::size_t n, float lo, float hi) {
    const float width = hi - lo;
    for (std::size_t i = 0; i < n; ++i) {
      const float u = static_cast<float>(splitmix64_next(&state_) >> 40) * (1.0f / 16777216.0f);
      out[i] = lo + u * width;
    }
  }

 private:
  uint64_t state_;
};

// Half-width of a zero-mean uniform distribution with std 0.5 / sqrt(fan_in).
float matrix_half_width(int fan_in) { return static_cast<float>(0.5 * std::sqrt(3.0) / std::sqrt(double(fan_in))); }

constexpr float kRmsLo = 0.9f;
constexpr float kRmsHi = 1.1f;

// rows x cols matrix from its stream, quantized a block of rows at a time.
Q8Tensor random_q8_matrix(UniformStream stream, int rows, int cols, int gs) {
  Q8Tensor t = Q8Tensor::zeros(rows, cols, gs);
  const float a = matrix_half_width(cols);
  const int block_rows = std::max(1, 65536 / cols);
  std::vector<float> block(static_cast<std::size_t>(block_rows) * cols);
  for (int r0 = 0; r0 < rows; r0 += block_rows) {
    const int n = std::min(block_rows, rows - r0);
    stream.fill(block.data(), static_cast<std::size_t>(n) * cols, -a, a);
    const Q8Tensor part = quantize_tensor(block.data(), n, cols, gs);
    std::copy(part.q.begin(), part.q.end(), t.q.begin() + static_cast<std::ptrdiff_t>(r0) * cols);
    std::copy(part.s.begin(), part.s.end(), t.s.begin() + static_cast<std::ptrdiff_t>(r0) * (cols / gs));
  }
  return t;
}

std::vector<float> random_rms(uint64_t seed, TensorId id, int layers, int dim) {
  std::vector<float> v(static_cast<std::size_t>(layers) * dim);
  for (int l = 0; l < layers; ++l)
    UniformStream(seed, uint64_t(id), l).fill(v.data() + static_cast<std::size_t>(l) * dim, dim, kRmsLo, kRmsHi);
  return v;
}

}  // namespace

Fp32Checkpoint random_fp32_checkpoint(const ModelShape& shape, uint64_t seed) {
  shape.validate("config");
  const std::size_t dim = shape.dim, vocab = shape.vocab_size;
  Fp32Checkpoint c;
  c.shape = shape;
  c.token_embedding.resize(vocab * dim);
  const float ae = matrix_half_width(shape.dim);
  UniformStream(seed, uint64_t(TensorId::kEmbedding), 0).fill(c.token_embedding.data(), vocab * dim, -ae, ae);
  c.rms_att = random_rms(seed, TensorId::kRmsAtt, shape.n_layers, shape.dim);
  c.rms_ffn = random_rms(seed, TensorId::kRmsFfn, shape.n_layers, shape.dim);
  c.rms_final = random_rms(seed, TensorId::kRmsFinal, 1, shape.dim);
  const auto matrices = layer_matrices(shape);
  for (std::size_t m = 0; m < matrices.size(); ++m) {
    const std::size_t elements = static_cast<std::size_t>(matrices[m].rows) * matrices[m].cols;
    std::vector<float>& w = c.*matrices[m].fp32;
    w.resize(elements * shape.n_layers);
    const float a = matrix_half_width(matrices[m].cols);
    for (int l = 0; l < shape.n_layers; ++l)
      UniformStream(seed, uint64_t(TensorId::kLayerMatrix0) + m, l).fill(w.data() + l * elements, elements, -a, a);
  }
  if (!shape.shared_classifier) {
    c.wcls.resize(vocab * dim);
    UniformStream(seed, uint64_t(TensorId::kWcls), 0).fill(c.wcls.data(), vocab * dim, -ae, ae);
  }
  return c;
}

Q8Checkpoint random_q8_checkpoint(const ModelShape& shape, int gs, uint64_t seed) {
  shape.validate("config");
  if (gs <= 0 || shape.dim % gs != 0 || shape.hidden_dim % gs != 0)
    throw std::runtime_error("config: group size " + std::to_string(gs) + " does not divide dim " +
                             std::to_string(shape.dim) + " and hidden_dim " + std::to_string(shape.hidden_dim));
  Q8Checkpoint c;
  c.shape = shape;
  c.group_size = gs;
  c.rms_att = random_rms(seed, TensorId::kRmsAtt, shape.n_layers, shape.dim);
  c.rms_ffn = random_rms(seed, TensorId::kRmsFfn, shape.n_layers, shape.dim);
  c.rms_final = random_rms(seed, TensorId::kRmsFinal, 1, shape.dim);
  c.token_embedding =
      random_q8_matrix(UniformStream(seed, uint64_t(TensorId::kEmbedding), 0), shape.vocab_size, shape.dim, gs);
  const auto matrices = layer_matrices(shape);
  for (std::size_t m = 0; m < matrices.size(); ++m) {
    std::vector<Q8Tensor>& per_layer = c.*matrices[m].q8;
    for (int l = 0; l < shape.n_layers; ++l)
      per_layer.push_back(random_q8_matrix(UniformStream(seed, uint64_t(TensorId::kLayerMatrix0) + m, l),
                                           matrices[m].rows, matrices[m].cols, gs));
  }
  if (!shape.shared_classifier)
    c.wcls = random_q8_matrix(UniformStream(seed, uint64_t(TensorId::kWcls), 0), shape.vocab_size, shape.dim, gs);
  return c;
}

}  // namespace vp
