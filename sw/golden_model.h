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
#include <utility>
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

// What both golden models hold: the checkpoint they read (referenced, or owned when moved in) and
// their state, with its accessors.
template <class Checkpoint>
class GoldenModelBase {
 public:
  const ModelShape& shape() const { return state_.shape; }
  const std::vector<float>& logits() const { return state_.logits; }
  const std::vector<float>& key_cache() const { return state_.key_cache; }      // [layer][seq_len][kv_dim]
  const std::vector<float>& value_cache() const { return state_.value_cache; }  // [layer][seq_len][kv_dim]

 protected:
  // Keeps a reference: `checkpoint` must outlive the model. Throws std::runtime_error naming `model`
  // when the checkpoint is invalid.
  GoldenModelBase(const Checkpoint& checkpoint, const char* model)
      : w_(&checkpoint), state_(validated_shape(checkpoint, model)) {}
  // Takes ownership (so a temporary checkpoint cannot dangle).
  GoldenModelBase(Checkpoint&& checkpoint, const char* model)
      : owned_(std::make_unique<const Checkpoint>(std::move(checkpoint))),
        w_(owned_.get()),
        state_(validated_shape(*w_, model)) {}

  std::unique_ptr<const Checkpoint> owned_;
  const Checkpoint* w_;
  GoldenState state_;

 private:
  static const ModelShape& validated_shape(const Checkpoint& c, const char* model) {
    c.validate(model);
    return c.shape;
  }
};
}  // namespace detail

class GoldenQ8Model : public detail::GoldenModelBase<Q8Checkpoint> {
 public:
  // Keeps a reference: `checkpoint` must outlive the model.
  explicit GoldenQ8Model(const Q8Checkpoint& checkpoint);
  // Takes ownership (so a temporary checkpoint cannot dangle).
  explicit GoldenQ8Model(Q8Checkpoint&& checkpoint);

  // Logits (vocab_size) after feeding `token` at position `pos`. Throws std::runtime_error naming token or pos
  // when out of [0, vocab_size) or [0, seq_len).
  const std::vector<float>& forward(int token, int pos);

 private:
  void matmul(float* out, const Q8Tensor& w) const;  // out[r] = arith::dot_q8 of row r with xq_/xs_

  std::vector<int8_t> xq_;  // quantized activation, max(dim, hidden_dim)
  std::vector<float> xs_;   // its group scales
};

class GoldenFp32Model : public detail::GoldenModelBase<Fp32Checkpoint> {
 public:
  // Keeps a reference: `checkpoint` must outlive the model.
  explicit GoldenFp32Model(const Fp32Checkpoint& checkpoint);
  // Takes ownership.
  explicit GoldenFp32Model(Fp32Checkpoint&& checkpoint);

  // As GoldenQ8Model::forward.
  const std::vector<float>& forward(int token, int pos);
};

}  // namespace vp
