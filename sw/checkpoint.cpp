#include "sw/checkpoint.h"

#include <stdexcept>

namespace vp {

namespace {

void check_size(const std::string& source, const char* tensor, std::size_t actual, std::size_t expected) {
  if (actual != expected)
    throw std::runtime_error(source + ": tensor " + tensor + " has " + std::to_string(actual) +
                             " elements, the shape needs " + std::to_string(expected));
}

void check_q8(const std::string& source, const std::string& tensor, const Q8Tensor& t, int rows, int cols, int gs) {
  if (t.rows != rows || t.cols != cols || t.group_size != gs)
    throw std::runtime_error(source + ": tensor " + tensor + " is " + std::to_string(t.rows) + "x" +
                             std::to_string(t.cols) + " group " + std::to_string(t.group_size) + ", the shape needs " +
                             std::to_string(rows) + "x" + std::to_string(cols) + " group " + std::to_string(gs));
  const std::size_t elements = static_cast<std::size_t>(rows) * cols;
  check_size(source, (tensor + ".q").c_str(), t.q.size(), elements);
  check_size(source, (tensor + ".s").c_str(), t.s.size(), elements / gs);
}

}  // namespace

std::array<LayerMatrix, 7> layer_matrices(const ModelShape& s) {
  const int dim = s.dim, kv = s.kv_dim(), hidden = s.hidden_dim;
  return {{{"wq", dim, dim, &Fp32Checkpoint::wq, &Q8Checkpoint::wq},
           {"wk", kv, dim, &Fp32Checkpoint::wk, &Q8Checkpoint::wk},
           {"wv", kv, dim, &Fp32Checkpoint::wv, &Q8Checkpoint::wv},
           {"wo", dim, dim, &Fp32Checkpoint::wo, &Q8Checkpoint::wo},
           {"w1", hidden, dim, &Fp32Checkpoint::w1, &Q8Checkpoint::w1},
           {"w2", dim, hidden, &Fp32Checkpoint::w2, &Q8Checkpoint::w2},
           {"w3", hidden, dim, &Fp32Checkpoint::w3, &Q8Checkpoint::w3}}};
}

void Fp32Checkpoint::validate(const std::string& source) const {
  shape.validate(source);
  const std::size_t dim = shape.dim, layers = shape.n_layers, vocab = shape.vocab_size;
  check_size(source, "token_embedding", token_embedding.size(), vocab * dim);
  check_size(source, "rms_att", rms_att.size(), layers * dim);
  check_size(source, "rms_ffn", rms_ffn.size(), layers * dim);
  check_size(source, "rms_final", rms_final.size(), dim);
  for (const LayerMatrix& m : layer_matrices(shape))
    check_size(source, m.name, (this->*m.fp32).size(), layers * m.rows * m.cols);
  check_size(source, "wcls", wcls.size(), shape.shared_classifier ? 0 : vocab * dim);
}

void Q8Checkpoint::validate(const std::string& source) const {
  shape.validate(source);
  if (group_size <= 0 || shape.dim % group_size != 0 || shape.hidden_dim % group_size != 0)
    throw std::runtime_error(source + ": group size " + std::to_string(group_size) + " does not divide dim " +
                             std::to_string(shape.dim) + " and hidden_dim " + std::to_string(shape.hidden_dim));
  const std::size_t dim = shape.dim, layers = shape.n_layers;
  check_size(source, "rms_att", rms_att.size(), layers * dim);
  check_size(source, "rms_ffn", rms_ffn.size(), layers * dim);
  check_size(source, "rms_final", rms_final.size(), dim);
  check_q8(source, "token_embedding", token_embedding, shape.vocab_size, shape.dim, group_size);
  for (const LayerMatrix& m : layer_matrices(shape)) {
    const std::vector<Q8Tensor>& per_layer = this->*m.q8;
    check_size(source, m.name, per_layer.size(), layers);
    for (std::size_t l = 0; l < layers; ++l)
      check_q8(source, std::string(m.name) + "[" + std::to_string(l) + "]", per_layer[l], m.rows, m.cols, group_size);
  }
  if (shape.shared_classifier) {
    if (!wcls.empty() || wcls.rows != 0) throw std::runtime_error(source + ": wcls must be empty with a shared classifier");
  } else {
    check_q8(source, "wcls", wcls, shape.vocab_size, shape.dim, group_size);
  }
}

}  // namespace vp
