// 1/x exactly as vp::fp::reciprocal (hls/fp32_math.h), bit for bit for every input:
//   NaN -> x unchanged; |x| < 2^-126 (zeros, subnormals) -> signed inf; |x| > 2^126 ->
//   signed 0; otherwise a = |x|, y = bits(0x7ef311c7 - bits(a)), three Newton steps
//   y = y * (2 - a * y), result = bits(y) | sign(x).
// Fully pipelined: one input per cycle, no stalls. Every IEEE
// operation has its own fp32_mul (latency 3) or fp32_add (latency 4), chained in the C++
// order and operand order; x (for a, the sign and NaN passthrough), each step's y, the
// special-case kind, valid and tag ride delay lines beside the chain. Special inputs go down
// the chain too (their arithmetic is discarded) and their result is selected at the end, so
// every result leaves exactly LATENCY = 31 cycles after its input, in input order.
//
// Cycle at which each value is ready (x_i is presented in cycle 0; a value of cycle c has
// passed c register stages, so result_o of cycle LATENCY is LATENCY registers deep):
//    0       x_i: NaN / range checks -> kind; a = |x|, seed y0; issue a * y0          fmul
//    10k     Newton step k = 0..2 on y_k (y_0 = seed, y_k the previous step's result):
//    10k     issue e = a * y_k (a = |x| delayed 10k)                                   fmul
//    10k+3   e: issue d = 2 - e                                                       fadd
//    10k+7   d: issue y_k * d (y_k delayed 7)                                         fmul
//    30      y_3 | sign or the special result, registered
//    31      result_o, valid_o, tag_o
// Valid is the only reset flop; data and tag delay lines have no reset (SRL friendly). The delay
// lines shift only while the pipeline holds an input (busy: valid_i or a valid bit in flight),
// one clock enable shared by a whole line so that it still maps to SRLs. An idle pipeline then
// keeps its state, which costs the Verilated model (almost) nothing per cycle; results are
// those of the always-shifting lines, since every input's values move on at each edge from its
// entry to its result.
`include "fp32_macros.svh"

module fp32_reciprocal_pipeline #(
  parameter int unsigned TAG_W = 1          // sideband carried alongside each input
) (
  `VP_FP32_PIPELINE_PORTS  // x_i in, result_o out exactly LATENCY cycles later, tag_i along
);

  localparam int unsigned LATENCY = 31;      // hls/fp32_pipeline_latency.h kReciprocalPipelineLatency

  localparam logic [31:0] MAGIC    = 32'h7EF3_11C7;
  localparam logic [30:0] MIN_NORM = 31'h0080_0000;  // 2^-126
  localparam logic [30:0] MAX_MAG  = 31'h7E80_0000;  // 2^126
  localparam logic [31:0] TWO      = 32'h4000_0000;  // 2.0f

  localparam int unsigned STEP     = 10;   // fmul + fadd + fmul
  localparam int unsigned T_SELECT = 30;
  localparam int unsigned Y_DELAY  = 7;    // y_k from its step's start to y_k * d


  // ---------------------------------------------------------------------------------------
  // Valid and tag
  // ---------------------------------------------------------------------------------------
  logic [LATENCY:1] valid_q;  // valid_q[c]: the input of c cycles ago was valid
  logic             busy;     // clock enable of the delay lines
  fp_pipeline_control #(.LATENCY(LATENCY), .TAG_W(TAG_W)) u_control (
    .clk_i, .rst_ni, .valid_i, .tag_i, .valid_line_o(valid_q), .busy_o(busy), .tag_o);

  // Delay lines: g_<name>_line[c].<name>_q holds the value of the input of c cycles ago. One
  // variable per element in a generate loop: Verilator gives unpacked array elements written by
  // nonblocking assignments shadow copies paid at every edge.

  // ---------------------------------------------------------------------------------------
  // Cycle 0: special cases, a = |x|, the seed; x and the kind down their delay lines
  // ---------------------------------------------------------------------------------------
  logic        x_nan;
  logic [30:0] x_mag;
  logic [31:0] seed;
  llama_pkg::fp32_kind_e kind;

  always_comb begin
    x_mag = x_i[30:0];
    x_nan = (x_i[30:23] == 8'hFF) && (x_i[22:0] != 23'd0);
    seed  = MAGIC - {1'b0, x_mag};
    if (x_nan)                 kind = llama_pkg::KindNan;
    else if (x_mag < MIN_NORM) kind = llama_pkg::KindInf;
    else if (x_mag > MAX_MAG)  kind = llama_pkg::KindZero;
    else                       kind = llama_pkg::KindNormal;
  end

  for (genvar c = 1; c <= T_SELECT; c++) begin : g_x_line
    logic [31:0] x_q;
    llama_pkg::fp32_kind_e kind_q;
    if (c == 1) begin : g_in
      always_ff @(posedge clk_i) begin
        if (busy) begin
          x_q    <= x_i;
          kind_q <= kind;
        end
      end
    end else begin : g_shift
      always_ff @(posedge clk_i) begin
        if (busy) begin
          x_q    <= g_x_line[c-1].x_q;
          kind_q <= g_x_line[c-1].kind_q;
        end
      end
    end
  end

  // ---------------------------------------------------------------------------------------
  // Cycles 0..30: three Newton steps y = y * (2 - a * y)
  // ---------------------------------------------------------------------------------------
  logic [31:0] y [4];           // y[0] = seed, y[k + 1] = y[k] * (2 - a * y[k])
  logic [2:0]  e_valid, d_valid, y_valid;
  logic        unused_step_valid;

  assign y[0] = seed;

  for (genvar k = 0; k < 3; k++) begin : g_newton
    logic        start_valid;
    logic [31:0] a, e, d;

    if (k == 0) begin : g_start_now
      assign start_valid = valid_i;
      assign a           = {1'b0, x_mag};
    end else begin : g_start_delayed
      assign start_valid = valid_q[k * STEP];
      assign a           = {1'b0, g_x_line[k * STEP].x_q[30:0]};
    end

    for (genvar c = 1; c <= Y_DELAY; c++) begin : g_y_line
      logic [31:0] y_q;
      if (c == 1) begin : g_in
        always_ff @(posedge clk_i) if (busy) y_q <= y[k];
      end else begin : g_shift
        always_ff @(posedge clk_i) if (busy) y_q <= g_y_line[c-1].y_q;
      end
    end

    fp32_mul u_mul_error (
      .clk_i   (clk_i),
      .rst_ni  (rst_ni),
      .valid_i (start_valid),
      .a_i     (a),
      .b_i     (y[k]),
      .valid_o (e_valid[k]),
      .result_o(e)
    );

    fp32_add u_add (
      .clk_i   (clk_i),
      .rst_ni  (rst_ni),
      .valid_i (valid_q[k * STEP + 3]),
      .a_i     (TWO),
      .b_i     (e),
      .sub_i   (1'b1),
      .valid_o (d_valid[k]),
      .result_o(d)
    );

    fp32_mul u_mul_update (
      .clk_i   (clk_i),
      .rst_ni  (rst_ni),
      .valid_i (valid_q[k * STEP + Y_DELAY]),
      .a_i     (g_y_line[Y_DELAY].y_q),
      .b_i     (d),
      .valid_o (y_valid[k]),
      .result_o(y[k + 1])
    );
  end
  assign unused_step_valid = ^{e_valid, d_valid, y_valid};

  // ---------------------------------------------------------------------------------------
  // Cycles 30..31: select, register
  // ---------------------------------------------------------------------------------------
  logic        sign;
  logic [31:0] result_q;

  assign sign = g_x_line[T_SELECT].x_q[31];

  always_ff @(posedge clk_i) begin
    if (valid_q[T_SELECT]) begin
      unique case (g_x_line[T_SELECT].kind_q)
        llama_pkg::KindNan:  result_q <= g_x_line[T_SELECT].x_q;
        llama_pkg::KindInf:  result_q <= {sign, 31'h7F80_0000};
        llama_pkg::KindZero: result_q <= {sign, 31'd0};
        default:   result_q <= y[3] | {sign, 31'd0};
      endcase
    end
  end

  assign valid_o  = valid_q[LATENCY];
  assign result_o = result_q;

endmodule
