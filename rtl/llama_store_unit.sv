// Moves `words` 32-bit words from the scratchpad at word `spm_base` to device memory at `addr`
// (4-byte aligned): one request to a write master, then one beat per scratchpad window read
// (beat b carries words 16b - lane .. 16b - lane + 15, lane = (addr % 64) / 4; the write master's
// strobes cover only the requested bytes), three cycles a beat: read, capture, send. Done when
// the write master has every response back, so a following read of the same memory sees the data.
`include "vp_registers.svh"

module llama_store_unit #(
  parameter int unsigned SPM_AW = 15,
  localparam int unsigned ADDR_WIDTH = 64,
  localparam int unsigned BEAT_WORDS = 16
) (
  input  logic                     clk_i,
  input  logic                     rst_ni,
  input  logic                     start_i,
  input  logic [ADDR_WIDTH-1:0]    addr_i,
  input  logic [31:0]              words_i,    // > 0
  input  logic [SPM_AW-1:0]        spm_base_i,
  output logic                     done_o,     // pulse once the write is answered
  output logic                     busy_o,
  // Write master
  output logic                     req_valid_o,
  input  logic                     req_ready_i,
  output logic [ADDR_WIDTH-1:0]    req_addr_o,
  output logic [31:0]              req_bytes_o,
  output logic                     data_valid_o,
  input  logic                     data_ready_i,
  output logic [32*BEAT_WORDS-1:0] data_o,
  input  logic                     writer_idle_i,
  // Scratchpad read port
  output logic                     spm_re_o,
  output logic [SPM_AW-1:0]        spm_raddr_o,
  input  logic [32*BEAT_WORDS-1:0] spm_banks_i,  // the 16 banks read at spm_raddr (word + k in bank
  input  logic [3:0]               spm_rbank_i   // spm_rbank + k), one cycle after the address
);

  typedef enum logic [2:0] {StIdle, StRequest, StRead, StPlace, StSend, StDrain} state_e;
  state_e                   state_q, state_d;
  logic [31:0]              count_q, count_d;
  logic [3:0]               lane_q, lane_d;  // memory lane of the next word
  logic [32*BEAT_WORDS-1:0] beat_q, beat_d;
  logic                     done_q, done_d;

  assign busy_o       = state_q != StIdle;
  assign done_o       = done_q;
  assign req_valid_o  = state_q == StRequest;
  assign req_addr_o   = addr_i;
  assign req_bytes_o  = words_i << 2;
  assign data_valid_o = state_q == StSend;
  assign data_o       = beat_q;
  assign spm_re_o     = state_q == StRead;
  assign spm_raddr_o  = spm_base_i + SPM_AW'(count_q) - SPM_AW'(lane_q);

  // The window read in order: word k of the beat from bank (rbank + k) % 16 (taken in StPlace).
  always_comb
    for (int unsigned k = 0; k < BEAT_WORDS; k++) beat_d[32*k+:32] = spm_banks_i[32*(4'(spm_rbank_i + 4'(k)))+:32];

  always_comb begin
    state_d = state_q;
    count_d = count_q;
    lane_d  = lane_q;
    done_d  = 1'b0;
    unique case (state_q)
      StIdle: if (start_i) begin
        state_d = StRequest;
        count_d = '0;
        lane_d  = addr_i[5:2];
      end
      StRequest: if (req_ready_i) state_d = StRead;
      StRead: state_d = StPlace;
      StPlace: begin
        count_d = count_q + 32'(BEAT_WORDS) - 32'(lane_q);
        lane_d  = '0;
        state_d = StSend;
      end
      StSend: if (data_ready_i) state_d = count_q >= words_i ? StDrain : StRead;
      StDrain: if (writer_idle_i) begin
        state_d = StIdle;
        done_d  = 1'b1;
      end
      default: state_d = StIdle;
    endcase
  end

  `VP_FF(state_q, state_d, StIdle)
  `VP_FF(count_q, count_d, '0)
  `VP_FF(lane_q, lane_d, '0)
  `VP_FFL(beat_q, beat_d, state_q == StPlace, '0)
  `VP_FF(done_q, done_d, 1'b0)

endmodule
