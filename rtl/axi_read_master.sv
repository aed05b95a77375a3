// AXI4 read master (AR and R channels of an m_axi port). The datapath asks for (address, byte
// length); the master cuts the transfer into legal INCR bursts (axi_burst_splitter), keeps up to
// MAX_OUTSTANDING of them in flight, and hands the read data on as whole bus beats, in order.
// The first beat holds the byte at req_addr_i in lane req_addr_i % (DATA_WIDTH / 8); lanes
// outside the requested bytes carry whatever memory holds there. Requests may follow each other
// back to back: data_last_o marks the last beat of each one.
// All bursts use ID 0, so R data returns in AR order and needs no reordering here.
module axi_read_master #(
  parameter int unsigned DATA_WIDTH      = 512,
  parameter int unsigned ADDR_WIDTH      = 64,
  parameter int unsigned BYTES_WIDTH     = 32,
  parameter int unsigned MAX_OUTSTANDING = 16,
  parameter int unsigned MAX_BURST_BEATS = 256,
  parameter int unsigned BOUNDARY_BYTES  = 4096
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  // Request
  input  logic                   req_valid_i,
  output logic                   req_ready_o,
  input  logic [ADDR_WIDTH-1:0]  req_addr_i,
  input  logic [BYTES_WIDTH-1:0] req_bytes_i,
  // Read data, one bus beat per handshake
  output logic                   data_valid_o,
  input  logic                   data_ready_i,
  output logic [DATA_WIDTH-1:0]  data_o,
  output logic                   data_last_o,   // last beat of a request
  output logic                   data_error_o,  // this beat came back with RRESP != OKAY
  // No request being split and no burst in flight
  output logic                   idle_o,
  // AXI4 AR channel
  output logic                   m_axi_arvalid_o,
  input  logic                   m_axi_arready_i,
  output logic [ADDR_WIDTH-1:0]  m_axi_araddr_o,
  output logic [7:0]             m_axi_arlen_o,
  output logic [2:0]             m_axi_arsize_o,
  output logic [1:0]             m_axi_arburst_o,
  // AXI4 R channel
  input  logic                   m_axi_rvalid_i,
  output logic                   m_axi_rready_o,
  input  logic [DATA_WIDTH-1:0]  m_axi_rdata_i,
  input  logic [1:0]             m_axi_rresp_i,
  input  logic                   m_axi_rlast_i
);

  localparam int unsigned BEAT_BYTES   = DATA_WIDTH / 8;
  localparam int unsigned OFFSET_WIDTH = $clog2(BEAT_BYTES);
  localparam int unsigned LANE_WIDTH   = $clog2(BEAT_BYTES + 1);
  localparam int unsigned PTR_WIDTH    = MAX_OUTSTANDING > 1 ? $clog2(MAX_OUTSTANDING) : 1;
  localparam int unsigned COUNT_WIDTH  = $clog2(MAX_OUTSTANDING + 1);
  localparam logic [1:0]  BURST_INCR   = 2'b01;

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

  // AR register; a burst takes an outstanding slot when it is loaded here.
  logic                   ar_valid_q, ar_valid_d;
  logic [ADDR_WIDTH-1:0]  ar_addr_q, ar_addr_d;
  logic [7:0]             ar_len_q, ar_len_d;
  logic [COUNT_WIDTH-1:0] outstanding_q, outstanding_d;
  // Per outstanding burst, in AR order: is it the last burst of its request?
  logic [MAX_OUTSTANDING-1:0] final_q, final_d;
  logic [PTR_WIDTH-1:0]       wr_ptr_q, wr_ptr_d, rd_ptr_q, rd_ptr_d;

  logic ar_fire, load, r_fire, r_burst_done;

  assign ar_fire      = m_axi_arvalid_o && m_axi_arready_i;
  assign r_fire       = m_axi_rvalid_i && m_axi_rready_o;
  assign r_burst_done = r_fire && m_axi_rlast_i;
  assign load         = split_valid && (!ar_valid_q || ar_fire) &&
                        (outstanding_q < COUNT_WIDTH'(MAX_OUTSTANDING) || r_burst_done);
  assign split_ready  = load;

  function automatic logic [PTR_WIDTH-1:0] next_ptr(input logic [PTR_WIDTH-1:0] ptr);
    next_ptr = ptr == PTR_WIDTH'(MAX_OUTSTANDING - 1) ? '0 : ptr + 1'b1;
  endfunction

  always_comb begin
    ar_valid_d    = ar_valid_q;
    ar_addr_d     = ar_addr_q;
    ar_len_d      = ar_len_q;
    outstanding_d = outstanding_q;
    final_d       = final_q;
    wr_ptr_d      = wr_ptr_q;
    rd_ptr_d      = rd_ptr_q;
    if (ar_fire) ar_valid_d = 1'b0;
    if (load) begin
      ar_valid_d        = 1'b1;
      ar_addr_d         = split_addr;
      ar_len_d          = split_len;
      final_d[wr_ptr_q] = split_last;
      wr_ptr_d          = next_ptr(wr_ptr_q);
    end
    if (r_burst_done) rd_ptr_d = next_ptr(rd_ptr_q);
    outstanding_d = outstanding_q + COUNT_WIDTH'(load) - COUNT_WIDTH'(r_burst_done);
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ar_valid_q    <= 1'b0;
      ar_addr_q     <= '0;
      ar_len_q      <= '0;
      outstanding_q <= '0;
      final_q       <= '0;
      wr_ptr_q      <= '0;
      rd_ptr_q      <= '0;
    end else begin
      ar_valid_q    <= ar_valid_d;
      ar_addr_q     <= ar_addr_d;
      ar_len_q      <= ar_len_d;
      outstanding_q <= outstanding_d;
      final_q       <= final_d;
      wr_ptr_q      <= wr_ptr_d;
      rd_ptr_q      <= rd_ptr_d;
    end
  end

  assign m_axi_arvalid_o = ar_valid_q;
  assign m_axi_araddr_o  = ar_addr_q;
  assign m_axi_arlen_o   = ar_len_q;
  assign m_axi_arsize_o  = 3'(OFFSET_WIDTH);
  assign m_axi_arburst_o = BURST_INCR;

  // R beats go straight to the datapath; it applies back-pressure through RREADY.
  assign m_axi_rready_o = data_ready_i;
  assign data_valid_o   = m_axi_rvalid_i;
  assign data_o         = m_axi_rdata_i;
  assign data_last_o    = m_axi_rlast_i && final_q[rd_ptr_q];
  assign data_error_o   = m_axi_rresp_i != 2'b00;

  assign idle_o = !split_busy && outstanding_q == '0;

  // The splitter's write-strobe outputs have no use on the read side.
  logic unused_split;
  assign unused_split = ^{split_first, split_head_offset, split_tail_bytes};

endmodule
