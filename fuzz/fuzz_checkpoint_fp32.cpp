// libFuzzer harness: legacy fp32 llama2.c checkpoints (sw/checkpoint_reader.h).
// The entry point, and what counts as a finding, are in fuzz/fuzz_targets.h (this part: fuzz/file_reader_targets.h).
#include "fuzz/file_reader_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  vp::fuzz::checkpoint_fp32(data, size);
  return 0;
}
