// Protocol checks of an AXI4-Lite slave port (the kernel's s_axi_control), from its pins alone;
// bound to llama_kernel (llama_kernel_binds.sv), test build only, each assertion shown to fire in
// tests/test_rtl_assertions.cpp.
//   host side:  AW, W and AR hold VALID and payload until READY
//   slave side: B and R hold VALID and payload until READY, answer OKAY or SLVERR only (EXOKAY
//               does not exist in AXI4-Lite), and are quiet in reset
`include "../vp_axi_port.svh"

/* verilator lint_off SYNCASYNCNET */
module axi_lite_slave_sva #(
  parameter int unsigned ADDR_WIDTH = 8
) (
  input logic                  clk_i,
  input logic                  rst_ni,
  // every AXI4-Lite signal as an input: awvalid_i, ..., rresp_i (rtl/vp_axi_port.svh)
  `VP_AXI_LITE_MONITOR_PORTS(ADDR_WIDTH)
);

  localparam logic [1:0] RESP_EXOKAY = 2'b01;

  // ---- host side ----
  a_aw_hold: assert property (@(posedge clk_i) disable iff (!rst_ni)
      awvalid_i && !awready_i |=> awvalid_i && $stable(awaddr_i))
    else $error("AW: AWVALID dropped or AWADDR changed before AWREADY");
  a_w_hold: assert property (@(posedge clk_i) disable iff (!rst_ni)
      wvalid_i && !wready_i |=> wvalid_i && $stable({wdata_i, wstrb_i}))
    else $error("W: WVALID dropped or W payload changed before WREADY");
  a_ar_hold: assert property (@(posedge clk_i) disable iff (!rst_ni)
      arvalid_i && !arready_i |=> arvalid_i && $stable(araddr_i))
    else $error("AR: ARVALID dropped or ARADDR changed before ARREADY");

  // ---- slave side ----
  a_b_hold: assert property (@(posedge clk_i) disable iff (!rst_ni)
      bvalid_i && !bready_i |=> bvalid_i && $stable(bresp_i))
    else $error("B: BVALID dropped or BRESP changed before BREADY");
  a_r_hold: assert property (@(posedge clk_i) disable iff (!rst_ni)
      rvalid_i && !rready_i |=> rvalid_i && $stable({rdata_i, rresp_i}))
    else $error("R: RVALID dropped or R payload changed before RREADY");
  a_resp_legal: assert property (@(posedge clk_i) disable iff (!rst_ni)
      !(bvalid_i && bresp_i == RESP_EXOKAY) && !(rvalid_i && rresp_i == RESP_EXOKAY))
    else $error("BRESP or RRESP is EXOKAY, which AXI4-Lite does not have");
  a_reset_quiet: assert property (@(posedge clk_i) !rst_ni |-> !bvalid_i && !rvalid_i)
    else $error("BVALID or RVALID high in reset");

endmodule
