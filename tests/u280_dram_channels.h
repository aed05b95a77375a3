#pragma once
// The DRAM channels of the board preset platform/u280.cfg, sections [hbm] and [ddr] (compiled in, see
// platform/sim_config.h default_dram_config): the one place their values live.
#include "models/dram/dram_config.h"
#include "platform/sim_config.h"

namespace vp::test {

// One HBM2 pseudo-channel of the Alveo U280 (900 MHz, 64 bit, 256 MiB, 14.4 GB/s).
inline DramConfig u280_hbm_channel() { return default_dram_config(MemoryKind::kHbm); }
// One DDR4-2400 x64 channel, single rank of 8 Gb x8 devices (8 GiB, 19.2 GB/s).
inline DramConfig u280_ddr_channel() { return default_dram_config(MemoryKind::kDdr); }

}  // namespace vp::test
