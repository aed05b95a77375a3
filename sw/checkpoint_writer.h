#pragma once
// Writers of the two llama2.c checkpoint formats, the exact inverses of the readers (see checkpoint_reader.h
// for the layouts). Each writes a temporary beside `path` and renames it over `path` (sw/output_file.h),
// so a crash never leaves a half file.
// Throw std::runtime_error naming the path when the checkpoint is inconsistent or the file cannot be written.
#include <string>

#include "sw/checkpoint.h"

namespace vp {

// The unused freq_cis_real/imag block is filled with rope_table()'s cos and sin, as llama2.c's legacy export did.
void write_fp32_checkpoint(const std::string& path, const Fp32Checkpoint& checkpoint);

void write_q8_checkpoint(const std::string& path, const Q8Checkpoint& checkpoint);

}  // namespace vp
