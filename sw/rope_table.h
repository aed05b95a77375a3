#pragma once
// Host-precomputed constants of the forward pass: the RoPE cos/sin table and the two reciprocals that the
// kernel receives instead of dividing (llama2.c computes them inline with libm; the host does it once).
#include <vector>

#include "sw/model_shape.h"

namespace vp {

// [seq_len][head_size/2][2] = (cos, sin) of pos * freq with freq = 1 / 10000^(head_dim / head_size), head_dim
// the even index within a head, computed exactly as run.c does (powf, cosf, sinf in fp32).
std::vector<float> rope_table(const ModelShape& shape);

// 1.0f / sqrtf(head_size): the attention score scale.
float inv_sqrt_head_size(const ModelShape& shape);

// 1.0f / dim: the mean in rmsnorm.
float inv_dim(const ModelShape& shape);

}  // namespace vp
