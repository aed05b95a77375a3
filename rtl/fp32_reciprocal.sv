// 1/x exactly as vp::fp::reciprocal (hls/fp32_math.h), bit for bit for every input:
//   NaN -> x unchanged; |x| < 2^-126 (zeros, subnormals) -> signed inf; |x| > 2^126 ->
//   signed 0; otherwise a = |x|, y = bits(0x7ef311c7 - bits(a)), three Newton steps
//   y = y * (2 - a * y), result = bits(y) | sign(x).
// A sequential FSM issuing each IEEE operation, in the C++ order and operand order, to one
// shared fp32_mul and one shared fp32_add, waiting for each unit's valid_o.
//
// Handshake: a computation starts when valid_i && ready_o; valid_o pulses for one cycle with
// result_o (held until the next result). ready_o is high again in the cycle of valid_o.
// Special inputs take 1 cycle, the others 3 * (fmul + fadd + fmul) + 1 = 31 cycles.
module fp32_reciprocal (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        valid_i,
  output logic        ready_o,
  input  logic [31:0] x_i,
  output logic        valid_o,
  output logic [31:0] result_o
);

  localparam logic [31:0] MAGIC     = 32'h7EF3_11C7;
  localparam logic [30:0] MIN_NORM  = 31'h0080_0000;  // 2^-126
  localparam logic [30:0] MAX_MAG   = 31'h7E80_0000;  // 2^126
  localparam logic [31:0] TWO       = 32'h4000_0000;  // 2.0f
  localparam logic [1:0]  LAST_STEP = 2'd2;

  typedef enum logic [1:0] {
    S_IDLE,      // wait for valid_i; issue a * y
    S_ERROR,     // wait a * y; issue 2 - a * y
    S_UPDATE,    // wait 2 - a * y; issue y * (2 - a * y)
    S_NEXT       // wait the new y; issue the next a * y, or finish
  } state_e;

  state_e      state_q, state_d;
  logic        sign_q, sign_d;
  logic [31:0] a_q, a_d;
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
    .a_i     (TWO),
    .b_i     (add_b),
    .sub_i   (1'b1),
    .valid_o (add_done),
    .result_o(add_res)
  );

  logic        x_nan;
  logic [30:0] x_mag;
  logic [31:0] seed;

  always_comb begin
    x_mag = x_i[30:0];
    x_nan = (x_i[30:23] == 8'hFF) && (x_i[22:0] != 23'd0);
    seed  = MAGIC - {1'b0, x_mag};
  end

  always_comb begin
    state_d  = state_q;
    sign_d   = sign_q;
    a_d      = a_q;
    y_d      = y_q;
    step_d   = step_q;
    result_d = result_q;
    valid_d  = 1'b0;

    mul_valid = 1'b0;
    mul_a     = a_q;
    mul_b     = mul_res;
    add_valid = 1'b0;
    add_b     = mul_res;

    unique case (state_q)
      S_IDLE: begin
        if (valid_i) begin
          sign_d = x_i[31];
          if (x_nan) begin
            result_d = x_i;
            valid_d  = 1'b1;
          end else if (x_mag < MIN_NORM) begin
            result_d = {x_i[31], 31'h7F80_0000};
            valid_d  = 1'b1;
          end else if (x_mag > MAX_MAG) begin
            result_d = {x_i[31], 31'd0};
            valid_d  = 1'b1;
          end else begin
            a_d       = {1'b0, x_mag};
            y_d       = seed;
            step_d    = 2'd0;
            mul_valid = 1'b1;
            mul_a     = {1'b0, x_mag};
            mul_b     = seed;
            state_d   = S_ERROR;
          end
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
            result_d = mul_res | {sign_q, 31'd0};
            valid_d  = 1'b1;
            state_d  = S_IDLE;
          end else begin
            y_d       = mul_res;
            step_d    = step_q + 2'd1;
            mul_valid = 1'b1;
            mul_a     = a_q;
            mul_b     = mul_res;
            state_d   = S_ERROR;
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
    sign_q   <= sign_d;
    a_q      <= a_d;
    y_q      <= y_d;
    step_q   <= step_d;
    result_q <= result_d;
  end

  assign ready_o  = (state_q == S_IDLE);
  assign valid_o  = valid_q;
  assign result_o = result_q;

endmodule
