// The hls/ kernel in native C-simulation equals the golden Q8_0 model bit for bit: the golden
// model is the kernel's numerical spec.
#include <gtest/gtest.h>

#include <cstring>

#include "hls/csim_memory.h"
#include "hls/llama_kernel.h"
#include "sw/checkpoint_reader.h"
#include "sw/device_image.h"
#include "sw/golden_model.h"
#include "sw/random_checkpoint.h"
#include "tests/device_memory_layout.h"
#include "tests/reference_data.h"
#include "tests/test_data.h"
#include "tests/thrown_message.h"

namespace {

// The device image laid out in one flat C-sim memory, as a testbench would pass the buffers.
struct CsimDevice {
  vp::DeviceImage image;
  vp::test::DeviceMemoryLayout layout;
  vp::CsimMemory memory;
  vp::KernelArgs args;  // the layout's addresses with the current call's token and pos
  vp::KernelBuffers buffers;

  CsimDevice(const vp::Q8Checkpoint& model, uint32_t ports, uint32_t kv_ports = 1)
      : image(vp::build_device_image(model, ports, kv_ports)),
        layout(vp::test::device_memory_layout(image)),
        memory(layout.total_bytes),
        args(layout.args) {
    vp::test::copy_weight_ports(image, layout, memory.at(0, layout.total_bytes));
  }

  std::vector<float> forward(int token, int pos) {
    args.token = static_cast<uint32_t>(token);
    args.pos = static_cast<uint32_t>(pos);
    vp::llama_forward(memory, args, buffers);
    std::vector<float> logits(image.descriptor.vocab_size);
    std::memcpy(logits.data(), memory.at(args.logits, image.logits_bytes), image.logits_bytes);
    return logits;
  }
};

void expect_bit_identical(const std::vector<float>& got, const std::vector<float>& want, int pos) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i)
    ASSERT_EQ(vp::fp::bits_of(got[i]), vp::fp::bits_of(want[i])) << "logit " << i << " at pos " << pos;
}

void run_against_golden(const vp::Q8Checkpoint& model, uint32_t ports, const std::vector<int>& tokens,
                        uint32_t kv_ports = 1) {
  CsimDevice device(model, ports, kv_ports);
  vp::GoldenQ8Model golden(model);
  for (int pos = 0; pos < static_cast<int>(tokens.size()); ++pos) {
    const std::vector<float> got = device.forward(tokens[pos], pos);
    expect_bit_identical(got, golden.forward(tokens[pos], pos), pos);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

TEST(LlamaKernelCsim, MatchesGoldenBitForBitOnStories260K) {
  VP_REQUIRE_SHARED_DATA("llama2c/stories260K.bin");
  const vp::Q8Checkpoint model =
      vp::load_checkpoint_as_q8(vp::test::shared_data("llama2c/stories260K.bin"), 64);
  std::vector<int> tokens =
      vp::test::read_token_ids(vp::test::shared_data("reference/stories260K_q80gs4_greedy256_tokens.txt"));
  tokens.resize(48);
  run_against_golden(model, 1, tokens);
}

TEST(LlamaKernelCsim, RowsSlicedOverThreePortsGiveTheSameLogits) {
  VP_REQUIRE_SHARED_DATA("llama2c/stories260K.bin");
  const vp::Q8Checkpoint model =
      vp::load_checkpoint_as_q8(vp::test::shared_data("llama2c/stories260K.bin"), 64);
  // 3 does not divide 64, 172, 32 or 512: every matrix has a short last slice.
  run_against_golden(model, 3, {1, 300, 17, 42, 511, 0, 256, 99});
}

// Position t's key/value rows on KV port t % 8 (its local row t / 8): the same logits, and each
// port's cache holds exactly its positions' rows.
TEST(LlamaKernelCsim, KvCacheInterleavedOverEightPortsGivesTheSameLogits) {
  VP_REQUIRE_SHARED_DATA("llama2c/stories260K.bin");
  const vp::Q8Checkpoint model =
      vp::load_checkpoint_as_q8(vp::test::shared_data("llama2c/stories260K.bin"), 64);
  const std::vector<int> tokens{1, 300, 17, 42, 511, 0, 256, 99, 5, 77, 123};  // a full group of 8 and 3
  run_against_golden(model, 2, tokens, 8);
  CsimDevice device(model, 2, 8);
  vp::GoldenQ8Model golden(model);
  for (int pos = 0; pos < int(tokens.size()); ++pos) {
    device.forward(tokens[pos], pos);
    golden.forward(tokens[pos], pos);
  }
  const uint32_t kv_dim = uint32_t(model.shape.kv_dim()), rows = vp::kv_rows_per_port(model.shape.seq_len, 8);
  for (uint32_t l = 0; l < uint32_t(model.shape.n_layers); ++l)
    for (uint32_t t = 0; t < tokens.size(); ++t) {
      const uint64_t at = device.args.key_cache[t % 8] + (uint64_t(l) * rows + t / 8) * kv_dim * 4;
      const float* want = golden.key_cache().data() + (uint64_t(l) * model.shape.seq_len + t) * kv_dim;
      ASSERT_EQ(std::memcmp(device.memory.at(at, kv_dim * 4), want, kv_dim * 4), 0) << "layer " << l << " pos " << t;
    }
}

TEST(LlamaKernelCsim, RefusesKvPortsThatAreNotAPowerOfTwo) {
  VP_REQUIRE_SHARED_DATA("llama2c/stories260K.bin");
  const vp::Q8Checkpoint model =
      vp::load_checkpoint_as_q8(vp::test::shared_data("llama2c/stories260K.bin"), 64);
  EXPECT_NE(vp::test::thrown_message<std::invalid_argument>([&] { vp::build_device_image(model, 1, 6); }).find("kernel.kv_ports = 6"),
            std::string::npos);
}

TEST(LlamaKernelCsim, UnsharedClassifierAndGroupedQueryAttention) {
  const vp::ModelShape shape{96, 160, 2, 6, 2, 77, 16, false};  // dim, hidden, layers, heads, kv heads, vocab, seq
  const vp::Q8Checkpoint model = vp::random_q8_checkpoint(shape, 32, 7);
  run_against_golden(model, 2, {1, 5, 76, 3, 3, 40, 12, 0, 9, 33, 60, 2, 1, 8, 15, 70});
}

TEST(LlamaKernelCsim, RefusesTokenOutsideTheVocabulary) {
  vp::ModelShape shape{64, 128, 1, 4, 4, 32, 8, true};
  const vp::Q8Checkpoint model = vp::random_q8_checkpoint(shape, 64, 3);
  CsimDevice device(model, 1);
  const std::string error = vp::test::thrown_message([&] { device.forward(32, 0); });
  EXPECT_NE(error.find("token 32"), std::string::npos) << "token 32 with vocab 32: " << error;
}

TEST(LlamaKernelCsim, RefusesAnImageWithoutDescriptor) {
  vp::ModelShape shape{64, 128, 1, 4, 4, 32, 8, true};
  const vp::Q8Checkpoint model = vp::random_q8_checkpoint(shape, 64, 3);
  CsimDevice device(model, 1);
  std::memset(device.memory.at(0, 4), 0, 4);  // clobber the magic
  EXPECT_THROW(device.forward(1, 0), std::runtime_error);
}

}  // namespace
