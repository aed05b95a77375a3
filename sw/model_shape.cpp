#include "sw/model_shape.h"

#include <stdexcept>

namespace vp {

namespace {

// Guards the int64 size arithmetic of readers and writers against nonsense headers.
constexpr double kMaxTensorElements = 1099511627776.0;  // 2^40

[[noreturn]] void fail(const std::string& source, const ModelShape& shape, const std::string& what) {
  throw std::runtime_error(source + ": inconsistent model shape (" + to_string(shape) + "): " + what);
}

}  // namespace

void ModelShape::validate(const std::string& source) const {
  const struct {
    const char* name;
    int value;
  } fields[] = {{"dim", dim},         {"hidden_dim", hidden_dim}, {"n_layers", n_layers}, {"n_heads", n_heads},
                {"n_kv_heads", n_kv_heads}, {"vocab_size", vocab_size}, {"seq_len", seq_len}};
  for (const auto& f : fields)
    if (f.value <= 0) fail(source, *this, std::string(f.name) + " must be positive, got " + std::to_string(f.value));
  if (dim % n_heads != 0)
    fail(source, *this, "dim " + std::to_string(dim) + " is not a multiple of n_heads " + std::to_string(n_heads));
  if (n_heads % n_kv_heads != 0)
    fail(source, *this,
         "n_heads " + std::to_string(n_heads) + " is not a multiple of n_kv_heads " + std::to_string(n_kv_heads));
  if (head_size() % 2 != 0)
    fail(source, *this, "head_size " + std::to_string(head_size()) + " is odd (RoPE rotates pairs)");
  // Largest tensors: all layers of one matrix, the embedding/classifier, the KV cache.
  const double layers = n_layers;
  const double biggest[] = {layers * dim * hidden_dim, layers * dim * dim, double(vocab_size) * dim,
                            layers * seq_len * kv_dim()};
  for (double elements : biggest)
    if (elements > kMaxTensorElements) fail(source, *this, "a tensor would exceed 2^40 elements");
}

ModelShape ModelShape::stories110m() {
  return ModelShape{768, 2048, 12, 12, 12, 32000, 1024, true};
}

bool ModelShape::operator==(const ModelShape& o) const {
  return dim == o.dim && hidden_dim == o.hidden_dim && n_layers == o.n_layers && n_heads == o.n_heads &&
         n_kv_heads == o.n_kv_heads && vocab_size == o.vocab_size && seq_len == o.seq_len &&
         shared_classifier == o.shared_classifier;
}

std::string to_string(const ModelShape& s) {
  return "dim=" + std::to_string(s.dim) + " hidden_dim=" + std::to_string(s.hidden_dim) +
         " n_layers=" + std::to_string(s.n_layers) + " n_heads=" + std::to_string(s.n_heads) +
         " n_kv_heads=" + std::to_string(s.n_kv_heads) + " vocab_size=" + std::to_string(s.vocab_size) +
         " seq_len=" + std::to_string(s.seq_len) + (s.shared_classifier ? " shared" : " unshared") + "_classifier";
}

}  // namespace vp
