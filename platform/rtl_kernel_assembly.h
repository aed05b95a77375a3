#pragma once
// run.mode = rtl's kernel for the factory (platform/kernel_factory.h): the Verilated rtl/llama_kernel.sv
// (models/verilated/llama_rtl_kernel.h) made from the configuration. The Verilated code stays behind this
// Verilator-free declaration, in platform/rtl_kernel_assembly.cpp, which only a build with the RTL kernel
// compiles (CMake option VP_RTL, default ON); a build configured with -DVP_RTL=OFF compiles
// platform/rtl_kernel_absent.cpp instead, and refuses run.mode = rtl with kNoRtlKernelMessage.
#include <memory>

#include "models/kernel/kernel_model.h"
#include "models/memory/memory_system.h"
#include "platform/sim_config.h"

namespace vp {

// The Verilated Llama kernel with VCD probes of the memory channels its ports are placed on; throws
// std::runtime_error with kNoRtlKernelMessage in a build without it.
std::unique_ptr<KernelModel> make_rtl_kernel(const SimConfig& config, MemorySystem& memory);

// Whether this build has the Verilated Llama kernel (VP_RTL=ON).
bool rtl_kernel_built();

// What run.mode = rtl gets from a build without it: vpsim exits with this message and status before
// loading the model (also under --check), and run_sim.sh then reconfigures its build with the RTL kernel.
inline constexpr const char* kNoRtlKernelMessage =
    "run.mode = rtl: this build has no RTL kernel (configured with -DVP_RTL=OFF; ./run_sim.sh adds it to "
    "its build when a run asks for it)";
inline constexpr int kNoRtlKernelStatus = 3;

}  // namespace vp
