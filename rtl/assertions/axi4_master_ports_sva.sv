// The protocol checks of axi4_master_sva on each lane of a vector of read/write AXI4 master ports
// (llama_kernel's m_axi_gmem_kv_*: index p is KV port p), and the rule of the kernel's single KV
// write master steered to one lane at a time: at most one lane has AWVALID, WVALID or BREADY up
// in a cycle (AXI lets W come before its AW, so the lanes' W beats are not tied to their AWs here).
/* verilator lint_off SYNCASYNCNET */
module axi4_master_ports_sva #(
  parameter int unsigned PORTS      = 2,  // (the bind sets it; 2 for the checker's own test)
  parameter int unsigned DATA_WIDTH = 512,
  parameter int unsigned ADDR_WIDTH = 64
) (
  input logic                                 clk_i,
  input logic                                 rst_ni,
  input logic [PORTS-1:0]                     awvalid_i,
  input logic [PORTS-1:0]                     awready_i,
  input logic [PORTS-1:0][ADDR_WIDTH-1:0]     awaddr_i,
  input logic [PORTS-1:0][7:0]                awlen_i,
  input logic [PORTS-1:0][2:0]                awsize_i,
  input logic [PORTS-1:0][1:0]                awburst_i,
  input logic [PORTS-1:0]                     wvalid_i,
  input logic [PORTS-1:0]                     wready_i,
  input logic [PORTS-1:0][DATA_WIDTH-1:0]     wdata_i,
  input logic [PORTS-1:0][DATA_WIDTH/8-1:0]   wstrb_i,
  input logic [PORTS-1:0]                     wlast_i,
  input logic [PORTS-1:0]                     bvalid_i,
  input logic [PORTS-1:0]                     bready_i,
  input logic [PORTS-1:0][1:0]                bresp_i,
  input logic [PORTS-1:0]                     arvalid_i,
  input logic [PORTS-1:0]                     arready_i,
  input logic [PORTS-1:0][ADDR_WIDTH-1:0]     araddr_i,
  input logic [PORTS-1:0][7:0]                arlen_i,
  input logic [PORTS-1:0][2:0]                arsize_i,
  input logic [PORTS-1:0][1:0]                arburst_i,
  input logic [PORTS-1:0]                     rvalid_i,
  input logic [PORTS-1:0]                     rready_i,
  input logic [PORTS-1:0][DATA_WIDTH-1:0]     rdata_i,
  input logic [PORTS-1:0][1:0]                rresp_i,
  input logic [PORTS-1:0]                     rlast_i
);

  for (genvar p = 0; p < PORTS; p++) begin : g_port
    axi4_master_sva #(.DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH)) u_sva (
      .clk_i,
      .rst_ni,
      .awvalid_i(awvalid_i[p]),
      .awready_i(awready_i[p]),
      .awaddr_i (awaddr_i[p]),
      .awlen_i  (awlen_i[p]),
      .awsize_i (awsize_i[p]),
      .awburst_i(awburst_i[p]),
      .wvalid_i (wvalid_i[p]),
      .wready_i (wready_i[p]),
      .wdata_i  (wdata_i[p]),
      .wstrb_i  (wstrb_i[p]),
      .wlast_i  (wlast_i[p]),
      .bvalid_i (bvalid_i[p]),
      .bready_i (bready_i[p]),
      .bresp_i  (bresp_i[p]),
      .arvalid_i(arvalid_i[p]),
      .arready_i(arready_i[p]),
      .araddr_i (araddr_i[p]),
      .arlen_i  (arlen_i[p]),
      .arsize_i (arsize_i[p]),
      .arburst_i(arburst_i[p]),
      .rvalid_i (rvalid_i[p]),
      .rready_i (rready_i[p]),
      .rdata_i  (rdata_i[p]),
      .rresp_i  (rresp_i[p]),
      .rlast_i  (rlast_i[p])
    );
  end

  // ---- one write lane at a time ----
  a_one_writer: assert property (@(posedge clk_i) disable iff (!rst_ni)
      $onehot0(awvalid_i | wvalid_i | bready_i))
    else $error("KV write: AWVALID, WVALID or BREADY up on more than one lane at once");

endmodule
