// AXI4 read master (AR and R channels of an m_axi port). The datapath asks for (address, byte
// length); axi_burst_issuer cuts the transfer into legal INCR bursts, keeps up to MAX_OUTSTANDING
// of them in flight and remembers, per burst in AR order, whether it ends its request; the master
// hands the read data on as whole bus beats, in order.
// The first beat holds the byte at req_addr_i in lane req_addr_i % (DATA_WIDTH / 8); lanes
// outside the requested bytes carry whatever memory holds there. Requests may follow each other
// back to back: data_last_o marks the last beat of each one.
// All bursts use ID 0, so R data returns in AR order and needs no reordering here.
`include "vp_axi_port.svh"
`include "axi_burst_ports.svh"

module axi_read_master #(
  `VP_AXI_BURST_PARAMS
) (
  // Clock, reset and the request
  `VP_AXI_BURST_REQ_PORTS,
  // Read data, one bus beat per handshake
  output logic                   data_valid_o,
  input  logic                   data_ready_i,
  output logic [DATA_WIDTH-1:0]  data_o,
  output logic                   data_last_o,   // last beat of a request
  output logic                   data_error_o,  // this beat came back with RRESP != OKAY
  // No request being split and no burst in flight
  output logic                   idle_o,
  // AXI4 AR and R channels: m_axi_ar*_o, m_axi_arready_i, m_axi_r*_i, m_axi_rready_o
  `VP_AXI_READ_MASTER_PORTS(ADDR_WIDTH, DATA_WIDTH)
);

  localparam int unsigned OFFSET_WIDTH = $clog2(DATA_WIDTH / 8);
  localparam int unsigned LANE_WIDTH   = $clog2(DATA_WIDTH / 8 + 1);

  logic                    r_fire, r_burst_done;
  logic                    head_valid, head_first, head_last;
  logic [7:0]              head_len;
  logic [OFFSET_WIDTH-1:0] head_offset;
  logic [LANE_WIDTH-1:0]   head_tail_bytes;

  assign r_fire       = m_axi_rvalid_i && m_axi_rready_o;
  assign r_burst_done = r_fire && m_axi_rlast_i;

  // A burst holds its slot until its last R beat, and leaves the queue with it.
  axi_burst_issuer #(
    `VP_AXI_BURST_PARAMS_MAP
  ) u_issuer (
    `VP_AXI_BURST_REQ_CONNECT,
    .ax_valid_o       (m_axi_arvalid_o),
    .ax_ready_i       (m_axi_arready_i),
    .ax_addr_o        (m_axi_araddr_o),
    .ax_len_o         (m_axi_arlen_o),
    .ax_size_o        (m_axi_arsize_o),
    .ax_burst_o       (m_axi_arburst_o),
    .head_valid_o     (head_valid),
    .head_len_o       (head_len),
    .head_first_o     (head_first),
    .head_last_o      (head_last),
    .head_offset_o    (head_offset),
    .head_tail_bytes_o(head_tail_bytes),
    .head_pop_i       (r_burst_done),
    .burst_done_i     (r_burst_done),
    .idle_o
  );

  // R beats go straight to the datapath; it applies back-pressure through RREADY.
  assign m_axi_rready_o = data_ready_i;
  assign data_valid_o   = m_axi_rvalid_i;
  assign data_o         = m_axi_rdata_i;
  assign data_last_o    = m_axi_rlast_i && head_last;
  assign data_error_o   = m_axi_rresp_i != 2'b00;

  // R carries its own RLAST, and the read side has no strobes to form.
  logic unused_head;
  assign unused_head = ^{head_valid, head_len, head_first, head_offset, head_tail_bytes};

endmodule
