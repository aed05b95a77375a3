// libFuzzer harness: AXI trace files, binary and text (traces/axi_trace_file.h).
// The entry point, and what counts as a finding, are in fuzz/fuzz_targets.h (this part: fuzz/file_reader_targets.h).
#include "fuzz/file_reader_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  vp::fuzz::axi_trace(data, size);
  return 0;
}
