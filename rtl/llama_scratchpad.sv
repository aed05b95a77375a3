// The kernel's on-chip activation memory: fp32 words in BANKS banks (16, or 32 for a 32-lane
// vector unit; word a in bank a % BANKS, row a / BANKS), each bank one simple dual-port array
// (BRAM/URAM in the FPGA) written at most once a cycle and read with a registered address. Two
// read ports (data one cycle after the address): port B reads a replica of every bank. Each port
// reads the BANKS consecutive words from its address on, one per bank (a vector unit's lanes);
// the reader rotates them into order. Port A's words also come as a 16-bank view (the 16 words
// from the address on, word k in view bank (address + k) % 16) for the 16-word readers (the
// store unit's AXI beats, the attention unit's rows). Two write ports, never used in the same
// cycle (the sequencer runs one unit at a time): one word (matmul and attention results), or up
// to BANKS consecutive words (an AXI beat of the load unit, the vector unit's lanes), which land
// in distinct banks.
module llama_scratchpad #(
  parameter int unsigned WORDS = 32768,
  parameter int unsigned BANKS = 16,            // 16 or 32
  localparam int unsigned AW   = $clog2(WORDS),
  localparam int unsigned BL   = $clog2(BANKS),  // bank index bits
  localparam int unsigned RW   = AW - BL         // row address within a bank
) (
  input  logic            clk_i,
  // One word
  input  logic            we_i,
  input  logic [AW-1:0]   waddr_i,
  input  logic [31:0]     wdata_i,
  // Up to BANKS words: word j (j < count) goes to address baddr + j, from data lane
  // (lane + j) % BANKS (a 16-word AXI beat comes twice in bdata, so that (lane + j) % 16 is read)
  input  logic            bwe_i,
  input  logic [AW-1:0]   baddr_i,
  input  logic [BL:0]     bcount_i,  // 1..BANKS
  input  logic [BL-1:0]   blane_i,
  input  logic [32*BANKS-1:0] bdata_i,
  // Reads
  input  logic            re_i,
  input  logic [AW-1:0]   raddr_i,
  output logic [31:0]     rdata_o,
  // Port A's banks as read (bank b at [32*b+:32]) and the bank of raddr: word raddr + k is bank
  // (rbank + k) % BANKS, so the words from raddr on are a rotation the reader makes when it needs them
  output logic [32*BANKS-1:0] rdata_banks_o,
  output logic [BL-1:0]   rbank_o,
  output logic [511:0]    rdata_view16_o,   // port A's 16-bank view, and the view bank of raddr
  output logic [3:0]      rbank16_o,
  input  logic            re_b_i,
  input  logic [AW-1:0]   raddr_b_i,
  output logic [32*BANKS-1:0] rdata_banks_b_o,  // port B's banks and bank of raddr_b, as port A's
  output logic [BL-1:0]   rbank_b_o
);

  // Per bank: its write (from the word port or the beat port) ...
  logic [BANKS-1:0] bank_we;
  logic [RW-1:0]    bank_wrow [BANKS];
  logic [31:0]      bank_wdata [BANKS];
  always_comb begin
    for (int unsigned b = 0; b < BANKS; b++) begin
      // offset of this bank's word in the beat write (baddr + j wraps into the next row when
      // this bank comes before baddr's), and the beat lane it comes from
      logic [BL-1:0] j, lane;
      j    = BL'(b) - baddr_i[BL-1:0];
      lane = blane_i + j;
      if (bwe_i) begin
        bank_we[b]    = (BL+1)'(j) < bcount_i;
        bank_wrow[b]  = baddr_i[AW-1:BL] + RW'(BL'(b) < baddr_i[BL-1:0]);
        bank_wdata[b] = bdata_i[32*lane+:32];
      end else begin
        bank_we[b]    = we_i && waddr_i[BL-1:0] == BL'(b);
        bank_wrow[b]  = waddr_i[AW-1:BL];
        bank_wdata[b] = wdata_i;
      end
    end
  end

  // Port A's row per bank: bank b holds word raddr + ((b - raddr) mod BANKS), in the next row when
  // b comes before raddr's bank.
  logic [RW-1:0] bank_rrow_a [BANKS];
  logic [RW-1:0] bank_rrow_b [BANKS];
  always_comb
    for (int unsigned b = 0; b < BANKS; b++) begin
      bank_rrow_a[b] = raddr_i[AW-1:BL] + RW'(BL'(b) < raddr_i[BL-1:0]);
      bank_rrow_b[b] = raddr_b_i[AW-1:BL] + RW'(BL'(b) < raddr_b_i[BL-1:0]);
    end

  // ... and its two replicas, read at the row of each port's address.
  logic [31:0] bank_a [BANKS];
  logic [31:0] bank_b [BANKS];
  logic [BL-1:0] sel_a_q, sel_b_q;
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
    if (re_i) sel_a_q <= raddr_i[BL-1:0];
    if (re_b_i) sel_b_q <= raddr_b_i[BL-1:0];
  end
  assign rdata_o   = bank_a[sel_a_q];
  for (genvar b = 0; b < BANKS; b++) begin : g_banks
    assign rdata_banks_o[32*b+:32]   = bank_a[b];
    assign rdata_banks_b_o[32*b+:32] = bank_b[b];
  end
  assign rbank_b_o = sel_b_q;
  assign rbank_o = sel_a_q;

  // The 16-bank view: view bank v holds word raddr + ((v - raddr) mod 16), which is in bank
  // (raddr + ((v - raddr) mod 16)) % BANKS (bank v itself when BANKS = 16).
  if (BANKS == 16) begin : g_view_is_banks
    assign rdata_view16_o = rdata_banks_o[511:0];
  end else begin : g_view
    for (genvar v = 0; v < 16; v++) begin : g_word
      logic [BL-1:0] bank;
      assign bank = sel_a_q + BL'(4'(v) - sel_a_q[3:0]);
      assign rdata_view16_o[32*v+:32] = bank_a[bank];
    end
  end
  assign rbank16_o = sel_a_q[3:0];

endmodule
