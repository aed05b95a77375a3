// The kernel's on-chip activation memory: fp32 words in 16 banks (word a in bank a % 16, row
// a / 16), each bank one simple dual-port array (BRAM/URAM in the FPGA) written at most once a
// cycle and read with a registered address. Two read ports (data one cycle after the address):
// port B reads a replica of every bank. Each port reads the 16 consecutive words from its
// address on, one per bank (a store unit's beat, a vector unit's lanes); the reader rotates
// them into order. Two write ports, never used in the same cycle (the sequencer runs one unit
// at a time): one word (matmul and attention results), or up to 16 consecutive words (an AXI
// beat of the load unit, the vector unit's lanes), which land in distinct banks.
module llama_scratchpad #(
  parameter int unsigned WORDS = 32768,
  localparam int unsigned AW   = $clog2(WORDS),
  localparam int unsigned BANKS = 16,
  localparam int unsigned RW   = AW - 4  // row address within a bank
) (
  input  logic            clk_i,
  // One word
  input  logic            we_i,
  input  logic [AW-1:0]   waddr_i,
  input  logic [31:0]     wdata_i,
  // Up to 16 words: word j (j < count) goes to address baddr + j, from beat lane (lane + j) % 16
  input  logic            bwe_i,
  input  logic [AW-1:0]   baddr_i,
  input  logic [4:0]      bcount_i,  // 1..16
  input  logic [3:0]      blane_i,
  input  logic [511:0]    bdata_i,
  // Reads
  input  logic            re_i,
  input  logic [AW-1:0]   raddr_i,
  output logic [31:0]     rdata_o,
  // Port A's 16 banks as read (bank b at [32*b+:32]) and the bank of raddr: word raddr + k is bank
  // (rbank + k) % 16, so the 16 words from raddr on are a rotation the reader makes when it needs them
  output logic [511:0]    rdata_banks_o,
  output logic [3:0]      rbank_o,
  input  logic            re_b_i,
  input  logic [AW-1:0]   raddr_b_i,
  output logic [511:0]    rdata_banks_b_o,  // port B's 16 banks and bank of raddr_b, as port A's
  output logic [3:0]      rbank_b_o
);

  // Per bank: its write (from the word port or the beat port) ...
  logic [BANKS-1:0] bank_we;
  logic [RW-1:0]    bank_wrow [BANKS];
  logic [31:0]      bank_wdata [BANKS];
  always_comb begin
    for (int unsigned b = 0; b < BANKS; b++) begin
      // offset of this bank's word in the beat write (baddr + j wraps into the next row when
      // this bank comes before baddr's), and the beat lane it comes from
      logic [3:0] j, lane;
      j    = 4'(b) - baddr_i[3:0];
      lane = blane_i + j;
      if (bwe_i) begin
        bank_we[b]    = 5'(j) < bcount_i;
        bank_wrow[b]  = baddr_i[AW-1:4] + RW'(4'(b) < baddr_i[3:0]);
        bank_wdata[b] = bdata_i[32*lane+:32];
      end else begin
        bank_we[b]    = we_i && waddr_i[3:0] == 4'(b);
        bank_wrow[b]  = waddr_i[AW-1:4];
        bank_wdata[b] = wdata_i;
      end
    end
  end

  // Port A's row per bank: bank b holds word raddr + ((b - raddr) mod 16), in the next row when
  // b comes before raddr's bank.
  logic [RW-1:0] bank_rrow_a [BANKS];
  logic [RW-1:0] bank_rrow_b [BANKS];
  always_comb
    for (int unsigned b = 0; b < BANKS; b++) begin
      bank_rrow_a[b] = raddr_i[AW-1:4] + RW'(4'(b) < raddr_i[3:0]);
      bank_rrow_b[b] = raddr_b_i[AW-1:4] + RW'(4'(b) < raddr_b_i[3:0]);
    end

  // ... and its two replicas, read at the row of each port's address.
  logic [31:0] bank_a [BANKS];
  logic [31:0] bank_b [BANKS];
  logic [3:0]  sel_a_q, sel_b_q;
  for (genvar b = 0; b < BANKS; b++) begin : g_bank
    logic [31:0] mem_a [WORDS / BANKS];
    logic [31:0] mem_b [WORDS / BANKS];
    always_ff @(posedge clk_i) begin
      if (bank_we[b]) begin
        mem_a[bank_wrow[b]] <= bank_wdata[b];
        mem_b[bank_wrow[b]] <= bank_wdata[b];
      end
      if (re_i) bank_a[b] <= mem_a[bank_rrow_a[b]];
      if (re_b_i) bank_b[b] <= mem_b[bank_rrow_b[b]];
    end
  end
  always_ff @(posedge clk_i) begin
    if (re_i) sel_a_q <= raddr_i[3:0];
    if (re_b_i) sel_b_q <= raddr_b_i[3:0];
  end
  assign rdata_o   = bank_a[sel_a_q];
  for (genvar b = 0; b < BANKS; b++) begin : g_banks
    assign rdata_banks_o[32*b+:32]   = bank_a[b];
    assign rdata_banks_b_o[32*b+:32] = bank_b[b];
  end
  assign rbank_b_o = sel_b_q;
  assign rbank_o = sel_a_q;

endmodule
