#include "models/verilated/llama_rtl_limits.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

#include "hls/fp32_pipeline_latency.h"
#include "sw/hex_format.h"
#include "models/verilated/verilated_kernel.h"

namespace vp {
namespace {

void require(bool ok, const std::string& what) {
  if (!ok) throw std::runtime_error("RTL kernel (rtl/llama_kernel.sv) cannot run this model: " + what);
}

std::string str(uint64_t v) { return std::to_string(v); }

// rtl/llama_attention_unit.sv's MAX_KV_MUL as rtl/llama_kernel.sv instantiates it (its
// MAX_HEADS is the descriptor's limit, hls/llama_kernel.h kMaxHeads).
constexpr uint32_t kAttentionMaxKvMul = 8;

}  // namespace

uint64_t rtl_scratchpad_words(const KernelDescriptor& d) {
  const uint64_t head_size = d.dim / d.n_heads;
  const uint64_t kv_dim = head_size * d.n_kv_heads;
  return 5ull * d.dim + 2 * kv_dim + 2ull * d.hidden_dim + head_size + q8_row_stride(d.dim, d.group_size) / 4 +
         uint64_t(d.n_heads) * d.seq_len + 32;
}

LlamaRtlParams rtl_variant_for(const FastKernelConfig& c) {
  LlamaRtlParams p;  // Vllama_kernel
  if (c.weight_ports == 16) {  // Vllama_kernel_p16
    p.weight_ports = 16;
    p.kv_ports = 8;
    p.max_outstanding_reads = 32;
    p.max_outstanding_writes = 32;
  } else if (c.weight_ports != 1) {
    throw std::runtime_error("config key kernel.weight_ports = " + std::to_string(c.weight_ports) +
                             ": run.mode = rtl has Verilated variants for 1 and 16 weight ports (rtl/CMakeLists.txt; "
                             "rtl/llama_kernel.sv takes WEIGHT_PORTS 1..32, another count needs its variant built)");
  }
  if (c.kv_ports != p.kv_ports)
    throw std::runtime_error("config key kernel.kv_ports = " + std::to_string(c.kv_ports) +
                             ": run.mode = rtl has " + std::to_string(p.kv_ports) + " KV port" +
                             (p.kv_ports == 1 ? "" : "s") + " with kernel.weight_ports = " +
                             std::to_string(c.weight_ports) +
                             " (Verilated variants: 1 weight port with 1 KV port, 16 with 8; rtl/CMakeLists.txt; "
                             "rtl/llama_kernel.sv takes KV_PORTS 1, 2, 4, 8 or 16, another pair needs its variant built)");
  return p;
}

void check_rtl_kernel_config(const FastKernelConfig& c, const LlamaRtlParams& p) {
  auto refuse = [](const std::string& key, uint64_t value, const std::string& rtl) {
    throw std::runtime_error("config key " + key + " = " + std::to_string(value) + ": run.mode = rtl needs " + rtl +
                             " (rtl/llama_kernel.sv)");
  };
  if (c.weight_ports != p.weight_ports)
    refuse("kernel.weight_ports", c.weight_ports, str(p.weight_ports) + " (the Verilated model's WEIGHT_PORTS)");
  if (c.kv_ports != p.kv_ports)
    refuse("kernel.kv_ports", c.kv_ports, str(p.kv_ports) + " (the Verilated model's KV_PORTS)");
  if (c.axi_data_bits != p.axi_data_bits)
    refuse("kernel.axi_data_bits", c.axi_data_bits, str(p.axi_data_bits) + " (the RTL's m_axi data width)");
  if (c.microarch.mac_lanes != p.mac_lanes)
    refuse("kernel.mac_lanes", c.microarch.mac_lanes, str(p.mac_lanes) + " (the Verilated model's MAC_LANES)");
  if (c.microarch.accumulators != p.accumulators)
    refuse("kernel.accumulators", c.microarch.accumulators,
           str(p.accumulators) + " (the Verilated model's ACCUMULATORS)");
  if (c.microarch.fp_lanes != p.fp_lanes)
    refuse("kernel.fp_lanes", c.microarch.fp_lanes,
           str(p.fp_lanes) + " (the Verilated model's FP_LANES, the lanes of the vector unit's element loops and "
                             "quantizer; the RTL takes 1, 2, 4, 8, 16 or 32, another value needs its variant built)");
  if (c.microarch.vector_unit != VectorUnitKind::kSequential)
    throw std::runtime_error(std::string("config key kernel.vector_unit = ") + vector_unit_name(c.microarch.vector_unit) +
                             ": run.mode = rtl needs sequential (the RTL's vector unit, rtl/llama_vector_unit.sv)");
  const std::pair<const char*, std::pair<uint32_t, int>> unit_latencies[] = {
      {"kernel.exp_latency", {c.microarch.exp_latency, fp::kExpPipelineLatency}},
      {"kernel.recip_latency", {c.microarch.recip_latency, fp::kReciprocalPipelineLatency}},
      {"kernel.rsqrt_latency", {c.microarch.rsqrt_latency, fp::kRsqrtPipelineLatency}},
      {"kernel.div_latency", {c.microarch.div_latency, fp::kDivLatency}},
      {"kernel.round_latency", {c.microarch.round_latency, fp::kRoundExactLatency}}};
  for (const auto& [key, latency] : unit_latencies)
    if (latency.first != uint32_t(latency.second))
      refuse(key, latency.first, str(latency.second) + " (the RTL unit's fixed latency, hls/fp32_pipeline_latency.h)");
  if (c.max_outstanding != p.max_outstanding_reads)
    refuse("kernel.max_outstanding", c.max_outstanding,
           str(p.max_outstanding_reads) + " (the Verilated model's MAX_OUTSTANDING_READS)");
  // The weight streams' FIFO depth sets when each matmul's beats are read (the timing model charges it).
  if (c.microarch.prefetch_beats != p.prefetch_beats)
    refuse("kernel.prefetch_beats", c.microarch.prefetch_beats,
           str(p.prefetch_beats) + " (the Verilated model's PREFETCH_BEATS, each weight port's beat FIFO)");
}

void check_rtl_kernel_supports(const KernelDescriptor& d, const LlamaRtlParams& p, const KernelArgs& a) {
  validate_descriptor(d);  // consistency first: the quantities below assume it
  validate_args(d, a);
  require(d.weight_ports == p.weight_ports,
          "weight_ports = " + str(d.weight_ports) + ", the RTL has " + str(p.weight_ports) + " weight ports");
  require(d.kv_ports == p.kv_ports,
          "kv_ports = " + str(d.kv_ports) + " (kernel.kv_ports), the RTL has " + str(p.kv_ports) +
              " KV ports (KV_PORTS)");
  const uint32_t gs = d.group_size;
  require(gs >= 4 && (gs & (gs - 1)) == 0, "group_size = " + str(gs) + " is not a power of two >= 4");
  const uint32_t widest = std::max(d.dim, d.hidden_dim);
  require(widest <= p.max_cols,
          "max(dim, hidden_dim) = " + str(widest) + " exceeds MAX_COLS = " + str(p.max_cols));
  require(widest / gs <= p.max_row_groups, "max(dim, hidden_dim) / group_size = " + str(widest / gs) +
                                               " exceeds MAX_ROW_GROUPS = " + str(p.max_row_groups));
  require(d.dim % d.n_heads == 0, "dim = " + str(d.dim) + " is not a multiple of n_heads = " + str(d.n_heads));
  const uint32_t head_size = d.dim / d.n_heads;
  require(head_size % 2 == 0, "head_size = " + str(head_size) + " is odd");
  // The attention unit (rtl/llama_attention_unit.sv) takes a key row as whole 16-word beats and
  // a dot product as at most 8 blocks of 16 (or one block of a power of two below 16).
  const uint32_t kv_dim = head_size * d.n_kv_heads;
  require(kv_dim % 16 == 0, "kv_dim = " + str(kv_dim) + " is not a multiple of 16 (whole AXI beats per cache row)");
  require(head_size <= 128 && (head_size % 16 == 0 || 16 % head_size == 0),
          "head_size = " + str(head_size) + " is neither a power of two below 16 nor a multiple of 16 up to 128");
  require(d.n_heads / d.n_kv_heads <= kAttentionMaxKvMul,
          "n_heads / n_kv_heads = " + str(d.n_heads / d.n_kv_heads) + " exceeds the attention unit's MAX_KV_MUL = " +
              str(kAttentionMaxKvMul));
  const uint64_t words = rtl_scratchpad_words(d);
  require(words <= p.spm_words, "scratchpad words needed = " + str(words) + " (seq_len = " + str(d.seq_len) +
                                    ", dim = " + str(d.dim) + ", hidden_dim = " + str(d.hidden_dim) +
                                    ") exceed SPM_WORDS = " + str(p.spm_words));
  auto aligned = [&](const char* name, uint64_t address) {
    require(address % kRowAlign == 0,
            std::string(name) + " = " + hex(address) + " is not " + str(kRowAlign) + "-byte aligned");
  };
  for (uint32_t port = 0; port < d.weight_ports; ++port)
    aligned(("weights" + str(port) + " base").c_str(), a.weights[port]);
  for (uint32_t port = 0; port < d.kv_ports; ++port) {  // == KV_PORTS <= kMaxKvPorts (checked above)
    aligned(("key_cache" + str(port)).c_str(), a.key_cache[port]);
    aligned(("value_cache" + str(port)).c_str(), a.value_cache[port]);
  }
  aligned("logits", a.logits);
}

KernelDescriptor check_rtl_kernel_start(VerilatedKernel& kernel, const LlamaRtlParams& params,
                                        const KernelArgs& args) {
  KernelDescriptor desc{};
  tlm::tlm_generic_payload gp;
  gp.set_command(tlm::TLM_READ_COMMAND);
  gp.set_address(args.weights[0]);
  gp.set_data_ptr(reinterpret_cast<unsigned char*>(&desc));
  gp.set_data_length(sizeof desc);
  gp.set_streaming_width(sizeof desc);
  if (kernel.master(0).socket->transport_dbg(gp) != sizeof desc)
    throw std::runtime_error("kernel descriptor at weights0 = " + hex(args.weights[0]) + " is outside device memory");
  check_rtl_kernel_supports(desc, params, args);
  return desc;
}

}  // namespace vp
