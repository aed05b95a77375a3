#pragma once
// What the Verilated Llama kernel (rtl/llama_kernel.sv) can hold, and the checks the platform
// makes before it starts the RTL: the RTL has fixed on-chip buffers and weight ports, and
// would silently compute garbage or hang on a model that does not fit, where the fast kernel
// would simply allocate more. LlamaRtlParams mirrors the RTL's parameters (defaults: those the
// simulator's Verilated model is built with, rtl/CMakeLists.txt).
#include <cstdint>

#include "hls/device_layout.h"
#include "hls/llama_kernel.h"
#include "models/kernel/fast_kernel.h"

namespace vp {

struct LlamaRtlParams {
  uint32_t weight_ports = 1;             // WEIGHT_PORTS: weight ports and matmul engines
  uint32_t kv_ports = 1;                 // KV_PORTS: KV-cache ports and attention lanes
  uint32_t mac_lanes = 64;               // MAC_LANES: int8 MACs per cycle per engine
  uint32_t spm_words = 32768;            // SPM_WORDS: fp32 scratchpad words
  uint32_t max_cols = 4096;              // MAX_COLS: longest matmul row
  uint32_t max_row_groups = 128;         // MAX_ROW_GROUPS: groups of the longest row
  uint32_t accumulators = 8;             // ACCUMULATORS: rows accumulated concurrently
  uint32_t prefetch_beats = 512;         // PREFETCH_BEATS: each weight port's beat FIFO (llama_weight_prefetch)
  uint32_t fp_lanes = 16;                // FP_LANES: quantization lanes (rtl/llama_quantize.sv)
  uint32_t max_outstanding_reads = 16;   // MAX_OUTSTANDING_READS
  uint32_t max_outstanding_writes = 16;  // MAX_OUTSTANDING_WRITES
  uint32_t axi_data_bits = 512;          // m_axi data width (fixed in the RTL)
};

// The Verilated variant vpsim has for a configuration's kernel.weight_ports and kernel.kv_ports
// (rtl/CMakeLists.txt): Vllama_kernel (1 weight port, 1 KV port, outstanding 16: platform/u280.cfg)
// and Vllama_kernel_p16 (16 weight ports, 8 KV ports, outstanding 32:
// platform/kernels/hbm_streaming.cfg). The RTL takes any WEIGHT_PORTS of 1..32 and KV_PORTS of 1, 2,
// 4, 8, 16; another pair needs its variant built. Throws std::runtime_error naming the key otherwise.
LlamaRtlParams rtl_variant_for(const FastKernelConfig& config);

// fp32 scratchpad words one call needs: regions x, xb, xb2, q, rms, k, v, hb, hb2, rope,
// embedding row, attention scores, logits block (rtl/llama_kernel.sv's memory map).
uint64_t rtl_scratchpad_words(const KernelDescriptor& d);

// The kernel configuration keys the RTL fixes (kernel.weight_ports, kernel.kv_ports, kernel.axi_data_bits,
// kernel.mac_lanes, kernel.accumulators, kernel.fp_lanes, kernel.vector_unit, the fp unit latencies,
// kernel.max_outstanding, kernel.prefetch_beats), so that
// the same config means the same microarchitecture in both modes; throws std::runtime_error
// naming the key and the RTL's value.
void check_rtl_kernel_config(const FastKernelConfig& config, const LlamaRtlParams& params);

// The descriptor and arguments of one call against the RTL's capacities: weight_ports == WEIGHT_PORTS,
// kv_ports == KV_PORTS,
// group_size a power of two >= 4, max(dim, hidden) <= MAX_COLS and / group_size <= MAX_ROW_GROUPS,
// head size even, scratchpad words <= SPM_WORDS, weights/every key_cache and value_cache/logits 64-byte
// aligned (plus the kernel's own descriptor and argument checks). Throws std::runtime_error
// naming the quantity and the limit.
void check_rtl_kernel_supports(const KernelDescriptor& d, const LlamaRtlParams& params, const KernelArgs& args);

class VerilatedKernel;

// The check before each start of the Verilated kernel (RtlKernelMonitor's StartCheck): the
// descriptor read through weight port 0 (debug transport, zero time), then it and the arguments
// held against what the RTL can hold (check_rtl_kernel_supports). Returns the descriptor; throws
// std::runtime_error naming the address or the quantity that does not fit.
KernelDescriptor check_rtl_kernel_start(VerilatedKernel& kernel, const LlamaRtlParams& params,
                                        const KernelArgs& args);

}  // namespace vp
