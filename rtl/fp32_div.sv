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

  localparam logic [31:0] DEFAULT_NAN = 32'hFFC0_0000;
  localparam logic [31:0] QUIET_BIT   = 32'h0040_0000;

  // ---------------------------------------------------------------------------------------
  // Stage 1: classify, normalize the significands
  // ---------------------------------------------------------------------------------------
  logic        sign;
  logic        a_nan, b_nan, a_inf, b_inf, a_zero, b_zero;
  logic        special;
  logic [31:0] special_res;
  logic [7:0]  a_exp, b_exp;
  logic [23:0] a_man, b_man;
  logic [4:0]  a_lz, b_lz;

  // A nonzero 24-bit significand has at most 23 leading zeros; zero operands take the special
  // path, so the count's value 24 (and its top bit's use) never matters.
  fp_lzc #(
    .WIDTH(24)
  ) u_lzc_a (
    .in_i (a_man),
    .cnt_o(a_lz)
  );

  fp_lzc #(
    .WIDTH(24)
  ) u_lzc_b (
    .in_i (b_man),
    .cnt_o(b_lz)
  );

  always_comb begin
    sign   = a_i[31] ^ b_i[31];
    a_nan  = (a_i[30:23] == 8'hFF) && (a_i[22:0] != 23'd0);
    b_nan  = (b_i[30:23] == 8'hFF) && (b_i[22:0] != 23'd0);
    a_inf  = (a_i[30:0] == 31'h7F80_0000);
    b_inf  = (b_i[30:0] == 31'h7F80_0000);
    a_zero = (a_i[30:0] == 31'd0);
    b_zero = (b_i[30:0] == 31'd0);

    special = a_nan | b_nan | a_inf | b_inf | a_zero | b_zero;
    if (a_nan)                                        special_res = a_i | QUIET_BIT;
    else if (b_nan)                                   special_res = b_i | QUIET_BIT;
    else if ((a_inf && b_inf) || (a_zero && b_zero))  special_res = DEFAULT_NAN;
    else if (a_inf || b_zero)                         special_res = {sign, 31'h7F80_0000};
    else                                              special_res = {sign, 31'd0};  // 0/x, x/inf

    // Subnormals have exponent 1 and no hidden bit.
    a_exp = (a_i[30:23] == 8'd0) ? 8'd1 : a_i[30:23];
    b_exp = (b_i[30:23] == 8'd0) ? 8'd1 : b_i[30:23];
    a_man = {a_i[30:23] != 8'd0, a_i[22:0]};
    b_man = {b_i[30:23] != 8'd0, b_i[22:0]};
  end

  logic [7:0]  s1_a_exp_q, s1_b_exp_q;
  logic [4:0]  s1_a_lz_q, s1_b_lz_q;

  always_ff @(posedge clk_i) begin
    s1_a_exp_q <= a_exp;
    s1_b_exp_q <= b_exp;
    s1_a_lz_q  <= a_lz;
    s1_b_lz_q  <= b_lz;
  end

  // ---------------------------------------------------------------------------------------
  // Stages 2..14: restoring division of ma by mb (both in [2^23, 2^24)). The partial remainder
  // stays below 2 * mb < 2^25; each step subtracts mb, keeps the difference when it does not
  // borrow (quotient bit 1), and doubles. Slice k of rem, div, quo (flat vectors: Yosys 0.23
  // takes no multidimensional packed arrays) holds the registers feeding recurrence stage k
  // (k = 0: stage 1's, the normalized significands); stage k writes slice k + 1.
  // ---------------------------------------------------------------------------------------
  localparam int unsigned RW = 25;  // partial remainder
  localparam int unsigned DW = 24;  // divisor significand

  logic [(STEPS+1)*RW-1:0]    rem;
  logic [(STEPS+1)*DW-1:0]    div;
  logic [(STEPS+1)*QBITS-1:0] quo;

  always_ff @(posedge clk_i) begin
    rem[0 +: RW]    <= {1'b0, a_man << a_lz};
    div[0 +: DW]    <= b_man << b_lz;
    quo[0 +: QBITS] <= '0;
  end

  for (genvar k = 0; k < STEPS; k++) begin : g_step
    logic [RW-1:0]    rem_in;
    logic [DW-1:0]    div_in;
    logic [QBITS-1:0] quo_in;
    logic [25:0]      diff_hi, diff_lo;
    logic [24:0]      rem_mid, rem_next;
    logic             bit_hi, bit_lo;
    logic             unused_diff;

    always_comb begin
      rem_in   = rem[k*RW +: RW];
      div_in   = div[k*DW +: DW];
      quo_in   = quo[k*QBITS +: QBITS];
      diff_hi  = {1'b0, rem_in} - {2'b00, div_in};
      bit_hi   = ~diff_hi[25];
      rem_mid  = bit_hi ? {diff_hi[23:0], 1'b0} : {rem_in[23:0], 1'b0};
      diff_lo  = {1'b0, rem_mid} - {2'b00, div_in};
      bit_lo   = ~diff_lo[25];
      rem_next = bit_lo ? {diff_lo[23:0], 1'b0} : {rem_mid[23:0], 1'b0};
    end

    // A remainder below 2 * mb minus mb is below 2^24: bit 24 of a kept difference is zero,
    // as is bit 24 of a remainder kept on a borrow (below mb). The quotient's top two bits
    // are still zero here (they shift out of the slice only past the last stage).
    assign unused_diff = ^{diff_hi[24], diff_lo[24], quo_in[QBITS-1:QBITS-2]};

    always_ff @(posedge clk_i) begin
      rem[(k+1)*RW +: RW]       <= rem_next;
      div[(k+1)*DW +: DW]       <= div_in;
      quo[(k+1)*QBITS +: QBITS] <= {quo_in[QBITS-3:0], bit_hi, bit_lo};
    end
  end

  // ---------------------------------------------------------------------------------------
  // Side channels through stages 2..15 (delay lines): the special case, sign and the
  // unnormalized biased exponent (range -149 .. 403, 11-bit signed), formed in stage 2.
  // ---------------------------------------------------------------------------------------
  logic [10:0] exp_d;

  always_comb begin
    exp_d = ({3'd0, s1_a_exp_q} - {6'd0, s1_a_lz_q}) - ({3'd0, s1_b_exp_q} - {6'd0, s1_b_lz_q})
            + 11'd127;
  end

  localparam int unsigned SIDE_W = 1 + 32 + 1;  // special, special result, sign

  logic [(STEPS+1)*SIDE_W-1:0] pipe_side;  // stages 1..14
  logic [STEPS*11-1:0]         pipe_exp;   // stages 2..14
  logic                        s14_special, s14_sign;
  logic [31:0]                 s14_special_res;
  logic [10:0]                 s14_exp;

  always_ff @(posedge clk_i) begin
    pipe_side <= {pipe_side[STEPS*SIDE_W-1:0], special, special_res, sign};
    pipe_exp  <= {pipe_exp[(STEPS-1)*11-1:0], exp_d};
  end

  assign {s14_special, s14_special_res, s14_sign} = pipe_side[(STEPS+1)*SIDE_W-1 -: SIDE_W];
  assign s14_exp = pipe_exp[STEPS*11-1 -: 11];

  // ---------------------------------------------------------------------------------------
  // Stage 15: normalize the quotient to {24-bit significand, guard, sticky}; the leading
  // quotient bit (weight 2^0) is 0 when ma < mb, then the exponent drops by one.
  // ---------------------------------------------------------------------------------------
  logic [QBITS-1:0] q_fin;
  logic             rem_nonzero;
  logic [25:0]      norm_sig;
  logic [10:0]      norm_exp;

  always_comb begin
    q_fin       = quo[STEPS*QBITS +: QBITS];
    rem_nonzero = rem[STEPS*RW +: RW] != 25'd0;
    if (q_fin[QBITS-1]) begin
      norm_sig = {q_fin[25:1], q_fin[0] | rem_nonzero};
      norm_exp = s14_exp;
    end else begin
      norm_sig = {q_fin[24:0], rem_nonzero};
      norm_exp = s14_exp - 11'd1;
    end
  end

  logic        s15_special_q;
  logic [31:0] s15_special_res_q;
  logic        s15_sign_q;
  logic [10:0] s15_exp_q;
  logic [25:0] s15_sig_q;

  always_ff @(posedge clk_i) begin
    s15_special_q     <= s14_special;
    s15_special_res_q <= s14_special_res;
    s15_sign_q        <= s14_sign;
    s15_exp_q         <= norm_exp;
    s15_sig_q         <= norm_sig;
  end

  // ---------------------------------------------------------------------------------------
  // Stage 16: denormalize below exponent 1, round to nearest even, pack (significand added to
  // (exp - 1) << 23 so carries bump the exponent), overflow to inf.
  // ---------------------------------------------------------------------------------------
  logic        exp_low;
  logic [10:0] denorm_shift;
  logic [10:0] res_exp;
  logic [25:0] sig_shifted, sig_lost, sig;
  logic        round_up;
  logic [33:0] packed_res;
  logic [31:0] result_d;

  always_comb begin
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
    if (s15_special_q)                      result_d = s15_special_res_q;
    else if (packed_res[33:23] >= 11'd255)  result_d = {s15_sign_q, 31'h7F80_0000};
    else                                    result_d = {s15_sign_q, packed_res[30:0]};
  end

  logic [31:0] s16_result_q;

  always_ff @(posedge clk_i) begin
    s16_result_q <= result_d;
  end

  // ---------------------------------------------------------------------------------------
  // Tag sideband (no reset) and valid bits (the only reset flops).
  // ---------------------------------------------------------------------------------------
  logic [LATENCY*TAG_W-1:0] pipe_tag;
  logic [LATENCY-1:0]       pipe_valid;

  always_ff @(posedge clk_i) begin
    pipe_tag <= {pipe_tag[(LATENCY-1)*TAG_W-1:0], tag_i};
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) pipe_valid <= '0;
    else         pipe_valid <= {pipe_valid[LATENCY-2:0], valid_i};
  end

  logic unused_div;
  assign unused_div = ^div[STEPS*DW +: DW];

  assign valid_o  = pipe_valid[LATENCY-1];
  assign result_o = s16_result_q;
  assign tag_o    = pipe_tag[LATENCY*TAG_W-1 -: TAG_W];

endmodule
