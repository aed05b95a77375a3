// Running-maximum step of the kernel's reductions, combinational so that max_q <= max_o
// closes at one element per cycle:
//   abs_i = 0 (softmax max):       cand = a;                     max = cand > b ? cand : b
//   abs_i = 1 (quantize max |x|):  cand = a < 0 ? -a : a;        max = cand > b ? cand : b
// with a_i the new element and b_i the running maximum, exactly as hls/llama_arith.h writes
// it (so -0 stays -0 in abs mode and ties keep b_i). NaNs are not expected there; the C++
// compare semantics still hold: a NaN candidate never replaces b_i, and a NaN b_i is never
// replaced (every compare with a NaN is false).
module fp32_max (
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  input  logic        abs_i,
  output logic [31:0] max_o
);

  logic        a_negative, cand_greater;
  logic [31:0] cand;
  logic        unused_a_positive, unused_cand_less;

  fp32_compare u_sign (
    .a_i (a_i),
    .b_i (32'd0),
    .lt_o(a_negative),
    .gt_o(unused_a_positive)
  );

  assign cand = (abs_i && a_negative) ? {1'b0, a_i[30:0]} : a_i;

  fp32_compare u_order (
    .a_i (cand),
    .b_i (b_i),
    .lt_o(unused_cand_less),
    .gt_o(cand_greater)
  );

  assign max_o = cand_greater ? cand : b_i;

endmodule
