// Q8_0 quantization of an activation vector into the matmul engines' xq/xs buffers, LANES
// elements a cycle, bit-exact with hls/llama_arith.h quantize (runq.c numerics): per group of
// gs = 1 << gs_log2_i elements, scale = max|x| / 127 (from +0), then
// xq[i] = int8(round_exact(x[i] / scale)) (a zero scale gives 0/0 = NaN, a scale that
// underflowed to 0 gives inf: both round to INT32_MIN, whose low byte is the 0 that
// quantize_group writes). A beat is EFF = min(LANES, gs) consecutive words of one group, read
// as the window of scratchpad port A (its WIN = max(LANES, 16) banks, rotated by rbank).
//
// Two kinds of beats share the read port, one a cycle (issue priority to the first):
//   quant  beat of group gq, once gq's scale is ready: EFF dividers (x / scale), EFF round
//          units, EFF int8 codes written at once (byte enables) into xq
//   max    beat of group gm (gm - gq < SLOTS): the beat's max |x| (a tree of fp32_max over
//          candidates max(|x|, +0), which have no NaN and no -0, so the order of the maxima
//          does not matter), folded into the group's running max; after its last beat the
//          group's scale divider starts (scale into slot gm % SLOTS and into xs)
// so the maxima of the next groups run while a group's scale divides and its codes stream.
// Cycles (hls/sequential_timing_model.cpp quantize() replays this schedule): a beat issued at
// cycle c has its data at c + 2; a max beat's tree is registered at c + 3, where the last one
// starts the scale divider, whose scale is ready for issue at c + 4 + DIV; a quant beat's
// dividers start at c + 3 and its codes are written at c + 4 + DIV + ROUND (done_o with the
// last).
`include "vp_registers.svh"

module llama_quantize #(
  parameter int unsigned LANES  = 16,   // 1, 2, 4, 8, 16 or 32
  parameter int unsigned SPM_AW = 15,
  parameter int unsigned XQ_AW  = 12,
  parameter int unsigned XS_AW  = 7,
  localparam int unsigned LL    = LANES > 1 ? $clog2(LANES) : 1,
  localparam int unsigned WIN   = LANES > 16 ? LANES : 16,  // the scratchpad's banks
  localparam int unsigned WL    = $clog2(WIN)
) (
  input  logic              clk_i,
  input  logic              rst_ni,
  // Command: a_i, n_i, gs_log2_i stable from start_i until done_o; n a multiple of gs
  input  logic              start_i,
  input  logic [SPM_AW-1:0] a_i,
  input  logic [31:0]       n_i,
  input  logic [3:0]        gs_log2_i,
  output logic              done_o,      // pulse with the last codes
  // Scratchpad port A: the WIN words from the address, bank b at [32*b+:32], word addr + k in
  // bank (rbank + k) % WIN
  output logic              rd_o,
  output logic [SPM_AW-1:0] rd_addr_o,
  input  logic [32*WIN-1:0] banks_i,
  input  logic [WL-1:0]     rbank_i,
  // Codes: byte k of data to xq[idx + k] where mask[k]; idx a multiple of LANES
  output logic              xq_we_o,
  output logic [XQ_AW-1:0]  xq_idx_o,
  output logic [LANES-1:0]  xq_mask_o,
  output logic [8*LANES-1:0] xq_data_o,
  // Scales
  output logic              xs_we_o,
  output logic [XS_AW-1:0]  xs_idx_o,
  output logic [31:0]       xs_data_o
);

  localparam int unsigned SLOTS  = 4;   // groups in flight: maxima ahead of the codes
  localparam logic [31:0] F_127  = 32'h42FE_0000;

  // ---- command and progress (_d: the always_comb at the end) ----
  logic              active_q, active_d;
  logic [3:0]        eff_log2_q, eff_log2_d, bpg_log2_q, bpg_log2_d;  // lanes used a beat; beats a group
  logic [15:0]       groups_q, groups_d, gm_q, gm_d, gq_q, gq_d, ns_q, ns_d, km_q, km_d, kq_q, kq_d;
  logic [31:0]       beats_q, beats_d, written_q, written_d;
  logic              done_q, done_d;
  localparam logic [3:0] LANES_LOG2 = LANES > 1 ? 4'($clog2(LANES)) : 4'd0;
  logic [3:0]        eff_log2;
  assign eff_log2 = gs_log2_i > LANES_LOG2 ? LANES_LOG2 : gs_log2_i;

  // ---- issue: a quant beat when its group's scale is ready, else a max beat ----
  logic        iss_quant, iss_max;
  logic [15:0] bpg_last;
  assign bpg_last  = (16'd1 << bpg_log2_q) - 16'd1;
  assign iss_quant = active_q && gq_q < groups_q && gq_q < ns_q;
  assign iss_max   = active_q && !iss_quant && gm_q < groups_q && gm_q - gq_q < 16'(SLOTS);
  logic [15:0] iss_g, iss_k;
  assign iss_g = iss_quant ? gq_q : gm_q;
  assign iss_k = iss_quant ? kq_q : km_q;
  logic [SPM_AW-1:0] iss_e;  // element index of the beat's first word
  assign iss_e = SPM_AW'((32'(iss_g) << gs_log2_i) + (32'(iss_k) << eff_log2_q));

  // Read pipeline: 1 address out, 2 data back
  logic                     rd_q;
  logic [SPM_AW-1:0]        rd_addr_q;
  logic                     rd1_v_q, rd2_v_q, rd1_qnt_q, rd2_qnt_q;
  logic                     rd1_first_q, rd2_first_q, rd1_last_q, rd2_last_q;
  logic [$clog2(SLOTS)-1:0] rd1_slot_q, rd2_slot_q;
  logic [XQ_AW-1:0]         rd1_e_q, rd2_e_q;

  // The beat's words in order (lane k at [32*k+:32]): the window of port A rotated by rbank.
  function automatic logic [32*LANES-1:0] window(input logic [32*WIN-1:0] banks, input logic [WL-1:0] rbank);
    logic [32*LANES-1:0] words;
    for (int unsigned k = 0; k < LANES; k++) words[32*k+:32] = banks[32*(WL'(rbank + WL'(k)))+:32];
    window = words;
  endfunction

  // Lanes at and above EFF are not the group's.
  logic [LANES-1:0] lane_en;
  always_comb
    for (int unsigned k = 0; k < LANES; k++) lane_en[k] = 32'(k) < (32'd1 << eff_log2_q);

  // fp32_max (rtl/fp32_max.sv) as a function, so that the max tree can live in the enabled branch
  // of its register (below): same logic, skipped by the Verilated model while no max beat arrives.
  function automatic logic [31:0] f32_max(input logic [31:0] a, input logic [31:0] b, input logic abs_a);
    logic [31:0] cand;
    // a < 0 (C++ compare with +0: -0 and NaNs are not below it)
    cand    = (abs_a && a[31] && a[30:0] != 31'd0 && !((a[30:23] == 8'hFF) && (a[22:0] != 23'd0)))
              ? {1'b0, a[30:0]} : a;
    f32_max = llama_pkg::f32_gt(cand, b) ? cand : b;
  endfunction

  // ---- max path: candidates max(|x|, +0) of the enabled lanes, tree (node i = max(node 2i+1,
  // node 2i+2), leaves from LANES-1) ----
  function automatic logic [31:0] beat_max(input logic [32*LANES-1:0] lane, input logic [LANES-1:0] en);
    logic [32*(2*LANES-1)-1:0] node;  // node i at [32*i+:32]
    for (int unsigned k = 0; k < LANES; k++)
      node[32*(LANES-1+k)+:32] = en[k] ? f32_max(lane[32*k+:32], llama_pkg::F_ZERO, 1'b1) : llama_pkg::F_ZERO;
    for (int i = LANES - 2; i >= 0; i--)
      node[32*i+:32] = f32_max(node[32*(2*i+1)+:32], node[32*(2*i+2)+:32], 1'b0);
    beat_max = node[31:0];
  endfunction

  logic        bmax_v_q, bmax_first_q, bmax_last_q;
  logic [31:0] bmax_q, run_q, run_next, folded;
  fp32_max u_fold (.a_i(bmax_q), .b_i(run_q), .abs_i(1'b0), .max_o(folded));
  assign run_next = bmax_first_q ? bmax_q : folded;

  // Scale divider: max / 127, in group order
  logic        sdiv_vo;
  logic [31:0] sdiv_r;
  logic        unused_sdiv_tag;
  fp32_div #(.TAG_W(1)) u_sdiv (
    .clk_i, .rst_ni, .valid_i(bmax_v_q && bmax_last_q), .a_i(run_next), .b_i(F_127), .tag_i(1'b0),
    .valid_o(sdiv_vo), .result_o(sdiv_r), .tag_o(unused_sdiv_tag));
  logic [31:0] scale_mem [SLOTS];

  // ---- quant path: LANES dividers and round units (lane 0 carries the beat's index and mask) ----
  logic        qv_q;
  logic [32*LANES-1:0] qx_q;
  logic [31:0] qs_q;
  logic [XQ_AW-1:0] qe_q;
  logic [XQ_AW-1:0] div_e, rnd_e;
  logic [LANES-1:0] div_vo, rnd_vo;
  logic [32*LANES-1:0] div_r, rnd_r;
  logic [8*LANES-1:0] codes;
  for (genvar k = 0; k < LANES; k++) begin : g_lane
    if (k == 0) begin : g_tagged
      fp32_div #(.TAG_W(XQ_AW)) u_div (
        .clk_i, .rst_ni, .valid_i(qv_q), .a_i(qx_q[32*k+:32]), .b_i(qs_q), .tag_i(qe_q),
        .valid_o(div_vo[k]), .result_o(div_r[32*k+:32]), .tag_o(div_e));
      fp32_round_exact #(.TAG_W(XQ_AW)) u_rnd (
        .clk_i, .rst_ni, .valid_i(div_vo[k]), .x_i(div_r[32*k+:32]), .tag_i(div_e),
        .valid_o(rnd_vo[k]), .int_o(rnd_r[32*k+:32]), .tag_o(rnd_e));
    end else begin : g_plain
      logic unused_div_tag, unused_rnd_tag;
      fp32_div #(.TAG_W(1)) u_div (
        .clk_i, .rst_ni, .valid_i(qv_q), .a_i(qx_q[32*k+:32]), .b_i(qs_q), .tag_i(1'b0),
        .valid_o(div_vo[k]), .result_o(div_r[32*k+:32]), .tag_o(unused_div_tag));
      fp32_round_exact #(.TAG_W(1)) u_rnd (
        .clk_i, .rst_ni, .valid_i(div_vo[k]), .x_i(div_r[32*k+:32]), .tag_i(1'b0),
        .valid_o(rnd_vo[k]), .int_o(rnd_r[32*k+:32]), .tag_o(unused_rnd_tag));
    end
    assign codes[8*k+:8] = rnd_r[32*k+:8];  // int8 cast of the int32: its low byte
  end
  logic unused_lanes;
  always_comb begin
    unused_lanes = ^rnd_vo[LANES-1:0] ^ ^div_vo[LANES-1:0];
    for (int unsigned k = 0; k < LANES; k++) unused_lanes = unused_lanes ^ ^rnd_r[32*k+8+:24];
  end

  // Where the beat's EFF codes land in the LANES-byte write (its index modulo LANES)
  logic [LL-1:0]    wr_off;
  logic [LANES-1:0] eff_mask;
  assign wr_off   = LL'(32'(rnd_e) % LANES);
  assign eff_mask = lane_en;

  // Outputs, registered
  logic               xq_we_q, xs_we_q;
  logic [XQ_AW-1:0]   xq_idx_q;
  logic [LANES-1:0]   xq_mask_q;
  logic [8*LANES-1:0] xq_data_q;
  logic [XS_AW-1:0]   xs_idx_q;
  logic [31:0]        xs_data_q;
  assign done_o    = done_q;
  assign rd_o      = rd_q;
  assign rd_addr_o = rd_addr_q;
  assign xq_we_o   = xq_we_q;
  assign xq_idx_o  = xq_idx_q;
  assign xq_mask_o = xq_mask_q;
  assign xq_data_o = xq_data_q;
  assign xs_we_o   = xs_we_q;
  assign xs_idx_o  = xs_idx_q;
  assign xs_data_o = xs_data_q;

  // ---- data arrays (no reset): scale slots and the dividers' operand registers ----
  always_ff @(posedge clk_i) begin
    if (sdiv_vo) scale_mem[ns_q[$clog2(SLOTS)-1:0]] <= sdiv_r;
    if (rd2_v_q && rd2_qnt_q) begin
      qx_q <= window(banks_i, rbank_i);
      qs_q <= scale_mem[rd2_slot_q];
      qe_q <= rd2_e_q;
    end
  end

  // ---- command, issue counters and the count of code beats written ----
  always_comb begin
    active_d   = active_q;
    eff_log2_d = eff_log2_q;
    bpg_log2_d = bpg_log2_q;
    groups_d   = groups_q;
    beats_d    = beats_q;
    gm_d       = gm_q;
    gq_d       = gq_q;
    ns_d       = ns_q;
    km_d       = km_q;
    kq_d       = kq_q;
    written_d  = written_q;
    done_d     = 1'b0;
    if (start_i) begin
      active_d   = 1'b1;
      eff_log2_d = eff_log2;
      bpg_log2_d = gs_log2_i - eff_log2;
      groups_d   = 16'(n_i >> gs_log2_i);
      beats_d    = n_i >> eff_log2;
      {gm_d, gq_d, ns_d, km_d, kq_d} = '0;
      written_d  = '0;
    end
    if (iss_quant) begin
      kq_d = kq_q == bpg_last ? '0 : kq_q + 1'b1;
      if (kq_q == bpg_last) gq_d = gq_q + 1'b1;
    end
    if (iss_max) begin
      km_d = km_q == bpg_last ? '0 : km_q + 1'b1;
      if (km_q == bpg_last) gm_d = gm_q + 1'b1;
    end
    if (sdiv_vo) ns_d = ns_q + 1'b1;  // scales, in group order
    if (rnd_vo[0]) begin
      written_d = written_q + 1;
      if (written_q + 1 == beats_q) begin
        active_d = 1'b0;
        done_d   = 1'b1;
      end
    end
  end

  `VP_FF(active_q, active_d, 1'b0)
  `VP_FF(eff_log2_q, eff_log2_d, '0)
  `VP_FF(bpg_log2_q, bpg_log2_d, '0)
  `VP_FF(groups_q, groups_d, '0)
  `VP_FF(beats_q, beats_d, '0)
  `VP_FF(gm_q, gm_d, '0)
  `VP_FF(gq_q, gq_d, '0)
  `VP_FF(ns_q, ns_d, '0)
  `VP_FF(km_q, km_d, '0)
  `VP_FF(kq_q, kq_d, '0)
  `VP_FF(written_q, written_d, '0)
  `VP_FF(done_q, done_d, 1'b0)

  // ---- read pipeline: issue, then the beat's kind, group slot and position two cycles on ----
  `VP_FF(rd_q, iss_quant || iss_max, 1'b0)
  `VP_FF(rd_addr_q, a_i + iss_e, '0)
  `VP_FF(rd1_v_q, iss_quant || iss_max, 1'b0)
  `VP_FF(rd1_qnt_q, iss_quant, 1'b0)
  `VP_FF(rd1_first_q, iss_k == '0, 1'b0)
  `VP_FF(rd1_last_q, iss_k == bpg_last, 1'b0)
  `VP_FF(rd1_slot_q, iss_g[$clog2(SLOTS)-1:0], '0)
  `VP_FF(rd1_e_q, XQ_AW'(iss_e), '0)
  `VP_FF(rd2_v_q, rd1_v_q, 1'b0)
  `VP_FF(rd2_qnt_q, rd1_qnt_q, 1'b0)
  `VP_FF(rd2_first_q, rd1_first_q, 1'b0)
  `VP_FF(rd2_last_q, rd1_last_q, 1'b0)
  `VP_FF(rd2_slot_q, rd1_slot_q, '0)
  `VP_FF(rd2_e_q, rd1_e_q, '0)

  // ---- max beats: the tree (computed only in its register's enabled branch), then the fold ----
  `VP_FF(bmax_v_q, rd2_v_q && !rd2_qnt_q, 1'b0)
  `VP_FF(bmax_first_q, rd2_first_q, 1'b0)
  `VP_FF(bmax_last_q, rd2_last_q, 1'b0)
  `VP_FFL(bmax_q, beat_max(window(banks_i, rbank_i), lane_en), rd2_v_q && !rd2_qnt_q, '0)
  `VP_FFL(run_q, run_next, bmax_v_q, '0)

  // ---- scales out ----
  `VP_FF(xs_we_q, sdiv_vo, 1'b0)
  `VP_FFL(xs_idx_q, XS_AW'(ns_q), sdiv_vo, '0)
  `VP_FFL(xs_data_q, sdiv_r, sdiv_vo, '0)

  // ---- quant beats: dividers, round units, codes out ----
  `VP_FF(qv_q, rd2_v_q && rd2_qnt_q, 1'b0)
  `VP_FF(xq_we_q, rnd_vo[0], 1'b0)
  `VP_FFL(xq_idx_q, rnd_e & ~XQ_AW'(LANES - 1), rnd_vo[0], '0)
  `VP_FFL(xq_mask_q, eff_mask << wr_off, rnd_vo[0], '0)
  `VP_FFL(xq_data_q, codes << (8 * wr_off), rnd_vo[0], '0)

endmodule
