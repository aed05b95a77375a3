// Shared types and constants of the Llama kernel's RTL, in the manner of lowRISC's ibex_pkg.sv:
// every code that crosses a module boundary (kernel phases, vector-unit operations, vector-stream
// modes, the fp32 units' special-case kinds) as a typed enum, and the fp32 bit patterns more than
// one module uses, declared once.
//
// Referenced qualified (llama_pkg::PhaseEmbedding, llama_pkg::F_ZERO): Yosys 0.23 reads packages
// but not `import llama_pkg::*;` inside a module nor casts to a package type. This file is read
// before every other one wherever the RTL is (rtl/CMakeLists.txt: the verilate() SOURCES and the
// lint tests; rtl/synth/report_resources.sh).
//
// Naming (rtl/README.md, Conventions): types end in `_e`, enum values are UpperCamelCase with a
// prefix naming the type (states alone take `St`), constants are UPPER_CASE.
package llama_pkg;

  // A unit linted or Verilated on its own (rtl/CMakeLists.txt) uses a few of these.
  // verilator lint_off UNUSEDPARAM

  // ---------------------------------------------------------------------------------------
  // Kernel phases (the sequencer's phase_o, the kernel's kernel_phase_o): the values are the
  // order of vp::KernelPhase in hls/kernel_phase.h, which the simulation wrapper and the timing
  // model decode.
  // ---------------------------------------------------------------------------------------
  typedef enum logic [3:0] {
    PhaseLoadDescriptor = 4'd0,
    PhaseEmbedding      = 4'd1,
    PhaseAttnRmsnorm    = 4'd2,
    PhaseQkvMatmul      = 4'd3,
    PhaseRopeKvWrite    = 4'd4,
    PhaseAttention      = 4'd5,
    PhaseWoMatmul       = 4'd6,
    PhaseFfnRmsnorm     = 4'd7,
    PhaseW13Matmul      = 4'd8,
    PhaseW2Matmul       = 4'd9,
    PhaseFinalRmsnorm   = 4'd10,
    PhaseClassifier     = 4'd11
  } phase_e;

  // ---------------------------------------------------------------------------------------
  // Operations of llama_vector_unit, issued by llama_sequencer. 4, 6 and 7 were the attention
  // scores, the +0 fill and the weighted sum, now llama_attention_unit.
  // ---------------------------------------------------------------------------------------
  typedef enum logic [3:0] {
    VopDequant  = 4'd0,  // dst[i] = float(int8 row byte i) * row scale[i / gs]
    VopRmsnorm  = 4'd1,  // dst = b * (rsqrt(sum(a^2) * scalar + 1e-5) * a)
    VopQuantize = 4'd2,  // Q8_0 groups of a -> int8 activations and scales
    VopRope     = 4'd3,  // rotate pairs of a (dim) and b (kv_dim) by the table at c
    VopSoftmax  = 4'd5,  // softmax of n entries of each head's row at a
    VopResidual = 4'd8,  // a[i] = a[i] + b[i]
    VopSwiglu   = 4'd9   // a[i] = (a[i] * 1/(1 + e^-a[i])) * b[i]
  } vector_op_e;

  // ---------------------------------------------------------------------------------------
  // Modes of llama_vector_stream, the vector unit's pipelined element loops (what each computes:
  // the header of llama_vector_stream.sv). tests/test_rtl_llama_vector_stream.cpp drives the
  // same values.
  // ---------------------------------------------------------------------------------------
  typedef enum logic [3:0] {
    StreamSumSq  = 4'd0,
    StreamSum    = 4'd2,
    StreamScale2 = 4'd3,
    StreamAdd    = 4'd4,
    StreamMulS   = 4'd6,
    StreamMax    = 4'd9,
    StreamDeq    = 4'd10,
    StreamRope   = 4'd11,
    StreamExp    = 4'd12,
    StreamSwiglu = 4'd13
  } stream_mode_e;

  // ---------------------------------------------------------------------------------------
  // Special-case kind of an fp32 function pipeline's input (fp32_exp_pipeline,
  // fp32_reciprocal_pipeline), carried down its delay line to the output select. rsqrt selects
  // its special result at the input instead.
  // ---------------------------------------------------------------------------------------
  typedef enum logic [1:0] {
    KindNormal,  // the computed result
    KindNan,     // x unchanged
    KindInf,     // exp: x > 88.5 (+inf); reciprocal: |x| < 2^-126 (inf with the sign of x)
    KindZero     // exp: x < -87 (+0); reciprocal: |x| > 2^126 (0 with the sign of x)
  } fp32_kind_e;

  // ---------------------------------------------------------------------------------------
  // fp32 bit patterns
  // ---------------------------------------------------------------------------------------
  localparam logic [31:0] F_ZERO        = 32'h0000_0000;  // +0.0f
  localparam logic [31:0] F_NZERO       = 32'h8000_0000;  // -0.0f, the identity of fp32 addition
  localparam logic [31:0] F_HALF        = 32'h3F00_0000;  // 0.5f
  localparam logic [31:0] F_ONE         = 32'h3F80_0000;  // 1.0f
  localparam logic [31:0] F_EPS         = 32'h3727_C5AC;  // 1e-5f, RMSNorm's epsilon
  localparam logic [31:0] F_POS_INF     = 32'h7F80_0000;  // +inf
  localparam logic [31:0] F_QNAN        = 32'h7FC0_0000;  // std::numeric_limits<float>::quiet_NaN()
  localparam logic [31:0] F_DEFAULT_NAN = 32'hFFC0_0000;  // x86 SSE's default NaN (invalid operation)
  localparam logic [31:0] F_QUIET_BIT   = 32'h0040_0000;  // the quiet bit of a NaN's significand

  // verilator lint_on UNUSEDPARAM

  // ---------------------------------------------------------------------------------------
  // fp32 units as functions, for the places where a unit must sit inside the enabled branch of
  // its register (so that the Verilated model skips it on the cycles it is not used): the same
  // logic as the modules named.
  // ---------------------------------------------------------------------------------------
  // (float)n as rtl/fp32_from_int.sv: normalize the magnitude by its leading-zero count, round
  // to nearest even.
  function automatic logic [31:0] f32_from_int(input logic [31:0] n);
    logic        sign;
    logic [31:0] mag, norm;
    logic [5:0]  lead_zeros;
    logic        round_up;
    logic [7:0]  exp_field;
    logic [30:0] packed_res;
    sign = n[31];
    mag  = sign ? (32'd0 - n) : n;  // -2^31 wraps to its own magnitude 2^31
    // Scan from the LSB up so that the highest set bit writes last (no `break`: Yosys 0.23).
    lead_zeros = 6'd32;
    for (int unsigned i = 0; i < 32; i++) begin
      if (mag[i]) lead_zeros = 6'(31 - i);
    end
    norm         = mag << lead_zeros;
    exp_field    = 8'd158 - {2'b00, lead_zeros};
    round_up     = norm[7] & ((|norm[6:0]) | norm[8]);
    packed_res   = 31'({1'b0, exp_field - 8'd1, 23'd0} + {8'd0, norm[31:8]} + {31'd0, round_up});
    f32_from_int = (mag == 32'd0) ? 32'd0 : {sign, packed_res};
  endfunction

  // a > b as rtl/fp32_compare.sv orders them (false when either is a NaN; -0 and +0 equal).
  function automatic logic f32_gt(input logic [31:0] a, input logic [31:0] b);
    logic unordered, both_zero;
    unordered = ((a[30:23] == 8'hFF) && (a[22:0] != 23'd0)) || ((b[30:23] == 8'hFF) && (b[22:0] != 23'd0));
    both_zero = (a[30:0] == 31'd0) && (b[30:0] == 31'd0);
    unique case ({a[31], b[31]})
      2'b00:   f32_gt = a[30:0] > b[30:0];
      2'b11:   f32_gt = a[30:0] < b[30:0];
      2'b01:   f32_gt = !both_zero;
      default: f32_gt = 1'b0;
    endcase
    if (unordered) f32_gt = 1'b0;
  endfunction

endpackage
