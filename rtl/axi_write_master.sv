// AXI4 write master (AW, W and B channels of an m_axi port). The datapath asks for (address,
// byte length) and then supplies the data as whole bus beats, lane aligned: the byte for
// req_addr_i sits in lane req_addr_i % (DATA_WIDTH / 8) of the first beat. The master cuts the
// transfer into legal INCR bursts (axi_burst_splitter), keeps up to MAX_OUTSTANDING bursts
// without a write response, and masks WSTRB on the first and last beat so exactly the requested
// bytes are written. Requests may follow each other back to back; idle_o says that every
// accepted write has been answered, i.e. is visible in memory.
module axi_write_master #(
  parameter int unsigned DATA_WIDTH      = 512,
  parameter int unsigned ADDR_WIDTH      = 64,
  parameter int unsigned BYTES_WIDTH     = 32,
  parameter int unsigned MAX_OUTSTANDING = 16,
  parameter int unsigned MAX_BURST_BEATS = 256,
  parameter int unsigned BOUNDARY_BYTES  = 4096
) (
  input  logic                    clk_i,
  input  logic                    rst_ni,
  // Request
  input  logic                    req_valid_i,
  output logic                    req_ready_o,
  input  logic [ADDR_WIDTH-1:0]   req_addr_i,
  input  logic [BYTES_WIDTH-1:0]  req_bytes_i,
  // Write data, one bus beat per handshake
  input  logic                    data_valid_i,
  output logic                    data_ready_o,
  input  logic [DATA_WIDTH-1:0]   data_i,
  // A write response came back with BRESP != OKAY (one-cycle pulse)
  output logic                    error_o,
  // No request being split and every burst answered
  output logic                    idle_o,
  // AXI4 AW channel
  output logic                    m_axi_awvalid_o,
  input  logic                    m_axi_awready_i,
  output logic [ADDR_WIDTH-1:0]   m_axi_awaddr_o,
  output logic [7:0]              m_axi_awlen_o,
  output logic [2:0]              m_axi_awsize_o,
  output logic [1:0]              m_axi_awburst_o,
  // AXI4 W channel
  output logic                    m_axi_wvalid_o,
  input  logic                    m_axi_wready_i,
  output logic [DATA_WIDTH-1:0]   m_axi_wdata_o,
  output logic [DATA_WIDTH/8-1:0] m_axi_wstrb_o,
  output logic                    m_axi_wlast_o,
  // AXI4 B channel
  input  logic                    m_axi_bvalid_i,
  output logic                    m_axi_bready_o,
  input  logic [1:0]              m_axi_bresp_i
);

  localparam int unsigned BEAT_BYTES   = DATA_WIDTH / 8;
  localparam int unsigned OFFSET_WIDTH = $clog2(BEAT_BYTES);
  localparam int unsigned LANE_WIDTH   = $clog2(BEAT_BYTES + 1);
  localparam int unsigned PTR_WIDTH    = MAX_OUTSTANDING > 1 ? $clog2(MAX_OUTSTANDING) : 1;
  localparam int unsigned COUNT_WIDTH  = $clog2(MAX_OUTSTANDING + 1);
  localparam logic [1:0]  BURST_INCR   = 2'b01;

  typedef logic [BEAT_BYTES-1:0] strb_t;
  localparam strb_t STRB_ALL = '1;

  // What the W channel needs to know of each burst, queued when its AW is loaded: the strobes
  // are formed at the W side from the request's head offset and tail byte count.
  localparam int unsigned ENTRY = 8 + 2 + OFFSET_WIDTH + LANE_WIDTH;
  typedef struct packed {
    logic [7:0]              len;
    logic                    first;        // first burst of its request: mask the first beat
    logic                    last;         // last burst of its request: mask the last beat
    logic [OFFSET_WIDTH-1:0] head_offset;
    logic [LANE_WIDTH-1:0]   tail_bytes;
  } w_burst_t;

  // Bursts from the splitter.
  logic                    split_valid, split_ready;
  logic [ADDR_WIDTH-1:0]   split_addr;
  logic [7:0]              split_len;
  logic                    split_first, split_last, split_busy;
  logic [OFFSET_WIDTH-1:0] split_head_offset;
  logic [LANE_WIDTH-1:0]   split_tail_bytes;

  axi_burst_splitter #(
    .BEAT_BYTES     (BEAT_BYTES),
    .ADDR_WIDTH     (ADDR_WIDTH),
    .BYTES_WIDTH    (BYTES_WIDTH),
    .MAX_BURST_BEATS(MAX_BURST_BEATS),
    .BOUNDARY_BYTES (BOUNDARY_BYTES)
  ) u_splitter (
    .clk_i,
    .rst_ni,
    .req_valid_i,
    .req_ready_o,
    .req_addr_i,
    .req_bytes_i,
    .burst_valid_o(split_valid),
    .burst_ready_i(split_ready),
    .burst_addr_o (split_addr),
    .burst_len_o  (split_len),
    .burst_first_o(split_first),
    .burst_last_o (split_last),
    .head_offset_o(split_head_offset),
    .tail_bytes_o (split_tail_bytes),
    .busy_o       (split_busy)
  );

  w_burst_t split_w;
  assign split_w = {split_len, split_first, split_last, split_head_offset, split_tail_bytes};

  // AW register; a burst takes an outstanding slot (and a W queue entry) when loaded here.
  logic                   aw_valid_q, aw_valid_d;
  logic [ADDR_WIDTH-1:0]  aw_addr_q, aw_addr_d;
  logic [7:0]             aw_len_q, aw_len_d;
  logic [COUNT_WIDTH-1:0] outstanding_q, outstanding_d;
  // W queue: bursts whose data has not all been sent, in AW order (entry k at [ENTRY*k +: ENTRY]).
  logic [ENTRY*MAX_OUTSTANDING-1:0] w_queue_q, w_queue_d;
  logic [PTR_WIDTH-1:0]           w_wr_ptr_q, w_wr_ptr_d, w_rd_ptr_q, w_rd_ptr_d;
  logic [COUNT_WIDTH-1:0]         w_count_q, w_count_d;
  logic [7:0]                     w_beat_q, w_beat_d;  // beat index inside the head burst

  logic aw_fire, load, w_fire, w_burst_done, b_fire, w_pending;
  w_burst_t w_head;

  assign aw_fire      = m_axi_awvalid_o && m_axi_awready_i;
  assign w_fire       = m_axi_wvalid_o && m_axi_wready_i;
  assign w_burst_done = w_fire && m_axi_wlast_o;
  assign b_fire       = m_axi_bvalid_i && m_axi_bready_o;
  assign load         = split_valid && (!aw_valid_q || aw_fire) &&
                        (outstanding_q < COUNT_WIDTH'(MAX_OUTSTANDING) || b_fire);
  assign split_ready  = load;
  assign w_pending    = w_count_q != '0;
  // Constant part-selects behind a pointer compare: cheap muxes in synthesis.
  always_comb begin
    w_head = w_queue_q[ENTRY-1:0];
    for (int unsigned k = 1; k < MAX_OUTSTANDING; k++) begin
      if (w_rd_ptr_q == PTR_WIDTH'(k)) w_head = w_queue_q[ENTRY*k+:ENTRY];
    end
  end

  function automatic logic [PTR_WIDTH-1:0] next_ptr(input logic [PTR_WIDTH-1:0] ptr);
    next_ptr = ptr == PTR_WIDTH'(MAX_OUTSTANDING - 1) ? '0 : ptr + 1'b1;
  endfunction

  always_comb begin
    aw_valid_d    = aw_valid_q;
    aw_addr_d     = aw_addr_q;
    aw_len_d      = aw_len_q;
    w_queue_d     = w_queue_q;
    w_wr_ptr_d    = w_wr_ptr_q;
    w_rd_ptr_d    = w_rd_ptr_q;
    w_beat_d      = w_beat_q;
    if (aw_fire) aw_valid_d = 1'b0;
    if (load) begin
      aw_valid_d = 1'b1;
      aw_addr_d  = split_addr;
      aw_len_d   = split_len;
      for (int unsigned k = 0; k < MAX_OUTSTANDING; k++) begin
        if (w_wr_ptr_q == PTR_WIDTH'(k)) w_queue_d[ENTRY*k+:ENTRY] = split_w;
      end
      w_wr_ptr_d = next_ptr(w_wr_ptr_q);
    end
    if (w_fire) w_beat_d = w_beat_q + 1'b1;
    if (w_burst_done) begin
      w_beat_d   = '0;
      w_rd_ptr_d = next_ptr(w_rd_ptr_q);
    end
    w_count_d     = w_count_q + COUNT_WIDTH'(load) - COUNT_WIDTH'(w_burst_done);
    outstanding_d = outstanding_q + COUNT_WIDTH'(load) - COUNT_WIDTH'(b_fire);
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      aw_valid_q    <= 1'b0;
      aw_addr_q     <= '0;
      aw_len_q      <= '0;
      outstanding_q <= '0;
      w_queue_q     <= '0;
      w_wr_ptr_q    <= '0;
      w_rd_ptr_q    <= '0;
      w_count_q     <= '0;
      w_beat_q      <= '0;
    end else begin
      aw_valid_q    <= aw_valid_d;
      aw_addr_q     <= aw_addr_d;
      aw_len_q      <= aw_len_d;
      outstanding_q <= outstanding_d;
      w_queue_q     <= w_queue_d;
      w_wr_ptr_q    <= w_wr_ptr_d;
      w_rd_ptr_q    <= w_rd_ptr_d;
      w_count_q     <= w_count_d;
      w_beat_q      <= w_beat_d;
    end
  end

  assign m_axi_awvalid_o = aw_valid_q;
  assign m_axi_awaddr_o  = aw_addr_q;
  assign m_axi_awlen_o   = aw_len_q;
  assign m_axi_awsize_o  = 3'(OFFSET_WIDTH);
  assign m_axi_awburst_o = BURST_INCR;

  // W beats come straight from the datapath once their burst's AW has been loaded (AXI lets W
  // run ahead of the AW handshake).
  assign m_axi_wvalid_o = data_valid_i && w_pending;
  assign data_ready_o   = m_axi_wready_i && w_pending;
  assign m_axi_wdata_o  = data_i;
  assign m_axi_wlast_o  = w_beat_q == w_head.len;
  // Strobes: lanes from the head offset up on a request's first beat, lanes below the tail
  // byte count on its last beat (both on a one-beat request).
  always_comb begin
    m_axi_wstrb_o = '1;
    if (w_head.first && w_beat_q == 8'd0) m_axi_wstrb_o = m_axi_wstrb_o & (STRB_ALL << w_head.head_offset);
    if (w_head.last && m_axi_wlast_o) begin
      m_axi_wstrb_o = m_axi_wstrb_o & (STRB_ALL >> (LANE_WIDTH'(BEAT_BYTES) - w_head.tail_bytes));
    end
  end

  assign m_axi_bready_o = 1'b1;
  assign error_o        = b_fire && m_axi_bresp_i != 2'b00;
  assign idle_o         = !split_busy && outstanding_q == '0;

endmodule
