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
  const uint32_t weight_ports = config.kernel.weight_ports;
  const std::vector<MemoryBank> weight_banks = config.weight_banks();
  for (uint32_t p = 0; p < port_count(weight_ports); ++p) {
    const bool weights = p < weight_ports;
    const bool kv = p == kv_port(weight_ports);
    const std::string name = weights ? "m_axi_w" + std::to_string(p) : kv ? "m_axi_kv" : "m_axi_out";
    const MemoryBank bank = weights ? weight_banks[p] : kv ? config.kv_bank() : config.out_bank();
    memory.kernel_ports.push_back({name, bank});
  }
  return memory;
}

}  // namespace vp
