#pragma once
// The device memory of a configuration and where the kernel's ports sit on it: the board's
// channels (board.hbm_channels, board.ddr_channels with the [hbm]/[ddr] timings), the interconnect,
// and each m_axi port placed on its channel (kernel.weights_*, kv_*, out_*), in the order and with
// the names the kernels bind them (hls/kernel_phase.h port numbering).
#include "models/memory/memory_system.h"
#include "platform/sim_config.h"

namespace vp {

MemorySystemConfig memory_system_config(const SimConfig& config);

}  // namespace vp
