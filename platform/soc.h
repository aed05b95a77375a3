#pragma once
// Assembles the SoC for one configuration: the device memory (models/memory/memory_system.h: HBM2
// pseudo-channels and DDR4 channels behind one AXI interconnect), the kernel with its control
// registers and m_axi ports, the PCIe DMA, and the interrupt line to the host.
// The kernel is the fast one (models/kernel/fast_kernel.h) or, with run.mode = rtl, the Verilated
// rtl/llama_kernel.sv (models/verilated/verilated_kernel.h) watched by an RtlKernelMonitor on its MMIO path,
// assembled in platform/rtl_kernel_assembly.cpp: this header and soc.cpp need no Verilator, and a build
// without the RTL kernel (CMake option VP_RTL=OFF) refuses run.mode = rtl.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "models/axi/axi_interconnect.h"
#include "models/dram/dram_channel.h"
#include "models/kernel/fast_kernel.h"
#include "models/host/host_device_driver.h"
#include "models/kernel/kernel_control_regs.h"
#include "models/host/pcie_dma.h"
#include "models/memory/memory_system.h"
#include "platform/rtl_kernel_assembly.h"
#include "platform/sim_config.h"

namespace vp {

class RtlKernelMonitor;  // models/verilated/rtl_kernel_monitor.h
class VerilatedKernel;   // models/verilated/verilated_kernel.h

class Soc : public sc_core::sc_module {
 public:
  Soc(sc_core::sc_module_name name, const SimConfig& config);
  ~Soc() override;

  HostDeviceDriver& driver() { return *driver_; }
  // The fast kernel; throws std::logic_error in rtl mode (see rtl_kernel()).
  FastKernel& kernel();
  bool rtl_mode() const { return rtl_ != nullptr; }
  // rtl mode only (std::logic_error otherwise): the Verilated kernel and its call monitor
  // (defined in platform/rtl_kernel_assembly.cpp).
  VerilatedKernel& rtl_kernel();
  RtlKernelMonitor& rtl_monitor();
  // Either mode: the kernel's calls so far, and the data beats moved on its m_axi ports.
  const std::vector<KernelCallRecord>& kernel_calls() const;
  uint64_t kernel_axi_beats() const;
  PcieDma& pcie() { return *pcie_; }
  AxiInterconnect& interconnect() { return memory_->interconnect(); }
  MemorySystem& memory() { return *memory_; }
  const std::vector<MemoryChannelInfo>& channels() const { return memory_->channels(); }
  // First failure inside the kernel (empty if none); the simulation stops when it is set.
  const std::string& kernel_error() const { return kernel_error_; }

 private:
  const SimConfig& config_;
  std::unique_ptr<MemorySystem> memory_;
  std::unique_ptr<KernelControlRegs> control_;
  std::unique_ptr<FastKernel> kernel_;
  std::unique_ptr<RtlKernelAssembly> rtl_;
  std::unique_ptr<PcieDma> pcie_;
  sc_core::sc_signal<bool> interrupt_;
  std::unique_ptr<HostDeviceDriver> driver_;
  std::string kernel_error_;

  // run.mode = rtl (platform/rtl_kernel_assembly.cpp; throws in a build without the RTL kernel).
  void build_rtl_kernel(const SimConfig& config);
};

}  // namespace vp
