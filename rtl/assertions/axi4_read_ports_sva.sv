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

  // The read/write ports' checks with the write channels idle (no AWVALID, WVALID or BREADY on
  // any lane, so its one-writer rule holds trivially).
  axi4_master_ports_sva #(.PORTS(PORTS), .DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH)) u_sva (
    .clk_i,
    .rst_ni,
    .awvalid_i('0),
    .awready_i('0),
    .awaddr_i ('0),
    .awlen_i  ('0),
    .awsize_i ('0),
    .awburst_i('0),
    .wvalid_i ('0),
    .wready_i ('0),
    .wdata_i  ('0),
    .wstrb_i  ('0),
    .wlast_i  ('0),
    .bvalid_i ('0),
    .bready_i ('0),
    .bresp_i  ('0),
    .arvalid_i,
    .arready_i,
    .araddr_i,
    .arlen_i,
    .arsize_i,
    .arburst_i,
    .rvalid_i,
    .rready_i,
    .rdata_i,
    .rresp_i,
    .rlast_i
  );

endmodule
