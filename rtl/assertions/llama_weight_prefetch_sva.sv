// Checks of rtl/llama_weight_prefetch.sv's beat FIFO, bound to every weight port's instance
// (llama_kernel_binds.sv) with its counters and pointers: the FIFO never reserves more beats than
// it holds, never stores more (overflow) nor hands out a beat it does not have (underflow), its
// pointers agree with its count, it takes in only beats it requested (the port's read master also
// carries the load unit's beats, which pass it by), and every beat
// requested and not yet taken by the engine is exactly one of: due from memory, in the memory, in
// the output stage. Test build only; each assertion is shown to fire in tests/test_rtl_assertions.cpp.
/* verilator lint_off SYNCASYNCNET */
module llama_weight_prefetch_sva #(
  parameter int unsigned PREFETCH_BEATS = 512,
  localparam int unsigned AW            = $clog2(PREFETCH_BEATS),
  localparam int unsigned CW            = $clog2(PREFETCH_BEATS + 1)
) (
  input logic          clk_i,
  input logic          rst_ni,
  input logic [CW-1:0] reserved_q,   // beats requested and not yet taken by the engine
  input logic [CW-1:0] due_q,        // beats requested and not yet received
  input logic [CW-1:0] stored_q,     // beats in the memory
  input logic          out_valid_q,  // a beat in the output stage
  input logic [AW-1:0] wr_ptr_q,
  input logic [AW-1:0] rd_ptr_q,
  input logic          beat_fire_i,  // a beat written into the memory
  input logic          rd_en_i,      // a beat read from the memory into the output stage
  input logic          out_fire_i    // the engine takes the output stage's beat
);

  a_reserved_within_fifo: assert property (@(posedge clk_i) disable iff (!rst_ni)
      32'(reserved_q) <= PREFETCH_BEATS)
    else $error("%0d beats reserved in a FIFO of PREFETCH_BEATS = %0d", reserved_q, PREFETCH_BEATS);
  a_fifo_overflow: assert property (@(posedge clk_i) disable iff (!rst_ni)
      32'(stored_q) <= PREFETCH_BEATS && !(beat_fire_i && 32'(stored_q) == PREFETCH_BEATS && !rd_en_i))
    else $error("beat written into a full FIFO");
  a_fifo_underflow: assert property (@(posedge clk_i) disable iff (!rst_ni)
      !(rd_en_i && stored_q == '0) && !(out_fire_i && !out_valid_q))
    else $error("beat read from an empty FIFO or output stage");
  a_pointers_consistent: assert property (@(posedge clk_i) disable iff (!rst_ni)
      AW'(wr_ptr_q - rd_ptr_q) == AW'(stored_q))
    else $error("FIFO pointers disagree with its count");
  a_beat_requested: assert property (@(posedge clk_i) disable iff (!rst_ni)
      !(beat_fire_i && due_q == '0))
    else $error("beat taken into the FIFO that was never requested");
  a_beats_accounted: assert property (@(posedge clk_i) disable iff (!rst_ni)
      32'(reserved_q) == 32'(due_q) + 32'(stored_q) + 32'(out_valid_q))
    else $error("reserved %0d != due %0d + stored %0d + output stage %0d", reserved_q, due_q, stored_q, out_valid_q);

endmodule
