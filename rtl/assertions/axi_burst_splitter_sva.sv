// Checks of rtl/axi_burst_splitter.sv, bound to every instance (llama_kernel_binds.sv) with its ports
// and state registers: while busy it has beats left and a beat-aligned address; a burst it offers is
// 1..MAX_BURST_BEATS beats inside one BOUNDARY_BYTES block and stays put until taken; the last
// beat's byte count is 1..BEAT_BYTES. Test build only; each assertion is shown to fire in
// tests/test_rtl_assertions.cpp.
/* verilator lint_off SYNCASYNCNET */
module axi_burst_splitter_sva #(
  parameter int unsigned BEAT_BYTES      = 64,
  parameter int unsigned ADDR_WIDTH      = 64,
  parameter int unsigned BYTES_WIDTH     = 32,
  parameter int unsigned MAX_BURST_BEATS = 256,
  parameter int unsigned BOUNDARY_BYTES  = 4096,
  localparam int unsigned OFFSET_WIDTH   = $clog2(BEAT_BYTES),
  localparam int unsigned LANE_WIDTH     = $clog2(BEAT_BYTES + 1)
) (
  input logic                   clk_i,
  input logic                   rst_ni,
  input logic                   busy_q,
  input logic [OFFSET_WIDTH-1:0] addr_offset_q,  // addr_q's byte offset in its beat
  input logic [BYTES_WIDTH:0]   beats_left_q,
  input logic [LANE_WIDTH-1:0]  tail_bytes_q,
  input logic                   burst_valid_i,
  input logic                   burst_ready_i,
  input logic [ADDR_WIDTH-1:0]  burst_addr_i,
  input logic [7:0]             burst_len_i
);

  localparam int unsigned BOUND_BITS = $clog2(BOUNDARY_BYTES);

  logic [31:0] burst_end;  // byte past the burst, from the boundary below its start
  assign burst_end = 32'(burst_addr_i[BOUND_BITS-1:0]) + (32'(burst_len_i) + 32'd1) * BEAT_BYTES;

  a_busy_has_beats: assert property (@(posedge clk_i) disable iff (!rst_ni)
      busy_q |-> beats_left_q != '0 && addr_offset_q == '0)
    else $error("busy with no beats left or an unaligned address");
  a_tail_in_range: assert property (@(posedge clk_i) disable iff (!rst_ni)
      busy_q |-> tail_bytes_q != '0 && 32'(tail_bytes_q) <= BEAT_BYTES)
    else $error("last-beat byte count outside 1..%0d", BEAT_BYTES);
  a_burst_legal: assert property (@(posedge clk_i) disable iff (!rst_ni)
      burst_valid_i |-> 32'(burst_len_i) < MAX_BURST_BEATS && burst_end <= BOUNDARY_BYTES)
    else $error("burst longer than %0d beats or across a %0d-byte boundary", MAX_BURST_BEATS, BOUNDARY_BYTES);
  a_burst_hold: assert property (@(posedge clk_i) disable iff (!rst_ni)
      burst_valid_i && !burst_ready_i |=> burst_valid_i && $stable({burst_addr_i, burst_len_i}))
    else $error("burst withdrawn or changed before it was taken");

endmodule
