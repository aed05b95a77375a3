// e^x exactly as vp::fp::exp (hls/fp32_math.h), bit for bit for every input:
//   NaN -> x unchanged; x > 88.5 -> +inf; x < -87 -> +0; otherwise
//   n = round_half_away(x * log2e), nf = (float)n, r = (x - nf*ln2_hi) - nf*ln2_lo,
//   p = degree-7 Horner polynomial in r, result = (p * 2^floor(n/2)) * 2^(n - floor(n/2)).
// A sequential FSM issuing every IEEE operation, in the C++ order and operand order, to one
// shared fp32_mul and one shared fp32_add; it waits for each unit's valid_o, so it does not
// depend on their latencies. The round-half-away truncation and the int->float conversion
// are combinational between two issues.
//
// Handshake: a computation starts when valid_i && ready_o; valid_o pulses for one cycle with
// result_o (held until the next result). ready_o is high again in the cycle of valid_o.
// Special inputs take 1 cycle. In-range inputs take 75 cycles with fmul 3 / fadd 4: a
// dependent chain of 11 fmul and 10 fadd (73 cycles; nf * ln2_lo runs in its shadow), the
// register holding n (1) and the result register (1).
module fp32_exp (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        valid_i,
  output logic        ready_o,
  input  logic [31:0] x_i,
  output logic        valid_o,
  output logic [31:0] result_o
);

  localparam logic [31:0] POS_INF  = 32'h7F80_0000;
  localparam logic [31:0] MAX_IN   = 32'h42B1_0000;  //  88.5f
  localparam logic [31:0] MIN_IN   = 32'hC2AE_0000;  // -87.0f
  localparam logic [31:0] LOG2E    = 32'h3FB8_AA3B;  // 1.44269504088896341f
  localparam logic [31:0] LN2_HI   = 32'h3F31_7200;  // 0.693145751953125f
  localparam logic [31:0] LN2_LO   = 32'h35BF_BE8E;  // 1.428606765330187045e-06f
  localparam logic [31:0] HALF     = 32'h3F00_0000;  // 0.5f
  localparam logic [31:0] COEF_7   = 32'h3950_0D01;  // 1.98412698e-4f (1/7!)
  localparam logic [31:0] COEF_6   = 32'h3AB6_0B61;  // 1.38888889e-3f
  localparam logic [31:0] COEF_5   = 32'h3C08_8889;  // 8.33333333e-3f
  localparam logic [31:0] COEF_4   = 32'h3D2A_AAAB;  // 4.16666667e-2f
  localparam logic [31:0] COEF_3   = 32'h3E2A_AAAB;  // 1.66666667e-1f
  localparam logic [31:0] COEF_2   = 32'h3F00_0000;  // 0.5f
  localparam logic [31:0] ONE      = 32'h3F80_0000;  // 1.0f (coefficients 1 and 0)
  localparam logic [2:0]  LAST_STEP = 3'd6;           // Horner adds: COEF_6 .. ONE, ONE

  typedef enum logic [3:0] {
    S_IDLE,          // wait for valid_i; issue t = x * log2e
    S_ROUND,         // wait t; issue s = t -/+ 0.5
    S_TRUNC,         // wait s; n = trunc(s)
    S_CONVERT,       // nf = (float)n; issue u = nf * ln2_hi
    S_ISSUE_LO,      // issue v = nf * ln2_lo
    S_REDUCE_HI,     // wait u; issue w = x - u
    S_CAPTURE_LO,    // wait v
    S_REDUCE_LO,     // wait w; issue r = w - v
    S_POLY_START,    // wait r; issue p = COEF_7 * r
    S_POLY_MUL,      // wait p * r; issue + coefficient
    S_POLY_ADD,      // wait p * r + c; issue next p * r, or p * 2^half
    S_SCALE_1,       // wait p * 2^half; issue * 2^(n - half)
    S_SCALE_2        // wait the result
  } state_e;

  state_e      state_q, state_d;
  logic [31:0] x_q, x_d;
  logic [31:0] n_q, n_d;
  logic [31:0] nf_q, nf_d;
  logic [31:0] lo_q, lo_d;
  logic [31:0] r_q, r_d;
  logic [2:0]  step_q, step_d;
  logic [31:0] result_q, result_d;
  logic        valid_q, valid_d;

  // Shared arithmetic units.
  logic        mul_valid, mul_done, add_valid, add_sub, add_done;
  logic [31:0] mul_a, mul_b, mul_res, add_a, add_b, add_res;

  fp32_mul u_mul (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .valid_i (mul_valid),
    .a_i     (mul_a),
    .b_i     (mul_b),
    .valid_o (mul_done),
    .result_o(mul_res)
  );

  fp32_add u_add (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .valid_i (add_valid),
    .a_i     (add_a),
    .b_i     (add_b),
    .sub_i   (add_sub),
    .valid_o (add_done),
    .result_o(add_res)
  );

  // Input range checks (C++ compares), the sign of t, and the integer steps.
  logic        x_nan, x_above, x_below, t_negative;
  logic        unused_x_above_lt, unused_x_below_gt, unused_t_gt;
  logic [31:0] trunc_res, nf;

  assign x_nan = (x_i[30:23] == 8'hFF) && (x_i[22:0] != 23'd0);

  fp32_compare u_cmp_max (
    .a_i (x_i),
    .b_i (MAX_IN),
    .lt_o(unused_x_above_lt),
    .gt_o(x_above)
  );

  fp32_compare u_cmp_min (
    .a_i (x_i),
    .b_i (MIN_IN),
    .lt_o(x_below),
    .gt_o(unused_x_below_gt)
  );

  fp32_compare u_cmp_t (
    .a_i (mul_res),
    .b_i (32'd0),
    .lt_o(t_negative),
    .gt_o(unused_t_gt)
  );

  fp32_to_int_trunc u_trunc (
    .x_i  (add_res),
    .int_o(trunc_res)
  );

  fp32_from_int u_from_int (
    .int_i   (n_q),
    .result_o(nf)
  );

  // 2^half and 2^(n - half), half = n >>> 1, built in the exponent field (n in -126..128).
  logic [31:0] half_n, rest_n;
  logic [7:0]  half_exp, rest_exp;

  always_comb begin
    half_n   = {n_q[31], n_q[31:1]};
    rest_n   = n_q - half_n;
    half_exp = half_n[7:0] + 8'd127;
    rest_exp = rest_n[7:0] + 8'd127;
  end

  logic unused_n_high;
  assign unused_n_high = ^{half_n[31:8], rest_n[31:8]};

  function automatic logic [31:0] horner_coef(input logic [2:0] step);
    unique case (step)
      3'd0:    horner_coef = COEF_6;
      3'd1:    horner_coef = COEF_5;
      3'd2:    horner_coef = COEF_4;
      3'd3:    horner_coef = COEF_3;
      3'd4:    horner_coef = COEF_2;
      default: horner_coef = ONE;
    endcase
  endfunction

  always_comb begin
    state_d  = state_q;
    x_d      = x_q;
    n_d      = n_q;
    nf_d     = nf_q;
    lo_d     = lo_q;
    r_d      = r_q;
    step_d   = step_q;
    result_d = result_q;
    valid_d  = 1'b0;

    mul_valid = 1'b0;
    mul_a     = mul_res;
    mul_b     = r_q;
    add_valid = 1'b0;
    add_a     = add_res;
    add_b     = r_q;
    add_sub   = 1'b0;

    unique case (state_q)
      S_IDLE: begin
        if (valid_i) begin
          x_d = x_i;
          if (x_nan) begin
            result_d = x_i;
            valid_d  = 1'b1;
          end else if (x_above) begin
            result_d = POS_INF;
            valid_d  = 1'b1;
          end else if (x_below) begin
            result_d = 32'd0;
            valid_d  = 1'b1;
          end else begin
            mul_valid = 1'b1;
            mul_a     = x_i;
            mul_b     = LOG2E;
            state_d   = S_ROUND;
          end
        end
      end
      S_ROUND: begin
        if (mul_done) begin
          add_valid = 1'b1;
          add_a     = mul_res;
          add_b     = HALF;
          add_sub   = t_negative;
          state_d   = S_TRUNC;
        end
      end
      S_TRUNC: begin
        if (add_done) begin
          n_d     = trunc_res;
          state_d = S_CONVERT;
        end
      end
      S_CONVERT: begin
        nf_d      = nf;
        mul_valid = 1'b1;
        mul_a     = nf;
        mul_b     = LN2_HI;
        state_d   = S_ISSUE_LO;
      end
      S_ISSUE_LO: begin
        mul_valid = 1'b1;
        mul_a     = nf_q;
        mul_b     = LN2_LO;
        state_d   = S_REDUCE_HI;
      end
      S_REDUCE_HI: begin
        if (mul_done) begin
          add_valid = 1'b1;
          add_a     = x_q;
          add_b     = mul_res;
          add_sub   = 1'b1;
          state_d   = S_CAPTURE_LO;
        end
      end
      S_CAPTURE_LO: begin
        if (mul_done) begin
          lo_d    = mul_res;
          state_d = S_REDUCE_LO;
        end
      end
      S_REDUCE_LO: begin
        if (add_done) begin
          add_valid = 1'b1;
          add_a     = add_res;
          add_b     = lo_q;
          add_sub   = 1'b1;
          state_d   = S_POLY_START;
        end
      end
      S_POLY_START: begin
        if (add_done) begin
          r_d       = add_res;
          step_d    = 3'd0;
          mul_valid = 1'b1;
          mul_a     = COEF_7;
          mul_b     = add_res;
          state_d   = S_POLY_MUL;
        end
      end
      S_POLY_MUL: begin
        if (mul_done) begin
          add_valid = 1'b1;
          add_a     = mul_res;
          add_b     = horner_coef(step_q);
          state_d   = S_POLY_ADD;
        end
      end
      S_POLY_ADD: begin
        if (add_done) begin
          mul_valid = 1'b1;
          mul_a     = add_res;
          if (step_q == LAST_STEP) begin
            mul_b   = {1'b0, half_exp, 23'd0};
            state_d = S_SCALE_1;
          end else begin
            mul_b   = r_q;
            step_d  = step_q + 3'd1;
            state_d = S_POLY_MUL;
          end
        end
      end
      S_SCALE_1: begin
        if (mul_done) begin
          mul_valid = 1'b1;
          mul_a     = mul_res;
          mul_b     = {1'b0, rest_exp, 23'd0};
          state_d   = S_SCALE_2;
        end
      end
      S_SCALE_2: begin
        if (mul_done) begin
          result_d = mul_res;
          valid_d  = 1'b1;
          state_d  = S_IDLE;
        end
      end
      default: state_d = S_IDLE;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= S_IDLE;
      valid_q <= 1'b0;
    end else begin
      state_q <= state_d;
      valid_q <= valid_d;
    end
  end

  always_ff @(posedge clk_i) begin
    x_q      <= x_d;
    n_q      <= n_d;
    nf_q     <= nf_d;
    lo_q     <= lo_d;
    r_q      <= r_d;
    step_q   <= step_d;
    result_q <= result_d;
  end

  assign ready_o  = (state_q == S_IDLE);
  assign valid_o  = valid_q;
  assign result_o = result_q;

endmodule
