// The Llama 2 forward-pass kernel in RTL: the microarchitecture of hls/llama_kernel.h, one
// token at one position per ap_start, bit-exact with the hls/ kernel and the golden Q8_0 model.
//   s_axi_control  Vitis register map (hls/device_layout.h kernel_args): token, pos, key_cache,
//                  value_cache (KV port 0), logits, weights[0..WEIGHT_PORTS-1], then key_cache and
//                  value_cache of KV ports 1..KV_PORTS-1; ap_ctrl_hs and interrupt
//   m_axi_gmem_w   WEIGHT_PORTS read-only weight ports as vectors of ports (index p: Vitis's
//                  m_axi_gmem_w<p>): port 0 has the descriptor, RMS weights and RoPE table; the
//                  matrices and the embedding rows are interleaved over all of them
//   m_axi_gmem_kv  KV_PORTS key/value cache ports as vectors of ports (index p: Vitis's
//                  m_axi_gmem_kv<p>, m_axi_gmem_kv for one port): port p holds the positions
//                  t % KV_PORTS == p (rows written; each layer's rows read back in one request per port)
//   m_axi_gmem_out logits, in 16-word blocks as the classifier produces them
// Inside: the layer sequencer (llama_sequencer) commands a load unit, a store unit, the fp32
// vector unit, the attention unit (scores and weighted sum streamed from the KV_PORTS KV ports,
// one lane per port in lockstep) and the
// WEIGHT_PORTS int8 matmul engines (llama_gemv_array, one per weight port) around one
// scratchpad. The descriptor's weight_ports must equal WEIGHT_PORTS and its kv_ports KV_PORTS
// (which the RTL does not read); the platform checks a
// descriptor against these parameters before it starts the kernel
// (models/verilated/llama_rtl_limits.h).
// ap_idle, kernel_phase_o and kernel_layer_o are observation outputs for the simulation wrapper
// and waveforms.
`include "vp_axi_port.svh"

module llama_kernel #(
  parameter int unsigned WEIGHT_PORTS           = 1,
  parameter int unsigned KV_PORTS               = 1,   // 1, 2, 4, 8 or 16
  parameter int unsigned MAC_LANES              = 64,
  parameter int unsigned SPM_WORDS              = 32768,
  parameter int unsigned MAX_COLS               = 4096,
  parameter int unsigned MAX_ROW_GROUPS         = 128,
  parameter int unsigned ACCUMULATORS           = 8,
  // Each weight port's beat FIFO (llama_weight_prefetch): the matrices are read that many beats
  // ahead of the matmul engines; 0: none (each matmul requests its matrix at its start)
  parameter int unsigned PREFETCH_BEATS         = 512,  // 0 or a power of two >= 64
  parameter int unsigned FP_LANES               = 16,  // vector-unit lanes (llama_vector_stream, llama_quantize): 1, 2, 4, 8, 16, 32
  parameter int unsigned MAX_OUTSTANDING_READS  = 16,
  parameter int unsigned MAX_OUTSTANDING_WRITES = 16,
  // Idle units on gated clocks (vp_clock_gate): the same results and cycles, a faster Verilated model
  parameter bit          CLOCK_GATES            = 1'b1,
  // Registers up to the last KV port's value_cache high word (0x38 + 8 * WEIGHT_PORTS +
  // 16 * (KV_PORTS - 1) - 4), with room for at least one unmapped word (which answers SLVERR):
  // 7 bits up to 8 weight ports and one KV port
  localparam int unsigned CTRL_ADDR_WIDTH       = $clog2(32'h39 + 8 * WEIGHT_PORTS + 16 * (KV_PORTS - 1)),
  localparam int unsigned ADDR_WIDTH            = 64,
  localparam int unsigned DATA_WIDTH            = 512
) (
  input  logic                       ap_clk,
  input  logic                       ap_rst_n,
  `VP_S_AXI_LITE_PORTS(s_axi_control, CTRL_ADDR_WIDTH),
  // the weight ports, read-only, one lane of each vector per port (port p's signals at index p)
  `VP_M_AXI_READ_PORT_VECTOR(m_axi_gmem_w, WEIGHT_PORTS, ADDR_WIDTH, DATA_WIDTH),
  // the KV ports, read and write, one lane of each vector per port (port p's signals at index p)
  `VP_M_AXI_PORT_VECTOR(m_axi_gmem_kv, KV_PORTS, ADDR_WIDTH, DATA_WIDTH),
  // the logits
  `VP_M_AXI_PORTS(m_axi_gmem_out, ADDR_WIDTH, DATA_WIDTH),
  /* verilator lint_off SYMRSVDWORD */  // Vitis requires this name
  output logic                       interrupt,
  /* verilator lint_on SYMRSVDWORD */
  output logic                       ap_idle,
  output logic [3:0]                 kernel_phase_o,
  output logic [7:0]                 kernel_layer_o
);

  localparam int unsigned SPM_AW         = $clog2(SPM_WORDS);
  // Scratchpad banks: the vector unit's window is max(FP_LANES, 16) words (llama_vector_unit)
  localparam int unsigned SPM_BANKS      = FP_LANES > 16 ? FP_LANES : 16;
  localparam int unsigned SPM_BL         = $clog2(SPM_BANKS);
  localparam int unsigned WPW            = WEIGHT_PORTS > 1 ? $clog2(WEIGHT_PORTS) : 1;
  localparam int unsigned KPW            = KV_PORTS > 1 ? $clog2(KV_PORTS) : 1;
  // 0x10 .. 0x38 + 8 * WEIGHT_PORTS + 16 * (KV_PORTS - 1) - 4
  localparam int unsigned NUM_ARG_WORDS  = 10 + 2 * WEIGHT_PORTS + 4 * (KV_PORTS - 1);
  localparam int unsigned ARG_TOKEN      = 0;
  localparam int unsigned ARG_POS        = 2;
  localparam int unsigned ARG_KEY_CACHE  = 4;
  localparam int unsigned ARG_VALUE_CACHE = 6;
  localparam int unsigned ARG_LOGITS     = 8;
  localparam int unsigned ARG_WEIGHTS0   = 10;
  localparam int unsigned ARG_KV1        = 10 + 2 * WEIGHT_PORTS;  // KV port 1's key_cache, then value_cache

  // ---- control ----
  logic                        ap_start, ap_ready, ap_done;
  logic [32*NUM_ARG_WORDS-1:0] args;
  logic [WEIGHT_PORTS*ADDR_WIDTH-1:0] weights;  // each weight port's buffer

  function automatic logic [ADDR_WIDTH-1:0] arg64(input logic [32*NUM_ARG_WORDS-1:0] words, input int unsigned k);
    arg64 = {words[32*(k+1)+:32], words[32*k+:32]};
  endfunction
  for (genvar p = 0; p < WEIGHT_PORTS; p++) begin : g_weights_arg
    assign weights[ADDR_WIDTH*p+:ADDR_WIDTH] = arg64(args, ARG_WEIGHTS0 + 2 * p);
  end
  logic [KV_PORTS*ADDR_WIDTH-1:0] key_caches, value_caches;  // each KV port's caches
  for (genvar p = 0; p < KV_PORTS; p++) begin : g_kv_arg
    if (p == 0) begin : g_first
      assign key_caches[ADDR_WIDTH-1:0]   = arg64(args, ARG_KEY_CACHE);
      assign value_caches[ADDR_WIDTH-1:0] = arg64(args, ARG_VALUE_CACHE);
    end else begin : g_more
      assign key_caches[ADDR_WIDTH*p+:ADDR_WIDTH]   = arg64(args, ARG_KV1 + 4 * (p - 1));
      assign value_caches[ADDR_WIDTH*p+:ADDR_WIDTH] = arg64(args, ARG_KV1 + 4 * (p - 1) + 2);
    end
  end

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

  // ---- sequencer ----
  logic                  load_start, load_done;
  logic [ADDR_WIDTH-1:0] load_addr;
  logic [31:0]           load_words;
  logic [SPM_AW-1:0]     load_spm;
  logic                  store_start, store_out, store_done, store_busy;
  logic [KPW-1:0]        store_kv_port;
  logic [ADDR_WIDTH-1:0] store_addr;
  logic [31:0]           store_words;
  logic [SPM_AW-1:0]     store_spm;
  logic                  vec_start, vec_done;
  llama_pkg::vector_op_e vec_op;
  logic [3:0]            gs_log2;
  logic [SPM_AW-1:0]     vec_a, vec_b, vec_c, vec_dst, att_stride;
  logic [31:0]           vec_n, vec_scalar;
  logic [15:0]           heads, head_size, kv_mul, kv_dim;
  logic                  att_start, att_wsum, att_done;
  logic [KV_PORTS*ADDR_WIDTH-1:0] att_addr;
  logic [31:0]           att_positions, att_scalar;
  logic [SPM_AW-1:0]     att_q, att_att, att_xb;
  logic                  mm_start, mm_logits, mm_done;
  logic [ADDR_WIDTH-1:0] mm_offset;
  logic                  pf_valid, pf_ready;   // the next matrix named to the weight streams
  logic [ADDR_WIDTH-1:0] pf_offset;
  logic [31:0]           pf_rows;
  logic [15:0]           pf_row_beats;
  logic [WPW-1:0]        load_port;
  logic [31:0]           mm_rows, logits_stored;
  logic [15:0]           mm_cols, mm_row_beats;
  logic [SPM_AW-1:0]     mm_dst;

  // Scratchpad ports
  logic              spm_we, spm_re;
  logic [SPM_AW-1:0] spm_waddr, spm_raddr;
  logic [31:0]       spm_wdata, spm_rdata;
  logic [32*SPM_BANKS-1:0] spm_banks, spm_banks_b;
  logic [SPM_BL-1:0] spm_rbank, spm_rbank_b;
  logic [511:0]      spm_view16;  // port A as 16 banks, for the 16-word readers
  logic [3:0]        spm_rbank16;
  logic [SPM_BL:0]   vec_wcount;
  logic [32*SPM_BANKS-1:0] vec_wdata;
  logic              vec_re_b;
  logic [SPM_AW-1:0] vec_raddr_b;
  logic              load_we, vec_we, vec_re, store_re, att_we, att_re;
  logic [SPM_AW-1:0] load_waddr, vec_waddr, vec_raddr, store_raddr, att_waddr, att_raddr;
  logic [4:0]        load_count;
  logic [3:0]        load_lane;
  logic [511:0]      load_beat;
  logic [31:0]       att_wdata;
  logic              att_bwe;
  logic [4:0]        att_bcount;
  logic [SPM_AW-1:0] att_baddr;
  logic [511:0]      att_bdata;

  // Matmul results
  logic        res_valid, res_ready;
  logic [31:0] res_row, res_data;

  llama_sequencer #(.SPM_AW(SPM_AW), .WEIGHT_PORTS(WEIGHT_PORTS), .KV_PORTS(KV_PORTS)) u_sequencer (
    .clk_i          (ap_clk),
    .rst_ni         (ap_rst_n),
    .ap_start_i     (ap_start),
    .ap_ready_o     (ap_ready),
    .ap_done_o      (ap_done),
    .ap_idle_o      (ap_idle),
    .token_i        (args[32*ARG_TOKEN+:32]),
    .pos_i          (args[32*ARG_POS+:32]),
    .key_cache_i    (key_caches),
    .value_cache_i  (value_caches),
    .logits_i       (arg64(args, ARG_LOGITS)),
    .weights_i      (weights),
    .phase_o        (kernel_phase_o),
    .layer_o        (kernel_layer_o),
    .desc_we_i      (load_we),
    .desc_waddr_i   (load_waddr),
    .desc_beat_i    (load_beat),
    .load_start_o   (load_start),
    .load_addr_o    (load_addr),
    .load_words_o   (load_words),
    .load_spm_o     (load_spm),
    .load_port_o    (load_port),
    .load_done_i    (load_done),
    .store_start_o  (store_start),
    .store_out_o    (store_out),
    .store_kv_port_o(store_kv_port),
    .store_addr_o   (store_addr),
    .store_words_o  (store_words),
    .store_spm_o    (store_spm),
    .store_done_i   (store_done),
    .vec_start_o    (vec_start),
    .vec_op_o       (vec_op),
    .vec_a_o        (vec_a),
    .vec_b_o        (vec_b),
    .vec_c_o        (vec_c),
    .vec_dst_o      (vec_dst),
    .vec_n_o        (vec_n),
    .vec_scalar_o   (vec_scalar),
    .gs_log2_o      (gs_log2),
    .heads_o        (heads),
    .head_size_o    (head_size),
    .kv_mul_o       (kv_mul),
    .kv_dim_o       (kv_dim),
    .att_stride_o   (att_stride),
    .vec_done_i     (vec_done),
    .att_start_o    (att_start),
    .att_wsum_o     (att_wsum),
    .att_addr_o     (att_addr),
    .att_positions_o(att_positions),
    .att_q_o        (att_q),
    .att_att_o      (att_att),
    .att_xb_o       (att_xb),
    .att_scalar_o   (att_scalar),
    .att_done_i     (att_done),
    .mm_start_o     (mm_start),
    .mm_offset_o    (mm_offset),
    .mm_rows_o      (mm_rows),
    .mm_cols_o      (mm_cols),
    .mm_row_beats_o (mm_row_beats),
    .mm_dst_o       (mm_dst),
    .pf_valid_o     (pf_valid),
    .pf_ready_i     (pf_ready),
    .pf_offset_o    (pf_offset),
    .pf_rows_o      (pf_rows),
    .pf_row_beats_o (pf_row_beats),
    .mm_logits_o    (mm_logits),
    .mm_done_i      (mm_done),
    .mm_result_i    (res_valid && res_ready),
    .logits_stored_o(logits_stored)
  );

  // ---- scratchpad: one unit writes and one reads at a time; the word port takes the matmul
  // results (and the attention unit's xb words for head_size < 16), the beat port (SPM_BANKS
  // words) the load unit's beats, the vector unit's lanes and the attention unit's scores and xb
  // rows ----
  llama_scratchpad #(.WORDS(SPM_WORDS), .BANKS(SPM_BANKS)) u_spm (
    .clk_i  (ap_clk),
    .we_i   (spm_we),
    .waddr_i(spm_waddr),
    .wdata_i(spm_wdata),
    .bwe_i    (load_we || vec_we || att_bwe),  // load beats, vector lanes or attention xb rows
    .baddr_i  (load_we ? load_waddr : att_bwe ? att_baddr : vec_waddr),
    .bcount_i (load_we ? (SPM_BL+1)'(load_count) : att_bwe ? (SPM_BL+1)'(att_bcount) : vec_wcount),
    .blane_i  (load_we ? SPM_BL'(load_lane) : '0),
    // a 16-word beat twice, so that its lanes wrap at 16 in a wider write (llama_scratchpad)
    .bdata_i  (load_we ? {(SPM_BANKS/16){load_beat}} : att_bwe ? {(SPM_BANKS/16){att_bdata}} : vec_wdata),
    .re_i     (spm_re),
    .raddr_i  (spm_raddr),
    .rdata_o  (spm_rdata),
    .rdata_banks_o(spm_banks),
    .rbank_o  (spm_rbank),
    .rdata_view16_o(spm_view16),
    .rbank16_o(spm_rbank16),
    .re_b_i   (vec_re_b),
    .raddr_b_i(vec_raddr_b),
    .rdata_banks_b_o(spm_banks_b),
    .rbank_b_o(spm_rbank_b)
  );

  // The classifier's results go to a 32-word ring that the logits stores drain.
  assign res_ready = !mm_logits || res_row < logits_stored + 32;
  always_comb begin
    spm_we    = 1'b1;
    spm_waddr = att_waddr;
    spm_wdata = att_wdata;
    if (res_valid && res_ready) begin
      spm_waddr = mm_logits ? mm_dst + SPM_AW'(res_row[4:0]) : mm_dst + SPM_AW'(res_row);
      spm_wdata = res_data;
    end else if (att_we) begin
      spm_waddr = att_waddr;
      spm_wdata = att_wdata;
    end else begin
      spm_we = 1'b0;
    end
  end
  assign spm_re    = store_re || vec_re || att_re;
  assign spm_raddr = store_re ? store_raddr : att_re ? att_raddr : vec_raddr;

  // ---- read and write masters ----
  logic [WEIGHT_PORTS-1:0]                 w_rd_req_valid, w_rd_req_ready, w_rd_data_valid, w_rd_data_ready;
  logic [WEIGHT_PORTS-1:0]                 w_rd_data_last, w_rd_data_error, w_rd_idle;
  logic [WEIGHT_PORTS*ADDR_WIDTH-1:0] w_rd_req_addr;
  logic [WEIGHT_PORTS*32-1:0]           w_rd_req_bytes;
  logic [WEIGHT_PORTS*DATA_WIDTH-1:0] w_rd_data;
  logic [KV_PORTS-1:0]            kv_rd_req_valid, kv_rd_req_ready, kv_rd_data_valid, kv_rd_data_ready;
  logic [KV_PORTS-1:0]            kv_rd_data_last, kv_rd_data_error, kv_rd_idle;
  logic [KV_PORTS*ADDR_WIDTH-1:0] kv_rd_req_addr;
  logic [KV_PORTS*32-1:0]         kv_rd_req_bytes;
  logic [KV_PORTS*DATA_WIDTH-1:0] kv_rd_data;
  logic                  kv_wr_req_valid, kv_wr_req_ready, kv_wr_data_valid, kv_wr_data_ready;
  logic                  kv_wr_error, kv_wr_idle;
  logic [ADDR_WIDTH-1:0] kv_wr_req_addr;
  logic [31:0]           kv_wr_req_bytes;
  logic [DATA_WIDTH-1:0] kv_wr_data;
  // The KV write master's AXI side, steered to the lane of the store's KV port
  logic                    kv_awvalid, kv_awready, kv_wvalid, kv_wready, kv_wlast, kv_bvalid, kv_bready;
  logic [ADDR_WIDTH-1:0]   kv_awaddr;
  logic [7:0]              kv_awlen;
  logic [2:0]              kv_awsize;
  logic [1:0]              kv_awburst, kv_bresp;
  logic [DATA_WIDTH-1:0]   kv_wdata;
  logic [DATA_WIDTH/8-1:0] kv_wstrb;
  logic                  out_wr_req_valid, out_wr_req_ready, out_wr_data_valid, out_wr_data_ready;
  logic                  out_wr_error, out_wr_idle;
  logic [ADDR_WIDTH-1:0] out_wr_req_addr;
  logic [31:0]           out_wr_req_bytes;
  logic [DATA_WIDTH-1:0] out_wr_data;

  // One read master per weight port (w_rd_*, m_axi_gmem_w_*) and one per KV port (kv_rd_*,
  // m_axi_gmem_kv_*; the attention unit streams every port at once), the same instance on lane p
  // of each side's vectors, written once:
`define LLAMA_KERNEL_READ_MASTER(__rd, __axi)                            \
    axi_read_master #(                                                   \
      .DATA_WIDTH     (DATA_WIDTH),                                      \
      .ADDR_WIDTH     (ADDR_WIDTH),                                      \
      .MAX_OUTSTANDING(MAX_OUTSTANDING_READS)                            \
    ) u_read (                                                           \
      .clk_i          (ap_clk),                                          \
      .rst_ni         (ap_rst_n),                                        \
      .req_valid_i    (__rd``_req_valid[p]),                             \
      .req_ready_o    (__rd``_req_ready[p]),                             \
      .req_addr_i     (__rd``_req_addr[ADDR_WIDTH*p+:ADDR_WIDTH]),       \
      .req_bytes_i    (__rd``_req_bytes[32*p+:32]),                      \
      .data_valid_o   (__rd``_data_valid[p]),                            \
      .data_ready_i   (__rd``_data_ready[p]),                            \
      .data_o         (__rd``_data[DATA_WIDTH*p+:DATA_WIDTH]),           \
      .data_last_o    (__rd``_data_last[p]),                             \
      .data_error_o   (__rd``_data_error[p]),                            \
      .idle_o         (__rd``_idle[p]),                                  \
      .m_axi_arvalid_o(__axi``_arvalid[p]),                              \
      .m_axi_arready_i(__axi``_arready[p]),                              \
      .m_axi_araddr_o (__axi``_araddr[ADDR_WIDTH*p+:ADDR_WIDTH]),        \
      .m_axi_arlen_o  (__axi``_arlen[8*p+:8]),                           \
      .m_axi_arsize_o (__axi``_arsize[3*p+:3]),                          \
      .m_axi_arburst_o(__axi``_arburst[2*p+:2]),                         \
      .m_axi_rvalid_i (__axi``_rvalid[p]),                               \
      .m_axi_rready_o (__axi``_rready[p]),                               \
      .m_axi_rdata_i  (__axi``_rdata[DATA_WIDTH*p+:DATA_WIDTH]),         \
      .m_axi_rresp_i  (__axi``_rresp[2*p+:2]),                           \
      .m_axi_rlast_i  (__axi``_rlast[p])                                 \
    );
  for (genvar p = 0; p < WEIGHT_PORTS; p++) begin : g_weight_port
    `LLAMA_KERNEL_READ_MASTER(w_rd, m_axi_gmem_w)
  end
  for (genvar p = 0; p < KV_PORTS; p++) begin : g_kv_port
    `LLAMA_KERNEL_READ_MASTER(kv_rd, m_axi_gmem_kv)
  end
`undef LLAMA_KERNEL_READ_MASTER

  // ... and one write master for the cache rows, its AXI channels on the lane of the row's port
  // (store_kv_port holds from a store's start until its next one, past the store's last response;
  // the other lanes' write channels are idle and their inputs ignored).
  axi_write_master #(
    .DATA_WIDTH     (DATA_WIDTH),
    .ADDR_WIDTH     (ADDR_WIDTH),
    .MAX_OUTSTANDING(MAX_OUTSTANDING_WRITES)
  ) u_kv_write (
    .clk_i          (ap_clk),
    .rst_ni         (ap_rst_n),
    .req_valid_i    (kv_wr_req_valid),
    .req_ready_o    (kv_wr_req_ready),
    .req_addr_i     (kv_wr_req_addr),
    .req_bytes_i    (kv_wr_req_bytes),
    .data_valid_i   (kv_wr_data_valid),
    .data_ready_o   (kv_wr_data_ready),
    .data_i         (kv_wr_data),
    .error_o        (kv_wr_error),
    .idle_o         (kv_wr_idle),
    .m_axi_awvalid_o(kv_awvalid),
    .m_axi_awready_i(kv_awready),
    .m_axi_awaddr_o (kv_awaddr),
    .m_axi_awlen_o  (kv_awlen),
    .m_axi_awsize_o (kv_awsize),
    .m_axi_awburst_o(kv_awburst),
    .m_axi_wvalid_o (kv_wvalid),
    .m_axi_wready_i (kv_wready),
    .m_axi_wdata_o  (kv_wdata),
    .m_axi_wstrb_o  (kv_wstrb),
    .m_axi_wlast_o  (kv_wlast),
    .m_axi_bvalid_i (kv_bvalid),
    .m_axi_bready_o (kv_bready),
    .m_axi_bresp_i  (kv_bresp)
  );
  assign kv_awready = m_axi_gmem_kv_awready[store_kv_port];
  assign kv_wready  = m_axi_gmem_kv_wready[store_kv_port];
  assign kv_bvalid  = m_axi_gmem_kv_bvalid[store_kv_port];
  assign kv_bresp   = m_axi_gmem_kv_bresp[2*store_kv_port+:2];
  for (genvar p = 0; p < KV_PORTS; p++) begin : g_kv_write_lane
    logic here;
    assign here = store_kv_port == KPW'(p);
    assign m_axi_gmem_kv_awvalid[p]                        = here && kv_awvalid;
    assign m_axi_gmem_kv_awaddr[ADDR_WIDTH*p+:ADDR_WIDTH]  = kv_awaddr;
    assign m_axi_gmem_kv_awlen[8*p+:8]                     = kv_awlen;
    assign m_axi_gmem_kv_awsize[3*p+:3]                    = kv_awsize;
    assign m_axi_gmem_kv_awburst[2*p+:2]                   = kv_awburst;
    assign m_axi_gmem_kv_wvalid[p]                         = here && kv_wvalid;
    assign m_axi_gmem_kv_wdata[DATA_WIDTH*p+:DATA_WIDTH]   = kv_wdata;
    assign m_axi_gmem_kv_wstrb[DATA_WIDTH/8*p+:DATA_WIDTH/8] = kv_wstrb;
    assign m_axi_gmem_kv_wlast[p]                          = kv_wlast;
    assign m_axi_gmem_kv_bready[p]                         = here && kv_bready;
  end

  axi_write_master #(
    .DATA_WIDTH     (DATA_WIDTH),
    .ADDR_WIDTH     (ADDR_WIDTH),
    .MAX_OUTSTANDING(MAX_OUTSTANDING_WRITES)
  ) u_out_write (
    .clk_i          (ap_clk),
    .rst_ni         (ap_rst_n),
    .req_valid_i    (out_wr_req_valid),
    .req_ready_o    (out_wr_req_ready),
    .req_addr_i     (out_wr_req_addr),
    .req_bytes_i    (out_wr_req_bytes),
    .data_valid_i   (out_wr_data_valid),
    .data_ready_o   (out_wr_data_ready),
    .data_i         (out_wr_data),
    .error_o        (out_wr_error),
    .idle_o         (out_wr_idle),
    `VP_AXI_WRITE_MASTER_CONNECT(m_axi_gmem_out)
  );

  // Port out has no reads.
  assign m_axi_gmem_out_arvalid = 1'b0;
  assign m_axi_gmem_out_araddr  = '0;
  assign m_axi_gmem_out_arlen   = '0;
  assign m_axi_gmem_out_arsize  = '0;
  assign m_axi_gmem_out_arburst = '0;
  assign m_axi_gmem_out_rready  = 1'b1;

  // ---- load unit: the weight port the sequencer names (0, or the embedding row's port) ----
  logic                  load_req_valid, load_data_ready;
  logic [ADDR_WIDTH-1:0] load_req_addr;
  logic [31:0]           load_req_bytes;
  logic [WEIGHT_PORTS-1:0]                 mm_req_valid, mm_beat_ready;
  logic [WEIGHT_PORTS*ADDR_WIDTH-1:0] mm_req_addr;
  logic [WEIGHT_PORTS*32-1:0]           mm_req_bytes;

  llama_load_unit #(.SPM_AW(SPM_AW)) u_load (
    .clk_i       (ap_clk),
    .rst_ni      (ap_rst_n),
    .start_i     (load_start),
    .addr_i      (load_addr),
    .words_i     (load_words),
    .spm_base_i  (load_spm),
    .done_o      (load_done),
    .req_valid_o (load_req_valid),
    .req_ready_i (w_rd_req_ready[load_port]),
    .req_addr_o  (load_req_addr),
    .req_bytes_o (load_req_bytes),
    .data_valid_i(w_rd_data_valid[load_port]),
    .data_ready_o(load_data_ready),
    .spm_we_o    (load_we),
    .spm_waddr_o (load_waddr),
    .spm_count_o (load_count),
    .spm_lane_o  (load_lane)
  );
  assign load_beat = w_rd_data[DATA_WIDTH*load_port+:DATA_WIDTH];

  // A port never has a load and matmul reads in flight together: the sequencer names a matrix to
  // the weight streams only after the loads before it, and starts a load only after the matmuls
  // before it, which take every beat of their matrices (so the beats need no routing by order).
  for (genvar p = 0; p < WEIGHT_PORTS; p++) begin : g_weight_port_use
    logic load_here;
    assign load_here          = load_port == WPW'(p);
    assign w_rd_req_valid[p]  = (load_req_valid && load_here) || mm_req_valid[p];
    assign w_rd_req_addr[ADDR_WIDTH*p+:ADDR_WIDTH]   = mm_req_valid[p] ? mm_req_addr[ADDR_WIDTH*p+:ADDR_WIDTH] : load_req_addr;
    assign w_rd_req_bytes[32*p+:32]  = mm_req_valid[p] ? mm_req_bytes[32*p+:32] : load_req_bytes;
    assign w_rd_data_ready[p] = (load_data_ready && load_here) || mm_beat_ready[p];
  end

  // ---- attention unit: the KV ports' reads ----
  // Clocked only while started or busy (vp_clock_gate), as the vector unit below.
  logic att_busy, att_clk;
  vp_clock_gate #(.ENABLE(CLOCK_GATES)) u_attention_clock (
    .clk_i(ap_clk), .en_i(att_start || att_busy), .clk_o(att_clk)
  );

  llama_attention_unit #(.SPM_AW(SPM_AW), .MAX_DIM(MAX_COLS), .KV_PORTS(KV_PORTS)) u_attention (
    .clk_i       (att_clk),
    .rst_ni      (ap_rst_n),
    .start_i     (att_start),
    .wsum_i      (att_wsum),
    .addr_i      (att_addr),
    .positions_i (att_positions),
    .heads_i     (heads),
    .kv_mul_i    (kv_mul),
    .head_size_i (head_size),
    .kv_dim_i    (kv_dim),
    .q_i         (att_q),
    .att_i       (att_att),
    .stride_i    (att_stride),
    .xb_i        (att_xb),
    .scalar_i    (att_scalar),
    .done_o      (att_done),
    .busy_o      (att_busy),
    .req_valid_o (kv_rd_req_valid),
    .req_ready_i (kv_rd_req_ready),
    .req_addr_o  (kv_rd_req_addr),
    .req_bytes_o (kv_rd_req_bytes),
    .beat_valid_i(kv_rd_data_valid),
    .beat_ready_o(kv_rd_data_ready),
    .beat_i      (kv_rd_data),
    .spm_re_o    (att_re),
    .spm_raddr_o (att_raddr),
    .spm_rdata_i (spm_rdata),
    .spm_banks_i (spm_view16),
    .spm_rbank_i (spm_rbank16),
    .spm_we_o    (att_we),
    .spm_waddr_o (att_waddr),
    .spm_wdata_o (att_wdata),
    .spm_bwe_o   (att_bwe),
    .spm_baddr_o (att_baddr),
    .spm_bcount_o(att_bcount),
    .spm_bdata_o (att_bdata)
  );

  // ---- store unit: KV port or logits port ----
  logic                  store_req_valid, store_data_valid;
  logic [ADDR_WIDTH-1:0] store_req_addr;
  logic [31:0]           store_req_bytes;
  logic [DATA_WIDTH-1:0] store_data;

  llama_store_unit #(.SPM_AW(SPM_AW)) u_store (
    .clk_i        (ap_clk),
    .rst_ni       (ap_rst_n),
    .start_i      (store_start),
    .addr_i       (store_addr),
    .words_i      (store_words),
    .spm_base_i   (store_spm),
    .done_o       (store_done),
    .busy_o       (store_busy),
    .req_valid_o  (store_req_valid),
    .req_ready_i  (store_out ? out_wr_req_ready : kv_wr_req_ready),
    .req_addr_o   (store_req_addr),
    .req_bytes_o  (store_req_bytes),
    .data_valid_o (store_data_valid),
    .data_ready_i (store_out ? out_wr_data_ready : kv_wr_data_ready),
    .data_o       (store_data),
    .writer_idle_i(store_out ? out_wr_idle : kv_wr_idle),
    .spm_re_o     (store_re),
    .spm_raddr_o  (store_raddr),
    .spm_banks_i  (spm_view16),
    .spm_rbank_i  (spm_rbank16)
  );

  assign kv_wr_req_valid   = store_req_valid && !store_out;
  assign kv_wr_req_addr    = store_req_addr;
  assign kv_wr_req_bytes   = store_req_bytes;
  assign kv_wr_data_valid  = store_data_valid && !store_out;
  assign kv_wr_data        = store_data;
  assign out_wr_req_valid  = store_req_valid && store_out;
  assign out_wr_req_addr   = store_req_addr;
  assign out_wr_req_bytes  = store_req_bytes;
  assign out_wr_data_valid = store_data_valid && store_out;
  assign out_wr_data       = store_data;

  // ---- vector unit and matmul engine ----
  logic                          xq_we, xs_we;
  logic [$clog2(MAX_COLS)-1:0]   xq_idx;
  logic [FP_LANES-1:0]           xq_mask;
  logic [8*FP_LANES-1:0]         xq_data;
  logic [$clog2(MAX_ROW_GROUPS)-1:0] xs_idx;
  logic [31:0]                   xs_data;

  // The vector unit is idle through every matmul: its clock runs only while it is started or busy.
  logic vec_busy, vec_clk;
  vp_clock_gate #(.ENABLE(CLOCK_GATES)) u_vector_clock (
    .clk_i(ap_clk), .en_i(vec_start || vec_busy), .clk_o(vec_clk)
  );

  llama_vector_unit #(
    .SPM_AW        (SPM_AW),
    .MAX_COLS      (MAX_COLS),
    .MAX_ROW_GROUPS(MAX_ROW_GROUPS),
    .FP_LANES      (FP_LANES)
  ) u_vector (
    .clk_i      (vec_clk),
    .rst_ni     (ap_rst_n),
    .start_i    (vec_start),
    .op_i       (vec_op),
    .a_i        (vec_a),
    .b_i        (vec_b),
    .c_i        (vec_c),
    .dst_i      (vec_dst),
    .n_i        (vec_n),
    .gs_log2_i  (gs_log2),
    .scalar_i   (vec_scalar),
    .heads_i    (heads),
    .head_size_i(head_size),
    .kv_dim_i   (kv_dim),
    .stride_i   (att_stride),
    .done_o     (vec_done),
    .busy_o     (vec_busy),
    .spm_we_o   (vec_we),
    .spm_waddr_o(vec_waddr),
    .spm_wcount_o(vec_wcount),
    .spm_wdata_o(vec_wdata),
    .spm_re_o   (vec_re),
    .spm_raddr_o(vec_raddr),
    .spm_rdata_banks_i(spm_banks),
    .spm_rbank_i(spm_rbank),
    .spm_re_b_o   (vec_re_b),
    .spm_raddr_b_o(vec_raddr_b),
    .spm_rdata_banks_b_i(spm_banks_b),
    .spm_rbank_b_i(spm_rbank_b),
    .xq_we_o    (xq_we),
    .xq_idx_o   (xq_idx),
    .xq_mask_o  (xq_mask),
    .xq_data_o  (xq_data),
    .xs_we_o    (xs_we),
    .xs_idx_o   (xs_idx),
    .xs_data_o  (xs_data)
  );

  llama_gemv_array #(
    .WEIGHT_PORTS  (WEIGHT_PORTS),
    .MAC_LANES     (MAC_LANES),
    .MAX_COLS      (MAX_COLS),
    .MAX_ROW_GROUPS(MAX_ROW_GROUPS),
    .ACCUMULATORS  (ACCUMULATORS),
    .XQ_LANES      (FP_LANES),
    .PREFETCH_BEATS(PREFETCH_BEATS)
  ) u_gemv (
    .clk_i       (ap_clk),
    .rst_ni      (ap_rst_n),
    .start_i     (mm_start),
    .weights_i   (weights),
    .offset_i    (mm_offset),
    .rows_i      (mm_rows),
    .cols_i      (mm_cols),
    .gs_log2_i   (gs_log2),
    .row_beats_i (mm_row_beats),
    .done_o      (mm_done),
    .pf_valid_i  (pf_valid),
    .pf_ready_o  (pf_ready),
    .pf_offset_i (pf_offset),
    .pf_rows_i   (pf_rows),
    .pf_row_beats_i(pf_row_beats),
    .req_valid_o (mm_req_valid),
    .req_ready_i (w_rd_req_ready),
    .req_addr_o  (mm_req_addr),
    .req_bytes_o (mm_req_bytes),
    .beat_valid_i(w_rd_data_valid),
    .beat_ready_o(mm_beat_ready),
    .beat_i      (w_rd_data),
    .xq_we_i     (xq_we),
    .xq_idx_i    (xq_idx),
    .xq_mask_i   (xq_mask),
    .xq_data_i   (xq_data),
    .xs_we_i     (xs_we),
    .xs_idx_i    (xs_idx),
    .xs_data_i   (xs_data),
    .res_valid_o (res_valid),
    .res_ready_i (res_ready),
    .res_row_o   (res_row),
    .res_data_o  (res_data)
  );

  // Bus errors are reported by the platform's AXI bridges; the stream markers and the unused
  // channels of the read-only and write-only ports have no use here.
  logic unused_signals;
  assign unused_signals = ^{w_rd_data_last, w_rd_data_error, kv_rd_data_last, kv_rd_data_error,
                            kv_wr_error, out_wr_error, w_rd_idle, kv_rd_idle, store_busy,
                            m_axi_gmem_out_arready, m_axi_gmem_out_rvalid,
                            m_axi_gmem_out_rdata, m_axi_gmem_out_rresp, m_axi_gmem_out_rlast};

endmodule
