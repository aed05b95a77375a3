// The burst bookkeeping an AXI4 master needs on either side, shared by axi_read_master (AR) and
// axi_write_master (AW): it cuts each (address, byte length) request into legal INCR bursts
// (axi_burst_splitter: full-width beats, at most MAX_BURST_BEATS, never across BOUNDARY_BYTES),
// presents them on one address channel (AR or AW) from a register, and keeps up to
// MAX_OUTSTANDING of them in flight. A burst takes its outstanding slot when it is loaded into the
// address register and gives it back on burst_done_i (the read master: the last R beat; the write
// master: the B response), so the address register refills in the cycle a slot frees.
// Each loaded burst also enters an in-order queue (MAX_OUTSTANDING entries) that the data side
// reads from its head: the burst's length, whether it is the first or last burst of its request,
// the request's head lane offset and last-beat byte count (the write strobes); head_pop_i (the
// data side has moved the head burst's last beat) drops it. A burst is popped no later than it is
// done, so the queue never holds more than the outstanding slots.
`include "axi_burst_ports.svh"
`include "vp_registers.svh"

module axi_burst_issuer #(
  `VP_AXI_BURST_PARAMS,
  localparam int unsigned BEAT_BYTES     = DATA_WIDTH / 8,
  localparam int unsigned OFFSET_WIDTH   = $clog2(BEAT_BYTES),
  localparam int unsigned LANE_WIDTH     = $clog2(BEAT_BYTES + 1)
) (
  // Clock, reset and the request
  `VP_AXI_BURST_REQ_PORTS,
  // AXI4 address channel (AR or AW)
  output logic                    ax_valid_o,
  input  logic                    ax_ready_i,
  output logic [ADDR_WIDTH-1:0]   ax_addr_o,
  output logic [7:0]              ax_len_o,
  output logic [2:0]              ax_size_o,
  output logic [1:0]              ax_burst_o,
  // Head of the queue of loaded bursts, in address-channel order
  output logic                    head_valid_o,
  output logic [7:0]              head_len_o,          // AxLEN of the head burst
  output logic                    head_first_o,        // first burst of its request
  output logic                    head_last_o,         // last burst of its request
  output logic [OFFSET_WIDTH-1:0] head_offset_o,       // lane of the request's first byte
  output logic [LANE_WIDTH-1:0]   head_tail_bytes_o,   // bytes in the request's last beat
  input  logic                    head_pop_i,          // the head burst's data has all moved
  // A burst in flight is over (frees its outstanding slot)
  input  logic                    burst_done_i,
  // No request being split and no burst in flight
  output logic                    idle_o
);

  localparam int unsigned PTR_WIDTH   = MAX_OUTSTANDING > 1 ? $clog2(MAX_OUTSTANDING) : 1;
  localparam int unsigned COUNT_WIDTH = $clog2(MAX_OUTSTANDING + 1);
  localparam logic [1:0]  BURST_INCR  = 2'b01;

  // A queue entry.
  typedef struct packed {
    logic [7:0]              len;
    logic                    first;
    logic                    last;
    logic [OFFSET_WIDTH-1:0] head_offset;
    logic [LANE_WIDTH-1:0]   tail_bytes;
  } burst_t;

  // ---- bursts from the splitter ----
  logic                    split_valid, split_ready, split_busy;
  logic [ADDR_WIDTH-1:0]   split_addr;
  burst_t                  split_burst;

  axi_burst_splitter #(
    .BEAT_BYTES     (BEAT_BYTES),
    .ADDR_WIDTH     (ADDR_WIDTH),
    .BYTES_WIDTH    (BYTES_WIDTH),
    .MAX_BURST_BEATS(MAX_BURST_BEATS),
    .BOUNDARY_BYTES (BOUNDARY_BYTES)
  ) u_splitter (
    `VP_AXI_BURST_REQ_CONNECT,
    .burst_valid_o(split_valid),
    .burst_ready_i(split_ready),
    .burst_addr_o (split_addr),
    .burst_len_o  (split_burst.len),
    .burst_first_o(split_burst.first),
    .burst_last_o (split_burst.last),
    .head_offset_o(split_burst.head_offset),
    .tail_bytes_o (split_burst.tail_bytes),
    .busy_o       (split_busy)
  );

  // ---- address register and outstanding slots ----
  logic                   ax_valid_q, ax_valid_d;
  logic [ADDR_WIDTH-1:0]  ax_addr_q, ax_addr_d;
  logic [7:0]             ax_len_q, ax_len_d;
  logic [COUNT_WIDTH-1:0] outstanding_q, outstanding_d;
  // ---- burst queue: loaded bursts not yet popped by the data side ----
  // A small RAM (one write port, one asynchronous read port: LUTRAM) without reset: an entry is
  // read only while the queue holds it.
  burst_t                           queue_q [MAX_OUTSTANDING];
  logic [PTR_WIDTH-1:0]             queue_wr_ptr_q, queue_wr_ptr_d, queue_rd_ptr_q, queue_rd_ptr_d;
  logic [COUNT_WIDTH-1:0]           queue_count_q, queue_count_d;

  logic   ax_fire, load;
  burst_t head;

  assign ax_fire     = ax_valid_o && ax_ready_i;
  assign load        = split_valid && (!ax_valid_q || ax_fire) &&
                       (outstanding_q < COUNT_WIDTH'(MAX_OUTSTANDING) || burst_done_i);
  assign split_ready = load;

  function automatic logic [PTR_WIDTH-1:0] next_ptr(input logic [PTR_WIDTH-1:0] ptr);
    next_ptr = ptr == PTR_WIDTH'(MAX_OUTSTANDING - 1) ? '0 : ptr + 1'b1;
  endfunction

  // Written in a plain always_ff, as the arrays are: as `queue_d = queue_q` plus the new entry in the
  // always_comb below, the Verilated model copied the whole queue on every evaluation.
  always_ff @(posedge clk_i) begin
    if (load) queue_q[queue_wr_ptr_q] <= split_burst;
  end
  assign head = queue_q[queue_rd_ptr_q];

  always_comb begin
    ax_valid_d     = ax_valid_q;
    ax_addr_d      = ax_addr_q;
    ax_len_d       = ax_len_q;
    queue_wr_ptr_d = queue_wr_ptr_q;
    queue_rd_ptr_d = queue_rd_ptr_q;
    if (ax_fire) ax_valid_d = 1'b0;
    if (load) begin
      ax_valid_d = 1'b1;
      ax_addr_d  = split_addr;
      ax_len_d   = split_burst.len;
      queue_wr_ptr_d = next_ptr(queue_wr_ptr_q);
    end
    if (head_pop_i) queue_rd_ptr_d = next_ptr(queue_rd_ptr_q);
    queue_count_d = queue_count_q + COUNT_WIDTH'(load) - COUNT_WIDTH'(head_pop_i);
    outstanding_d = outstanding_q + COUNT_WIDTH'(load) - COUNT_WIDTH'(burst_done_i);
  end

  `VP_FF(ax_valid_q, ax_valid_d, 1'b0)
  `VP_FF(ax_addr_q, ax_addr_d, '0)
  `VP_FF(ax_len_q, ax_len_d, '0)
  `VP_FF(outstanding_q, outstanding_d, '0)
  `VP_FF(queue_wr_ptr_q, queue_wr_ptr_d, '0)
  `VP_FF(queue_rd_ptr_q, queue_rd_ptr_d, '0)
  `VP_FF(queue_count_q, queue_count_d, '0)

  assign ax_valid_o = ax_valid_q;
  assign ax_addr_o  = ax_addr_q;
  assign ax_len_o   = ax_len_q;
  assign ax_size_o  = 3'(OFFSET_WIDTH);
  assign ax_burst_o = BURST_INCR;

  assign head_valid_o      = queue_count_q != '0;
  assign head_len_o        = head.len;
  assign head_first_o      = head.first;
  assign head_last_o       = head.last;
  assign head_offset_o     = head.head_offset;
  assign head_tail_bytes_o = head.tail_bytes;

  assign idle_o = !split_busy && outstanding_q == '0;

endmodule
