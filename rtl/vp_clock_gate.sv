// Clock gate: clk_o follows clk_i in the cycles whose en_i was high before the rising edge and stays
// low in the others, so the registers of a unit on clk_o hold while the unit is idle. The enable is
// latched while clk_i is low (glitch-free, as an ASIC's integrated clock gate). On an AMD FPGA,
// Vivado's gated clock conversion can move the gate into the clock enables of the unit's flops
// (GATED_CLOCK on clk_i: UG901, UG912), so the fabric keeps one clock tree.
// A unit is gated only where its registers would hold anyway, so no result changes; the point is the
// simulator: Verilator evaluates a gated unit's always_ff blocks only on its clock's edges, so an
// idle unit costs nothing per cycle (the vector unit through every matmul).
// ENABLE = 0 passes clk_i through (llama_kernel CLOCK_GATES = 0: the same design without the gates,
// which the traced Verilated variant is, so comparing its runs with the untraced one's tests them).
module vp_clock_gate #(
  parameter bit ENABLE = 1'b1
) (
  (* gated_clock = "true" *) input logic clk_i,
  input  logic en_i,
  output logic clk_o
);

  if (ENABLE) begin : g_gate
    logic en_latched;
    always_latch if (!clk_i) en_latched = en_i;
    assign clk_o = clk_i & en_latched;
  end else begin : g_pass
    logic unused_en;
    assign unused_en = en_i;
    assign clk_o = clk_i;
  end

endmodule
