// libFuzzer harness: INI config files and command-line overrides (platform/sim_config.h).
// The entry point, and what counts as a finding, are in fuzz/fuzz_targets.h (this part: fuzz/sim_config_target.h).
#include "fuzz/sim_config_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  vp::fuzz::sim_config(data, size);
  return 0;
}
