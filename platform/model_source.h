#pragma once
// Where the run's model comes from: a llama2.c checkpoint file, or a deterministic random
// model of a named shape, generated once and kept as an ak42 Q8_0 file in the cache dir.
#include <string>

#include "platform/sim_config.h"
#include "sw/checkpoint.h"
#include "sw/model_shape.h"

namespace vp {

// "stories110M", "stories42M", "stories15M", "stories260K", "tiny", or
// "dim,hidden_dim,n_layers,n_heads,n_kv_heads,vocab_size,seq_len". Throws naming run.model_shape.
ModelShape parse_model_shape(const std::string& text);

struct LoadedModel {
  Q8Checkpoint weights;
  std::string source;  // file read, or a description of the random model and its cache file
};

LoadedModel load_model(const RunConfig& run);

}  // namespace vp
