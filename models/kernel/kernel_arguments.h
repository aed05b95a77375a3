#pragma once
// The Llama kernel's argument registers in its s_axi_control block, declared once: name, offset
// (hls/device_layout.h kernel_args), width, and the KernelArgs field each one fills. The fast
// kernel's register block is built from this list (models/kernel/fast_kernel.h), and the RTL
// kernel's call monitor decodes the host's writes with it (models/verilated/rtl_kernel_monitor.h).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "hls/llama_kernel.h"

namespace vp {

struct KernelArgumentRegister {
  std::string name;  // "token", "pos", "key_cache", "value_cache" (key_cache<p>, ... with several KV ports), "logits", "weights<p>"
  uint32_t offset = 0;      // 64-bit registers: lo word here, hi word at offset + 4
  unsigned width_bits = 32;  // 32 or 64
  std::function<void(KernelArgs&, uint64_t)> store;  // puts the register's value into its field
};

// token, pos, key_cache, value_cache, logits, weights0..weights{weight_ports - 1}, then KV ports
// 1..kv_ports-1's key and value caches.
std::vector<KernelArgumentRegister> llama_kernel_argument_registers(uint32_t weight_ports, uint32_t kv_ports);

// The call's arguments from the registers' values (`value` of each register, 64-bit ones whole).
KernelArgs kernel_args_from(const std::vector<KernelArgumentRegister>& registers,
                            const std::function<uint64_t(const KernelArgumentRegister&)>& value);

}  // namespace vp
