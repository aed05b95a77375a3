// The kernel's fp32 vector unit: every non-matmul operation of the forward pass, on vectors in
// the scratchpad, with exactly the operations and order of hls/llama_arith.h (RMSNorm, Q8_0
// quantization, RoPE, attention scores, softmax, weighted sum of values, residual, SwiGLU,
// dequantization of the embedding row). Reductions keep 8 interleaved partial sums combined
// as ((p0+p1)+(p2+p3))+((p4+p5)+(p6+p7)), as the spec does.
//
// It is a sequential machine: one operation unit call at a time (pipelined fp32 add and
// multiply, exp, reciprocal, rsqrt, round-half-away), each issued from a register and awaited
// on the unit's valid, then the machine returns to the state that called it. Simple and exact;
// the cost of an element is the sum of its unit latencies (see kernel_timing_model).
module llama_vector_unit #(
  parameter int unsigned SPM_AW         = 15,
  parameter int unsigned MAX_COLS       = 4096,
  parameter int unsigned MAX_ROW_GROUPS = 128,
  localparam int unsigned XQ_AW         = $clog2(MAX_COLS),
  localparam int unsigned XS_AW         = $clog2(MAX_ROW_GROUPS)
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  // Command: operands stable from start_i until done_o
  input  logic               start_i,
  input  logic [3:0]         op_i,
  input  logic [SPM_AW-1:0]  a_i,
  input  logic [SPM_AW-1:0]  b_i,
  input  logic [SPM_AW-1:0]  c_i,
  input  logic [SPM_AW-1:0]  dst_i,
  input  logic [31:0]        n_i,
  input  logic [3:0]         gs_log2_i,
  input  logic [31:0]        scalar_i,
  input  logic [15:0]        heads_i,
  input  logic [15:0]        head_size_i,
  input  logic [15:0]        kv_mul_i,
  input  logic [15:0]        kv_dim_i,
  input  logic [SPM_AW-1:0]  stride_i,     // attention row of one head
  input  logic [SPM_AW-1:0]  t_i,          // attention position
  output logic               done_o,
  // Scratchpad
  output logic               spm_we_o,
  output logic [SPM_AW-1:0]  spm_waddr_o,
  output logic [31:0]        spm_wdata_o,
  output logic               spm_re_o,
  output logic [SPM_AW-1:0]  spm_raddr_o,
  input  logic [31:0]        spm_rdata_i,
  // Quantized activations for the matmul engine
  output logic               xq_we_o,
  output logic [XQ_AW-1:0]   xq_idx_o,
  output logic [7:0]         xq_data_o,
  output logic               xs_we_o,
  output logic [XS_AW-1:0]   xs_idx_o,
  output logic [31:0]        xs_data_o
);

`include "llama_vector_ops.svh"

  localparam logic [31:0] F_ZERO     = 32'h0000_0000;
  localparam logic [31:0] F_ONE      = 32'h3F80_0000;
  localparam logic [31:0] F_EPS      = 32'h3727_C5AC;  // 1e-5f
  localparam logic [31:0] F_127      = 32'h42FE_0000;
  localparam logic [31:0] F_NEG_127  = 32'hC2FE_0000;
  localparam logic [31:0] F_INV_127  = 32'h3C01_0204;  // 1.0f / 127.0f

  typedef enum logic [6:0] {
    Idle, Done,
    WAdd, WMul, WExp, WRcp, WRsq, WRnd, WRd1, WRd2,
    TrStep, TrWrite,
    DqRdQ, DqRdS, DqMul, DqWr,
    RmRd, RmSq, RmAcc, RmAccW, RmMean, RmEps, RmRsq, RmScale, RmRdX, RmMulX, RmRdW, RmMulW, RmWr,
    QMaxInit, QMaxRd, QMaxUpd, QInv, QInvMul, QInvDone, QRd, QMul, QClamp, QWr, QScale, QScaleW,
    RoRdC, RoRdS, RoVec, RoRd0, RoRd1, RoM1, RoM2, RoSub, RoW0, RoM3, RoAdd, RoW1,
    ScInit, ScRdQ, ScRdK, ScMul, ScAcc, ScAccW, ScScale, ScWr,
    SmInit, SmMax0, SmMaxRd, SmMaxUpd, SmExpRd, SmSub, SmExp, SmExpW, SmSumRd, SmSumAcc, SmSumW,
    SmRcp, SmRcpW, SmNormRd, SmNormMul, SmNormW,
    F0Wr,
    WsInit, WsW, WsRdX, WsRdV, WsMul, WsAdd, WsWr,
    ReRdA, ReRdB, ReAdd, ReWr,
    SwRd, SwExp, SwWaitE, SwExpN, SwAdd, SwRcp, SwMul1, SwRd3, SwMul2, SwWr
  } state_e;

  state_e st_q, ret_q, tree_ret_q;
  logic [31:0] res_q, ra_q, rb_q, rc_q, scale_q, fcr_q, fci_q, next_q;
  // A result of the exp unit, kept for calls that do not wait for it (SwiGLU)
  logic        exp_done_q;
  logic [31:0] exp_res_q;
  logic [31:0] p_q [8];
  logic [31:0] i_q, j_q, g_q;
  logic [15:0] h_q, kvc_q;
  logic [2:0]  tree_step_q;
  logic        second_q;                       // RoPE: working on k
  logic [SPM_AW-1:0] pa_q, pb_q, pd_q;         // running pointers
  logic [SPM_AW-1:0] gb_q;                     // quantization group base (element index)

  // Unit inputs, driven from registers
  logic        add_v_q, add_sub_q, mul_v_q, exp_v_q, rcp_v_q, rsq_v_q, rnd_v_q;
  logic [31:0] add_a_q, add_b_q, mul_a_q, mul_b_q, exp_x_q, rcp_x_q, rsq_x_q, rnd_x_q;
  logic        add_vo, mul_vo, exp_vo, rcp_vo, rsq_vo, rnd_vo;
  logic [31:0] add_r, mul_r, exp_r, rcp_r, rsq_r, rnd_r;
  logic        unused_exp_ready, unused_rcp_ready, unused_rsq_ready;

  fp32_add u_add (.clk_i, .rst_ni, .valid_i(add_v_q), .a_i(add_a_q), .b_i(add_b_q), .sub_i(add_sub_q),
                  .valid_o(add_vo), .result_o(add_r));
  fp32_mul u_mul (.clk_i, .rst_ni, .valid_i(mul_v_q), .a_i(mul_a_q), .b_i(mul_b_q),
                  .valid_o(mul_vo), .result_o(mul_r));
  fp32_exp u_exp (.clk_i, .rst_ni, .valid_i(exp_v_q), .ready_o(unused_exp_ready), .x_i(exp_x_q),
                  .valid_o(exp_vo), .result_o(exp_r));
  fp32_reciprocal u_rcp (.clk_i, .rst_ni, .valid_i(rcp_v_q), .ready_o(unused_rcp_ready), .x_i(rcp_x_q),
                         .valid_o(rcp_vo), .result_o(rcp_r));
  fp32_rsqrt u_rsq (.clk_i, .rst_ni, .valid_i(rsq_v_q), .ready_o(unused_rsq_ready), .x_i(rsq_x_q),
                    .valid_o(rsq_vo), .result_o(rsq_r));
  fp32_round_half_away u_rnd (.clk_i, .rst_ni, .valid_i(rnd_v_q), .x_i(rnd_x_q), .valid_o(rnd_vo),
                              .int_o(rnd_r));

  // Combinational helpers on the last result
  logic [7:0]  dq_byte;
  logic [31:0] dq_float, max_abs, max_plain, clamped;
  logic        gt_127, lt_neg_127, unused_lt_127, unused_gt_neg_127;
  assign dq_byte = res_q[8*i_q[1:0]+:8];
  fp32_from_int u_dq (.int_i(32'(signed'(dq_byte))), .result_o(dq_float));
  fp32_max u_max_abs (.a_i(res_q), .b_i(scale_q), .abs_i(1'b1), .max_o(max_abs));
  fp32_max u_max (.a_i(res_q), .b_i(scale_q), .abs_i(1'b0), .max_o(max_plain));
  fp32_compare u_cmp_hi (.a_i(res_q), .b_i(F_127), .lt_o(unused_lt_127), .gt_o(gt_127));
  fp32_compare u_cmp_lo (.a_i(res_q), .b_i(F_NEG_127), .lt_o(lt_neg_127), .gt_o(unused_gt_neg_127));
  assign clamped = gt_127 ? F_127 : lt_neg_127 ? F_NEG_127 : res_q;

  // Balanced combination of the 8 partial sums: step k does p[dst] = p[a] + p[b].
  logic [2:0] tree_dst, tree_a, tree_b;
  always_comb begin
    unique case (tree_step_q)
      3'd0: {tree_dst, tree_a, tree_b} = {3'd0, 3'd0, 3'd1};
      3'd1: {tree_dst, tree_a, tree_b} = {3'd2, 3'd2, 3'd3};
      3'd2: {tree_dst, tree_a, tree_b} = {3'd0, 3'd0, 3'd2};
      3'd3: {tree_dst, tree_a, tree_b} = {3'd4, 3'd4, 3'd5};
      3'd4: {tree_dst, tree_a, tree_b} = {3'd6, 3'd6, 3'd7};
      3'd5: {tree_dst, tree_a, tree_b} = {3'd4, 3'd4, 3'd6};
      default: {tree_dst, tree_a, tree_b} = {3'd0, 3'd0, 3'd4};
    endcase
  end

  logic [SPM_AW-1:0] hs_w;
  assign hs_w = SPM_AW'(head_size_i);

  // Unit calls: load the unit's input registers, remember where to come back.
`define VU_ADD(A, B, RET) begin add_v_q <= 1'b1; add_a_q <= (A); add_b_q <= (B); add_sub_q <= 1'b0; ret_q <= RET; st_q <= WAdd; end
`define VU_SUB(A, B, RET) begin add_v_q <= 1'b1; add_a_q <= (A); add_b_q <= (B); add_sub_q <= 1'b1; ret_q <= RET; st_q <= WAdd; end
`define VU_MUL(A, B, RET) begin mul_v_q <= 1'b1; mul_a_q <= (A); mul_b_q <= (B); ret_q <= RET; st_q <= WMul; end
`define VU_EXP(X, RET) begin exp_v_q <= 1'b1; exp_x_q <= (X); ret_q <= RET; st_q <= WExp; end
`define VU_RCP(X, RET) begin rcp_v_q <= 1'b1; rcp_x_q <= (X); ret_q <= RET; st_q <= WRcp; end
`define VU_RSQ(X, RET) begin rsq_v_q <= 1'b1; rsq_x_q <= (X); ret_q <= RET; st_q <= WRsq; end
`define VU_RND(X, RET) begin rnd_v_q <= 1'b1; rnd_x_q <= (X); ret_q <= RET; st_q <= WRnd; end
`define VU_RD(ADDR, RET) begin spm_re_o <= 1'b1; spm_raddr_o <= (ADDR); ret_q <= RET; st_q <= WRd1; end
`define VU_WR(ADDR, DATA) begin spm_we_o <= 1'b1; spm_waddr_o <= (ADDR); spm_wdata_o <= (DATA); end
`define VU_TREE(RET) begin tree_step_q <= '0; tree_ret_q <= RET; st_q <= TrStep; end
`define VU_CLEAR_PARTIALS for (int unsigned k = 0; k < 8; k++) p_q[k] <= F_ZERO

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      st_q <= Idle;
      ret_q <= Idle;
      tree_ret_q <= Idle;
      {res_q, ra_q, rb_q, rc_q, scale_q, fcr_q, fci_q, next_q} <= '0;
      exp_done_q <= 1'b0;
      exp_res_q <= '0;
      for (int unsigned k = 0; k < 8; k++) p_q[k] <= '0;
      {i_q, j_q, g_q} <= '0;
      {h_q, kvc_q} <= '0;
      tree_step_q <= '0;
      second_q <= 1'b0;
      {pa_q, pb_q, pd_q, gb_q} <= '0;
      {add_v_q, add_sub_q, mul_v_q, exp_v_q, rcp_v_q, rsq_v_q, rnd_v_q} <= '0;
      {add_a_q, add_b_q, mul_a_q, mul_b_q, exp_x_q, rcp_x_q, rsq_x_q, rnd_x_q} <= '0;
      {spm_we_o, spm_re_o, xq_we_o, xs_we_o, done_o} <= '0;
      spm_waddr_o <= '0;
      spm_wdata_o <= '0;
      spm_raddr_o <= '0;
      xq_idx_o <= '0;
      xq_data_o <= '0;
      xs_idx_o <= '0;
      xs_data_o <= '0;
    end else begin
      {add_v_q, mul_v_q, exp_v_q, rcp_v_q, rsq_v_q, rnd_v_q} <= '0;
      {spm_we_o, spm_re_o, xq_we_o, xs_we_o, done_o} <= '0;
      if (exp_vo) begin
        exp_done_q <= 1'b1;
        exp_res_q <= exp_r;
      end
      unique case (st_q)
        Idle: if (start_i) begin
          i_q <= '0;
          j_q <= '0;
          g_q <= '0;
          h_q <= '0;
          kvc_q <= '0;
          second_q <= 1'b0;
          pa_q <= a_i;
          pb_q <= b_i;
          pd_q <= dst_i;
          gb_q <= '0;
          `VU_CLEAR_PARTIALS;
          unique case (op_i)
            VOP_DEQUANT:  st_q <= DqRdQ;
            VOP_RMSNORM:  st_q <= RmRd;
            VOP_QUANTIZE: st_q <= QMaxInit;
            VOP_ROPE:     st_q <= RoRdC;
            VOP_SCORES: begin
              pd_q <= dst_i + t_i;
              st_q <= ScRdQ;
            end
            VOP_SOFTMAX:  st_q <= SmInit;
            VOP_FILL0:    st_q <= F0Wr;
            VOP_WSUM: begin
              pa_q <= a_i + t_i;
              st_q <= WsInit;
            end
            VOP_RESIDUAL: st_q <= ReRdA;
            VOP_SWIGLU:   st_q <= SwRd;
            default:      st_q <= Done;
          endcase
        end
        Done: begin
          done_o <= 1'b1;
          st_q <= Idle;
        end

        // ---- waiting for a unit ----
        WAdd: if (add_vo) begin res_q <= add_r; st_q <= ret_q; end
        WMul: if (mul_vo) begin res_q <= mul_r; st_q <= ret_q; end
        WExp: if (exp_vo) begin res_q <= exp_r; st_q <= ret_q; end
        WRcp: if (rcp_vo) begin res_q <= rcp_r; st_q <= ret_q; end
        WRsq: if (rsq_vo) begin res_q <= rsq_r; st_q <= ret_q; end
        WRnd: if (rnd_vo) begin res_q <= rnd_r; st_q <= ret_q; end
        WRd1: st_q <= WRd2;
        WRd2: begin res_q <= spm_rdata_i; st_q <= ret_q; end

        // ---- partial-sum tree, result in p[0] ----
        TrStep: `VU_ADD(p_q[tree_a], p_q[tree_b], TrWrite)
        TrWrite: begin
          p_q[tree_dst] <= res_q;
          tree_step_q <= tree_step_q + 1'b1;
          st_q <= tree_step_q == 3'd6 ? tree_ret_q : TrStep;
        end

        // ---- dequantization of the embedding row ----
        DqRdQ: `VU_RD(pa_q + SPM_AW'(i_q >> 2), DqRdS)
        DqRdS: begin
          ra_q <= dq_float;
          `VU_RD(pa_q + SPM_AW'(n_i >> 2) + SPM_AW'(i_q >> gs_log2_i), DqMul)
        end
        DqMul: `VU_MUL(ra_q, res_q, DqWr)
        DqWr: begin
          `VU_WR(pd_q + SPM_AW'(i_q), res_q);
          i_q <= i_q + 1;
          st_q <= i_q + 1 == n_i ? Done : DqRdQ;
        end

        // ---- RMSNorm ----
        RmRd: `VU_RD(pa_q + SPM_AW'(i_q), RmSq)
        RmSq: `VU_MUL(res_q, res_q, RmAcc)
        RmAcc: `VU_ADD(p_q[i_q[2:0]], res_q, RmAccW)
        RmAccW: begin
          p_q[i_q[2:0]] <= res_q;
          i_q <= i_q + 1;
          if (i_q + 1 == n_i) `VU_TREE(RmMean)
          else st_q <= RmRd;
        end
        RmMean: `VU_MUL(p_q[0], scalar_i, RmEps)
        RmEps: `VU_ADD(res_q, F_EPS, RmRsq)
        RmRsq: `VU_RSQ(res_q, RmScale)
        RmScale: begin
          scale_q <= res_q;
          i_q <= '0;
          st_q <= RmRdX;
        end
        RmRdX: `VU_RD(pa_q + SPM_AW'(i_q), RmMulX)
        RmMulX: `VU_MUL(scale_q, res_q, RmRdW)
        RmRdW: begin
          rb_q <= res_q;
          `VU_RD(pb_q + SPM_AW'(i_q), RmMulW)
        end
        RmMulW: `VU_MUL(res_q, rb_q, RmWr)
        RmWr: begin
          `VU_WR(pd_q + SPM_AW'(i_q), res_q);
          i_q <= i_q + 1;
          st_q <= i_q + 1 == n_i ? Done : RmRdX;
        end

        // ---- Q8_0 quantization, group by group (scale_q holds the running max) ----
        QMaxInit: begin
          scale_q <= F_ZERO;
          j_q <= '0;
          st_q <= QMaxRd;
        end
        QMaxRd: `VU_RD(pa_q + gb_q + SPM_AW'(j_q), QMaxUpd)
        QMaxUpd: begin
          scale_q <= max_abs;
          j_q <= j_q + 1;
          st_q <= j_q + 1 == (32'd1 << gs_log2_i) ? QInv : QMaxRd;
        end
        QInv: begin
          rc_q <= scale_q;  // max |x| of the group
          j_q <= '0;
          if (scale_q == F_ZERO) begin
            scale_q <= F_ZERO;
            st_q <= QRd;
          end else `VU_RCP(scale_q, QInvMul)
        end
        QInvMul: `VU_MUL(F_127, res_q, QInvDone)
        QInvDone: begin
          scale_q <= res_q;
          st_q <= QRd;
        end
        QRd: `VU_RD(pa_q + gb_q + SPM_AW'(j_q), QMul)
        QMul: `VU_MUL(res_q, scale_q, QClamp)
        QClamp: `VU_RND(clamped, QWr)
        QWr: begin
          xq_we_o <= 1'b1;
          xq_idx_o <= XQ_AW'(gb_q) + XQ_AW'(j_q);
          xq_data_o <= res_q[7:0];
          j_q <= j_q + 1;
          st_q <= j_q + 1 == (32'd1 << gs_log2_i) ? QScale : QRd;
        end
        QScale: `VU_MUL(rc_q, F_INV_127, QScaleW)
        QScaleW: begin
          xs_we_o <= 1'b1;
          xs_idx_o <= XS_AW'(g_q);
          xs_data_o <= res_q;
          g_q <= g_q + 1;
          gb_q <= gb_q + SPM_AW'(32'd1 << gs_log2_i);
          st_q <= g_q + 1 == (n_i >> gs_log2_i) ? Done : QMaxInit;
        end

        // ---- RoPE: pairs (i, i+1) of q, then of k while i < kv_dim; j_q = 2 * pair ----
        RoRdC: `VU_RD(SPM_AW'(c_i) + SPM_AW'(j_q), RoRdS)
        RoRdS: begin
          fcr_q <= res_q;
          `VU_RD(SPM_AW'(c_i) + SPM_AW'(j_q) + 1'b1, RoVec)
        end
        RoVec: begin
          fci_q <= res_q;
          second_q <= 1'b0;
          st_q <= RoRd0;
        end
        RoRd0: `VU_RD((second_q ? pb_q : pa_q) + SPM_AW'(i_q), RoRd1)
        RoRd1: begin
          ra_q <= res_q;
          `VU_RD((second_q ? pb_q : pa_q) + SPM_AW'(i_q) + 1'b1, RoM1)
        end
        RoM1: begin
          rb_q <= res_q;
          `VU_MUL(ra_q, fcr_q, RoM2)
        end
        RoM2: begin
          rc_q <= res_q;
          `VU_MUL(rb_q, fci_q, RoSub)
        end
        RoSub: `VU_SUB(rc_q, res_q, RoW0)
        RoW0: begin
          `VU_WR((second_q ? pb_q : pa_q) + SPM_AW'(i_q), res_q);
          `VU_MUL(ra_q, fci_q, RoM3)
        end
        RoM3: begin
          rc_q <= res_q;
          `VU_MUL(rb_q, fcr_q, RoAdd)
        end
        RoAdd: `VU_ADD(rc_q, res_q, RoW1)
        RoW1: begin
          `VU_WR((second_q ? pb_q : pa_q) + SPM_AW'(i_q) + 1'b1, res_q);
          if (!second_q && i_q < 32'(kv_dim_i)) begin
            second_q <= 1'b1;
            st_q <= RoRd0;
          end else begin
            i_q <= i_q + 2;
            j_q <= j_q + 2 == 32'(head_size_i) ? '0 : j_q + 2;
            st_q <= i_q + 2 == n_i ? Done : RoRdC;
          end
        end

        // ---- attention scores of position t: pa = q head, pb = key head, pd = score ----
        ScInit: begin
          `VU_CLEAR_PARTIALS;
          j_q <= '0;
          st_q <= ScRdQ;
        end
        ScRdQ: `VU_RD(pa_q + SPM_AW'(j_q), ScRdK)
        ScRdK: begin
          ra_q <= res_q;
          `VU_RD(pb_q + SPM_AW'(j_q), ScMul)
        end
        ScMul: `VU_MUL(ra_q, res_q, ScAcc)
        ScAcc: `VU_ADD(p_q[j_q[2:0]], res_q, ScAccW)
        ScAccW: begin
          p_q[j_q[2:0]] <= res_q;
          j_q <= j_q + 1;
          if (j_q + 1 == 32'(head_size_i)) `VU_TREE(ScScale)
          else st_q <= ScRdQ;
        end
        ScScale: `VU_MUL(p_q[0], scalar_i, ScWr)
        ScWr: begin
          `VU_WR(pd_q, res_q);
          pd_q <= pd_q + stride_i;
          pa_q <= pa_q + hs_w;
          if (kvc_q + 1'b1 == kv_mul_i) begin
            kvc_q <= '0;
            pb_q <= pb_q + hs_w;
          end else kvc_q <= kvc_q + 1'b1;
          h_q <= h_q + 1'b1;
          st_q <= h_q + 1'b1 == heads_i ? Done : ScInit;
        end

        // ---- softmax of each head's n scores at pa ----
        SmInit: `VU_RD(pa_q, SmMax0)
        SmMax0: begin
          scale_q <= res_q;
          i_q <= 32'd1;
          st_q <= n_i == 32'd1 ? SmExpRd : SmMaxRd;
          if (n_i == 32'd1) i_q <= '0;
        end
        SmMaxRd: `VU_RD(pa_q + SPM_AW'(i_q), SmMaxUpd)
        SmMaxUpd: begin
          scale_q <= max_plain;
          i_q <= i_q + 1 == n_i ? '0 : i_q + 1;
          st_q <= i_q + 1 == n_i ? SmExpRd : SmMaxRd;
        end
        SmExpRd: `VU_RD(pa_q + SPM_AW'(i_q), SmSub)
        SmSub: `VU_SUB(res_q, scale_q, SmExp)
        SmExp: `VU_EXP(res_q, SmExpW)
        SmExpW: begin
          `VU_WR(pa_q + SPM_AW'(i_q), res_q);
          i_q <= i_q + 1 == n_i ? '0 : i_q + 1;
          if (i_q + 1 == n_i) `VU_CLEAR_PARTIALS;
          st_q <= i_q + 1 == n_i ? SmSumRd : SmExpRd;
        end
        SmSumRd: `VU_RD(pa_q + SPM_AW'(i_q), SmSumAcc)
        SmSumAcc: `VU_ADD(p_q[i_q[2:0]], res_q, SmSumW)
        SmSumW: begin
          p_q[i_q[2:0]] <= res_q;
          i_q <= i_q + 1 == n_i ? '0 : i_q + 1;
          if (i_q + 1 == n_i) `VU_TREE(SmRcp)
          else st_q <= SmSumRd;
        end
        SmRcp: `VU_RCP(p_q[0], SmRcpW)
        SmRcpW: begin
          rc_q <= res_q;
          st_q <= SmNormRd;
        end
        SmNormRd: `VU_RD(pa_q + SPM_AW'(i_q), SmNormMul)
        SmNormMul: `VU_MUL(res_q, rc_q, SmNormW)
        SmNormW: begin
          `VU_WR(pa_q + SPM_AW'(i_q), res_q);
          if (i_q + 1 == n_i) begin
            i_q <= '0;
            pa_q <= pa_q + stride_i;
            h_q <= h_q + 1'b1;
            st_q <= h_q + 1'b1 == heads_i ? Done : SmInit;
          end else begin
            i_q <= i_q + 1;
            st_q <= SmNormRd;
          end
        end

        // ---- fill with +0 ----
        F0Wr: begin
          `VU_WR(pd_q + SPM_AW'(i_q), F_ZERO);
          i_q <= i_q + 1;
          st_q <= i_q + 1 == n_i ? Done : F0Wr;
        end

        // ---- weighted sum of values at position t: pa = score, pb = value head, pd = out head ----
        WsInit: `VU_RD(pa_q, WsW)
        WsW: begin
          rc_q <= res_q;
          j_q <= '0;
          st_q <= WsRdX;
        end
        WsRdX: `VU_RD(pd_q + SPM_AW'(j_q), WsRdV)
        WsRdV: begin
          ra_q <= res_q;
          `VU_RD(pb_q + SPM_AW'(j_q), WsMul)
        end
        WsMul: `VU_MUL(rc_q, res_q, WsAdd)
        WsAdd: `VU_ADD(ra_q, res_q, WsWr)
        WsWr: begin
          `VU_WR(pd_q + SPM_AW'(j_q), res_q);
          if (j_q + 1 == 32'(head_size_i)) begin
            pa_q <= pa_q + stride_i;
            pd_q <= pd_q + hs_w;
            if (kvc_q + 1'b1 == kv_mul_i) begin
              kvc_q <= '0;
              pb_q <= pb_q + hs_w;
            end else kvc_q <= kvc_q + 1'b1;
            h_q <= h_q + 1'b1;
            st_q <= h_q + 1'b1 == heads_i ? Done : WsInit;
          end else begin
            j_q <= j_q + 1;
            st_q <= WsRdX;
          end
        end

        // ---- residual a += b ----
        ReRdA: `VU_RD(pa_q + SPM_AW'(i_q), ReRdB)
        ReRdB: begin
          ra_q <= res_q;
          `VU_RD(pb_q + SPM_AW'(i_q), ReAdd)
        end
        ReAdd: `VU_ADD(ra_q, res_q, ReWr)
        ReWr: begin
          `VU_WR(pa_q + SPM_AW'(i_q), res_q);
          i_q <= i_q + 1;
          st_q <= i_q + 1 == n_i ? Done : ReRdA;
        end

        // ---- SwiGLU a = (a * 1/(1 + e^-a)) * b; e^-a of the next element runs in the exp unit
        //      while this element finishes on the other units (ra: this a, next_q: the next) ----
        SwRd: `VU_RD(pa_q, SwExp)
        SwExp: begin
          ra_q <= res_q;
          exp_v_q <= 1'b1;
          exp_x_q <= {~res_q[31], res_q[30:0]};
          exp_done_q <= 1'b0;
          st_q <= SwWaitE;
        end
        SwWaitE: if (exp_done_q) begin
          rc_q <= exp_res_q;
          if (i_q + 1 == n_i) st_q <= SwAdd;
          else `VU_RD(pa_q + SPM_AW'(i_q) + 1'b1, SwExpN)
        end
        SwExpN: begin
          next_q <= res_q;
          exp_v_q <= 1'b1;
          exp_x_q <= {~res_q[31], res_q[30:0]};
          exp_done_q <= 1'b0;
          st_q <= SwAdd;
        end
        SwAdd: `VU_ADD(F_ONE, rc_q, SwRcp)
        SwRcp: `VU_RCP(res_q, SwMul1)
        SwMul1: `VU_MUL(ra_q, res_q, SwRd3)
        SwRd3: begin
          rb_q <= res_q;
          `VU_RD(pb_q + SPM_AW'(i_q), SwMul2)
        end
        SwMul2: `VU_MUL(rb_q, res_q, SwWr)
        SwWr: begin
          `VU_WR(pa_q + SPM_AW'(i_q), res_q);
          i_q <= i_q + 1;
          ra_q <= next_q;
          st_q <= i_q + 1 == n_i ? Done : SwWaitE;
        end

        default: st_q <= Idle;
      endcase
    end
  end

`undef VU_ADD
`undef VU_SUB
`undef VU_MUL
`undef VU_EXP
`undef VU_RCP
`undef VU_RSQ
`undef VU_RND
`undef VU_RD
`undef VU_WR
`undef VU_TREE
`undef VU_CLEAR_PARTIALS

endmodule
