// IEEE-754 binary32 divider a / b: round to nearest even, subnormal inputs and outputs (no
// flush), infinities, zeros and NaNs as x86-64 SSE divss: a NaN operand propagates quieted (a
// wins over b), an invalid operation (0 / 0, inf / inf) gives the default NaN 0xFFC00000,
// x / 0 for a nonzero x is the signed infinity, x / inf for a finite x the signed zero.
//
// Fixed LATENCY = 16 register stages, fully pipelined (one division per cycle): operands
// sampled with valid_i at clock edge k appear on result_o with valid_o (and tag_i on tag_o)
// after edge k + LATENCY - 1 (counting the sampling edge, the result comes with the LATENCY-th
// edge; hls/fp32_pipeline_latency.h kDivLatency). Stages:
//   stage 1       classify (special result), normalize subnormal significands with a
//                 leading-zero count so both have their leading one at bit 23
//   stages 2..14  radix-2 restoring digit recurrence, two quotient bits per stage (two 26-bit
//                 subtract-and-select steps in series): 26 quotient bits of ma / mb in
//                 (1/2, 2), the first of weight 2^0; the biased exponent
//                 (ea - lza) - (eb - lzb) + 127 is formed in stage 2 and travels along
//   stage 15      normalize the quotient (24 significand bits, guard, sticky = later quotient
//                 bits or a nonzero final remainder), the exponent drops by one when ma < mb
//   stage 16      denormalize below exponent 1 (shifted-out bits join the sticky bit), round to
//                 nearest even, pack, overflow to inf, or select the special result
// The carry-propagate logic of a recurrence stage is two 26-bit subtractions, each followed by
// a 2:1 select on its borrow (the select folds into the next subtraction's LUTs).
// Each stage's data registers load only when the stage takes a valid operation (clock enable =
// the valid bit in front of them) and its combinational logic lives in the enabled branch; the
// side channels and the tag are delay lines with one enable (busy: an operation enters or is
// in flight) so that they still map to SRLs. An idle divider then costs the Verilated model
// (almost) nothing per cycle; result_o keeps the last result while valid_o is 0.
`include "fp32_macros.svh"

module fp32_div #(
  parameter int unsigned TAG_W = 1
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic             valid_i,
  input  logic [31:0]      a_i,
  input  logic [31:0]      b_i,
  input  logic [TAG_W-1:0] tag_i,
  output logic             valid_o,
  output logic [31:0]      result_o,
  output logic [TAG_W-1:0] tag_o
);

  localparam int unsigned QBITS   = 26;         // quotient bits computed
  localparam int unsigned STEPS   = QBITS / 2;  // recurrence stages, two bits each
  localparam int unsigned LATENCY = 1 + STEPS + 2;


  // ---------------------------------------------------------------------------------------
  // Valid bits (the only reset flops) and the delay lines' clock enable
  // ---------------------------------------------------------------------------------------
  logic [LATENCY-1:0] pipe_valid;  // pipe_valid[j]: stage j + 1's registers hold an operation
  logic               busy;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) pipe_valid <= '0;
    else         pipe_valid <= {pipe_valid[LATENCY-2:0], valid_i};
  end

  // The delay lines' last elements hold while their values are used.
  assign busy = valid_i || (pipe_valid[LATENCY-2:0] != '0);

  // Leading-zero count of a 24-bit significand (24 when zero). A nonzero significand has at most
  // 23 leading zeros; zero operands take the special path, so the count's value 24 (and its top
  // bit's use) never matters.
  `VP_FP32_LZC_FUNCTION(lzc24, 24, 5, 5'd24)

  // ---------------------------------------------------------------------------------------
  // Stage 1: classify, normalize the significands
  // ---------------------------------------------------------------------------------------
  localparam int unsigned RW = 25;  // partial remainder
  localparam int unsigned DW = 24;  // divisor significand

  localparam int unsigned SIDE_W = 1 + 32 + 1;  // special, special result, sign

  logic [7:0]    s1_a_exp_q, s1_b_exp_q;
  logic [4:0]    s1_a_lz_q, s1_b_lz_q;
  logic [RW-1:0] s1_rem_q;  // the normalized significands, feeding recurrence stage 0
  logic [DW-1:0] s1_div_q;

  // The special case (its result and the sign) goes down the side channel line (below).
  always_ff @(posedge clk_i) begin
    if (valid_i) begin : s1_logic
      logic [23:0] a_man, b_man;
      logic [4:0]  a_lz, b_lz;

      // Subnormals have exponent 1 and no hidden bit.
      a_man = {a_i[30:23] != 8'd0, a_i[22:0]};
      b_man = {b_i[30:23] != 8'd0, b_i[22:0]};
      a_lz  = lzc24(a_man);
      b_lz  = lzc24(b_man);

      s1_a_exp_q <= (a_i[30:23] == 8'd0) ? 8'd1 : a_i[30:23];
      s1_b_exp_q <= (b_i[30:23] == 8'd0) ? 8'd1 : b_i[30:23];
      s1_a_lz_q  <= a_lz;
      s1_b_lz_q  <= b_lz;
      s1_rem_q   <= {1'b0, a_man << a_lz};
      s1_div_q   <= b_man << b_lz;
    end
  end

  // One subtract-and-select step: {quotient bit, next partial remainder}, the kept value
  // doubled. A remainder below 2 * mb minus mb is below 2^24: bit 24 of a kept difference is
  // zero, as is bit 24 of a remainder kept on a borrow (below mb), so the doubling drops no 1.
  function automatic logic [RW:0] div_step(input logic [RW-1:0] rem, input logic [DW-1:0] dv);
    logic [25:0] diff;
    diff     = {1'b0, rem} - {2'b00, dv};
    div_step = diff[25] ? {1'b0, rem << 1} : {1'b1, diff[24:0] << 1};
  endfunction

  // ---------------------------------------------------------------------------------------
  // Stages 2..14: restoring division of ma by mb (both in [2^23, 2^24)). The partial remainder
  // stays below 2 * mb < 2^25; each step subtracts mb, keeps the difference when it does not
  // borrow (quotient bit 1), and doubles. Recurrence stage k reads stage 1's registers (k = 0,
  // the quotient starts at 0) or those of g_step[k-1], and writes its own.
  // ---------------------------------------------------------------------------------------
  for (genvar k = 0; k < STEPS; k++) begin : g_step
    logic [RW-1:0]    rem_in, rem_q;
    logic [DW-1:0]    div_in, div_q;
    logic [QBITS-1:0] quo_in, quo_q;
    logic             unused_quo;

    if (k == 0) begin : g_first
      assign rem_in = s1_rem_q;
      assign div_in = s1_div_q;
      assign quo_in = '0;
    end else begin : g_next
      assign rem_in = g_step[k-1].rem_q;
      assign div_in = g_step[k-1].div_q;
      assign quo_in = g_step[k-1].quo_q;
    end

    // The quotient's top two bits are still zero here (they shift out only past the last
    // stage).
    assign unused_quo = ^quo_in[QBITS-1:QBITS-2];

    always_ff @(posedge clk_i) begin
      if (pipe_valid[k]) begin : step_logic
        logic        bit_hi, bit_lo;
        logic [24:0] rem_mid, rem_next;

        {bit_hi, rem_mid}  = div_step(rem_in, div_in);
        {bit_lo, rem_next} = div_step(rem_mid, div_in);
        rem_q      <= rem_next;
        quo_q[1:0] <= {bit_hi, bit_lo};
      end
    end

    // The divisor and the earlier quotient bits only ride along: delay lines with the shared
    // enable (SRL friendly).
    always_ff @(posedge clk_i) begin
      if (busy) begin
        div_q            <= div_in;
        quo_q[QBITS-1:2] <= quo_in[QBITS-3:0];
      end
    end
  end

  // ---------------------------------------------------------------------------------------
  // Side channels (delay lines): the special case, its result and the sign, classified from
  // the operands in stage 1 (g_side_line[c].side_q holds stage c's, c = 1..15), and the
  // unnormalized biased exponent (range -149 .. 403, 11-bit signed), formed in stage 2
  // (g_exp_line[c].exp_q holds stage c + 1's, c = 1..13). One variable per element in a
  // generate loop: Verilator gives self-shifted vectors written by nonblocking assignments
  // shadow copies paid at every edge.
  // ---------------------------------------------------------------------------------------
  localparam int unsigned SIDE_LEN = STEPS + 2;

  for (genvar c = 1; c <= SIDE_LEN; c++) begin : g_side_line
    logic [SIDE_W-1:0] side_q;
    if (c == 1) begin : g_in
      always_ff @(posedge clk_i) begin
        if (busy) begin : classify
          logic        sign;
          logic        a_nan, b_nan, a_inf, b_inf, a_zero, b_zero;
          logic        special;
          logic [31:0] special_res;

          sign   = a_i[31] ^ b_i[31];
          a_nan  = (a_i[30:23] == 8'hFF) && (a_i[22:0] != 23'd0);
          b_nan  = (b_i[30:23] == 8'hFF) && (b_i[22:0] != 23'd0);
          a_inf  = (a_i[30:0] == 31'h7F80_0000);
          b_inf  = (b_i[30:0] == 31'h7F80_0000);
          a_zero = (a_i[30:0] == 31'd0);
          b_zero = (b_i[30:0] == 31'd0);

          special = a_nan | b_nan | a_inf | b_inf | a_zero | b_zero;
          if (a_nan)                                        special_res = a_i | llama_pkg::F_QUIET_BIT;
          else if (b_nan)                                   special_res = b_i | llama_pkg::F_QUIET_BIT;
          else if ((a_inf && b_inf) || (a_zero && b_zero))  special_res = llama_pkg::F_DEFAULT_NAN;
          else if (a_inf || b_zero)                         special_res = {sign, 31'h7F80_0000};
          else                                              special_res = {sign, 31'd0};  // 0/x, x/inf

          side_q <= {special, special_res, sign};
        end
      end
    end else begin : g_shift
      always_ff @(posedge clk_i) if (busy) side_q <= g_side_line[c-1].side_q;
    end
  end

  for (genvar c = 1; c <= STEPS; c++) begin : g_exp_line
    logic [10:0] exp_q;
    if (c == 1) begin : g_in
      always_ff @(posedge clk_i) begin
        if (busy) begin
          exp_q <= ({3'd0, s1_a_exp_q} - {6'd0, s1_a_lz_q}) - ({3'd0, s1_b_exp_q} - {6'd0, s1_b_lz_q})
                   + 11'd127;
        end
      end
    end else begin : g_shift
      always_ff @(posedge clk_i) if (busy) exp_q <= g_exp_line[c-1].exp_q;
    end
  end

  // ---------------------------------------------------------------------------------------
  // Stage 15: normalize the quotient to {24-bit significand, guard, sticky}; the leading
  // quotient bit (weight 2^0) is 0 when ma < mb, then the exponent drops by one.
  // ---------------------------------------------------------------------------------------
  logic [10:0] s15_exp_q;
  logic [25:0] s15_sig_q;

  always_ff @(posedge clk_i) begin
    if (pipe_valid[STEPS]) begin : s15_logic
      logic [QBITS-1:0] q_fin;
      logic             rem_nonzero;
      logic [10:0]      s14_exp;

      q_fin       = g_step[STEPS-1].quo_q;
      rem_nonzero = g_step[STEPS-1].rem_q != 25'd0;
      s14_exp     = g_exp_line[STEPS].exp_q;
      if (q_fin[QBITS-1]) begin
        s15_sig_q <= {q_fin[25:1], q_fin[0] | rem_nonzero};
        s15_exp_q <= s14_exp;
      end else begin
        s15_sig_q <= {q_fin[24:0], rem_nonzero};
        s15_exp_q <= s14_exp - 11'd1;
      end
    end
  end

  // ---------------------------------------------------------------------------------------
  // Stage 16: denormalize below exponent 1, round to nearest even, pack (significand added to
  // (exp - 1) << 23 so carries bump the exponent), overflow to inf.
  // ---------------------------------------------------------------------------------------
  logic        s15_special, s15_sign;
  logic [31:0] s15_special_res;
  logic [31:0] s16_result_q;

  assign {s15_special, s15_special_res, s15_sign} = g_side_line[SIDE_LEN].side_q;

  always_ff @(posedge clk_i) begin
    if (pipe_valid[STEPS+1]) begin : s16_logic
      logic        exp_low;
      logic [10:0] denorm_shift;
      logic [10:0] res_exp;
      logic [25:0] sig_shifted, sig_lost, sig;
      logic        round_up;
      logic [33:0] packed_res;

      exp_low      = $signed(s15_exp_q) < 11'sd1;
      denorm_shift = exp_low ? (11'd1 - s15_exp_q) : 11'd0;
      res_exp      = exp_low ? 11'd1 : s15_exp_q;
      if (denorm_shift >= 11'd26) begin
        sig_shifted = 26'd0;
        sig_lost    = s15_sig_q;
      end else begin
        sig_shifted = s15_sig_q >> denorm_shift[4:0];
        sig_lost    = s15_sig_q & ~({26{1'b1}} << denorm_shift[4:0]);
      end
      sig        = {sig_shifted[25:1], sig_shifted[0] | (|sig_lost)};
      round_up   = sig[1] & (sig[0] | sig[2]);
      packed_res = {res_exp - 11'd1, 23'd0} + {10'd0, sig[25:2]} + {33'd0, round_up};
      if (s15_special)                        s16_result_q <= s15_special_res;
      else if (packed_res[33:23] >= 11'd255)  s16_result_q <= {s15_sign, 31'h7F80_0000};
      else                                    s16_result_q <= {s15_sign, packed_res[30:0]};
    end
  end

  // ---------------------------------------------------------------------------------------
  // Tag sideband (no reset): g_tag_line[c].tag_q holds tag_i of c cycles ago.
  // ---------------------------------------------------------------------------------------
  for (genvar c = 1; c <= LATENCY; c++) begin : g_tag_line
    logic [TAG_W-1:0] tag_q;
    if (c == 1) begin : g_in
      always_ff @(posedge clk_i) if (busy) tag_q <= tag_i;
    end else begin : g_shift
      always_ff @(posedge clk_i) if (busy) tag_q <= g_tag_line[c-1].tag_q;
    end
  end

  logic unused_div;
  assign unused_div = ^g_step[STEPS-1].div_q;

  assign valid_o  = pipe_valid[LATENCY-1];
  assign result_o = s16_result_q;
  assign tag_o    = g_tag_line[LATENCY].tag_q;

endmodule
