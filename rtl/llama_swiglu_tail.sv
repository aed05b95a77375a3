// The part of SwiGLU after the exponential, as one fixed-latency pipeline (one element per
// cycle): given e = exp(-a) (hls/llama_arith.h swiglu: (a * 1/(1 + e^-a)) * b),
//   stage 1: d = 1 + e                 fp32_add                   (4 cycles)
//   stage 2: r = reciprocal(d)         fp32_reciprocal_pipeline   (its LATENCY)
//   stage 3: s = a * r                 fp32_mul                   (3 cycles)
//   stage 4: y = s * b                 fp32_mul                   (3 cycles)
// a, b and the tag ride delay lines beside the adder and multipliers (rtl/fp_pipeline_control.sv:
// they shift only while their unit holds an input, so an idle tail costs the Verilated model
// almost nothing; each value still moves on at every edge from its entry to its use), and the
// reciprocal's own tag through it; latency = 10 + the reciprocal's.
module llama_swiglu_tail #(
  parameter int unsigned TAG_W = 1
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic             valid_i,
  input  logic [31:0]      e_i,        // exp(-a)
  input  logic [31:0]      a_i,
  input  logic [31:0]      b_i,
  input  logic [TAG_W-1:0] tag_i,
  output logic             valid_o,
  output logic [31:0]      result_o,
  output logic [TAG_W-1:0] tag_o
);

  localparam int unsigned ADD_LATENCY = 4;  // rtl/fp32_add.sv
  localparam int unsigned MUL_LATENCY = 3;  // rtl/fp32_mul.sv
  localparam int unsigned AB_W        = 64 + TAG_W;

  logic              d_valid, r_valid, s_valid;
  logic [31:0]       d, r, s;
  logic [AB_W-1:0]   r_tag;

  // {a, b, tag} beside the adder, {b, tag} beside the first multiplier, tag beside the second
  logic [AB_W-1:0]     add_tag;
  logic [32+TAG_W-1:0] mul_a_tag;
  logic [ADD_LATENCY:1] unused_add_line;
  logic [MUL_LATENCY:1] unused_mul_a_line, unused_mul_b_line;
  logic                unused_add_busy, unused_mul_a_busy, unused_mul_b_busy;
  fp_pipeline_control #(.LATENCY(ADD_LATENCY), .TAG_W(AB_W)) u_add_line (
    .clk_i, .rst_ni, .valid_i, .tag_i({a_i, b_i, tag_i}), .valid_line_o(unused_add_line), .busy_o(unused_add_busy),
    .tag_o(add_tag));
  fp_pipeline_control #(.LATENCY(MUL_LATENCY), .TAG_W(32 + TAG_W)) u_mul_a_line (
    .clk_i, .rst_ni, .valid_i(r_valid), .tag_i(r_tag[32+TAG_W-1:0]), .valid_line_o(unused_mul_a_line),
    .busy_o(unused_mul_a_busy), .tag_o(mul_a_tag));
  fp_pipeline_control #(.LATENCY(MUL_LATENCY), .TAG_W(TAG_W)) u_mul_b_line (
    .clk_i, .rst_ni, .valid_i(s_valid), .tag_i(mul_a_tag[TAG_W-1:0]), .valid_line_o(unused_mul_b_line),
    .busy_o(unused_mul_b_busy), .tag_o(tag_o));

  fp32_add u_add (.clk_i, .rst_ni, .valid_i, .a_i(llama_pkg::F_ONE), .b_i(e_i), .sub_i(1'b0), .valid_o(d_valid), .result_o(d));
  fp32_reciprocal_pipeline #(.TAG_W(AB_W)) u_rcp (
    .clk_i, .rst_ni, .valid_i(d_valid), .x_i(d), .tag_i(add_tag), .valid_o(r_valid), .result_o(r),
    .tag_o(r_tag));
  fp32_mul u_mul_a (.clk_i, .rst_ni, .valid_i(r_valid), .a_i(r_tag[AB_W-1 -: 32]), .b_i(r), .valid_o(s_valid),
                    .result_o(s));
  fp32_mul u_mul_b (.clk_i, .rst_ni, .valid_i(s_valid), .a_i(s), .b_i(mul_a_tag[32+TAG_W-1 -: 32]),
                    .valid_o(valid_o), .result_o(result_o));

endmodule
