// Sampler: llama2.c's xorshift stream, greedy, temperature and top-p sampling, checked against independent
// transcriptions of run.c's formulas and against distributions whose answer is known.
#include "sw/sampler.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

// run.c's random_u32, written out again here (not calling the code under test).
std::uint32_t reference_xorshift(std::uint64_t& s) {
  s = s ^ (s >> 12);
  s = s ^ (s << 25);
  s = s ^ (s >> 27);
  const std::uint64_t scrambled = s * UINT64_C(0x2545F4914F6CDD1D);
  return static_cast<std::uint32_t>(scrambled >> 32);
}

// Top 24 bits of a 32-bit draw as a fraction of 2^24.
float reference_f32(std::uint32_t u) { return std::ldexp(static_cast<float>(u >> 8), -24); }

std::vector<double> softmax_double(const std::vector<float>& logits, double temperature) {
  double max_v = logits[0];
  for (float v : logits) max_v = std::max<double>(max_v, v);
  std::vector<double> p(logits.size());
  double sum = 0;
  for (std::size_t i = 0; i < logits.size(); ++i) sum += p[i] = std::exp((logits[i] - max_v) / temperature);
  for (double& v : p) v /= sum;
  return p;
}

std::vector<float> log_probs(const std::vector<double>& probs) {
  std::vector<float> logits;
  for (double p : probs) logits.push_back(static_cast<float>(std::log(p)));
  return logits;
}

template <typename F>
void expect_invalid_argument_naming(const std::string& name, F construct) {
  try {
    construct();
    FAIL() << "no exception for bad " << name;
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
  }
}

}  // namespace

TEST(Sampler, XorshiftSequenceMatchesTheLlama2cFormula) {
  for (std::uint64_t seed : {UINT64_C(1), UINT64_C(42), UINT64_C(1700000000), UINT64_C(0xFFFFFFFFFFFFFFFF)}) {
    std::uint64_t state = seed;
    std::uint64_t expected_state = seed;
    for (int i = 0; i < 1000; ++i) {
      const std::uint32_t expected = reference_xorshift(expected_state);
      ASSERT_EQ(vp::random_u32(&state), expected) << "seed " << seed << " draw " << i;
      ASSERT_EQ(state, expected_state);
    }
    std::uint64_t f_state = seed;
    std::uint64_t f_expected_state = seed;
    for (int i = 0; i < 1000; ++i) {
      const float f = vp::random_f32(&f_state);
      ASSERT_EQ(f, reference_f32(reference_xorshift(f_expected_state)));
      ASSERT_GE(f, 0.0f);
      ASSERT_LT(f, 1.0f);
    }
  }
}

TEST(Sampler, GreedyPicksTheFirstMaximumAndLeavesTheGeneratorAlone) {
  vp::Sampler sampler(8, 0.0f, 0.9f, 42);
  std::vector<float> logits = {0.5f, -1.0f, 2.0f, 3.5f, 1.0f, 3.0f, -2.0f, 3.5f};
  EXPECT_EQ(sampler.sample(logits), 3);
  EXPECT_EQ(sampler.rng_state(), 42u);
  std::vector<float> negative = {-5.0f, -4.0f, -7.0f, -4.5f, -9.0f, -8.0f, -6.0f, -4.25f};
  EXPECT_EQ(sampler.sample(negative), 1);
}

TEST(Sampler, MultinomialDrawsOneCoinPerTokenFromTheGenerator) {
  // Equal logits give probabilities of exactly 1/4, so the cdf steps are exact: token = number of steps <= coin.
  const std::uint64_t seed = 2024;
  vp::Sampler sampler(4, 1.0f, 1.0f, seed);
  std::uint64_t state = seed;
  for (int i = 0; i < 200; ++i) {
    std::vector<float> logits(4, 0.25f);
    const float coin = reference_f32(reference_xorshift(state));
    const int expected = coin < 0.25f ? 0 : coin < 0.5f ? 1 : coin < 0.75f ? 2 : 3;
    ASSERT_EQ(sampler.sample(logits), expected) << "draw " << i;
  }
}

TEST(Sampler, SameSeedGivesSameSamples) {
  std::mt19937 gen(7);
  std::normal_distribution<float> normal(0.0f, 2.0f);
  std::vector<std::vector<float>> steps(300, std::vector<float>(1000));
  for (auto& step : steps)
    for (float& v : step) v = normal(gen);
  auto run = [&](std::uint64_t seed, float topp) {
    vp::Sampler sampler(1000, 0.8f, topp, seed);
    std::vector<int> tokens;
    for (const auto& step : steps) {
      std::vector<float> logits = step;
      tokens.push_back(sampler.sample(logits));
    }
    return tokens;
  };
  for (float topp : {0.9f, 1.0f}) {
    EXPECT_EQ(run(1234, topp), run(1234, topp));
    EXPECT_NE(run(1234, topp), run(4321, topp));
  }
}

TEST(Sampler, TopPNeverReturnsATokenOutsideTheNucleus) {
  // Sorted: 0.40 (id 1), 0.30 (id 3) -> cumulative 0.70 > 0.65, so the nucleus is {1, 3}.
  const std::vector<double> probs = {0.05, 0.40, 0.03, 0.30, 0.12, 0.10};
  const std::vector<float> logits = log_probs(probs);
  vp::Sampler sampler(6, 1.0f, 0.65f, 99);
  std::vector<int> counts(6, 0);
  const int draws = 20000;
  for (int i = 0; i < draws; ++i) {
    std::vector<float> l = logits;
    const int token = sampler.sample(l);
    ASSERT_TRUE(token == 1 || token == 3) << token;
    ++counts[static_cast<std::size_t>(token)];
  }
  // Within the nucleus, probabilities are renormalized: 4/7 and 3/7.
  EXPECT_NEAR(counts[1] / double(draws), 4.0 / 7.0, 0.02);
  EXPECT_NEAR(counts[3] / double(draws), 3.0 / 7.0, 0.02);
}

TEST(Sampler, TopPKeepsTheNucleusInALlamaSizedVocabulary) {
  // Two dominant logits among 32000 zeros: p = e^20/Z and e^19/Z hold all but ~5e-5 of the mass, and the first
  // alone (0.73) is below topp 0.9, so the nucleus is exactly those two tokens.
  const int n = 32000;
  std::vector<float> logits(n, 0.0f);
  logits[12345] = 20.0f;
  logits[777] = 19.0f;
  vp::Sampler sampler(n, 1.0f, 0.9f, 5);
  std::set<int> seen;
  for (int i = 0; i < 2000; ++i) {
    std::vector<float> l = logits;
    const int token = sampler.sample(l);
    ASSERT_TRUE(token == 12345 || token == 777) << token;
    seen.insert(token);
  }
  EXPECT_EQ(seen.size(), 2u);
}

TEST(Sampler, TemperatureSamplingFrequenciesApproachSoftmax) {
  const std::vector<float> logits = {1.0f, 2.0f, 0.5f, 1.5f, -1.0f};
  const float temperature = 0.7f;
  const std::vector<double> expected = softmax_double(logits, temperature);
  for (float topp : {0.0f, 1.0f}) {  // both mean plain multinomial
    vp::Sampler sampler(5, temperature, topp, 31337);
    std::vector<int> counts(5, 0);
    const int draws = 40000;
    for (int i = 0; i < draws; ++i) {
      std::vector<float> l = logits;
      ++counts[static_cast<std::size_t>(sampler.sample(l))];
    }
    for (std::size_t i = 0; i < expected.size(); ++i)
      EXPECT_NEAR(counts[i] / double(draws), expected[i], 0.015) << "token " << i << " topp " << topp;
  }
}

TEST(Sampler, SampleLeavesSoftmaxProbabilitiesInTheLogits) {
  vp::Sampler sampler(3, 2.0f, 1.0f, 8);
  std::vector<float> logits = {0.0f, 2.0f, 4.0f};
  const std::vector<double> expected = softmax_double(logits, 2.0);
  sampler.sample(logits);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_NEAR(logits[i], expected[i], 1e-6);
}

TEST(Sampler, InvalidArgumentsThrowNamingTheParameter) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  expect_invalid_argument_naming("temperature", [] { vp::Sampler(10, -0.1f, 0.9f, 1); });
  expect_invalid_argument_naming("temperature", [&] { vp::Sampler(10, nan, 0.9f, 1); });
  expect_invalid_argument_naming("topp", [] { vp::Sampler(10, 1.0f, 1.5f, 1); });
  expect_invalid_argument_naming("topp", [] { vp::Sampler(10, 1.0f, -0.01f, 1); });
  expect_invalid_argument_naming("topp", [&] { vp::Sampler(10, 1.0f, nan, 1); });
  expect_invalid_argument_naming("vocab_size", [] { vp::Sampler(0, 1.0f, 0.9f, 1); });
  vp::Sampler sampler(10, 1.0f, 0.9f, 1);
  std::vector<float> wrong_size(9, 0.0f);
  expect_invalid_argument_naming("vocab_size", [&] { sampler.sample(wrong_size); });
  EXPECT_NO_THROW(vp::Sampler(10, 0.0f, 0.0f, 1));
  EXPECT_NO_THROW(vp::Sampler(10, 1.0f, 1.0f, 1));
}
