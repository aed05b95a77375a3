// 1/sqrt(x) exactly as vp::fp::rsqrt (hls/fp32_math.h), bit for bit for every input:
//   NaN -> x unchanged; x < 0 -> 0x7FC00000; bits(x) < 0x00800000 (+0, positive
//   subnormals) -> +inf; bits(x) >= 0x7F800000 (+inf, and -0, whose bits are 0x80000000)
//   -> +0; otherwise h = 0.5 * x, y = bits(0x5f375a86 - (bits(x) >> 1)), three Newton steps
//   y = y * (1.5 - (h * y) * y).
// A sequential FSM issuing each IEEE operation, in the C++ order and operand order, to one
// shared fp32_mul and one shared fp32_add, waiting for each unit's valid_o.
//
// Handshake: a computation starts when valid_i && ready_o; valid_o pulses for one cycle with
// result_o (held until the next result). ready_o is high again in the cycle of valid_o.
// Special inputs take 1 cycle, the others fmul + 3 * (3 fmul + fadd) + 1 = 43 cycles.
module fp32_rsqrt (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        valid_i,
  output logic        ready_o,
  input  logic [31:0] x_i,
  output logic        valid_o,
  output logic [31:0] result_o
);

  localparam logic [31:0] MAGIC     = 32'h5F37_5A86;
  localparam logic [31:0] MIN_NORM  = 32'h0080_0000;  // 2^-126
  localparam logic [31:0] POS_INF   = 32'h7F80_0000;
  localparam logic [31:0] QNAN      = 32'h7FC0_0000;  // std::numeric_limits<float>::quiet_NaN()
  localparam logic [31:0] HALF      = 32'h3F00_0000;  // 0.5f
  localparam logic [31:0] THREE_HALVES = 32'h3FC0_0000;  // 1.5f
  localparam logic [1:0]  LAST_STEP = 2'd2;

  typedef enum logic [2:0] {
    S_IDLE,      // wait for valid_i; issue h = 0.5 * x
    S_HALF,      // wait h; issue h * y
    S_SQUARE,    // wait h * y; issue (h * y) * y
    S_ERROR,     // wait (h * y) * y; issue 1.5 - (h * y) * y
    S_UPDATE,    // wait 1.5 - ...; issue y * (1.5 - ...)
    S_NEXT       // wait the new y; issue the next h * y, or finish
  } state_e;

  state_e      state_q, state_d;
  logic [31:0] h_q, h_d;
  logic [31:0] y_q, y_d;
  logic [1:0]  step_q, step_d;
  logic [31:0] result_q, result_d;
  logic        valid_q, valid_d;

  // Shared arithmetic units.
  logic        mul_valid, mul_done, add_valid, add_done;
  logic [31:0] mul_a, mul_b, mul_res, add_b, add_res;

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
    .a_i     (THREE_HALVES),
    .b_i     (add_b),
    .sub_i   (1'b1),
    .valid_o (add_done),
    .result_o(add_res)
  );

  logic        x_nan, x_negative, unused_x_positive;
  logic [31:0] seed;

  assign x_nan = (x_i[30:23] == 8'hFF) && (x_i[22:0] != 23'd0);
  assign seed  = MAGIC - {1'b0, x_i[31:1]};

  fp32_compare u_cmp_sign (
    .a_i (x_i),
    .b_i (32'd0),
    .lt_o(x_negative),
    .gt_o(unused_x_positive)
  );

  always_comb begin
    state_d  = state_q;
    h_d      = h_q;
    y_d      = y_q;
    step_d   = step_q;
    result_d = result_q;
    valid_d  = 1'b0;

    mul_valid = 1'b0;
    mul_a     = mul_res;
    mul_b     = y_q;
    add_valid = 1'b0;
    add_b     = mul_res;

    unique case (state_q)
      S_IDLE: begin
        if (valid_i) begin
          if (x_nan) begin
            result_d = x_i;
            valid_d  = 1'b1;
          end else if (x_negative) begin
            result_d = QNAN;
            valid_d  = 1'b1;
          end else if (x_i < MIN_NORM) begin
            result_d = POS_INF;
            valid_d  = 1'b1;
          end else if (x_i >= POS_INF) begin
            result_d = 32'd0;
            valid_d  = 1'b1;
          end else begin
            y_d       = seed;
            step_d    = 2'd0;
            mul_valid = 1'b1;
            mul_a     = HALF;
            mul_b     = x_i;
            state_d   = S_HALF;
          end
        end
      end
      S_HALF: begin
        if (mul_done) begin
          h_d       = mul_res;
          mul_valid = 1'b1;
          mul_a     = mul_res;
          mul_b     = y_q;
          state_d   = S_SQUARE;
        end
      end
      S_SQUARE: begin
        if (mul_done) begin
          mul_valid = 1'b1;
          mul_a     = mul_res;
          mul_b     = y_q;
          state_d   = S_ERROR;
        end
      end
      S_ERROR: begin
        if (mul_done) begin
          add_valid = 1'b1;
          add_b     = mul_res;
          state_d   = S_UPDATE;
        end
      end
      S_UPDATE: begin
        if (add_done) begin
          mul_valid = 1'b1;
          mul_a     = y_q;
          mul_b     = add_res;
          state_d   = S_NEXT;
        end
      end
      S_NEXT: begin
        if (mul_done) begin
          if (step_q == LAST_STEP) begin
            result_d = mul_res;
            valid_d  = 1'b1;
            state_d  = S_IDLE;
          end else begin
            y_d       = mul_res;
            step_d    = step_q + 2'd1;
            mul_valid = 1'b1;
            mul_a     = h_q;
            mul_b     = mul_res;
            state_d   = S_SQUARE;
          end
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
    h_q      <= h_d;
    y_q      <= y_d;
    step_q   <= step_d;
    result_q <= result_d;
  end

  assign ready_o  = (state_q == S_IDLE);
  assign valid_o  = valid_q;
  assign result_o = result_q;

endmodule
