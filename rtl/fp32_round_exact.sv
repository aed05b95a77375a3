// fp32 -> int32 rounding half away from zero, exactly on the float's value (C round()/lround()),
// as vp::fp::round_half_away_exact (hls/fp32_math.h); unlike fp32_round_half_away (x +/- 0.5f
// with an fp add, which rounds e.g. 0.49999997f to 1) it gives round() for every |x| < 2^31.
// |x| < 0.5 (zeros, subnormals) gives 0; |x| >= 2^31, infinities and NaN give 0x80000000
// (x86 integer indefinite, as the C++ twin and fp32_to_int_trunc).
//
// Fixed LATENCY = 2 register stages, fully pipelined (one conversion per cycle): an input
// sampled with valid_i at clock edge k appears on int_o with valid_o (and tag_i on tag_o) after
// edge k + LATENCY - 1 (counting the sampling edge, the result comes with the LATENCY-th edge;
// hls/fp32_pipeline_latency.h kRoundExactLatency). Stages:
//   stage 1  decode; shift the 24-bit significand left by e - 126 (0..31) so that
//            |x| = v * 2^-24: integer part I = v[54:24], half bit h = v[23]
//   stage 2  one 32-bit add: |x| rounded = I + h, and for x < 0 its negation
//            -(I + h) = ~I + (1 - h), so result = (I ^ s) + (h ^ s) with s the sign; select
//            0 or 0x80000000 outside [0.5, 2^31)
module fp32_round_exact #(
  parameter int unsigned TAG_W = 1
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic             valid_i,
  input  logic [31:0]      x_i,
  input  logic [TAG_W-1:0] tag_i,
  output logic             valid_o,
  output logic [31:0]      int_o,
  output logic [TAG_W-1:0] tag_o
);

  localparam int unsigned LATENCY = 2;

  // Each stage's data registers load only when the stage takes a valid operation (clock enable =
  // the valid bit in front of them) and its combinational logic lives in the enabled branch: the
  // same hardware as always_comb logic feeding the registers, but the Verilated model skips an
  // idle stage. The tag line shares one enable (busy: an input enters or one is in flight) so it
  // still maps to SRLs. int_o keeps the last result while valid_o is 0.

  // ---------------------------------------------------------------------------------------
  // Valid bits (the only reset flops) and the tag line's clock enable
  // ---------------------------------------------------------------------------------------
  logic [LATENCY-1:0] pipe_valid;
  logic               busy;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) pipe_valid <= '0;
    else         pipe_valid <= {pipe_valid[LATENCY-2:0], valid_i};
  end

  assign busy = valid_i || (pipe_valid[LATENCY-2:0] != '0);

  // ---------------------------------------------------------------------------------------
  // Stage 1: decode and align
  // ---------------------------------------------------------------------------------------
  logic        s1_sign_q, s1_zero_q, s1_indefinite_q, s1_half_q;
  logic [30:0] s1_int_q;

  always_ff @(posedge clk_i) begin
    if (valid_i) begin : s1_logic
      logic [7:0]  exp_field;
      logic [4:0]  shift;
      logic [31:0] int_half;  // bits 54:23 of the shifted significand: I and h

      exp_field = x_i[30:23];
      shift     = 5'(exp_field - 8'd126);  // 0..31 where used
      int_half  = 32'(({31'd0, 1'b1, x_i[22:0]} << shift) >> 23);

      s1_sign_q       <= x_i[31];
      s1_zero_q       <= exp_field < 8'd126;   // |x| < 0.5
      s1_indefinite_q <= exp_field >= 8'd158;  // |x| >= 2^31, inf, NaN
      s1_int_q        <= int_half[31:1];
      s1_half_q       <= int_half[0];
    end
  end

  // ---------------------------------------------------------------------------------------
  // Stage 2: round, negate, select
  // ---------------------------------------------------------------------------------------
  logic [31:0] s2_int_q;

  always_ff @(posedge clk_i) begin
    if (pipe_valid[0]) begin : s2_logic
      logic [31:0] rounded;

      rounded = ({1'b0, s1_int_q} ^ {32{s1_sign_q}}) + {31'd0, s1_half_q ^ s1_sign_q};
      if (s1_indefinite_q)  s2_int_q <= 32'h8000_0000;
      else if (s1_zero_q)   s2_int_q <= 32'd0;
      else                  s2_int_q <= rounded;
    end
  end

  // ---------------------------------------------------------------------------------------
  // Tag sideband (no reset): g_tag_line[c].tag_q holds tag_i of c cycles ago. One variable per
  // element in a generate loop: Verilator gives self-shifted vectors written by nonblocking
  // assignments shadow copies paid at every edge.
  // ---------------------------------------------------------------------------------------
  for (genvar c = 1; c <= LATENCY; c++) begin : g_tag_line
    logic [TAG_W-1:0] tag_q;
    if (c == 1) begin : g_in
      always_ff @(posedge clk_i) if (busy) tag_q <= tag_i;
    end else begin : g_shift
      always_ff @(posedge clk_i) if (busy) tag_q <= g_tag_line[c-1].tag_q;
    end
  end

  assign valid_o = pipe_valid[LATENCY-1];
  assign int_o   = s2_int_q;
  assign tag_o   = g_tag_line[LATENCY].tag_q;

endmodule
