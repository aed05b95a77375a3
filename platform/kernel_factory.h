#pragma once
// The kernel model run.mode names, made for the SoC (platform/soc.h) as a KernelModel
// (models/kernel/kernel_model.h): fast (models/kernel/fast_kernel.h) or rtl (the Verilated
// rtl/llama_kernel.sv, platform/rtl_kernel_assembly.h). Another model is one more line in its table.
#include <memory>

#include "models/kernel/kernel_model.h"
#include "models/memory/memory_system.h"
#include "platform/sim_config.h"

namespace vp {

// Made in the module being elaborated, named "kernel"; `memory` for what a model observes of it (the
// rtl kernel's VCD probes of its channels). Throws what the model's checks throw.
std::unique_ptr<KernelModel> make_kernel(const SimConfig& config, MemorySystem& memory);

}  // namespace vp
