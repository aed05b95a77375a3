// Attaches the protocol and state checks of rtl/assertions/ to the Llama kernel for the test build
// (rtl/CMakeLists.txt: Vllama_kernel_checked, Verilated with --assert). The RTL files stay as they
// are: the checks bind to llama_kernel's ports and to the ports and state registers of the AXI
// infrastructure modules (every instance), and to the attention unit's KV lane handshakes, not to
// datapath internals.
`include "../vp_axi_port.svh"

// ---- llama_kernel's ports: each m_axi master and the s_axi_control slave ----
`define VP_BIND_AXI4_MASTER(PORT) \
  bind llama_kernel axi4_master_sva #(.DATA_WIDTH(DATA_WIDTH), .ADDR_WIDTH(ADDR_WIDTH)) u_sva_``PORT ( \
    .clk_i(ap_clk), .rst_ni(ap_rst_n), `VP_AXI4_MONITOR_CONNECT(PORT));

`VP_BIND_AXI4_MASTER(m_axi_gmem_out)
`undef VP_BIND_AXI4_MASTER

// The weight ports: read-only, a vector of WEIGHT_PORTS ports
bind llama_kernel axi4_read_ports_sva #(
  .PORTS     (WEIGHT_PORTS),
  .DATA_WIDTH(DATA_WIDTH),
  .ADDR_WIDTH(ADDR_WIDTH)
) u_sva_m_axi_gmem_w (
  .clk_i    (ap_clk),
  .rst_ni   (ap_rst_n),
  .arvalid_i(m_axi_gmem_w_arvalid),
  .arready_i(m_axi_gmem_w_arready),
  .araddr_i (m_axi_gmem_w_araddr),
  .arlen_i  (m_axi_gmem_w_arlen),
  .arsize_i (m_axi_gmem_w_arsize),
  .arburst_i(m_axi_gmem_w_arburst),
  .rvalid_i (m_axi_gmem_w_rvalid),
  .rready_i (m_axi_gmem_w_rready),
  .rdata_i  (m_axi_gmem_w_rdata),
  .rresp_i  (m_axi_gmem_w_rresp),
  .rlast_i  (m_axi_gmem_w_rlast)
);

// The KV ports: read and write, a vector of KV_PORTS ports, one write lane at a time
bind llama_kernel axi4_master_ports_sva #(
  .PORTS     (KV_PORTS),
  .DATA_WIDTH(DATA_WIDTH),
  .ADDR_WIDTH(ADDR_WIDTH)
) u_sva_m_axi_gmem_kv (
  .clk_i(ap_clk),
  .rst_ni(ap_rst_n),
  `VP_AXI4_MONITOR_CONNECT(m_axi_gmem_kv)
);

// The attention unit's KV lanes: beats taken in lockstep, one request per lane and command
bind llama_attention_unit llama_attention_lanes_sva #(.KV_PORTS(KV_PORTS)) u_sva_lanes (
  .clk_i,
  .rst_ni,
  .start_i,
  .req_valid_i (req_valid_o),
  .req_ready_i,
  .beat_valid_i,
  .beat_ready_i(beat_ready_o)
);

bind llama_kernel axi_lite_slave_sva #(.ADDR_WIDTH(CTRL_ADDR_WIDTH)) u_sva_s_axi_control (
  .clk_i    (ap_clk),
  .rst_ni   (ap_rst_n),
  `VP_AXI_LITE_MONITOR_CONNECT(s_axi_control)
);

// ---- the AXI infrastructure: ports and state registers ----
// The masters' burst bookkeeping lives in their axi_burst_issuer (u_issuer): its address register,
// outstanding count and burst queue.
bind axi_read_master axi_read_master_sva #(.MAX_OUTSTANDING(MAX_OUTSTANDING)) u_sva (
  .clk_i,
  .rst_ni,
  .ar_valid_q   (u_issuer.ax_valid_q),
  .outstanding_q(u_issuer.outstanding_q),
  .wr_ptr_q     (u_issuer.queue_wr_ptr_q),
  .rd_ptr_q     (u_issuer.queue_rd_ptr_q),
  .r_fire_i(m_axi_rvalid_i && m_axi_rready_o)
);

bind axi_write_master axi_write_master_sva #(.MAX_OUTSTANDING(MAX_OUTSTANDING)) u_sva (
  .clk_i,
  .rst_ni,
  .aw_valid_q   (u_issuer.ax_valid_q),
  .outstanding_q(u_issuer.outstanding_q),
  .w_count_q    (u_issuer.queue_count_q),
  .w_wr_ptr_q   (u_issuer.queue_wr_ptr_q),
  .w_rd_ptr_q   (u_issuer.queue_rd_ptr_q),
  .w_fire_i(m_axi_wvalid_o && m_axi_wready_i),
  .b_fire_i(m_axi_bvalid_i && m_axi_bready_o)
);

bind axi_burst_splitter axi_burst_splitter_sva #(
  .BEAT_BYTES     (BEAT_BYTES),
  .ADDR_WIDTH     (ADDR_WIDTH),
  .BYTES_WIDTH    (BYTES_WIDTH),
  .MAX_BURST_BEATS(MAX_BURST_BEATS),
  .BOUNDARY_BYTES (BOUNDARY_BYTES)
) u_sva (
  .clk_i,
  .rst_ni,
  .busy_q,
  .addr_offset_q(addr_q[OFFSET_WIDTH-1:0]),
  .beats_left_q,
  .tail_bytes_q,
  .burst_valid_i(burst_valid_o),
  .burst_ready_i(burst_ready_i),
  .burst_addr_i (burst_addr_o),
  .burst_len_i  (burst_len_o)
);

bind axi_lite_control axi_lite_control_sva u_sva (
  .clk_i,
  .rst_ni,
  .aw_held_q,
  .w_held_q,
  .b_valid_q,
  .b_resp_q,
  .r_resp_q
);

// The weight streams' beat FIFOs (one per weight port)
bind llama_weight_prefetch llama_weight_prefetch_sva #(.PREFETCH_BEATS(PREFETCH_BEATS)) u_sva (
  .clk_i,
  .rst_ni,
  .reserved_q,
  .due_q,
  .stored_q,
  .out_valid_q,
  .wr_ptr_q,
  .rd_ptr_q,
  .beat_fire_i(beat_fire),
  .rd_en_i    (rd_en),
  .out_fire_i (out_fire)
);
