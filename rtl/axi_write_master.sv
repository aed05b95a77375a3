// AXI4 write master (AW, W and B channels of an m_axi port). The datapath asks for (address,
// byte length) and then supplies the data as whole bus beats, lane aligned: the byte for
// req_addr_i sits in lane req_addr_i % (DATA_WIDTH / 8) of the first beat. axi_burst_issuer cuts
// the transfer into legal INCR bursts and keeps up to MAX_OUTSTANDING bursts without a write
// response; its queue of loaded bursts gives the W side each burst's length and where its request
// starts and ends, so WSTRB is masked on the first and last beat and exactly the requested bytes
// are written. Requests may follow each other back to back; idle_o says that every accepted write
// has been answered, i.e. is visible in memory.
`include "vp_axi_port.svh"
`include "axi_burst_ports.svh"
`include "vp_registers.svh"

module axi_write_master #(
  `VP_AXI_BURST_PARAMS
) (
  // Clock, reset and the request
  `VP_AXI_BURST_REQ_PORTS,
  // Write data, one bus beat per handshake
  input  logic                    data_valid_i,
  output logic                    data_ready_o,
  input  logic [DATA_WIDTH-1:0]   data_i,
  // A write response came back with BRESP != OKAY (one-cycle pulse)
  output logic                    error_o,
  // No request being split and every burst answered
  output logic                    idle_o,
  // AXI4 AW, W and B channels: m_axi_aw*_o, m_axi_w*_o, m_axi_bready_o, m_axi_*ready_i, m_axi_b*_i
  `VP_AXI_WRITE_MASTER_PORTS(ADDR_WIDTH, DATA_WIDTH)
);

  localparam int unsigned BEAT_BYTES   = DATA_WIDTH / 8;
  localparam int unsigned OFFSET_WIDTH = $clog2(BEAT_BYTES);
  localparam int unsigned LANE_WIDTH   = $clog2(BEAT_BYTES + 1);

  typedef logic [BEAT_BYTES-1:0] strb_t;
  localparam strb_t STRB_ALL = '1;

  logic                    w_fire, w_burst_done, b_fire;
  // Head of the issuer's queue: the burst whose data goes out on W (w_pending: there is one)
  logic                    w_pending, head_first, head_last;
  logic [7:0]              head_len;
  logic [OFFSET_WIDTH-1:0] head_offset;
  logic [LANE_WIDTH-1:0]   head_tail_bytes;
  logic [7:0]              w_beat_q, w_beat_d;  // beat index inside the head burst

  assign w_fire       = m_axi_wvalid_o && m_axi_wready_i;
  assign w_burst_done = w_fire && m_axi_wlast_o;
  assign b_fire       = m_axi_bvalid_i && m_axi_bready_o;

  // A burst leaves the queue with its last W beat and holds its slot until its B response.
  axi_burst_issuer #(
    `VP_AXI_BURST_PARAMS_MAP
  ) u_issuer (
    `VP_AXI_BURST_REQ_CONNECT,
    .ax_valid_o       (m_axi_awvalid_o),
    .ax_ready_i       (m_axi_awready_i),
    .ax_addr_o        (m_axi_awaddr_o),
    .ax_len_o         (m_axi_awlen_o),
    .ax_size_o        (m_axi_awsize_o),
    .ax_burst_o       (m_axi_awburst_o),
    .head_valid_o     (w_pending),
    .head_len_o       (head_len),
    .head_first_o     (head_first),
    .head_last_o      (head_last),
    .head_offset_o    (head_offset),
    .head_tail_bytes_o(head_tail_bytes),
    .head_pop_i       (w_burst_done),
    .burst_done_i     (b_fire),
    .idle_o
  );

  always_comb begin
    w_beat_d = w_beat_q;
    if (w_fire) w_beat_d = w_beat_q + 1'b1;
    if (w_burst_done) w_beat_d = '0;
  end
  `VP_FF(w_beat_q, w_beat_d, '0)

  // W beats come straight from the datapath once their burst's AW has been loaded (AXI lets W
  // run ahead of the AW handshake).
  assign m_axi_wvalid_o = data_valid_i && w_pending;
  assign data_ready_o   = m_axi_wready_i && w_pending;
  assign m_axi_wdata_o  = data_i;
  assign m_axi_wlast_o  = w_beat_q == head_len;
  // Strobes: lanes from the head offset up on a request's first beat, lanes below the tail
  // byte count on its last beat (both on a one-beat request).
  always_comb begin
    m_axi_wstrb_o = '1;
    if (head_first && w_beat_q == 8'd0) m_axi_wstrb_o = m_axi_wstrb_o & (STRB_ALL << head_offset);
    if (head_last && m_axi_wlast_o) begin
      m_axi_wstrb_o = m_axi_wstrb_o & (STRB_ALL >> (LANE_WIDTH'(BEAT_BYTES) - head_tail_bytes));
    end
  end

  assign m_axi_bready_o = 1'b1;
  assign error_o        = b_fire && m_axi_bresp_i != 2'b00;

endmodule
