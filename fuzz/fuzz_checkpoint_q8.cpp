// libFuzzer harness: ak42 Q8_0 checkpoints (sw/checkpoint_reader.h).
// The entry point, and what counts as a finding, are in fuzz/fuzz_targets.h (this part: fuzz/file_reader_targets.h).
#include "fuzz/file_reader_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  vp::fuzz::checkpoint_q8(data, size);
  return 0;
}
