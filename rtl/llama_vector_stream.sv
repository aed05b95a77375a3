// The vector unit's pipelined element loops: one element enters per cycle and flows through
// scratchpad reads (ports A and B), the multipliers and the adder, which the vector unit lends while its own state machine waits. Each element does exactly the
// operations of hls/llama_arith.h in their order; reductions add element i into partial sum
// i % 8, and the adder's latency (< 8) keeps every partial's updates in element order.
//   STR_SUMSQ   p[i%8] += a[i] * a[i]                  (RMSNorm)
//   STR_SUM     p[i%8] += a[i]                         (softmax sum)
//   STR_SCALE2  w[i] = b[i] * (s * a[i])               (RMSNorm output)
//   STR_ADD     w[i] = a[i] + b[i]                     (residual)
//   STR_MULS    w[i] = a[i] * s                        (softmax normalization)
//   STR_MAX     max a[i] from a[0]  (on max_o; Q8_0 quantization runs in llama_quantize)
//   STR_DEQ     w[i] = float(int8 byte i at a) * scale word (i >> gs) at b
//   STR_ROPE    pair i of a rotated by the (cos, sin) at b + (2i mod wrap), written back to a:
//               two cycles a pair (its values, then its cos/sin), four products on the two
//               multipliers, the difference and the sum on the adder
//   STR_EXP     w[i] = exp(a[i] - s)                   (softmax; adder, then the exp pipeline)
//   STR_SWIGLU  w[i] = (a[i] * 1/(1 + exp(-a[i]))) * b[i]  (exp pipeline, then llama_swiglu_tail)
// The exp pipeline and the SwiGLU tail are this module's own (fixed latency, one element a
// cycle, their tags carry the element and its operands).
// Unit results come back in issue order, so a small tag FIFO per unit says which element
// (and which operand it carries) each result belongs to; the pipelines carry their tags
// themselves. Results while no loop runs belong to the vector unit's own calls and
// are ignored here.
module llama_vector_stream #(
  parameter int unsigned SPM_AW = 15
) (
  input  logic              clk_i,
  input  logic              rst_ni,
  input  logic              start_i,
  input  logic [3:0]        mode_i,
  input  logic [31:0]       n_i,
  input  logic [SPM_AW-1:0] a_i,
  input  logic [SPM_AW-1:0] b_i,
  input  logic [SPM_AW-1:0] w_i,
  input  logic [31:0]       s_i,
  input  logic [3:0]        gs_log2_i,
  input  logic [15:0]       wrap_i,     // STR_ROPE: head size
  output logic              done_o,     // pulse: every element has completed
  output logic [31:0]       max_o,
  // Partial sums, kept by the vector unit
  input  logic [8*32-1:0]   p_i,        // partial k at [32*k +: 32]
  output logic              p_we_o,
  output logic [2:0]        p_idx_o,
  output logic [31:0]       p_data_o,
  // Scratchpad
  output logic              rd_a_o,
  output logic [SPM_AW-1:0] rd_a_addr_o,
  input  logic [31:0]       rdata_a_i,
  output logic              rd_b_o,
  output logic [SPM_AW-1:0] rd_b_addr_o,
  input  logic [31:0]       rdata_b_i,
  output logic              wr_o,
  output logic [SPM_AW-1:0] wr_addr_o,
  output logic [31:0]       wr_data_o,
  // Units (inputs registered here, results from the units)
  output logic              add_v_o,
  output logic [31:0]       add_a_o,
  output logic [31:0]       add_b_o,
  output logic              add_sub_o,
  input  logic              add_vo_i,
  input  logic [31:0]       add_r_i,
  output logic              mul_v_o,
  output logic [31:0]       mul_a_o,
  output logic [31:0]       mul_b_o,
  input  logic              mul_vo_i,
  input  logic [31:0]       mul_r_i,
  output logic              mul2_v_o,
  output logic [31:0]       mul2_a_o,
  output logic [31:0]       mul2_b_o,
  input  logic              mul2_vo_i,
  input  logic [31:0]       mul2_r_i
);

`include "llama_stream_modes.svh"

  localparam int unsigned TAGS      = 8;
  localparam int unsigned TW        = SPM_AW + 32;  // element index, carried operand

  logic        active_q;
  logic [3:0]  mode_q;
  logic [31:0] issued_q, completed_q;
  // Reads in flight: stage 1 (address out), stage 2 (data back)
  logic              rd1_v_q, rd2_v_q;
  logic [SPM_AW-1:0] rd1_i_q, rd2_i_q;
  // RoPE: which half of a pair a read fetches (0: values, 1: cos/sin), the table offset, the
  // pair's values as they arrive, and the second pair of products waiting for the multipliers
  logic              rope_phase_q, rd1_ph_q, rd2_ph_q, rope_pend_q;
  logic [15:0]       rope_r_q;
  logic [31:0]       v0_q, v1_q, pv0_q, pv1_q, pcos_q, psin_q;
  logic [SPM_AW-1:0] pend_i_q;

  // Tag FIFOs of the multipliers and the adder
  logic [TW-1:0] mul_tag_q [TAGS], mul2_tag_q [TAGS], add_tag_q [TAGS];
  logic [2:0]    mul_wr_q, mul_rd_q, mul2_wr_q, mul2_rd_q, add_wr_q, add_rd_q;

  logic [SPM_AW-1:0] mul_i, mul2_i, add_i;
  logic [31:0]       mul_carry;
  assign mul_i     = mul_tag_q[mul_rd_q][TW-1:32];
  assign mul_carry = mul_tag_q[mul_rd_q][31:0];
  assign mul2_i    = mul2_tag_q[mul2_rd_q][TW-1:32];
  assign add_i     = add_tag_q[add_rd_q][TW-1:32];

  // Combinational helpers on the data coming back
  logic [7:0]  dq_byte;
  logic [31:0] dq_float, max_next;
  assign dq_byte = rdata_a_i[8*rd2_i_q[1:0]+:8];
  fp32_from_int u_dq (.int_i(32'(signed'(dq_byte))), .result_o(dq_float));
  fp32_max u_max (.a_i(rdata_a_i), .b_i(max_o), .abs_i(1'b0), .max_o(max_next));

  logic two_reads;
  assign two_reads = mode_q == STR_SCALE2 || mode_q == STR_ADD || mode_q == STR_DEQ || mode_q == STR_SWIGLU;

  // exp pipeline (tag: element, a, b) and SwiGLU tail (tag: element), inputs from registers
  localparam int unsigned EXP_TW = SPM_AW + 64;
  logic              exp_v_q, exp_vo, tail_v_q, tail_vo;
  logic [31:0]       exp_x_q, exp_r, tail_e_q, tail_a_q, tail_b_q, tail_r;
  logic [EXP_TW-1:0] exp_tag_q, exp_tag;
  logic [SPM_AW-1:0] tail_i_q, tail_i;
  fp32_exp_pipeline #(.TAG_W(EXP_TW)) u_exp (
    .clk_i, .rst_ni, .valid_i(exp_v_q), .x_i(exp_x_q), .tag_i(exp_tag_q), .valid_o(exp_vo), .result_o(exp_r),
    .tag_o(exp_tag));
  llama_swiglu_tail #(.TAG_W(SPM_AW)) u_swiglu (
    .clk_i, .rst_ni, .valid_i(tail_v_q), .e_i(tail_e_q), .a_i(tail_a_q), .b_i(tail_b_q), .tag_i(tail_i_q),
    .valid_o(tail_vo), .result_o(tail_r), .tag_o(tail_i));


  // One completion per cycle at most: the last stage of each mode is a single unit.
  logic complete;
  always_comb begin
    unique case (mode_q)
      STR_SUMSQ, STR_SUM, STR_ADD:                    complete = add_vo_i;
      STR_ROPE:                                       complete = add_vo_i && add_tag_q[add_rd_q][0];
      STR_SCALE2:                                     complete = mul2_vo_i;
      STR_MULS, STR_DEQ:                              complete = mul_vo_i;
      STR_EXP:                                        complete = exp_vo;
      STR_SWIGLU:                                     complete = tail_vo;
      default:                                        complete = rd2_v_q;  // STR_MAX
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      active_q <= 1'b0;
      mode_q <= '0;
      {issued_q, completed_q} <= '0;
      {rd1_v_q, rd2_v_q} <= '0;
      {rd1_i_q, rd2_i_q, pend_i_q} <= '0;
      {rope_phase_q, rd1_ph_q, rd2_ph_q, rope_pend_q} <= '0;
      rope_r_q <= '0;
      {v0_q, v1_q, pv0_q, pv1_q, pcos_q, psin_q} <= '0;
      {mul_wr_q, mul_rd_q, mul2_wr_q, mul2_rd_q, add_wr_q, add_rd_q} <= '0;
      for (int unsigned k = 0; k < TAGS; k++) begin
        mul_tag_q[k] <= '0;
        mul2_tag_q[k] <= '0;
        add_tag_q[k] <= '0;
      end
      {done_o, p_we_o, rd_a_o, rd_b_o, wr_o, add_v_o, mul_v_o, mul2_v_o} <= '0;
      {max_o, p_data_o, wr_data_o, add_a_o, add_b_o, mul_a_o, mul_b_o, mul2_a_o, mul2_b_o} <= '0;
      p_idx_o <= '0;
      {rd_a_addr_o, rd_b_addr_o, wr_addr_o} <= '0;
      {exp_v_q, tail_v_q} <= '0;
      {exp_x_q, tail_e_q, tail_a_q, tail_b_q} <= '0;
      exp_tag_q <= '0;
      tail_i_q <= '0;
    end else begin
      {done_o, p_we_o, rd_a_o, rd_b_o, wr_o, add_v_o, add_sub_o, mul_v_o, mul2_v_o} <= '0;
      {exp_v_q, tail_v_q} <= '0;
      rd2_v_q <= rd1_v_q;
      rd2_i_q <= rd1_i_q;
      rd2_ph_q <= rd1_ph_q;
      rd1_v_q <= 1'b0;
      rope_pend_q <= 1'b0;

      if (start_i && n_i == '0) begin  // nothing to do: done at once
        done_o <= 1'b1;
      end else if (start_i) begin
        active_q <= 1'b1;
        mode_q <= mode_i;
        issued_q <= '0;
        completed_q <= '0;
        rope_phase_q <= 1'b0;
        rope_r_q <= '0;
      end

      // Stage 0: one element's reads per cycle (RoPE: a pair's values, then its cos/sin)
      if (active_q && issued_q < n_i && mode_q == STR_ROPE) begin
        rd1_v_q <= 1'b1;
        rd1_i_q <= SPM_AW'(issued_q);
        rd1_ph_q <= rope_phase_q;
        rd_a_o <= 1'b1;
        rd_b_o <= 1'b1;
        rd_a_addr_o <= rope_phase_q ? b_i + SPM_AW'(rope_r_q) : a_i + SPM_AW'(issued_q << 1);
        rd_b_addr_o <= rope_phase_q ? b_i + SPM_AW'(rope_r_q) + 1'b1 : a_i + SPM_AW'(issued_q << 1) + 1'b1;
        rope_phase_q <= !rope_phase_q;
        if (rope_phase_q) begin
          issued_q <= issued_q + 1;
          rope_r_q <= rope_r_q + 16'd2 == wrap_i ? '0 : rope_r_q + 16'd2;
        end
      end else if (active_q && issued_q < n_i) begin
        rd1_v_q <= 1'b1;
        rd1_i_q <= SPM_AW'(issued_q);
        rd_a_o <= 1'b1;
        rd_b_o <= two_reads;
        if (mode_q == STR_DEQ) begin
          rd_a_addr_o <= a_i + SPM_AW'(issued_q >> 2);
          rd_b_addr_o <= b_i + SPM_AW'(issued_q >> gs_log2_i);
        end else begin
          rd_a_addr_o <= a_i + SPM_AW'(issued_q);
          rd_b_addr_o <= b_i + SPM_AW'(issued_q);
        end
        issued_q <= issued_q + 1;
      end

      // Stage 2: data back
      if (rd2_v_q) begin
        unique case (mode_q)
          STR_SUMSQ, STR_SCALE2, STR_MULS, STR_DEQ: begin
            mul_v_o <= 1'b1;
            mul_a_o <= mode_q == STR_SUMSQ || mode_q == STR_MULS
                       ? rdata_a_i : mode_q == STR_DEQ ? dq_float : s_i;
            mul_b_o <= mode_q == STR_SUMSQ ? rdata_a_i
                       : mode_q == STR_SCALE2 ? rdata_a_i
                       : mode_q == STR_MULS ? s_i : rdata_b_i;
            mul_tag_q[mul_wr_q] <= {rd2_i_q, rdata_b_i};
            mul_wr_q <= mul_wr_q + 1'b1;
          end
          STR_SUM, STR_ADD: begin
            add_v_o <= 1'b1;
            add_a_o <= mode_q == STR_SUM ? p_i[32*rd2_i_q[2:0]+:32] : rdata_a_i;
            add_b_o <= mode_q == STR_SUM ? rdata_a_i : rdata_b_i;
            add_tag_q[add_wr_q] <= {rd2_i_q, 32'd0};
            add_wr_q <= add_wr_q + 1'b1;
          end
          STR_ROPE: begin
            if (!rd2_ph_q) begin
              v0_q <= rdata_a_i;
              v1_q <= rdata_b_i;
            end else begin  // v0 * cos and v1 * sin now, v0 * sin and v1 * cos next cycle
              mul_v_o <= 1'b1;
              mul_a_o <= v0_q;
              mul_b_o <= rdata_a_i;
              mul2_v_o <= 1'b1;
              mul2_a_o <= v1_q;
              mul2_b_o <= rdata_b_i;
              mul_tag_q[mul_wr_q] <= {rd2_i_q, 32'd0};
              mul_wr_q <= mul_wr_q + 1'b1;
              rope_pend_q <= 1'b1;
              pend_i_q <= rd2_i_q;
              {pv0_q, pv1_q, pcos_q, psin_q} <= {v0_q, v1_q, rdata_a_i, rdata_b_i};
            end
          end
          STR_EXP: begin  // a[i] - s on the adder first
            add_v_o <= 1'b1;
            add_a_o <= rdata_a_i;
            add_b_o <= s_i;
            add_sub_o <= 1'b1;
            add_tag_q[add_wr_q] <= {rd2_i_q, 32'd0};
            add_wr_q <= add_wr_q + 1'b1;
          end
          STR_SWIGLU: begin  // e^-a
            exp_v_q <= 1'b1;
            exp_x_q <= {~rdata_a_i[31], rdata_a_i[30:0]};
            exp_tag_q <= {rd2_i_q, rdata_a_i, rdata_b_i};
          end
          default: begin  // STR_MAX
            max_o <= (mode_q == STR_MAX && rd2_i_q == '0) ? rdata_a_i : max_next;
          end
        endcase
      end
      if (rope_pend_q) begin
        mul_v_o <= 1'b1;
        mul_a_o <= pv0_q;
        mul_b_o <= psin_q;
        mul2_v_o <= 1'b1;
        mul2_a_o <= pv1_q;
        mul2_b_o <= pcos_q;
        mul_tag_q[mul_wr_q] <= {pend_i_q, 32'd1};
        mul_wr_q <= mul_wr_q + 1'b1;
      end

      // Multiplier results
      if (active_q && mul_vo_i) begin
        mul_rd_q <= mul_rd_q + 1'b1;
        unique case (mode_q)
          STR_SUMSQ: begin
            add_v_o <= 1'b1;
            add_a_o <= p_i[32*mul_i[2:0]+:32];
            add_b_o <= mul_r_i;
            add_tag_q[add_wr_q] <= {mul_i, 32'd0};
            add_wr_q <= add_wr_q + 1'b1;
          end
          STR_SCALE2: begin
            mul2_v_o <= 1'b1;
            mul2_a_o <= mul_carry;  // weight[i] * (scale * x[i])
            mul2_b_o <= mul_r_i;
            mul2_tag_q[mul2_wr_q] <= {mul_i, 32'd0};
            mul2_wr_q <= mul2_wr_q + 1'b1;
          end
          STR_ROPE: begin  // v0*cos - v1*sin, then v0*sin + v1*cos
            add_v_o <= 1'b1;
            add_a_o <= mul_r_i;
            add_b_o <= mul2_r_i;
            add_sub_o <= !mul_carry[0];
            add_tag_q[add_wr_q] <= {mul_i, mul_carry};
            add_wr_q <= add_wr_q + 1'b1;
          end
          default: begin  // STR_MULS, STR_DEQ
            wr_o <= 1'b1;
            wr_addr_o <= w_i + mul_i;
            wr_data_o <= mul_r_i;
          end
        endcase
      end

      if (active_q && mul2_vo_i && mode_q == STR_SCALE2) begin
        mul2_rd_q <= mul2_rd_q + 1'b1;
        wr_o <= 1'b1;
        wr_addr_o <= w_i + mul2_i;
        wr_data_o <= mul2_r_i;
      end

      if (active_q && add_vo_i) begin
        add_rd_q <= add_rd_q + 1'b1;
        if (mode_q == STR_ADD) begin
          wr_o <= 1'b1;
          wr_addr_o <= w_i + add_i;
          wr_data_o <= add_r_i;
        end else if (mode_q == STR_EXP) begin
          exp_v_q <= 1'b1;
          exp_x_q <= add_r_i;
          exp_tag_q <= {add_i, 64'd0};
        end else if (mode_q == STR_ROPE) begin
          wr_o <= 1'b1;
          wr_addr_o <= w_i + (add_i << 1) + SPM_AW'(add_tag_q[add_rd_q][0]);
          wr_data_o <= add_r_i;
        end else begin
          p_we_o <= 1'b1;
          p_idx_o <= add_i[2:0];
          p_data_o <= add_r_i;
        end
      end

      if (exp_vo) begin
        if (mode_q == STR_EXP) begin
          wr_o <= 1'b1;
          wr_addr_o <= w_i + exp_tag[EXP_TW-1:64];
          wr_data_o <= exp_r;
        end else begin
          tail_v_q <= 1'b1;
          {tail_i_q, tail_a_q, tail_b_q} <= exp_tag;
          tail_e_q <= exp_r;
        end
      end
      if (tail_vo) begin
        wr_o <= 1'b1;
        wr_addr_o <= w_i + tail_i;
        wr_data_o <= tail_r;
      end

      if (active_q && complete) begin
        completed_q <= completed_q + 1;
        if (completed_q + 1 == n_i) begin
          active_q <= 1'b0;
          done_o <= 1'b1;
        end
      end
    end
  end

endmodule
