#include "models/kernel/kernel_arguments.h"

#include <stdexcept>

#include "hls/device_layout.h"

namespace vp {

std::vector<KernelArgumentRegister> llama_kernel_argument_registers(uint32_t weight_ports) {
  if (weight_ports > kMaxWeightPorts)  // KernelArgs::weights holds no more
    throw std::invalid_argument("kernel argument registers: " + std::to_string(weight_ports) +
                                " weight ports, at most " + std::to_string(kMaxWeightPorts));
  std::vector<KernelArgumentRegister> r = {
      {"token", kernel_args::kToken, 32, [](KernelArgs& a, uint64_t v) { a.token = uint32_t(v); }},
      {"pos", kernel_args::kPos, 32, [](KernelArgs& a, uint64_t v) { a.pos = uint32_t(v); }},
      {"key_cache", kernel_args::kKeyCache, 64, [](KernelArgs& a, uint64_t v) { a.key_cache = v; }},
      {"value_cache", kernel_args::kValueCache, 64, [](KernelArgs& a, uint64_t v) { a.value_cache = v; }},
      {"logits", kernel_args::kLogits, 64, [](KernelArgs& a, uint64_t v) { a.logits = v; }},
  };
  for (uint32_t p = 0; p < weight_ports; ++p)
    r.push_back({"weights" + std::to_string(p), kernel_args::weights(p), 64,
                 [p](KernelArgs& a, uint64_t v) { a.weights[p] = v; }});
  return r;
}

KernelArgs kernel_args_from(const std::vector<KernelArgumentRegister>& registers,
                            const std::function<uint64_t(const KernelArgumentRegister&)>& value) {
  KernelArgs a;
  for (const KernelArgumentRegister& r : registers) r.store(a, value(r));
  return a;
}

}  // namespace vp
