// fp32 -> int32 rounding half away from zero, as vp::fp::round_half_away (hls/fp32_math.h):
// r = x < 0 ? x - 0.5f : x + 0.5f with an IEEE add (so e.g. 0.49999997f rounds to 1, as
// the C++ does), then truncation toward zero. Defined for |x| < 2^31; beyond, and for NaN,
// the result is 0x80000000 (x86 integer indefinite).
// Latency is that of fp32_add (4 cycles), one conversion per cycle.
module fp32_round_half_away (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        valid_i,
  input  logic [31:0] x_i,
  output logic        valid_o,
  output logic [31:0] int_o
);


  logic        x_negative, unused_x_positive;
  logic [31:0] biased;

  fp32_compare u_sign (
    .a_i (x_i),
    .b_i (32'd0),
    .lt_o(x_negative),
    .gt_o(unused_x_positive)
  );

  fp32_add u_add (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .valid_i (valid_i),
    .a_i     (x_i),
    .b_i     (llama_pkg::F_HALF),
    .sub_i   (x_negative),
    .valid_o (valid_o),
    .result_o(biased)
  );

  fp32_to_int_trunc u_trunc (
    .x_i  (biased),
    .int_o(int_o)
  );

endmodule
