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
  // s_axi_control
  input  logic                       s_axi_control_awvalid,
  output logic                       s_axi_control_awready,
  input  logic [CTRL_ADDR_WIDTH-1:0] s_axi_control_awaddr,
  input  logic                       s_axi_control_wvalid,
  output logic                       s_axi_control_wready,
  input  logic [31:0]                s_axi_control_wdata,
  input  logic [3:0]                 s_axi_control_wstrb,
  output logic                       s_axi_control_bvalid,
  input  logic                       s_axi_control_bready,
  output logic [1:0]                 s_axi_control_bresp,
  input  logic                       s_axi_control_arvalid,
  output logic                       s_axi_control_arready,
  input  logic [CTRL_ADDR_WIDTH-1:0] s_axi_control_araddr,
  output logic                       s_axi_control_rvalid,
  input  logic                       s_axi_control_rready,
  output logic [31:0]                s_axi_control_rdata,
  output logic [1:0]                 s_axi_control_rresp,
  // m_axi_gmem
  output logic                       m_axi_gmem_awvalid,
  input  logic                       m_axi_gmem_awready,
  output logic [ADDR_WIDTH-1:0]      m_axi_gmem_awaddr,
  output logic [7:0]                 m_axi_gmem_awlen,
  output logic [2:0]                 m_axi_gmem_awsize,
  output logic [1:0]                 m_axi_gmem_awburst,
  output logic                       m_axi_gmem_wvalid,
  input  logic                       m_axi_gmem_wready,
  output logic [DATA_WIDTH-1:0]      m_axi_gmem_wdata,
  output logic [DATA_WIDTH/8-1:0]    m_axi_gmem_wstrb,
  output logic                       m_axi_gmem_wlast,
  input  logic                       m_axi_gmem_bvalid,
  output logic                       m_axi_gmem_bready,
  input  logic [1:0]                 m_axi_gmem_bresp,
  output logic                       m_axi_gmem_arvalid,
  input  logic                       m_axi_gmem_arready,
  output logic [ADDR_WIDTH-1:0]      m_axi_gmem_araddr,
  output logic [7:0]                 m_axi_gmem_arlen,
  output logic [2:0]                 m_axi_gmem_arsize,
  output logic [1:0]                 m_axi_gmem_arburst,
  input  logic                       m_axi_gmem_rvalid,
  output logic                       m_axi_gmem_rready,
  input  logic [DATA_WIDTH-1:0]      m_axi_gmem_rdata,
  input  logic [1:0]                 m_axi_gmem_rresp,
  input  logic                       m_axi_gmem_rlast,
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
    .s_axi_awvalid_i(s_axi_control_awvalid),
    .s_axi_awready_o(s_axi_control_awready),
    .s_axi_awaddr_i (s_axi_control_awaddr),
    .s_axi_wvalid_i (s_axi_control_wvalid),
    .s_axi_wready_o (s_axi_control_wready),
    .s_axi_wdata_i  (s_axi_control_wdata),
    .s_axi_wstrb_i  (s_axi_control_wstrb),
    .s_axi_bvalid_o (s_axi_control_bvalid),
    .s_axi_bready_i (s_axi_control_bready),
    .s_axi_bresp_o  (s_axi_control_bresp),
    .s_axi_arvalid_i(s_axi_control_arvalid),
    .s_axi_arready_o(s_axi_control_arready),
    .s_axi_araddr_i (s_axi_control_araddr),
    .s_axi_rvalid_o (s_axi_control_rvalid),
    .s_axi_rready_i (s_axi_control_rready),
    .s_axi_rdata_o  (s_axi_control_rdata),
    .s_axi_rresp_o  (s_axi_control_rresp),
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

  always_ff @(posedge ap_clk or negedge ap_rst_n) begin
    if (!ap_rst_n) begin
      state_q          <= StIdle;
      rd_req_pending_q <= 1'b0;
      wr_req_pending_q <= 1'b0;
    end else begin
      state_q          <= state_d;
      rd_req_pending_q <= rd_req_pending_d;
      wr_req_pending_q <= wr_req_pending_d;
    end
  end

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
    .m_axi_arvalid_o(m_axi_gmem_arvalid),
    .m_axi_arready_i(m_axi_gmem_arready),
    .m_axi_araddr_o (m_axi_gmem_araddr),
    .m_axi_arlen_o  (m_axi_gmem_arlen),
    .m_axi_arsize_o (m_axi_gmem_arsize),
    .m_axi_arburst_o(m_axi_gmem_arburst),
    .m_axi_rvalid_i (m_axi_gmem_rvalid),
    .m_axi_rready_o (m_axi_gmem_rready),
    .m_axi_rdata_i  (m_axi_gmem_rdata),
    .m_axi_rresp_i  (m_axi_gmem_rresp),
    .m_axi_rlast_i  (m_axi_gmem_rlast)
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
    .m_axi_awvalid_o(m_axi_gmem_awvalid),
    .m_axi_awready_i(m_axi_gmem_awready),
    .m_axi_awaddr_o (m_axi_gmem_awaddr),
    .m_axi_awlen_o  (m_axi_gmem_awlen),
    .m_axi_awsize_o (m_axi_gmem_awsize),
    .m_axi_awburst_o(m_axi_gmem_awburst),
    .m_axi_wvalid_o (m_axi_gmem_wvalid),
    .m_axi_wready_i (m_axi_gmem_wready),
    .m_axi_wdata_o  (m_axi_gmem_wdata),
    .m_axi_wstrb_o  (m_axi_gmem_wstrb),
    .m_axi_wlast_o  (m_axi_gmem_wlast),
    .m_axi_bvalid_i (m_axi_gmem_bvalid),
    .m_axi_bready_o (m_axi_gmem_bready),
    .m_axi_bresp_i  (m_axi_gmem_bresp)
  );

  // Bus errors are reported by the platform's bridge; this example kernel only streams.
  logic unused_status;
  assign unused_status = ^{rd_data_last, rd_data_error, wr_error};

endmodule
