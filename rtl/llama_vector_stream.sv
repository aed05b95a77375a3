// The vector unit's pipelined element loops, LANES elements a cycle (a beat): the beat's words
// come from the WIN-word windows of scratchpad ports A and B (WIN = max(LANES, 16), the
// scratchpad's banks), flow through the lanes' own units (per lane two multipliers, an adder,
// an exp pipeline and a SwiGLU tail), and the results of a beat leave together through the
// scratchpad's WIN-word write port. Each element does exactly
// the operations of hls/llama_arith.h in their order:
//   StreamSumSq   sum of a[i] * a[i]                       (RMSNorm)
//   StreamSum     sum of a[i]                              (softmax sum)
//   StreamScale2  w[i] = b[i] * (s * a[i])                 (RMSNorm output)
//   StreamAdd     w[i] = a[i] + b[i]                       (residual)
//   StreamMulS    w[i] = a[i] * s                          (softmax normalization)
//   StreamMax     max a[i] from a[0] (on max_o)
//   StreamDeq     w[i] = float(int8 byte i at a) * scale word (i >> gs) at b
//   StreamRope    the pairs of a (n elements) rotated by the (cos, sin) at b + (i mod wrap),
//                 written back to a: lane 2j takes v0 * cos - v1 * sin, lane 2j + 1
//                 v0 * sin + v1 * cos (both multipliers, then the adder)
//   StreamExp     w[i] = exp(a[i] - s)                     (adder, then the exp pipeline)
//   StreamSwiglu  w[i] = (a[i] * 1/(1 + exp(-a[i]))) * b[i] (exp pipeline, then llama_swiglu_tail)
// Sums (hls/llama_arith.h block_reduce): blocks of 16 elements, leaves past n are -0.0; a beat's
// TL = min(LANES, 16) leaves go through a TL-leaf adder tree (heap order, one level per adder
// latency), the 16 / TL subtree sums of a block are combined pairwise by 4 - log2(TL) combine
// levels (each one adder: it holds the even input and adds the odd one), and block k is added
// into partial k % 8 (kept by the vector unit, read on p_i). Reductions issue whole blocks
// (padded beats), so the combine levels end every loop at a block boundary. At 32 lanes a sum
// still takes 16 elements a cycle: each partial is a chain of dependent adds, one every 7 cycles
// (the adder's input register, its 4 stages, the result register, the write into p), so the 8
// partials take one block a cycle but not two (that would need a 4-cycle chain).
// The maximum folds the beat's lanes by a tree of fp32_max that keeps the left (earlier) value
// on ties, then into the running maximum.
// RoPE needs a pair per lane couple: it uses STEP = min(max(LANES, 2), the largest power of two
// dividing wrap) lanes (so a beat's table words never wrap), and LANES = 1 builds two lanes.
// All units have fixed latencies and every beat takes the same path, so results leave in issue
// order: a write counter gives each result beat its address, and lane 0's valids stand for all.
// Timing (hls/sequential_timing_model.cpp): start at cycle 0, beat k issues at 1 + k, its data is
// back at 3 + k, each unit adds its input register and its latency, the done pulse follows the
// last completion by one cycle.
`include "vp_registers.svh"

module llama_vector_stream #(
  parameter int unsigned LANES  = 16,  // 1, 2, 4, 8, 16 or 32
  parameter int unsigned SPM_AW = 15,
  localparam int unsigned NL    = LANES < 2 ? 2 : LANES,    // lanes built (RoPE needs two)
  localparam int unsigned LL    = $clog2(LANES),             // 0 .. 5
  localparam int unsigned TL    = LANES > 16 ? 16 : LANES,   // sum tree leaves
  localparam int unsigned TLL   = $clog2(TL),                // 0 .. 4
  localparam int unsigned CMB   = 4 - TLL,                   // combine levels of a block
  localparam int unsigned WIN   = LANES > 16 ? LANES : 16,   // window words (scratchpad banks)
  localparam int unsigned WL    = $clog2(WIN)
) (
  input  logic              clk_i,
  input  logic              rst_ni,
  input  logic              start_i,
  input  llama_pkg::stream_mode_e mode_i,
  input  logic [31:0]       n_i,        // elements
  input  logic [SPM_AW-1:0] a_i,
  input  logic [SPM_AW-1:0] b_i,
  input  logic [SPM_AW-1:0] w_i,
  input  logic [31:0]       s_i,
  input  logic [3:0]        gs_log2_i,
  input  logic [15:0]       wrap_i,     // StreamRope: head size
  output logic              done_o,     // pulse: every element has completed
  output logic [31:0]       max_o,
  // Partial sums, kept by the vector unit
  input  logic [8*32-1:0]   p_i,        // partial k at [32*k +: 32]
  output logic              p_we_o,
  output logic [2:0]        p_idx_o,
  output logic [31:0]       p_data_o,
  // Scratchpad: both read ports at once, each a WIN-word window (word addr + j in bank
  // (rbank + j) % WIN); the lane write puts word j (j < count) at addr + j
  output logic              rd_o,
  output logic [SPM_AW-1:0] rd_a_addr_o,
  input  logic [32*WIN-1:0] banks_a_i,
  input  logic [WL-1:0]     rbank_a_i,
  output logic [SPM_AW-1:0] rd_b_addr_o,
  input  logic [32*WIN-1:0] banks_b_i,
  input  logic [WL-1:0]     rbank_b_i,
  output logic              wr_o,
  output logic [SPM_AW-1:0] wr_addr_o,
  output logic [WL:0]       wr_count_o,
  output logic [32*WIN-1:0] wr_data_o
);

  localparam logic [2:0]  NL_LOG2 = 3'($clog2(NL));

  // ---- command (_d: the always_comb at the end) ----
  logic        active_q, active_d;
  llama_pkg::stream_mode_e mode_q, mode_d;
  logic [2:0]  step_log2_q, step_log2_d;
  logic [31:0] issue_e_q, issue_e_d, end_q, end_d, total_q, total_d, completed_q, completed_d, wr_e_q, wr_e_d;
  logic [15:0] rope_r_q, rope_r_d;
  logic [31:0] step;
  assign step = 32'd1 << step_log2_q;

  logic is_red;
  assign is_red = mode_q == llama_pkg::StreamSumSq || mode_q == llama_pkg::StreamSum;

  // Sums step by the tree's leaves; RoPE by the lowest set bit of wrap, at most NL lanes
  logic [2:0]  start_step_log2;
  logic [31:0] start_blocks, start_beats;
  always_comb begin
    start_step_log2 = 3'(LL);
    if (mode_i == llama_pkg::StreamSumSq || mode_i == llama_pkg::StreamSum) start_step_log2 = 3'(TLL);
    if (mode_i == llama_pkg::StreamRope) begin
      start_step_log2 = NL_LOG2;
      for (int k = 5; k >= 0; k--)  // downwards: the lowest set bit is assigned last
        if (wrap_i[k] && 3'(k) < NL_LOG2) start_step_log2 = 3'(k);
    end
    start_blocks = (n_i + 32'd15) >> 4;
    start_beats  = (n_i + (32'd1 << start_step_log2) - 32'd1) >> start_step_log2;
  end

  // ---- reads: address out at issue, data back two cycles later ----
  logic        rd1_v_q, rd1_v_d, rd2_v_q;
  logic [31:0] rd1_e_q, rd1_e_d, rd2_e_q;

  // The windows in address order, word j at [32*j+:32]; every use is at stage 2 (rd2_v_q), so
  // they are 0 otherwise (the Verilated model skips the rotation on the other cycles).
  logic [32*WIN-1:0] win_a, win_b;
  always_comb begin
    win_a = '0;
    win_b = '0;
    if (rd2_v_q)
      for (int unsigned j = 0; j < WIN; j++) begin
        win_a[32*j+:32] = banks_a_i[32*(WL'(rbank_a_i + WL'(j)))+:32];
        win_b[32*j+:32] = banks_b_i[32*(WL'(rbank_b_i + WL'(j)))+:32];
      end
  end

  // ---- unit valids (shared by the lanes) and the stage that fires each unit ----
  logic s2;
  assign s2 = rd2_v_q;
  logic m1_v_q, m2_v_q, ad_v_q, ex_v_q, tl_v_q, leaf_v_q;
  logic [NL-1:0] m1_vo, m2_vo, ad_vo, ex_vo, tl_vo;
  logic fire_m1, fire_m2, fire_ad, fire_ex, fire_tl, fire_leaf, fire_wr;
  always_comb begin
    fire_m1   = s2 && (mode_q == llama_pkg::StreamSumSq || mode_q == llama_pkg::StreamScale2 ||
                       mode_q == llama_pkg::StreamMulS || mode_q == llama_pkg::StreamDeq ||
                       mode_q == llama_pkg::StreamRope);
    fire_m2   = (s2 && mode_q == llama_pkg::StreamRope) || (m1_vo[0] && mode_q == llama_pkg::StreamScale2);
    fire_ad   = (s2 && (mode_q == llama_pkg::StreamAdd || mode_q == llama_pkg::StreamExp)) ||
                (m1_vo[0] && mode_q == llama_pkg::StreamRope);
    fire_ex   = (s2 && mode_q == llama_pkg::StreamSwiglu) || (ad_vo[0] && mode_q == llama_pkg::StreamExp);
    fire_tl   = ex_vo[0] && mode_q == llama_pkg::StreamSwiglu;
    fire_leaf = (s2 && mode_q == llama_pkg::StreamSum) || (m1_vo[0] && mode_q == llama_pkg::StreamSumSq);
    unique case (mode_q)
      llama_pkg::StreamMulS, llama_pkg::StreamDeq: fire_wr = m1_vo[0];
      llama_pkg::StreamScale2:                     fire_wr = m2_vo[0];
      llama_pkg::StreamAdd, llama_pkg::StreamRope: fire_wr = ad_vo[0];
      llama_pkg::StreamExp:                        fire_wr = ex_vo[0];
      llama_pkg::StreamSwiglu:                     fire_wr = tl_vo[0];
      default:           fire_wr = 1'b0;
    endcase
  end

  // SCALE2 carries b[i] beside the first multiplier (a FIFO of beats, one pointer pair for all lanes)
  logic [2:0] cw_q, cw_d, cr_q, cr_d;

  // ---- lanes ----
  logic [32*NL-1:0]    lane_res;   // the mode's result of each lane at fire_wr
  logic [32*TL-1:0]    leaf_d;     // the tree leaf of each of the first TL lanes at fire_leaf
  logic [NL-1:0]       lane_on;    // lane holds an element of the beat at stage 2
  always_comb
    for (int unsigned k = 0; k < NL; k++)
      lane_on[k] = 32'(k) < step && rd2_e_q + 32'(k) < n_i;

  for (genvar k = 0; k < NL; k++) begin : g_lane
    localparam int unsigned KE = k & ~1;  // the pair's even word
    localparam int unsigned KO = k | 1;   // the pair's odd word
    logic [31:0] xa, xb;
    assign xa = win_a[32*k+:32];
    assign xb = win_b[32*k+:32];

    logic [31:0] m1_a_q, m1_a_d, m1_b_q, m1_b_d, m2_a_q, m2_a_d, m2_b_q, m2_b_d, ad_a_q, ad_a_d, ad_b_q, ad_b_d;
    logic [31:0] ex_x_q, ex_x_d, tl_e_q, tl_e_d, tl_a_q, tl_a_d, tl_b_q, tl_b_d;
    logic        ad_sub_q, ad_sub_d;
    logic [63:0] ex_tag_q, ex_tag_d, ex_tag;
    logic [31:0] m1_r, m2_r, ad_r, ex_r, tl_r;
    logic [32*8-1:0] carry_q, carry_d;  // SCALE2's b[i] of beat j at [32*j +: 32]
    // DEQ's operands, variables of the always_comb below with a default (Yosys 0.23 takes a variable
    // local to its case item for a latch, and refuses it; as wires the model would compute them on
    // every evaluation, not only on a DEQ beat).
    logic [WL+1:0] dq_pos;
    logic [WL-1:0] dq_word, dq_scale;
    logic [7:0]    dq_byte;

    fp32_mul u_mul1 (.clk_i, .rst_ni, .valid_i(m1_v_q), .a_i(m1_a_q), .b_i(m1_b_q), .valid_o(m1_vo[k]),
                     .result_o(m1_r));
    fp32_mul u_mul2 (.clk_i, .rst_ni, .valid_i(m2_v_q), .a_i(m2_a_q), .b_i(m2_b_q), .valid_o(m2_vo[k]),
                     .result_o(m2_r));
    fp32_add u_add (.clk_i, .rst_ni, .valid_i(ad_v_q), .a_i(ad_a_q), .b_i(ad_b_q), .sub_i(ad_sub_q),
                    .valid_o(ad_vo[k]), .result_o(ad_r));
    fp32_exp_pipeline #(.TAG_W(64)) u_exp (
      .clk_i, .rst_ni, .valid_i(ex_v_q), .x_i(ex_x_q), .tag_i(ex_tag_q), .valid_o(ex_vo[k]), .result_o(ex_r),
      .tag_o(ex_tag));
    logic unused_tail_tag;
    llama_swiglu_tail #(.TAG_W(1)) u_swiglu (
      .clk_i, .rst_ni, .valid_i(tl_v_q), .e_i(tl_e_q), .a_i(tl_a_q), .b_i(tl_b_q), .tag_i(1'b0),
      .valid_o(tl_vo[k]), .result_o(tl_r), .tag_o(unused_tail_tag));

    always_comb begin
      {m1_a_d, m1_b_d, m2_a_d, m2_b_d} = {m1_a_q, m1_b_q, m2_a_q, m2_b_q};
      {ad_a_d, ad_b_d, ad_sub_d}       = {ad_a_q, ad_b_q, ad_sub_q};
      {ex_x_d, ex_tag_d}               = {ex_x_q, ex_tag_q};
      {tl_e_d, tl_a_d, tl_b_d}         = {tl_e_q, tl_a_q, tl_b_q};
      carry_d                          = carry_q;
      {dq_pos, dq_word, dq_scale, dq_byte} = '0;
      if (fire_m1) begin
        unique case (mode_q)
          llama_pkg::StreamSumSq: begin  // a padded lane's product is -0 * +0 = -0, the identity leaf
            m1_a_d = lane_on[k] ? xa : llama_pkg::F_NZERO;
            m1_b_d = lane_on[k] ? xa : llama_pkg::F_ZERO;
          end
          llama_pkg::StreamScale2: {m1_a_d, m1_b_d} = {s_i, xa};
          llama_pkg::StreamMulS:   {m1_a_d, m1_b_d} = {xa, s_i};
          // byte e + k of the words from a + e / 4, scale word (e + k) >> gs - e >> gs
          llama_pkg::StreamDeq: begin
            dq_pos   = (WL+2)'(rd2_e_q[1:0]) + (WL+2)'(k);
            dq_word  = WL'(dq_pos >> 2);
            dq_byte  = win_a[32*dq_word+8*dq_pos[1:0]+:8];
            dq_scale = WL'(((rd2_e_q + 32'(k)) >> gs_log2_i) - (rd2_e_q >> gs_log2_i));
            {m1_a_d, m1_b_d} = {llama_pkg::f32_from_int(32'(signed'(dq_byte))), win_b[32*dq_scale+:32]};
          end
          default:    {m1_a_d, m1_b_d} = {win_a[32*KE+:32], win_b[32*k+:32]};  // ROPE: v0 * (cos | sin)
        endcase
        if (mode_q == llama_pkg::StreamScale2) carry_d[32*cw_q+:32] = xb;
      end
      if (fire_m2) begin
        if (mode_q == llama_pkg::StreamRope)  // v1 * (sin | cos)
          {m2_a_d, m2_b_d} = {win_a[32*KO+:32], win_b[32*(k == KE ? KO : KE)+:32]};
        else
          {m2_a_d, m2_b_d} = {carry_q[32*cr_q+:32], m1_r};
      end
      if (fire_ad) begin
        unique case (mode_q)
          llama_pkg::StreamAdd: {ad_a_d, ad_b_d, ad_sub_d} = {xa, xb, 1'b0};
          llama_pkg::StreamExp: {ad_a_d, ad_b_d, ad_sub_d} = {xa, s_i, 1'b1};
          default: {ad_a_d, ad_b_d, ad_sub_d} = {m1_r, m2_r, k == KE};  // ROPE
        endcase
      end
      if (fire_ex) begin
        if (mode_q == llama_pkg::StreamSwiglu) begin
          ex_x_d   = {~xa[31], xa[30:0]};
          ex_tag_d = {xa, xb};
        end else begin
          ex_x_d   = ad_r;
          ex_tag_d = '0;
        end
      end
      if (fire_tl) begin
        tl_e_d = ex_r;
        {tl_a_d, tl_b_d} = ex_tag;
      end
    end
    `VP_FF(m1_a_q, m1_a_d, '0)
    `VP_FF(m1_b_q, m1_b_d, '0)
    `VP_FF(m2_a_q, m2_a_d, '0)
    `VP_FF(m2_b_q, m2_b_d, '0)
    `VP_FF(ad_a_q, ad_a_d, '0)
    `VP_FF(ad_b_q, ad_b_d, '0)
    `VP_FF(ad_sub_q, ad_sub_d, 1'b0)
    `VP_FF(ex_x_q, ex_x_d, '0)
    `VP_FF(ex_tag_q, ex_tag_d, '0)
    `VP_FF(tl_e_q, tl_e_d, '0)
    `VP_FF(tl_a_q, tl_a_d, '0)
    `VP_FF(tl_b_q, tl_b_d, '0)
    `VP_FF(carry_q, carry_d, '0)

    always_comb begin
      unique case (mode_q)
        llama_pkg::StreamMulS, llama_pkg::StreamDeq: lane_res[32*k+:32] = m1_r;
        llama_pkg::StreamScale2:                     lane_res[32*k+:32] = m2_r;
        llama_pkg::StreamExp:                        lane_res[32*k+:32] = ex_r;
        llama_pkg::StreamSwiglu:                     lane_res[32*k+:32] = tl_r;
        default:           lane_res[32*k+:32] = ad_r;
      endcase
    end
    if (k < TL) begin : g_leaf
      assign leaf_d[32*k+:32] = mode_q == llama_pkg::StreamSumSq ? m1_r : lane_on[k] ? xa : llama_pkg::F_NZERO;
    end
  end

  // ---- sums: the beat's adder tree (heap order: node i adds nodes 2i+1 and 2i+2, leaves from
  // TL - 1), the block's combine levels, the partial sums ----
  logic [32*TL-1:0]       leaf_q;
  logic [32*(2*TL-1)-1:0] node_r;
  logic [2*TL-2:0]        node_v;
  for (genvar k = 0; k < TL; k++) begin : g_leaves
    assign node_r[32*(TL-1+k)+:32] = leaf_q[32*k+:32];
    assign node_v[TL-1+k]          = leaf_v_q;
  end
  for (genvar i = 0; i + 1 < TL; i++) begin : g_node
    logic        in_v;
    logic [31:0] in_a, in_b;
    if (2 * i + 1 >= TL - 1) begin : g_from_leaves  // the leaf register is the input register
      assign {in_v, in_a, in_b} = {leaf_v_q, node_r[32*(2*i+1)+:32], node_r[32*(2*i+2)+:32]};
    end else begin : g_registered
      logic        v_q;
      logic [31:0] a_q, b_q;
      `VP_FF(v_q, node_v[2*i+1], 1'b0)
      `VP_FFL(a_q, node_r[32*(2*i+1)+:32], node_v[2*i+1], '0)
      `VP_FFL(b_q, node_r[32*(2*i+2)+:32], node_v[2*i+1], '0)
      assign {in_v, in_a, in_b} = {v_q, a_q, b_q};
    end
    fp32_add u_add (.clk_i, .rst_ni, .valid_i(in_v), .a_i(in_a), .b_i(in_b), .sub_i(1'b0),
                    .valid_o(node_v[i]), .result_o(node_r[32*i+:32]));
  end

  // Combine level c takes cmb[c] (cmb[0]: the tree's sum) and gives cmb[c + 1]
  logic [CMB:0]        cmb_v;
  logic [32*CMB+31:0]  cmb_r;
  assign cmb_v[0]      = node_v[0];
  assign cmb_r[31:0]   = node_r[31:0];
  for (genvar c = 0; c < CMB; c++) begin : g_cmb
    logic        v_q, par_q;  // par_q: an even input is held
    logic [31:0] hold_q, a_q, b_q;
    `VP_FF(v_q, cmb_v[c] && par_q, 1'b0)
    `VP_FFL(par_q, !start_i && !par_q, start_i || cmb_v[c], 1'b0)
    `VP_FFL(hold_q, cmb_r[32*c+:32], cmb_v[c] && !par_q, '0)
    `VP_FFL(a_q, hold_q, cmb_v[c] && par_q, '0)
    `VP_FFL(b_q, cmb_r[32*c+:32], cmb_v[c] && par_q, '0)
    fp32_add u_add (.clk_i, .rst_ni, .valid_i(v_q), .a_i(a_q), .b_i(b_q), .sub_i(1'b0),
                    .valid_o(cmb_v[c+1]), .result_o(cmb_r[32*(c+1)+:32]));
  end

  // Block k into partial k % 8
  logic        pa_v_q, pa_vo;
  logic [31:0] pa_a_q, pa_b_q, pa_r;
  logic [2:0]  blk_q, blk_d, pblk_q, pblk_d;
  fp32_add u_partial (.clk_i, .rst_ni, .valid_i(pa_v_q), .a_i(pa_a_q), .b_i(pa_b_q), .sub_i(1'b0),
                      .valid_o(pa_vo), .result_o(pa_r));

  // ---- maximum: the beat's lanes (ties keep the earlier lane), then the running maximum ----
  // (comparisons by llama_pkg::f32_gt, so that the tree lives in the enabled branch of max_o: the
  // Verilated model skips it on the cycles without a maximum beat)
  // The first lane under heap node n (its leftmost leaf; leaves from LANES - 1).
  function automatic int unsigned first_lane(input int unsigned n);
    int unsigned node;
    node = n;
    for (int unsigned d = 0; d < 5; d++)
      if (node + 1 < LANES) node = 2 * node + 1;
    first_lane = node - (LANES - 1);
  endfunction

  // The beat's maximum: heap node i takes its right child (node 2i + 2, lanes from
  // first_lane(2i + 2)) if that one holds an element of the beat and is greater, else its left one.
  function automatic logic [31:0] beat_max(input logic [32*WIN-1:0] win, input logic [NL-1:0] on);
    logic [32*(2*LANES-1)-1:0] node;  // node i at [32*i+:32]
    for (int unsigned k = 0; k < LANES; k++) node[32*(LANES-1+k)+:32] = win[32*k+:32];
    for (int i = LANES - 2; i >= 0; i--)
      node[32*i+:32] = on[first_lane(2 * i + 2)] && llama_pkg::f32_gt(node[32*(2*i+2)+:32], node[32*(2*i+1)+:32])
                       ? node[32*(2*i+2)+:32] : node[32*(2*i+1)+:32];
    beat_max = node[31:0];
  endfunction

  // ---- completions: a result beat, a block's partial, a maximum beat ----
  logic complete;
  always_comb begin
    if (is_red)                complete = pa_vo;
    else if (mode_q == llama_pkg::StreamMax) complete = s2;
    else                       complete = fire_wr;
  end

  logic unused_lanes;
  always_comb
    unused_lanes = ^m1_vo[NL-1:1] ^ ^m2_vo[NL-1:1] ^ ^ad_vo[NL-1:1] ^ ^ex_vo[NL-1:1] ^ ^tl_vo[NL-1:1] ^
                   ^node_v;

  // ---- outputs, registered ----
  logic              done_q, done_d, rd_q, rd_d, p_we_q, wr_q;
  logic [SPM_AW-1:0] rd_a_addr_q, rd_a_addr_d, rd_b_addr_q, rd_b_addr_d, wr_addr_q;
  logic [31:0]       max_q, max_d, p_data_q;
  // The beat's maximum under MAX, a variable of the always_comb below with a default (Yosys 0.23 takes a
  // variable local to a block that assigns it on one path only for a latch, and refuses it).
  logic [31:0]       fold_beat;
  logic [2:0]        p_idx_q;
  logic [WL:0]       wr_count_q;
  logic [32*WIN-1:0] wr_data_q;
  assign done_o      = done_q;
  assign max_o       = max_q;
  assign p_we_o      = p_we_q;
  assign p_idx_o     = p_idx_q;
  assign p_data_o    = p_data_q;
  assign rd_o        = rd_q;
  assign rd_a_addr_o = rd_a_addr_q;
  assign rd_b_addr_o = rd_b_addr_q;
  assign wr_o        = wr_q;
  assign wr_addr_o   = wr_addr_q;
  assign wr_count_o  = wr_count_q;
  assign wr_data_o   = wr_data_q;

  // ---- command, issue, counters, maximum ----
  always_comb begin
    active_d    = active_q;
    mode_d      = mode_q;
    step_log2_d = step_log2_q;
    issue_e_d   = issue_e_q;
    end_d       = end_q;
    total_d     = total_q;
    completed_d = completed_q;
    wr_e_d      = wr_e_q;
    rope_r_d    = rope_r_q;
    blk_d       = blk_q;
    pblk_d      = pblk_q;
    cw_d        = cw_q;
    cr_d        = cr_q;
    rd1_e_d     = rd1_e_q;
    rd_a_addr_d = rd_a_addr_q;
    rd_b_addr_d = rd_b_addr_q;
    max_d       = max_q;
    fold_beat   = '0;
    // pulses
    {done_d, rd_d, rd1_v_d} = '0;

    if (start_i && n_i == '0) begin  // nothing to do: done at once
      done_d = 1'b1;
    end else if (start_i) begin
      active_d    = 1'b1;
      mode_d      = mode_i;
      step_log2_d = start_step_log2;
      issue_e_d   = '0;
      end_d       = (mode_i == llama_pkg::StreamSumSq || mode_i == llama_pkg::StreamSum) ? start_blocks << 4 : n_i;
      total_d     = (mode_i == llama_pkg::StreamSumSq || mode_i == llama_pkg::StreamSum) ? start_blocks : start_beats;
      completed_d = '0;
      wr_e_d      = '0;
      rope_r_d    = '0;
      {blk_d, pblk_d} = '0;
      {cw_d, cr_d}    = '0;
    end

    // Issue: one beat's reads a cycle
    if (active_q && issue_e_q < end_q) begin
      rd1_v_d = 1'b1;
      rd1_e_d = issue_e_q;
      rd_d    = 1'b1;
      unique case (mode_q)
        llama_pkg::StreamDeq: begin
          rd_a_addr_d = a_i + SPM_AW'(issue_e_q >> 2);
          rd_b_addr_d = b_i + SPM_AW'(issue_e_q >> gs_log2_i);
        end
        llama_pkg::StreamRope: begin
          rd_a_addr_d = a_i + SPM_AW'(issue_e_q);
          rd_b_addr_d = b_i + SPM_AW'(rope_r_q);
        end
        default: begin
          rd_a_addr_d = a_i + SPM_AW'(issue_e_q);
          rd_b_addr_d = b_i + SPM_AW'(issue_e_q);
        end
      endcase
      issue_e_d = issue_e_q + step;
      rope_r_d  = rope_r_q + 16'(step) == wrap_i ? '0 : rope_r_q + 16'(step);
    end

    // SCALE2's carry FIFO
    if (fire_m1 && mode_q == llama_pkg::StreamScale2) cw_d = cw_q + 1'b1;
    if (fire_m2 && mode_q == llama_pkg::StreamScale2) cr_d = cr_q + 1'b1;

    // Block partials
    if (cmb_v[CMB]) blk_d = blk_q + 1'b1;
    if (pa_vo) pblk_d = pblk_q + 1'b1;

    // Maximum
    if (s2 && mode_q == llama_pkg::StreamMax) begin
      fold_beat = beat_max(win_a, lane_on);
      max_d     = rd2_e_q == '0 || llama_pkg::f32_gt(fold_beat, max_q) ? fold_beat : max_q;
    end

    // Result beats
    if (fire_wr) wr_e_d = wr_e_q + step;

    if (active_q && complete) begin
      completed_d = completed_q + 1;
      if (completed_q + 1 == total_q) begin
        active_d = 1'b0;
        done_d   = 1'b1;
      end
    end
  end

  `VP_FF(active_q, active_d, 1'b0)
  `VP_FF(mode_q, mode_d, llama_pkg::StreamSumSq)
  `VP_FF(step_log2_q, step_log2_d, '0)
  `VP_FF(issue_e_q, issue_e_d, '0)
  `VP_FF(end_q, end_d, '0)
  `VP_FF(total_q, total_d, '0)
  `VP_FF(completed_q, completed_d, '0)
  `VP_FF(wr_e_q, wr_e_d, '0)
  `VP_FF(rope_r_q, rope_r_d, '0)
  `VP_FF(blk_q, blk_d, '0)
  `VP_FF(pblk_q, pblk_d, '0)
  `VP_FF(cw_q, cw_d, '0)
  `VP_FF(cr_q, cr_d, '0)
  `VP_FF(done_q, done_d, 1'b0)
  `VP_FF(max_q, max_d, '0)

  // Reads: address out at issue, the beat's position two cycles on
  `VP_FF(rd_q, rd_d, 1'b0)
  `VP_FF(rd_a_addr_q, rd_a_addr_d, '0)
  `VP_FF(rd_b_addr_q, rd_b_addr_d, '0)
  `VP_FF(rd1_v_q, rd1_v_d, 1'b0)
  `VP_FF(rd1_e_q, rd1_e_d, '0)
  `VP_FF(rd2_v_q, rd1_v_q, 1'b0)
  `VP_FF(rd2_e_q, rd1_e_q, '0)

  // Unit valids and the leaf register of the sum tree
  `VP_FF(m1_v_q, fire_m1, 1'b0)
  `VP_FF(m2_v_q, fire_m2, 1'b0)
  `VP_FF(ad_v_q, fire_ad, 1'b0)
  `VP_FF(ex_v_q, fire_ex, 1'b0)
  `VP_FF(tl_v_q, fire_tl, 1'b0)
  `VP_FF(leaf_v_q, fire_leaf, 1'b0)
  `VP_FFL(leaf_q, leaf_d, fire_leaf, '0)

  // Block partials: the block's sum into its partial, the result out to the vector unit
  `VP_FF(pa_v_q, cmb_v[CMB], 1'b0)
  `VP_FFL(pa_a_q, p_i[32*blk_q+:32], cmb_v[CMB], '0)
  `VP_FFL(pa_b_q, cmb_r[32*CMB+:32], cmb_v[CMB], '0)
  `VP_FF(p_we_q, pa_vo, 1'b0)
  `VP_FFL(p_idx_q, pblk_q, pa_vo, '0)
  `VP_FFL(p_data_q, pa_r, pa_vo, '0)

  // Result beats
  `VP_FF(wr_q, fire_wr, 1'b0)
  `VP_FFL(wr_addr_q, w_i + SPM_AW'(wr_e_q), fire_wr, '0)
  `VP_FFL(wr_count_q, n_i - wr_e_q < step ? (WL+1)'(n_i - wr_e_q) : (WL+1)'(step), fire_wr, '0)
  `VP_FFL(wr_data_q, (32*WIN)'(lane_res), fire_wr, '0)

endmodule
