// e^x exactly as vp::fp::exp (hls/fp32_math.h), bit for bit for every input:
//   NaN -> x unchanged; x > 88.5 -> +inf; x < -87 -> +0; otherwise
//   n = round_half_away(x * log2e), nf = (float)n, r = (x - nf*ln2_hi) - nf*ln2_lo,
//   p = degree-7 Horner polynomial in r, result = (p * 2^floor(n/2)) * 2^(n - floor(n/2)).
// Fully pipelined: one input per cycle, no stalls. Every IEEE
// operation has its own fp32_mul (latency 3) or fp32_add (latency 4), chained in the C++
// order and operand order; the operands needed later (x, nf*ln2_lo, r, the scale exponents),
// the special-case kind, valid and tag ride delay lines beside the chain. Special inputs go
// down the chain too (their arithmetic is discarded) and their result is selected at the end,
// so every result leaves exactly LATENCY = 76 cycles after its input, in input order.
//
// Cycle at which each value is ready (x_i is presented in cycle 0; a value of cycle c has
// passed c register stages, so result_o of cycle LATENCY is LATENCY registers deep):
//    0  x_i: NaN / range checks -> kind; issue t = x * log2e                     fmul
//    3  t: issue s = t -/+ 0.5 (fp32_round_half_away)                            fadd
//    7  s: n = trunc(s) registered
//    8  n: nf = (float)n registered; exponent fields of 2^floor(n/2) and
//          2^(n - floor(n/2)) enter their delay lines
//    9  nf: issue u = nf * ln2_hi and v = nf * ln2_lo                             2 fmul
//   12  u: issue w = x - u (x delayed 12)                                         fadd
//   16  w: issue r = w - v (v delayed 4)                                          fadd
//   20  r: Horner step k = 0..6 issues p * r at 20 + 7k (fmul, p = 1/7! first)
//          and p * r + c_k at 23 + 7k (fadd, c = 1/6!, 1/5!, 1/4!, 1/3!, 0.5, 1, 1)
//   69  p: issue p * 2^floor(n/2)                                                 fmul
//   72  issue (p * 2^floor(n/2)) * 2^(n - floor(n/2))                             fmul
//   75  the product or the special result, registered
//   76  result_o, valid_o, tag_o
// Valid is the only reset flop; data and tag delay lines have no reset (SRL friendly). The delay
// lines and the registers between the units shift only while the pipeline holds an input
// (busy: valid_i or a valid bit in flight), one clock enable shared by a whole line so that it
// still maps to SRLs. An idle pipeline then keeps its state, which costs the Verilated model
// (almost) nothing per cycle; results are those of the always-shifting lines, since every
// input's values move on at each edge from its entry to its result.
`include "fp32_macros.svh"

module fp32_exp_pipeline #(
  parameter int unsigned TAG_W = 1          // sideband carried alongside each input
) (
  `VP_FP32_PIPELINE_PORTS  // x_i in, result_o out exactly LATENCY cycles later, tag_i along
);

  localparam int unsigned LATENCY = 76;      // hls/fp32_pipeline_latency.h kExpPipelineLatency

  localparam logic [31:0] MAX_IN   = 32'h42B1_0000;  //  88.5f
  localparam logic [31:0] MIN_IN   = 32'hC2AE_0000;  // -87.0f
  localparam logic [31:0] LOG2E    = 32'h3FB8_AA3B;  // 1.44269504088896341f
  localparam logic [31:0] LN2_HI   = 32'h3F31_7200;  // 0.693145751953125f
  localparam logic [31:0] LN2_LO   = 32'h35BF_BE8E;  // 1.428606765330187045e-06f
  localparam logic [31:0] COEF_7   = 32'h3950_0D01;  // 1.98412698e-4f (1/7!)
  localparam logic [31:0] COEF_6   = 32'h3AB6_0B61;  // 1.38888889e-3f
  localparam logic [31:0] COEF_5   = 32'h3C08_8889;  // 8.33333333e-3f
  localparam logic [31:0] COEF_4   = 32'h3D2A_AAAB;  // 4.16666667e-2f
  localparam logic [31:0] COEF_3   = 32'h3E2A_AAAB;  // 1.66666667e-1f
  localparam logic [31:0] COEF_2   = 32'h3F00_0000;  // 0.5f

  // Cycles at which the chain's operations are issued (see the table above).
  localparam int unsigned T_ROUND  = 3;
  localparam int unsigned T_N      = 8;    // n_q holds n
  localparam int unsigned T_NF     = 9;    // nf_q holds nf; u and v issued
  localparam int unsigned T_REDHI  = 12;   // w = x - u issued
  localparam int unsigned T_REDLO  = 16;   // r = w - v issued
  localparam int unsigned T_POLY   = 20;   // first Horner multiply issued
  localparam int unsigned STEP     = 7;    // fmul + fadd
  localparam int unsigned T_SCALE1 = 69;
  localparam int unsigned T_SCALE2 = 72;
  localparam int unsigned T_SELECT = 75;
  localparam int unsigned X_DELAY  = T_SELECT;            // x: w = x - u, and NaN passthrough
  localparam int unsigned V_DELAY  = T_REDLO - T_REDHI;   // nf * ln2_lo until r = w - v
  localparam int unsigned R_DELAY  = 6 * STEP;            // r until the last Horner multiply
  localparam int unsigned HALF_DELAY = T_SCALE1 - T_N;    // exponent field of 2^floor(n/2)
  localparam int unsigned REST_DELAY = T_SCALE2 - T_N;    // exponent field of 2^(n - floor(n/2))


  // ---------------------------------------------------------------------------------------
  // Valid and tag
  // ---------------------------------------------------------------------------------------
  logic [LATENCY:1] valid_q;  // valid_q[c]: the input of c cycles ago was valid
  logic             busy;     // clock enable of the delay lines
  fp_pipeline_control #(.LATENCY(LATENCY), .TAG_W(TAG_W)) u_control (
    .clk_i, .rst_ni, .valid_i, .tag_i, .valid_line_o(valid_q), .busy_o(busy), .tag_o);

  // Delay lines: g_<name>_line[c].<name>_q holds the value of the input of c cycles ago. One
  // variable per element in a generate loop: Verilator gives unpacked array elements and wide
  // self-shifted vectors written by nonblocking assignments shadow copies paid at every edge.

  // ---------------------------------------------------------------------------------------
  // Cycle 0: special cases (C++ compares), x and its kind down their delay lines
  // ---------------------------------------------------------------------------------------
  // The C++ compares x > 88.5f and x < -87.0f (as rtl/fp32_compare.sv; both constants are
  // finite and nonzero, so a NaN fails both and no zero equals them) as a function, so that the
  // classification lives in the enabled branch of the kind register.
  function automatic llama_pkg::fp32_kind_e kind_of(input logic [31:0] x);
    logic x_nan, x_above, x_below;
    x_nan = (x[30:23] == 8'hFF) && (x[22:0] != 23'd0);
    // x > MAX_IN (positive): x positive with a larger magnitude
    x_above = !x[31] && x[30:0] > MAX_IN[30:0];
    // x < MIN_IN (negative): x negative with a larger magnitude
    x_below = x[31] && x[30:0] > MIN_IN[30:0];
    if (x_nan)        kind_of = llama_pkg::KindNan;
    else if (x_above) kind_of = llama_pkg::KindInf;
    else if (x_below) kind_of = llama_pkg::KindZero;
    else              kind_of = llama_pkg::KindNormal;
  endfunction

  for (genvar c = 1; c <= X_DELAY; c++) begin : g_x_line
    logic [31:0] x_q;
    llama_pkg::fp32_kind_e kind_q;
    if (c == 1) begin : g_in
      always_ff @(posedge clk_i) begin
        if (busy) begin
          x_q    <= x_i;
          kind_q <= kind_of(x_i);
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
  // Cycles 0..9: t = x * log2e, n = round_half_away(t), nf = (float)n
  // ---------------------------------------------------------------------------------------
  logic        t_valid, unused_t_valid;
  logic [31:0] t, n_raw;
  logic        unused_round_valid;
  logic [31:0] n_q, nf_q;

  fp32_mul u_mul_t (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .valid_i (valid_i),
    .a_i     (x_i),
    .b_i     (LOG2E),
    .valid_o (t_valid),
    .result_o(t)
  );
  assign unused_t_valid = t_valid;

  fp32_round_half_away u_round (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .valid_i (valid_q[T_ROUND]),
    .x_i     (t),
    .valid_o (unused_round_valid),
    .int_o   (n_raw)
  );

  // Exponent fields of 2^half and 2^(n - half), half = n >>> 1 (n in -126..128 when in range).
  function automatic logic [7:0] half_exp_of(input logic [8:1] n);
    half_exp_of = n[8:1] + 8'd127;
  endfunction
  function automatic logic [7:0] rest_exp_of(input logic [8:0] n);
    logic [7:0] half_low;
    half_low    = n[8:1];
    rest_exp_of = (n[7:0] - half_low) + 8'd127;
  endfunction

  always_ff @(posedge clk_i) begin
    if (busy) begin
      n_q  <= n_raw;
      nf_q <= llama_pkg::f32_from_int(n_q);
    end
  end


  for (genvar c = 1; c <= HALF_DELAY; c++) begin : g_half_line
    logic [7:0] half_exp_q;
    if (c == 1) begin : g_in
      always_ff @(posedge clk_i) if (busy) half_exp_q <= half_exp_of(n_q[8:1]);
    end else begin : g_shift
      always_ff @(posedge clk_i) if (busy) half_exp_q <= g_half_line[c-1].half_exp_q;
    end
  end
  for (genvar c = 1; c <= REST_DELAY; c++) begin : g_rest_line
    logic [7:0] rest_exp_q;
    if (c == 1) begin : g_in
      always_ff @(posedge clk_i) if (busy) rest_exp_q <= rest_exp_of(n_q[8:0]);
    end else begin : g_shift
      always_ff @(posedge clk_i) if (busy) rest_exp_q <= g_rest_line[c-1].rest_exp_q;
    end
  end

  // ---------------------------------------------------------------------------------------
  // Cycles 9..20: r = (x - nf * ln2_hi) - nf * ln2_lo
  // ---------------------------------------------------------------------------------------
  logic        u_valid, v_valid, w_valid, r_valid;
  logic [31:0] u, v, w, r;
  logic        unused_reduce_valid;

  fp32_mul u_mul_hi (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .valid_i (valid_q[T_NF]),
    .a_i     (nf_q),
    .b_i     (LN2_HI),
    .valid_o (u_valid),
    .result_o(u)
  );

  fp32_mul u_mul_lo (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .valid_i (valid_q[T_NF]),
    .a_i     (nf_q),
    .b_i     (LN2_LO),
    .valid_o (v_valid),
    .result_o(v)
  );

  for (genvar c = 1; c <= V_DELAY; c++) begin : g_v_line
    logic [31:0] v_q;
    if (c == 1) begin : g_in
      always_ff @(posedge clk_i) if (busy) v_q <= v;
    end else begin : g_shift
      always_ff @(posedge clk_i) if (busy) v_q <= g_v_line[c-1].v_q;
    end
  end

  fp32_add u_add_hi (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .valid_i (valid_q[T_REDHI]),
    .a_i     (g_x_line[T_REDHI].x_q),
    .b_i     (u),
    .sub_i   (1'b1),
    .valid_o (w_valid),
    .result_o(w)
  );

  fp32_add u_add_lo (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .valid_i (valid_q[T_REDLO]),
    .a_i     (w),
    .b_i     (g_v_line[V_DELAY].v_q),
    .sub_i   (1'b1),
    .valid_o (r_valid),
    .result_o(r)
  );
  assign unused_reduce_valid = ^{u_valid, v_valid, w_valid, r_valid};

  // ---------------------------------------------------------------------------------------
  // Cycles 20..69: Horner steps p = p * r + c_k, k = 0..6
  // ---------------------------------------------------------------------------------------
  function automatic logic [31:0] horner_coef(input int unsigned step);
    unique case (step)
      0:       horner_coef = COEF_6;
      1:       horner_coef = COEF_5;
      2:       horner_coef = COEF_4;
      3:       horner_coef = COEF_3;
      4:       horner_coef = COEF_2;
      default: horner_coef = llama_pkg::F_ONE;  // coefficients 1 and 0
    endcase
  endfunction

  logic [31:0] poly [8];        // poly[0] = 1/7!, poly[k + 1] = poly[k] * r + c_k
  logic [31:0] poly_r [7];      // r at the cycle of step k's multiply
  logic [31:0] poly_prod [7];
  logic [6:0]  prod_valid, sum_valid;
  logic        unused_poly_valid;

  for (genvar c = 1; c <= R_DELAY; c++) begin : g_r_line
    logic [31:0] r_q;
    if (c == 1) begin : g_in
      always_ff @(posedge clk_i) if (busy) r_q <= r;
    end else begin : g_shift
      always_ff @(posedge clk_i) if (busy) r_q <= g_r_line[c-1].r_q;
    end
  end

  assign poly[0] = COEF_7;

  for (genvar k = 0; k < 7; k++) begin : g_horner
    if (k == 0) begin : g_r_now
      assign poly_r[k] = r;
    end else begin : g_r_delayed
      assign poly_r[k] = g_r_line[k * STEP].r_q;
    end

    fp32_mul u_mul (
      .clk_i   (clk_i),
      .rst_ni  (rst_ni),
      .valid_i (valid_q[T_POLY + k * STEP]),
      .a_i     (poly[k]),
      .b_i     (poly_r[k]),
      .valid_o (prod_valid[k]),
      .result_o(poly_prod[k])
    );

    fp32_add u_add (
      .clk_i   (clk_i),
      .rst_ni  (rst_ni),
      .valid_i (valid_q[T_POLY + k * STEP + 3]),
      .a_i     (poly_prod[k]),
      .b_i     (horner_coef(k)),
      .sub_i   (1'b0),
      .valid_o (sum_valid[k]),
      .result_o(poly[k + 1])
    );
  end
  assign unused_poly_valid = ^{prod_valid, sum_valid};

  // ---------------------------------------------------------------------------------------
  // Cycles 69..76: scale by 2^floor(n/2), then 2^(n - floor(n/2)); select, register
  // ---------------------------------------------------------------------------------------
  logic        scaled_valid, exp_valid, unused_scale_valid;
  logic [31:0] scaled, exp_res;
  logic [31:0] result_q;

  fp32_mul u_mul_scale_1 (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .valid_i (valid_q[T_SCALE1]),
    .a_i     (poly[7]),
    .b_i     ({1'b0, g_half_line[HALF_DELAY].half_exp_q, 23'd0}),
    .valid_o (scaled_valid),
    .result_o(scaled)
  );

  fp32_mul u_mul_scale_2 (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .valid_i (valid_q[T_SCALE2]),
    .a_i     (scaled),
    .b_i     ({1'b0, g_rest_line[REST_DELAY].rest_exp_q, 23'd0}),
    .valid_o (exp_valid),
    .result_o(exp_res)
  );
  assign unused_scale_valid = ^{scaled_valid, exp_valid};

  always_ff @(posedge clk_i) begin
    if (valid_q[T_SELECT]) begin
      unique case (g_x_line[T_SELECT].kind_q)
        llama_pkg::KindNan:  result_q <= g_x_line[T_SELECT].x_q;
        llama_pkg::KindInf:  result_q <= llama_pkg::F_POS_INF;
        llama_pkg::KindZero: result_q <= 32'd0;
        default:   result_q <= exp_res;
      endcase
    end
  end

  assign valid_o  = valid_q[LATENCY];
  assign result_o = result_q;

endmodule
