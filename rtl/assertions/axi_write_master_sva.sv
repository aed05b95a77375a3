// Checks of rtl/axi_write_master.sv's burst bookkeeping, bound to every instance (llama_kernel_binds.sv)
// with its ports and its axi_burst_issuer's state registers. Two FIFOs: the W queue (the issuer's
// burst queue: bursts whose data is still to be sent, w_count_q entries from w_rd_ptr_q to
// w_wr_ptr_q) and the outstanding count (bursts without a write response). Neither may overflow or underflow, the W queue's pointers must agree with its count,
// and a burst leaves the W queue (last W beat) before it can be answered (B), so the W queue never
// holds more than is outstanding. Test build only; each assertion is shown to fire in
// tests/test_rtl_assertions.cpp.
/* verilator lint_off SYNCASYNCNET */
module axi_write_master_sva #(
  parameter int unsigned MAX_OUTSTANDING = 16,
  localparam int unsigned PTR_WIDTH      = MAX_OUTSTANDING > 1 ? $clog2(MAX_OUTSTANDING) : 1,
  localparam int unsigned COUNT_WIDTH    = $clog2(MAX_OUTSTANDING + 1)
) (
  input logic                   clk_i,
  input logic                   rst_ni,
  input logic                   aw_valid_q,     // an AW waiting for AWREADY
  input logic [COUNT_WIDTH-1:0] outstanding_q,  // bursts loaded without a write response
  input logic [COUNT_WIDTH-1:0] w_count_q,      // bursts in the W queue
  input logic [PTR_WIDTH-1:0]   w_wr_ptr_q,
  input logic [PTR_WIDTH-1:0]   w_rd_ptr_q,
  input logic                   w_fire_i,       // WVALID && WREADY
  input logic                   b_fire_i        // BVALID && BREADY
);

  logic [31:0] w_wr_ptr_expected;
  assign w_wr_ptr_expected = (32'(w_rd_ptr_q) + 32'(w_count_q)) % MAX_OUTSTANDING;

  a_outstanding_overflow: assert property (@(posedge clk_i) disable iff (!rst_ni)
      32'(outstanding_q) <= MAX_OUTSTANDING)
    else $error("more than MAX_OUTSTANDING = %0d write bursts without a response", MAX_OUTSTANDING);
  a_w_queue_overflow: assert property (@(posedge clk_i) disable iff (!rst_ni)
      w_count_q <= outstanding_q)
    else $error("W queue holds more bursts than are outstanding");
  a_w_underflow: assert property (@(posedge clk_i) disable iff (!rst_ni)
      w_fire_i |-> w_count_q != '0)
    else $error("W beat sent with no burst in the W queue");
  a_b_underflow: assert property (@(posedge clk_i) disable iff (!rst_ni)
      b_fire_i |-> outstanding_q != '0)
    else $error("write response taken with no write burst outstanding");
  a_aw_holds_slot: assert property (@(posedge clk_i) disable iff (!rst_ni)
      aw_valid_q |-> outstanding_q != '0)
    else $error("AW waiting without its outstanding slot");
  a_w_ring_consistent: assert property (@(posedge clk_i) disable iff (!rst_ni)
      32'(w_rd_ptr_q) < MAX_OUTSTANDING && 32'(w_wr_ptr_q) == w_wr_ptr_expected)
    else $error("W queue pointers disagree with its count");

endmodule
