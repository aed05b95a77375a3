// The kernel's s_axi_control slave: AXI4-Lite, 32-bit, with the Vitis HLS register map that
// models/kernel/kernel_control_regs.h implements at transaction level, so the host driver works with
// either kernel:
//   0x00 ap_ctrl  bit0 ap_start (set by the host, cleared when the kernel takes its arguments
//                 unless auto_restart), bit1 ap_done (clear on read), bit2 ap_idle,
//                 bit3 ap_ready (clear on read), bit7 auto_restart
//   0x04 GIE      bit0 global interrupt enable
//   0x08 IER      bit0 done, bit1 ready
//   0x0C ISR      bit0 done, bit1 ready; writing 1 toggles the bit
//   0x10 + 4 k    argument word k (k < NUM_ARG_WORDS), read/write, byte strobes honoured
// Offsets past the last argument word answer SLVERR. The kernel side follows ap_ctrl_hs:
// ap_ready_i pulses when the kernel has taken its arguments, ap_done_i when the run is over.
`include "vp_axi_port.svh"
`include "vp_registers.svh"

module axi_lite_control #(
  parameter int unsigned ADDR_WIDTH    = 8,
  parameter int unsigned NUM_ARG_WORDS = 8
) (
  input  logic                          clk_i,
  input  logic                          rst_ni,
  // AXI4-Lite slave: s_axi_aw*_i, s_axi_awready_o, ..., s_axi_rresp_o (rtl/vp_axi_port.svh)
  `VP_AXI_LITE_SLAVE_PORTS(ADDR_WIDTH),
  // Kernel side (ap_ctrl_hs)
  output logic                          ap_start_o,
  input  logic                          ap_ready_i,
  input  logic                          ap_done_i,
  input  logic                          ap_idle_i,
  output logic [32*NUM_ARG_WORDS-1:0]   args_o,       // word k at [32*k +: 32]
  output logic                          interrupt_o
);

  localparam int unsigned WORD_WIDTH = ADDR_WIDTH - 2;
  localparam int unsigned NUM_WORDS  = 4 + NUM_ARG_WORDS;
  localparam logic [1:0]  RESP_OKAY   = 2'b00;
  localparam logic [1:0]  RESP_SLVERR = 2'b10;

  localparam logic [WORD_WIDTH-1:0] WORD_CTRL = WORD_WIDTH'(0);
  localparam logic [WORD_WIDTH-1:0] WORD_GIE  = WORD_WIDTH'(1);
  localparam logic [WORD_WIDTH-1:0] WORD_IER  = WORD_WIDTH'(2);
  localparam logic [WORD_WIDTH-1:0] WORD_ISR  = WORD_WIDTH'(3);

  // ---- write path: AW and W are taken independently, the write happens once both are in ----
  logic                  aw_held_q, aw_held_d;
  logic [WORD_WIDTH-1:0] aw_word_q, aw_word_d;
  logic                  w_held_q, w_held_d;
  logic [31:0]           w_data_q, w_data_d;
  logic [3:0]            w_strb_q, w_strb_d;
  logic                  b_valid_q, b_valid_d;
  logic [1:0]            b_resp_q, b_resp_d;

  logic                  aw_fire, w_fire, write_en;
  logic [WORD_WIDTH-1:0] write_word;
  logic [31:0]           write_data, write_mask;
  logic [3:0]            write_strb;

  assign s_axi_awready_o = !aw_held_q && !b_valid_q;
  assign s_axi_wready_o  = !w_held_q && !b_valid_q;
  assign aw_fire = s_axi_awvalid_i && s_axi_awready_o;
  assign w_fire  = s_axi_wvalid_i && s_axi_wready_o;
  assign write_en   = (aw_held_q || aw_fire) && (w_held_q || w_fire);
  assign write_word = aw_held_q ? aw_word_q : s_axi_awaddr_i[ADDR_WIDTH-1:2];
  assign write_data = w_held_q ? w_data_q : s_axi_wdata_i;
  assign write_strb = w_held_q ? w_strb_q : s_axi_wstrb_i;
  always_comb begin
    for (int unsigned b = 0; b < 4; b++) write_mask[8*b+:8] = {8{write_strb[b]}};
  end

  always_comb begin
    aw_held_d = aw_held_q;
    aw_word_d = aw_word_q;
    w_held_d  = w_held_q;
    w_data_d  = w_data_q;
    w_strb_d  = w_strb_q;
    b_valid_d = b_valid_q;
    b_resp_d  = b_resp_q;
    if (aw_fire) begin
      aw_held_d = 1'b1;
      aw_word_d = s_axi_awaddr_i[ADDR_WIDTH-1:2];
    end
    if (w_fire) begin
      w_held_d = 1'b1;
      w_data_d = s_axi_wdata_i;
      w_strb_d = s_axi_wstrb_i;
    end
    if (write_en) begin
      aw_held_d = 1'b0;
      w_held_d  = 1'b0;
      b_valid_d = 1'b1;
      b_resp_d  = write_word < WORD_WIDTH'(NUM_WORDS) ? RESP_OKAY : RESP_SLVERR;
    end
    if (s_axi_bvalid_o && s_axi_bready_i) b_valid_d = 1'b0;
  end

  assign s_axi_bvalid_o = b_valid_q;
  assign s_axi_bresp_o  = b_resp_q;

  // ---- read path: one read at a time, data registered at the AR handshake ----
  logic                  r_valid_q, r_valid_d;
  logic [31:0]           r_data_q, r_data_d;
  logic [1:0]            r_resp_q, r_resp_d;
  logic                  ar_fire, read_ctrl;
  logic [WORD_WIDTH-1:0] read_word;

  assign s_axi_arready_o = !r_valid_q;
  assign ar_fire   = s_axi_arvalid_i && s_axi_arready_o;
  assign read_word = s_axi_araddr_i[ADDR_WIDTH-1:2];
  assign read_ctrl = ar_fire && read_word == WORD_CTRL;

  // ---- registers ----
  logic                          ap_start_q, ap_start_d;
  logic                          ap_done_q, ap_done_d;
  logic                          ap_ready_q, ap_ready_d;
  logic                          auto_restart_q, auto_restart_d;
  logic                          gie_q, gie_d;
  logic [1:0]                    ier_q, ier_d;
  logic [1:0]                    isr_q, isr_d;
  logic [32*NUM_ARG_WORDS-1:0]   args_q, args_d;

  logic [31:0] ctrl_value;
  assign ctrl_value = {24'd0, auto_restart_q, 3'd0, ap_ready_q, ap_idle_i, ap_done_q, ap_start_q};

  always_comb begin
    r_valid_d = r_valid_q;
    r_data_d  = r_data_q;
    r_resp_d  = r_resp_q;
    if (s_axi_rvalid_o && s_axi_rready_i) r_valid_d = 1'b0;
    if (ar_fire) begin
      r_valid_d = 1'b1;
      r_resp_d  = RESP_OKAY;
      r_data_d  = '0;
      if (read_word == WORD_CTRL) r_data_d = ctrl_value;
      else if (read_word == WORD_GIE) r_data_d = {31'd0, gie_q};
      else if (read_word == WORD_IER) r_data_d = {30'd0, ier_q};
      else if (read_word == WORD_ISR) r_data_d = {30'd0, isr_q};
      else if (read_word >= WORD_WIDTH'(NUM_WORDS)) r_resp_d = RESP_SLVERR;
      for (int unsigned k = 0; k < NUM_ARG_WORDS; k++) begin
        if (read_word == WORD_WIDTH'(4 + k)) r_data_d = args_q[32*k+:32];
      end
    end
  end

  assign s_axi_rvalid_o = r_valid_q;
  assign s_axi_rdata_o  = r_data_q;
  assign s_axi_rresp_o  = r_resp_q;

  always_comb begin
    ap_start_d     = ap_start_q;
    ap_done_d      = ap_done_q;
    ap_ready_d     = ap_ready_q;
    auto_restart_d = auto_restart_q;
    gie_d          = gie_q;
    ier_d          = ier_q;
    isr_d          = isr_q;
    args_d         = args_q;

    // Kernel events win over the host's clear-on-read in the same cycle, so none is lost.
    if (ap_ready_i) ap_start_d = auto_restart_q;
    if (ap_done_i) ap_done_d = 1'b1;
    else if (read_ctrl) ap_done_d = 1'b0;
    if (ap_ready_i) ap_ready_d = 1'b1;
    else if (read_ctrl) ap_ready_d = 1'b0;

    if (write_en && write_strb[0]) begin
      if (write_word == WORD_CTRL) begin
        // Writing 0 to ap_start has no effect: only the kernel clears it.
        if (write_data[0]) ap_start_d = 1'b1;
        auto_restart_d = write_data[7];
      end
      if (write_word == WORD_GIE) gie_d = write_data[0];
      if (write_word == WORD_IER) ier_d = write_data[1:0];
      if (write_word == WORD_ISR) isr_d = isr_q ^ write_data[1:0];
    end
    if (ier_q[0] && ap_done_i) isr_d[0] = 1'b1;
    if (ier_q[1] && ap_ready_i) isr_d[1] = 1'b1;

    for (int unsigned k = 0; k < NUM_ARG_WORDS; k++) begin
      if (write_en && write_word == WORD_WIDTH'(4 + k)) begin
        args_d[32*k+:32] = (args_q[32*k+:32] & ~write_mask) | (write_data & write_mask);
      end
    end
  end

  `VP_FF(aw_held_q, aw_held_d, 1'b0)
  `VP_FF(aw_word_q, aw_word_d, '0)
  `VP_FF(w_held_q, w_held_d, 1'b0)
  `VP_FF(w_data_q, w_data_d, '0)
  `VP_FF(w_strb_q, w_strb_d, '0)
  `VP_FF(b_valid_q, b_valid_d, 1'b0)
  `VP_FF(b_resp_q, b_resp_d, RESP_OKAY)
  `VP_FF(r_valid_q, r_valid_d, 1'b0)
  `VP_FF(r_data_q, r_data_d, '0)
  `VP_FF(r_resp_q, r_resp_d, RESP_OKAY)
  `VP_FF(ap_start_q, ap_start_d, 1'b0)
  `VP_FF(ap_done_q, ap_done_d, 1'b0)
  `VP_FF(ap_ready_q, ap_ready_d, 1'b0)
  `VP_FF(auto_restart_q, auto_restart_d, 1'b0)
  `VP_FF(gie_q, gie_d, 1'b0)
  `VP_FF(ier_q, ier_d, '0)
  `VP_FF(isr_q, isr_d, '0)
  `VP_FF(args_q, args_d, '0)

  assign ap_start_o  = ap_start_q;
  assign args_o      = args_q;
  assign interrupt_o = gie_q && (isr_q & ier_q) != 2'b00;

  // Registers are whole words: the byte offset inside a word is ignored.
  logic unused_addr;
  assign unused_addr = ^{s_axi_awaddr_i[1:0], s_axi_araddr_i[1:0]};

endmodule
