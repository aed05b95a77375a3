// Layer sequencer of the Llama kernel: one forward pass per ap_start, in the order of
// llama_forward (hls/llama_kernel.h). It reads the descriptor, derives the geometry, places the
// activation vectors in the scratchpad and then steps through the pass, one command at a time
// to the load unit, store unit, vector unit, attention unit or matmul engine, each awaited on
// its done pulse.
// The classifier runs the matmul engine and streams logits out in 16-word blocks beside it.
// Loads read weight port 0 (descriptor, RMS weights, RoPE rows), except the embedding row, which
// is row token / WEIGHT_PORTS of port token % WEIGHT_PORTS (rows interleaved, hls/device_layout.h).
// The KV cache is spread over KV_PORTS ports: the key and value rows of position pos go to port
// pos % KV_PORTS as its local row pos / KV_PORTS; each port's caches are [n_layers][ceil(seq_len /
// KV_PORTS)][kv_dim] (hls/device_layout.h).
//
// Scratchpad map (words): 0 descriptor landing area (64), then x, xb, xb2, q, rms (dim each),
// k, v (kv_dim each), hb, hb2 (hidden each), rope (head_size), embedding row
// (stride/4), attention scores (heads * seq_len), logits ring (32).
module llama_sequencer #(
  parameter int unsigned SPM_AW       = 15,
  parameter int unsigned WEIGHT_PORTS = 1,
  parameter int unsigned KV_PORTS     = 1,  // a power of two
  localparam int unsigned ADDR_WIDTH  = 64,
  localparam int unsigned WPW         = WEIGHT_PORTS > 1 ? $clog2(WEIGHT_PORTS) : 1,
  localparam int unsigned KPW         = KV_PORTS > 1 ? $clog2(KV_PORTS) : 1
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  // ap_ctrl_hs and arguments
  input  logic                  ap_start_i,
  output logic                  ap_ready_o,
  output logic                  ap_done_o,
  output logic                  ap_idle_o,
  input  logic [31:0]           token_i,
  input  logic [31:0]           pos_i,
  input  logic [KV_PORTS*ADDR_WIDTH-1:0] key_cache_i,    // each KV port's key cache
  input  logic [KV_PORTS*ADDR_WIDTH-1:0] value_cache_i,  // each KV port's value cache
  input  logic [ADDR_WIDTH-1:0] logits_i,
  input  logic [WEIGHT_PORTS*ADDR_WIDTH-1:0] weights_i,  // each weight port's buffer
  output llama_pkg::phase_e     phase_o,
  output logic [7:0]            layer_o,
  // Descriptor words as they land in the scratchpad
  input  logic                  desc_we_i,
  input  logic [SPM_AW-1:0]     desc_waddr_i,   // a multiple of 16: the descriptor is 64-byte aligned
  input  logic [511:0]          desc_beat_i,
  // Load unit
  output logic                  load_start_o,
  output logic [ADDR_WIDTH-1:0] load_addr_o,
  output logic [31:0]           load_words_o,
  output logic [SPM_AW-1:0]     load_spm_o,
  output logic [WPW-1:0]        load_port_o,     // the weight port the load reads
  input  logic                  load_done_i,
  // Store unit
  output logic                  store_start_o,
  output logic                  store_out_o,     // 0: KV port, 1: logits port
  output logic [KPW-1:0]        store_kv_port_o, // the KV port of a cache row store (pos % KV_PORTS)
  output logic [ADDR_WIDTH-1:0] store_addr_o,
  output logic [31:0]           store_words_o,
  output logic [SPM_AW-1:0]     store_spm_o,
  input  logic                  store_done_i,
  // Vector unit
  output logic                  vec_start_o,
  output llama_pkg::vector_op_e vec_op_o,
  output logic [SPM_AW-1:0]     vec_a_o,
  output logic [SPM_AW-1:0]     vec_b_o,
  output logic [SPM_AW-1:0]     vec_c_o,
  output logic [SPM_AW-1:0]     vec_dst_o,
  output logic [31:0]           vec_n_o,
  output logic [31:0]           vec_scalar_o,
  output logic [3:0]            gs_log2_o,
  output logic [15:0]           heads_o,
  output logic [15:0]           head_size_o,
  output logic [15:0]           kv_mul_o,
  output logic [15:0]           kv_dim_o,
  output logic [SPM_AW-1:0]     att_stride_o,
  input  logic                  vec_done_i,
  // Attention unit (the geometry as for the vector unit)
  output logic                  att_start_o,
  output logic                  att_wsum_o,
  output logic [KV_PORTS*ADDR_WIDTH-1:0] att_addr_o,  // each KV port's cache of the layer
  output logic [31:0]           att_positions_o,
  output logic [SPM_AW-1:0]     att_q_o,
  output logic [SPM_AW-1:0]     att_att_o,
  output logic [SPM_AW-1:0]     att_xb_o,
  output logic [31:0]           att_scalar_o,    // 1 / sqrt(head_size)
  input  logic                  att_done_i,
  // Matmul engine
  output logic                  mm_start_o,
  output logic [ADDR_WIDTH-1:0] mm_offset_o,     // the matrix inside every port's buffer
  output logic [31:0]           mm_rows_o,
  output logic [15:0]           mm_cols_o,
  output logic [15:0]           mm_row_beats_o,
  output logic [SPM_AW-1:0]     mm_dst_o,
  output logic                  pf_valid_o,      // names the next matrix to the weight streams
  input  logic                  pf_ready_i,
  output logic [ADDR_WIDTH-1:0] pf_offset_o,     // the matrix inside every port's buffer
  output logic [31:0]           pf_rows_o,
  output logic [15:0]           pf_row_beats_o,
  output logic                  mm_logits_o,     // results go to the logits ring
  input  logic                  mm_done_i,
  input  logic                  mm_result_i,     // a result was taken
  output logic [31:0]           logits_stored_o  // classifier rows already written out
);


  localparam logic [SPM_AW-1:0] SPM_DESC_WORDS = SPM_AW'(64);
  localparam int unsigned       DESC_WORDS     = 44;  // fields used, hls/device_layout.h

  // Steps of the pass (llama_forward's order), one command each.
  typedef enum logic [5:0] {
    // descriptor and geometry
    StIdle, StDesc, StDivHs, StDivKv, StGeom1, StGeom2, StGeom3,
    // embedding row and RoPE table row
    StEmbLoad, StEmbDeq, StRopeLoad,
    // one layer: attention
    StAttRmsLoad, StAttRms, StAttQuant, StMatQ, StMatK, StMatV, StRope, StStoreK, StStoreV,
    StScores, StSoftmax, StWsum, StWoQuant, StMatO, StAttResidual,
    // one layer: feed-forward
    StFfnRmsLoad, StFfnRms, StFfnQuant, StMatW1, StMatW3, StSwiglu, StW2Quant, StMatW2, StFfnResidual,
    // final norm and classifier
    StFinalRmsLoad, StFinalRms, StFinalQuant, StClassifier, StFinish
  } state_e;

  state_e      state_q;
  logic        issued_q;
  logic [31:0] desc_q [DESC_WORDS];

  // Descriptor fields
  logic [31:0] dim, hidden, n_layers, heads, kv_heads, vocab, seq, gs, inv_dim, inv_sqrt_hs;
  logic [ADDR_WIDTH-1:0] off_rms_att, off_rms_ffn, off_rms_final, off_rope, off_emb, off_wq, off_wk, off_wv,
                         off_wo, off_w1, off_w2, off_w3, layer_stride, off_cls;
  assign dim         = desc_q[2];
  assign hidden      = desc_q[3];
  assign n_layers    = desc_q[4];
  assign heads       = desc_q[5];
  assign kv_heads    = desc_q[6];
  assign vocab       = desc_q[7];
  assign seq         = desc_q[8];
  assign gs          = desc_q[9];
  assign inv_dim     = desc_q[12];
  assign inv_sqrt_hs = desc_q[13];
  function automatic logic [ADDR_WIDTH-1:0] field64(input logic [31:0] lo, input logic [31:0] hi);
    field64 = {hi, lo};
  endfunction
  assign off_rms_att   = field64(desc_q[14], desc_q[15]);
  assign off_rms_ffn   = field64(desc_q[16], desc_q[17]);
  assign off_rms_final = field64(desc_q[18], desc_q[19]);
  assign off_rope      = field64(desc_q[20], desc_q[21]);
  assign off_emb       = field64(desc_q[22], desc_q[23]);
  assign off_wq        = field64(desc_q[24], desc_q[25]);
  assign off_wk        = field64(desc_q[26], desc_q[27]);
  assign off_wv        = field64(desc_q[28], desc_q[29]);
  assign off_wo        = field64(desc_q[30], desc_q[31]);
  assign off_w1        = field64(desc_q[32], desc_q[33]);
  assign off_w2        = field64(desc_q[34], desc_q[35]);
  assign off_w3        = field64(desc_q[36], desc_q[37]);
  assign layer_stride  = field64(desc_q[38], desc_q[39]);
  assign off_cls       = field64(desc_q[40], desc_q[41]);

  // Derived geometry
  logic [31:0] hs_q, kv_mul_q, div_rem_q, kv_dim_q;
  logic [3:0]  gsl_q;
  logic [15:0] beats_dim_q, beats_hid_q;  // row stride in beats for dim and hidden columns
  logic [SPM_AW-1:0] r_x, r_xb, r_xb2, r_q, r_rms, r_k, r_v, r_hb, r_hb2, r_rope, r_row, r_att, r_log;
  logic [ADDR_WIDTH-1:0] kv_row_bytes_q, cache_layer_bytes_q;

  // Per-layer and per-position state
  logic [31:0]           layer_q;
  logic [ADDR_WIDTH-1:0] lo_q;            // layer_q * layer_stride
  logic [ADDR_WIDTH-1:0] cache_layer_q;   // layer_q * ceil(seq / KV_PORTS) * kv_dim * 4
  logic [ADDR_WIDTH-1:0] rms_off_q;       // layer_q * dim * 4
  logic [31:0]           token_q, pos_q;
  logic [WPW-1:0]        emb_port_q;      // token_q % WEIGHT_PORTS
  logic [31:0]           emb_row_q;       // token_q / WEIGHT_PORTS
  logic [31:0]           produced_q, stored_q;
  logic [31:0]           kv_port;         // pos_q % KV_PORTS
  logic [31:0]           pos_row;         // pos_q / KV_PORTS: the local row on its port
  logic [31:0]           seq_rows;        // ceil(seq / KV_PORTS): rows of a layer on each port
  assign kv_port  = pos_q & 32'(KV_PORTS - 1);
  assign pos_row  = pos_q >> $clog2(KV_PORTS);
  assign seq_rows = (seq + 32'(KV_PORTS - 1)) >> $clog2(KV_PORTS);

  function automatic logic [15:0] row_beats(input logic [31:0] cols, input logic [3:0] gsl);
    logic [31:0] bytes;
    bytes = cols + ((cols >> gsl) << 2);
    row_beats = 16'((bytes + 32'd63) >> 6);
  endfunction

  assign ap_idle_o       = state_q == StIdle;
  assign ap_ready_o      = state_q == StIdle && ap_start_i;
  assign gs_log2_o       = gsl_q;
  assign heads_o         = 16'(heads);
  assign head_size_o     = 16'(hs_q);
  assign kv_mul_o        = 16'(kv_mul_q);
  assign kv_dim_o        = 16'(kv_dim_q);
  assign att_stride_o    = SPM_AW'(seq);
  assign att_positions_o = pos_q + 1;
  assign att_q_o         = r_q;
  assign att_att_o       = r_att;
  assign att_xb_o        = r_xb;
  assign att_scalar_o    = inv_sqrt_hs;
  assign logits_stored_o = stored_q;
  assign mm_logits_o     = state_q == StClassifier;

  always_comb begin
    unique case (state_q)
      StIdle, StDesc, StDivHs, StDivKv, StGeom1, StGeom2, StGeom3: phase_o = llama_pkg::PhaseLoadDescriptor;
      StEmbLoad, StEmbDeq, StRopeLoad:                             phase_o = llama_pkg::PhaseEmbedding;
      StAttRmsLoad, StAttRms, StAttQuant:                          phase_o = llama_pkg::PhaseAttnRmsnorm;
      StMatQ, StMatK, StMatV:                                      phase_o = llama_pkg::PhaseQkvMatmul;
      StRope, StStoreK, StStoreV:                                  phase_o = llama_pkg::PhaseRopeKvWrite;
      StScores, StSoftmax, StWsum, StWoQuant:                      phase_o = llama_pkg::PhaseAttention;
      StMatO, StAttResidual:                                       phase_o = llama_pkg::PhaseWoMatmul;
      StFfnRmsLoad, StFfnRms, StFfnQuant:                          phase_o = llama_pkg::PhaseFfnRmsnorm;
      StMatW1, StMatW3, StSwiglu, StW2Quant:                       phase_o = llama_pkg::PhaseW13Matmul;
      StMatW2, StFfnResidual:                                      phase_o = llama_pkg::PhaseW2Matmul;
      StFinalRmsLoad, StFinalRms, StFinalQuant:                    phase_o = llama_pkg::PhaseFinalRmsnorm;
      default:                                                     phase_o = llama_pkg::PhaseClassifier;
    endcase
  end
  assign layer_o = 8'(layer_q);

  // ---- weight prefetch: the pass's matrices in command order, each named once ----
  // Beside the command steps a second pointer walks the pass's matrices (wq, wk, wv, wo, w1, w3,
  // w2 per layer, then the classifier) and names each to the weight streams (llama_gemv_array)
  // ahead of its matmul command, as early as the weight ports' read order allows: a phase's first
  // matrix once no load precedes it on the weight ports (wq once the attention RMS weights are
  // in, wo when the attention starts, w1 once the FFN RMS weights are in, the classifier once the
  // final RMS weights are in), the phase's next matrices and w2 right behind the one before (the
  // streams take a name once they have requested the previous matrix whole). The weight ports
  // then read what llama_forward reads, in its order. A matmul command waits until its matrix has
  // been named (with PREFETCH_BEATS = 0 the engines take every name at once and ignore it).
  logic [31:0]           pf_layer_q;    // layer of the next matrix to name (n_layers: the classifier)
  logic [2:0]            pf_k_q;        // 0..6: wq wk wv wo w1 w3 w2 (classifier: 0, then 1 = named)
  logic [ADDR_WIDTH-1:0] pf_lo_q;       // pf_layer_q * layer_stride
  logic [7:0]            pf_count_q, mm_count_q;  // matrices named, matmul commands issued
  logic                  pf_gate, mm_named;
  logic [ADDR_WIDTH-1:0] pf_off;
  logic [31:0]           pf_rows;
  logic [15:0]           pf_beats;
  assign mm_named = pf_count_q != mm_count_q;

  // The next matrix, and whether the steps are past the last load before it.
  always_comb begin
    pf_gate  = 1'b0;
    pf_off   = off_cls;
    pf_rows  = vocab;
    pf_beats = beats_dim_q;
    if (pf_layer_q == n_layers) begin
      pf_gate = pf_k_q == 3'd0 &&
                (state_q == StFinalRms || state_q == StFinalQuant || state_q == StClassifier);
    end else begin
      unique case (pf_k_q)
        3'd0: begin
          {pf_off, pf_rows} = {off_wq + pf_lo_q, dim};
          pf_gate = state_q == StAttRms || state_q == StAttQuant || state_q == StMatQ;
        end
        3'd1: {pf_off, pf_rows, pf_gate} = {off_wk + pf_lo_q, kv_dim_q, 1'b1};
        3'd2: {pf_off, pf_rows, pf_gate} = {off_wv + pf_lo_q, kv_dim_q, 1'b1};
        3'd3: begin
          {pf_off, pf_rows} = {off_wo + pf_lo_q, dim};
          pf_gate = state_q == StScores || state_q == StSoftmax || state_q == StWsum ||
                    state_q == StWoQuant || state_q == StMatO;
        end
        3'd4: begin
          {pf_off, pf_rows} = {off_w1 + pf_lo_q, hidden};
          pf_gate = state_q == StFfnRms || state_q == StFfnQuant || state_q == StMatW1;
        end
        3'd5: {pf_off, pf_rows, pf_gate} = {off_w3 + pf_lo_q, hidden, 1'b1};
        3'd6: {pf_off, pf_rows, pf_beats, pf_gate} = {off_w2 + pf_lo_q, dim, beats_hid_q, 1'b1};
        default: pf_gate = 1'b0;
      endcase
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      pf_valid_o     <= 1'b0;
      pf_offset_o    <= '0;
      pf_rows_o      <= '0;
      pf_row_beats_o <= '0;
      pf_layer_q     <= '0;
      pf_k_q         <= '0;
      pf_lo_q        <= '0;
      pf_count_q     <= '0;
      mm_count_q     <= '0;
    end else begin
      pf_valid_o <= 1'b0;
      if (mm_start_o) mm_count_q <= mm_count_q + 1'b1;
      if (state_q == StIdle) begin
        pf_layer_q <= '0;
        pf_k_q     <= '0;
        pf_lo_q    <= '0;
        pf_count_q <= '0;
        mm_count_q <= '0;
      end else if (pf_gate && pf_ready_i && !pf_valid_o) begin
        pf_valid_o     <= 1'b1;
        pf_offset_o    <= pf_off;
        pf_rows_o      <= pf_rows;
        pf_row_beats_o <= pf_beats;
        pf_count_q     <= pf_count_q + 1'b1;
        if (pf_k_q == 3'd6) begin
          pf_k_q     <= '0;
          pf_layer_q <= pf_layer_q + 1;
          pf_lo_q    <= pf_lo_q + layer_stride;
        end else begin
          pf_k_q <= pf_k_q + 1'b1;
        end
      end
    end
  end

  // A logits store is in flight between its start and its done.
  logic store_busy_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) store_busy_q <= 1'b0;
    else if (store_start_o) store_busy_q <= 1'b1;
    else if (store_done_i) store_busy_q <= 1'b0;
  end

  logic any_done;
  assign any_done = load_done_i || store_done_i || vec_done_i || mm_done_i || att_done_i;

  // Each command state issues its command once, then waits for its unit's done pulse and goes
  // to its next state (the tasks write the registers of the always_ff below that calls them).
  task automatic wait_done(input state_e next);
    if (any_done) begin
      issued_q <= 1'b0;
      state_q  <= next;
    end
  endtask
  task automatic issue_load(input logic [ADDR_WIDTH-1:0] addr, input logic [31:0] words,
                            input logic [SPM_AW-1:0] spm, input state_e next);
    if (!issued_q) begin
      load_start_o <= 1'b1;
      load_addr_o  <= addr;
      load_port_o  <= '0;
      load_words_o <= words;
      load_spm_o   <= spm;
      issued_q     <= 1'b1;
    end else wait_done(next);
  endtask
  task automatic issue_store(input logic out, input logic [ADDR_WIDTH-1:0] addr, input logic [31:0] words,
                             input logic [SPM_AW-1:0] spm, input state_e next);
    if (!issued_q) begin
      store_start_o <= 1'b1;
      store_out_o   <= out;
      store_addr_o  <= addr;
      store_words_o <= words;
      store_spm_o   <= spm;
      issued_q      <= 1'b1;
    end else wait_done(next);
  endtask
  task automatic issue_vec(input llama_pkg::vector_op_e op, input logic [SPM_AW-1:0] a, input logic [SPM_AW-1:0] b,
                           input logic [SPM_AW-1:0] c, input logic [SPM_AW-1:0] dst, input logic [31:0] n,
                           input logic [31:0] scalar, input state_e next);
    if (!issued_q) begin
      vec_start_o  <= 1'b1;
      vec_op_o     <= op;
      vec_a_o      <= a;
      vec_b_o      <= b;
      vec_c_o      <= c;
      vec_dst_o    <= dst;
      vec_n_o      <= n;
      vec_scalar_o <= scalar;
      issued_q     <= 1'b1;
    end else wait_done(next);
  endtask
  // The attention unit reads every KV port's cache of this layer.
  task automatic issue_att(input logic wsum, input logic [ADDR_WIDTH*KV_PORTS-1:0] cache, input state_e next);
    if (!issued_q) begin
      att_start_o <= 1'b1;
      att_wsum_o  <= wsum;
      for (int unsigned p = 0; p < KV_PORTS; p++)
        att_addr_o[ADDR_WIDTH*p+:ADDR_WIDTH] <= cache[ADDR_WIDTH*p+:ADDR_WIDTH] + cache_layer_q;
      issued_q <= 1'b1;
    end else wait_done(next);
  endtask
  // A matmul starts once the weight streams have named its matrix (mm_named).
  task automatic issue_mm(input logic [ADDR_WIDTH-1:0] offset, input logic [31:0] rows, input logic [15:0] cols,
                          input logic [15:0] beats, input logic [SPM_AW-1:0] dst, input state_e next);
    if (!issued_q) begin
      if (mm_named) begin
        mm_start_o     <= 1'b1;
        mm_offset_o    <= offset;
        mm_rows_o      <= rows;
        mm_cols_o      <= cols;
        mm_row_beats_o <= beats;
        mm_dst_o       <= dst;
        issued_q       <= 1'b1;
      end
    end else wait_done(next);
  endtask

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= StIdle;
      issued_q <= 1'b0;
      for (int unsigned k = 0; k < DESC_WORDS; k++) desc_q[k] <= '0;
      {hs_q, kv_mul_q, div_rem_q, kv_dim_q} <= '0;
      gsl_q <= '0;
      {beats_dim_q, beats_hid_q} <= '0;
      {r_x, r_xb, r_xb2, r_q, r_rms, r_k, r_v, r_hb, r_hb2, r_rope, r_row, r_att, r_log} <= '0;
      {kv_row_bytes_q, cache_layer_bytes_q} <= '0;
      {layer_q, token_q, pos_q, produced_q, stored_q} <= '0;
      {lo_q, cache_layer_q, rms_off_q} <= '0;
      {load_start_o, store_start_o, store_out_o, vec_start_o, mm_start_o, att_start_o, att_wsum_o, ap_done_o} <= '0;
      store_kv_port_o <= '0;
      {load_addr_o, store_addr_o, mm_offset_o, att_addr_o} <= '0;
      load_port_o <= '0;
      {emb_port_q, emb_row_q} <= '0;
      {load_words_o, store_words_o, vec_n_o, vec_scalar_o, mm_rows_o} <= '0;
      {load_spm_o, store_spm_o, vec_a_o, vec_b_o, vec_c_o, vec_dst_o, mm_dst_o} <= '0;
      vec_op_o <= llama_pkg::VopDequant;
      {mm_cols_o, mm_row_beats_o} <= '0;
    end else begin
      {load_start_o, store_start_o, vec_start_o, mm_start_o, att_start_o, ap_done_o} <= '0;
      if (desc_we_i && state_q == StDesc)
        for (int unsigned j = 0; j < 16; j++)
          if (desc_waddr_i + SPM_AW'(j) < SPM_AW'(DESC_WORDS)) desc_q[desc_waddr_i[5:0] + 6'(j)] <= desc_beat_i[32*j+:32];
      unique case (state_q)
        StIdle: if (ap_start_i) begin
          token_q <= token_i;
          pos_q <= pos_i;
          state_q <= StDesc;
        end
        StDesc: issue_load(weights_i[ADDR_WIDTH-1:0], 32'(SPM_DESC_WORDS), '0, StDivHs);

        // head_size = dim / heads and kv_mul = heads / kv_heads by repeated subtraction
        StDivHs: begin
          if (!issued_q) begin
            hs_q <= '0;
            div_rem_q <= dim;
            issued_q <= 1'b1;
          end else if (div_rem_q >= heads) begin
            div_rem_q <= div_rem_q - heads;
            hs_q <= hs_q + 1;
          end else begin
            issued_q <= 1'b0;
            state_q <= StDivKv;
          end
        end
        StDivKv: begin
          if (!issued_q) begin
            kv_mul_q <= '0;
            div_rem_q <= heads;
            issued_q <= 1'b1;
          end else if (div_rem_q >= kv_heads) begin
            div_rem_q <= div_rem_q - kv_heads;
            kv_mul_q <= kv_mul_q + 1;
          end else begin
            issued_q <= 1'b0;
            state_q <= StGeom1;
          end
        end
        StGeom1: begin
          kv_dim_q <= hs_q * kv_heads;
          // a division by a constant (a shift for a power of two), once per token
          emb_port_q <= WPW'(token_q % WEIGHT_PORTS);
          emb_row_q <= token_q / WEIGHT_PORTS;
          for (int unsigned k = 0; k < 16; k++) if (gs[k]) gsl_q <= 4'(k);
          state_q <= StGeom2;
        end
        StGeom2: begin
          beats_dim_q <= row_beats(dim, gsl_q);
          beats_hid_q <= row_beats(hidden, gsl_q);
          kv_row_bytes_q <= ADDR_WIDTH'(kv_dim_q) << 2;
          r_x   <= SPM_DESC_WORDS;
          r_xb  <= SPM_DESC_WORDS + SPM_AW'(dim);
          r_xb2 <= SPM_DESC_WORDS + SPM_AW'(2 * dim);
          r_q   <= SPM_DESC_WORDS + SPM_AW'(3 * dim);
          r_rms <= SPM_DESC_WORDS + SPM_AW'(4 * dim);
          r_k   <= SPM_DESC_WORDS + SPM_AW'(5 * dim);
          r_v   <= SPM_DESC_WORDS + SPM_AW'(5 * dim + kv_dim_q);
          r_hb  <= SPM_DESC_WORDS + SPM_AW'(5 * dim + 2 * kv_dim_q);
          r_hb2 <= SPM_DESC_WORDS + SPM_AW'(5 * dim + 2 * kv_dim_q + hidden);
          r_rope <= SPM_DESC_WORDS + SPM_AW'(5 * dim + 2 * kv_dim_q + 2 * hidden);
          r_row <= SPM_DESC_WORDS + SPM_AW'(5 * dim + 2 * kv_dim_q + 2 * hidden + hs_q);
          state_q <= StGeom3;
        end
        StGeom3: begin
          r_att <= r_row + SPM_AW'(32'(beats_dim_q) * 16);
          r_log <= r_row + SPM_AW'(32'(beats_dim_q) * 16 + heads * seq);
          // each KV port holds ceil(seq / KV_PORTS) rows of a layer
          cache_layer_bytes_q <= kv_row_bytes_q * ADDR_WIDTH'(seq_rows);
          layer_q <= '0;
          lo_q <= '0;
          cache_layer_q <= '0;
          rms_off_q <= '0;
          state_q <= StEmbLoad;
        end

        StEmbLoad: begin
          issue_load(weights_i[ADDR_WIDTH*emb_port_q+:ADDR_WIDTH] + off_emb + ADDR_WIDTH'(emb_row_q) * ADDR_WIDTH'(beats_dim_q) * 64,
                   32'(beats_dim_q) * 16, r_row, StEmbDeq);
          if (!issued_q) load_port_o <= emb_port_q;
        end
        StEmbDeq: issue_vec(llama_pkg::VopDequant, r_row, r_row, r_row, r_x, dim, 32'd0, StRopeLoad);
        StRopeLoad: issue_load(weights_i[ADDR_WIDTH-1:0] + off_rope + ADDR_WIDTH'(pos_q) * ADDR_WIDTH'(hs_q) * 4, hs_q, r_rope,
                            StAttRmsLoad);

        // ---- one layer ----
        StAttRmsLoad: issue_load(weights_i[ADDR_WIDTH-1:0] + off_rms_att + rms_off_q, dim, r_rms, StAttRms);
        StAttRms: issue_vec(llama_pkg::VopRmsnorm, r_x, r_rms, r_rms, r_xb, dim, inv_dim, StAttQuant);
        StAttQuant: issue_vec(llama_pkg::VopQuantize, r_xb, r_xb, r_xb, r_xb, dim, 32'd0, StMatQ);
        StMatQ: issue_mm(off_wq + lo_q, dim, 16'(dim), beats_dim_q, r_q, StMatK);
        StMatK: issue_mm(off_wk + lo_q, kv_dim_q, 16'(dim), beats_dim_q, r_k, StMatV);
        StMatV: issue_mm(off_wv + lo_q, kv_dim_q, 16'(dim), beats_dim_q, r_v, StRope);
        StRope: issue_vec(llama_pkg::VopRope, r_q, r_k, r_rope, r_q, dim, 32'd0, StStoreK);
        // the row of position pos: KV port pos % KV_PORTS, its local row pos / KV_PORTS
        StStoreK: begin
          issue_store(1'b0, key_cache_i[ADDR_WIDTH*kv_port+:ADDR_WIDTH] + cache_layer_q +
                          ADDR_WIDTH'(pos_row) * kv_row_bytes_q, kv_dim_q, r_k, StStoreV);
          if (!issued_q) store_kv_port_o <= KPW'(kv_port);
        end
        StStoreV: begin
          issue_store(1'b0, value_cache_i[ADDR_WIDTH*kv_port+:ADDR_WIDTH] + cache_layer_q +
                          ADDR_WIDTH'(pos_row) * kv_row_bytes_q, kv_dim_q, r_v, StScores);
          if (!issued_q) store_kv_port_o <= KPW'(kv_port);
        end
        StScores: issue_att(1'b0, key_cache_i, StSoftmax);
        StSoftmax: issue_vec(llama_pkg::VopSoftmax, r_att, r_att, r_att, r_att, pos_q + 1, 32'd0, StWsum);
        StWsum: issue_att(1'b1, value_cache_i, StWoQuant);
        StWoQuant: issue_vec(llama_pkg::VopQuantize, r_xb, r_xb, r_xb, r_xb, dim, 32'd0, StMatO);
        StMatO: issue_mm(off_wo + lo_q, dim, 16'(dim), beats_dim_q, r_xb2, StAttResidual);
        StAttResidual: issue_vec(llama_pkg::VopResidual, r_x, r_xb2, r_xb2, r_x, dim, 32'd0, StFfnRmsLoad);
        StFfnRmsLoad: issue_load(weights_i[ADDR_WIDTH-1:0] + off_rms_ffn + rms_off_q, dim, r_rms, StFfnRms);
        StFfnRms: issue_vec(llama_pkg::VopRmsnorm, r_x, r_rms, r_rms, r_xb, dim, inv_dim, StFfnQuant);
        StFfnQuant: issue_vec(llama_pkg::VopQuantize, r_xb, r_xb, r_xb, r_xb, dim, 32'd0, StMatW1);
        StMatW1: issue_mm(off_w1 + lo_q, hidden, 16'(dim), beats_dim_q, r_hb, StMatW3);
        StMatW3: issue_mm(off_w3 + lo_q, hidden, 16'(dim), beats_dim_q, r_hb2, StSwiglu);
        StSwiglu: issue_vec(llama_pkg::VopSwiglu, r_hb, r_hb2, r_hb2, r_hb, hidden, 32'd0, StW2Quant);
        StW2Quant: issue_vec(llama_pkg::VopQuantize, r_hb, r_hb, r_hb, r_hb, hidden, 32'd0, StMatW2);
        StMatW2: issue_mm(off_w2 + lo_q, dim, 16'(hidden), beats_hid_q, r_xb, StFfnResidual);
        StFfnResidual: begin
          issue_vec(llama_pkg::VopResidual, r_x, r_xb, r_xb, r_x, dim, 32'd0, StAttRmsLoad);
          if (issued_q && any_done) begin
            layer_q <= layer_q + 1;
            lo_q <= lo_q + layer_stride;
            cache_layer_q <= cache_layer_q + cache_layer_bytes_q;
            rms_off_q <= rms_off_q + (ADDR_WIDTH'(dim) << 2);
            if (layer_q + 1 == n_layers) state_q <= StFinalRmsLoad;
          end
        end

        // ---- final norm and classifier ----
        StFinalRmsLoad: issue_load(weights_i[ADDR_WIDTH-1:0] + off_rms_final, dim, r_rms, StFinalRms);
        StFinalRms: issue_vec(llama_pkg::VopRmsnorm, r_x, r_rms, r_rms, r_x, dim, inv_dim, StFinalQuant);
        StFinalQuant: begin
          issue_vec(llama_pkg::VopQuantize, r_x, r_x, r_x, r_x, dim, 32'd0, StClassifier);
          produced_q <= '0;
          stored_q <= '0;
        end
        StClassifier: begin
          // The engine runs through the vocabulary; whole 16-row blocks (and the tail) go out
          // as soon as they are in the ring. The engine's done may come before the last block.
          if (!issued_q && mm_named) begin
            mm_start_o <= 1'b1;
            mm_offset_o <= off_cls;
            mm_rows_o <= vocab;
            mm_cols_o <= 16'(dim);
            mm_row_beats_o <= beats_dim_q;
            mm_dst_o <= r_log;
            issued_q <= 1'b1;
          end
          if (mm_result_i) produced_q <= produced_q + 1;
          if (store_done_i) stored_q <= stored_q + store_words_o;
          if (issued_q && !store_busy_q && !store_start_o && !store_done_i && stored_q < vocab &&
              (produced_q >= stored_q + 16 || produced_q == vocab)) begin
            store_start_o <= 1'b1;
            store_out_o <= 1'b1;
            store_addr_o <= logits_i + (ADDR_WIDTH'(stored_q) << 2);
            store_words_o <= vocab - stored_q < 32'd16 ? vocab - stored_q : 32'd16;
            store_spm_o <= r_log + SPM_AW'(stored_q[4:0]);
          end
          if (store_done_i && stored_q + store_words_o == vocab) begin
            issued_q <= 1'b0;
            state_q <= StFinish;
          end
        end
        StFinish: begin
          ap_done_o <= 1'b1;
          state_q <= StIdle;
        end
        default: state_q <= StIdle;
      endcase
    end
  end

endmodule
