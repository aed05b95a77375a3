// int32 -> IEEE-754 binary32, round to nearest even: static_cast<float>(int32_t) (x86
// cvtsi2ss). Combinational (no clock): the magnitude is normalized by its leading-zero count,
// the bits below the 24-bit significand round it, and every int32 is in range.
module fp32_from_int (
  input  logic [31:0] int_i,   // two's complement
  output logic [31:0] result_o
);

  logic        sign;
  logic [31:0] mag;
  logic [5:0]  lead_zeros;
  logic [31:0] norm;
  logic        round_up;
  logic [7:0]  exp_field;
  logic [31:0] packed_res;

  fp_lzc #(
    .WIDTH(32)
  ) u_lzc (
    .in_i (mag),
    .cnt_o(lead_zeros)
  );

  assign sign = int_i[31];
  assign mag  = sign ? (32'd0 - int_i) : int_i;  // -2^31 wraps to its own magnitude 2^31

  always_comb begin
    norm = mag << lead_zeros;
    // Leading one at bit 31 of norm: biased exponent 127 + 31 - lead_zeros.
    exp_field  = 8'd158 - {2'b00, lead_zeros};
    round_up   = norm[7] & ((|norm[6:0]) | norm[8]);
    // Significand added to (exp - 1) << 23: a rounding carry bumps the exponent.
    packed_res = {1'b0, exp_field - 8'd1, 23'd0} + {8'd0, norm[31:8]} + {31'd0, round_up};
    result_o   = (mag == 32'd0) ? 32'd0 : {sign, packed_res[30:0]};
  end

  logic unused_packed_msb;
  assign unused_packed_msb = packed_res[31];

endmodule
