// Operation codes of llama_vector_unit, shared with the layer sequencer. Included inside each
// module that needs them (module-scope localparams), so no include guard.
localparam logic [3:0] VOP_DEQUANT  = 4'd0;  // dst[i] = float(int8 row byte i) * row scale[i / gs]
localparam logic [3:0] VOP_RMSNORM  = 4'd1;  // dst = b * (rsqrt(sum(a^2) * scalar + 1e-5) * a)
localparam logic [3:0] VOP_QUANTIZE = 4'd2;  // Q8_0 groups of a -> int8 activations and scales
localparam logic [3:0] VOP_ROPE     = 4'd3;  // rotate pairs of a (dim) and b (kv_dim) by the table at c
localparam logic [3:0] VOP_SOFTMAX  = 4'd5;  // softmax of n entries of each head's row at a
// 4, 6, 7: the attention scores, the +0 fill and the weighted sum, now llama_attention_unit
localparam logic [3:0] VOP_RESIDUAL = 4'd8;  // a[i] = a[i] + b[i]
localparam logic [3:0] VOP_SWIGLU   = 4'd9;  // a[i] = (a[i] * 1/(1 + e^-a[i])) * b[i]
