#include "platform/memory_placement.h"

#include <string>
#include <vector>

#include "hls/kernel_phase.h"

namespace vp {

MemorySystemConfig memory_system_config(const SimConfig& config) {
  MemorySystemConfig memory;
  memory.hbm_channels = config.board.hbm_channels;
  memory.ddr_channels = config.board.ddr_channels;
  memory.hbm = config.hbm;
  memory.ddr = config.ddr;
  memory.interconnect = config.interconnect;
  const std::vector<MemoryBank> banks = config.kernel_port_banks();
  for (uint32_t p = 0; p < banks.size(); ++p)
    memory.kernel_ports.push_back({kernel_port_name(p, config.kernel.weight_ports, config.kernel.kv_ports), banks[p]});
  return memory;
}

}  // namespace vp
