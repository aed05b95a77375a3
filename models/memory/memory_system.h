#pragma once
// The device memory of one configuration: HBM2 pseudo-channels and DDR4 channels behind one AXI
// interconnect (the HBM switch / DDR crossbar). Address map: HBM channel i at i * capacity from 0;
// DDR channel j at kDdrBase + j * capacity. The Soc puts the kernel and the PCIe DMA in front of
// it; a trace replay (traces/) drives it alone. Where the kernel's ports sit is the platform's
// choice (platform/memory_placement.h), handed in as MemorySystemConfig::kernel_ports.
//
// Not a module of its own: its interconnect and channels are created in the caller's module
// context, so inside the Soc they keep the names soc.interconnect, soc.hbm0, ...
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/axi/axi_interconnect.h"
#include "models/dram/dram_channel.h"
#include "models/dram/dram_stats.h"
#include "models/dram/dram_config.h"
#include "models/host/host_device_driver.h"
#include "sw/device_driver.h"

namespace vp {

constexpr uint64_t kDdrBase = 0x10'0000'0000ull;  // 64 GiB: above any HBM configuration

struct MemoryChannelInfo {
  std::string name;  // "HBM[3]", "DDR[0]"
  MemoryBank bank;
  uint64_t base = 0;
  const DramConfig* config = nullptr;
  DramChannel* model = nullptr;
};

// A kernel master port and the channel it is placed on.
struct KernelPortPlacement {
  std::string name;  // "m_axi_w0", "m_axi_kv", "m_axi_out", ...
  MemoryBank bank;
};

struct MemorySystemConfig {
  uint32_t hbm_channels = 0;
  uint32_t ddr_channels = 0;
  DramConfig hbm;
  DramConfig ddr;
  InterconnectConfig interconnect;
  std::vector<KernelPortPlacement> kernel_ports;  // in the order the kernel binds them
};

// One master port of the interconnect, in binding order.
struct InterconnectMasterInfo {
  std::string name;           // "m_axi_w0", ..., "m_axi_kv", "m_axi_out", "pcie"
  unsigned home_channel = 0;  // index into MemorySystem::channels()
};

class MemorySystem {
 public:
  // Connects interconnect channel socket number `index` to `dram` (called in channel order).
  // The default binds them directly; a replay may put a stage in between.
  using ChannelLink = std::function<void(AxiInterconnect& interconnect, DramChannel& dram, unsigned index)>;

  explicit MemorySystem(const MemorySystemConfig& config, const ChannelLink& link = {});

  AxiInterconnect& interconnect() { return *interconnect_; }
  const std::vector<MemoryChannelInfo>& channels() const { return channels_; }
  // Index of `bank` in channels(); throws naming the bank when the board has no such channel.
  unsigned channel_index(const MemoryBank& bank) const;
  std::vector<BankRange> bank_ranges() const;
  std::vector<DramStats> stats() const;

  // The interconnect's masters as the Soc binds them: the kernel's m_axi ports (each at home on
  // the channel it is placed on), then the PCIe DMA (home: channel 0).
  std::vector<InterconnectMasterInfo> masters() const;
  // Tells the interconnect each master's home channel (masters() order = master index).
  void set_master_homes();

 private:
  const MemorySystemConfig config_;  // channel infos point into it
  std::unique_ptr<AxiInterconnect> interconnect_;
  std::vector<std::unique_ptr<DramChannel>> drams_;
  std::vector<MemoryChannelInfo> channels_;
};

}  // namespace vp
