#pragma once
// Deterministic random checkpoints of any shape, for benchmarks and tests when no trained model is at hand.
// Same shape and seed give the same bits on every platform: an own splitmix64 generator, one independent stream
// per tensor (and layer), uniform values built from integer bits with fp32 arithmetic only.
//
// Magnitudes: every matrix uniform with std 0.5 / sqrt(fan_in) (0.018 for dim 768, close to the usual 0.02), so a
// matrix applied to an rms-normalized vector gives entries of std ~0.5 whatever the width; the embedding likewise
// with fan_in = dim; rms weights uniform in [0.9, 1.1]. Activations then stay of order 1 through many layers.
#include <cstdint>

#include "sw/checkpoint.h"

namespace vp {

Fp32Checkpoint random_fp32_checkpoint(const ModelShape& shape, uint64_t seed);

// Equals quantize_checkpoint(random_fp32_checkpoint(shape, seed), gs) bit for bit, but generates and quantizes a
// block of rows at a time, so the fp32 model is never held in memory. Throws std::runtime_error when gs does not
// divide dim and hidden_dim.
Q8Checkpoint random_q8_checkpoint(const ModelShape& shape, int gs, uint64_t seed);

}  // namespace vp
