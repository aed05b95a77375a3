#pragma once
// The hyperparameters of a llama2.c transformer, as stored in every checkpoint header.
#include <string>

namespace vp {

struct ModelShape {
  int dim = 0;         // transformer width
  int hidden_dim = 0;  // FFN width
  int n_layers = 0;
  int n_heads = 0;     // query heads
  int n_kv_heads = 0;  // key/value heads (< n_heads for grouped-query attention)
  int vocab_size = 0;
  int seq_len = 0;     // maximum sequence length (KV cache depth)
  bool shared_classifier = true;  // classifier reuses the token embedding

  int head_size() const { return dim / n_heads; }
  int kv_dim() const { return head_size() * n_kv_heads; }

  // Throws std::runtime_error naming `source` (a file path or "config") and the first inconsistency:
  // a non-positive field, dim not a multiple of n_heads, n_heads not a multiple of n_kv_heads, an odd
  // head_size (RoPE rotates pairs), or a tensor too large to be a plausible checkpoint (> 2^40 elements).
  void validate(const std::string& source) const;

  // The llama2.c stories110M model that the accelerator targets.
  static ModelShape stories110m();

  bool operator==(const ModelShape& other) const;
  bool operator!=(const ModelShape& other) const { return !(*this == other); }
};

// "dim=64 hidden_dim=172 ..." for messages and reports.
std::string to_string(const ModelShape& shape);

}  // namespace vp
