// rtl/llama_vector_stream.sv (Verilated at LANES = 1, 4 and 32; the kernel's 16 lanes run in the
// whole-kernel tests, 32 also in the checked kernel) against hls/llama_arith.h, bit for bit, in
// every mode: the reductions
// (whose block order must give the same bits at every lane count), the element loops with
// lengths that leave partial beats and partial blocks, dequantization at three group sizes and
// RoPE at table lengths that are not multiples of the lanes. A behavioural scratchpad with
// windows of max(LANES, 16) words stands in for rtl/llama_scratchpad.sv (its reads come one cycle
// after the address, as the real one's).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "Vllama_vector_stream_l1.h"
#include "Vllama_vector_stream_l32.h"
#include "Vllama_vector_stream_l4.h"
#include "hls/fp32_math.h"
#include "hls/llama_arith.h"
#include "rtl/dv/fp32_stimulus.h"
#include "rtl/dv/verilated_harness.h"

namespace {

using vp::fp::bits_of;
using vp::fp::float_of;

// The stream's mode encoding (rtl/llama_pkg.sv stream_mode_e).
enum Mode : uint8_t { kSumSq = 0, kSum = 2, kScale2 = 3, kAdd = 4, kMulS = 6, kMax = 9, kDeq = 10, kRope = 11,
                      kExp = 12, kSwiglu = 13 };

constexpr uint32_t kWords = 1u << 15;

template <class Model>
class StreamBench {
 public:
  StreamBench() : memory(kWords, 0) { unit_.reset(); }

  std::vector<uint32_t> memory;
  uint32_t partial[8] = {};

  // Runs one loop to its done pulse; returns its cycles from start.
  uint64_t run(Mode mode, uint32_t n, uint32_t a, uint32_t b, uint32_t w, float s = 0, uint32_t gs_log2 = 0,
               uint32_t wrap = 0) {
    Model& m = unit_.io();
    m.mode_i = mode;
    m.n_i = n;
    m.a_i = a;
    m.b_i = b;
    m.w_i = w;
    m.s_i = bits_of(s);
    m.gs_log2_i = gs_log2;
    m.wrap_i = wrap;
    m.start_i = 1;
    step();
    m.start_i = 0;
    uint64_t cycles = 1;
    while (!m.done_o) {
      step();
      if (++cycles > 200000) throw std::runtime_error("vector stream: no done pulse");
    }
    step();
    return cycles;
  }
  uint32_t max_bits() { return unit_.io().max_o; }
  float combined_partials() {
    float p[8];
    for (int k = 0; k < 8; ++k) p[k] = float_of(partial[k]);
    return vp::arith::tree_combine(p);
  }
  void clear_partials() {
    for (uint32_t& p : partial) p = 0;
    for (int k = 0; k < 8; ++k) unit_.io().p_i[k] = 0;
  }

 private:
  // One clock edge: the scratchpad writes and the partial sums the stream asked for land at the
  // edge, and the windows it addressed come back after it.
  void step() {
    Model& m = unit_.io();
    const bool read = m.rd_o, write = m.wr_o, partial_write = m.p_we_o;
    const uint32_t a_addr = m.rd_a_addr_o, b_addr = m.rd_b_addr_o, w_addr = m.wr_addr_o, count = m.wr_count_o;
    const uint32_t p_idx = m.p_idx_o, p_data = m.p_data_o;
    uint32_t data[kWindow];
    for (uint32_t j = 0; j < kWindow; ++j) data[j] = m.wr_data_o[j];
    unit_.tick();
    if (write)
      for (uint32_t j = 0; j < count; ++j) memory[(w_addr + j) % kWords] = data[j];
    if (partial_write) partial[p_idx] = p_data;
    for (int k = 0; k < 8; ++k) m.p_i[k] = partial[k];
    if (read) {
      // Windows in order (start bank 0): the words from the address on.
      for (uint32_t j = 0; j < kWindow; ++j) {
        m.banks_a_i[j] = memory[(a_addr + j) % kWords];
        m.banks_b_i[j] = memory[(b_addr + j) % kWords];
      }
      m.rbank_a_i = 0;
      m.rbank_b_i = 0;
    }
    m.eval();
  }

  // Window words (the scratchpad's banks): the width of the model's window ports.
  static constexpr uint32_t kWindow = sizeof(Model::banks_a_i) / sizeof(uint32_t);
  vp::rtl_dv::VerilatedUnit<Model> unit_;
};

template <class Model>
std::string check_every_mode() {
  StreamBench<Model> bench;
  std::string failures;
  const auto expect = [&](const char* what, uint32_t n, uint32_t i, uint32_t got, uint32_t want) {
    if (got != want && failures.size() < 2000)
      failures += std::string(what) + " n=" + std::to_string(n) + " i=" + std::to_string(i) + " got " +
                  vp::rtl_dv::hex32(got) + " want " + vp::rtl_dv::hex32(want) + "\n";
  };
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> uniform(-2.0f, 2.0f);
  constexpr uint32_t kA = 1000, kB = 5000, kW = 9000;
  for (const uint32_t n : {1u, 3u, 7u, 16u, 17u, 31u, 64u, 100u, 288u}) {
    std::vector<float> x(n), y(n);
    for (float& v : x) v = uniform(rng) * std::ldexp(1.0f, static_cast<int>(rng() % 10) - 5);
    for (float& v : y) v = uniform(rng);
    const auto load = [&] {
      for (uint32_t i = 0; i < n; ++i) {
        bench.memory[kA + i] = bits_of(x[i]);
        bench.memory[kB + i] = bits_of(y[i]);
      }
    };
    load();
    bench.clear_partials();
    bench.run(kSumSq, n, kA, kA, kA);
    expect("sumsq", n, 0, bits_of(bench.combined_partials()), bits_of(vp::arith::sum_of_squares(x.data(), n)));
    bench.clear_partials();
    bench.run(kSum, n, kA, kA, kA);
    expect("sum", n, 0, bits_of(bench.combined_partials()), bits_of(vp::arith::sum(x.data(), n)));
    bench.memory[kW + n] = 0x7F7F7F7Fu;  // a loop writes n words, not a whole last beat
    bench.run(kScale2, n, kA, kB, kW, 0.37f);
    for (uint32_t i = 0; i < n; ++i) expect("scale2", n, i, bench.memory[kW + i], bits_of(y[i] * (0.37f * x[i])));
    expect("scale2 past n", n, n, bench.memory[kW + n], 0x7F7F7F7Fu);
    bench.run(kAdd, n, kA, kB, kW);
    for (uint32_t i = 0; i < n; ++i) expect("add", n, i, bench.memory[kW + i], bits_of(x[i] + y[i]));
    bench.run(kMulS, n, kA, kB, kW, 1.7f);
    for (uint32_t i = 0; i < n; ++i) expect("muls", n, i, bench.memory[kW + i], bits_of(x[i] * 1.7f));
    bench.run(kMax, n, kA, kA, kA);
    float max = x[0];
    for (uint32_t i = 1; i < n; ++i)
      if (x[i] > max) max = x[i];
    expect("max", n, 0, bench.max_bits(), bits_of(max));
    bench.run(kExp, n, kA, kA, kW, 0.5f);
    for (uint32_t i = 0; i < n; ++i) expect("exp", n, i, bench.memory[kW + i], bits_of(vp::fp::exp(x[i] - 0.5f)));
    bench.run(kSwiglu, n, kA, kB, kW);
    for (uint32_t i = 0; i < n; ++i)
      expect("swiglu", n, i, bench.memory[kW + i], bits_of(vp::arith::swiglu(x[i], y[i])));
    // Dequantization: n int8 codes packed 4 a word at kA, group g's scale at kB + g.
    for (const uint32_t gs_log2 : {0u, 2u, 5u}) {
      std::vector<int8_t> q(n);
      for (int8_t& v : q) v = static_cast<int8_t>(rng());
      for (uint32_t i = 0; i < (n + 3) / 4; ++i) {
        uint32_t word = 0;
        for (uint32_t k = 0; k < 4 && 4 * i + k < n; ++k) word |= uint32_t(uint8_t(q[4 * i + k])) << (8 * k);
        bench.memory[kA + i] = word;
      }
      for (uint32_t g = 0; g <= (n >> gs_log2); ++g) bench.memory[kB + g] = bits_of(y[g % n]);
      bench.run(kDeq, n, kA, kB, kW, 0, gs_log2);
      for (uint32_t i = 0; i < n; ++i)
        expect("deq", n, i, bench.memory[kW + i], bits_of(vp::arith::dequant(q[i], y[(i >> gs_log2) % n])));
    }
  }
  // RoPE in place: 4 heads of `wrap` elements at an odd address, (cos, sin) table of wrap words.
  for (const uint32_t wrap : {2u, 6u, 8u, 16u, 24u, 48u, 64u, 96u}) {
    const uint32_t n = 4 * wrap, a = 1003, table = 5007;
    std::vector<float> x(n), t(wrap);
    for (float& v : x) v = uniform(rng);
    for (float& v : t) v = uniform(rng);
    for (uint32_t i = 0; i < n; ++i) bench.memory[a + i] = bits_of(x[i]);
    for (uint32_t i = 0; i < wrap; ++i) bench.memory[table + i] = bits_of(t[i]);
    bench.run(kRope, n, a, table, a, 0, 0, wrap);
    for (uint32_t i = 0; i < n; i += 2) {
      float v[2] = {x[i], x[i + 1]};
      vp::arith::rope_pair(v, t[i % wrap], t[i % wrap + 1]);
      expect("rope even", wrap, i, bench.memory[a + i], bits_of(v[0]));
      expect("rope odd", wrap, i, bench.memory[a + i + 1], bits_of(v[1]));
    }
  }
  return failures;
}

// Throughput: from n = 64 to n = 288 an element loop takes (288 - 64) / lanes more cycles (a
// beat a cycle), a sum 14 more blocks of 16 / min(lanes, 16) beats (its partials take a block a
// cycle at most: hls/sequential_timing_model.cpp sum_beats).
template <class Model>
std::string check_beats_per_cycle(uint32_t lanes) {
  StreamBench<Model> bench;
  std::string failures;
  const uint32_t sum_lanes = lanes < 16 ? lanes : 16;
  const auto growth = [&](Mode mode) {
    return bench.run(mode, 288, 1000, 5000, 9000, 1.0f) - bench.run(mode, 64, 1000, 5000, 9000, 1.0f);
  };
  for (const Mode mode : {kScale2, kAdd, kMulS, kMax, kDeq, kExp, kSwiglu})
    if (growth(mode) != 224 / lanes)
      failures += "mode " + std::to_string(mode) + ": " + std::to_string(growth(mode)) + " more cycles\n";
  for (const Mode mode : {kSumSq, kSum})
    if (growth(mode) != 14 * (16 / sum_lanes))
      failures += "sum mode " + std::to_string(mode) + ": " + std::to_string(growth(mode)) + " more cycles\n";
  return failures;
}

TEST(RtlLlamaVectorStream, OneLaneEqualsTheSpecInEveryMode) {
  EXPECT_EQ(check_every_mode<Vllama_vector_stream_l1>(), "");
  EXPECT_EQ(check_beats_per_cycle<Vllama_vector_stream_l1>(1), "");
}

TEST(RtlLlamaVectorStream, FourLanesEqualTheSpecInEveryMode) {
  EXPECT_EQ(check_every_mode<Vllama_vector_stream_l4>(), "");
  EXPECT_EQ(check_beats_per_cycle<Vllama_vector_stream_l4>(4), "");
}

// 32 lanes read 32-word windows and write up to 32 words a beat; their sums still take 16
// elements a cycle (one block), so their bits are the spec's.
TEST(RtlLlamaVectorStream, ThirtyTwoLanesEqualTheSpecInEveryMode) {
  static_assert(sizeof(Vllama_vector_stream_l32::banks_a_i) == 32 * 4, "32-word windows");
  EXPECT_EQ(check_every_mode<Vllama_vector_stream_l32>(), "");
  EXPECT_EQ(check_beats_per_cycle<Vllama_vector_stream_l32>(32), "");
}

}  // namespace
