// Text the fp32 units share, written once (as rtl/vp_axi_port.svh does for the AXI ports).
//   `VP_FP32_PIPELINE_PORTS   the port list of the fp32 function pipelines (fp32_exp_pipeline,
//                             fp32_reciprocal_pipeline, fp32_rsqrt_pipeline): one input x_i per
//                             cycle with valid_i and a TAG_W-bit sideband tag_i (the module's
//                             parameter), its result_o with valid_o and the same tag_o exactly
//                             LATENCY cycles later. No trailing comma.
//   `VP_FP32_LZC_FUNCTION(name, width, count_width, zero_count)
//                             a function `name` of a width-bit x giving its leading-zero count
//                             (count_width bits; zero_count when x is zero), as rtl/fp_lzc.sv
//                             computes it, for the units whose stage logic lives in an enabled
//                             always_ff branch (fp32_add, fp32_mul, fp32_div). It scans from the
//                             LSB up so that the highest set bit writes last (no `break`: Yosys
//                             0.23).
`ifndef FP32_MACROS_SVH
`define FP32_MACROS_SVH

`define VP_FP32_PIPELINE_PORTS    \
  input  logic             clk_i,    \
  input  logic             rst_ni,   \
  input  logic             valid_i,  \
  input  logic [31:0]      x_i,      \
  input  logic [TAG_W-1:0] tag_i,    \
  output logic             valid_o,  \
  output logic [31:0]      result_o, \
  output logic [TAG_W-1:0] tag_o

`define VP_FP32_LZC_FUNCTION(__name, __width, __count_width, __zero_count)     \
  function automatic logic [__count_width-1:0] __name(input logic [__width-1:0] x); \
    __name = __zero_count;                                                      \
    for (int unsigned i = 0; i < __width; i++) begin                            \
      if (x[i]) __name = __count_width'(__width - 1 - i);                        \
    end                                                                         \
  endfunction

`endif  // FP32_MACROS_SVH
