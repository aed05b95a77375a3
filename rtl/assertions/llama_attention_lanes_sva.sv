// Checks of the attention unit's KV lanes (llama_attention_unit's ports; bound in
// llama_kernel_binds.sv): the lanes consume beats in lockstep. A beat is taken (beat_ready_o) only
// on lanes whose beat is there; the lanes taking a beat are lanes 0 .. n-1 (the active positions of
// a group: only the group's tail may be inactive) and always include lane 0; every lane's request
// leaves before its first beat is taken, and no lane requests twice in one command.
/* verilator lint_off SYNCASYNCNET */
module llama_attention_lanes_sva #(
  parameter int unsigned KV_PORTS = 4  // (the bind sets it; 4 for the checker's own test)
) (
  input logic                clk_i,
  input logic                rst_ni,
  input logic                start_i,
  input logic [KV_PORTS-1:0] req_valid_i,
  input logic [KV_PORTS-1:0] req_ready_i,
  input logic [KV_PORTS-1:0] beat_valid_i,
  input logic [KV_PORTS-1:0] beat_ready_i
);

  // lanes 0 .. n-1: ready + 1 is a power of two (or zero when all are set)
  logic [KV_PORTS:0] prefix_check;
  assign prefix_check = {1'b0, beat_ready_i} + 1'b1;

  a_beat_there: assert property (@(posedge clk_i) disable iff (!rst_ni)
      (beat_ready_i & ~beat_valid_i) == '0)
    else $error("attention: a lane took a beat its read master did not have (lanes out of lockstep)");
  a_lanes_prefix: assert property (@(posedge clk_i) disable iff (!rst_ni)
      beat_ready_i != '0 |-> beat_ready_i[0] && $onehot(prefix_check))
    else $error("attention: the lanes taking a beat are not lanes 0 .. n-1 (%b)", beat_ready_i);

  // per lane: requested in this command
  logic [KV_PORTS-1:0] requested_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) requested_q <= '0;
    else if (start_i) requested_q <= '0;
    else requested_q <= requested_q | (req_valid_i & req_ready_i);
  end
  for (genvar p = 0; p < KV_PORTS; p++) begin : g_lane
    a_request_once: assert property (@(posedge clk_i) disable iff (!rst_ni)
        !start_i && requested_q[p] |-> !req_valid_i[p])
      else $error("attention: KV lane %0d requests twice in one command", p);
    a_request_first: assert property (@(posedge clk_i) disable iff (!rst_ni)
        beat_ready_i[p] |-> requested_q[p])
      else $error("attention: KV lane %0d takes a beat before its request left", p);
  end

endmodule
