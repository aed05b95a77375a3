// Example RTL kernel, the vehicle that proves the kernel infrastructure end to end: it streams
// `bytes` bytes from `src` to `dst` through one m_axi port, adding `addend` to every 32-bit
// little-endian word on the way (addend 0 is a plain copy), then raises ap_done and, when
// enabled, the interrupt.
// Arguments (s_axi_control): 0x10 src lo, 0x14 src hi, 0x18 dst lo, 0x1C dst hi, 0x20 bytes,
// 0x24 addend. src and dst must have the same offset inside a bus beat (DATA_WIDTH / 8 bytes):
// read beats are written back lane for lane.
// Port names follow the Vitis RTL kernel convention (ap_clk, ap_rst_n, s_axi_control_*,
// m_axi_gmem_*, interrupt) so the top could be packaged as is; ap_idle is an extra
// observation output the simulation wrapper uses to stop clocking an idle kernel.
`include "vp_axi_port.svh"
`include "vp_registers.svh"

module stream_copy_kernel #(
  parameter int unsigned DATA_WIDTH             = 512,
  parameter int unsigned MAX_OUTSTANDING_READS  = 16,
  parameter int unsigned MAX_OUTSTANDING_WRITES = 16,
  parameter int unsigned BOUNDARY_BYTES         = 4096,
  localparam int unsigned CTRL_ADDR_WIDTH       = 6,
  localparam int unsigned ADDR_WIDTH            = 64
) (
  input  logic                       ap_clk,
  input  logic                       ap_rst_n,
  // s_axi_control_* (AXI4-Lite slave) and m_axi_gmem_* (AXI4 master), rtl/vp_axi_port.svh
  `VP_S_AXI_LITE_PORTS(s_axi_control, CTRL_ADDR_WIDTH),
  `VP_M_AXI_PORTS(m_axi_gmem, ADDR_WIDTH, DATA_WIDTH),
  /* verilator lint_off SYMRSVDWORD */  // Vitis requires this name
  output logic                       interrupt,
  /* verilator lint_on SYMRSVDWORD */
  output logic                       ap_idle
);

  localparam int unsigned NUM_ARG_WORDS = 6;
  localparam int unsigned ARG_SRC_LO    = 0;
  localparam int unsigned ARG_SRC_HI    = 1;
  localparam int unsigned ARG_DST_LO    = 2;
  localparam int unsigned ARG_DST_HI    = 3;
  localparam int unsigned ARG_BYTES     = 4;
  localparam int unsigned ARG_ADDEND    = 5;
  localparam int unsigned LANES         = DATA_WIDTH / 32;

  // ---- control ----
  logic                          ap_start, ap_ready, ap_done;
  logic [32*NUM_ARG_WORDS-1:0]   args;

  axi_lite_control #(
    .ADDR_WIDTH   (CTRL_ADDR_WIDTH),
    .NUM_ARG_WORDS(NUM_ARG_WORDS)
  ) u_control (
    .clk_i          (ap_clk),
    .rst_ni         (ap_rst_n),
    `VP_AXI_LITE_SLAVE_CONNECT(s_axi_control),
    .ap_start_o     (ap_start),
    .ap_ready_i     (ap_ready),
    .ap_done_i      (ap_done),
    .ap_idle_i      (ap_idle),
    .args_o         (args),
    .interrupt_o    (interrupt)
  );

  // ---- sequencer: idle -> issue both requests -> stream -> done ----
  typedef enum logic [1:0] {StIdle, StIssue, StStream} state_e;
  state_e state_q, state_d;
  logic   rd_req_pending_q, rd_req_pending_d;
  logic   wr_req_pending_q, wr_req_pending_d;

  logic                   rd_req_ready, rd_data_valid, rd_data_ready, rd_data_last, rd_data_error, rd_idle;
  logic [DATA_WIDTH-1:0]  rd_data;
  logic                   wr_req_ready, wr_data_valid, wr_data_ready, wr_error, wr_idle;
  logic [DATA_WIDTH-1:0]  wr_data;

  assign ap_idle  = state_q == StIdle;
  assign ap_ready = state_q == StIdle && ap_start;

  always_comb begin
    state_d          = state_q;
    rd_req_pending_d = rd_req_pending_q;
    wr_req_pending_d = wr_req_pending_q;
    ap_done          = 1'b0;
    unique case (state_q)
      StIdle: begin
        if (ap_start) begin
          state_d          = StIssue;
          rd_req_pending_d = 1'b1;
          wr_req_pending_d = 1'b1;
        end
      end
      StIssue: begin
        if (rd_req_ready) rd_req_pending_d = 1'b0;
        if (wr_req_ready) wr_req_pending_d = 1'b0;
        if (!rd_req_pending_d && !wr_req_pending_d) state_d = StStream;
      end
      StStream: begin
        // Done when every beat has been read and every write answered.
        if (rd_idle && wr_idle) begin
          state_d = StIdle;
          ap_done = 1'b1;
        end
      end
      default: state_d = StIdle;
    endcase
  end

  `VP_FF(state_q, state_d, StIdle, ap_clk, ap_rst_n)
  `VP_FF(rd_req_pending_q, rd_req_pending_d, 1'b0, ap_clk, ap_rst_n)
  `VP_FF(wr_req_pending_q, wr_req_pending_d, 1'b0, ap_clk, ap_rst_n)

  // ---- datapath: read beats, add per 32-bit lane, write beats ----
  always_comb begin
    for (int unsigned l = 0; l < LANES; l++) begin
      wr_data[32*l+:32] = rd_data[32*l+:32] + args[32*ARG_ADDEND+:32];
    end
  end
  assign wr_data_valid = rd_data_valid;
  assign rd_data_ready = wr_data_ready;

  axi_read_master #(
    .DATA_WIDTH     (DATA_WIDTH),
    .ADDR_WIDTH     (ADDR_WIDTH),
    .MAX_OUTSTANDING(MAX_OUTSTANDING_READS),
    .BOUNDARY_BYTES (BOUNDARY_BYTES)
  ) u_read (
    .clk_i          (ap_clk),
    .rst_ni         (ap_rst_n),
    .req_valid_i    (state_q == StIssue && rd_req_pending_q),
    .req_ready_o    (rd_req_ready),
    .req_addr_i     ({args[32*ARG_SRC_HI+:32], args[32*ARG_SRC_LO+:32]}),
    .req_bytes_i    (args[32*ARG_BYTES+:32]),
    .data_valid_o   (rd_data_valid),
    .data_ready_i   (rd_data_ready),
    .data_o         (rd_data),
    .data_last_o    (rd_data_last),
    .data_error_o   (rd_data_error),
    .idle_o         (rd_idle),
    `VP_AXI_READ_MASTER_CONNECT(m_axi_gmem)
  );

  axi_write_master #(
    .DATA_WIDTH     (DATA_WIDTH),
    .ADDR_WIDTH     (ADDR_WIDTH),
    .MAX_OUTSTANDING(MAX_OUTSTANDING_WRITES),
    .BOUNDARY_BYTES (BOUNDARY_BYTES)
  ) u_write (
    .clk_i          (ap_clk),
    .rst_ni         (ap_rst_n),
    .req_valid_i    (state_q == StIssue && wr_req_pending_q),
    .req_ready_o    (wr_req_ready),
    .req_addr_i     ({args[32*ARG_DST_HI+:32], args[32*ARG_DST_LO+:32]}),
    .req_bytes_i    (args[32*ARG_BYTES+:32]),
    .data_valid_i   (wr_data_valid),
    .data_ready_o   (wr_data_ready),
    .data_i         (wr_data),
    .error_o        (wr_error),
    .idle_o         (wr_idle),
    `VP_AXI_WRITE_MASTER_CONNECT(m_axi_gmem)
  );

  // Bus errors are reported by the platform's bridge; this example kernel only streams.
  logic unused_status;
  assign unused_status = ^{rd_data_last, rd_data_error, wr_error};

endmodule
