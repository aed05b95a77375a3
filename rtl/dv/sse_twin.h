#pragma once
// The C++ twin of the fp32 add, subtract, multiply and divide units: the float operators of x86-64
// SSE, bit for bit, NaNs included. For a NaN result the compiler may commute `a + b` or `a * b`,
// so there the reference is the SSE instruction itself with a as the destination operand (whose
// NaN x86 propagates, quieted).
#include <cstdint>

#include "hls/fp32_math.h"

namespace vp::rtl_dv {

enum class SseOp { kAdd, kSub, kMul, kDiv };

inline uint32_t sse_twin(SseOp op, uint32_t a_bits, uint32_t b_bits) {
  const float a = fp::float_of(a_bits);
  const float b = fp::float_of(b_bits);
  const float r = op == SseOp::kAdd ? a + b : op == SseOp::kSub ? a - b : op == SseOp::kMul ? a * b : a / b;
  if (!fp::is_nan(r)) return fp::bits_of(r);
  float x = a;
#if defined(__x86_64__)
  switch (op) {
    case SseOp::kAdd: __asm__("addss %1, %0" : "+x"(x) : "x"(b)); break;
    case SseOp::kSub: __asm__("subss %1, %0" : "+x"(x) : "x"(b)); break;
    case SseOp::kMul: __asm__("mulss %1, %0" : "+x"(x) : "x"(b)); break;
    case SseOp::kDiv: __asm__("divss %1, %0" : "+x"(x) : "x"(b)); break;
  }
#else
  x = r;
#endif
  return fp::bits_of(x);
}

}  // namespace vp::rtl_dv
