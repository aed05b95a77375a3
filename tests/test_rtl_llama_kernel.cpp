// rtl/llama_kernel.sv on its own (Verilated, no SoC), its m_axi ports answered by a cycle-level
// AXI memory: every token's logits equal the hls/ kernel's C-simulation bit for bit, on a tiny
// random shape (GS 64, GQA), a wider one with 64-element heads, and on the trained stories260K
// (GS 4, rows that are not whole beats).
#include <gtest/gtest.h>

#include <cstring>

#include "Vllama_kernel.h"
#include "hls/csim_memory.h"
#include "hls/kernel_timing_model.h"
#include "hls/llama_kernel.h"
#include "sw/checkpoint_reader.h"
#include "sw/random_checkpoint.h"
#include "tests/llama_kernel_bench.h"
#include "tests/reference_data.h"
#include "tests/test_data.h"

namespace {

using vp::test::DeviceMemory;
using RtlKernelBench = vp::test::LlamaKernelBench<Vllama_kernel>;

void expect_rtl_equals_csim(const vp::Q8Checkpoint& model, const std::vector<int>& tokens) {
  DeviceMemory rtl_memory(model);
  DeviceMemory csim_image(model);
  vp::CsimMemory csim(csim_image.bytes.size());
  std::memcpy(csim.at(0, csim_image.bytes.size()), csim_image.bytes.data(), csim_image.bytes.size());
  vp::KernelBuffers buffers;
  RtlKernelBench bench(rtl_memory.bytes);
  for (size_t pos = 0; pos < tokens.size(); ++pos) {
    vp::KernelArgs a = rtl_memory.layout.args;
    a.token = uint32_t(tokens[pos]);
    a.pos = uint32_t(pos);
    const uint64_t cycles = bench.run(a, 50'000'000);
    vp::llama_forward(csim, a, buffers);
    std::vector<float> want(model.shape.vocab_size);
    std::memcpy(want.data(), csim.at(a.logits, want.size() * 4), want.size() * 4);
    const std::vector<float> got = rtl_memory.logits();
    for (size_t i = 0; i < want.size(); ++i)
      ASSERT_EQ(vp::fp::bits_of(got[i]), vp::fp::bits_of(want[i]))
          << "logit " << i << " at pos " << pos << ": rtl " << got[i] << " hls " << want[i];
    vp::KernelMicroarch micro;
    micro.memory_latency = 16;  // this testbench's AXI memory answers 8 cycles after AR
    uint64_t model_total = 0;
    for (int ph = 0; ph < vp::kKernelPhaseCount; ++ph) {
      const auto phase = static_cast<vp::KernelPhase>(ph);
      const uint64_t layers = (phase == vp::KernelPhase::kLoadDescriptor || phase == vp::KernelPhase::kEmbedding ||
                               phase == vp::KernelPhase::kFinalRmsnorm || phase == vp::KernelPhase::kClassifier)
                                  ? 1
                                  : model.shape.n_layers;
      const uint64_t mc = layers * vp::phase_compute_cycles(phase, rtl_memory.image.descriptor, a.pos, micro);
      model_total += mc;
    }
    std::printf("pos %zu: %llu cycles, model %llu\n", pos, static_cast<unsigned long long>(cycles),
                static_cast<unsigned long long>(model_total));
  }
}

TEST(RtlLlamaKernel, EqualsHlsCsimOnTinyShape) {
  const vp::ModelShape shape{64, 128, 2, 4, 2, 256, 64};
  const vp::Q8Checkpoint model = vp::random_q8_checkpoint(shape, 64, 7);
  expect_rtl_equals_csim(model, {1, 17, 200, 3, 99, 255, 0, 42});
}

// Head size 64 with GQA (kv_mul 2): the attention unit's q copy and xb write-back move whole
// 16-word rows through the permutation by query group (head size < 16, as stories260K's 8,
// moves them a word at a time).
TEST(RtlLlamaKernel, EqualsHlsCsimWithWideHeadsAndGroupedQueries) {
  const vp::ModelShape shape{256, 512, 1, 4, 2, 256, 64};
  const vp::Q8Checkpoint model = vp::random_q8_checkpoint(shape, 64, 7);
  expect_rtl_equals_csim(model, {1, 17, 200, 3});
}

TEST(RtlLlamaKernel, EqualsHlsCsimOnStories260K) {
  VP_REQUIRE_SHARED_DATA("llama2c/stories260K.bin");
  const vp::Q8Checkpoint model = vp::load_checkpoint_as_q8(vp::test::shared_data("llama2c/stories260K.bin"), 64);
  std::vector<int> tokens =
      vp::test::read_token_ids(vp::test::shared_data("reference/stories260K_q80gs4_greedy256_tokens.txt"));
  tokens.resize(8);
  expect_rtl_equals_csim(model, tokens);
}

}  // namespace
