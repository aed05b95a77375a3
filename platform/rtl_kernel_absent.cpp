// A build without the RTL kernel (CMake option VP_RTL=OFF: no Verilator, no Verilated model):
// run.mode = rtl is refused; platform/rtl_kernel_assembly.cpp is the VP_RTL=ON counterpart.
#include <stdexcept>

#include "platform/rtl_kernel_assembly.h"
#include "platform/soc.h"

namespace vp {

bool rtl_kernel_built() { return false; }

void Soc::build_rtl_kernel(const SimConfig&) { throw std::runtime_error(kNoRtlKernelMessage); }

VerilatedKernel& Soc::rtl_kernel() { throw std::logic_error(std::string("Soc::rtl_kernel(): ") + kNoRtlKernelMessage); }

RtlKernelMonitor& Soc::rtl_monitor() {
  throw std::logic_error(std::string("Soc::rtl_monitor(): ") + kNoRtlKernelMessage);
}

}  // namespace vp
