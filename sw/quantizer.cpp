#include "sw/quantizer.h"

#include <cmath>
#include <stdexcept>

namespace vp {

int choose_group_size(const ModelShape& shape, int max_group_size) {
  if (max_group_size < 1)
    throw std::runtime_error("maximum group size must be at least 1, got " + std::to_string(max_group_size));
  int gs = 1;
  while (gs <= max_group_size / 2) gs *= 2;
  while (shape.dim % gs != 0 || shape.hidden_dim % gs != 0) gs /= 2;
  return gs;
}

Q8Tensor quantize_tensor(const float* w, int rows, int cols, int gs) {
  if (gs <= 0 || rows < 0 || cols < 0 || cols % gs != 0)
    throw std::runtime_error("cannot quantize a " + std::to_string(rows) + "x" + std::to_string(cols) +
                             " matrix with group size " + std::to_string(gs) + ": columns must be a multiple of it");
  Q8Tensor t = Q8Tensor::zeros(rows, cols, gs);
  const std::size_t elements = t.q.size();
  for (std::size_t g = 0; g < elements / gs; ++g) {
    const float* x = w + g * gs;
    int8_t* q = t.q.data() + g * gs;
    float wmax = 0.0f;
    for (int i = 0; i < gs; ++i) {
      if (!std::isfinite(x[i]))
        throw std::runtime_error("cannot quantize a non-finite weight at row " + std::to_string(g * gs / cols) +
                                 ", column " + std::to_string(g * gs % cols));
      const float a = std::fabs(x[i]);
      if (a > wmax) wmax = a;
    }
    const float scale = wmax / 127.0f;
    t.s[g] = scale;
    for (int i = 0; i < gs; ++i) {
      // |x / scale| <= 127 up to one rounding while scale is a normal float. A subnormal scale has lost
      // precision and |x / scale| can round to 128 or more (fuzz/regressions/checkpoint_fp32): clamp, as
      // the activation quantizer does, rather than convert out of int8's range (undefined behaviour).
      q[i] = scale == 0.0f ? int8_t{0}
                           : static_cast<int8_t>(std::fmin(std::fmax(std::round(x[i] / scale), -127.0f), 127.0f));
    }
  }
  return t;
}

Q8Checkpoint quantize_checkpoint(const Fp32Checkpoint& fp32, int gs) {
  fp32.validate("checkpoint to quantize");
  const ModelShape& shape = fp32.shape;
  if (gs <= 0 || shape.dim % gs != 0 || shape.hidden_dim % gs != 0)
    throw std::runtime_error("group size " + std::to_string(gs) + " does not divide dim " + std::to_string(shape.dim) +
                             " and hidden_dim " + std::to_string(shape.hidden_dim));
  Q8Checkpoint q8;
  q8.shape = shape;
  q8.group_size = gs;
  q8.rms_att = fp32.rms_att;
  q8.rms_ffn = fp32.rms_ffn;
  q8.rms_final = fp32.rms_final;
  q8.token_embedding = quantize_tensor(fp32.token_embedding.data(), shape.vocab_size, shape.dim, gs);
  for (const LayerMatrix& m : layer_matrices(shape)) {
    std::vector<Q8Tensor>& per_layer = q8.*m.q8;
    const std::vector<float>& source = fp32.*m.fp32;
    const std::size_t layer_elements = static_cast<std::size_t>(m.rows) * m.cols;
    for (int l = 0; l < shape.n_layers; ++l)
      per_layer.push_back(quantize_tensor(source.data() + l * layer_elements, m.rows, m.cols, gs));
  }
  if (!shape.shared_classifier) q8.wcls = quantize_tensor(fp32.wcls.data(), shape.vocab_size, shape.dim, gs);
  return q8;
}

}  // namespace vp
