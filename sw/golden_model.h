#pragma once
// Golden reference forward passes of the llama2.c transformer.
//
// GoldenQ8Model is THE numerical specification of the accelerator kernel: the Q8_0 pass of llama2.c runq.c with
// every operation taken from hls/llama_arith.h in a fixed order, so the hls/ and rtl/ kernels must reproduce its
// logits and KV cache bit for bit. GoldenFp32Model is llama2.c run.c's fp32 pass with run.c's own arithmetic
// (sequential sums, libm expf/sqrtf, divisions): the fp32 reference, not a kernel spec.
//
// Both keep a KV cache across calls: forward(token, pos) reads positions 0..pos-1 written by earlier calls, so a
// sequence is fed with pos = 0, 1, 2, ... Neither allocates during forward().
#include <cstdint>
#include <memory>
#include <vector>

#include "sw/checkpoint.h"

namespace vp {

namespace detail {
// Activations, KV cache and host constants common to both golden models.
struct GoldenState {
  explicit GoldenState(const ModelShape& shape);
  ModelShape shape;
  std::vector<float> rope;  // rope_table(shape)
  float inv_dim;
  float inv_sqrt_head_size;
  std::vector<float> x, xb, xb2, hb, hb2, q, k, v, att, logits;
  std::vector<float> key_cache, value_cache;  // [layer][seq_len][kv_dim]
};
}  // namespace detail

class GoldenQ8Model {
 public:
  // Keeps a reference: `checkpoint` must outlive the model.
  explicit GoldenQ8Model(const Q8Checkpoint& checkpoint);
  // Takes ownership (so a temporary checkpoint cannot dangle).
  explicit GoldenQ8Model(Q8Checkpoint&& checkpoint);

  // Logits (vocab_size) after feeding `token` at position `pos`. Throws std::runtime_error naming token or pos
  // when out of [0, vocab_size) or [0, seq_len).
  const std::vector<float>& forward(int token, int pos);

  const ModelShape& shape() const { return state_.shape; }
  const std::vector<float>& logits() const { return state_.logits; }
  const std::vector<float>& key_cache() const { return state_.key_cache; }      // [layer][seq_len][kv_dim]
  const std::vector<float>& value_cache() const { return state_.value_cache; }  // [layer][seq_len][kv_dim]

 private:
  void matmul(float* out, const Q8Tensor& w) const;  // out[r] = arith::dot_q8 of row r with xq_/xs_

  std::unique_ptr<const Q8Checkpoint> owned_;
  const Q8Checkpoint* w_;
  detail::GoldenState state_;
  std::vector<int8_t> xq_;  // quantized activation, max(dim, hidden_dim)
  std::vector<float> xs_;   // its group scales
};

class GoldenFp32Model {
 public:
  // Keeps a reference: `checkpoint` must outlive the model.
  explicit GoldenFp32Model(const Fp32Checkpoint& checkpoint);
  // Takes ownership.
  explicit GoldenFp32Model(Fp32Checkpoint&& checkpoint);

  // As GoldenQ8Model::forward.
  const std::vector<float>& forward(int token, int pos);

  const ModelShape& shape() const { return state_.shape; }
  const std::vector<float>& logits() const { return state_.logits; }
  const std::vector<float>& key_cache() const { return state_.key_cache; }
  const std::vector<float>& value_cache() const { return state_.value_cache; }

 private:
  std::unique_ptr<const Fp32Checkpoint> owned_;
  const Fp32Checkpoint* w_;
  detail::GoldenState state_;
};

}  // namespace vp
