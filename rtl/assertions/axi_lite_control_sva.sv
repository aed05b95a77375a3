// Checks of rtl/axi_lite_control.sv's write-channel state, bound to every instance
// (llama_kernel_binds.sv) with its state registers: the write path is idle, holds an AW, holds a W,
// or answers with B, one at a time ({aw_held_q, w_held_q, b_valid_q} one-hot or zero: a held AW
// and W are written in the cycle they meet, and no AW or W is taken while B is pending), and a
// read answer is OKAY or SLVERR. Test build only; shown to fire in tests/test_rtl_assertions.cpp.
/* verilator lint_off SYNCASYNCNET */
module axi_lite_control_sva (
  input logic       clk_i,
  input logic       rst_ni,
  input logic       aw_held_q,
  input logic       w_held_q,
  input logic       b_valid_q,
  input logic [1:0] b_resp_q,
  input logic [1:0] r_resp_q
);

  localparam logic [1:0] RESP_OKAY   = 2'b00;
  localparam logic [1:0] RESP_SLVERR = 2'b10;

  a_write_state_onehot: assert property (@(posedge clk_i) disable iff (!rst_ni)
      $onehot0({aw_held_q, w_held_q, b_valid_q}))
    else $error("write path state %b (aw_held, w_held, b_valid) is not one-hot or zero",
                {aw_held_q, w_held_q, b_valid_q});
  a_resp_registers_legal: assert property (@(posedge clk_i) disable iff (!rst_ni)
      (b_resp_q == RESP_OKAY || b_resp_q == RESP_SLVERR) && (r_resp_q == RESP_OKAY || r_resp_q == RESP_SLVERR))
    else $error("response register holds neither OKAY nor SLVERR");

endmodule
