// Splits one transfer request (start address, byte length) into AXI4 INCR bursts of full-width
// beats: at most MAX_BURST_BEATS beats each, never crossing a multiple of BOUNDARY_BYTES (4 KiB
// in AXI4). Burst addresses are aligned down to the beat; the first beat's lane offset and the
// last beat's byte count are given with the bursts so a write master can form its strobes.
// Used by axi_burst_issuer, so axi_read_master and axi_write_master cut transfers the same way.
`include "axi_burst_ports.svh"
`include "vp_registers.svh"

module axi_burst_splitter #(
  parameter int unsigned BEAT_BYTES      = 64,
  parameter int unsigned ADDR_WIDTH      = 64,
  parameter int unsigned BYTES_WIDTH     = 32,
  parameter int unsigned MAX_BURST_BEATS = 256,
  parameter int unsigned BOUNDARY_BYTES  = 4096,
  localparam int unsigned OFFSET_WIDTH   = $clog2(BEAT_BYTES),
  localparam int unsigned LANE_WIDTH     = $clog2(BEAT_BYTES + 1)
) (
  // Clock, reset and the request: a zero-byte request is accepted and produces no burst.
  `VP_AXI_BURST_REQ_PORTS,
  // Bursts of the request, in address order.
  output logic                    burst_valid_o,
  input  logic                    burst_ready_i,
  output logic [ADDR_WIDTH-1:0]   burst_addr_o,
  output logic [7:0]              burst_len_o,     // AXI AxLEN: beats - 1
  output logic                    burst_first_o,   // first burst of the request
  output logic                    burst_last_o,    // last burst of the request
  output logic [OFFSET_WIDTH-1:0] head_offset_o,   // lane of the request's first byte in its first beat
  output logic [LANE_WIDTH-1:0]   tail_bytes_o,    // valid bytes (1..BEAT_BYTES) in the request's last beat
  output logic                    busy_o
);

  localparam int unsigned BEATS_WIDTH    = BYTES_WIDTH + 1;
  localparam int unsigned BOUNDARY_BEATS = BOUNDARY_BYTES / BEAT_BYTES;
  localparam int unsigned BOUND_WIDTH    = $clog2(BOUNDARY_BEATS + 1);
  localparam int unsigned CHUNK_BEATS    = MAX_BURST_BEATS < BOUNDARY_BEATS ? MAX_BURST_BEATS : BOUNDARY_BEATS;

  logic                    busy_q, busy_d;
  logic                    first_q, first_d;
  logic [ADDR_WIDTH-1:0]   addr_q, addr_d;
  logic [BEATS_WIDTH-1:0]  beats_left_q, beats_left_d;
  logic [OFFSET_WIDTH-1:0] head_offset_q, head_offset_d;
  logic [LANE_WIDTH-1:0]   tail_bytes_q, tail_bytes_d;

  // Beats from the current address up to the next boundary; the address is beat aligned.
  logic [BOUND_WIDTH-1:0] beats_to_boundary;
  logic [BEATS_WIDTH-1:0] burst_beats;
  // Byte span of the request counted from the aligned start, and its beat count.
  logic [BEATS_WIDTH-1:0] req_span;
  logic [BEATS_WIDTH-1:0] req_beats;

  always_comb begin
    beats_to_boundary = BOUND_WIDTH'(BOUNDARY_BEATS) -
                        BOUND_WIDTH'(addr_q[$clog2(BOUNDARY_BYTES)-1:OFFSET_WIDTH]);
    burst_beats = beats_left_q;
    if (burst_beats > BEATS_WIDTH'(CHUNK_BEATS)) burst_beats = BEATS_WIDTH'(CHUNK_BEATS);
    if (burst_beats > BEATS_WIDTH'(beats_to_boundary)) burst_beats = BEATS_WIDTH'(beats_to_boundary);
  end

  always_comb begin
    req_span  = BEATS_WIDTH'(req_bytes_i) + BEATS_WIDTH'(req_addr_i[OFFSET_WIDTH-1:0]);
    req_beats = (req_span + BEATS_WIDTH'(BEAT_BYTES - 1)) >> OFFSET_WIDTH;
  end

  assign req_ready_o   = !busy_q;
  assign burst_valid_o = busy_q;
  assign burst_addr_o  = addr_q;
  assign burst_len_o   = 8'(burst_beats - 1'b1);
  assign burst_first_o = first_q;
  assign burst_last_o  = burst_beats == beats_left_q;
  assign head_offset_o = head_offset_q;
  assign tail_bytes_o  = tail_bytes_q;
  assign busy_o        = busy_q;

  always_comb begin
    busy_d        = busy_q;
    first_d       = first_q;
    addr_d        = addr_q;
    beats_left_d  = beats_left_q;
    head_offset_d = head_offset_q;
    tail_bytes_d  = tail_bytes_q;
    if (!busy_q && req_valid_i) begin
      busy_d        = req_bytes_i != '0;
      first_d       = 1'b1;
      addr_d        = {req_addr_i[ADDR_WIDTH-1:OFFSET_WIDTH], OFFSET_WIDTH'(0)};
      beats_left_d  = req_beats;
      head_offset_d = req_addr_i[OFFSET_WIDTH-1:0];
      // Bytes in the last beat: the span modulo the beat, a whole beat when it divides evenly.
      tail_bytes_d  = LANE_WIDTH'(req_span[OFFSET_WIDTH-1:0]);
      if (req_span[OFFSET_WIDTH-1:0] == '0) tail_bytes_d = LANE_WIDTH'(BEAT_BYTES);
    end else if (busy_q && burst_ready_i) begin
      first_d      = 1'b0;
      addr_d       = addr_q + (ADDR_WIDTH'(burst_beats) << OFFSET_WIDTH);
      beats_left_d = beats_left_q - burst_beats;
      busy_d       = beats_left_q != burst_beats;
    end
  end

  `VP_FF(busy_q, busy_d, 1'b0)
  `VP_FF(first_q, first_d, 1'b0)
  `VP_FF(addr_q, addr_d, '0)
  `VP_FF(beats_left_q, beats_left_d, '0)
  `VP_FF(head_offset_q, head_offset_d, '0)
  `VP_FF(tail_bytes_q, tail_bytes_d, '0)

endmodule
