// WEIGHT_PORTS Q8_0 matrix-vector engines (llama_gemv), one per weight port, working on one
// matrix together. Rows are interleaved over the ports (hls/device_layout.h): row r is row
// r / WEIGHT_PORTS of port r % WEIGHT_PORTS's slice, at the same offset in every port's buffer.
// Each engine streams its slice from its own port at one beat a cycle; their results are merged
// round-robin (engine 0, 1, ..., WEIGHT_PORTS-1, 0, ...), which is the matrix's row order, so
// the consumer sees one in-order stream as from a single engine (the logits ring and the
// scratchpad take one result a cycle). An engine that runs ahead keeps its finished rows in its
// ACCUMULATORS slots and stops taking beats when they are full.
// With several ports the command is registered first (one cycle), so the engines see their row
// counts and bases from flops; with one port the engine takes the command directly.
// The activations (xq, xs) are broadcast: every engine holds its own copy.
// Weight streams, per port:
//   PREFETCH_BEATS = 0: the engine's start requests its slice of the matrix from the port's read
//     master in one request (the read master cuts it into 4 KiB bursts), whose beats go straight
//     to the engine: each matmul waits for its request's round trip.
//   PREFETCH_BEATS > 0: llama_weight_prefetch reads the matrices the sequencer names on the
//     prefetch port (pf_*), in the order the matmul commands run them, into its beat FIFO; a
//     matrix may be named while the one before still streams or computes, so the next rows (and
//     the next phase's first rows) are read while the current ones compute. The prefetch command
//     is registered once (each port's slice: weights + offset, rows p, p + P, ... below rows).
//     The matmul command's offset_i is then unused.
`include "vp_registers.svh"

module llama_gemv_array #(
  parameter int unsigned WEIGHT_PORTS   = 1,
  parameter int unsigned MAC_LANES      = 64,
  parameter int unsigned MAX_COLS       = 4096,
  parameter int unsigned MAX_ROW_GROUPS = 128,
  parameter int unsigned ACCUMULATORS   = 8,
  parameter int unsigned XQ_LANES       = 16,  // xq bytes written a cycle (llama_gemv)
  parameter int unsigned PREFETCH_BEATS = 0,   // per port beat FIFO (llama_weight_prefetch); 0: none
  localparam int unsigned BEAT_BITS     = 512,
  localparam int unsigned ADDR_WIDTH    = 64,
  localparam int unsigned PW            = WEIGHT_PORTS > 1 ? $clog2(WEIGHT_PORTS) : 1
) (
  input  logic                                 clk_i,
  input  logic                                 rst_ni,
  // Command: stable from start_i until done_o
  input  logic                                 start_i,
  input  logic [WEIGHT_PORTS*ADDR_WIDTH-1:0] weights_i,  // each port's buffer
  input  logic [ADDR_WIDTH-1:0]                offset_i,      // the matrix inside every buffer
  input  logic [31:0]                          rows_i,
  input  logic [15:0]                          cols_i,
  input  logic [3:0]                           gs_log2_i,
  input  logic [15:0]                          row_beats_i,
  output logic                                 done_o,        // pulse: every result has been taken
  // Prefetch (PREFETCH_BEATS > 0): the next matrix to read; every matmul command's matrix is named
  // here first, in command order (always ready with PREFETCH_BEATS = 0, and ignored)
  input  logic                                 pf_valid_i,
  output logic                                 pf_ready_o,    // every port has requested the last one
  input  logic [ADDR_WIDTH-1:0]                pf_offset_i,   // the matrix inside every buffer
  input  logic [31:0]                          pf_rows_i,
  input  logic [15:0]                          pf_row_beats_i,
  // Per port: read requests and beats of the weight stream
  output logic [WEIGHT_PORTS-1:0]              req_valid_o,
  input  logic [WEIGHT_PORTS-1:0]              req_ready_i,
  output logic [WEIGHT_PORTS*ADDR_WIDTH-1:0] req_addr_o,
  output logic [WEIGHT_PORTS*32-1:0]        req_bytes_o,
  input  logic [WEIGHT_PORTS-1:0]              beat_valid_i,
  output logic [WEIGHT_PORTS-1:0]              beat_ready_o,
  input  logic [WEIGHT_PORTS*BEAT_BITS-1:0] beat_i,
  // Activations (written by the vector unit's quantization)
  input  logic                                 xq_we_i,
  input  logic [$clog2(MAX_COLS)-1:0]          xq_idx_i,
  input  logic [XQ_LANES-1:0]                  xq_mask_i,
  input  logic [8*XQ_LANES-1:0]                xq_data_i,
  input  logic                                 xs_we_i,
  input  logic [$clog2(MAX_ROW_GROUPS)-1:0]    xs_idx_i,
  input  logic [31:0]                          xs_data_i,
  // Results, in row order
  output logic                                 res_valid_o,
  input  logic                                 res_ready_i,
  output logic [31:0]                          res_row_o,
  output logic [31:0]                          res_data_o
);

  // Rows of port p's slice: p, p + P, p + 2P, ... below `rows` (a division by a constant).
  function automatic logic [31:0] port_rows(input logic [31:0] rows, input int unsigned p);
    port_rows = rows > p ? (rows - p + WEIGHT_PORTS - 1) / WEIGHT_PORTS : '0;
  endfunction

  // ---- the command each engine sees ----
  logic                                   eng_start;
  logic [WEIGHT_PORTS*ADDR_WIDTH-1:0] eng_base;
  logic [WEIGHT_PORTS*32-1:0]          eng_rows;

  if (WEIGHT_PORTS == 1) begin : g_direct
    assign eng_start   = start_i;
    assign eng_base[ADDR_WIDTH-1:0] = weights_i[ADDR_WIDTH-1:0] + offset_i;
    assign eng_rows[31:0] = rows_i;
  end else begin : g_registered
    logic                                   start_q;
    logic [WEIGHT_PORTS*ADDR_WIDTH-1:0] base_q;
    logic [WEIGHT_PORTS*32-1:0]          rows_q;
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        start_q <= 1'b0;
        base_q  <= '0;
        rows_q  <= '0;
      end else begin
        start_q <= start_i;
        if (start_i)
          for (int unsigned p = 0; p < WEIGHT_PORTS; p++) begin
            base_q[ADDR_WIDTH*p+:ADDR_WIDTH] <= weights_i[ADDR_WIDTH*p+:ADDR_WIDTH] + offset_i;
            rows_q[32*p+:32] <= port_rows(rows_i, p);
          end
      end
    end
    assign eng_start = start_q;
    assign eng_base  = base_q;
    assign eng_rows  = rows_q;
  end

  // ---- weight streams ----
  logic [WEIGHT_PORTS-1:0]           eng_beat_valid, eng_beat_ready;
  logic [WEIGHT_PORTS*BEAT_BITS-1:0] eng_beat;

  if (PREFETCH_BEATS == 0) begin : g_request
    // The engine's start requests its whole slice; the request waits until the read master takes it.
    assign pf_ready_o = 1'b1;
    for (genvar p = 0; p < WEIGHT_PORTS; p++) begin : g_port
      logic pending_q, pending_d;
      assign pending_d = (eng_start && eng_rows[32*p+:32] != 0) || (pending_q && !req_ready_i[p]);
      `VP_FF(pending_q, pending_d, 1'b0)
      assign req_valid_o[p]                          = pending_q;
      assign req_addr_o[ADDR_WIDTH*p+:ADDR_WIDTH]    = eng_base[ADDR_WIDTH*p+:ADDR_WIDTH];
      assign req_bytes_o[32*p+:32]                   = eng_rows[32*p+:32] * 32'(row_beats_i) * (BEAT_BITS / 8);
      assign eng_beat_valid[p]                       = beat_valid_i[p];
      assign beat_ready_o[p]                         = eng_beat_ready[p];
      assign eng_beat[BEAT_BITS*p+:BEAT_BITS]        = beat_i[BEAT_BITS*p+:BEAT_BITS];
    end
    logic unused_prefetch;
    assign unused_prefetch = ^{pf_valid_i, pf_offset_i, pf_rows_i, pf_row_beats_i};
  end else begin : g_prefetch
    // The prefetch command, registered: each port's base and bytes.
    logic                               pf_valid_q, pf_valid_d;
    logic [WEIGHT_PORTS*ADDR_WIDTH-1:0] pf_base_q, pf_base_d;
    logic [WEIGHT_PORTS*32-1:0]         pf_bytes_q, pf_bytes_d;
    logic [WEIGHT_PORTS-1:0]            pf_port_ready;
    logic                               pf_take;
    assign pf_ready_o = !pf_valid_q && &pf_port_ready;
    assign pf_take    = pf_valid_i && pf_ready_o;
    always_comb begin
      pf_valid_d = pf_take || (pf_valid_q && !(&pf_port_ready));  // held until every port took it
      for (int unsigned p = 0; p < WEIGHT_PORTS; p++) begin
        pf_base_d[ADDR_WIDTH*p+:ADDR_WIDTH] = weights_i[ADDR_WIDTH*p+:ADDR_WIDTH] + pf_offset_i;
        pf_bytes_d[32*p+:32] = port_rows(pf_rows_i, p) * 32'(pf_row_beats_i) * (BEAT_BITS / 8);
      end
    end
    `VP_FF(pf_valid_q, pf_valid_d, 1'b0)
    `VP_FFL(pf_base_q, pf_base_d, pf_take, '0)
    `VP_FFL(pf_bytes_q, pf_bytes_d, pf_take, '0)

    for (genvar p = 0; p < WEIGHT_PORTS; p++) begin : g_port
      llama_weight_prefetch #(
        .PREFETCH_BEATS(PREFETCH_BEATS)
      ) u_stream (
        .clk_i       (clk_i),
        .rst_ni      (rst_ni),
        .cmd_valid_i (pf_valid_q),
        .cmd_ready_o (pf_port_ready[p]),
        .cmd_base_i  (pf_base_q[ADDR_WIDTH*p+:ADDR_WIDTH]),
        .cmd_bytes_i (pf_bytes_q[32*p+:32]),
        .req_valid_o (req_valid_o[p]),
        .req_ready_i (req_ready_i[p]),
        .req_addr_o  (req_addr_o[ADDR_WIDTH*p+:ADDR_WIDTH]),
        .req_bytes_o (req_bytes_o[32*p+:32]),
        .beat_valid_i(beat_valid_i[p]),
        .beat_ready_o(beat_ready_o[p]),
        .beat_i      (beat_i[BEAT_BITS*p+:BEAT_BITS]),
        .out_valid_o (eng_beat_valid[p]),
        .out_ready_i (eng_beat_ready[p]),
        .out_o       (eng_beat[BEAT_BITS*p+:BEAT_BITS])
      );
    end
    logic unused_base;
    assign unused_base = ^{eng_base, offset_i};
  end

  // ---- engines ----
  logic [WEIGHT_PORTS-1:0]       eng_res_valid, eng_res_ready;
  logic [WEIGHT_PORTS*32-1:0] eng_res_data;
  logic [WEIGHT_PORTS-1:0]       eng_done;
  logic [WEIGHT_PORTS*32-1:0] eng_res_row;

  for (genvar p = 0; p < WEIGHT_PORTS; p++) begin : g_engine
    llama_gemv #(
      .MAC_LANES     (MAC_LANES),
      .MAX_COLS      (MAX_COLS),
      .MAX_ROW_GROUPS(MAX_ROW_GROUPS),
      .ACCUMULATORS  (ACCUMULATORS),
      .XQ_LANES      (XQ_LANES)
    ) u_gemv (
      .clk_i       (clk_i),
      .rst_ni      (rst_ni),
      .start_i     (eng_start && eng_rows[32*p+:32] != 0),  // an engine without rows stays idle
      .rows_i      (eng_rows[32*p+:32]),
      .cols_i      (cols_i),
      .gs_log2_i   (gs_log2_i),
      .row_beats_i (row_beats_i),
      .done_o      (eng_done[p]),
      .beat_valid_i(eng_beat_valid[p]),
      .beat_ready_o(eng_beat_ready[p]),
      .beat_i      (eng_beat[BEAT_BITS*p+:BEAT_BITS]),
      .xq_we_i     (xq_we_i),
      .xq_idx_i    (xq_idx_i),
      .xq_mask_i   (xq_mask_i),
      .xq_data_i   (xq_data_i),
      .xs_we_i     (xs_we_i),
      .xs_idx_i    (xs_idx_i),
      .xs_data_i   (xs_data_i),
      .res_valid_o (eng_res_valid[p]),
      .res_ready_i (eng_res_ready[p]),
      .res_row_o   (eng_res_row[32*p+:32]),
      .res_data_o  (eng_res_data[32*p+:32])
    );
  end

  // ---- round-robin merge: row r comes from engine r % WEIGHT_PORTS ----
  logic [PW-1:0] sel_q;
  logic [31:0]   merged_q;  // results handed out
  logic          res_fire;
  assign res_valid_o = eng_res_valid[sel_q] && merged_q < rows_i;
  assign res_data_o  = eng_res_data[32*sel_q+:32];
  assign res_row_o   = merged_q;
  assign res_fire    = res_valid_o && res_ready_i;
  for (genvar p = 0; p < WEIGHT_PORTS; p++) begin : g_ready
    assign eng_res_ready[p] = res_ready_i && sel_q == PW'(p) && merged_q < rows_i;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      sel_q    <= '0;
      merged_q <= '0;
      done_o   <= 1'b0;
    end else begin
      done_o <= 1'b0;
      if (start_i) begin
        sel_q    <= '0;
        merged_q <= '0;
      end else if (res_fire) begin
        sel_q    <= sel_q == PW'(WEIGHT_PORTS - 1) ? '0 : sel_q + 1'b1;
        merged_q <= merged_q + 1;
        if (merged_q + 1 == rows_i) done_o <= 1'b1;
      end
    end
  end

  // The engines' own done pulses and row numbers are implied by the merge.
  logic unused_signals;
  assign unused_signals = ^{eng_done, eng_res_row};

endmodule
