#pragma once
// Readers of the two llama2.c checkpoint formats.
//
// Legacy fp32 (run.c): 7 int32 header (dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len;
// a negative vocab_size means an unshared classifier), then fp32 token_embedding, rms_att, wq, wk, wv, wo,
// rms_ffn, w1, w2, w3, rms_final, the unused freq_cis_real and freq_cis_imag (seq_len * head_size / 2 each),
// and wcls when unshared.
//
// Version 2 Q8_0 (export.py / runq.c): 256-byte header of uint32 magic 0x616b3432 ("ak42"), int32 version 2,
// the 7 int32 dims, uint8 shared_classifier, int32 group_size, zero padding; then fp32 rms_att, rms_ffn,
// rms_final; then each quantized matrix as its int8 codes followed by its fp32 group scales: token embedding,
// wq x n_layers, wk, wv, wo, w1, w2, w3 (n_layers each), wcls when unshared.
//
// All values little-endian. Every error is a std::runtime_error whose message names the path: missing file,
// truncated file (expected vs actual size), trailing bytes, wrong magic, unsupported version, inconsistent
// dims, group size that does not divide dim and hidden_dim.
#include <cstdint>
#include <string>

#include "sw/checkpoint.h"

namespace vp {

constexpr uint32_t kQ8CheckpointMagic = 0x616b3432;  // "ak42"
constexpr int kQ8CheckpointVersion = 2;
constexpr int kQ8CheckpointHeaderBytes = 256;
constexpr int kFp32CheckpointHeaderBytes = 7 * 4;

Fp32Checkpoint read_fp32_checkpoint(const std::string& path);
Q8Checkpoint read_q8_checkpoint(const std::string& path);

// Reads either format, recognised by the Q8 magic. A legacy fp32 file is quantized on load with
// choose_group_size(shape, max_group_size); a Q8 file keeps its own group size, which must not exceed
// max_group_size (the kernel sizes its buffers for it).
Q8Checkpoint load_checkpoint_as_q8(const std::string& path, int max_group_size);

}  // namespace vp
