#include "platform/kernel_factory.h"

#include <stdexcept>
#include <string>
#include <utility>

#include "models/kernel/fast_kernel.h"
#include "platform/rtl_kernel_assembly.h"

namespace vp {
namespace {

std::unique_ptr<KernelModel> make_fast_kernel(const SimConfig& config, MemorySystem&) {
  FastKernelConfig kernel_config = config.kernel;
  kernel_config.functional = config.run.functional;
  return std::make_unique<FastKernel>("kernel", kernel_config, config.control);
}

using KernelMaker = std::unique_ptr<KernelModel> (*)(const SimConfig&, MemorySystem&);

// run.mode -> its kernel model, one line each.
const std::pair<const char*, KernelMaker> kKernelModels[] = {
    {"fast", make_fast_kernel},
    {"rtl", make_rtl_kernel},  // platform/rtl_kernel_assembly.cpp (VP_RTL=OFF: rtl_kernel_absent.cpp refuses it)
};

}  // namespace

std::unique_ptr<KernelModel> make_kernel(const SimConfig& config, MemorySystem& memory) {
  for (const auto& [mode, make] : kKernelModels)
    if (config.run.mode == mode) return make(config, memory);
  throw std::invalid_argument("config key run.mode = " + config.run.mode + ": no such kernel model");
}

}  // namespace vp
