// The kernel.* keys of the kernel's own parameters (FastKernelConfig and its KernelMicroarch), declared
// once (models/config_fields.h). The placement keys of the same section are platform/sim_config.cpp's.
#include "models/kernel/fast_kernel.h"

namespace vp {
namespace {

// hls/ sits below models/ and cannot use config_fields.h: the fields of its structs are listed here.
// Their ranges are checked by KernelMicroarch::validate and HlsTransformSchedule::validate (hls/), which
// know which apply to which vector unit.
ConfigFields<HlsTransformSchedule> hlstransform_fields() {
  using C = HlsTransformSchedule;
  const char* source = "platform/kernels/hlstransform_paper.cfg";
  return {
      field(&C::weights_maxi_bits, "hls_weights_maxi_bits", any_value(), "bits",
            "vector_unit = hlstransform: m_axi width of the weights bundle (gmem0) as HLS builds it; > 32: widened, "
            "bursts pack elements", source),
      field(&C::kv_maxi_bits, "hls_kv_maxi_bits", any_value(), "bits",
            "vector_unit = hlstransform: m_axi width of the KV-cache bundle (gmem)", source),
      field(&C::row_burst, "hls_row_burst", any_value(), "",
            "vector_unit = hlstransform: burst inferred for each matmul row copy (else one request per element)", source),
      field(&C::maxi_latency, "hls_maxi_latency", any_value(), "cycles",
            "vector_unit = hlstransform: m_axi read latency the schedule assumes", source),
      field(&C::max_read_burst, "hls_max_read_burst", any_value(), "beats",
            "vector_unit = hlstransform: m_axi max_read_burst_length", source),
      field(&C::max_write_burst, "hls_max_write_burst", any_value(), "beats",
            "vector_unit = hlstransform: m_axi max_write_burst_length", source),
      field(&C::unroll, "hls_unroll", any_value(), "",
            "vector_unit = hlstransform: UNROLL_FACTOR of forward.cpp's vector loops and array partitions", source),
      field(&C::swiglu_unroll, "hls_swiglu_unroll", any_value(), "",
            "vector_unit = hlstransform: unroll factor of the SwiGLU loop", source),
      field(&C::softmax_unroll, "hls_softmax_unroll", any_value(), "",
            "vector_unit = hlstransform: unroll factor of softmax's exp and norm loops", source),
  };
}

ConfigFields<KernelMicroarch> microarch_fields() {
  using C = KernelMicroarch;
  ConfigFields<C> list = {
      field(&C::mac_lanes, "mac_lanes", any_value(), "", "int8 MACs per cycle per weight port"),
      enum_field(&C::vector_unit, "vector_unit",
                 {{"sequential", VectorUnitKind::kSequential},
                  {"pipelined", VectorUnitKind::kPipelined},
                  {"hlstransform", VectorUnitKind::kHlsTransform}},
                 "fp32 vector unit: sequential (the RTL's) | pipelined (HLS-style what-if, fast mode only) | "
                 "hlstransform (the whole kernel as HLSTransform's forward.cpp under Vitis HLS, fast mode only)"),
      field(&C::fp_lanes, "fp_lanes", any_value(), "",
            "fp32 vector lanes: the pipelined vector unit's; in the RTL (sequential), FP_LANES: 1, 2, 4, 8, 16 or 32 "
            "elements a cycle in the element loops and the quantizer (sums at most 16)"),
      field(&C::accumulators, "accumulators", any_value(), "",
            "matmul rows accumulated concurrently (rtl/llama_gemv.sv ACCUMULATORS)"),
      field(&C::memory_latency, "memory_latency", any_value(), "cycles",
            "fast-mode estimate of a blocking access's round trip, sequential vector unit",
            "measured: u280 HBM, rtl mode, tiny shape; checked on stories260K and 110M"),
      field(&C::fadd_latency, "fadd_latency", any_value(), "cycles", "fp32 adder latency"),
      field(&C::fmul_latency, "fmul_latency", any_value(), "cycles", "fp32 multiplier latency"),
      field(&C::exp_latency, "exp_latency", any_value(), "cycles", "exp unit latency", "rtl/fp32_exp_pipeline.sv"),
      field(&C::recip_latency, "recip_latency", any_value(), "cycles", "reciprocal unit latency",
            "rtl/fp32_reciprocal_pipeline.sv"),
      field(&C::rsqrt_latency, "rsqrt_latency", any_value(), "cycles", "rsqrt unit latency",
            "rtl/fp32_rsqrt_pipeline.sv"),
      field(&C::div_latency, "div_latency", any_value(), "cycles", "fp32 divider latency (quantization)",
            "rtl/fp32_div.sv"),
      field(&C::round_latency, "round_latency", any_value(), "cycles", "fp32 -> int rounding unit latency (quantization)",
            "rtl/fp32_round_exact.sv"),
      field(&C::matmul_latency, "matmul_latency", any_value(), "cycles", "MAC pipeline depth"),
      field(&C::phase_overhead, "phase_overhead", any_value(), "cycles", "sequencer cycles per phase"),
      field(&C::prefetch_beats, "prefetch_beats", any_value(), "beats",
            "sequential vector unit: beats each weight port reads ahead of its matmul engine (0: none; "
            "run.mode = rtl: the Verilated model's PREFETCH_BEATS)",
            "rtl/llama_weight_prefetch.sv"),
  };
  list += nested_fields(&C::hlstransform, hlstransform_fields());
  return list;
}

}  // namespace

const ConfigFields<FastKernelConfig>& FastKernelConfig::fields() {
  using C = FastKernelConfig;
  static const ConfigFields<C> list = [] {
    ConfigFields<C> l = {
        field(&C::clock_mhz, "clock_mhz", between(1, 2000), "MHz", "kernel clock"),
        field(&C::axi_data_bits, "axi_data_bits", between(64, 512), "bits", "m_axi data width (a power of two)"),
        field(&C::weight_ports, "weight_ports", between(1, kMaxWeightPorts), "", "m_axi weight ports (rows sliced over them)"),
        field(&C::kv_ports, "kv_ports", between(1, kMaxKvPorts), "",
              "KV-cache AXI master ports (m_axi_kv0.., a power of two), port i on channel kv_channel + i of kv_memory; "
              "position t's key and value rows on port t % kv_ports, which the attention unit reads in parallel"),
        field(&C::max_outstanding, "max_outstanding", between(1, 256), "", "outstanding bursts per port"),
    };
    l += nested_fields(&C::microarch, microarch_fields());
    return l;
  }();
  return list;
}

}  // namespace vp
