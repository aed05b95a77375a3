// IEEE-754 binary32 ordered compare, as C++ `a < b` / `a > b` on floats: -0 equals +0, and
// any NaN operand makes both outputs false. Combinational.
module fp32_compare (
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  output logic        lt_o,   // a_i < b_i
  output logic        gt_o    // a_i > b_i
);

  logic unordered, both_zero, mag_lt, mag_gt;

  always_comb begin
    unordered = ((a_i[30:23] == 8'hFF) && (a_i[22:0] != 23'd0)) ||
                ((b_i[30:23] == 8'hFF) && (b_i[22:0] != 23'd0));
    both_zero = (a_i[30:0] == 31'd0) && (b_i[30:0] == 31'd0);
    mag_lt    = a_i[30:0] < b_i[30:0];
    mag_gt    = a_i[30:0] > b_i[30:0];
    unique case ({a_i[31], b_i[31]})
      2'b00:   begin lt_o = mag_lt;     gt_o = mag_gt;     end
      2'b11:   begin lt_o = mag_gt;     gt_o = mag_lt;     end
      2'b01:   begin lt_o = 1'b0;       gt_o = !both_zero; end
      default: begin lt_o = !both_zero; gt_o = 1'b0;       end
    endcase
    if (unordered) begin
      lt_o = 1'b0;
      gt_o = 1'b0;
    end
  end

endmodule
