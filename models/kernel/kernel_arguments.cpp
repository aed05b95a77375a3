#include "models/kernel/kernel_arguments.h"

#include <stdexcept>

#include "hls/device_layout.h"

namespace vp {

std::vector<KernelArgumentRegister> llama_kernel_argument_registers(uint32_t weight_ports, uint32_t kv_ports) {
  if (weight_ports > kMaxWeightPorts)  // KernelArgs::weights holds no more
    throw std::invalid_argument("kernel argument registers: " + std::to_string(weight_ports) +
                                " weight ports, at most " + std::to_string(kMaxWeightPorts));
  if (kv_ports == 0 || kv_ports > kMaxKvPorts)  // nor KernelArgs::key_cache
    throw std::invalid_argument("kernel argument registers: " + std::to_string(kv_ports) + " KV ports, expected 1.." +
                                std::to_string(kMaxKvPorts));
  // Port 0's caches keep the one-port names (the registers of a one-port kernel are unchanged).
  const auto cache_name = [kv_ports](const char* name, uint32_t p) {
    return kv_ports == 1 ? std::string(name) : std::string(name) + std::to_string(p);
  };
  std::vector<KernelArgumentRegister> r = {
      {"token", kernel_args::kToken, 32, [](KernelArgs& a, uint64_t v) { a.token = uint32_t(v); }},
      {"pos", kernel_args::kPos, 32, [](KernelArgs& a, uint64_t v) { a.pos = uint32_t(v); }},
      {cache_name("key_cache", 0), kernel_args::kKeyCache, 64, [](KernelArgs& a, uint64_t v) { a.key_cache[0] = v; }},
      {cache_name("value_cache", 0), kernel_args::kValueCache, 64,
       [](KernelArgs& a, uint64_t v) { a.value_cache[0] = v; }},
      {"logits", kernel_args::kLogits, 64, [](KernelArgs& a, uint64_t v) { a.logits = v; }},
  };
  for (uint32_t p = 0; p < weight_ports; ++p)
    r.push_back({"weights" + std::to_string(p), kernel_args::weights(p), 64,
                 [p](KernelArgs& a, uint64_t v) { a.weights[p] = v; }});
  for (uint32_t p = 1; p < kv_ports; ++p) {
    r.push_back({cache_name("key_cache", p), kernel_args::key_cache(p, weight_ports), 64,
                 [p](KernelArgs& a, uint64_t v) { a.key_cache[p] = v; }});
    r.push_back({cache_name("value_cache", p), kernel_args::value_cache(p, weight_ports), 64,
                 [p](KernelArgs& a, uint64_t v) { a.value_cache[p] = v; }});
  }
  return r;
}

KernelArgs kernel_args_from(const std::vector<KernelArgumentRegister>& registers,
                            const std::function<uint64_t(const KernelArgumentRegister&)>& value) {
  KernelArgs a;
  for (const KernelArgumentRegister& r : registers) r.store(a, value(r));
  return a;
}

}  // namespace vp
