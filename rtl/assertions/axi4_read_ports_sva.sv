// The protocol checks of axi4_master_sva on each lane of a vector of read-only AXI4 master ports
// (llama_kernel's m_axi_gmem_w_*: index p is weight port p); their write channels are idle.
module axi4_read_ports_sva #(
  parameter int unsigned PORTS      = 1,
  parameter int unsigned DATA_WIDTH = 512,
  parameter int unsigned ADDR_WIDTH = 64
) (
  input logic                                clk_i,
  input logic                                rst_ni,
  input logic [PORTS-1:0]                    arvalid_i,
  input logic [PORTS-1:0]                    arready_i,
  input logic [PORTS-1:0][ADDR_WIDTH-1:0]    araddr_i,
  input logic [PORTS-1:0][7:0]               arlen_i,
  input logic [PORTS-1:0][2:0]               arsize_i,
  input logic [PORTS-1:0][1:0]               arburst_i,
  input logic [PORTS-1:0]                    rvalid_i,
  input logic [PORTS-1:0]                    rready_i,
  input logic [PORTS-1:0][DATA_WIDTH-1:0]    rdata_i,
  input logic [PORTS-1:0][1:0]               rresp_i,
  input logic [PORTS-1:0]                    rlast_i
);

  for (genvar p = 0; p < PORTS; p++) begin : g_port
    axi4_master_sva #(.DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH)) u_sva (
      .clk_i,
      .rst_ni,
      .awvalid_i(1'b0),
      .awready_i(1'b0),
      .awaddr_i ('0),
      .awlen_i  ('0),
      .awsize_i ('0),
      .awburst_i('0),
      .wvalid_i (1'b0),
      .wready_i (1'b0),
      .wdata_i  ('0),
      .wstrb_i  ('0),
      .wlast_i  (1'b0),
      .bvalid_i (1'b0),
      .bready_i (1'b1),
      .bresp_i  ('0),
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

endmodule
