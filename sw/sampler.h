#pragma once
// The llama2.c run.c sampler, bit for bit: xorshift random numbers, greedy argmax, temperature + softmax,
// multinomial and top-p (nucleus) sampling. The same seed gives the same tokens as llama2.c.
#include <cstdint>
#include <vector>

namespace vp {

// llama2.c xorshift64* step; returns the high 32 bits of the scrambled state. A state of 0 stays 0.
std::uint32_t random_u32(std::uint64_t* state);
// Uniform float in [0, 1) from the top 24 bits of random_u32.
float random_f32(std::uint64_t* state);

class Sampler {
 public:
  // temperature 0 means greedy argmax; topp in (0, 1) enables nucleus sampling, 0 or 1 plain multinomial.
  // Throws std::invalid_argument naming the parameter for vocab_size <= 0, temperature < 0 (or NaN),
  // topp outside [0, 1] (or NaN). llama2.c never seeds with 0 (it substitutes the time); seed 0 is accepted
  // here but makes every coin 0.
  Sampler(int vocab_size, float temperature, float topp, std::uint64_t seed);

  // Picks the next token from `logits` (size vocab_size). Like run.c, it overwrites logits with the
  // probabilities when temperature > 0, and advances the generator once per call only in that case.
  int sample(std::vector<float>& logits);

  int vocab_size() const { return vocab_size_; }
  float temperature() const { return temperature_; }
  float topp() const { return topp_; }
  std::uint64_t rng_state() const { return rng_state_; }

 private:
  struct ProbIndex {
    float prob;
    int index;
  };
  int sample_topp(const std::vector<float>& probabilities, float coin);

  int vocab_size_;
  float temperature_;
  float topp_;
  std::uint64_t rng_state_;
  std::vector<ProbIndex> probindex_;  // scratch buffer for top-p, reused across calls like run.c's
};

}  // namespace vp
