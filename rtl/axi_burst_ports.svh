// Parameters, ports and connections that the burst modules share (axi_read_master,
// axi_write_master, axi_burst_issuer, axi_burst_splitter), written once as rtl/vp_axi_port.svh
// writes the AXI channels. No trailing commas.
//   `VP_AXI_BURST_PARAMS          the masters' and the issuer's parameters (bus, request and burst
//                                 limits)
//   `VP_AXI_BURST_PARAMS_MAP      the same parameters passed on to an axi_burst_issuer
//   `VP_AXI_BURST_REQ_PORTS       clk_i, rst_ni and the (address, byte length) request handshake
//                                 (req_valid_i, req_ready_o, req_addr_i, req_bytes_i)
//   `VP_AXI_BURST_REQ_CONNECT     those ports connected to the same names one level up
`ifndef AXI_BURST_PORTS_SVH
`define AXI_BURST_PORTS_SVH

`define VP_AXI_BURST_PARAMS                   \
  parameter int unsigned DATA_WIDTH      = 512, \
  parameter int unsigned ADDR_WIDTH      = 64,  \
  parameter int unsigned BYTES_WIDTH     = 32,  \
  parameter int unsigned MAX_OUTSTANDING = 16,  \
  parameter int unsigned MAX_BURST_BEATS = 256, \
  parameter int unsigned BOUNDARY_BYTES  = 4096

`define VP_AXI_BURST_PARAMS_MAP         \
  .DATA_WIDTH     (DATA_WIDTH),         \
  .ADDR_WIDTH     (ADDR_WIDTH),         \
  .BYTES_WIDTH    (BYTES_WIDTH),        \
  .MAX_OUTSTANDING(MAX_OUTSTANDING),    \
  .MAX_BURST_BEATS(MAX_BURST_BEATS),    \
  .BOUNDARY_BYTES (BOUNDARY_BYTES)

`define VP_AXI_BURST_REQ_PORTS                  \
  input  logic                   clk_i,         \
  input  logic                   rst_ni,        \
  input  logic                   req_valid_i,   \
  output logic                   req_ready_o,   \
  input  logic [ADDR_WIDTH-1:0]  req_addr_i,    \
  input  logic [BYTES_WIDTH-1:0] req_bytes_i

`define VP_AXI_BURST_REQ_CONNECT \
  .clk_i,                        \
  .rst_ni,                       \
  .req_valid_i,                  \
  .req_ready_o,                  \
  .req_addr_i,                   \
  .req_bytes_i

`endif  // AXI_BURST_PORTS_SVH
