// Checks of rtl/axi_read_master.sv's burst bookkeeping, bound to every instance (llama_kernel_binds.sv)
// with its ports and its axi_burst_issuer's state registers: the outstanding-burst count and the
// issuer's burst queue (written at wr_ptr_q, read at rd_ptr_q, popped with each burst's last R
// beat, so it holds exactly the outstanding bursts) are a FIFO that must neither overflow nor
// underflow, and the pointers and count must stay consistent. Test build only; each assertion is
// shown to fire in tests/test_rtl_assertions.cpp.
/* verilator lint_off SYNCASYNCNET */
module axi_read_master_sva #(
  parameter int unsigned MAX_OUTSTANDING = 16,
  localparam int unsigned PTR_WIDTH      = MAX_OUTSTANDING > 1 ? $clog2(MAX_OUTSTANDING) : 1,
  localparam int unsigned COUNT_WIDTH    = $clog2(MAX_OUTSTANDING + 1)
) (
  input logic                   clk_i,
  input logic                   rst_ni,
  input logic                   ar_valid_q,     // an AR waiting for ARREADY
  input logic [COUNT_WIDTH-1:0] outstanding_q,  // bursts loaded whose last R beat has not come
  input logic [PTR_WIDTH-1:0]   wr_ptr_q,
  input logic [PTR_WIDTH-1:0]   rd_ptr_q,
  input logic                   r_fire_i        // RVALID && RREADY
);

  // Where the write pointer must be: outstanding_q entries past the read pointer, modulo the ring.
  logic [31:0] wr_ptr_expected;
  assign wr_ptr_expected = (32'(rd_ptr_q) + 32'(outstanding_q)) % MAX_OUTSTANDING;

  a_outstanding_overflow: assert property (@(posedge clk_i) disable iff (!rst_ni)
      32'(outstanding_q) <= MAX_OUTSTANDING)
    else $error("more than MAX_OUTSTANDING = %0d read bursts in flight", MAX_OUTSTANDING);
  a_r_underflow: assert property (@(posedge clk_i) disable iff (!rst_ni)
      r_fire_i |-> outstanding_q != '0)
    else $error("R beat taken with no read burst outstanding");
  a_ar_holds_slot: assert property (@(posedge clk_i) disable iff (!rst_ni)
      ar_valid_q |-> outstanding_q != '0)
    else $error("AR waiting without its outstanding slot");
  a_ring_consistent: assert property (@(posedge clk_i) disable iff (!rst_ni)
      32'(rd_ptr_q) < MAX_OUTSTANDING && 32'(wr_ptr_q) == wr_ptr_expected)
    else $error("burst ring pointers disagree with the outstanding count");

endmodule
