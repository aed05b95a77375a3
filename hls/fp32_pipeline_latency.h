#pragma once
// Fixed latencies, in clock cycles from the edge that samples valid_i to the edge that raises
// valid_o, of the fully pipelined (one input per cycle) fp32 function units in rtl/: the
// LATENCY localparam of each module, for C++ testbenches and timing models. Every input,
// special values included, takes exactly this long; tests/test_rtl_fp32_*_pipeline.cpp check
// the Verilated units against these values.
namespace vp::fp {

constexpr int kExpPipelineLatency = 76;         // rtl/fp32_exp_pipeline.sv (vp::fp::exp)
constexpr int kReciprocalPipelineLatency = 31;  // rtl/fp32_reciprocal_pipeline.sv (vp::fp::reciprocal)
constexpr int kRsqrtPipelineLatency = 43;       // rtl/fp32_rsqrt_pipeline.sv (vp::fp::rsqrt)
constexpr int kDivLatency = 16;                 // rtl/fp32_div.sv (SSE divss; tests/test_rtl_fp32_div.cpp)
constexpr int kRoundExactLatency = 2;           // rtl/fp32_round_exact.sv (vp::fp::round_half_away_exact)

}  // namespace vp::fp
