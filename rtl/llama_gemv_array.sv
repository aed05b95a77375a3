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
module llama_gemv_array #(
  parameter int unsigned WEIGHT_PORTS   = 1,
  parameter int unsigned MAC_LANES      = 64,
  parameter int unsigned MAX_COLS       = 4096,
  parameter int unsigned MAX_ROW_GROUPS = 128,
  parameter int unsigned ACCUMULATORS   = 8,
  parameter int unsigned XQ_LANES       = 16,  // xq bytes written a cycle (llama_gemv)
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
  // Per port: row read requests and row beats
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
            // rows p, p + P, p + 2P, ... below rows_i
            rows_q[32*p+:32] <= rows_i > p ? (rows_i - p + WEIGHT_PORTS - 1) / WEIGHT_PORTS : '0;
          end
      end
    end
    assign eng_start = start_q;
    assign eng_base  = base_q;
    assign eng_rows  = rows_q;
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
      .base_i      (eng_base[ADDR_WIDTH*p+:ADDR_WIDTH]),
      .rows_i      (eng_rows[32*p+:32]),
      .cols_i      (cols_i),
      .gs_log2_i   (gs_log2_i),
      .row_beats_i (row_beats_i),
      .done_o      (eng_done[p]),
      .req_valid_o (req_valid_o[p]),
      .req_ready_i (req_ready_i[p]),
      .req_addr_o  (req_addr_o[ADDR_WIDTH*p+:ADDR_WIDTH]),
      .req_bytes_o (req_bytes_o[32*p+:32]),
      .beat_valid_i(beat_valid_i[p]),
      .beat_ready_o(beat_ready_o[p]),
      .beat_i      (beat_i[BEAT_BITS*p+:BEAT_BITS]),
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
