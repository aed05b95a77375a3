// Flop macros of the kernel RTL, one always_ff per register (in the manner of PULP common_cells'
// registers.svh and OpenTitan's prim_flop_macros.sv). Clock and reset default to the house names
// clk_i and rst_ni (active low, asynchronous); a top with Vitis names passes ap_clk and ap_rst_n.
//   `VP_FF(q, d, reset_value[, clk, rst_n])          q <= d every cycle; reset_value in reset
//   `VP_FFL(q, d, load, reset_value[, clk, rst_n])   q <= d when load; holds otherwise
//   `VP_FFNR(q, d[, clk])                            no reset (datapath registers, RAM-like arrays)
//   `VP_FFLNR(q, d, load[, clk])                     no reset, with load enable
// Use: the next state in an always_comb (`_d`), one macro per `_q` below it:
//   always_comb begin count_d = count_q; if (inc) count_d = count_q + 1'b1; end
//   `VP_FF(count_q, count_d, '0)
// Each expands to an always_ff block, so a register is written in exactly one place; the
// arguments are parenthesized, so any expression may stand for d, load or reset_value.
`ifndef VP_REGISTERS_SVH
`define VP_REGISTERS_SVH

`define VP_FF(__q, __d, __reset_value, __clk = clk_i, __rst_n = rst_ni) \
  always_ff @(posedge (__clk) or negedge (__rst_n)) begin                \
    if (!(__rst_n)) __q <= (__reset_value);                              \
    else __q <= (__d);                                                   \
  end

`define VP_FFL(__q, __d, __load, __reset_value, __clk = clk_i, __rst_n = rst_ni) \
  always_ff @(posedge (__clk) or negedge (__rst_n)) begin                         \
    if (!(__rst_n)) __q <= (__reset_value);                                       \
    else if (__load) __q <= (__d);                                                \
  end

`define VP_FFNR(__q, __d, __clk = clk_i) \
  always_ff @(posedge (__clk)) __q <= (__d);

`define VP_FFLNR(__q, __d, __load, __clk = clk_i) \
  always_ff @(posedge (__clk)) if (__load) __q <= (__d);

`endif  // VP_REGISTERS_SVH
