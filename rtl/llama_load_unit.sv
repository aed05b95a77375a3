// Moves `words` 32-bit words from device memory at `addr` (4-byte aligned) into the scratchpad
// at word `spm_base`, one word per cycle: one request to a read master, whose beats carry the
// first word in lane (addr % 64) / 4; a beat is released after its last needed word.
module llama_load_unit #(
  parameter int unsigned SPM_AW = 15,
  localparam int unsigned ADDR_WIDTH = 64,
  localparam int unsigned BEAT_WORDS = 16
) (
  input  logic                    clk_i,
  input  logic                    rst_ni,
  input  logic                    start_i,
  input  logic [ADDR_WIDTH-1:0]   addr_i,
  input  logic [31:0]             words_i,    // > 0
  input  logic [SPM_AW-1:0]       spm_base_i,
  output logic                    done_o,     // pulse after the last word is written
  // Read master
  output logic                    req_valid_o,
  input  logic                    req_ready_i,
  output logic [ADDR_WIDTH-1:0]   req_addr_o,
  output logic [31:0]             req_bytes_o,
  input  logic                    data_valid_i,
  output logic                    data_ready_o,
  input  logic [32*BEAT_WORDS-1:0] data_i,
  // Scratchpad write port
  output logic                    spm_we_o,
  output logic [SPM_AW-1:0]       spm_waddr_o,
  output logic [31:0]             spm_wdata_o
);

  logic        requesting_q, receiving_q;
  logic [31:0] count_q;
  logic [3:0]  lane_q;
  logic        last_word;

  assign req_valid_o  = requesting_q;
  assign req_addr_o   = addr_i;
  assign req_bytes_o  = words_i << 2;
  assign last_word    = count_q + 1 == words_i;
  assign spm_we_o     = receiving_q && data_valid_i;
  assign spm_waddr_o  = spm_base_i + SPM_AW'(count_q);
  assign spm_wdata_o  = data_i[32*lane_q+:32];
  assign data_ready_o = receiving_q && (lane_q == 4'(BEAT_WORDS - 1) || last_word);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      requesting_q <= 1'b0;
      receiving_q  <= 1'b0;
      count_q      <= '0;
      lane_q       <= '0;
      done_o       <= 1'b0;
    end else begin
      done_o <= 1'b0;
      if (start_i) begin
        requesting_q <= 1'b1;
        receiving_q  <= 1'b1;
        count_q      <= '0;
        lane_q       <= addr_i[5:2];
      end
      if (req_valid_o && req_ready_i) requesting_q <= 1'b0;
      if (spm_we_o) begin
        count_q <= count_q + 1;
        lane_q  <= lane_q + 1'b1;
        if (last_word) begin
          receiving_q <= 1'b0;
          done_o      <= 1'b1;
        end
      end
    end
  end

endmodule
