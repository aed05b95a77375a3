// IEEE-754 binary32 -> int32, truncating toward zero: static_cast<int32_t>(float) for
// |x| < 2^31. Out of range and NaN give 0x80000000, the x86 cvttss2si "integer indefinite"
// (undefined behaviour in C++, so the C++ twin never relies on it). Combinational.
module fp32_to_int_trunc (
  input  logic [31:0] x_i,
  output logic [31:0] int_o
);

  logic [7:0]  exp_field;
  logic [7:0]  shift;
  logic [54:0] scaled;
  logic [31:0] mag;

  always_comb begin
    exp_field = x_i[30:23];
    // |x| in [2^k, 2^(k+1)) with k = exp - 127 in 0..30: integer part = significand >> (23 - k).
    shift  = exp_field - 8'd127;  // 0..30 where used
    scaled = {31'd0, 1'b1, x_i[22:0]} << shift[4:0];
    mag    = scaled[54:23];
    if (exp_field < 8'd127)       int_o = 32'd0;            // |x| < 1, zeros, subnormals
    else if (exp_field >= 8'd158) int_o = 32'h8000_0000;    // |x| >= 2^31, inf, NaN
    else                          int_o = x_i[31] ? (32'd0 - mag) : mag;
  end

  logic unused_scaled;
  assign unused_scaled = ^{scaled[22:0], shift[7:5]};

endmodule
