// A build without the RTL kernel (CMake option VP_RTL=OFF: no Verilator, no Verilated model):
// run.mode = rtl is refused; platform/rtl_kernel_assembly.cpp is the VP_RTL=ON counterpart.
#include <stdexcept>

#include "platform/rtl_kernel_assembly.h"

namespace vp {

bool rtl_kernel_built() { return false; }

std::unique_ptr<KernelModel> make_rtl_kernel(const SimConfig&, MemorySystem&) {
  throw std::runtime_error(kNoRtlKernelMessage);
}

}  // namespace vp
