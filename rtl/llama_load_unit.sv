// Moves `words` 32-bit words from device memory at `addr` (4-byte aligned) into the scratchpad
// at word `spm_base`, one AXI beat per cycle: one request to a read master, whose first beat
// carries the first word in lane (addr % 64) / 4; each beat's needed words go to the
// scratchpad's beat write port at once (they land in distinct banks, rtl/llama_scratchpad.sv).
`include "vp_registers.svh"

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
  // Scratchpad beat write port: words lane .. lane + count - 1 of the beat (which goes to the
  // scratchpad straight from the read master) to spm_waddr_o onwards
  output logic                    spm_we_o,
  output logic [SPM_AW-1:0]       spm_waddr_o,
  output logic [4:0]              spm_count_o,
  output logic [3:0]              spm_lane_o
);

  logic        requesting_q, requesting_d, receiving_q, receiving_d, done_q, done_d;
  logic [31:0] count_q, count_d, left;
  logic [3:0]  lane_q, lane_d;
  logic [4:0]  in_beat;  // words of this beat from lane_q on
  logic        last_beat;

  assign left         = words_i - count_q;
  assign in_beat      = 5'(BEAT_WORDS) - 5'(lane_q);
  assign last_beat    = left <= 32'(in_beat);
  assign req_valid_o  = requesting_q;
  assign req_addr_o   = addr_i;
  assign req_bytes_o  = words_i << 2;
  assign spm_we_o     = receiving_q && data_valid_i;
  assign spm_waddr_o  = spm_base_i + SPM_AW'(count_q);
  assign spm_count_o  = last_beat ? left[4:0] : in_beat;
  assign spm_lane_o   = lane_q;
  assign data_ready_o = receiving_q;
  assign done_o       = done_q;

  always_comb begin
    requesting_d = requesting_q;
    receiving_d  = receiving_q;
    count_d      = count_q;
    lane_d       = lane_q;
    done_d       = 1'b0;
    if (start_i) begin
      requesting_d = 1'b1;
      receiving_d  = 1'b1;
      count_d      = '0;
      lane_d       = addr_i[5:2];
    end
    if (req_valid_o && req_ready_i) requesting_d = 1'b0;
    if (spm_we_o) begin
      count_d = count_q + 32'(spm_count_o);
      lane_d  = '0;
      if (last_beat) begin
        receiving_d = 1'b0;
        done_d      = 1'b1;
      end
    end
  end

  `VP_FF(requesting_q, requesting_d, 1'b0)
  `VP_FF(receiving_q, receiving_d, 1'b0)
  `VP_FF(count_q, count_d, '0)
  `VP_FF(lane_q, lane_d, '0)
  `VP_FF(done_q, done_d, 1'b0)

endmodule
