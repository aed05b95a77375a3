#pragma once
// The kernel's arithmetic, defined once: the golden Q8_0 model, the hls/ kernel and the
// rtl/ datapath all compute exactly these operations in exactly this order.
#include <cstdint>

#include "hls/fp32_math.h"

namespace vp::arith {

// Reductions keep this many partial sums, combined as a balanced tree: what a pipelined fp
// adder with latency <= 8 computes.
constexpr int kReduceLanes = 8;

inline float tree_combine(const float p[kReduceLanes]) {
  return ((p[0] + p[1]) + (p[2] + p[3])) + ((p[4] + p[5]) + (p[6] + p[7]));
}

// Dot products (the attention scores) go a 64-byte beat at a time: the products of each
// block of kDotBlock consecutive elements are summed pairwise (a balanced tree for a power of
// two), block k goes to partial k % 8, and the partials combine as tree_combine. A key row
// then streams through 16 multipliers and an adder tree at one beat per cycle
// (rtl/llama_attention_unit.sv).
constexpr int kDotBlock = 16;

inline float pairwise_sum(const float* v, int n) {
  if (n == 1) return v[0];
  const int half = n / 2;
  return pairwise_sum(v, half) + pairwise_sum(v + half, n - half);
}

inline float dot(const float* a, const float* b, int n) {
  float p[kReduceLanes] = {};
  for (int k = 0; k * kDotBlock < n; ++k) {
    const int len = n - k * kDotBlock < kDotBlock ? n - k * kDotBlock : kDotBlock;
    float products[kDotBlock];
    for (int j = 0; j < len; ++j) products[j] = a[k * kDotBlock + j] * b[k * kDotBlock + j];
    p[k % kReduceLanes] += pairwise_sum(products, len);
  }
  return tree_combine(p);
}

// sum_of_squares and sum (RMSNorm, softmax) go in blocks of kSumBlock consecutive elements:
// each block is summed by a balanced binary tree of 16 leaves (leaves past n are -0.0f, an
// exact identity of IEEE addition), block k is added into partial k % 8, and the partials
// combine as tree_combine. The order does not depend on the lane count: with L lanes (a power
// of two <= 16) a cycle's L-leaf adder tree is an exact subtree of the block tree, and
// rtl/llama_vector_stream.sv combines a block's 16 / L subtree sums pairwise over cycles
// (32 lanes sum with 16, a block a cycle).
constexpr int kSumBlock = 16;

template <typename Leaf>
inline float block_reduce(int n, Leaf leaf) {
  float p[kReduceLanes] = {};
  for (int k = 0; k * kSumBlock < n; ++k) {
    float leaves[kSumBlock];
    for (int j = 0; j < kSumBlock; ++j) {
      const int i = k * kSumBlock + j;
      leaves[j] = i < n ? leaf(i) : -0.0f;
    }
    p[k % kReduceLanes] += pairwise_sum(leaves, kSumBlock);
  }
  return tree_combine(p);
}

inline float sum_of_squares(const float* x, int n) {
  return block_reduce(n, [x](int i) { return x[i] * x[i]; });
}

inline float sum(const float* x, int n) {
  return block_reduce(n, [x](int i) { return x[i]; });
}

// out = weight * (x * rsqrt(mean(x^2) + 1e-5)); inv_n = 1/n rounded once by the host.
inline void rmsnorm(float* out, const float* x, const float* weight, int n, float inv_n) {
  const float scale = fp::rsqrt(sum_of_squares(x, n) * inv_n + 1e-5f);
  for (int i = 0; i < n; ++i) out[i] = weight[i] * (scale * x[i]);
}

// Q8_0 activation quantization of one group exactly as llama2.c runq.c: scale = max|x| / 127,
// q = round(x / scale) (IEEE divisions, rounding half away from zero on the exact quotient).
// Where runq.c would convert a NaN or an infinity (scale 0: an all-zero group, or a max below
// 64 * 2^-149 whose scale underflows) the codes are 0 (the RTL's rounding unit gives INT32_MIN
// there, whose int8 cast is the same 0).
inline float quantize_group(int8_t* q, const float* x, int gs) {
  float wmax = 0.0f;
  for (int i = 0; i < gs; ++i) {
    const float a = x[i] < 0.0f ? -x[i] : x[i];
    if (a > wmax) wmax = a;
  }
  const float scale = wmax / 127.0f;
  for (int i = 0; i < gs; ++i)
    q[i] = scale == 0.0f ? 0 : static_cast<int8_t>(fp::round_half_away_exact(x[i] / scale));
  return scale;
}

inline void quantize(int8_t* q, float* scales, const float* x, int n, int gs) {
  for (int g = 0; g < n / gs; ++g) scales[g] = quantize_group(q + g * gs, x + g * gs, gs);
}

// One output of a Q8_0 matmul: int8 products summed exactly in int32 per group, then
// val += (float)isum * w_scale * x_scale, groups in order (llama2.c runq.c order).
// GS > 0 fixes the group size at compile time so the exact int32 sums vectorize; the result
// is the same for any GS because integer sums are exact in any order.
template <int GS = 0>
inline float dot_q8(const int8_t* wq, const float* ws, const int8_t* xq, const float* xs, int n, int gs) {
  const int group = GS > 0 ? GS : gs;
  float val = 0.0f;
  for (int g = 0; g < n / group; ++g) {
    int32_t isum = 0;
    for (int j = 0; j < group; ++j) isum += int32_t(wq[g * group + j]) * int32_t(xq[g * group + j]);
    val += (static_cast<float>(isum) * ws[g]) * xs[g];
  }
  return val;
}

// dot_q8 dispatched to a compile-time group size for the common sizes.
inline float dot_q8_any(const int8_t* wq, const float* ws, const int8_t* xq, const float* xs, int n, int gs) {
  switch (gs) {
    case 32: return dot_q8<32>(wq, ws, xq, xs, n, gs);
    case 64: return dot_q8<64>(wq, ws, xq, xs, n, gs);
    case 128: return dot_q8<128>(wq, ws, xq, xs, n, gs);
    default: return dot_q8<0>(wq, ws, xq, xs, n, gs);
  }
}

// Rotary embedding of one (even, odd) pair with host-precomputed cos/sin (llama2.c order).
inline void rope_pair(float* v, float fcr, float fci) {
  const float v0 = v[0];
  const float v1 = v[1];
  v[0] = v0 * fcr - v1 * fci;
  v[1] = v0 * fci + v1 * fcr;
}

// In-place softmax: subtract the max, exponentiate, multiply by the reciprocal of the sum.
inline void softmax(float* x, int n) {
  float max_val = x[0];
  for (int i = 1; i < n; ++i)
    if (x[i] > max_val) max_val = x[i];
  for (int i = 0; i < n; ++i) x[i] = fp::exp(x[i] - max_val);
  const float inv_sum = fp::reciprocal(sum(x, n));
  for (int i = 0; i < n; ++i) x[i] = x[i] * inv_sum;
}

// SwiGLU: silu(h1) * h3 with silu(v) = v * 1/(1 + e^-v).
inline float swiglu(float h1, float h3) { return (h1 * fp::reciprocal(1.0f + fp::exp(-h1))) * h3; }

// Q8_0 dequantization of one element.
inline float dequant(int8_t q, float scale) { return static_cast<float>(q) * scale; }

}  // namespace vp::arith
