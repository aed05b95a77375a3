#include "platform/model_source.h"

#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "hls/llama_kernel.h"
#include "sw/checkpoint_reader.h"
#include "sw/checkpoint_writer.h"
#include "sw/quantizer.h"
#include "sw/random_checkpoint.h"

namespace vp {

ModelShape parse_model_shape(const std::string& text) {
  // dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len (shared classifier)
  ModelShape s;
  if (text == "stories110M") s = ModelShape::stories110m();
  else if (text == "stories42M") s = ModelShape{512, 1376, 8, 8, 8, 32000, 1024};
  else if (text == "stories15M") s = ModelShape{288, 768, 6, 6, 6, 32000, 256};
  else if (text == "stories260K") s = ModelShape{64, 172, 5, 8, 4, 512, 512};
  else if (text == "tiny") s = ModelShape{64, 128, 2, 4, 2, 256, 64};
  else {
    std::vector<int> v;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
      try {
        size_t used = 0;
        v.push_back(std::stoi(item, &used));
        if (used != item.size()) throw std::invalid_argument(item);
      } catch (const std::exception&) {
        throw std::runtime_error("config key run.model_shape = '" + text + "': '" + item + "' is not an integer");
      }
    }
    if (v.size() != 7)
      throw std::runtime_error("config key run.model_shape = '" + text +
                               "': expected a name (stories110M, stories42M, stories15M, stories260K, tiny) or 7 "
                               "integers dim,hidden_dim,n_layers,n_heads,n_kv_heads,vocab_size,seq_len");
    s = ModelShape{v[0], v[1], v[2], v[3], v[4], v[5], v[6]};
  }
  s.validate("config key run.model_shape");
  return s;
}

LoadedModel load_model(const RunConfig& run) {
  if (!run.checkpoint.empty()) {
    Q8Checkpoint weights = load_checkpoint_as_q8(run.checkpoint, static_cast<int>(run.max_group_size));
    // A Q8_0 file stores no tensor sized by seq_len, so a tiny file can claim any seq_len; the RoPE table
    // and KV caches built from it would be huge before the kernel refused the descriptor.
    if (static_cast<uint32_t>(weights.shape.seq_len) > kMaxSeqLen)
      throw std::runtime_error("checkpoint " + run.checkpoint + ": seq_len " + std::to_string(weights.shape.seq_len) +
                               " exceeds the kernel's " + std::to_string(kMaxSeqLen) +
                               " positions (kMaxSeqLen, hls/llama_kernel.h)");
    return {std::move(weights), run.checkpoint};
  }
  const ModelShape shape = parse_model_shape(run.model_shape);
  const int gs = choose_group_size(shape, static_cast<int>(run.max_group_size));
  std::string name = run.model_shape;
  for (char& c : name)
    if (c == ',') c = 'x';
  const std::filesystem::path cache = std::filesystem::path(run.cache_dir) /
                                      ("random_" + name + "_seed" + std::to_string(run.model_seed) + "_gs" +
                                       std::to_string(gs) + ".bin");
  const std::string description = "random " + run.model_shape + " model (seed " + std::to_string(run.model_seed) +
                                  ", Q8_0 group size " + std::to_string(gs) + ", cached in " + cache.string() + ")";
  if (std::filesystem::exists(cache)) return {read_q8_checkpoint(cache.string()), description};
  Q8Checkpoint weights = random_q8_checkpoint(shape, gs, run.model_seed);
  std::error_code ec;
  std::filesystem::create_directories(cache.parent_path(), ec);
  try {
    if (!ec) write_q8_checkpoint(cache.string(), weights);
  } catch (const std::exception&) {
    // Only a cache: a read-only directory costs regeneration next time, nothing else.
  }
  return {std::move(weights), description};
}

}  // namespace vp
