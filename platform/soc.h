#pragma once
// Assembles the SoC for one configuration: the device memory (models/memory/memory_system.h: HBM2
// pseudo-channels and DDR4 channels behind one AXI interconnect), the kernel that run.mode names
// (platform/kernel_factory.h: the fast one or the Verilated RTL, either as a KernelModel with its
// control registers, m_axi ports and interrupt), the PCIe DMA, and the host's driver. This header
// and soc.cpp need no Verilator; a build without the RTL kernel (CMake option VP_RTL=OFF) refuses
// run.mode = rtl.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "models/axi/axi_interconnect.h"
#include "models/dram/dram_channel.h"
#include "models/host/host_device_driver.h"
#include "models/host/pcie_dma.h"
#include "models/kernel/kernel_model.h"
#include "models/memory/memory_system.h"
#include "platform/sim_config.h"

namespace vp {

class Soc : public sc_core::sc_module {
 public:
  Soc(sc_core::sc_module_name name, const SimConfig& config);
  ~Soc() override;

  HostDeviceDriver& driver() { return *driver_; }
  // The kernel, whichever model; kernel_as<FastKernel>(soc.kernel()) where a test needs the model itself.
  KernelModel& kernel() { return *kernel_; }
  const KernelModel& kernel() const { return *kernel_; }
  // The kernel's calls so far, and the data beats moved on its m_axi ports.
  const std::vector<KernelCallRecord>& kernel_calls() const { return kernel_->calls(); }
  uint64_t kernel_axi_beats() const { return kernel_->axi_beats(); }
  PcieDma& pcie() { return *pcie_; }
  AxiInterconnect& interconnect() { return memory_->interconnect(); }
  MemorySystem& memory() { return *memory_; }
  const std::vector<MemoryChannelInfo>& channels() const { return memory_->channels(); }
  // First failure inside the kernel (empty if none); the simulation stops when it is set.
  const std::string& kernel_error() const { return kernel_error_; }

 private:
  const SimConfig& config_;
  std::unique_ptr<MemorySystem> memory_;
  std::unique_ptr<KernelModel> kernel_;
  std::unique_ptr<PcieDma> pcie_;
  sc_core::sc_signal<bool> interrupt_;
  std::unique_ptr<HostDeviceDriver> driver_;
  std::string kernel_error_;
};

}  // namespace vp
