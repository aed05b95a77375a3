#pragma once
// Assembles the SoC for one configuration: HBM2 pseudo-channels and DDR4 channels behind one
// AXI interconnect (the HBM switch / DDR crossbar), the kernel with its control registers and
// m_axi ports, the PCIe DMA, and the interrupt line to the host. Address map: HBM channel i at
// i * capacity from 0; DDR channel j at kDdrBase + j * capacity.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "models/axi_interconnect.h"
#include "models/dram_channel.h"
#include "models/fast_kernel.h"
#include "models/host_device_driver.h"
#include "models/kernel_control_regs.h"
#include "models/pcie_dma.h"
#include "platform/sim_config.h"

namespace vp {

constexpr uint64_t kDdrBase = 0x10'0000'0000ull;  // 64 GiB: above any HBM configuration

struct MemoryChannelInfo {
  std::string name;  // "HBM[3]", "DDR[0]"
  MemoryBank bank;
  uint64_t base = 0;
  const DramConfig* config = nullptr;
  DramChannel* model = nullptr;
};

class Soc : public sc_core::sc_module {
 public:
  Soc(sc_core::sc_module_name name, const SimConfig& config);

  HostDeviceDriver& driver() { return *driver_; }
  FastKernel& kernel() { return *kernel_; }
  PcieDma& pcie() { return *pcie_; }
  AxiInterconnect& interconnect() { return *interconnect_; }
  const std::vector<MemoryChannelInfo>& channels() const { return channel_info_; }
  // First failure inside the kernel (empty if none); the simulation stops when it is set.
  const std::string& kernel_error() const { return kernel_error_; }

 private:
  const SimConfig& config_;
  std::vector<std::unique_ptr<DramChannel>> drams_;
  std::vector<MemoryChannelInfo> channel_info_;
  std::unique_ptr<AxiInterconnect> interconnect_;
  std::unique_ptr<KernelControlRegs> control_;
  std::unique_ptr<FastKernel> kernel_;
  std::unique_ptr<PcieDma> pcie_;
  sc_core::sc_signal<bool> interrupt_;
  std::unique_ptr<HostDeviceDriver> driver_;
  std::string kernel_error_;
};

}  // namespace vp
