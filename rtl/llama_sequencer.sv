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
`include "vp_registers.svh"

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

  // The activation vectors' places in the scratchpad (words).
  typedef struct packed {
    logic [SPM_AW-1:0] x, xb, xb2, q, rms, k, v, hb, hb2, rope, row, att, log;
  } spm_map_t;

  // The commands to the units, registered (the _o ports of each).
  typedef struct packed {
    logic [ADDR_WIDTH-1:0] addr;
    logic [31:0]           words;
    logic [SPM_AW-1:0]     spm;
    logic [WPW-1:0]        port;
  } load_cmd_t;
  typedef struct packed {
    logic                  out;
    logic [KPW-1:0]        kv_port;
    logic [ADDR_WIDTH-1:0] addr;
    logic [31:0]           words;
    logic [SPM_AW-1:0]     spm;
  } store_cmd_t;
  typedef struct packed {
    logic [SPM_AW-1:0]     a, b, c, dst;
    logic [31:0]           n, scalar;
  } vec_cmd_t;
  typedef struct packed {
    logic                            wsum;
    logic [KV_PORTS*ADDR_WIDTH-1:0] addr;
  } att_cmd_t;
  typedef struct packed {
    logic [ADDR_WIDTH-1:0] offset;
    logic [31:0]           rows;
    logic [15:0]           cols, row_beats;
    logic [SPM_AW-1:0]     dst;
  } mm_cmd_t;
  typedef struct packed {
    logic [ADDR_WIDTH-1:0] offset;
    logic [31:0]           rows;
    logic [15:0]           row_beats;
  } pf_cmd_t;

  // ---- registers (_q) and their next values (_d, the always_comb blocks below) ----
  state_e                      state_q, state_d;
  logic                        issued_q, issued_d;
  logic [31:0]                 desc_q [DESC_WORDS];  // the pass's descriptor words
  // derived geometry
  logic [31:0]           hs_q, hs_d, kv_mul_q, kv_mul_d, div_rem_q, div_rem_d, kv_dim_q, kv_dim_d;
  logic [3:0]            gsl_q, gsl_d;
  logic [15:0]           beats_dim_q, beats_dim_d, beats_hid_q, beats_hid_d;  // row stride in beats for
                                                                             // dim and hidden columns
  spm_map_t              map_q, map_d;
  logic [ADDR_WIDTH-1:0] kv_row_bytes_q, kv_row_bytes_d, cache_layer_bytes_q, cache_layer_bytes_d;
  // per-layer and per-position state
  logic [31:0]           layer_q, layer_d;
  logic [ADDR_WIDTH-1:0] lo_q, lo_d;                    // layer_q * layer_stride
  logic [ADDR_WIDTH-1:0] cache_layer_q, cache_layer_d;  // layer_q * ceil(seq / KV_PORTS) * kv_dim * 4
  logic [ADDR_WIDTH-1:0] rms_off_q, rms_off_d;          // layer_q * dim * 4
  logic [31:0]           token_q, token_d, pos_q, pos_d;
  logic [WPW-1:0]        emb_port_q, emb_port_d;        // token_q % WEIGHT_PORTS
  logic [31:0]           emb_row_q, emb_row_d;          // token_q / WEIGHT_PORTS
  logic [31:0]           produced_q, produced_d, stored_q, stored_d;
  // commands
  logic                  load_start_q, load_start_d, store_start_q, store_start_d, vec_start_q, vec_start_d;
  logic                  att_start_q, att_start_d, mm_start_q, mm_start_d, ap_done_q, ap_done_d;
  load_cmd_t             load_q, load_d;
  store_cmd_t            store_q, store_d;
  llama_pkg::vector_op_e vec_op_q, vec_op_d;
  vec_cmd_t              vec_q, vec_d;
  att_cmd_t              att_q, att_d;
  mm_cmd_t               mm_q, mm_d;

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

  logic [31:0] kv_port;   // pos_q % KV_PORTS
  logic [31:0] pos_row;   // pos_q / KV_PORTS: the local row on its port
  logic [31:0] seq_rows;  // ceil(seq / KV_PORTS): rows of a layer on each port
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
  assign ap_done_o       = ap_done_q;
  assign gs_log2_o       = gsl_q;
  assign heads_o         = 16'(heads);
  assign head_size_o     = 16'(hs_q);
  assign kv_mul_o        = 16'(kv_mul_q);
  assign kv_dim_o        = 16'(kv_dim_q);
  assign att_stride_o    = SPM_AW'(seq);
  assign att_positions_o = pos_q + 1;
  assign att_q_o         = map_q.q;
  assign att_att_o       = map_q.att;
  assign att_xb_o        = map_q.xb;
  assign att_scalar_o    = inv_sqrt_hs;
  assign logits_stored_o = stored_q;
  assign mm_logits_o     = state_q == StClassifier;

  assign load_start_o    = load_start_q;
  assign load_addr_o     = load_q.addr;
  assign load_words_o    = load_q.words;
  assign load_spm_o      = load_q.spm;
  assign load_port_o     = load_q.port;
  assign store_start_o   = store_start_q;
  assign store_out_o     = store_q.out;
  assign store_kv_port_o = store_q.kv_port;
  assign store_addr_o    = store_q.addr;
  assign store_words_o   = store_q.words;
  assign store_spm_o     = store_q.spm;
  assign vec_start_o     = vec_start_q;
  assign vec_op_o        = vec_op_q;
  assign vec_a_o         = vec_q.a;
  assign vec_b_o         = vec_q.b;
  assign vec_c_o         = vec_q.c;
  assign vec_dst_o       = vec_q.dst;
  assign vec_n_o         = vec_q.n;
  assign vec_scalar_o    = vec_q.scalar;
  assign att_start_o     = att_start_q;
  assign att_wsum_o      = att_q.wsum;
  assign att_addr_o      = att_q.addr;
  assign mm_start_o      = mm_start_q;
  assign mm_offset_o     = mm_q.offset;
  assign mm_rows_o       = mm_q.rows;
  assign mm_cols_o       = mm_q.cols;
  assign mm_row_beats_o  = mm_q.row_beats;
  assign mm_dst_o        = mm_q.dst;

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
  logic [31:0]           pf_layer_q, pf_layer_d;  // layer of the next matrix to name (n_layers: the classifier)
  logic [2:0]            pf_k_q, pf_k_d;          // 0..6: wq wk wv wo w1 w3 w2 (classifier: 0, then 1 = named)
  logic [ADDR_WIDTH-1:0] pf_lo_q, pf_lo_d;        // pf_layer_q * layer_stride
  logic [7:0]            pf_count_q, pf_count_d, mm_count_q, mm_count_d;  // matrices named, matmul commands issued
  logic                  pf_valid_q, pf_valid_d;
  pf_cmd_t               pf_q, pf_d;
  logic                  pf_gate, mm_named;
  pf_cmd_t               pf_next;
  assign mm_named       = pf_count_q != mm_count_q;
  assign pf_valid_o     = pf_valid_q;
  assign pf_offset_o    = pf_q.offset;
  assign pf_rows_o      = pf_q.rows;
  assign pf_row_beats_o = pf_q.row_beats;

  // The next matrix, and whether the steps are past the last load before it.
  always_comb begin
    pf_gate = 1'b0;
    pf_next.offset    = off_cls;
    pf_next.rows      = vocab;
    pf_next.row_beats = beats_dim_q;
    if (pf_layer_q == n_layers) begin
      pf_gate = pf_k_q == 3'd0 &&
                (state_q == StFinalRms || state_q == StFinalQuant || state_q == StClassifier);
    end else begin
      unique case (pf_k_q)
        3'd0: begin
          {pf_next.offset, pf_next.rows} = {off_wq + pf_lo_q, dim};
          pf_gate = state_q == StAttRms || state_q == StAttQuant || state_q == StMatQ;
        end
        3'd1: {pf_next.offset, pf_next.rows, pf_gate} = {off_wk + pf_lo_q, kv_dim_q, 1'b1};
        3'd2: {pf_next.offset, pf_next.rows, pf_gate} = {off_wv + pf_lo_q, kv_dim_q, 1'b1};
        3'd3: begin
          {pf_next.offset, pf_next.rows} = {off_wo + pf_lo_q, dim};
          pf_gate = state_q == StScores || state_q == StSoftmax || state_q == StWsum ||
                    state_q == StWoQuant || state_q == StMatO;
        end
        3'd4: begin
          {pf_next.offset, pf_next.rows} = {off_w1 + pf_lo_q, hidden};
          pf_gate = state_q == StFfnRms || state_q == StFfnQuant || state_q == StMatW1;
        end
        3'd5: {pf_next.offset, pf_next.rows, pf_gate} = {off_w3 + pf_lo_q, hidden, 1'b1};
        3'd6: {pf_next, pf_gate} = {off_w2 + pf_lo_q, dim, beats_hid_q, 1'b1};
        default: pf_gate = 1'b0;
      endcase
    end
  end

  always_comb begin
    pf_valid_d = 1'b0;
    pf_d       = pf_q;
    pf_layer_d = pf_layer_q;
    pf_k_d     = pf_k_q;
    pf_lo_d    = pf_lo_q;
    pf_count_d = pf_count_q;
    mm_count_d = mm_count_q;
    if (mm_start_q) mm_count_d = mm_count_q + 1'b1;
    if (state_q == StIdle) begin
      pf_layer_d = '0;
      pf_k_d     = '0;
      pf_lo_d    = '0;
      pf_count_d = '0;
      mm_count_d = '0;
    end else if (pf_gate && pf_ready_i && !pf_valid_q) begin
      pf_valid_d = 1'b1;
      pf_d       = pf_next;
      pf_count_d = pf_count_q + 1'b1;
      if (pf_k_q == 3'd6) begin
        pf_k_d     = '0;
        pf_layer_d = pf_layer_q + 1;
        pf_lo_d    = pf_lo_q + layer_stride;
      end else begin
        pf_k_d = pf_k_q + 1'b1;
      end
    end
  end

  `VP_FF(pf_valid_q, pf_valid_d, 1'b0)
  `VP_FF(pf_q, pf_d, '0)
  `VP_FF(pf_layer_q, pf_layer_d, '0)
  `VP_FF(pf_k_q, pf_k_d, '0)
  `VP_FF(pf_lo_q, pf_lo_d, '0)
  `VP_FF(pf_count_q, pf_count_d, '0)
  `VP_FF(mm_count_q, mm_count_d, '0)

  // A logits store is in flight between its start and its done.
  logic store_busy_q, store_busy_d;
  assign store_busy_d = store_start_q || (store_busy_q && !store_done_i);
  `VP_FF(store_busy_q, store_busy_d, 1'b0)

  // The descriptor words as they land (only those the pass uses): a register file written a beat
  // (16 words) at a time and loaded at the start of every call before any field is read, so it
  // keeps a plain always_ff without reset, as the arrays do. (As `desc_d = desc_q` plus the beat in
  // an always_comb, the Verilated model copied its 44 words on every evaluation: 4% of its work.)
  always_ff @(posedge clk_i) begin
    if (desc_we_i && state_q == StDesc)
      for (int unsigned j = 0; j < 16; j++)
        if (desc_waddr_i + SPM_AW'(j) < SPM_AW'(DESC_WORDS))
          desc_q[6'(desc_waddr_i[5:0] + 6'(j))] <= desc_beat_i[32*j+:32];
  end

  logic any_done;
  assign any_done = load_done_i || store_done_i || vec_done_i || mm_done_i || att_done_i;

  // Each command state issues its command once, then waits for its unit's done pulse and goes
  // to its next state (the tasks write the _d signals of the always_comb below that calls them).
  task automatic wait_done(input state_e next);
    if (any_done) begin
      issued_d = 1'b0;
      state_d  = next;
    end
  endtask
  task automatic issue_load(input logic [ADDR_WIDTH-1:0] addr, input logic [31:0] words,
                            input logic [SPM_AW-1:0] spm, input state_e next);
    if (!issued_q) begin
      load_start_d = 1'b1;
      load_d.addr  = addr;
      load_d.port  = '0;
      load_d.words = words;
      load_d.spm   = spm;
      issued_d     = 1'b1;
    end else wait_done(next);
  endtask
  task automatic issue_store(input logic out, input logic [ADDR_WIDTH-1:0] addr, input logic [31:0] words,
                             input logic [SPM_AW-1:0] spm, input state_e next);
    if (!issued_q) begin
      store_start_d = 1'b1;
      store_d.out   = out;
      store_d.addr  = addr;
      store_d.words = words;
      store_d.spm   = spm;
      issued_d      = 1'b1;
    end else wait_done(next);
  endtask
  task automatic issue_vec(input llama_pkg::vector_op_e op, input logic [SPM_AW-1:0] a, input logic [SPM_AW-1:0] b,
                           input logic [SPM_AW-1:0] c, input logic [SPM_AW-1:0] dst, input logic [31:0] n,
                           input logic [31:0] scalar, input state_e next);
    if (!issued_q) begin
      vec_start_d = 1'b1;
      vec_op_d    = op;
      vec_d.a      = a;
      vec_d.b      = b;
      vec_d.c      = c;
      vec_d.dst    = dst;
      vec_d.n      = n;
      vec_d.scalar = scalar;
      issued_d    = 1'b1;
    end else wait_done(next);
  endtask
  // The attention unit reads every KV port's cache of this layer.
  task automatic issue_att(input logic wsum, input logic [ADDR_WIDTH*KV_PORTS-1:0] cache, input state_e next);
    if (!issued_q) begin
      att_start_d = 1'b1;
      att_d.wsum  = wsum;
      for (int unsigned p = 0; p < KV_PORTS; p++)
        att_d.addr[ADDR_WIDTH*p+:ADDR_WIDTH] = cache[ADDR_WIDTH*p+:ADDR_WIDTH] + cache_layer_q;
      issued_d = 1'b1;
    end else wait_done(next);
  endtask
  // A matmul starts once the weight streams have named its matrix (mm_named).
  task automatic start_mm(input logic [ADDR_WIDTH-1:0] offset, input logic [31:0] rows, input logic [15:0] cols,
                          input logic [15:0] beats, input logic [SPM_AW-1:0] dst);
    mm_start_d     = 1'b1;
    mm_d.offset    = offset;
    mm_d.rows      = rows;
    mm_d.cols      = cols;
    mm_d.row_beats = beats;
    mm_d.dst       = dst;
    issued_d       = 1'b1;
  endtask
  task automatic issue_mm(input logic [ADDR_WIDTH-1:0] offset, input logic [31:0] rows, input logic [15:0] cols,
                          input logic [15:0] beats, input logic [SPM_AW-1:0] dst, input state_e next);
    if (!issued_q) begin
      if (mm_named) start_mm(offset, rows, cols, beats, dst);
    end else wait_done(next);
  endtask
  // head_size = dim / heads and kv_mul = heads / kv_heads by repeated subtraction: quotient q_d
  // (from q_q) of dividend by divisor.
  task automatic divide(input logic [31:0] dividend, input logic [31:0] divisor, input logic [31:0] q_q,
                        output logic [31:0] q_d, input state_e next);
    q_d = q_q;
    if (!issued_q) begin
      q_d       = '0;
      div_rem_d = dividend;
      issued_d  = 1'b1;
    end else if (div_rem_q >= divisor) begin
      div_rem_d = div_rem_q - divisor;
      q_d       = q_q + 1;
    end else begin
      issued_d = 1'b0;
      state_d  = next;
    end
  endtask

  always_comb begin
    state_d             = state_q;
    issued_d            = issued_q;
    hs_d                = hs_q;
    kv_mul_d            = kv_mul_q;
    div_rem_d           = div_rem_q;
    kv_dim_d            = kv_dim_q;
    gsl_d               = gsl_q;
    beats_dim_d         = beats_dim_q;
    beats_hid_d         = beats_hid_q;
    map_d               = map_q;
    kv_row_bytes_d      = kv_row_bytes_q;
    cache_layer_bytes_d = cache_layer_bytes_q;
    layer_d             = layer_q;
    lo_d                = lo_q;
    cache_layer_d       = cache_layer_q;
    rms_off_d           = rms_off_q;
    token_d             = token_q;
    pos_d               = pos_q;
    emb_port_d          = emb_port_q;
    emb_row_d           = emb_row_q;
    produced_d          = produced_q;
    stored_d            = stored_q;
    load_d              = load_q;
    store_d             = store_q;
    vec_op_d            = vec_op_q;
    vec_d               = vec_q;
    att_d               = att_q;
    mm_d                = mm_q;
    {load_start_d, store_start_d, vec_start_d, mm_start_d, att_start_d, ap_done_d} = '0;
    unique case (state_q)
      StIdle: if (ap_start_i) begin
        token_d = token_i;
        pos_d   = pos_i;
        state_d = StDesc;
      end
      StDesc: issue_load(weights_i[ADDR_WIDTH-1:0], 32'(SPM_DESC_WORDS), '0, StDivHs);

      StDivHs: divide(dim, heads, hs_q, hs_d, StDivKv);
      StDivKv: divide(heads, kv_heads, kv_mul_q, kv_mul_d, StGeom1);
      StGeom1: begin
        kv_dim_d = hs_q * kv_heads;
        // a division by a constant (a shift for a power of two), once per token
        emb_port_d = WPW'(token_q % WEIGHT_PORTS);
        emb_row_d  = token_q / WEIGHT_PORTS;
        for (int unsigned k = 0; k < 16; k++) if (gs[k]) gsl_d = 4'(k);
        state_d = StGeom2;
      end
      StGeom2: begin
        beats_dim_d    = row_beats(dim, gsl_q);
        beats_hid_d    = row_beats(hidden, gsl_q);
        kv_row_bytes_d = ADDR_WIDTH'(kv_dim_q) << 2;
        map_d.x    = SPM_DESC_WORDS;
        map_d.xb   = SPM_DESC_WORDS + SPM_AW'(dim);
        map_d.xb2  = SPM_DESC_WORDS + SPM_AW'(2 * dim);
        map_d.q    = SPM_DESC_WORDS + SPM_AW'(3 * dim);
        map_d.rms  = SPM_DESC_WORDS + SPM_AW'(4 * dim);
        map_d.k    = SPM_DESC_WORDS + SPM_AW'(5 * dim);
        map_d.v    = SPM_DESC_WORDS + SPM_AW'(5 * dim + kv_dim_q);
        map_d.hb   = SPM_DESC_WORDS + SPM_AW'(5 * dim + 2 * kv_dim_q);
        map_d.hb2  = SPM_DESC_WORDS + SPM_AW'(5 * dim + 2 * kv_dim_q + hidden);
        map_d.rope = SPM_DESC_WORDS + SPM_AW'(5 * dim + 2 * kv_dim_q + 2 * hidden);
        map_d.row  = SPM_DESC_WORDS + SPM_AW'(5 * dim + 2 * kv_dim_q + 2 * hidden + hs_q);
        state_d = StGeom3;
      end
      StGeom3: begin
        map_d.att = map_q.row + SPM_AW'(32'(beats_dim_q) * 16);
        map_d.log = map_q.row + SPM_AW'(32'(beats_dim_q) * 16 + heads * seq);
        // each KV port holds ceil(seq / KV_PORTS) rows of a layer
        cache_layer_bytes_d = kv_row_bytes_q * ADDR_WIDTH'(seq_rows);
        layer_d       = '0;
        lo_d          = '0;
        cache_layer_d = '0;
        rms_off_d     = '0;
        state_d       = StEmbLoad;
      end

      StEmbLoad: begin
        issue_load(weights_i[ADDR_WIDTH*emb_port_q+:ADDR_WIDTH] + off_emb + ADDR_WIDTH'(emb_row_q) * ADDR_WIDTH'(beats_dim_q) * 64,
                   32'(beats_dim_q) * 16, map_q.row, StEmbDeq);
        if (!issued_q) load_d.port = emb_port_q;
      end
      StEmbDeq: issue_vec(llama_pkg::VopDequant, map_q.row, map_q.row, map_q.row, map_q.x, dim, 32'd0, StRopeLoad);
      StRopeLoad: issue_load(weights_i[ADDR_WIDTH-1:0] + off_rope + ADDR_WIDTH'(pos_q) * ADDR_WIDTH'(hs_q) * 4, hs_q,
                             map_q.rope, StAttRmsLoad);

      // ---- one layer ----
      StAttRmsLoad: issue_load(weights_i[ADDR_WIDTH-1:0] + off_rms_att + rms_off_q, dim, map_q.rms, StAttRms);
      StAttRms: issue_vec(llama_pkg::VopRmsnorm, map_q.x, map_q.rms, map_q.rms, map_q.xb, dim, inv_dim, StAttQuant);
      StAttQuant: issue_vec(llama_pkg::VopQuantize, map_q.xb, map_q.xb, map_q.xb, map_q.xb, dim, 32'd0, StMatQ);
      StMatQ: issue_mm(off_wq + lo_q, dim, 16'(dim), beats_dim_q, map_q.q, StMatK);
      StMatK: issue_mm(off_wk + lo_q, kv_dim_q, 16'(dim), beats_dim_q, map_q.k, StMatV);
      StMatV: issue_mm(off_wv + lo_q, kv_dim_q, 16'(dim), beats_dim_q, map_q.v, StRope);
      StRope: issue_vec(llama_pkg::VopRope, map_q.q, map_q.k, map_q.rope, map_q.q, dim, 32'd0, StStoreK);
      // the row of position pos: KV port pos % KV_PORTS, its local row pos / KV_PORTS
      StStoreK: begin
        issue_store(1'b0, key_cache_i[ADDR_WIDTH*kv_port+:ADDR_WIDTH] + cache_layer_q +
                        ADDR_WIDTH'(pos_row) * kv_row_bytes_q, kv_dim_q, map_q.k, StStoreV);
        if (!issued_q) store_d.kv_port = KPW'(kv_port);
      end
      StStoreV: begin
        issue_store(1'b0, value_cache_i[ADDR_WIDTH*kv_port+:ADDR_WIDTH] + cache_layer_q +
                        ADDR_WIDTH'(pos_row) * kv_row_bytes_q, kv_dim_q, map_q.v, StScores);
        if (!issued_q) store_d.kv_port = KPW'(kv_port);
      end
      StScores: issue_att(1'b0, key_cache_i, StSoftmax);
      StSoftmax: issue_vec(llama_pkg::VopSoftmax, map_q.att, map_q.att, map_q.att, map_q.att, pos_q + 1, 32'd0, StWsum);
      StWsum: issue_att(1'b1, value_cache_i, StWoQuant);
      StWoQuant: issue_vec(llama_pkg::VopQuantize, map_q.xb, map_q.xb, map_q.xb, map_q.xb, dim, 32'd0, StMatO);
      StMatO: issue_mm(off_wo + lo_q, dim, 16'(dim), beats_dim_q, map_q.xb2, StAttResidual);
      StAttResidual: issue_vec(llama_pkg::VopResidual, map_q.x, map_q.xb2, map_q.xb2, map_q.x, dim, 32'd0, StFfnRmsLoad);
      StFfnRmsLoad: issue_load(weights_i[ADDR_WIDTH-1:0] + off_rms_ffn + rms_off_q, dim, map_q.rms, StFfnRms);
      StFfnRms: issue_vec(llama_pkg::VopRmsnorm, map_q.x, map_q.rms, map_q.rms, map_q.xb, dim, inv_dim, StFfnQuant);
      StFfnQuant: issue_vec(llama_pkg::VopQuantize, map_q.xb, map_q.xb, map_q.xb, map_q.xb, dim, 32'd0, StMatW1);
      StMatW1: issue_mm(off_w1 + lo_q, hidden, 16'(dim), beats_dim_q, map_q.hb, StMatW3);
      StMatW3: issue_mm(off_w3 + lo_q, hidden, 16'(dim), beats_dim_q, map_q.hb2, StSwiglu);
      StSwiglu: issue_vec(llama_pkg::VopSwiglu, map_q.hb, map_q.hb2, map_q.hb2, map_q.hb, hidden, 32'd0, StW2Quant);
      StW2Quant: issue_vec(llama_pkg::VopQuantize, map_q.hb, map_q.hb, map_q.hb, map_q.hb, hidden, 32'd0, StMatW2);
      StMatW2: issue_mm(off_w2 + lo_q, dim, 16'(hidden), beats_hid_q, map_q.xb, StFfnResidual);
      StFfnResidual: begin
        issue_vec(llama_pkg::VopResidual, map_q.x, map_q.xb, map_q.xb, map_q.x, dim, 32'd0, StAttRmsLoad);
        if (issued_q && any_done) begin
          layer_d       = layer_q + 1;
          lo_d          = lo_q + layer_stride;
          cache_layer_d = cache_layer_q + cache_layer_bytes_q;
          rms_off_d     = rms_off_q + (ADDR_WIDTH'(dim) << 2);
          if (layer_q + 1 == n_layers) state_d = StFinalRmsLoad;
        end
      end

      // ---- final norm and classifier ----
      StFinalRmsLoad: issue_load(weights_i[ADDR_WIDTH-1:0] + off_rms_final, dim, map_q.rms, StFinalRms);
      StFinalRms: issue_vec(llama_pkg::VopRmsnorm, map_q.x, map_q.rms, map_q.rms, map_q.x, dim, inv_dim, StFinalQuant);
      StFinalQuant: begin
        issue_vec(llama_pkg::VopQuantize, map_q.x, map_q.x, map_q.x, map_q.x, dim, 32'd0, StClassifier);
        produced_d = '0;
        stored_d   = '0;
      end
      StClassifier: begin
        // The engine runs through the vocabulary; whole 16-row blocks (and the tail) go out
        // as soon as they are in the ring. The engine's done may come before the last block.
        if (!issued_q && mm_named) start_mm(off_cls, vocab, 16'(dim), beats_dim_q, map_q.log);
        if (mm_result_i) produced_d = produced_q + 1;
        if (store_done_i) stored_d = stored_q + store_q.words;
        if (issued_q && !store_busy_q && !store_start_q && !store_done_i && stored_q < vocab &&
            (produced_q >= stored_q + 16 || produced_q == vocab)) begin
          store_start_d = 1'b1;
          store_d.out   = 1'b1;
          store_d.addr  = logits_i + (ADDR_WIDTH'(stored_q) << 2);
          store_d.words = vocab - stored_q < 32'd16 ? vocab - stored_q : 32'd16;
          store_d.spm   = map_q.log + SPM_AW'(stored_q[4:0]);
        end
        if (store_done_i && stored_q + store_q.words == vocab) begin
          issued_d = 1'b0;
          state_d  = StFinish;
        end
      end
      StFinish: begin
        ap_done_d = 1'b1;
        state_d   = StIdle;
      end
      default: state_d = StIdle;
    endcase
  end

  `VP_FF(state_q, state_d, StIdle)
  `VP_FF(issued_q, issued_d, 1'b0)
  `VP_FF(hs_q, hs_d, '0)
  `VP_FF(kv_mul_q, kv_mul_d, '0)
  `VP_FF(div_rem_q, div_rem_d, '0)
  `VP_FF(kv_dim_q, kv_dim_d, '0)
  `VP_FF(gsl_q, gsl_d, '0)
  `VP_FF(beats_dim_q, beats_dim_d, '0)
  `VP_FF(beats_hid_q, beats_hid_d, '0)
  `VP_FF(map_q, map_d, '0)
  `VP_FF(kv_row_bytes_q, kv_row_bytes_d, '0)
  `VP_FF(cache_layer_bytes_q, cache_layer_bytes_d, '0)
  `VP_FF(layer_q, layer_d, '0)
  `VP_FF(lo_q, lo_d, '0)
  `VP_FF(cache_layer_q, cache_layer_d, '0)
  `VP_FF(rms_off_q, rms_off_d, '0)
  `VP_FF(token_q, token_d, '0)
  `VP_FF(pos_q, pos_d, '0)
  `VP_FF(emb_port_q, emb_port_d, '0)
  `VP_FF(emb_row_q, emb_row_d, '0)
  `VP_FF(produced_q, produced_d, '0)
  `VP_FF(stored_q, stored_d, '0)
  `VP_FF(load_start_q, load_start_d, 1'b0)
  `VP_FF(store_start_q, store_start_d, 1'b0)
  `VP_FF(vec_start_q, vec_start_d, 1'b0)
  `VP_FF(att_start_q, att_start_d, 1'b0)
  `VP_FF(mm_start_q, mm_start_d, 1'b0)
  `VP_FF(ap_done_q, ap_done_d, 1'b0)
  `VP_FF(load_q, load_d, '0)
  `VP_FF(store_q, store_d, '0)
  `VP_FF(vec_op_q, vec_op_d, llama_pkg::VopDequant)
  `VP_FF(vec_q, vec_d, '0)
  `VP_FF(att_q, att_d, '0)
  `VP_FF(mm_q, mm_d, '0)

endmodule
