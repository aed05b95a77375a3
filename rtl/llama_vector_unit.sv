// The kernel's fp32 vector unit: every non-matmul operation of the forward pass, on vectors in
// the scratchpad, with exactly the operations and order of hls/llama_arith.h (RMSNorm, Q8_0
// quantization, RoPE, softmax, residual, SwiGLU, dequantization of the embedding row; the
// attention scores and weighted sum run in llama_attention_unit). Reductions keep 8 partial sums
// (block k of 16 elements into partial k % 8) combined as ((p0+p1)+(p2+p3))+((p4+p5)+(p6+p7)),
// as the spec does.
//
// A state machine runs one command at a time: element loops go to llama_vector_stream
// (FP_LANES elements a cycle from the WIN-word windows of scratchpad ports A and B through the
// stream's own lanes of multipliers, adders, exp pipelines and SwiGLU tails, written back
// through the scratchpad's WIN-word write port; WIN = max(FP_LANES, 16), the scratchpad's
// banks); Q8_0 quantization goes to llama_quantize
// (FP_LANES elements a cycle from port A's window, its own max tree, scale divider, FP_LANES
// dividers and round units, FP_LANES codes a cycle into xq); scalar steps (reduction trees,
// the RMSNorm and softmax factors) call one pipelined unit (add, multiply, reciprocal, rsqrt)
// from a register and wait for its valid, then return to the state that called it
// (hls/sequential_timing_model.cpp counts these states).
`include "vp_registers.svh"

module llama_vector_unit #(
  parameter int unsigned SPM_AW         = 15,
  parameter int unsigned MAX_COLS       = 4096,
  parameter int unsigned MAX_ROW_GROUPS = 128,
  parameter int unsigned FP_LANES       = 16,  // element lanes: 1, 2, 4, 8, 16 or 32
  localparam int unsigned WIN           = FP_LANES > 16 ? FP_LANES : 16,  // scratchpad banks
  localparam int unsigned WL            = $clog2(WIN),
  localparam int unsigned XQ_AW         = $clog2(MAX_COLS),
  localparam int unsigned XS_AW         = $clog2(MAX_ROW_GROUPS)
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  // Command: operands stable from start_i until done_o
  input  logic               start_i,
  input  llama_pkg::vector_op_e op_i,
  input  logic [SPM_AW-1:0]  a_i,
  input  logic [SPM_AW-1:0]  b_i,
  input  logic [SPM_AW-1:0]  c_i,
  input  logic [SPM_AW-1:0]  dst_i,
  input  logic [31:0]        n_i,
  input  logic [3:0]         gs_log2_i,
  input  logic [31:0]        scalar_i,
  input  logic [15:0]        heads_i,
  input  logic [15:0]        head_size_i,
  input  logic [15:0]        kv_dim_i,
  input  logic [SPM_AW-1:0]  stride_i,     // attention row of one head
  output logic               done_o,
  // Working or finishing (done_o high): its registers change at the next edge only then or when
  // started, so its clock may stop otherwise (vp_clock_gate in llama_kernel).
  output logic               busy_o,
  // Scratchpad: the lane write puts word j (j < count) at waddr + j (the beat write port)
  output logic               spm_we_o,
  output logic [SPM_AW-1:0]  spm_waddr_o,
  output logic [WL:0]        spm_wcount_o,
  output logic [32*WIN-1:0]  spm_wdata_o,
  output logic               spm_re_o,
  output logic [SPM_AW-1:0]  spm_raddr_o,
  input  logic [32*WIN-1:0]  spm_rdata_banks_i,  // port A's WIN-word window (llama_scratchpad)
  input  logic [WL-1:0]      spm_rbank_i,
  output logic               spm_re_b_o,      // second read port (pipelined loops)
  output logic [SPM_AW-1:0]  spm_raddr_b_o,
  input  logic [32*WIN-1:0]  spm_rdata_banks_b_i,
  input  logic [WL-1:0]      spm_rbank_b_i,
  // Quantized activations for the matmul engine
  output logic               xq_we_o,
  output logic [XQ_AW-1:0]   xq_idx_o,
  output logic [FP_LANES-1:0] xq_mask_o,     // byte k to xq[idx + k]; idx a multiple of FP_LANES
  output logic [8*FP_LANES-1:0] xq_data_o,
  output logic               xs_we_o,
  output logic [XS_AW-1:0]   xs_idx_o,
  output logic [31:0]        xs_data_o
);

  typedef enum logic [6:0] {
    StIdle, StDone,
    StWaitAdd, StWaitMul, StWaitRcp, StWaitRsq, StWaitStream,
    StTreeStep, StTreeWrite,
    StDeqStream,
    StRmsSumSq, StRmsTree, StRmsMean, StRmsEps, StRmsRsqrt, StRmsScale,
    StQuantRun, StQuantWait,
    StRopeQ, StRopeK,
    StSmMax, StSmExp, StSmSum, StSmTree, StSmRcp, StSmScale, StSmNext,
    StResidual,
    StSwiglu
  } state_e;

  // ---- registers (_q) and their next values (_d, the always_comb at the end) ----
  state_e            state_q, state_d, ret_q, ret_d, tree_ret_q, tree_ret_d;
  logic [31:0]       res_q, res_d;
  logic [32*8-1:0]   p_q, p_d;                    // partial sum k at [32*k +: 32]
  logic [15:0]       h_q, h_d;
  logic [2:0]        tree_step_q, tree_step_d;
  logic [SPM_AW-1:0] pa_q, pa_d, pb_q, pb_d, pd_q, pd_d;  // running pointers
  logic              done_q, done_d;

  // Unit inputs, driven from registers
  logic        add_v_q, add_v_d, mul_v_q, mul_v_d, rcp_v_q, rcp_v_d, rsq_v_q, rsq_v_d;
  logic [31:0] add_a_q, add_a_d, add_b_q, add_b_d, mul_a_q, mul_a_d, mul_b_q, mul_b_d;
  logic [31:0] rcp_x_q, rcp_x_d, rsq_x_q, rsq_x_d;
  logic        add_vo, mul_vo, rcp_vo, rsq_vo;
  logic [31:0] add_r, mul_r, rcp_r, rsq_r;

  // Pipelined element loops (llama_vector_stream): command registers, and the units it borrows
  logic              sm_start_q, sm_start_d;
  llama_pkg::stream_mode_e sm_mode_q, sm_mode_d;
  logic [31:0]       sm_n_q, sm_n_d, sm_s_q, sm_s_d;
  logic [SPM_AW-1:0] sm_a_q, sm_a_d, sm_b_q, sm_b_d, sm_w_q, sm_w_d;
  logic              sm_done, sm_p_we, sm_rd, sm_wr;
  logic [2:0]        sm_p_idx;
  logic [31:0]       sm_max, sm_p_data;
  logic [32*WIN-1:0] sm_wr_data;
  logic [WL:0]       sm_wr_count;
  logic [SPM_AW-1:0] sm_rd_a_addr, sm_rd_b_addr, sm_wr_addr;
  logic        unused_rcp_tag, unused_rsq_tag;

  // The state machine's scalar units (the loops have their own).
  fp32_add u_add (.clk_i, .rst_ni, .valid_i(add_v_q), .a_i(add_a_q), .b_i(add_b_q), .sub_i(1'b0),
                  .valid_o(add_vo), .result_o(add_r));
  fp32_mul u_mul (.clk_i, .rst_ni, .valid_i(mul_v_q), .a_i(mul_a_q), .b_i(mul_b_q), .valid_o(mul_vo),
                  .result_o(mul_r));
  fp32_reciprocal_pipeline #(.TAG_W(1)) u_rcp (.clk_i, .rst_ni, .valid_i(rcp_v_q), .x_i(rcp_x_q), .tag_i(1'b0),
                                               .valid_o(rcp_vo), .result_o(rcp_r), .tag_o(unused_rcp_tag));
  fp32_rsqrt_pipeline #(.TAG_W(1)) u_rsq (.clk_i, .rst_ni, .valid_i(rsq_v_q), .x_i(rsq_x_q), .tag_i(1'b0),
                                          .valid_o(rsq_vo), .result_o(rsq_r), .tag_o(unused_rsq_tag));

  // Q8_0 quantization (VopQuantize), FP_LANES elements a cycle
  logic              q_start_q, q_start_d, q_done, q_rd;
  logic [SPM_AW-1:0] q_rd_addr;
  llama_quantize #(.LANES(FP_LANES), .SPM_AW(SPM_AW), .XQ_AW(XQ_AW), .XS_AW(XS_AW)) u_quant (
    .clk_i, .rst_ni,
    .start_i  (q_start_q),
    .a_i      (a_i),
    .n_i      (n_i),
    .gs_log2_i(gs_log2_i),
    .done_o   (q_done),
    .rd_o     (q_rd),
    .rd_addr_o(q_rd_addr),
    .banks_i  (spm_rdata_banks_i),
    .rbank_i  (spm_rbank_i),
    .xq_we_o  (xq_we_o),
    .xq_idx_o (xq_idx_o),
    .xq_mask_o(xq_mask_o),
    .xq_data_o(xq_data_o),
    .xs_we_o  (xs_we_o),
    .xs_idx_o (xs_idx_o),
    .xs_data_o(xs_data_o)
  );

  llama_vector_stream #(.LANES(FP_LANES), .SPM_AW(SPM_AW)) u_stream (
    .clk_i, .rst_ni,
    .start_i    (sm_start_q),
    .mode_i     (sm_mode_q),
    .n_i        (sm_n_q),
    .a_i        (sm_a_q),
    .b_i        (sm_b_q),
    .w_i        (sm_w_q),
    .s_i        (sm_s_q),
    .gs_log2_i  (gs_log2_i),
    .wrap_i     (head_size_i),
    .done_o     (sm_done),
    .max_o      (sm_max),
    .p_i        (p_q),
    .p_we_o     (sm_p_we),
    .p_idx_o    (sm_p_idx),
    .p_data_o   (sm_p_data),
    .rd_o       (sm_rd),
    .rd_a_addr_o(sm_rd_a_addr),
    .banks_a_i  (spm_rdata_banks_i),
    .rbank_a_i  (spm_rbank_i),
    .rd_b_addr_o(sm_rd_b_addr),
    .banks_b_i  (spm_rdata_banks_b_i),
    .rbank_b_i  (spm_rbank_b_i),
    .wr_o       (sm_wr),
    .wr_addr_o  (sm_wr_addr),
    .wr_count_o (sm_wr_count),
    .wr_data_o  (sm_wr_data)
  );

  assign done_o = done_q;
  assign busy_o = state_q != StIdle || done_q;

  // Scratchpad ports: the quantizer's reads or the loops'; the loops write.
  assign spm_we_o      = sm_wr;
  assign spm_waddr_o   = sm_wr_addr;
  assign spm_wcount_o  = sm_wr_count;
  assign spm_wdata_o   = sm_wr_data;
  assign spm_re_o      = sm_rd || q_rd;
  assign spm_raddr_o   = q_rd ? q_rd_addr : sm_rd_a_addr;
  assign spm_re_b_o    = sm_rd;
  assign spm_raddr_b_o = sm_rd_b_addr;

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


  // Unit calls: load the unit's input registers, remember where to come back (the tasks write
  // the _d signals of the always_comb below that calls them).
  task automatic call_add(input logic [31:0] a, input logic [31:0] b, input state_e ret);
    add_v_d = 1'b1;
    add_a_d = a;
    add_b_d = b;
    ret_d   = ret;
    state_d = StWaitAdd;
  endtask
  task automatic call_mul(input logic [31:0] a, input logic [31:0] b, input state_e ret);
    mul_v_d = 1'b1;
    mul_a_d = a;
    mul_b_d = b;
    ret_d   = ret;
    state_d = StWaitMul;
  endtask
  task automatic call_rcp(input logic [31:0] x, input state_e ret);
    rcp_v_d = 1'b1;
    rcp_x_d = x;
    ret_d   = ret;
    state_d = StWaitRcp;
  endtask
  task automatic call_rsq(input logic [31:0] x, input state_e ret);
    rsq_v_d = 1'b1;
    rsq_x_d = x;
    ret_d   = ret;
    state_d = StWaitRsq;
  endtask
  task automatic run_stream(input llama_pkg::stream_mode_e mode, input logic [SPM_AW-1:0] a, input logic [SPM_AW-1:0] b,
                            input logic [SPM_AW-1:0] w, input logic [31:0] s, input logic [31:0] n, input state_e ret);
    sm_start_d = 1'b1;
    sm_mode_d  = mode;
    sm_a_d     = a;
    sm_b_d     = b;
    sm_w_d     = w;
    sm_s_d     = s;
    sm_n_d     = n;
    ret_d      = ret;
    state_d    = StWaitStream;
  endtask
  // The balanced combination of the 8 partial sums into p[0], then ret.
  task automatic reduce_partials(input state_e ret);
    tree_step_d = '0;
    tree_ret_d  = ret;
    state_d     = StTreeStep;
  endtask
  task automatic clear_partials();
    for (int unsigned k = 0; k < 8; k++) p_d[32*k+:32] = llama_pkg::F_ZERO;
  endtask


  always_comb begin
    state_d     = state_q;
    ret_d       = ret_q;
    tree_ret_d  = tree_ret_q;
    res_d       = res_q;
    p_d         = p_q;
    h_d         = h_q;
    tree_step_d = tree_step_q;
    pa_d        = pa_q;
    pb_d        = pb_q;
    pd_d        = pd_q;
    add_a_d     = add_a_q;
    add_b_d     = add_b_q;
    mul_a_d     = mul_a_q;
    mul_b_d     = mul_b_q;
    rcp_x_d     = rcp_x_q;
    rsq_x_d     = rsq_x_q;
    sm_mode_d   = sm_mode_q;
    sm_n_d      = sm_n_q;
    sm_s_d      = sm_s_q;
    sm_a_d      = sm_a_q;
    sm_b_d      = sm_b_q;
    sm_w_d      = sm_w_q;
    // pulses
    {add_v_d, mul_v_d, rcp_v_d, rsq_v_d} = '0;
    {done_d, sm_start_d, q_start_d}      = '0;
    if (sm_p_we) p_d[32*sm_p_idx+:32] = sm_p_data;
    unique case (state_q)
      StIdle: if (start_i) begin
        h_d  = '0;
        pa_d = a_i;
        pb_d = b_i;
        pd_d = dst_i;
        clear_partials();
        unique case (op_i)
          llama_pkg::VopDequant:  state_d = StDeqStream;
          llama_pkg::VopRmsnorm:  state_d = StRmsSumSq;
          llama_pkg::VopQuantize: state_d = StQuantRun;
          llama_pkg::VopRope:     state_d = StRopeQ;
          llama_pkg::VopSoftmax:  state_d = StSmMax;
          llama_pkg::VopResidual: state_d = StResidual;
          llama_pkg::VopSwiglu:   state_d = StSwiglu;
          default:                state_d = StDone;
        endcase
      end
      StDone: begin
        done_d  = 1'b1;
        state_d = StIdle;
      end

      // ---- waiting for a unit ----
      StWaitAdd: if (add_vo) begin res_d = add_r; state_d = ret_q; end
      StWaitMul: if (mul_vo) begin res_d = mul_r; state_d = ret_q; end
      StWaitRcp: if (rcp_vo) begin res_d = rcp_r; state_d = ret_q; end
      StWaitRsq: if (rsq_vo) begin res_d = rsq_r; state_d = ret_q; end
      StWaitStream: if (sm_done) state_d = ret_q;

      // ---- partial-sum tree, result in p[0] ----
      StTreeStep: call_add(p_q[32*tree_a+:32], p_q[32*tree_b+:32], StTreeWrite);
      StTreeWrite: begin
        p_d[32*tree_dst+:32] = res_q;
        tree_step_d = tree_step_q + 1'b1;
        state_d     = tree_step_q == 3'd6 ? tree_ret_q : StTreeStep;
      end

      // ---- dequantization of the embedding row (bytes, then the scales at byte n) ----
      StDeqStream: run_stream(llama_pkg::StreamDeq, pa_q, pa_q + SPM_AW'(n_i >> 2), pd_q, llama_pkg::F_ZERO, n_i, StDone);

      // ---- RMSNorm ----
      StRmsSumSq: run_stream(llama_pkg::StreamSumSq, pa_q, pa_q, pa_q, llama_pkg::F_ZERO, n_i, StRmsTree);
      StRmsTree: reduce_partials(StRmsMean);
      StRmsMean: call_mul(p_q[31:0], scalar_i, StRmsEps);
      StRmsEps: call_add(res_q, llama_pkg::F_EPS, StRmsRsqrt);
      StRmsRsqrt: call_rsq(res_q, StRmsScale);
      StRmsScale: run_stream(llama_pkg::StreamScale2, pa_q, pb_q, pd_q, res_q, n_i, StDone);

      // ---- Q8_0 quantization: llama_quantize, all groups ----
      StQuantRun: begin
        q_start_d = 1'b1;
        state_d   = StQuantWait;
      end
      StQuantWait: if (q_done) state_d = StDone;

      // ---- RoPE: the dim elements (pairs) of q at pa, then the kv_dim of k at pb ----
      StRopeQ: run_stream(llama_pkg::StreamRope, pa_q, SPM_AW'(c_i), pa_q, llama_pkg::F_ZERO, n_i, StRopeK);
      StRopeK: run_stream(llama_pkg::StreamRope, pb_q, SPM_AW'(c_i), pb_q, llama_pkg::F_ZERO, 32'(kv_dim_i), StDone);

      // ---- softmax of each head's n scores at pa ----
      StSmMax: run_stream(llama_pkg::StreamMax, pa_q, pa_q, pa_q, llama_pkg::F_ZERO, n_i, StSmExp);
      StSmExp: begin
        run_stream(llama_pkg::StreamExp, pa_q, pa_q, pa_q, sm_max, n_i, StSmSum);
        clear_partials();
      end
      StSmSum: run_stream(llama_pkg::StreamSum, pa_q, pa_q, pa_q, llama_pkg::F_ZERO, n_i, StSmTree);
      StSmTree: reduce_partials(StSmRcp);
      StSmRcp: call_rcp(p_q[31:0], StSmScale);
      StSmScale: run_stream(llama_pkg::StreamMulS, pa_q, pa_q, pa_q, res_q, n_i, StSmNext);
      StSmNext: begin
        pa_d    = pa_q + stride_i;
        h_d     = h_q + 1'b1;
        state_d = h_q + 1'b1 == heads_i ? StDone : StSmMax;
      end

      // ---- residual a += b ----
      StResidual: run_stream(llama_pkg::StreamAdd, pa_q, pb_q, pa_q, llama_pkg::F_ZERO, n_i, StDone);

      // ---- SwiGLU a = (a * 1/(1 + e^-a)) * b ----
      StSwiglu: run_stream(llama_pkg::StreamSwiglu, pa_q, pb_q, pa_q, llama_pkg::F_ZERO, n_i, StDone);

      default: state_d = StIdle;
    endcase
  end

  `VP_FF(state_q, state_d, StIdle)
  `VP_FF(ret_q, ret_d, StIdle)
  `VP_FF(tree_ret_q, tree_ret_d, StIdle)
  `VP_FF(res_q, res_d, '0)
  `VP_FF(p_q, p_d, '0)
  `VP_FF(h_q, h_d, '0)
  `VP_FF(tree_step_q, tree_step_d, '0)
  `VP_FF(pa_q, pa_d, '0)
  `VP_FF(pb_q, pb_d, '0)
  `VP_FF(pd_q, pd_d, '0)
  `VP_FF(done_q, done_d, 1'b0)
  `VP_FF(add_v_q, add_v_d, 1'b0)
  `VP_FF(mul_v_q, mul_v_d, 1'b0)
  `VP_FF(rcp_v_q, rcp_v_d, 1'b0)
  `VP_FF(rsq_v_q, rsq_v_d, 1'b0)
  `VP_FF(add_a_q, add_a_d, '0)
  `VP_FF(add_b_q, add_b_d, '0)
  `VP_FF(mul_a_q, mul_a_d, '0)
  `VP_FF(mul_b_q, mul_b_d, '0)
  `VP_FF(rcp_x_q, rcp_x_d, '0)
  `VP_FF(rsq_x_q, rsq_x_d, '0)
  `VP_FF(sm_start_q, sm_start_d, 1'b0)
  `VP_FF(sm_mode_q, sm_mode_d, llama_pkg::StreamSumSq)
  `VP_FF(sm_n_q, sm_n_d, '0)
  `VP_FF(sm_s_q, sm_s_d, '0)
  `VP_FF(sm_a_q, sm_a_d, '0)
  `VP_FF(sm_b_q, sm_b_d, '0)
  `VP_FF(sm_w_q, sm_w_d, '0)
  `VP_FF(q_start_q, q_start_d, 1'b0)

endmodule
