// Attention over the key/value cache of one layer, streamed from memory at one 64-byte beat
// (16 fp32) per cycle on each of KV_PORTS ports, exactly as hls/llama_kernel.h computes it:
//   scores (wsum_i = 0): att[h * stride + t] = dot(q head h, key row t head h / kv_mul) * scalar
//                        for t < positions, dot in the block order of vp::arith::dot;
//   wsum   (wsum_i = 1): xb head h = sum over t of att[h * stride + t] * value row t head
//                        h / kv_mul, each element accumulated in t order from +0.
// The cache is spread over KV_PORTS = P ports (a power of two): port p holds the positions t with
// t % P == p as its local rows t / P, contiguous per layer. One request per port leaves at the
// start, port p's rows_p = ceil((positions - p) / P) rows (none when p >= positions), through one
// read master per port (lane p). Rows are processed in groups of P positions t0 = k * P ..
// k * P + P - 1, lane i carrying position t0 + i; the lanes run in lockstep on the same beat
// (element offset e of the row) and query group g. A lane is active when its position is below
// `positions` (only the last group has inactive lanes); an issue needs the beat of every active
// lane and consumes them together.
// A beat holds 16 consecutive elements of a row; it is used once per query head of its key head
// (kv_mul cycles), so q and xb are kept here permuted: q'[g * kv_dim + e] is element e of the key
// row's layout for query group g (head (e / hs) * kv_mul + g), and a beat's partner words are one
// aligned 16-word row of q' or xb'.
//
// Scores: per lane 16 multipliers (q' row broadcast to all lanes) and a balanced adder tree;
// level log2(min(hs, 16)) of the tree holds the block sums (one per beat for hs >= 16, 16 / hs
// complete dots for hs < 16). Block k of a dot is its partial k (k < 8: hs <= 128), which is +0 +
// sum exactly as the spec's first add; a dot's 8 partials go to the lane's llama_score_tree
// (tree_combine, then the scaling) one dot a cycle. The P scores of one head finish in the same
// cycle and are written as one partial beat (the active lanes' words) to att[h * stride + t0 ..].
// Wsum: the group's weights (for each head h the P words att[h * stride + t0 + i], one read of the
// scratchpad's 16-word window per head) are read into a double-buffered register file while the
// previous group streams; per lane 16 multipliers; each xb' element is updated by a chain of P
// fp32 adders in lane order, acc = xb' (+0 at position 0); acc = acc + w(t0+i) * v(t0+i) for
// i = 0 .. P-1 (lane i's products wait i * 4 cycles for the chain), which is the spec's t order,
// so the result does not depend on P. An inactive lane adds -0, the identity of every fp32_add
// result (the sum is exact, a quiet NaN propagates unchanged, -0 + -0 = -0). An issue waits while
// its xb' row is still in the multiply-add pipeline (rows shorter than the pipeline).
// Before scores, q is copied into q'; after wsum, xb' is written back to the scratchpad. For
// head_size >= 16 an aligned 16-word row of q or xb is one aligned row of q' or xb', so both
// move a row a cycle (dim / 16 cycles) through the scratchpad's 16-word read window and beat
// write port; for head_size < 16 a row scatters over several q' rows, so they move a word a
// cycle. The cache requests leave at the start, so the memory's round trip overlaps the copy.
// xb' is not cleared: a row's position-0 update adds its product to +0 instead of the old row
// (the spec's xb = 0, then xb += w * v).
//
// Cycle behaviour by group (groups = ceil(positions / P); kv_beats = kv_dim / 16; for P = 1 a
// group is a row and this is exactly the single-port unit's timing):
//   start     the P requests leave in the first cycle(s) of the command (each port's read master
//             takes its own); scores first copy q into q' (dim / 16 cycles, or dim for hs < 16),
//             wsum streams at once.
//   issue     at most one a cycle, when every active lane's beat is at its read master's output
//             and: scores: the previous issue's dots have left (hs < 16: an issue every 16 / hs
//             cycles; none in the cycle the last copied q' row lands); wsum: the group's weight
//             set is in and no issue to the same xb' row is in flight. A group is kv_beats * kv_mul
//             issues (query group g inner, beat e outer), whatever P is.
//   scores    issue to att write: 1 + 3 (mul) + 4 * level (tree, level = log2(min(hs, 16))),
//             [hs < 16: the issue's 16 / hs dots then leave one a cycle] + 15 (llama_score_tree);
//             independent of P. The command ends the cycle after the last of groups * heads
//             score beats is written.
//   weights   wsum only: one scratchpad read per head per group (`heads` cycles a group,
//             whatever P is; the window brings the group's P words of a head at once). Reads of
//             group k+1 follow those of group k back to back once its set (two sets, k % 2) is free,
//             i.e. group k-1 has issued its last beat; a set is usable 2 cycles after its last
//             read (heads + 1 cycles after its first). So a group takes
//             max(kv_beats * kv_mul issues, heads reads) cycles when nothing else stalls.
//   chain     wsum issue to xb' write: WS_DEPTH = 1 + 3 (mul) + 4 * P (adder chain) cycles; an
//             issue to xb' row r at cycle c keeps the next issue to row r waiting until cycle
//             c + WS_DEPTH + 1 (= c + 9 for P = 1), so a group of kv_mul * kv_beats < WS_DEPTH + 1
//             issues (every row once per group) takes WS_DEPTH + 1 cycles.
//   drain     scores: the last score beat 19 + 4 * level cycles (+ the hs < 16 dots) after the
//             last issue, then done; wsum: the last issue's xb' write WS_DEPTH cycles after it,
//             then the xb' write-back (dim / 16 cycles, dim for hs < 16) and one more cycle.
// Limits (models/verilated/llama_rtl_limits.cpp): kv_dim % 16 == 0, head_size a multiple of 16
// up to 128 or a power of two below 16, dim <= MAX_DIM, heads <= MAX_HEADS, kv_mul <= MAX_KV_MUL;
// the caches are 64-byte aligned.
`include "vp_registers.svh"

module llama_attention_unit #(
  parameter int unsigned SPM_AW     = 15,
  parameter int unsigned MAX_DIM    = 4096,
  parameter int unsigned MAX_HEADS  = 64,
  parameter int unsigned MAX_KV_MUL = 8,
  parameter int unsigned KV_PORTS   = 1,  // 1, 2, 4, 8 or 16
  localparam int unsigned ADDR_WIDTH = 64,
  localparam int unsigned LANES      = 16
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  // Command: stable from start_i until done_o
  input  logic                  start_i,
  input  logic                  wsum_i,
  input  logic [KV_PORTS*ADDR_WIDTH-1:0] addr_i,  // per port: local row 0 of the layer's key or value cache
  input  logic [31:0]           positions_i,  // rows 0 .. positions - 1
  input  logic [15:0]           heads_i,
  input  logic [15:0]           kv_mul_i,
  input  logic [15:0]           head_size_i,
  input  logic [15:0]           kv_dim_i,
  input  logic [SPM_AW-1:0]     q_i,          // scratchpad: q (scores)
  input  logic [SPM_AW-1:0]     att_i,        // scratchpad: att (scores write, wsum read)
  input  logic [SPM_AW-1:0]     stride_i,     // distance between two heads' scores
  input  logic [SPM_AW-1:0]     xb_i,         // scratchpad: xb (wsum)
  input  logic [31:0]           scalar_i,     // 1 / sqrt(head_size)
  output logic                  done_o,
  output logic                  busy_o,       // some register changes at the next edge even without a start
  // KV read masters, one per port (port p's signals at index p)
  output logic [KV_PORTS-1:0]            req_valid_o,
  input  logic [KV_PORTS-1:0]            req_ready_i,
  output logic [KV_PORTS*ADDR_WIDTH-1:0] req_addr_o,
  output logic [KV_PORTS*32-1:0]         req_bytes_o,
  input  logic [KV_PORTS-1:0]            beat_valid_i,
  output logic [KV_PORTS-1:0]            beat_ready_o,
  input  logic [KV_PORTS*32*LANES-1:0]   beat_i,
  // Scratchpad: one word read (data the next cycle), one word write
  output logic                  spm_re_o,
  output logic [SPM_AW-1:0]     spm_raddr_o,
  input  logic [31:0]           spm_rdata_i,
  input  logic [32*LANES-1:0]   spm_banks_i,  // the read's 16-word window: word raddr + k in bank
  input  logic [3:0]            spm_rbank_i,  // (rbank + k) % 16
  output logic                  spm_we_o,
  output logic [SPM_AW-1:0]     spm_waddr_o,
  output logic [31:0]           spm_wdata_o,
  // Scratchpad beat write port: spm_bcount_o words from spm_baddr_o, word j from lane j of
  // spm_bdata_o (xb' rows: 16; a head's scores of a group: the active lanes)
  output logic                  spm_bwe_o,
  output logic [SPM_AW-1:0]     spm_baddr_o,
  output logic [4:0]            spm_bcount_o,
  output logic [32*LANES-1:0]   spm_bdata_o
);

  localparam int unsigned P        = KV_PORTS;
  localparam int unsigned LOG2P    = $clog2(KV_PORTS);
  localparam int unsigned BW       = 32 * LANES;  // bits of a beat
  localparam int unsigned ROWS     = MAX_DIM / LANES;  // rows of q' and xb'
  localparam int unsigned RAW      = $clog2(ROWS);
  localparam int unsigned DW       = $clog2(MAX_DIM);
  localparam int unsigned HW       = $clog2(MAX_HEADS);
  localparam int unsigned GW       = MAX_KV_MUL > 1 ? $clog2(MAX_KV_MUL) : 1;
  localparam int unsigned MUL_LAT  = 3;  // fp32_mul
  localparam int unsigned ADD_LAT  = 4;  // fp32_add
  localparam int unsigned WS_DEPTH = 1 + MUL_LAT + P * ADD_LAT;  // issue to xb' write
  localparam int unsigned TAGS     = 32;  // >= issues in the score pipeline (1 + 3 + 16 cycles)

  typedef enum logic [2:0] {StIdle, StQCopy, StStream, StDrain, StWriteBack, StWriteLast} state_e;
  state_e state_q, state_d;

  // ---- geometry (constant during a command) ----
  logic        hs_small;     // head_size < 16: a beat holds 16 / hs key heads
  logic [2:0]  level;        // tree level holding the block sums: log2(min(hs, 16))
  logic [4:0]  dots_per_beat;
  logic [15:0] chunks;       // beats per head (hs >= 16)
  logic [31:0] dim;
  logic [4:0]  wstep;        // words per step of the permutation walk: a row, or a word (hs < 16)
  logic [31:0] groups;       // ceil(positions / P)
  assign hs_small      = head_size_i < 16;
  assign wstep         = hs_small ? 5'd1 : 5'd16;
  assign level         = head_size_i[3] ? 3'd3 : head_size_i[2] ? 3'd2 : head_size_i[1] ? 3'd1 :
                         hs_small ? 3'd0 : 3'd4;
  assign dots_per_beat = 5'(LANES >> level);
  assign chunks        = head_size_i >> 4;
  assign dim           = 32'(heads_i) * 32'(head_size_i);
  assign groups        = (positions_i + 32'(P - 1)) >> LOG2P;

  // ---- q' and xb': 16 banks, word e in bank e % 16 at row e / 16 ----
  logic [LANES-1:0]    qp_we, xp_we;
  logic [RAW-1:0]      qp_wrow, qp_rrow, xp_wrow, xp_rrow;
  logic [32*LANES-1:0] qp_wdata, qp_rdata, xp_wdata, xp_rdata;
  logic                xp_re;
  logic                issue;
  for (genvar b = 0; b < LANES; b++) begin : g_bank
    logic [31:0] qp_mem [ROWS];
    logic [31:0] xp_mem [ROWS];
    logic [31:0] qp_q, xp_q;
    // q' is read only for an issue (read enable): its word meets the beat in the multipliers,
    // which take it only the cycle after an issue.
    always_ff @(posedge clk_i) begin
      if (qp_we[b]) qp_mem[qp_wrow] <= qp_wdata[32*b+:32];
      if (issue) qp_q <= qp_mem[qp_rrow];
    end
    always_ff @(posedge clk_i) begin
      if (xp_we[b]) xp_mem[xp_wrow] <= xp_wdata[32*b+:32];
      if (xp_re) xp_q <= xp_mem[xp_rrow];
    end
    assign qp_rdata[32*b+:32] = qp_q;
    assign xp_rdata[32*b+:32] = xp_q;
  end

  // ---- the permutation walk (q copy, xb write-back): word w = h * hs + i of q or xb is
  // word (g * kv_dim + kvh * hs + i) of q' or xb', with h = kvh * kv_mul + g; wstep words a step ----
  typedef struct packed {
    logic [31:0] w;       // word of q or xb
    logic [31:0] i;       // word within its head
    logic [31:0] g;       // query group
    logic [31:0] goff;    // g * kv_dim
    logic [31:0] kvhoff;  // key head * hs
  } walk_t;
  walk_t         walk_q, walk_d;
  logic [DW-1:0] walk_perm;
  logic          walk_step, walk_last;
  assign walk_perm = DW'(walk_q.goff + walk_q.kvhoff + walk_q.i);
  assign walk_last = walk_q.w + 32'(wstep) == dim;
  always_comb begin
    walk_d = walk_q;
    if (start_i || (walk_step && walk_last)) begin
      walk_d = '0;
    end else if (walk_step) begin
      walk_d.w = walk_q.w + 32'(wstep);
      walk_d.i = walk_q.i + 32'(wstep);
      if (walk_q.i + 32'(wstep) == 32'(head_size_i)) begin
        walk_d.i = '0;
        if (walk_q.g + 1 == 32'(kv_mul_i)) begin
          walk_d.g      = '0;
          walk_d.goff   = '0;
          walk_d.kvhoff = walk_q.kvhoff + 32'(head_size_i);
        end else begin
          walk_d.g    = walk_q.g + 1;
          walk_d.goff = walk_q.goff + 32'(kv_dim_i);
        end
      end
    end
  end
  `VP_FF(walk_q, walk_d, '0)
  // The word read at a walk step lands one cycle later.
  logic              walk_v_q;
  logic [DW-1:0]     walk_perm_q;
  logic [SPM_AW-1:0] walk_w_d1_q, walk_w_d1_d;
  assign walk_w_d1_d = SPM_AW'(walk_q.w);
  `VP_FF(walk_v_q, walk_step, 1'b0)
  `VP_FF(walk_perm_q, walk_perm, '0)
  `VP_FF(walk_w_d1_q, walk_w_d1_d, '0)

  // ---- the beat walk: group t (positions t * P ..), element e of the row, query group g ----
  logic [31:0] t_q, t_d, e_q, e_d, g_q, g_d, goff_q, goff_d;  // goff = g * kv_dim
  logic [15:0] ci_q, ci_d;                                   // beat within its head (hs >= 16)
  logic [15:0] kvh_q, kvh_d;                                 // first key head of the beat
  logic        stream_done_q, stream_done_d;
  logic        beat_done, row_done;
  logic [31:0] t0;                     // the group's first position
  logic [P-1:0] active;                // lanes whose position is below `positions`
  logic        beats_in;               // every active lane's beat is there
  assign t0 = t_q << LOG2P;
  for (genvar i = 0; i < P; i++) begin : g_active
    assign active[i] = t0 + 32'(i) < positions_i;
  end
  assign beats_in     = &(beat_valid_i | ~active);
  assign beat_done    = issue && g_q + 1 == 32'(kv_mul_i);
  assign row_done     = beat_done && e_q + LANES == 32'(kv_dim_i);
  assign beat_ready_o = {P{beat_done}} & active;

  always_comb begin
    {t_d, e_d, g_d, goff_d} = {t_q, e_q, g_q, goff_q};
    {ci_d, kvh_d}           = {ci_q, kvh_q};
    stream_done_d           = stream_done_q;
    if (start_i) begin
      {t_d, e_d, g_d, goff_d} = '0;
      {ci_d, kvh_d}           = '0;
      stream_done_d           = 1'b0;
    end else if (issue) begin
      g_d    = g_q + 1;
      goff_d = goff_q + 32'(kv_dim_i);
      if (beat_done) begin
        g_d    = '0;
        goff_d = '0;
        e_d    = e_q + LANES;
        if (hs_small) begin
          kvh_d = kvh_q + 16'(dots_per_beat);
        end else if (ci_q + 1 == chunks) begin
          ci_d  = '0;
          kvh_d = kvh_q + 1;
        end else begin
          ci_d = ci_q + 1;
        end
      end
      if (row_done) begin
        e_d   = '0;
        ci_d  = '0;
        kvh_d = '0;
        t_d   = t_q + 1;
        if (t_q + 1 == groups) stream_done_d = 1'b1;
      end
    end
  end
  `VP_FF(t_q, t_d, '0)
  `VP_FF(e_q, e_d, '0)
  `VP_FF(g_q, g_d, '0)
  `VP_FF(goff_q, goff_d, '0)
  `VP_FF(ci_q, ci_d, '0)
  `VP_FF(kvh_q, kvh_d, '0)
  `VP_FF(stream_done_q, stream_done_d, 1'b0)

  logic [RAW-1:0] issue_row;  // q' / xb' row of the beat for group g
  assign issue_row = RAW'((goff_q + e_q) >> 4);

  // ---- issue stage registers: the beats, the weights (wsum) ----
  logic            s1_v_q;
  logic [P*BW-1:0] s1_beat_q, s1_w_q, s1_w_d;

  // ==== scores: control shared by the lanes ====
  // Tag of each issue: first position of the group, first key head, query group, beat within the head.
  // Small arrays with several read ports are registers (mem2reg): Yosys's memory mapping of
  // many-ported arrays runs out of memory on this machine.
  (* mem2reg *) logic [31:0] sc_tag_t [TAGS];
  (* mem2reg *) logic [15:0] sc_tag_kvh [TAGS], sc_tag_ci [TAGS];
  (* mem2reg *) logic [GW-1:0] sc_tag_g [TAGS];
  logic [$clog2(TAGS)-1:0] sc_tag_wr_q, sc_tag_wr_d, sc_tag_rd_q, sc_tag_rd_d;
  logic [4:0]  gap_q, gap_d;  // cycles until the next score issue (hs < 16: one dot a cycle leaves)

  // +0 + s, as the spec's first add into a partial: -0 becomes +0, a NaN is quieted.
  function automatic logic [31:0] first_add(input logic [31:0] s);
    if (s[30:23] == 8'hff && s[22:0] != 0) first_add = s | llama_pkg::F_QUIET_BIT;
    else if (s == llama_pkg::F_NZERO) first_add = '0;
    else first_add = s;
  endfunction

  // Collector (per lane below): the block sums of an issue become partials; finished dots go to
  // the lanes' trees, one a cycle (hs < 16: the issue's dots_per_beat dots over that many cycles).
  logic        sum_v;       // the block sums of an issue are at the trees' level `level`
  logic [4:0]    pend_n_q, pend_n_d, pend_i_q, pend_i_d;
  logic [31:0]   pend_t_q, pend_t_d;
  logic [15:0]   pend_kvh_q, pend_kvh_d;
  logic [GW-1:0] pend_g_q, pend_g_d;
  logic        tree_v;
  logic [15:0] tree_kvh;
  logic [GW-1:0] tree_g;
  logic [31:0] tree_t;
  logic [15:0] tag_ci;
  logic        tree_last;   // hs >= 16: the issue's block is its dot's last
  assign tag_ci    = sc_tag_ci[sc_tag_rd_q];
  assign tree_last = sum_v && tag_ci + 1 == chunks;
  always_comb begin
    tree_v   = 1'b0;
    tree_kvh = pend_kvh_q + 16'(pend_i_q);
    tree_g   = pend_g_q;
    tree_t   = pend_t_q;
    if (hs_small) begin
      tree_v = pend_i_q < pend_n_q;
    end else if (tree_last) begin
      tree_v   = 1'b1;
      tree_kvh = sc_tag_kvh[sc_tag_rd_q];
      tree_g   = sc_tag_g[sc_tag_rd_q];
      tree_t   = sc_tag_t[sc_tag_rd_q];
    end
  end

  // Score addresses (and the group's active lanes) wait beside the trees.
  (* mem2reg *) logic [SPM_AW-1:0] sc_addr_q [TAGS];
  (* mem2reg *) logic [4:0]        sc_cnt_q [TAGS];
  logic [$clog2(TAGS)-1:0] sc_addr_wr_q, sc_addr_wr_d, sc_addr_rd_q, sc_addr_rd_d;
  logic        score_v;
  logic [P*32-1:0] scores;   // lane i's score at [32*i +: 32]
  logic [31:0] tree_left;    // positions from the dot's group start on
  assign tree_left = positions_i - tree_t;

  // ==== wsum: shared control ====
  // Weights of group t in set t % 2: w_mem[set][h] word i = att[h * stride + t * P + i].
  (* mem2reg *) logic [32*P-1:0] w_mem [2][MAX_HEADS];
  logic [1:0]    w_ready_q, w_ready_d;
  logic [31:0]   wr_t_q, wr_t_d;  // group being read
  logic [15:0]   wr_h_q, wr_h_d;  // head being read
  logic          wr_re, wr_v_q;
  logic [HW-1:0] wr_h_d1_q, wr_h_d1_d;
  logic          wr_set_d1_q;
  logic [32*P-1:0] wr_window;  // words 0 .. P-1 of the read's window
  assign wr_re = state_q == StStream && wsum_i && !w_ready_q[wr_t_q[0]] && wr_t_q < groups;
  always_comb
    for (int unsigned k = 0; k < P; k++) begin
      logic [3:0] bank;
      bank = 4'(k) + spm_rbank_i;
      wr_window[32*k+:32] = spm_banks_i[32*bank+:32];
    end

  // Issue pipeline rows in flight (a later issue to the same row waits).
  logic [WS_DEPTH-1:0]     ws_v_q, ws_v_d;
  logic [WS_DEPTH-1:0]     ws_first_q, ws_first_d;  // position 0: the row's old value is +0 (xb' is not cleared)
  logic [WS_DEPTH*RAW-1:0] ws_row_q, ws_row_d;      // stage k's row at [RAW*k +: RAW]
  logic [WS_DEPTH*P-1:0]   ws_act_q, ws_act_d;      // stage k's active lanes at [P*k +: P]
  logic                ws_busy;              // an issue in the pipeline: the product delay lines shift
  logic                hazard;
  assign ws_busy = ws_v_q != '0;
  always_comb begin
    hazard = 1'b0;
    for (int unsigned k = 0; k < WS_DEPTH; k++) if (ws_v_q[k] && ws_row_q[RAW*k+:RAW] == issue_row) hazard = 1'b1;
  end

  // ==== the lanes: multipliers, score tree and collector, wsum chain stage ====
  logic [P-1:0]    lane_sum_v, lane_score_v;
  logic [P*BW-1:0] chain;  // lane i's chain stage output (acc after position t0 + i)
  for (genvar i = 0; i < P; i++) begin : g_lane
    // shared multipliers: scores q * k, wsum w * v
    logic [LANES-1:0]    mul_v;
    logic [32*LANES-1:0] mul_r;
    for (genvar j = 0; j < LANES; j++) begin : g_mul
      fp32_mul u_mul (
        .clk_i, .rst_ni,
        .valid_i (s1_v_q),
        .a_i     (wsum_i ? s1_w_q[BW*i+32*j+:32] : qp_rdata[32*j+:32]),
        .b_i     (s1_beat_q[BW*i+32*j+:32]),
        .valid_o (mul_v[j]),
        .result_o(mul_r[32*j+:32])
      );
    end

    // Adder tree: level k holds 16 >> k sums of 2^k consecutive products.
    logic [31:0] lvl [5][LANES];
    logic [4:0]  lvl_v;
    always_comb
      for (int unsigned j = 0; j < LANES; j++) lvl[0][j] = mul_r[32*j+:32];
    assign lvl_v[0] = mul_v[0] && !wsum_i;
    for (genvar k = 1; k <= 4; k++) begin : g_level
      logic [(LANES >> k)-1:0] v;
      for (genvar j = 0; j < (LANES >> k); j++) begin : g_node
        fp32_add u_add (.clk_i, .rst_ni, .valid_i(lvl_v[k-1]), .a_i(lvl[k-1][2*j]), .b_i(lvl[k-1][2*j+1]),
                        .sub_i(1'b0), .valid_o(v[j]), .result_o(lvl[k][j]));
      end
      for (genvar j = LANES >> k; j < LANES; j++) begin : g_none
        assign lvl[k][j] = '0;
      end
      assign lvl_v[k] = v[0];
      if (LANES >> k > 1) begin : g_unused
        logic unused_v;
        assign unused_v = ^v[(LANES >> k)-1:1];
      end
    end
    assign lane_sum_v[i] = lvl_v[level];

    // Collector: partials of the dots in progress (hs >= 16), the dots of the last issue (hs < 16)
    (* mem2reg *) logic [31:0] part_q [MAX_KV_MUL][8];
    (* mem2reg *) logic [31:0] pend_q [LANES];
    logic [8*32-1:0] tree_p;
    always_comb begin
      tree_p = '0;
      if (hs_small) begin
        tree_p[31:0] = first_add(pend_q[pend_i_q[3:0]]);
      end else begin
        for (int unsigned k = 0; k < 8; k++)
          if (32'(k) < 32'(tag_ci)) tree_p[32*k+:32] = part_q[sc_tag_g[sc_tag_rd_q]][k];
        tree_p[32*tag_ci[2:0]+:32] = first_add(lvl[4][0]);
      end
    end
    // Data arrays: no reset.
    always_ff @(posedge clk_i) begin
      if (sum_v && hs_small)
        for (int unsigned j = 0; j < LANES; j++) pend_q[j] <= lvl[level][j];
      if (sum_v && !hs_small) part_q[sc_tag_g[sc_tag_rd_q]][tag_ci[2:0]] <= first_add(lvl[4][0]);
    end

    llama_score_tree u_tree (.clk_i, .rst_ni, .valid_i(tree_v), .p_i(tree_p), .scalar_i,
                             .valid_o(lane_score_v[i]), .result_o(scores[32*i+:32]));

    // Wsum chain stage i: acc(i) = acc(i-1) + w(t0+i) * v(t0+i), acc(-1) = xb' (+0 at position 0).
    // Lane i's products arrive 1 + MUL_LAT cycles after the issue, stage i adds them i * ADD_LAT
    // cycles later.
    logic [BW-1:0] stage_a, stage_b;
    if (i == 0) begin : g_chain_head
      assign stage_a = ws_first_q[MUL_LAT] ? '0 : xp_rdata;
      assign stage_b = mul_r;
    end else begin : g_chain_link
      localparam int unsigned D = i * ADD_LAT;
      logic [D*BW-1:0] delay_q, delay_d;  // delay line: SRLs, no reset
      assign delay_d = {delay_q[(D-1)*BW-1:0], mul_r};  // D >= ADD_LAT > 1
      `VP_FFLNR(delay_q, delay_d, ws_busy)
      assign stage_a = chain[BW*(i-1)+:BW];
      // an inactive lane adds -0: acc passes unchanged
      assign stage_b = ws_act_q[P*(MUL_LAT + D) + i] ? delay_q[(D-1)*BW+:BW] : {LANES{llama_pkg::F_NZERO}};
    end
    logic [LANES-1:0] stage_v;
    for (genvar j = 0; j < LANES; j++) begin : g_ws_add
      fp32_add u_add (.clk_i, .rst_ni,
                      .valid_i(i == 0 ? mul_v[0] && wsum_i : ws_v_q[MUL_LAT + i * ADD_LAT]),
                      .a_i(stage_a[32*j+:32]), .b_i(stage_b[32*j+:32]), .sub_i(1'b0),
                      .valid_o(stage_v[j]), .result_o(chain[BW*i+32*j+:32]));
    end

    logic unused_lane;
    assign unused_lane = ^{mul_v[LANES-1:1], stage_v};
  end
  assign sum_v   = lane_sum_v[0];   // the lanes run in step
  assign score_v = lane_score_v[0];

  // ==== issue ====
  always_comb begin
    issue = 1'b0;
    if (state_q == StStream && !stream_done_q && beats_in) begin
      if (wsum_i) issue = w_ready_q[t_q[0]] && !hazard;
      else        issue = gap_q == 0 && !walk_v_q;  // not while the last copied q' row lands
    end
  end

  // ==== q' / xb' ports ====
  // q's 16-word window in order (word q + w + k from bank (rbank + k) % 16)
  logic [32*LANES-1:0] q_row;
  always_comb
    for (int unsigned k = 0; k < LANES; k++) begin
      logic [3:0] bank;
      bank = 4'(k) + spm_rbank_i;
      q_row[32*k+:32] = spm_banks_i[32*bank+:32];
    end

  always_comb begin
    qp_we    = '0;
    qp_wrow  = RAW'(walk_perm_q >> 4);
    qp_wdata = hs_small ? {LANES{spm_rdata_i}} : q_row;
    if (!wsum_i && walk_v_q) begin
      if (hs_small) qp_we[walk_perm_q[3:0]] = 1'b1;
      else          qp_we = '1;
    end
    qp_rrow  = issue_row;

    xp_we    = ws_v_q[WS_DEPTH-1] ? '1 : '0;
    xp_wrow  = ws_row_q[RAW*(WS_DEPTH-1)+:RAW];
    xp_wdata = chain[BW*(P-1)+:BW];
    // wsum: the old xb' row arrives with the products; write-back: the walk's word
    xp_re   = (wsum_i && ws_v_q[MUL_LAT-1]) || (state_q == StWriteBack);
    xp_rrow = state_q == StWriteBack ? RAW'(walk_perm >> 4) : ws_row_q[RAW*(MUL_LAT-1)+:RAW];
  end

  // ==== scratchpad ports ====
  always_comb begin
    spm_re_o    = 1'b0;
    spm_raddr_o = q_i + SPM_AW'(walk_q.w);
    walk_step   = 1'b0;
    if (state_q == StQCopy) begin
      spm_re_o  = 1'b1;
      walk_step = 1'b1;
    end else if (state_q == StWriteBack) begin
      walk_step = 1'b1;
    end else if (wr_re) begin
      spm_re_o    = 1'b1;
      spm_raddr_o = att_i + SPM_AW'(32'(wr_h_q) * 32'(stride_i) + (wr_t_q << LOG2P));
    end
    spm_we_o    = wsum_i && walk_v_q && hs_small;
    spm_waddr_o = xb_i + walk_w_d1_q;
    spm_wdata_o = xp_rdata[32*walk_perm_q[3:0]+:32];
    // the scores of a head (words t0 .. t0 + count - 1 of its att row), or an xb' row
    spm_bwe_o    = score_v || (wsum_i && walk_v_q && !hs_small);
    spm_baddr_o  = xb_i + walk_w_d1_q;
    spm_bcount_o = 5'd16;
    spm_bdata_o  = xp_rdata;
    if (score_v) begin
      spm_baddr_o  = sc_addr_q[sc_addr_rd_q];
      spm_bcount_o = sc_cnt_q[sc_addr_rd_q];
      spm_bdata_o  = '0;
      spm_bdata_o[32*P-1:0] = scores;
    end
  end

  // ---- requests: port p streams its rows_p = ceil((positions - p) / P) rows ----
  logic [P-1:0] requested_q;
  for (genvar p = 0; p < P; p++) begin : g_req
    logic [31:0] rows;
    assign rows = 32'(p) < positions_i ? (positions_i - 32'(p) + 32'(P - 1)) >> LOG2P : '0;
    assign req_addr_o[ADDR_WIDTH*p+:ADDR_WIDTH] = addr_i[ADDR_WIDTH*p+:ADDR_WIDTH];
    assign req_bytes_o[32*p+:32] = rows * 32'(kv_dim_i) * 4;
    assign req_valid_o[p] = (state_q == StQCopy || state_q == StStream) && !requested_q[p] && rows != 0;
  end

  // ==== control ====
  logic [P-1:0] requested_d;
  logic [31:0]  scores_left_q, scores_left_d;  // score beats (a head of a group) still to be written
  logic         done_q, done_d;
  assign done_o = done_q;
  assign busy_o = state_q != StIdle || done_q || gap_q != 0;

  always_comb begin
    state_d       = state_q;
    done_d        = 1'b0;
    requested_d   = requested_q;
    scores_left_d = scores_left_q;
    gap_d         = gap_q;
    sc_tag_wr_d   = sc_tag_wr_q;
    sc_tag_rd_d   = sc_tag_rd_q;
    sc_addr_wr_d  = sc_addr_wr_q;
    sc_addr_rd_d  = sc_addr_rd_q;
    pend_n_d      = pend_n_q;
    pend_i_d      = pend_i_q;
    pend_t_d      = pend_t_q;
    pend_kvh_d    = pend_kvh_q;
    pend_g_d      = pend_g_q;
    w_ready_d     = w_ready_q;
    wr_t_d        = wr_t_q;
    wr_h_d        = wr_h_q;
    for (int unsigned p = 0; p < P; p++)
      if (req_valid_o[p] && req_ready_i[p]) requested_d[p] = 1'b1;

    unique case (state_q)
      StIdle: if (start_i) begin
        requested_d   = '0;
        scores_left_d = groups * 32'(heads_i);
        w_ready_d     = '0;
        wr_t_d        = '0;
        wr_h_d        = '0;
        state_d       = wsum_i ? StStream : StQCopy;
      end
      StQCopy: if (walk_last) state_d = StStream;
      StStream: if (stream_done_q) state_d = StDrain;
      StDrain: begin
        if (wsum_i && ws_v_q == '0) state_d = StWriteBack;
        if (!wsum_i && scores_left_q == 0) begin
          state_d = StIdle;
          done_d  = 1'b1;
        end
      end
      StWriteBack: if (walk_last) state_d = StWriteLast;
      StWriteLast: begin  // the last word is written the cycle after its walk step
        state_d = StIdle;
        done_d  = 1'b1;
      end
      default: state_d = StIdle;
    endcase

    // scores: issue spacing, tags, collector, addresses
    if (issue && !wsum_i) begin
      gap_d       = dots_per_beat - 1;
      sc_tag_wr_d = sc_tag_wr_q + 1'b1;
    end else if (gap_q != 0) begin
      gap_d = gap_q - 1;
    end
    // (a capture may coincide with the previous capture's last dot leaving: capture wins)
    if (hs_small && tree_v) pend_i_d = pend_i_q + 1'b1;
    if (sum_v) begin
      sc_tag_rd_d = sc_tag_rd_q + 1'b1;
      if (hs_small) begin
        pend_n_d   = dots_per_beat;
        pend_i_d   = '0;
        pend_t_d   = sc_tag_t[sc_tag_rd_q];
        pend_kvh_d = sc_tag_kvh[sc_tag_rd_q];
        pend_g_d   = sc_tag_g[sc_tag_rd_q];
      end
    end
    if (tree_v) sc_addr_wr_d = sc_addr_wr_q + 1'b1;
    if (score_v) begin
      sc_addr_rd_d  = sc_addr_rd_q + 1'b1;
      scores_left_d = scores_left_q - 1;
    end

    // wsum: weight reads run a group ahead of the beats
    if (wr_re) begin
      wr_h_d = wr_h_q + 1;
      if (wr_h_q + 1 == heads_i) begin
        wr_h_d = '0;
        wr_t_d = wr_t_q + 1;
      end
    end
    if (wr_v_q && 32'(wr_h_d1_q) + 1 == 32'(heads_i)) w_ready_d[wr_set_d1_q] = 1'b1;
    if (wsum_i && row_done) w_ready_d[t_q[0]] = 1'b0;
  end

  // lane i, multiplier j: the weight of its query head at position t0 + i (selected only on an
  // issue: idle cycles cost nothing in simulation)
  always_comb begin
    logic [31:0]     kvh;
    logic [32*P-1:0] w;
    kvh    = '0;
    w      = '0;
    s1_w_d = s1_w_q;
    if (issue)
      for (int unsigned j = 0; j < LANES; j++) begin
        kvh = 32'(kvh_q) + (hs_small ? (j >> level) : 0);
        w   = w_mem[t_q[0]][HW'(kvh * 32'(kv_mul_i) + g_q)];
        for (int unsigned i = 0; i < P; i++) s1_w_d[BW*i+32*j+:32] = w[32*i+:32];
      end
  end

  // wsum rows in flight: a shift register per field, stage 0 the issue
  assign wr_h_d1_d  = HW'(wr_h_q);
  assign ws_v_d     = {ws_v_q[WS_DEPTH-2:0], issue && wsum_i};
  assign ws_first_d = {ws_first_q[WS_DEPTH-2:0], t_q == 0};
  assign ws_row_d   = {ws_row_q[RAW*(WS_DEPTH-1)-1:0], issue_row};
  assign ws_act_d   = {ws_act_q[P*(WS_DEPTH-1)-1:0], active};

  `VP_FF(state_q, state_d, StIdle)
  `VP_FF(done_q, done_d, 1'b0)
  `VP_FF(requested_q, requested_d, '0)
  `VP_FF(scores_left_q, scores_left_d, '0)
  `VP_FF(s1_v_q, issue, 1'b0)
  `VP_FFL(s1_beat_q, beat_i, issue, '0)
  `VP_FFL(s1_w_q, s1_w_d, issue, '0)
  `VP_FF(gap_q, gap_d, '0)
  `VP_FF(sc_tag_wr_q, sc_tag_wr_d, '0)
  `VP_FF(sc_tag_rd_q, sc_tag_rd_d, '0)
  `VP_FF(sc_addr_wr_q, sc_addr_wr_d, '0)
  `VP_FF(sc_addr_rd_q, sc_addr_rd_d, '0)
  `VP_FF(pend_n_q, pend_n_d, '0)
  `VP_FF(pend_i_q, pend_i_d, '0)
  `VP_FF(pend_t_q, pend_t_d, '0)
  `VP_FF(pend_kvh_q, pend_kvh_d, '0)
  `VP_FF(pend_g_q, pend_g_d, '0)
  `VP_FF(w_ready_q, w_ready_d, '0)
  `VP_FF(wr_t_q, wr_t_d, '0)
  `VP_FF(wr_h_q, wr_h_d, '0)
  `VP_FF(wr_v_q, wr_re, 1'b0)
  `VP_FF(wr_h_d1_q, wr_h_d1_d, '0)
  `VP_FF(wr_set_d1_q, wr_t_q[0], 1'b0)
  `VP_FF(ws_v_q, ws_v_d, '0)
  `VP_FF(ws_first_q, ws_first_d, '0)
  `VP_FF(ws_row_q, ws_row_d, '0)
  `VP_FF(ws_act_q, ws_act_d, '0)

  // Data arrays: no reset.
  always_ff @(posedge clk_i) begin
    if (issue && !wsum_i) begin
      sc_tag_t[sc_tag_wr_q]   <= t0;
      sc_tag_kvh[sc_tag_wr_q] <= kvh_q;
      sc_tag_ci[sc_tag_wr_q]  <= ci_q;
      sc_tag_g[sc_tag_wr_q]   <= GW'(g_q);
    end
    if (tree_v) begin
      sc_addr_q[sc_addr_wr_q] <= att_i + SPM_AW'((32'(tree_kvh) * 32'(kv_mul_i) + 32'(tree_g)) * 32'(stride_i) + tree_t);
      sc_cnt_q[sc_addr_wr_q]  <= tree_left < 32'(P) ? 5'(tree_left) : 5'(P);
    end
    if (wr_v_q) w_mem[wr_set_d1_q][wr_h_d1_q] <= wr_window;
  end

  logic unused_signals;
  assign unused_signals = ^{lane_sum_v, lane_score_v, ws_act_q, ws_busy};

endmodule
