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

  // ---------------------------------------------------------------------------------------
  // Stage 1: decode and align
  // ---------------------------------------------------------------------------------------
  logic [7:0]  exp_field;
  logic [7:0]  shift;
  logic [54:0] scaled;
  logic        below_half, out_of_range;

  always_comb begin
    exp_field    = x_i[30:23];
    below_half   = exp_field < 8'd126;   // |x| < 0.5
    out_of_range = exp_field >= 8'd158;  // |x| >= 2^31, inf, NaN
    shift        = exp_field - 8'd126;   // 0..31 where used
    scaled       = {31'd0, 1'b1, x_i[22:0]} << shift[4:0];
  end

  logic        s1_sign_q, s1_zero_q, s1_indefinite_q, s1_half_q;
  logic [30:0] s1_int_q;

  always_ff @(posedge clk_i) begin
    s1_sign_q       <= x_i[31];
    s1_zero_q       <= below_half;
    s1_indefinite_q <= out_of_range;
    s1_int_q        <= scaled[54:24];
    s1_half_q       <= scaled[23];
  end

  // ---------------------------------------------------------------------------------------
  // Stage 2: round, negate, select
  // ---------------------------------------------------------------------------------------
  logic [31:0] rounded;
  logic [31:0] int_d;

  always_comb begin
    rounded = ({1'b0, s1_int_q} ^ {32{s1_sign_q}}) + {31'd0, s1_half_q ^ s1_sign_q};
    if (s1_indefinite_q)  int_d = 32'h8000_0000;
    else if (s1_zero_q)   int_d = 32'd0;
    else                  int_d = rounded;
  end

  logic [31:0] s2_int_q;

  always_ff @(posedge clk_i) begin
    s2_int_q <= int_d;
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

  logic unused_scaled;
  assign unused_scaled = ^{scaled[22:0], shift[7:5]};

  assign valid_o = pipe_valid[LATENCY-1];
  assign int_o   = s2_int_q;
  assign tag_o   = pipe_tag[LATENCY*TAG_W-1 -: TAG_W];

endmodule
