// Q8_0 matrix-vector engine: out[r] = dot_q8(W[r,:], xq, xs) for rows r = 0..rows-1, exactly
// as vp::arith::dot_q8 (hls/llama_arith.h): int8 products summed exactly in int32 per group,
// then, groups in order, val += ((float)isum * w_scale) * x_scale from val = +0.
//
// Rows are Q8_0 rows of the device image (hls/device_layout.h): `cols` int8 weights, then
// cols/gs fp32 scales, padded to row_beats 64-byte beats; row r starts at base + r * stride,
// 64-byte aligned. The rows are contiguous and arrive as one beat stream, the matrix's rows back
// to back, from the port's weight stream (llama_gemv_array: one request for the whole matrix, or
// the beat FIFO of llama_weight_prefetch, which reads them ahead of the engine). A running engine
// may take the first beat of the next matrix into its input register after its last row's last
// chunk; the next command starts on it.
//
// Microarchitecture, three stages:
//   MAC:     MAC_LANES bytes of a beat per cycle (a 64-byte beat takes 64 / MAC_LANES cycles):
//            products with the int8 activations, an adder tree whose level log2(gs) gives the
//            group sums of the chunk (groups wider than the chunk accumulate across chunks);
//            the scale words of the row land beside them. One of ACCUMULATORS row slots holds
//            a row's group sums and scales. Pipelined for 300 MHz (MAC_STAGES = 2 +
//            log2(MAC_LANES) cycles: operand registers, product registers (DSP48E2 A/B and M
//            registers), one register per tree level: one adder, i.e. one carry chain, a stage).
//   TERM:    one pipelined pair of multipliers turns the groups of the oldest complete row into
//            terms (float(isum) * w_scale) * x_scale, one group per cycle.
//   ACCUM:   per slot a chain val += term in group order (one add in flight: the order is the
//            spec's) on one pipelined adder shared by the ACCUMULATORS slots, so the chains of
//            several rows interleave and hide behind the stream.
// Results leave in row order through a valid/ready port.
//
// Storage: every array is a plain memory (one write port, one registered read port, no reset;
// BRAM/URAM/LUTRAM), in its own always_ff without reset. A registered read is addressed one
// cycle ahead from the next-state of the stage's counters, so the engine keeps the cycle
// behaviour of asynchronous reads; a word written at the clock edge of its read is forwarded.
//   xq:     MAX_COLS/MAC_LANES words of MAC_LANES bytes, byte write enables (up to XQ_LANES
//           bytes a cycle, the quantizer's lanes); one word a cycle feeds the MAC tree (read as
//           its chunk fires: the read register is MAC stage 1's activation operand).
//   xs:     MAX_ROW_GROUPS x 32 bit; read for the second term multiplier one cycle ahead from
//           the multiplier's tag FIFO (needs a multiplier latency >= 2; fp32_mul has 3).
//   isum:   NB = MAC_LANES/4 banks (the most groups a chunk holds), group g in bank g % NB at
//           row g / NB, so a chunk writes each bank at most once; per bank
//           ACCUMULATORS x ceil(MAX_ROW_GROUPS/NB) x 32 bit (address {slot, row}).
//   wscale: NB banks by word index within the chunk: scale j (row word w = cols/4 + j) in bank
//           w % NB at row w / NB - (cols/4) / NB; per bank ACCUMULATORS x
//           (ceil((MAX_ROW_GROUPS + NB - 1) / NB) rounded up to a power of two) x 32 bit.
//   term:   ACCUMULATORS x MAX_ROW_GROUPS x 32 bit, written by the second multiplier, read by the
//           accumulator; the adder's slot choice is made one cycle ahead (on the next state),
//           which is the same choice the engine made on the current state before.
// Activations (xq, xs) must not change while a command runs (they do not: the sequencer
// quantizes between matmuls); their reads are not forwarded.
`include "vp_registers.svh"

module llama_gemv #(
  parameter int unsigned MAC_LANES      = 64,
  parameter int unsigned MAX_COLS       = 4096,
  parameter int unsigned MAX_ROW_GROUPS = 128,
  parameter int unsigned ACCUMULATORS   = 8,
  parameter int unsigned XQ_LANES       = 16,  // xq bytes written a cycle; divides MAC_LANES
  localparam int unsigned BEAT_BYTES    = 64
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  // Command: stable from start_i until done_o
  input  logic                  start_i,
  input  logic [31:0]           rows_i,
  input  logic [15:0]           cols_i,
  input  logic [3:0]            gs_log2_i,    // group size = 1 << gs_log2_i, >= 4
  input  logic [15:0]           row_beats_i,  // stride / 64
  output logic                  done_o,       // pulse: every result has been taken
  // Row beats, the matrix's rows in order
  input  logic                  beat_valid_i,
  output logic                  beat_ready_o,
  input  logic [8*BEAT_BYTES-1:0] beat_i,
  // Activations (written by the vector unit's quantization)
  input  logic                  xq_we_i,
  input  logic [$clog2(MAX_COLS)-1:0] xq_idx_i,  // a multiple of XQ_LANES
  input  logic [XQ_LANES-1:0]   xq_mask_i,      // byte k to xq[idx + k] where set
  input  logic [8*XQ_LANES-1:0] xq_data_i,
  input  logic                  xs_we_i,
  input  logic [$clog2(MAX_ROW_GROUPS)-1:0] xs_idx_i,
  input  logic [31:0]           xs_data_i,
  // Results, in row order
  output logic                  res_valid_o,
  input  logic                  res_ready_i,
  output logic [31:0]           res_row_o,
  output logic [31:0]           res_data_o
);

  localparam int unsigned CHUNKS       = BEAT_BYTES / MAC_LANES;
  localparam int unsigned LANE_LOG2    = $clog2(MAC_LANES);
  localparam int unsigned CHUNK_WORDS  = MAC_LANES / 4;
  localparam int unsigned XQ_ROWS      = MAX_COLS / MAC_LANES;
  localparam int unsigned XQ_AW        = $clog2(XQ_ROWS);
  localparam int unsigned GW           = $clog2(MAX_ROW_GROUPS);
  localparam int unsigned GCW          = $clog2(MAX_ROW_GROUPS + 1);
  localparam int unsigned SW           = ACCUMULATORS > 1 ? $clog2(ACCUMULATORS) : 1;
  localparam int unsigned CW           = CHUNKS > 1 ? $clog2(CHUNKS) : 1;
  localparam int unsigned TAGS         = 8;  // >= multiplier latency
  // Banks of the group sums and scales: one per 32-bit word of a chunk.
  localparam int unsigned NB           = CHUNK_WORDS;
  localparam int unsigned NB_LOG2      = LANE_LOG2 - 2;
  localparam int unsigned BW           = NB > 1 ? $clog2(NB) : 1;
  localparam int unsigned IROWS        = (MAX_ROW_GROUPS + NB - 1) / NB;
  localparam int unsigned IRW          = IROWS > 1 ? $clog2(IROWS) : 1;
  localparam int unsigned SROWS        = (MAX_ROW_GROUPS + 2 * NB - 2) / NB;
  localparam int unsigned SRW          = SROWS > 1 ? $clog2(SROWS) : 1;

  // ---- activations ----
  logic [XQ_AW-1:0]       xq_raddr;
  logic [8*MAC_LANES-1:0] xq_rdata_q;
  logic [GW-1:0]          xs_raddr;
  logic [31:0]            xs_rdata_q;

  // xq: MAC_LANES-byte words, XQ_LANES bytes written a cycle (byte enables: byte b of the word
  // from write lane b % XQ_LANES), one word read a cycle.
  logic [8*MAC_LANES-1:0] xq_mem [XQ_ROWS];
  always_ff @(posedge clk_i) begin
    for (int unsigned b = 0; b < MAC_LANES; b++)
      if (xq_we_i && xq_mask_i[b % XQ_LANES] && 32'(xq_idx_i[LANE_LOG2-1:0]) / XQ_LANES == b / XQ_LANES)
        xq_mem[xq_idx_i[$clog2(MAX_COLS)-1:LANE_LOG2]][8*b+:8] <= xq_data_i[8*(b % XQ_LANES)+:8];
    xq_rdata_q <= xq_mem[xq_raddr];
  end

  logic [31:0] xs_mem [MAX_ROW_GROUPS];
  always_ff @(posedge clk_i) begin
    if (xs_we_i) xs_mem[xs_idx_i] <= xs_data_i;
    xs_rdata_q <= xs_mem[xs_raddr];
  end

  // ---- row geometry ----
  logic [GCW-1:0] groups;  // cols / gs
  assign groups = GCW'(cols_i >> gs_log2_i);

  // ---- run control ----
  logic        running_q, running_d;
  logic [31:0] in_row_q, in_row_d;    // row whose beats are arriving
  logic [15:0] in_beat_q, in_beat_d;
  logic [CW-1:0] in_chunk_q, in_chunk_d;
  logic [SW-1:0] in_slot_q, in_slot_d;
  logic [31:0] out_row_q, out_row_d;  // next result to hand out
  logic        done_q, done_d;
  logic [SW-1:0] out_slot_q, out_slot_d;

  // ---- slots ----
  // free: may take a new row; filled: row received, waiting for or in TERM; the accumulator
  // runs while terms arrive; done: result waits for hand-out.
  logic [ACCUMULATORS-1:0] slot_busy_q, slot_filled_q, slot_done_q;
  logic [ACCUMULATORS-1:0] slot_busy_d, slot_filled_d, slot_done_d;
  logic [GCW-1:0]          terms_ready_q [ACCUMULATORS];
  logic [GCW-1:0]          terms_ready_d [ACCUMULATORS];
  logic [GCW-1:0]          acc_group_q [ACCUMULATORS];
  logic [GCW-1:0]          acc_group_d [ACCUMULATORS];
  logic [ACCUMULATORS-1:0] acc_inflight_q, acc_inflight_d;
  logic [31:0]             acc_val_q [ACCUMULATORS];
  logic [31:0]             running_isum_q;  // groups wider than a chunk

  // ---- MAC stage ----
  logic [15:0] chunk_offset;  // byte offset of this chunk inside the row
  assign chunk_offset = 16'(in_beat_q * BEAT_BYTES + 32'(in_chunk_q) * MAC_LANES);
  // The chunk's activation word is read as the chunk fires: the memory's read register is the
  // x operand register of MAC stage 1 (an address from flops, no next-state logic before it).
  assign xq_raddr = XQ_AW'(chunk_offset >> LANE_LOG2);

  // The arriving beat is registered first, so the MAC tree works from flops, not from the bus.
  logic                    beat_valid_q;
  logic [8*BEAT_BYTES-1:0] beat_q;
  logic [8*MAC_LANES-1:0]  w_bytes;
  assign w_bytes = beat_q[8*MAC_LANES*in_chunk_q+:8*MAC_LANES];

  logic chunk_fire, row_last_chunk, wide_groups;
  assign wide_groups    = 32'(gs_log2_i) > LANE_LOG2;
  assign chunk_fire     = running_q && in_row_q < rows_i && !slot_busy_q[in_slot_q] && beat_valid_q;
  assign beat_ready_o   = running_q && (!beat_valid_q || (chunk_fire && in_chunk_q == CW'(CHUNKS - 1)));
  assign row_last_chunk = in_beat_q == row_beats_i - 1'b1 && in_chunk_q == CW'(CHUNKS - 1);

  always_comb begin
    in_beat_d  = in_beat_q;
    in_chunk_d = in_chunk_q;
    if (start_i) begin
      in_beat_d  = '0;
      in_chunk_d = '0;
    end
    if (chunk_fire) begin
      in_chunk_d = in_chunk_q == CW'(CHUNKS - 1) ? '0 : in_chunk_q + 1'b1;
      if (in_chunk_q == CW'(CHUNKS - 1)) in_beat_d = in_beat_q + 1'b1;
      if (row_last_chunk) in_beat_d = '0;
    end
  end

  // ---- MAC pipeline (for 300 MHz: at most one carry chain and a few LUT levels a stage) ----
  // Stage 1 registers the chunk's operands (the multipliers' input registers), stage 2 the int8
  // products (output registers; 16 bits are exact), stage 2 + k level k of the adder tree (sums
  // of 2^k products, 16 + k bits, exact). The group sums of every level are delayed to stage
  // MAC_STAGES = 2 + LANE_LOG2, where the chunk's group sums are written; a chunk's control
  // (offset, slot, row end) travels beside it. Lanes past `cols` need no mask: groups are
  // gs-aligned and cols is a multiple of gs, so a group never mixes weights and scale bytes,
  // and groups at or past cols are never written. A stage's registers load only when a chunk
  // moves into it.
  localparam int unsigned MAC_STAGES = 2 + LANE_LOG2;

  logic [MAC_STAGES:1] st_valid_q;                   // a chunk is in stage s
  logic [15:0]         st_offset_q [1:MAC_STAGES-1];  // its byte offset in the row
  logic [SW-1:0]       st_slot_q   [1:MAC_STAGES];
  logic [MAC_STAGES:1] st_last_q;                    // the row's last chunk
  `VP_FF(st_valid_q, {st_valid_q[MAC_STAGES-1:1], chunk_fire}, '0)
  `VP_FF(st_last_q, {st_last_q[MAC_STAGES-1:1], chunk_fire && row_last_chunk}, '0)
  always_ff @(posedge clk_i) begin
    if (chunk_fire) begin
      st_offset_q[1] <= chunk_offset;
      st_slot_q[1]   <= in_slot_q;
    end
    for (int unsigned s = 2; s <= MAC_STAGES; s++)
      if (st_valid_q[s-1]) begin
        if (s < MAC_STAGES) st_offset_q[s] <= st_offset_q[s-1];
        st_slot_q[s] <= st_slot_q[s-1];
      end
  end

  // Stage 1: operands (the weights' register here; the activations' is the xq read register)
  logic [8*MAC_LANES-1:0] w_op_q, x_op_q;
  always_ff @(posedge clk_i)
    if (chunk_fire) w_op_q <= w_bytes;
  assign x_op_q = xq_rdata_q;

  // Stages 2 .. MAC_STAGES: products (level 0) and adder tree levels; level k holds
  // MAC_LANES >> k sums of 16 + k bits (sum j at [(16+k)*j+:16+k]). One exactly sized vector
  // per level: the Verilated model computes no unused entries.
  for (genvar k = 0; k <= LANE_LOG2; k++) begin : g_tree
    localparam int unsigned WK = 16 + k;
    logic [WK*(MAC_LANES >> k)-1:0] sum_q;
    if (k == 0) begin : g_products
      always_ff @(posedge clk_i)
        if (st_valid_q[1])
          for (int unsigned j = 0; j < MAC_LANES; j++)
            sum_q[16*j+:16] <= 16'(signed'(w_op_q[8*j+:8])) * 16'(signed'(x_op_q[8*j+:8]));
    end else begin : g_sums
      always_ff @(posedge clk_i)
        if (st_valid_q[k+1])
          for (int unsigned j = 0; j < (MAC_LANES >> k); j++)
            sum_q[WK*j+:WK] <= WK'(signed'(g_tree[k-1].sum_q[(WK-1)*(2*j)+:WK-1])) +
                               WK'(signed'(g_tree[k-1].sum_q[(WK-1)*(2*j+1)+:WK-1]));
    end
    // Level k (group size 2^k, k >= 2) delayed to the write stage, sign-extended to 32 bits.
    if (k >= 2 && k < LANE_LOG2) begin : g_delay
      logic [WK*(MAC_LANES >> k)-1:0] dly_q [LANE_LOG2-k];
      logic [32*(MAC_LANES >> k)-1:0] at_write;
      always_ff @(posedge clk_i) begin
        if (st_valid_q[k+2]) dly_q[0] <= sum_q;
        for (int unsigned d = 1; d < LANE_LOG2 - k; d++)
          if (st_valid_q[k+2+d]) dly_q[d] <= dly_q[d-1];
      end
      for (genvar j = 0; j < (MAC_LANES >> k); j++) begin : g_ext
        assign at_write[32*j+:32] = 32'(signed'(dly_q[LANE_LOG2-k-1][WK*j+:WK]));
      end
    end else if (k == LANE_LOG2) begin : g_delay
      logic [31:0] at_write;
      assign at_write = 32'(signed'(sum_q));
    end
  end
  logic [31:0] chunk_sum;  // the whole chunk (level LANE_LOG2) at the write stage
  assign chunk_sum = g_tree[LANE_LOG2].g_delay.at_write;
  // Group sums by bank for group sizes 2^k, k = 2..LANE_LOG2: bank b takes sum b % (MAC_LANES >> k)
  // of level k, at [32*(NB*(k-2)+b)+:32].
  logic [32*NB*(LANE_LOG2-1)-1:0] bank_sums;
  for (genvar k = 2; k <= LANE_LOG2; k++) begin : g_bank_sums
    for (genvar b = 0; b < NB; b++) begin : g_bank
      assign bank_sums[32*(NB*(k-2)+b)+:32] = g_tree[k].g_delay.at_write[32*(b % (MAC_LANES >> k))+:32];
    end
  end

  // Group-sum write control, computed over the last stages from the chunk's offset: group
  // g = (offset >> gs) + m, m < MAC_LANES >> gs, goes to bank g % NB; all of a chunk's groups
  // share the row (offset >> gs) / NB. Wide groups (gs > MAC_LANES): the chunk is part of one
  // group, which closes at the group's last byte.
  localparam int unsigned WS = MAC_STAGES;  // write stage
  logic [15:0]        wr_base_q;   // first group of the chunk in stage WS - 1
  logic               wr_weights_q, wr_close_q;  // stage WS: a chunk of weights; closes a wide group
  logic signed [16:0] wr_room_q;   // stage WS: groups - first group (groups of the row left)
  logic [BW-1:0]      wr_bank0_q;  // stage WS: bank of the chunk's first group
  logic [SW+IRW-1:0]  isum_waddr_q;
  logic [15:0]        close_mask, close_at;  // gs - 1; offset % gs of a group's last chunk
  logic [5:0]         groups_per_chunk;
  assign close_mask       = 16'((32'd1 << gs_log2_i) - 1);
  assign close_at         = 16'((32'd1 << gs_log2_i) - MAC_LANES);
  assign groups_per_chunk = 6'(MAC_LANES >> gs_log2_i);
  always_ff @(posedge clk_i) begin
    if (st_valid_q[WS-2]) wr_base_q <= st_offset_q[WS-2] >> gs_log2_i;
    if (st_valid_q[WS-1]) begin
      wr_weights_q <= st_offset_q[WS-1] < cols_i;
      wr_close_q   <= (st_offset_q[WS-1] & close_mask) == close_at;
      wr_room_q    <= signed'(17'(groups)) - signed'(17'(wr_base_q));
      wr_bank0_q   <= BW'(wr_base_q);
      isum_waddr_q <= {st_slot_q[WS-1], IRW'(wr_base_q >> NB_LOG2)};
    end
  end

  logic [NB-1:0]    isum_we;
  logic [32*NB-1:0] isum_wdata;  // bank b: [32*b+:32]
  always_comb begin
    logic [BW-1:0] m;
    for (int unsigned b = 0; b < NB; b++) begin
      m                    = BW'(b) - wr_bank0_q;
      isum_we[b]           = 1'b0;
      isum_wdata[32*b+:32] = running_isum_q + chunk_sum;
      if (st_valid_q[WS] && wr_weights_q) begin
        if (wide_groups) begin
          isum_we[b] = wr_close_q && wr_bank0_q == BW'(b);
        end else begin
          isum_we[b] = 6'(m) < groups_per_chunk && signed'(17'(m)) < wr_room_q;
          for (int unsigned k = 2; k <= LANE_LOG2; k++)
            if (32'(gs_log2_i) == k) isum_wdata[32*b+:32] = bank_sums[32*(NB*(k-2)+b)+:32];
        end
      end
    end
  end

  // Scale writes: word i of the chunk (row word w = chunk_offset/4 + i) is scale w - cols/4,
  // in bank i at row chunk_offset / MAC_LANES - (cols/4) / NB.
  logic [NB-1:0]     wscale_we;
  logic [SW+SRW-1:0] wscale_waddr;
  always_comb begin
    wscale_waddr = {in_slot_q, SRW'((32'(chunk_offset) >> LANE_LOG2) - ((32'(cols_i) / 4) >> NB_LOG2))};
    for (int unsigned i = 0; i < NB; i++)
      wscale_we[i] = chunk_fire &&
                     32'(chunk_offset) / 4 + i >= 32'(cols_i) / 4 &&
                     32'(chunk_offset) / 4 + i - 32'(cols_i) / 4 < 32'(groups);
  end

  // ---- TERM stage: (float(isum) * w_scale) * x_scale ----
  logic [SW-1:0]  term_slot_q, term_slot_d;
  logic [GCW-1:0] term_group_q, term_group_d;
  logic           term_issue;
  logic [31:0]    isum_float;
  assign term_issue = running_q && slot_filled_q[term_slot_q] && term_group_q < groups;

  function automatic logic [SW-1:0] next_slot(input logic [SW-1:0] s);
    next_slot = s == SW'(ACCUMULATORS - 1) ? '0 : s + 1'b1;
  endfunction

  always_comb begin
    term_slot_d  = term_slot_q;
    term_group_d = term_group_q;
    if (start_i) begin
      term_slot_d  = '0;
      term_group_d = '0;
    end
    if (term_issue) begin
      if (term_group_q + 1'b1 == groups) begin
        term_group_d = '0;
        term_slot_d  = next_slot(term_slot_q);
      end else begin
        term_group_d = term_group_q + 1'b1;
      end
    end
  end

  // Read addresses of the group (term_slot_d, term_group_d) the TERM stage sees next cycle.
  logic [BW-1:0]     isum_rbank, wscale_rbank;
  logic [SW+IRW-1:0] isum_raddr;
  logic [SW+SRW-1:0] wscale_raddr;
  always_comb begin
    logic [31:0] w;  // row word of the scale
    w            = 32'(cols_i) / 4 + 32'(term_group_d);
    isum_rbank   = BW'(32'(term_group_d) & (NB - 1));
    isum_raddr   = {term_slot_d, IRW'(32'(term_group_d) >> NB_LOG2)};
    wscale_rbank = BW'(w & (NB - 1));
    wscale_raddr = {term_slot_d, SRW'((w >> NB_LOG2) - ((32'(cols_i) / 4) >> NB_LOG2))};
  end

  logic [32*NB-1:0] isum_rdata, wscale_rdata;  // bank b: [32*b+:32]
  for (genvar b = 0; b < NB; b++) begin : g_bank
    logic [31:0] isum_mem [1 << (SW + IRW)];
    logic [31:0] wscale_mem [1 << (SW + SRW)];
    logic [31:0] isum_rdata_q, wscale_rdata_q;
    always_ff @(posedge clk_i) begin
      if (isum_we[b]) isum_mem[isum_waddr_q] <= isum_wdata[32*b+:32];
      isum_rdata_q <= isum_mem[isum_raddr];
    end
    always_ff @(posedge clk_i) begin
      if (wscale_we[b]) wscale_mem[wscale_waddr] <= w_bytes[32*b+:32];
      wscale_rdata_q <= wscale_mem[wscale_raddr];
    end
    assign isum_rdata[32*b+:32]   = isum_rdata_q;
    assign wscale_rdata[32*b+:32] = wscale_rdata_q;
  end

  // Forwarding: the last chunk of a row may write the group the TERM stage reads at that edge.
  logic [BW-1:0] isum_bank_q, wscale_bank_q;
  logic          isum_fwd_q, wscale_fwd_q;
  logic [31:0]   isum_fwd_data_q, wscale_fwd_data_q;
  logic [31:0]   isum_rd, wscale_rd;
  always_ff @(posedge clk_i) begin
    isum_bank_q       <= isum_rbank;
    isum_fwd_q        <= isum_we[isum_rbank] && isum_waddr_q == isum_raddr;
    isum_fwd_data_q   <= isum_wdata[32*isum_rbank+:32];
    wscale_bank_q     <= wscale_rbank;
    wscale_fwd_q      <= wscale_we[wscale_rbank] && wscale_waddr == wscale_raddr;
    wscale_fwd_data_q <= w_bytes[32*wscale_rbank+:32];
  end
  assign isum_rd   = isum_fwd_q ? isum_fwd_data_q : isum_rdata[32*isum_bank_q+:32];
  assign wscale_rd = wscale_fwd_q ? wscale_fwd_data_q : wscale_rdata[32*wscale_bank_q+:32];

  fp32_from_int u_isum_float (
    .int_i   (isum_rd),
    .result_o(isum_float)
  );

  // Tags follow the operations through the in-order multipliers.
  logic [SW+GW-1:0] tag1_q [TAGS], tag2_q [TAGS];
  logic [2:0]       tag1_wr_q, tag1_rd_q, tag2_wr_q, tag2_rd_q;
  logic             mul1_valid, mul2_valid;
  logic [31:0]      mul1_result, mul2_result;
  logic [SW-1:0]    mul2_slot;
  logic [GW-1:0]    mul2_group;
  assign {mul2_slot, mul2_group} = tag2_q[tag2_rd_q];
  // x_scale of the product leaving the first multiplier next cycle (its tag is already queued).
  assign xs_raddr = tag1_q[tag1_rd_q + 3'(mul1_valid)][GW-1:0];

  fp32_mul u_term_mul1 (
    .clk_i,
    .rst_ni,
    .valid_i (term_issue),
    .a_i     (isum_float),
    .b_i     (wscale_rd),
    .valid_o (mul1_valid),
    .result_o(mul1_result)
  );

  fp32_mul u_term_mul2 (
    .clk_i,
    .rst_ni,
    .valid_i (mul1_valid),
    .a_i     (mul1_result),
    .b_i     (xs_rdata_q),
    .valid_o (mul2_valid),
    .result_o(mul2_result)
  );

  // ---- ACCUM stage: one pipelined adder shared by the slots ----
  // Each slot chains its own adds (one in flight); the adder takes one add a cycle from the
  // slot holding the oldest row among those ready, so up to fadd-latency + 1 chains interleave.
  // The choice is made on the next state and registered, so the term is read one cycle ahead.
  logic [ACCUMULATORS-1:0] add_ready_d;
  logic                    add_issue_q, add_issue_d, add_valid, res_fire;
  logic [SW-1:0]           add_slot_q, add_slot_d, add_done_slot;
  logic [31:0]             add_result;
  logic [SW-1:0]           acc_tag_q [TAGS];
  logic [2:0]              acc_tag_wr_q, acc_tag_rd_q;
  assign add_done_slot = acc_tag_q[acc_tag_rd_q];

  always_comb begin
    slot_busy_d    = slot_busy_q;
    slot_done_d    = slot_done_q;
    acc_inflight_d = acc_inflight_q;
    for (int unsigned s = 0; s < ACCUMULATORS; s++) begin
      terms_ready_d[s] = terms_ready_q[s];
      acc_group_d[s]   = acc_group_q[s];
    end
    out_slot_d     = out_slot_q;
    if (start_i) out_slot_d = '0;
    if (chunk_fire && row_last_chunk) begin
      slot_busy_d[in_slot_q]   = 1'b1;
      terms_ready_d[in_slot_q] = '0;
      acc_group_d[in_slot_q]   = '0;
    end
    if (mul2_valid) terms_ready_d[mul2_slot] = terms_ready_q[mul2_slot] + 1'b1;
    if (add_issue_q) acc_inflight_d[add_slot_q] = 1'b1;
    if (add_valid) begin
      acc_inflight_d[add_done_slot] = 1'b0;
      acc_group_d[add_done_slot]    = acc_group_q[add_done_slot] + 1'b1;
      if (acc_group_q[add_done_slot] + 1'b1 == groups) slot_done_d[add_done_slot] = 1'b1;
    end
    if (res_fire) begin
      slot_done_d[out_slot_q] = 1'b0;
      slot_busy_d[out_slot_q] = 1'b0;
      out_slot_d              = next_slot(out_slot_q);
    end
  end

  for (genvar s = 0; s < ACCUMULATORS; s++) begin : g_acc_ready
    assign add_ready_d[s] = slot_busy_d[s] && !slot_done_d[s] && !acc_inflight_d[s] &&
                            acc_group_d[s] < terms_ready_d[s];
  end
  always_comb begin
    add_issue_d = 1'b0;
    add_slot_d  = out_slot_d;
    for (int unsigned k = 0; k < ACCUMULATORS; k++) begin
      logic [SW-1:0] s;
      s = SW'((32'(out_slot_d) + k) % ACCUMULATORS);
      if (!add_issue_d && add_ready_d[s]) begin
        add_issue_d = 1'b1;
        add_slot_d  = s;
      end
    end
  end

  // term: written by the second multiplier, read for the add chosen for the next cycle.
  logic [SW+GW-1:0] term_waddr, term_raddr;
  logic [31:0]      term_rdata_q, term_fwd_data_q, term_rd;
  logic             term_fwd_q;
  assign term_waddr = {mul2_slot, mul2_group};
  assign term_raddr = {add_slot_d, GW'(acc_group_d[add_slot_d])};

  logic [31:0] term_mem [1 << (SW + GW)];
  always_ff @(posedge clk_i) begin
    if (mul2_valid) term_mem[term_waddr] <= mul2_result;
    term_rdata_q <= term_mem[term_raddr];
  end
  always_ff @(posedge clk_i) begin
    term_fwd_q      <= mul2_valid && term_waddr == term_raddr;
    term_fwd_data_q <= mul2_result;
  end
  assign term_rd = term_fwd_q ? term_fwd_data_q : term_rdata_q;

  fp32_add u_acc_add (
    .clk_i,
    .rst_ni,
    .valid_i (add_issue_q),
    .a_i     (acc_val_q[add_slot_q]),
    .b_i     (term_rd),
    .sub_i   (1'b0),
    .valid_o (add_valid),
    .result_o(add_result)
  );

  // ---- results ----
  assign res_valid_o = running_q && slot_done_q[out_slot_q] && out_row_q < rows_i;
  assign res_row_o   = out_row_q;
  assign res_data_o  = acc_val_q[out_slot_q];
  assign res_fire    = res_valid_o && res_ready_i;

  // ---- run control: rows in and out, row slots filled for TERM, the done pulse ----
  assign done_o = done_q;
  always_comb begin
    running_d     = running_q;
    in_row_d      = in_row_q;
    in_slot_d     = in_slot_q;
    out_row_d     = out_row_q;
    slot_filled_d = slot_filled_q;
    done_d        = 1'b0;
    if (start_i) begin
      running_d = 1'b1;
      in_row_d  = '0;
      in_slot_d = '0;
      out_row_d = '0;
    end
    // MAC stage: rows enter at chunk_fire; a row is complete for TERM once its last chunk's
    // group sums are written (MAC_STAGES later; scales go to their banks at once).
    if (chunk_fire && row_last_chunk) begin
      in_row_d  = in_row_q + 1;
      in_slot_d = next_slot(in_slot_q);
    end
    if (st_valid_q[WS] && st_last_q[WS]) slot_filled_d[st_slot_q[WS]] = 1'b1;
    if (term_issue && term_group_q + 1'b1 == groups) slot_filled_d[term_slot_q] = 1'b0;
    // Hand-out
    if (res_fire) begin
      out_row_d = out_row_q + 1;
      if (out_row_q + 1 == rows_i) begin
        running_d = 1'b0;
        done_d    = 1'b1;
      end
    end
  end
  `VP_FF(running_q, running_d, 1'b0)
  `VP_FF(in_row_q, in_row_d, '0)
  `VP_FF(in_slot_q, in_slot_d, '0)
  `VP_FF(out_row_q, out_row_d, '0)
  `VP_FF(slot_filled_q, slot_filled_d, '0)
  `VP_FF(done_q, done_d, 1'b0)

  // The arriving beat's register: loaded when taken, empty once its last chunk fires.
  logic beat_take;
  assign beat_take = beat_valid_i && beat_ready_o;
  `VP_FFL(beat_q, beat_i, beat_take, '0)
  `VP_FFL(beat_valid_q, beat_take, beat_take || (chunk_fire && in_chunk_q == CW'(CHUNKS - 1)), 1'b0)

  // Counters and slot state whose _d the always_combs above compute
  `VP_FF(in_beat_q, in_beat_d, '0)
  `VP_FF(in_chunk_q, in_chunk_d, '0)
  `VP_FF(term_slot_q, term_slot_d, '0)
  `VP_FF(term_group_q, term_group_d, '0)
  `VP_FF(slot_busy_q, slot_busy_d, '0)
  `VP_FF(slot_done_q, slot_done_d, '0)
  `VP_FF(acc_inflight_q, acc_inflight_d, '0)
  `VP_FF(out_slot_q, out_slot_d, '0)
  `VP_FF(add_issue_q, add_issue_d, 1'b0)
  `VP_FF(add_slot_q, add_slot_d, '0)
  `VP_FFL(running_isum_q, wr_close_q ? '0 : running_isum_q + chunk_sum,
          st_valid_q[WS] && wr_weights_q && wide_groups, '0)
  for (genvar s = 0; s < ACCUMULATORS; s++) begin : g_slot
    `VP_FF(terms_ready_q[s], terms_ready_d[s], '0)
    `VP_FF(acc_group_q[s], acc_group_d[s], '0)
    // A row's chain starts from +0 as its last chunk enters; each add's result replaces it.
    `VP_FFL(acc_val_q[s], add_valid && add_done_slot == SW'(s) ? add_result : '0,
            (chunk_fire && row_last_chunk && in_slot_q == SW'(s)) || (add_valid && add_done_slot == SW'(s)), '0)
  end

  // Tag FIFOs of the in-order multipliers and the adder: the entries are plain memories, the
  // pointers reset flops.
  always_ff @(posedge clk_i)
    if (term_issue) tag1_q[tag1_wr_q] <= {term_slot_q, GW'(term_group_q)};
  always_ff @(posedge clk_i)
    if (mul1_valid) tag2_q[tag2_wr_q] <= tag1_q[tag1_rd_q];
  always_ff @(posedge clk_i)
    if (add_issue_q) acc_tag_q[acc_tag_wr_q] <= add_slot_q;
  `VP_FFL(tag1_wr_q, tag1_wr_q + 1'b1, term_issue, '0)
  `VP_FFL(tag1_rd_q, tag1_rd_q + 1'b1, mul1_valid, '0)
  `VP_FFL(tag2_wr_q, tag2_wr_q + 1'b1, mul1_valid, '0)
  `VP_FFL(tag2_rd_q, tag2_rd_q + 1'b1, mul2_valid, '0)
  `VP_FFL(acc_tag_wr_q, acc_tag_wr_q + 1'b1, add_issue_q, '0)
  `VP_FFL(acc_tag_rd_q, acc_tag_rd_q + 1'b1, add_valid, '0)

endmodule
