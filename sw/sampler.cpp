#include "sw/sampler.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace vp {

std::uint32_t random_u32(std::uint64_t* state) {
  *state ^= *state >> 12;
  *state ^= *state << 25;
  *state ^= *state >> 27;
  return static_cast<std::uint32_t>((*state * 0x2545F4914F6CDD1Dull) >> 32);
}

float random_f32(std::uint64_t* state) { return static_cast<float>(random_u32(state) >> 8) / 16777216.0f; }

namespace {

// First maximum wins (strict '>'), as run.c sample_argmax.
int sample_argmax(const std::vector<float>& values) {
  int max_i = 0;
  float max_v = values[0];
  for (std::size_t i = 1; i < values.size(); ++i) {
    if (values[i] > max_v) {
      max_i = static_cast<int>(i);
      max_v = values[i];
    }
  }
  return max_i;
}

// run.c softmax: subtract the max, exp (float overload = expf), one float sum, divide.
void softmax(std::vector<float>& x) {
  float max_val = x[0];
  for (std::size_t i = 1; i < x.size(); ++i)
    if (x[i] > max_val) max_val = x[i];
  float sum = 0.0f;
  for (float& v : x) {
    v = std::exp(v - max_val);
    sum += v;
  }
  for (float& v : x) v /= sum;
}

// run.c sample_mult: first index whose running float cdf exceeds the coin; the last index on rounding shortfall.
int sample_mult(const std::vector<float>& probabilities, float coin) {
  float cdf = 0.0f;
  for (std::size_t i = 0; i < probabilities.size(); ++i) {
    cdf += probabilities[i];
    if (coin < cdf) return static_cast<int>(i);
  }
  return static_cast<int>(probabilities.size()) - 1;
}

}  // namespace

Sampler::Sampler(int vocab_size, float temperature, float topp, std::uint64_t seed)
    : vocab_size_(vocab_size), temperature_(temperature), topp_(topp), rng_state_(seed) {
  if (vocab_size <= 0)
    throw std::invalid_argument("sampler vocab_size must be positive, got " + std::to_string(vocab_size));
  if (!(temperature >= 0.0f))
    throw std::invalid_argument("sampler temperature must be >= 0, got " + std::to_string(temperature));
  if (!(topp >= 0.0f && topp <= 1.0f))
    throw std::invalid_argument("sampler topp must be in [0, 1], got " + std::to_string(topp));
  probindex_.reserve(static_cast<std::size_t>(vocab_size));
}

int Sampler::sample(std::vector<float>& logits) {
  if (static_cast<int>(logits.size()) != vocab_size_)
    throw std::invalid_argument("sampler got " + std::to_string(logits.size()) + " logits for vocab_size " +
                                std::to_string(vocab_size_));
  if (temperature_ == 0.0f) return sample_argmax(logits);
  for (float& v : logits) v /= temperature_;
  softmax(logits);
  const float coin = random_f32(&rng_state_);
  if (topp_ <= 0.0f || topp_ >= 1.0f) return sample_mult(logits, coin);
  return sample_topp(logits, coin);
}

// run.c sample_topp. Tokens below (1 - topp) / (n - 1) cannot be in the nucleus, so they are dropped before
// sorting. run.c sorts with qsort, whose order for equal probabilities the C standard leaves open; glibc's qsort
// is a stable merge sort, so std::stable_sort over the index-ordered candidates reproduces it: descending
// probability, ties by ascending token id.
int Sampler::sample_topp(const std::vector<float>& probabilities, float coin) {
  const int n = vocab_size_;
  const float cutoff = (1.0f - topp_) / static_cast<float>(n - 1);  // n == 1: +inf, handled below
  probindex_.clear();
  for (int i = 0; i < n; ++i) {
    if (probabilities[static_cast<std::size_t>(i)] >= cutoff)
      probindex_.push_back({probabilities[static_cast<std::size_t>(i)], i});
  }
  // run.c reads probindex[-1] when nothing passes the cutoff (tiny topp with a flat distribution); the most
  // probable token is in every non-empty nucleus, so take it.
  if (probindex_.empty()) return sample_argmax(probabilities);
  std::stable_sort(probindex_.begin(), probindex_.end(),
                   [](const ProbIndex& a, const ProbIndex& b) { return a.prob > b.prob; });

  // Truncate where the cumulative probability first exceeds topp.
  float cumulative_prob = 0.0f;
  std::size_t last_idx = probindex_.size() - 1;
  for (std::size_t i = 0; i < probindex_.size(); ++i) {
    cumulative_prob += probindex_[i].prob;
    if (cumulative_prob > topp_) {
      last_idx = i;
      break;
    }
  }

  // Sample within the truncated list, scaling the coin by its total mass.
  const float r = coin * cumulative_prob;
  float cdf = 0.0f;
  for (std::size_t i = 0; i <= last_idx; ++i) {
    cdf += probindex_[i].prob;
    if (r < cdf) return probindex_[i].index;
  }
  return probindex_[last_idx].index;
}

}  // namespace vp
