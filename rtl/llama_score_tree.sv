// One attention score from the 8 partial sums of a head's dot product, as hls/llama_arith.h
// tree_combine then the scaling of hls/llama_kernel.h: ((p0+p1)+(p2+p3))+((p4+p5)+(p6+p7)),
// times `scalar` (1/sqrt(head_size)). Fully pipelined, one head per cycle: three levels of
// fp32_add (4 cycles each) and an fp32_mul (3), LATENCY = 15.
module llama_score_tree (
  input  logic          clk_i,
  input  logic          rst_ni,
  input  logic          valid_i,
  input  logic [8*32-1:0] p_i,        // partial k at [32*k +: 32]
  input  logic [31:0]   scalar_i,     // held while results are due
  output logic          valid_o,
  output logic [31:0]   result_o
);

  logic [3:0]  l1_valid;
  logic [1:0]  l2_valid;
  logic        l3_valid;
  logic [31:0] l1 [4];
  logic [31:0] l2 [2];
  logic [31:0] sum;

  for (genvar k = 0; k < 4; k++) begin : g_level1
    fp32_add u_add (.clk_i, .rst_ni, .valid_i, .a_i(p_i[64*k+:32]), .b_i(p_i[64*k+32+:32]), .sub_i(1'b0),
                    .valid_o(l1_valid[k]), .result_o(l1[k]));
  end
  for (genvar k = 0; k < 2; k++) begin : g_level2
    fp32_add u_add (.clk_i, .rst_ni, .valid_i(l1_valid[2*k]), .a_i(l1[2*k]), .b_i(l1[2*k+1]), .sub_i(1'b0),
                    .valid_o(l2_valid[k]), .result_o(l2[k]));
  end
  fp32_add u_add3 (.clk_i, .rst_ni, .valid_i(l2_valid[0]), .a_i(l2[0]), .b_i(l2[1]), .sub_i(1'b0),
                   .valid_o(l3_valid), .result_o(sum));
  fp32_mul u_scale (.clk_i, .rst_ni, .valid_i(l3_valid), .a_i(sum), .b_i(scalar_i), .valid_o(valid_o),
                    .result_o(result_o));

  // The other adders of a level run in step with the first.
  logic unused_valid;
  assign unused_valid = ^{l1_valid[3], l1_valid[1], l2_valid[1]};

endmodule
