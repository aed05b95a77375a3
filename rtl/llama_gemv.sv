// Q8_0 matrix-vector engine: out[r] = dot_q8(W[r,:], xq, xs) for rows r = 0..rows-1, exactly
// as vp::arith::dot_q8 (hls/llama_arith.h): int8 products summed exactly in int32 per group,
// then, groups in order, val += ((float)isum * w_scale) * x_scale from val = +0.
//
// Rows are Q8_0 rows of the device image (hls/device_layout.h): `cols` int8 weights, then
// cols/gs fp32 scales, padded to row_beats 64-byte beats; row r starts at base + r * stride,
// 64-byte aligned. The engine asks the read master for one row per request (as the hls/ kernel
// reads one row per call) and keeps asking ahead; the read master bounds what is in flight.
//
// Microarchitecture, three stages:
//   MAC:     MAC_LANES bytes of a beat per cycle (a 64-byte beat takes 64 / MAC_LANES cycles):
//            products with the int8 activations, an adder tree whose level log2(gs) gives the
//            group sums of the chunk (groups wider than the chunk accumulate across chunks);
//            the scale words of the row land beside them. One of ACCUMULATORS row slots holds
//            a row's group sums and scales.
//   TERM:    one pipelined pair of multipliers turns the groups of the oldest complete row into
//            terms (float(isum) * w_scale) * x_scale, one group per cycle.
//   ACCUM:   per slot a chain val += term in group order (one add in flight: the order is the
//            spec's) on one pipelined adder shared by the ACCUMULATORS slots, so the chains of
//            several rows interleave and hide behind the stream.
// Results leave in row order through a valid/ready port.
module llama_gemv #(
  parameter int unsigned MAC_LANES      = 64,
  parameter int unsigned MAX_COLS       = 4096,
  parameter int unsigned MAX_ROW_GROUPS = 128,
  parameter int unsigned ACCUMULATORS   = 8,
  localparam int unsigned BEAT_BYTES    = 64,
  localparam int unsigned ADDR_WIDTH    = 64
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  // Command: stable from start_i until done_o
  input  logic                  start_i,
  input  logic [ADDR_WIDTH-1:0] base_i,       // row 0
  input  logic [31:0]           rows_i,
  input  logic [15:0]           cols_i,
  input  logic [3:0]            gs_log2_i,    // group size = 1 << gs_log2_i, >= 4
  input  logic [15:0]           row_beats_i,  // stride / 64
  output logic                  done_o,       // pulse: every result has been taken
  // Row read requests to the weight port's read master
  output logic                  req_valid_o,
  input  logic                  req_ready_i,
  output logic [ADDR_WIDTH-1:0] req_addr_o,
  output logic [31:0]           req_bytes_o,
  // Row beats
  input  logic                  beat_valid_i,
  output logic                  beat_ready_o,
  input  logic [8*BEAT_BYTES-1:0] beat_i,
  // Activations (written by the vector unit's quantization)
  input  logic                  xq_we_i,
  input  logic [$clog2(MAX_COLS)-1:0] xq_idx_i,
  input  logic [7:0]            xq_data_i,
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
  localparam int unsigned TW           = $clog2(LANE_LOG2 + 1);
  localparam int unsigned TAGS         = 8;  // >= multiplier latency

  // ---- activations ----
  logic [8*MAC_LANES-1:0] xq_mem [XQ_ROWS];
  logic [31:0]            xs_mem [MAX_ROW_GROUPS];

  always_ff @(posedge clk_i) begin
    if (xq_we_i) xq_mem[xq_idx_i[$clog2(MAX_COLS)-1:LANE_LOG2]][8*xq_idx_i[LANE_LOG2-1:0]+:8] <= xq_data_i;
    if (xs_we_i) xs_mem[xs_idx_i] <= xs_data_i;
  end

  // ---- row geometry ----
  logic [GCW-1:0] groups;  // cols / gs
  assign groups = GCW'(cols_i >> gs_log2_i);

  // ---- run control ----
  logic        running_q;
  logic [31:0] req_row_q;     // next row to request
  logic [ADDR_WIDTH-1:0] req_addr_q;
  logic [31:0] in_row_q;      // row whose beats are arriving
  logic [15:0] in_beat_q;
  logic [CW-1:0] in_chunk_q;
  logic [SW-1:0] in_slot_q;
  logic [31:0] out_row_q;     // next result to hand out
  logic [SW-1:0] out_slot_q;

  assign req_valid_o = running_q && req_row_q < rows_i;
  assign req_addr_o  = req_addr_q;
  assign req_bytes_o = 32'(row_beats_i) * BEAT_BYTES;

  // ---- slots ----
  // free: may take a new row; filled: row received, waiting for or in TERM; the accumulator
  // runs while terms arrive; done: result waits for hand-out.
  logic [ACCUMULATORS-1:0] slot_busy_q, slot_filled_q, slot_done_q;
  logic [31:0]             isum_q [ACCUMULATORS][MAX_ROW_GROUPS];
  logic [31:0]             wscale_q [ACCUMULATORS][MAX_ROW_GROUPS];
  logic [31:0]             term_q [ACCUMULATORS][MAX_ROW_GROUPS];
  logic [GCW-1:0]          terms_ready_q [ACCUMULATORS];
  logic [GCW-1:0]          acc_group_q [ACCUMULATORS];
  logic [ACCUMULATORS-1:0] acc_inflight_q;
  logic [31:0]             acc_val_q [ACCUMULATORS];
  logic [31:0]             running_isum_q;  // groups wider than a chunk

  // ---- MAC stage ----
  logic [15:0] chunk_offset;  // byte offset of this chunk inside the row
  assign chunk_offset = 16'(in_beat_q * BEAT_BYTES + 32'(in_chunk_q) * MAC_LANES);

  // The arriving beat is registered first, so the MAC tree works from flops, not from the bus.
  logic                    beat_valid_q;
  logic [8*BEAT_BYTES-1:0] beat_q;
  logic [8*MAC_LANES-1:0]  w_bytes, x_bytes;
  assign w_bytes = beat_q[8*MAC_LANES*in_chunk_q+:8*MAC_LANES];
  assign x_bytes = xq_mem[XQ_AW'(chunk_offset >> LANE_LOG2)];

  // Adder tree: level k holds MAC_LANES >> k sums of 2^k consecutive products.
  logic signed [31:0] tree [LANE_LOG2+1][MAC_LANES];
  always_comb begin
    for (int unsigned k = 0; k <= LANE_LOG2; k++)
      for (int unsigned j = 0; j < MAC_LANES; j++) tree[k][j] = '0;
    for (int unsigned j = 0; j < MAC_LANES; j++) begin
      if (32'(chunk_offset) + j < 32'(cols_i))
        tree[0][j] = 32'(signed'(w_bytes[8*j+:8])) * 32'(signed'(x_bytes[8*j+:8]));
    end
    for (int unsigned k = 1; k <= LANE_LOG2; k++)
      for (int unsigned j = 0; j < (MAC_LANES >> k); j++) tree[k][j] = tree[k-1][2*j] + tree[k-1][2*j+1];
  end

  logic chunk_fire, row_last_chunk, wide_groups;
  assign wide_groups    = 32'(gs_log2_i) > LANE_LOG2;
  assign chunk_fire     = running_q && in_row_q < rows_i && !slot_busy_q[in_slot_q] && beat_valid_q;
  assign beat_ready_o   = running_q && (!beat_valid_q || (chunk_fire && in_chunk_q == CW'(CHUNKS - 1)));
  assign row_last_chunk = in_beat_q == row_beats_i - 1'b1 && in_chunk_q == CW'(CHUNKS - 1);

  // ---- TERM stage: (float(isum) * w_scale) * x_scale ----
  logic [SW-1:0]  term_slot_q;
  logic [GCW-1:0] term_group_q;
  logic           term_issue;
  logic [31:0]    isum_float;
  assign term_issue = running_q && slot_filled_q[term_slot_q] && term_group_q < groups;

  fp32_from_int u_isum_float (
    .int_i   (isum_q[term_slot_q][GW'(term_group_q)]),
    .result_o(isum_float)
  );

  // Tags follow the operations through the in-order multipliers.
  logic [SW+GW-1:0] tag1_q [TAGS], tag2_q [TAGS];
  logic [2:0]       tag1_wr_q, tag1_rd_q, tag2_wr_q, tag2_rd_q;
  logic             mul1_valid, mul2_valid;
  logic [31:0]      mul1_result, mul2_result;
  logic [SW-1:0]    mul2_slot;
  logic [GW-1:0]    mul1_group, mul2_group;
  assign mul1_group = tag1_q[tag1_rd_q][GW-1:0];
  assign {mul2_slot, mul2_group} = tag2_q[tag2_rd_q];

  fp32_mul u_term_mul1 (
    .clk_i,
    .rst_ni,
    .valid_i (term_issue),
    .a_i     (isum_float),
    .b_i     (wscale_q[term_slot_q][GW'(term_group_q)]),
    .valid_o (mul1_valid),
    .result_o(mul1_result)
  );

  fp32_mul u_term_mul2 (
    .clk_i,
    .rst_ni,
    .valid_i (mul1_valid),
    .a_i     (mul1_result),
    .b_i     (xs_mem[mul1_group]),
    .valid_o (mul2_valid),
    .result_o(mul2_result)
  );

  // ---- ACCUM stage: one pipelined adder shared by the slots ----
  // Each slot chains its own adds (one in flight); the adder takes one add a cycle from the
  // slot holding the oldest row among those ready, so up to fadd-latency + 1 chains interleave.
  logic [ACCUMULATORS-1:0] add_ready;
  logic                    add_issue, add_valid;
  logic [SW-1:0]           add_slot, add_done_slot;
  logic [31:0]             add_result;
  logic [SW-1:0]           acc_tag_q [TAGS];
  logic [2:0]              acc_tag_wr_q, acc_tag_rd_q;
  for (genvar s = 0; s < ACCUMULATORS; s++) begin : g_acc_ready
    assign add_ready[s] = slot_busy_q[s] && !slot_done_q[s] && !acc_inflight_q[s] &&
                          acc_group_q[s] < terms_ready_q[s];
  end
  always_comb begin
    add_issue = 1'b0;
    add_slot  = out_slot_q;
    for (int unsigned k = 0; k < ACCUMULATORS; k++) begin
      logic [SW-1:0] s;
      s = SW'((32'(out_slot_q) + k) % ACCUMULATORS);
      if (!add_issue && add_ready[s]) begin
        add_issue = 1'b1;
        add_slot  = s;
      end
    end
  end
  assign add_done_slot = acc_tag_q[acc_tag_rd_q];

  fp32_add u_acc_add (
    .clk_i,
    .rst_ni,
    .valid_i (add_issue),
    .a_i     (acc_val_q[add_slot]),
    .b_i     (term_q[add_slot][GW'(acc_group_q[add_slot])]),
    .sub_i   (1'b0),
    .valid_o (add_valid),
    .result_o(add_result)
  );

  // ---- results ----
  logic res_fire;
  assign res_valid_o = running_q && slot_done_q[out_slot_q] && out_row_q < rows_i;
  assign res_row_o   = out_row_q;
  assign res_data_o  = acc_val_q[out_slot_q];
  assign res_fire    = res_valid_o && res_ready_i;

  function automatic logic [SW-1:0] next_slot(input logic [SW-1:0] s);
    next_slot = s == SW'(ACCUMULATORS - 1) ? '0 : s + 1'b1;
  endfunction

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      running_q      <= 1'b0;
      req_row_q      <= '0;
      req_addr_q     <= '0;
      in_row_q       <= '0;
      in_beat_q      <= '0;
      in_chunk_q     <= '0;
      in_slot_q      <= '0;
      out_row_q      <= '0;
      out_slot_q     <= '0;
      term_slot_q    <= '0;
      term_group_q   <= '0;
      slot_busy_q    <= '0;
      slot_filled_q  <= '0;
      slot_done_q    <= '0;
      acc_inflight_q <= '0;
      running_isum_q <= '0;
      tag1_wr_q      <= '0;
      tag1_rd_q      <= '0;
      tag2_wr_q      <= '0;
      tag2_rd_q      <= '0;
      acc_tag_wr_q   <= '0;
      acc_tag_rd_q   <= '0;
      beat_valid_q   <= 1'b0;
      beat_q         <= '0;
      done_o         <= 1'b0;
      for (int unsigned s = 0; s < ACCUMULATORS; s++) begin
        terms_ready_q[s] <= '0;
        acc_group_q[s]   <= '0;
        acc_val_q[s]     <= '0;
      end
    end else begin
      done_o <= 1'b0;
      if (start_i) begin
        running_q    <= 1'b1;
        req_row_q    <= '0;
        req_addr_q   <= base_i;
        in_row_q     <= '0;
        in_beat_q    <= '0;
        in_chunk_q   <= '0;
        in_slot_q    <= '0;
        out_row_q    <= '0;
        out_slot_q   <= '0;
        term_slot_q  <= '0;
        term_group_q <= '0;
      end
      if (beat_valid_i && beat_ready_o) begin
        beat_q       <= beat_i;
        beat_valid_q <= 1'b1;
      end else if (chunk_fire && in_chunk_q == CW'(CHUNKS - 1)) begin
        beat_valid_q <= 1'b0;
      end
      if (req_valid_o && req_ready_i) begin
        req_row_q  <= req_row_q + 1;
        req_addr_q <= req_addr_q + ADDR_WIDTH'(req_bytes_o);
      end

      // MAC stage
      if (chunk_fire) begin
        if (32'(chunk_offset) < 32'(cols_i)) begin
          if (wide_groups) begin
            // The chunk is part of one group; it closes at the group's last byte.
            if (((32'(chunk_offset) + MAC_LANES) & ((32'd1 << gs_log2_i) - 1)) == 0) begin
              isum_q[in_slot_q][GW'(32'(chunk_offset) >> gs_log2_i)] <= running_isum_q + tree[LANE_LOG2][0];
              running_isum_q <= '0;
            end else begin
              running_isum_q <= running_isum_q + tree[LANE_LOG2][0];
            end
          end else begin
            for (int unsigned m = 0; m < MAC_LANES / 4; m++) begin
              if (m < (MAC_LANES >> gs_log2_i) &&
                  32'(chunk_offset) + (m << gs_log2_i) < 32'(cols_i))
                isum_q[in_slot_q][GW'((32'(chunk_offset) >> gs_log2_i) + m)] <= tree[TW'(gs_log2_i)][m];
            end
          end
        end
        // Scale words of the row: word w of the row is scale w - cols/4.
        for (int unsigned i = 0; i < CHUNK_WORDS; i++) begin
          if (32'(chunk_offset) / 4 + i >= 32'(cols_i) / 4 &&
              32'(chunk_offset) / 4 + i - 32'(cols_i) / 4 < 32'(groups))
            wscale_q[in_slot_q][GW'(32'(chunk_offset) / 4 + i - 32'(cols_i) / 4)] <= w_bytes[32*i+:32];
        end
        in_chunk_q <= in_chunk_q == CW'(CHUNKS - 1) ? '0 : in_chunk_q + 1'b1;
        if (in_chunk_q == CW'(CHUNKS - 1)) in_beat_q <= in_beat_q + 1'b1;
        if (row_last_chunk) begin
          slot_busy_q[in_slot_q]   <= 1'b1;
          slot_filled_q[in_slot_q] <= 1'b1;
          terms_ready_q[in_slot_q] <= '0;
          acc_group_q[in_slot_q]   <= '0;
          acc_val_q[in_slot_q]     <= '0;
          in_beat_q                <= '0;
          in_row_q                 <= in_row_q + 1;
          in_slot_q                <= next_slot(in_slot_q);
        end
      end

      // TERM stage
      if (term_issue) begin
        tag1_q[tag1_wr_q] <= {term_slot_q, GW'(term_group_q)};
        tag1_wr_q         <= tag1_wr_q + 1'b1;
        if (term_group_q + 1'b1 == groups) begin
          slot_filled_q[term_slot_q] <= 1'b0;
          term_group_q               <= '0;
          term_slot_q                <= next_slot(term_slot_q);
        end else begin
          term_group_q <= term_group_q + 1'b1;
        end
      end
      if (mul1_valid) begin
        tag2_q[tag2_wr_q] <= tag1_q[tag1_rd_q];
        tag2_wr_q         <= tag2_wr_q + 1'b1;
        tag1_rd_q         <= tag1_rd_q + 1'b1;
      end
      if (mul2_valid) begin
        term_q[mul2_slot][mul2_group] <= mul2_result;
        terms_ready_q[mul2_slot]      <= terms_ready_q[mul2_slot] + 1'b1;
        tag2_rd_q                     <= tag2_rd_q + 1'b1;
      end

      // ACCUM stage
      if (add_issue) begin
        acc_inflight_q[add_slot]  <= 1'b1;
        acc_tag_q[acc_tag_wr_q]   <= add_slot;
        acc_tag_wr_q              <= acc_tag_wr_q + 1'b1;
      end
      if (add_valid) begin
        acc_inflight_q[add_done_slot] <= 1'b0;
        acc_val_q[add_done_slot]      <= add_result;
        acc_group_q[add_done_slot]    <= acc_group_q[add_done_slot] + 1'b1;
        acc_tag_rd_q                  <= acc_tag_rd_q + 1'b1;
        if (acc_group_q[add_done_slot] + 1'b1 == groups) slot_done_q[add_done_slot] <= 1'b1;
      end

      // Hand-out
      if (res_fire) begin
        slot_done_q[out_slot_q] <= 1'b0;
        slot_busy_q[out_slot_q] <= 1'b0;
        out_slot_q              <= next_slot(out_slot_q);
        out_row_q               <= out_row_q + 1;
        if (out_row_q + 1 == rows_i) begin
          running_q <= 1'b0;
          done_o    <= 1'b1;
        end
      end
    end
  end

endmodule
