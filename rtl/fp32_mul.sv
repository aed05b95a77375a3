// IEEE-754 binary32 multiplier: round to nearest even, subnormal inputs and outputs (no
// flush), infinities and NaNs as x86-64 SSE mulss: a NaN operand propagates quieted (a wins
// over b), an invalid operation (inf * 0) gives the default NaN 0xFFC00000.
//
// Fixed 3-stage pipeline, one operation per cycle: operands presented with valid_i before
// clock edge k appear on result_o with valid_o after edge k+3.
//   stage 1: classify, 24x24-bit significand product (DSP), exponent sum
//   stage 2: normalize the product's leading one to bit 47 (a subnormal operand leaves
//            leading zeros), keep 24 bits + guard + sticky
//   stage 3: denormalize when the exponent is below the normal range, round, pack
module fp32_mul (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        valid_i,
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  output logic        valid_o,
  output logic [31:0] result_o
);


  // Each stage's data registers load only when the stage takes a valid operation (clock enable =
  // the valid bit in front of them), and the stage's combinational logic lives in the enabled
  // branch: the same hardware as separate always_comb blocks, but the Verilated model skips
  // the logic of an idle stage. result_o keeps the last result while valid_o is 0.

  // Leading-zero count of the 48-bit product (48 when zero), as rtl/fp_lzc.sv.
  function automatic logic [5:0] lzc48(input logic [47:0] x);
    lzc48 = 6'd48;
    // Scan from the LSB up so that the highest set bit writes last (no `break`: Yosys 0.23).
    for (int unsigned i = 0; i < 48; i++) begin
      if (x[i]) lzc48 = 6'(47 - i);
    end
  endfunction

  // ---------------------------------------------------------------------------------------
  // Stage 1: classify, multiply significands, add exponents
  // ---------------------------------------------------------------------------------------
  logic        s1_valid_q;
  logic        s1_special_q;
  logic [31:0] s1_special_res_q;
  logic        s1_sign_q;
  logic [8:0]  s1_exp_sum_q;
  logic [47:0] s1_prod_q;

  always_ff @(posedge clk_i) begin
    if (valid_i) begin : s1_logic
      logic        sign;
      logic [31:0] special_res;
      logic        a_nan, b_nan, a_inf, b_inf, a_zero, b_zero;
      logic [7:0]  a_exp, b_exp;
      logic [23:0] a_man, b_man;

      sign   = a_i[31] ^ b_i[31];
      a_nan  = (a_i[30:23] == 8'hFF) && (a_i[22:0] != 23'd0);
      b_nan  = (b_i[30:23] == 8'hFF) && (b_i[22:0] != 23'd0);
      a_inf  = (a_i[30:0] == 31'h7F80_0000);
      b_inf  = (b_i[30:0] == 31'h7F80_0000);
      a_zero = (a_i[30:0] == 31'd0);
      b_zero = (b_i[30:0] == 31'd0);

      if (a_nan)                                       special_res = a_i | llama_pkg::F_QUIET_BIT;
      else if (b_nan)                                  special_res = b_i | llama_pkg::F_QUIET_BIT;
      else if ((a_inf && b_zero) || (b_inf && a_zero)) special_res = llama_pkg::F_DEFAULT_NAN;
      else if (a_inf || b_inf)                         special_res = {sign, 31'h7F80_0000};
      else                                             special_res = {sign, 31'd0};
      s1_special_q     <= a_nan | b_nan | a_inf | b_inf | a_zero | b_zero;
      s1_special_res_q <= special_res;

      // Subnormals have exponent 1 and no hidden bit.
      a_exp = (a_i[30:23] == 8'd0) ? 8'd1 : a_i[30:23];
      b_exp = (b_i[30:23] == 8'd0) ? 8'd1 : b_i[30:23];
      a_man = {a_i[30:23] != 8'd0, a_i[22:0]};
      b_man = {b_i[30:23] != 8'd0, b_i[22:0]};

      s1_sign_q    <= sign;
      s1_exp_sum_q <= {1'b0, a_exp} + {1'b0, b_exp};
      s1_prod_q    <= a_man * b_man;
    end
  end

  // ---------------------------------------------------------------------------------------
  // Stage 2: normalize. With the leading one at bit 47 the biased exponent is
  // a_exp + b_exp - 126 - lead_zeros (range -171 .. 382, kept as 11-bit signed).
  // ---------------------------------------------------------------------------------------
  logic        s2_valid_q;
  logic        s2_special_q;
  logic [31:0] s2_special_res_q;
  logic        s2_sign_q;
  logic [10:0] s2_exp_q;
  logic [25:0] s2_sig_q;  // 24-bit significand, guard, sticky

  always_ff @(posedge clk_i) begin
    if (s1_valid_q) begin : s2_logic
      logic [5:0]  lead_zeros;
      logic [47:0] norm;

      lead_zeros = lzc48(s1_prod_q);
      norm       = s1_prod_q << lead_zeros;

      s2_special_q     <= s1_special_q;
      s2_special_res_q <= s1_special_res_q;
      s2_sign_q        <= s1_sign_q;
      s2_exp_q         <= {2'b00, s1_exp_sum_q} - 11'd126 - {5'd0, lead_zeros};
      s2_sig_q         <= {norm[47:23], |norm[22:0]};
    end
  end

  // ---------------------------------------------------------------------------------------
  // Stage 3: denormalize below exponent 1 (the shifted-out bits join the sticky bit), round
  // to nearest even, pack (significand added to (exp - 1) << 23 so carries bump the
  // exponent), overflow to inf.
  // ---------------------------------------------------------------------------------------
  logic        s3_valid_q;
  logic [31:0] s3_result_q;

  always_ff @(posedge clk_i) begin
    if (s2_valid_q) begin : s3_logic
      logic        exp_low;
      logic [10:0] denorm_shift;
      logic [10:0] res_exp;
      logic [25:0] sig_shifted, sig_lost, sig;
      logic        round_up;
      logic [33:0] packed_res;
      logic [31:0] result_d;

      exp_low      = $signed(s2_exp_q) < 11'sd1;
      denorm_shift = exp_low ? (11'd1 - s2_exp_q) : 11'd0;
      res_exp      = exp_low ? 11'd1 : s2_exp_q;
      if (denorm_shift >= 11'd26) begin
        sig_shifted = 26'd0;
        sig_lost    = s2_sig_q;
      end else begin
        sig_shifted = s2_sig_q >> denorm_shift[4:0];
        sig_lost    = s2_sig_q & ~({26{1'b1}} << denorm_shift[4:0]);
      end
      sig        = {sig_shifted[25:1], sig_shifted[0] | (|sig_lost)};
      round_up   = sig[1] & (sig[0] | sig[2]);
      packed_res = {res_exp - 11'd1, 23'd0} + {10'd0, sig[25:2]} + {33'd0, round_up};
      if (s2_special_q)                      result_d = s2_special_res_q;
      else if (packed_res[33:23] >= 11'd255) result_d = {s2_sign_q, 31'h7F80_0000};
      else                                   result_d = {s2_sign_q, packed_res[30:0]};
      s3_result_q <= result_d;
    end
  end

  // Only the valid bits are reset; the datapath flops need none.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      s1_valid_q <= 1'b0;
      s2_valid_q <= 1'b0;
      s3_valid_q <= 1'b0;
    end else begin
      s1_valid_q <= valid_i;
      s2_valid_q <= s1_valid_q;
      s3_valid_q <= s2_valid_q;
    end
  end

  assign valid_o  = s3_valid_q;
  assign result_o = s3_result_q;

endmodule
