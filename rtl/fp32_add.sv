// IEEE-754 binary32 adder/subtractor: round to nearest even, subnormal inputs and outputs
// (no flush), infinities and NaNs as x86-64 SSE addss/subss: a NaN operand propagates
// quieted (a wins over b, b is propagated without the subtraction's sign flip), an invalid
// operation (inf - inf) gives the default NaN 0xFFC00000.
//
// Fixed 4-stage pipeline, one operation per cycle: operands presented with valid_i before
// clock edge k appear on result_o with valid_o after edge k+4.
//   stage 1: classify, order the operands by magnitude, align the smaller one (guard, round
//            and sticky bits below the 24-bit significand)
//   stage 2: add or subtract the significands
//   stage 3: normalize (carry-out right shift, or leading-zero left shift limited so the
//            exponent does not drop below the subnormal exponent)
//   stage 4: round to nearest even and pack (rounding carry and overflow to inf)
`include "fp32_macros.svh"

module fp32_add (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        valid_i,
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  input  logic        sub_i,     // 1: a_i - b_i
  output logic        valid_o,
  output logic [31:0] result_o
);


  // Each stage's data registers load only when the stage takes a valid operation (clock enable =
  // the valid bit in front of them), and the stage's combinational logic lives in the enabled
  // branch: the same hardware as separate always_comb blocks, but the Verilated model skips
  // the logic of an idle stage. The special-result delay line shares one enable (busy) so that
  // it maps to SRLs. result_o keeps the last result while valid_o is 0.

  // Leading-zero count of the 27-bit sum (27 when zero).
  `VP_FP32_LZC_FUNCTION(lzc27, 27, 5, 5'd27)

  // ---------------------------------------------------------------------------------------
  // Stage 1: classify, order by magnitude, align
  // ---------------------------------------------------------------------------------------
  logic        s1_valid_q;
  logic        s1_special_q;
  logic [31:0] s1_special_res_q;
  logic        s1_sign_q, s1_eff_sub_q, s1_zero_sign_q;
  logic [7:0]  s1_exp_q;
  logic [23:0] s1_big_q;
  logic [26:0] s1_small_q;

  always_ff @(posedge clk_i) begin
    if (valid_i) begin : s1_logic
      logic        b_sign;
      logic        swap;
      logic [7:0]  big_exp_field, small_exp_field;
      logic [22:0] big_frac, small_frac;
      logic [7:0]  big_exp, small_exp;
      logic [23:0] small_man;
      logic [7:0]  exp_diff;
      logic [26:0] small_ext, small_shifted, small_lost;

      b_sign = b_i[31] ^ sub_i;

      swap            = b_i[30:0] > a_i[30:0];
      big_exp_field   = swap ? b_i[30:23] : a_i[30:23];
      big_frac        = swap ? b_i[22:0] : a_i[22:0];
      small_exp_field = swap ? a_i[30:23] : b_i[30:23];
      small_frac      = swap ? a_i[22:0] : b_i[22:0];

      // Subnormals have exponent 1 and no hidden bit.
      big_exp   = (big_exp_field == 8'd0) ? 8'd1 : big_exp_field;
      small_exp = (small_exp_field == 8'd0) ? 8'd1 : small_exp_field;
      small_man = {small_exp_field != 8'd0, small_frac};

      exp_diff  = big_exp - small_exp;
      small_ext = {small_man, 3'b000};
      if (exp_diff >= 8'd27) begin
        small_shifted = 27'd0;
        small_lost    = small_ext;
      end else begin
        small_shifted = small_ext >> exp_diff;
        small_lost    = small_ext & ~({27{1'b1}} << exp_diff);
      end

      s1_sign_q      <= swap ? b_sign : a_i[31];
      s1_eff_sub_q   <= a_i[31] ^ b_sign;
      s1_exp_q       <= big_exp;
      s1_big_q       <= {big_exp_field != 8'd0, big_frac};
      s1_small_q     <= {small_shifted[26:1], small_shifted[0] | (|small_lost)};
    end
  end

  // ---------------------------------------------------------------------------------------
  // Stage 2: significand add / subtract (the big operand's magnitude is >= the small one's)
  // ---------------------------------------------------------------------------------------
  logic        s2_valid_q;
  logic        s2_special_q;
  logic [31:0] s2_special_res_q;
  logic        s2_sign_q, s2_zero_sign_q;
  logic [7:0]  s2_exp_q;
  logic [27:0] s2_sum_q;

  always_ff @(posedge clk_i) begin
    if (s1_valid_q) begin
      s2_sign_q <= s1_sign_q;
      s2_exp_q  <= s1_exp_q;
      if (s1_eff_sub_q) s2_sum_q <= {1'b0, s1_big_q, 3'b000} - {1'b0, s1_small_q};
      else              s2_sum_q <= {1'b0, s1_big_q, 3'b000} + {1'b0, s1_small_q};
    end
  end

  // ---------------------------------------------------------------------------------------
  // Stage 3: normalize (carry-out right shift, or leading-zero left shift limited so the
  // exponent does not drop below the subnormal exponent)
  // ---------------------------------------------------------------------------------------
  logic        s3_valid_q;
  logic        s3_special_q;
  logic [31:0] s3_special_res_q;
  logic        s3_sign_q, s3_zero_sign_q, s3_zero_q;
  logic [8:0]  s3_exp_q;
  logic [26:0] s3_norm_q;

  always_ff @(posedge clk_i) begin
    if (s2_valid_q) begin : s3_logic
      logic [4:0] lead_zeros;
      logic [7:0] max_shift, norm_shift;

      lead_zeros = lzc27(s2_sum_q[26:0]);
      max_shift  = s2_exp_q - 8'd1;
      norm_shift = ({3'd0, lead_zeros} > max_shift) ? max_shift : {3'd0, lead_zeros};
      if (s2_sum_q[27]) begin
        s3_norm_q <= {s2_sum_q[27:2], s2_sum_q[1] | s2_sum_q[0]};
        s3_exp_q  <= {1'b0, s2_exp_q} + 9'd1;
      end else begin
        s3_norm_q <= s2_sum_q[26:0] << norm_shift;
        s3_exp_q  <= {1'b0, s2_exp_q} - {1'b0, norm_shift};
      end

      s3_sign_q <= s2_sign_q;
      s3_zero_q <= (s2_sum_q == 28'd0);
    end
  end

  // ---------------------------------------------------------------------------------------
  // Stages 1..3 of the special result and the zero sign (classified from the operands in
  // stage 1, then riding along to stage 4): delay lines clocked while the adder holds an
  // operation (busy), one enable for the whole line so that it still maps to shift-register
  // LUTs (per-stage enables would turn ~26 SRL16E into ~80 flops).
  // ---------------------------------------------------------------------------------------
  logic busy;
  assign busy = valid_i || s1_valid_q || s2_valid_q;

  always_ff @(posedge clk_i) begin
    if (busy) begin : special_logic
      logic b_sign;
      logic a_nan, b_nan, a_inf, b_inf;

      b_sign = b_i[31] ^ sub_i;
      a_nan  = (a_i[30:23] == 8'hFF) && (a_i[22:0] != 23'd0);
      b_nan  = (b_i[30:23] == 8'hFF) && (b_i[22:0] != 23'd0);
      a_inf  = (a_i[30:0] == 31'h7F80_0000);
      b_inf  = (b_i[30:0] == 31'h7F80_0000);

      s1_special_q <= a_nan | b_nan | a_inf | b_inf;
      if (a_nan)                                      s1_special_res_q <= a_i | llama_pkg::F_QUIET_BIT;
      else if (b_nan)                                 s1_special_res_q <= b_i | llama_pkg::F_QUIET_BIT;
      else if (a_inf && b_inf && (a_i[31] != b_sign)) s1_special_res_q <= llama_pkg::F_DEFAULT_NAN;
      else if (a_inf)                                 s1_special_res_q <= a_i;
      else                                            s1_special_res_q <= {b_sign, 31'h7F80_0000};
      s1_zero_sign_q <= a_i[31] & b_sign;  // exact zero sum is +0 unless both addends are -0

      s2_special_q     <= s1_special_q;
      s2_special_res_q <= s1_special_res_q;
      s2_zero_sign_q   <= s1_zero_sign_q;
      s3_special_q     <= s2_special_q;
      s3_special_res_q <= s2_special_res_q;
      s3_zero_sign_q   <= s2_zero_sign_q;
    end
  end

  // ---------------------------------------------------------------------------------------
  // Stage 4: round to nearest even, pack. Adding the significand (hidden bit included) to
  // (exp - 1) << 23 lets a rounding carry and a subnormal becoming normal bump the exponent.
  // ---------------------------------------------------------------------------------------
  logic        s4_valid_q;
  logic [31:0] s4_result_q;

  always_ff @(posedge clk_i) begin
    if (s3_valid_q) begin : s4_logic
      logic [23:0] mant;
      logic        round_up;
      logic [31:0] packed_res;

      mant       = s3_norm_q[26:3];
      round_up   = s3_norm_q[2] & (s3_norm_q[1] | s3_norm_q[0] | mant[0]);
      packed_res = {s3_exp_q - 9'd1, 23'd0} + {8'd0, mant} + {31'd0, round_up};
      if (s3_special_q)                     s4_result_q <= s3_special_res_q;
      else if (s3_zero_q)                   s4_result_q <= {s3_zero_sign_q, 31'd0};
      else if (packed_res[31:23] >= 9'd255) s4_result_q <= {s3_sign_q, 31'h7F80_0000};
      else                                  s4_result_q <= {s3_sign_q, packed_res[30:0]};
    end
  end

  // Only the valid bits are reset; the datapath flops need none.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      s1_valid_q <= 1'b0;
      s2_valid_q <= 1'b0;
      s3_valid_q <= 1'b0;
      s4_valid_q <= 1'b0;
    end else begin
      s1_valid_q <= valid_i;
      s2_valid_q <= s1_valid_q;
      s3_valid_q <= s2_valid_q;
      s4_valid_q <= s3_valid_q;
    end
  end

  assign valid_o  = s4_valid_q;
  assign result_o = s4_result_q;

endmodule
