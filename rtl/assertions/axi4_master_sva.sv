// Protocol checks of one AXI4 master port (AW, W, B, AR, R), from the port's pins alone; bound to
// each m_axi port of llama_kernel (llama_kernel_binds.sv). Checked in the test build only (Verilator
// --assert); every assertion is shown to fire in tests/test_rtl_assertions.cpp.
//   master side: a VALID stays up until READY, and its payload is stable meanwhile (AR, AW, W);
//                bursts are INCR of at most full-width beats and do not cross BOUNDARY_BYTES;
//                no VALID in reset
//   slave side:  the same holding rule for R and B (checks the testbench or the TLM bridge)
// Reset is active low and asynchronous in the design; the checks sample it at the clock edge.
`include "../vp_axi_port.svh"

/* verilator lint_off SYNCASYNCNET */
module axi4_master_sva #(
  parameter int unsigned DATA_WIDTH     = 512,
  parameter int unsigned ADDR_WIDTH     = 64,
  parameter int unsigned BOUNDARY_BYTES = 4096
) (
  input logic                    clk_i,
  input logic                    rst_ni,
  // every AXI4 signal as an input: awvalid_i, awready_i, ..., rlast_i (rtl/vp_axi_port.svh)
  `VP_AXI4_MONITOR_PORTS(ADDR_WIDTH, DATA_WIDTH)
);

  localparam int unsigned BEAT_SIZE   = $clog2(DATA_WIDTH / 8);  // AxSIZE of a full-width beat
  localparam int unsigned BOUND_BITS  = $clog2(BOUNDARY_BYTES);
  localparam logic [1:0]  BURST_INCR  = 2'b01;

  // Byte just past a burst, counted from the boundary below its start (up to 256 x 128 bytes).
  logic [31:0] ar_end, aw_end;
  assign ar_end = 32'(araddr_i[BOUND_BITS-1:0]) + ((32'(arlen_i) + 32'd1) << arsize_i);
  assign aw_end = 32'(awaddr_i[BOUND_BITS-1:0]) + ((32'(awlen_i) + 32'd1) << awsize_i);

  // ---- master side: hold VALID and payload until READY ----
  a_ar_hold: assert property (@(posedge clk_i) disable iff (!rst_ni)
      arvalid_i && !arready_i |=> arvalid_i && $stable({araddr_i, arlen_i, arsize_i, arburst_i}))
    else $error("AR: ARVALID dropped or AR payload changed before ARREADY");
  a_aw_hold: assert property (@(posedge clk_i) disable iff (!rst_ni)
      awvalid_i && !awready_i |=> awvalid_i && $stable({awaddr_i, awlen_i, awsize_i, awburst_i}))
    else $error("AW: AWVALID dropped or AW payload changed before AWREADY");
  a_w_hold: assert property (@(posedge clk_i) disable iff (!rst_ni)
      wvalid_i && !wready_i |=> wvalid_i && $stable({wdata_i, wstrb_i, wlast_i}))
    else $error("W: WVALID dropped or W payload changed before WREADY");

  // ---- master side: legal bursts ----
  a_ar_burst: assert property (@(posedge clk_i) disable iff (!rst_ni)
      arvalid_i |-> arburst_i == BURST_INCR && 32'(arsize_i) <= BEAT_SIZE && ar_end <= BOUNDARY_BYTES)
    else $error("AR: not an INCR burst of at most full-width beats inside one %0d-byte boundary", BOUNDARY_BYTES);
  a_aw_burst: assert property (@(posedge clk_i) disable iff (!rst_ni)
      awvalid_i |-> awburst_i == BURST_INCR && 32'(awsize_i) <= BEAT_SIZE && aw_end <= BOUNDARY_BYTES)
    else $error("AW: not an INCR burst of at most full-width beats inside one %0d-byte boundary", BOUNDARY_BYTES);

  // ---- master side: nothing valid in reset ----
  a_reset_quiet: assert property (@(posedge clk_i) !rst_ni |-> !arvalid_i && !awvalid_i && !wvalid_i)
    else $error("ARVALID, AWVALID or WVALID high in reset");

  // ---- slave side: hold VALID and payload until READY ----
  a_r_hold: assert property (@(posedge clk_i) disable iff (!rst_ni)
      rvalid_i && !rready_i |=> rvalid_i && $stable({rdata_i, rresp_i, rlast_i}))
    else $error("R: RVALID dropped or R payload changed before RREADY");
  a_b_hold: assert property (@(posedge clk_i) disable iff (!rst_ni)
      bvalid_i && !bready_i |=> bvalid_i && $stable(bresp_i))
    else $error("B: BVALID dropped or BRESP changed before BREADY");

endmodule
