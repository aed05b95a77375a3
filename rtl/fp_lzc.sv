// Leading-zero count of a WIDTH-bit vector (cnt_o = WIDTH when in_i is zero). Used by the
// fp32 units to normalize sums, products and integers.
module fp_lzc #(
  parameter int unsigned WIDTH     = 32,
  parameter int unsigned CNT_WIDTH = $clog2(WIDTH + 1)
) (
  input  logic [WIDTH-1:0]     in_i,
  output logic [CNT_WIDTH-1:0] cnt_o
);

  // Scan from the LSB up so that the highest set bit writes last (no `break`: Yosys 0.23).
  always_comb begin
    cnt_o = CNT_WIDTH'(WIDTH);
    for (int unsigned i = 0; i < WIDTH; i++) begin
      if (in_i[i]) cnt_o = CNT_WIDTH'(WIDTH - 1 - i);
    end
  end

endmodule
