// Valid and tag of a fixed-latency pipeline (rtl/fp32_*_pipeline.sv): valid_line_o[c] says
// whether the input of c cycles ago was valid (valid_line_o[LATENCY] is the output's), busy_o
// is the clock enable of the pipeline's delay lines (an input enters or one is in flight; the
// lines' last elements hold while the output is presented), tag_o is the output's tag.
`include "vp_registers.svh"

module fp_pipeline_control #(
  parameter int unsigned LATENCY = 2,
  parameter int unsigned TAG_W   = 1
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic             valid_i,
  input  logic [TAG_W-1:0] tag_i,
  output logic [LATENCY:1] valid_line_o,
  output logic             busy_o,
  output logic [TAG_W-1:0] tag_o
);

  `VP_FF(valid_line_o, {valid_line_o[LATENCY-1:1], valid_i}, '0)

  assign busy_o = valid_i || (valid_line_o[LATENCY-1:1] != '0);

  // One variable per element in a generate loop: Verilator gives unpacked array elements written
  // by nonblocking assignments shadow copies paid at every edge.
  for (genvar c = 1; c <= LATENCY; c++) begin : g_tag_line
    logic [TAG_W-1:0] tag_q;
    if (c == 1) begin : g_in
      `VP_FFLNR(tag_q, tag_i, busy_o)
    end else begin : g_shift
      `VP_FFLNR(tag_q, g_tag_line[c-1].tag_q, busy_o)
    end
  end
  assign tag_o = g_tag_line[LATENCY].tag_q;

endmodule
