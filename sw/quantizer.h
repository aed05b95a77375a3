#pragma once
// Q8_0 weight quantization as llama2.c produced the reference data: per group of `gs` consecutive
// columns of a row, scale = max|w| / 127 and q = round-half-away-from-zero(w / scale), both fp32 divisions.
#include "sw/checkpoint.h"

namespace vp {

// Largest power of two <= max_group_size that divides both dim and hidden_dim (so every matrix row splits into
// whole groups). Throws std::runtime_error when max_group_size < 1.
int choose_group_size(const ModelShape& shape, int max_group_size);

// Quantizes a rows x cols row-major matrix. An all-zero group gets scale 0 and codes 0 (as does a group whose
// max|w| / 127 underflows to 0). Throws std::runtime_error when gs <= 0, cols % gs != 0, or a weight is not finite.
Q8Tensor quantize_tensor(const float* w, int rows, int cols, int gs);

// Quantizes every matrix of `fp32` (the embedding, the seven per-layer matrices, wcls when unshared) and copies
// the rms weights. Throws std::runtime_error when gs does not divide dim and hidden_dim or the checkpoint is
// inconsistent.
Q8Checkpoint quantize_checkpoint(const Fp32Checkpoint& fp32, int gs);

}  // namespace vp
