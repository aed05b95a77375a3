// IEEE-754 binary32 multiplier: round to nearest even, subnormal inputs and outputs (no
// flush), infinities and NaNs as x86-64 SSE mulss: a NaN operand propagates quieted (a wins
// over b), an invalid operation (inf * 0) gives the default NaN 0xFFC00000.
//
// Fixed 3-stage pipeline, one operation per cycle: operands presented with valid_i before
// clock edge k appear on result_o with valid_o after edge k+3.
//   stage 1: classify; pick op1 = the subnormal operand's significand (if any) and count its
//            leading zeros (24-bit LZC); exponent sum
//   stage 2: normalize op1 (24-bit left shift by its leading-zero count), 24x24-bit significand
//            product of two normalized significands (DSP): its leading one is at bit 47 or 46,
//            kept as 26 bits + sticky
//   stage 3: one right shift does both the 1-bit normalization and the denormalization below
//            the normal range (shifted-out bits join the sticky bit), round, pack, overflow
// Both operands subnormal (or the exponent far below the range) shift everything into the
// sticky bit and round to a signed zero. Special results (NaN, inf, zero) ride the same
// datapath: a NaN's payload goes through op1 times op2 = 1.0 at exponent 255 (overflow
// check off), inf is exponent 255 (overflows to inf), zero is exponent -512 (all sticky).
`include "fp32_macros.svh"

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

  // Leading-zero count of an 8-bit group (7 when zero; the caller picks a nonzero group).
  `VP_FP32_LZC_FUNCTION(lzc8, 8, 3, 3'd7)

  // ---------------------------------------------------------------------------------------
  // Stage 1: classify, choose the operand to normalize, count its leading zeros, add exponents
  // ---------------------------------------------------------------------------------------
  logic        s1_valid_q;
  logic        s1_nan_q;       // result is a NaN (payload in op1)
  logic        s1_inf_q;       // an operand is infinite (result inf unless NaN)
  logic        s1_zero_q;      // an operand is zero (result zero unless NaN)
  logic        s1_sign_q;      // result sign (the NaN's sign for a NaN)
  logic [9:0]  s1_exp_sum_q;   // a_exp + b_exp - 127 (subnormals as exponent 1), signed
  logic [4:0]  s1_lz_q;        // leading zeros of op1
  logic [23:0] s1_op1_q;       // significand to normalize (the subnormal one, if any)
  logic [23:0] s1_op2_q;       // the other significand (hidden bit 1)

  always_ff @(posedge clk_i) begin
    if (valid_i) begin : s1_logic
      logic        a_sub, b_sub, a_max, b_max, a_fz, b_fz;
      logic        a_nan, b_nan, a_inf, b_inf, a_zero, b_zero;
      logic        nan_out, sel_a;
      logic [23:0] op1;
      logic [4:0]  lz;

      a_sub   = (a_i[30:23] == 8'h00);
      b_sub   = (b_i[30:23] == 8'h00);
      a_max   = (a_i[30:23] == 8'hFF);
      b_max   = (b_i[30:23] == 8'hFF);
      a_fz    = (a_i[22:0] == 23'd0);
      b_fz    = (b_i[22:0] == 23'd0);
      a_nan   = a_max & !a_fz;
      b_nan   = b_max & !b_fz;
      a_inf   = a_max & a_fz;
      b_inf   = b_max & b_fz;
      a_zero  = a_sub & a_fz;
      b_zero  = b_sub & b_fz;
      nan_out = a_nan | b_nan | (a_inf & b_zero) | (b_inf & a_zero);

      if (a_nan)        s1_sign_q <= a_i[31];
      else if (b_nan)   s1_sign_q <= b_i[31];
      else if (nan_out) s1_sign_q <= 1'b1;  // default NaN 0xFFC00000
      else              s1_sign_q <= a_i[31] ^ b_i[31];
      s1_nan_q  <= nan_out;
      s1_inf_q  <= a_inf | b_inf;
      s1_zero_q <= a_zero | b_zero;

      // op1 is a's significand when a is subnormal, else b's (two subnormals give zero anyway,
      // whatever their product). A NaN result takes its payload through op1, quieted, with the
      // hidden bit set: the NaN operand's (a wins), or for inf * 0 the infinite operand's
      // (zero, so the default NaN's payload).
      sel_a   = nan_out ? (a_max & !(b_nan & !a_nan)) : a_sub;
      op1     = {nan_out | !(a_sub | b_sub), sel_a ? a_i[22:0] : b_i[22:0]};
      op1[22] = op1[22] | nan_out;
      // Leading zeros of op1 (0 with the hidden bit; op1 = 0 only for a zero result).
      lz[4]   = (op1[23:8] == 16'd0);
      lz[3]   = (op1[23:16] == 8'd0) && (op1[15:8] != 8'd0);
      lz[2:0] = (op1[23:16] != 8'd0) ? lzc8(op1[23:16])
              : (op1[15:8] != 8'd0)  ? lzc8(op1[15:8]) : lzc8(op1[7:0]);

      s1_lz_q      <= lz;
      s1_exp_sum_q <= {2'b00, a_i[30:24], a_i[23] | a_sub} + {2'b00, b_i[30:24], b_i[23] | b_sub}
                      - 10'd127;
      s1_op1_q     <= op1;
      s1_op2_q     <= {1'b1, nan_out ? 23'd0 : (a_sub ? b_i[22:0] : a_i[22:0])};
    end
  end

  // ---------------------------------------------------------------------------------------
  // Stage 2: normalize op1, multiply. Both significands in [2^23, 2^24), so the product's
  // leading one is at bit 47 or 46; its biased exponent with the leading one at bit 46 is
  // exp_sum - lz (range -148 .. 381, 10-bit signed). Specials: 255 for NaN and inf, -512 for
  // zero.
  // ---------------------------------------------------------------------------------------
  logic        s2_valid_q;
  logic        s2_nan_q;
  logic        s2_sign_q;
  logic [9:0]  s2_exp_q;
  logic [26:0] s2_w_q;  // product bits 47..22, sticky (bits 21..0)

  always_ff @(posedge clk_i) begin
    if (s1_valid_q) begin : s2_logic
      logic [23:0] op1n;
      logic [47:0] prod;

      case (s1_lz_q[4:3])
        2'd0:    op1n = s1_op1_q;
        2'd1:    op1n = {s1_op1_q[15:0], 8'd0};
        default: op1n = {s1_op1_q[7:0], 16'd0};
      endcase
      case (s1_lz_q[2:1])
        2'd0:    op1n = op1n;
        2'd1:    op1n = {op1n[21:0], 2'd0};
        2'd2:    op1n = {op1n[19:0], 4'd0};
        default: op1n = {op1n[17:0], 6'd0};
      endcase
      if (s1_lz_q[0]) op1n = {op1n[22:0], 1'b0};
      prod = op1n * s1_op2_q;

      s2_nan_q  <= s1_nan_q;
      s2_sign_q <= s1_sign_q;
      if (s1_nan_q | s1_inf_q) s2_exp_q <= 10'd255;
      else if (s1_zero_q)      s2_exp_q <= 10'h200;
      else                     s2_exp_q <= s1_exp_sum_q - {5'd0, s1_lz_q};
      s2_w_q    <= {prod[47:22], |prod[21:0]};
    end
  end

  // ---------------------------------------------------------------------------------------
  // Stage 3: with exp = s2_exp_q the result's biased exponent is exp + w[26] when >= 1. In
  // the normal range shift w right by w[26] (1-bit normalization); below it (exp <= 0) by
  // 1 - exp (saturated at 31: all into the sticky bit), which puts the LSB at 2^-149 whatever
  // w[26]. Then 24-bit significand, guard, sticky; round to nearest even; pack as
  // {exp or 0, 23'b0} + {hidden, fraction} (hidden = w[26] in the normal range, so the field
  // is exp + w[26]; below it the shifted bit 25, which makes the smallest normal), with the
  // rounding carry bumping the exponent; overflow to inf (not for a NaN).
  // ---------------------------------------------------------------------------------------
  logic        s3_valid_q;
  logic [31:0] s3_result_q;

  always_ff @(posedge clk_i) begin
    if (s2_valid_q) begin : s3_logic
      logic        exp_low;
      logic [9:0]  denorm_shift;
      logic [4:0]  shift;
      logic [26:0] sig;
      logic        lost;
      logic        round_up;
      logic [32:0] packed_res;

      exp_low      = $signed(s2_exp_q) < 10'sd1;
      denorm_shift = 10'd1 - s2_exp_q;
      shift        = exp_low ? denorm_shift[4:0] : {4'd0, s2_w_q[26]};
      if (exp_low && (denorm_shift[9:5] != 5'd0)) shift = 5'h1F;
      // Right shift in three steps (0/8/16/24, 0/2/4/6, 0/1), ORing the lost bits.
      sig = s2_w_q;
      case (shift[4:3])
        2'd0:    lost = 1'b0;
        2'd1:    lost = |sig[7:0];
        2'd2:    lost = |sig[15:0];
        default: lost = |sig[23:0];
      endcase
      sig = sig >> {shift[4:3], 3'd0};
      case (shift[2:1])
        2'd0:    lost = lost;
        2'd1:    lost = lost | (|sig[1:0]);
        2'd2:    lost = lost | (|sig[3:0]);
        default: lost = lost | (|sig[5:0]);
      endcase
      sig = sig >> {shift[2:1], 1'd0};
      lost = lost | (shift[0] & sig[0]);
      sig = sig >> shift[0];
      sig = {sig[26:1], sig[0] | lost};  // sig[26] is 0 here; sig[25:2] significand
      round_up   = sig[1] & (sig[0] | sig[2]);
      packed_res = {exp_low ? 10'd0 : s2_exp_q, 23'd0}
                   + {9'd0, exp_low ? sig[25] : s2_w_q[26], sig[24:2]} + {32'd0, round_up};
      if (!s2_nan_q && (packed_res[32:23] >= 10'd255)) s3_result_q <= {s2_sign_q, 31'h7F80_0000};
      else                                             s3_result_q <= {s2_sign_q, packed_res[30:0]};
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
