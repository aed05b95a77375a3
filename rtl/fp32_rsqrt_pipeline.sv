// 1/sqrt(x) exactly as vp::fp::rsqrt (hls/fp32_math.h), bit for bit for every input:
//   NaN -> x unchanged; x < 0 -> 0x7FC00000; bits(x) < 0x00800000 (+0, positive
//   subnormals) -> +inf; bits(x) >= 0x7F800000 (+inf, and -0, whose bits are 0x80000000)
//   -> +0; otherwise h = 0.5 * x, y = bits(0x5f375a86 - (bits(x) >> 1)), three Newton steps
//   y = y * (1.5 - (h * y) * y).
// Fully pipelined: one input per cycle, no stalls. Every IEEE
// operation has its own fp32_mul (latency 3) or fp32_add (latency 4), chained in the C++
// order and operand order; h, each step's y, the special result, valid and tag ride delay
// lines beside the chain. Special inputs go down the chain too (their arithmetic is
// discarded) and their result is selected at the end, so every result leaves exactly
// LATENCY = 43 cycles after its input, in input order.
//
// Cycle at which each value is ready (x_i is presented in cycle 0; a value of cycle c has
// passed c register stages, so result_o of cycle LATENCY is LATENCY registers deep):
//    0        x_i: NaN / sign / range checks -> special result; seed y0; issue h = 0.5 * x  fmul
//    3 + 13k  Newton step k = 0..2 on y_k (y_0 = seed delayed 3, y_k the previous result):
//    3 + 13k  issue g = h * y_k (h delayed 13k)                                       fmul
//    6 + 13k  g: issue q = g * y_k (y_k delayed 3)                                    fmul
//    9 + 13k  q: issue d = 1.5 - q                                                    fadd
//   13 + 13k  d: issue y_k * d (y_k delayed 10)                                       fmul
//   42        y_3 or the special result, registered
//   43        result_o, valid_o, tag_o
// Valid is the only reset flop; data and tag delay lines have no reset (SRL friendly). The delay
// lines shift only while the pipeline holds an input (busy: valid_i or a valid bit in flight),
// one clock enable shared by a whole line so that it still maps to SRLs. An idle pipeline then
// keeps its state, which costs the Verilated model (almost) nothing per cycle; results are
// those of the always-shifting lines, since every input's values move on at each edge from its
// entry to its result.
`include "fp32_macros.svh"

module fp32_rsqrt_pipeline #(
  parameter int unsigned TAG_W = 1          // sideband carried alongside each input
) (
  `VP_FP32_PIPELINE_PORTS  // x_i in, result_o out exactly LATENCY cycles later, tag_i along
);

  localparam int unsigned LATENCY = 43;      // hls/fp32_pipeline_latency.h kRsqrtPipelineLatency

  localparam logic [31:0] MAGIC        = 32'h5F37_5A86;
  localparam logic [31:0] MIN_NORM     = 32'h0080_0000;  // 2^-126
  localparam logic [31:0] THREE_HALVES = 32'h3FC0_0000;  // 1.5f

  localparam int unsigned T_H      = 3;    // h ready, first step starts
  localparam int unsigned STEP     = 13;   // fmul + fmul + fadd + fmul
  localparam int unsigned T_SELECT = 42;
  localparam int unsigned H_DELAY  = 2 * STEP;  // h until the last step's h * y
  localparam int unsigned Y_DELAY  = 10;        // y_k from its step's start to y_k * d

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
  // Cycle 0: special cases (C++ compare and unsigned bit tests), the seed, h = 0.5 * x
  // ---------------------------------------------------------------------------------------
  logic        x_nan, x_negative, unused_x_positive;
  logic        special;
  logic [31:0] special_res, seed;

  assign x_nan = (x_i[30:23] == 8'hFF) && (x_i[22:0] != 23'd0);
  assign seed  = MAGIC - {1'b0, x_i[31:1]};

  fp32_compare u_cmp_sign (
    .a_i (x_i),
    .b_i (32'd0),
    .lt_o(x_negative),
    .gt_o(unused_x_positive)
  );

  always_comb begin
    special = 1'b1;
    if (x_nan)                special_res = x_i;
    else if (x_negative)      special_res = llama_pkg::F_QNAN;
    else if (x_i < MIN_NORM)  special_res = llama_pkg::F_POS_INF;
    else if (x_i >= llama_pkg::F_POS_INF) special_res = 32'd0;
    else begin
      special     = 1'b0;
      special_res = 32'd0;
    end
  end

  for (genvar c = 1; c <= T_SELECT; c++) begin : g_special_line
    logic        special_q;
    logic [31:0] special_res_q;
    if (c == 1) begin : g_in
      always_ff @(posedge clk_i) begin
        if (busy) begin
          special_q     <= special;
          special_res_q <= special_res;
        end
      end
    end else begin : g_shift
      always_ff @(posedge clk_i) begin
        if (busy) begin
          special_q     <= g_special_line[c-1].special_q;
          special_res_q <= g_special_line[c-1].special_res_q;
        end
      end
    end
  end
  for (genvar c = 1; c <= T_H; c++) begin : g_seed_line
    logic [31:0] seed_q;
    if (c == 1) begin : g_in
      always_ff @(posedge clk_i) if (busy) seed_q <= seed;
    end else begin : g_shift
      always_ff @(posedge clk_i) if (busy) seed_q <= g_seed_line[c-1].seed_q;
    end
  end

  logic        h_valid, unused_h_valid;
  logic [31:0] h;

  fp32_mul u_mul_half (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .valid_i (valid_i),
    .a_i     (llama_pkg::F_HALF),
    .b_i     (x_i),
    .valid_o (h_valid),
    .result_o(h)
  );
  assign unused_h_valid = h_valid;

  for (genvar c = 1; c <= H_DELAY; c++) begin : g_h_line
    logic [31:0] h_q;
    if (c == 1) begin : g_in
      always_ff @(posedge clk_i) if (busy) h_q <= h;
    end else begin : g_shift
      always_ff @(posedge clk_i) if (busy) h_q <= g_h_line[c-1].h_q;
    end
  end

  // ---------------------------------------------------------------------------------------
  // Cycles 3..42: three Newton steps y = y * (1.5 - (h * y) * y)
  // ---------------------------------------------------------------------------------------
  logic [31:0] y [4];           // y[0] = seed, y[k + 1] = y[k] * (1.5 - (h * y[k]) * y[k])
  logic [2:0]  g_valid, q_valid, d_valid, y_valid;
  logic        unused_step_valid;

  assign y[0] = g_seed_line[T_H].seed_q;

  for (genvar k = 0; k < 3; k++) begin : g_newton
    localparam int unsigned T_START = T_H + k * STEP;
    logic [31:0] h_k, g, q, d;

    if (k == 0) begin : g_h_now
      assign h_k = h;
    end else begin : g_h_delayed
      assign h_k = g_h_line[k * STEP].h_q;
    end

    for (genvar c = 1; c <= Y_DELAY; c++) begin : g_y_line
      logic [31:0] y_q;
      if (c == 1) begin : g_in
        always_ff @(posedge clk_i) if (busy) y_q <= y[k];
      end else begin : g_shift
        always_ff @(posedge clk_i) if (busy) y_q <= g_y_line[c-1].y_q;
      end
    end

    fp32_mul u_mul_hy (
      .clk_i   (clk_i),
      .rst_ni  (rst_ni),
      .valid_i (valid_q[T_START]),
      .a_i     (h_k),
      .b_i     (y[k]),
      .valid_o (g_valid[k]),
      .result_o(g)
    );

    fp32_mul u_mul_hyy (
      .clk_i   (clk_i),
      .rst_ni  (rst_ni),
      .valid_i (valid_q[T_START + 3]),
      .a_i     (g),
      .b_i     (g_y_line[3].y_q),
      .valid_o (q_valid[k]),
      .result_o(q)
    );

    fp32_add u_add (
      .clk_i   (clk_i),
      .rst_ni  (rst_ni),
      .valid_i (valid_q[T_START + 6]),
      .a_i     (THREE_HALVES),
      .b_i     (q),
      .sub_i   (1'b1),
      .valid_o (d_valid[k]),
      .result_o(d)
    );

    fp32_mul u_mul_update (
      .clk_i   (clk_i),
      .rst_ni  (rst_ni),
      .valid_i (valid_q[T_START + Y_DELAY]),
      .a_i     (g_y_line[Y_DELAY].y_q),
      .b_i     (d),
      .valid_o (y_valid[k]),
      .result_o(y[k + 1])
    );
  end
  assign unused_step_valid = ^{g_valid, q_valid, d_valid, y_valid};

  // ---------------------------------------------------------------------------------------
  // Cycles 42..43: select, register
  // ---------------------------------------------------------------------------------------
  logic [31:0] result_q;

  always_ff @(posedge clk_i) begin
    if (valid_q[T_SELECT]) begin
      result_q <= g_special_line[T_SELECT].special_q ? g_special_line[T_SELECT].special_res_q : y[3];
    end
  end

  assign valid_o  = valid_q[LATENCY];
  assign result_o = result_q;

endmodule
