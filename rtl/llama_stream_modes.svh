// Modes of llama_vector_stream, the vector unit's pipelined element loops. Included inside the
// modules that use them (module-scope localparams), so no include guard.
localparam logic [3:0] STR_SUMSQ  = 4'd0;
localparam logic [3:0] STR_SUM    = 4'd2;
localparam logic [3:0] STR_SCALE2 = 4'd3;
localparam logic [3:0] STR_ADD    = 4'd4;
localparam logic [3:0] STR_MULS   = 4'd6;
localparam logic [3:0] STR_MAX    = 4'd9;
localparam logic [3:0] STR_DEQ    = 4'd10;
localparam logic [3:0] STR_ROPE   = 4'd11;
localparam logic [3:0] STR_EXP    = 4'd12;
localparam logic [3:0] STR_SWIGLU = 4'd13;
