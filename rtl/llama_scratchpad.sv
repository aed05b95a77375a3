// The kernel's on-chip activation memory: one array of fp32 words (BRAM/URAM in the FPGA) with
// one write port and two synchronous read ports (data one cycle after the address; the second
// port is a replica of the array in BRAM). The sequencer places every activation vector, row
// buffer and the attention scores in it.
module llama_scratchpad #(
  parameter int unsigned WORDS = 32768,
  localparam int unsigned AW   = $clog2(WORDS)
) (
  input  logic          clk_i,
  input  logic          we_i,
  input  logic [AW-1:0] waddr_i,
  input  logic [31:0]   wdata_i,
  input  logic          re_i,
  input  logic [AW-1:0] raddr_i,
  output logic [31:0]   rdata_o,
  input  logic          re_b_i,
  input  logic [AW-1:0] raddr_b_i,
  output logic [31:0]   rdata_b_o
);

  logic [31:0] mem [WORDS];

  always_ff @(posedge clk_i) begin
    if (we_i) mem[waddr_i] <= wdata_i;
    if (re_i) rdata_o <= mem[raddr_i];
    if (re_b_i) rdata_b_o <= mem[raddr_b_i];
  end

endmodule
