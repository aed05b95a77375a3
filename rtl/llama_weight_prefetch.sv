// Weight stream of one weight port: reads matrices ahead of the matmul engine into a beat FIFO,
// so a matmul starts on buffered beats and the memory does not idle between matrices or phases.
//
// The sequencer names each matrix (base, bytes) before the engine runs it, as early as the order
// of the port's reads allows (hls/llama_kernel.h: after the loads that precede it), and the
// engine takes the beats in the same order. Requests go to the port's read master one AXI burst
// at a time (up to the next 4 KiB boundary: the cuts the read master would make of the whole
// matrix, so the bursts on the bus are the same), each only when the FIFO has room for all of its
// beats (beats requested and not yet taken by the engine <= PREFETCH_BEATS): the read data
// channel never stalls, and the memory reads at most PREFETCH_BEATS ahead of the engine.
//
// FIFO: PREFETCH_BEATS x 512 bit, one write port, one registered read port, no reset on the data
// (BRAM: 15 RAMB18E2 at 512 deep, 36 x 512 each, Yosys 0.23), whose read register is the output
// stage: a beat is offered to the engine two cycles after its write.
`include "vp_registers.svh"

module llama_weight_prefetch #(
  parameter int unsigned PREFETCH_BEATS = 512,  // a power of two >= 64 (one 4 KiB burst)
  localparam int unsigned BEAT_BITS     = 512,
  localparam int unsigned ADDR_WIDTH    = 64
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  // Matrix to read: taken when cmd_valid_i && cmd_ready_o
  input  logic                  cmd_valid_i,
  output logic                  cmd_ready_o,     // the previous matrix is fully requested
  input  logic [ADDR_WIDTH-1:0] cmd_base_i,      // 64-byte aligned
  input  logic [31:0]           cmd_bytes_i,     // a multiple of 64; 0: nothing to read
  // Requests to the read master, one burst each
  output logic                  req_valid_o,
  input  logic                  req_ready_i,
  output logic [ADDR_WIDTH-1:0] req_addr_o,
  output logic [31:0]           req_bytes_o,
  // Beats from the read master (taken while requested beats are due)
  input  logic                  beat_valid_i,
  output logic                  beat_ready_o,
  input  logic [BEAT_BITS-1:0]  beat_i,
  // Beats to the engine, in order
  output logic                  out_valid_o,
  input  logic                  out_ready_i,
  output logic [BEAT_BITS-1:0]  out_o
);

  localparam int unsigned AW         = $clog2(PREFETCH_BEATS);
  localparam int unsigned CW         = $clog2(PREFETCH_BEATS + 1);
  localparam int unsigned BEAT_BYTES = BEAT_BITS / 8;

  // ---- requests: one burst at a time while the FIFO has room ----
  logic [ADDR_WIDTH-1:0] addr_q, addr_d;          // next byte of the matrix to request
  logic [31:0]           left_q, left_d;          // bytes of the matrix not yet requested
  logic [CW-1:0]         reserved_q, reserved_d;  // beats requested and not yet taken by the engine
  logic [CW-1:0]         due_q, due_d;            // beats requested and not yet received
  logic                  req_valid_q, req_valid_d;
  logic [ADDR_WIDTH-1:0] req_addr_q, req_addr_d;
  logic [31:0]           req_bytes_q, req_bytes_d;
  logic [12:0]           to_boundary;             // bytes up to the next 4 KiB boundary
  logic [31:0]           burst_bytes;
  logic [CW-1:0]         burst_beats;             // <= 64
  logic                  issue, req_fire, beat_fire, out_fire;

  assign to_boundary  = 13'd4096 - 13'(addr_q[11:0]);
  assign burst_bytes  = left_q < 32'(to_boundary) ? left_q : 32'(to_boundary);
  assign burst_beats  = CW'(burst_bytes / BEAT_BYTES);
  assign issue        = left_q != 0 && !req_valid_q &&
                        32'(reserved_q) + 32'(burst_beats) <= PREFETCH_BEATS;
  assign cmd_ready_o  = left_q == 0 && !req_valid_q;
  assign req_valid_o  = req_valid_q;
  assign req_addr_o   = req_addr_q;
  assign req_bytes_o  = req_bytes_q;
  assign req_fire     = req_valid_q && req_ready_i;
  assign beat_ready_o = due_q != 0;
  assign beat_fire    = beat_valid_i && beat_ready_o;

  always_comb begin
    addr_d      = addr_q;
    left_d      = left_q;
    req_valid_d = req_valid_q;
    req_addr_d  = req_addr_q;
    req_bytes_d = req_bytes_q;
    if (cmd_valid_i && cmd_ready_o) begin
      addr_d = cmd_base_i;
      left_d = cmd_bytes_i;
    end
    if (issue) begin
      req_valid_d = 1'b1;
      req_addr_d  = addr_q;
      req_bytes_d = burst_bytes;
      addr_d      = addr_q + ADDR_WIDTH'(burst_bytes);
      left_d      = left_q - burst_bytes;
    end else if (req_fire) begin
      req_valid_d = 1'b0;
    end
    reserved_d = reserved_q + (issue ? burst_beats : '0) - CW'(out_fire);
    due_d      = due_q + (issue ? burst_beats : '0) - CW'(beat_fire);
  end

  `VP_FF(addr_q, addr_d, '0)
  `VP_FF(left_q, left_d, '0)
  `VP_FF(reserved_q, reserved_d, '0)
  `VP_FF(due_q, due_d, '0)
  `VP_FF(req_valid_q, req_valid_d, 1'b0)
  `VP_FF(req_addr_q, req_addr_d, '0)
  `VP_FF(req_bytes_q, req_bytes_d, '0)

  // ---- FIFO: the memory, its read register as output stage ----
  logic [BEAT_BITS-1:0] mem_q [PREFETCH_BEATS];
  logic [AW-1:0]        wr_ptr_q, wr_ptr_d, rd_ptr_q, rd_ptr_d;
  logic [CW-1:0]        stored_q, stored_d;        // beats in the memory, not yet in the output stage
  logic                 out_valid_q, out_valid_d, rd_en;
  logic [BEAT_BITS-1:0] rd_data_q;

  assign rd_en       = stored_q != 0 && (!out_valid_q || out_ready_i);
  assign out_valid_o = out_valid_q;
  assign out_o       = rd_data_q;
  assign out_fire    = out_valid_q && out_ready_i;

  // One write port, one registered read port with enable, no reset: a block RAM.
  always_ff @(posedge clk_i) begin
    if (beat_fire) mem_q[wr_ptr_q] <= beat_i;
  end
  `VP_FFLNR(rd_data_q, mem_q[rd_ptr_q], rd_en)

  always_comb begin
    wr_ptr_d    = beat_fire ? wr_ptr_q + 1'b1 : wr_ptr_q;
    rd_ptr_d    = rd_en ? rd_ptr_q + 1'b1 : rd_ptr_q;
    stored_d    = stored_q + CW'(beat_fire) - CW'(rd_en);
    out_valid_d = rd_en || (out_valid_q && !out_ready_i);
  end

  `VP_FF(wr_ptr_q, wr_ptr_d, '0)
  `VP_FF(rd_ptr_q, rd_ptr_d, '0)
  `VP_FF(stored_q, stored_d, '0)
  `VP_FF(out_valid_q, out_valid_d, 1'b0)

endmodule
