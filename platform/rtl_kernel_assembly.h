#pragma once
// run.mode = rtl as the SoC (platform/soc.h) holds it: the Verilated rtl/llama_kernel.sv on the
// interconnect with its call monitor on the MMIO path. The Verilated code stays behind this
// Verilator-free interface, in platform/rtl_kernel_assembly.cpp, which only a build with the RTL
// kernel compiles (CMake option VP_RTL, default ON); a build configured with -DVP_RTL=OFF compiles
// platform/rtl_kernel_absent.cpp instead, and refuses run.mode = rtl with kNoRtlKernelMessage.
#include <cstdint>
#include <vector>

#include "models/kernel/fast_kernel.h"

namespace vp {

class RtlKernelMonitor;  // models/verilated/rtl_kernel_monitor.h
class VerilatedKernel;   // models/verilated/verilated_kernel.h

class RtlKernelAssembly {
 public:
  virtual ~RtlKernelAssembly() = default;
  virtual VerilatedKernel& kernel() = 0;
  virtual RtlKernelMonitor& monitor() = 0;
  // The calls the monitor recorded, and the data beats moved on the kernel's m_axi ports.
  virtual const std::vector<KernelCallRecord>& calls() const = 0;
  virtual uint64_t axi_beats() const = 0;
};

// Whether this build has the Verilated Llama kernel (VP_RTL=ON).
bool rtl_kernel_built();

// What run.mode = rtl gets from a build without it (vpsim exits with it before loading the model).
inline constexpr const char* kNoRtlKernelMessage =
    "run.mode = rtl: this build has no RTL kernel (configured with -DVP_RTL=OFF)";

}  // namespace vp
