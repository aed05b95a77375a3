// Checkpoint readers and writers: the real stories260K file, write/read round trips of both formats (shared and
// unshared classifier, grouped-query attention), the on-disk Q8 header layout of llama2.c export.py, and every
// error a user can hit with a damaged or foreign file.
#include "sw/checkpoint_reader.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "sw/checkpoint_writer.h"
#include "sw/quantizer.h"
#include "sw/random_checkpoint.h"
#include "tests/scratch_dir.h"
#include "tests/test_data.h"
#include "tests/thrown_message.h"

namespace {

namespace fs = std::filesystem;

const char* const kCheckpoint = "llama2c/stories260K.bin";
constexpr std::int64_t kStories260KBytes = 1056540;

vp::ModelShape gqa_shape(bool shared) {
  return vp::ModelShape{32, 80, 3, 4, 2, 24, 12, shared};  // dim, hidden, layers, heads, kv heads, vocab, seq
}

class CheckpointFiles : public ::testing::Test {
 protected:
  std::string path(const std::string& name) const { return dir_.file(name); }
  // Files whose name holds ".tmp": what an atomic writer would leave behind.
  int temporaries_in_dir() const {
    int n = 0;
    for (const auto& entry : fs::directory_iterator(dir_.path())) n += entry.path().filename().string().find(".tmp") != std::string::npos;
    return n;
  }

  static std::vector<unsigned char> bytes(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    return std::vector<unsigned char>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  static void write_bytes(const std::string& file, const std::vector<unsigned char>& data) {
    std::ofstream out(file, std::ios::binary);
    out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
  }
  static void put_i32(std::vector<unsigned char>& data, std::size_t offset, std::int32_t v) {
    std::memcpy(data.data() + offset, &v, sizeof v);
  }
  static std::int32_t get_i32(const std::vector<unsigned char>& data, std::size_t offset) {
    std::int32_t v;
    std::memcpy(&v, data.data() + offset, sizeof v);
    return v;
  }

  // A random Q8_0 checkpoint of gqa_shape(true), group size 16, written as m.q8 with the int32 at
  // byte `offset` replaced by `v`; returns the file's path.
  std::string q8_with_i32(std::size_t offset, std::int32_t v) const {
    vp::write_q8_checkpoint(path("m.q8"), vp::random_q8_checkpoint(gqa_shape(true), 16, 1));
    std::vector<unsigned char> raw = bytes(path("m.q8"));
    put_i32(raw, offset, v);
    write_bytes(path("m.q8"), raw);
    return path("m.q8");
  }
  // The shared stories260K checkpoint (the test must require it) written as bad.bin with the int32
  // at byte `offset` replaced by `v`; returns the file's path.
  std::string stories260k_with_i32(std::size_t offset, std::int32_t v) const {
    std::vector<unsigned char> raw = bytes(vp::test::shared_data(kCheckpoint));
    put_i32(raw, offset, v);
    write_bytes(path("bad.bin"), raw);
    return path("bad.bin");
  }

  // The message of the std::runtime_error that `read` throws, or "" when it throws none.
  template <typename Read>
  static std::string error_of(Read read) {
    return vp::test::thrown_message(read);
  }

  vp::test::ScratchDir dir_{"ckpt"};
};

void expect_same(const vp::Q8Tensor& a, const vp::Q8Tensor& b, const std::string& what) {
  EXPECT_EQ(a.rows, b.rows) << what;
  EXPECT_EQ(a.cols, b.cols) << what;
  EXPECT_EQ(a.group_size, b.group_size) << what;
  EXPECT_EQ(a.q, b.q) << what;
  EXPECT_EQ(a.s, b.s) << what;
}

// What both checkpoint formats keep alike: the shape and the fp32 RMSNorm weights.
template <class Checkpoint>
void expect_same_shape_and_norms(const Checkpoint& a, const Checkpoint& b) {
  EXPECT_EQ(a.shape, b.shape);
  EXPECT_EQ(a.rms_att, b.rms_att);
  EXPECT_EQ(a.rms_ffn, b.rms_ffn);
  EXPECT_EQ(a.rms_final, b.rms_final);
}

void expect_same(const vp::Q8Checkpoint& a, const vp::Q8Checkpoint& b) {
  expect_same_shape_and_norms(a, b);
  EXPECT_EQ(a.group_size, b.group_size);
  expect_same(a.token_embedding, b.token_embedding, "token_embedding");
  for (const vp::LayerMatrix& m : vp::layer_matrices(a.shape)) {
    ASSERT_EQ((a.*m.q8).size(), (b.*m.q8).size()) << m.name;
    for (std::size_t l = 0; l < (a.*m.q8).size(); ++l)
      expect_same((a.*m.q8)[l], (b.*m.q8)[l], std::string(m.name) + " layer " + std::to_string(l));
  }
  expect_same(a.wcls, b.wcls, "wcls");
}

void expect_same(const vp::Fp32Checkpoint& a, const vp::Fp32Checkpoint& b) {
  expect_same_shape_and_norms(a, b);
  EXPECT_EQ(a.token_embedding, b.token_embedding);
  for (const vp::LayerMatrix& m : vp::layer_matrices(a.shape)) EXPECT_EQ(a.*m.fp32, b.*m.fp32) << m.name;
  EXPECT_EQ(a.wcls, b.wcls);
}

TEST(Stories260K, HeaderGivesTheDocumentedShape) {
  VP_REQUIRE_SHARED_DATA(kCheckpoint);
  const vp::Fp32Checkpoint c = vp::read_fp32_checkpoint(vp::test::shared_data(kCheckpoint));
  EXPECT_EQ(c.shape.dim, 64);
  EXPECT_EQ(c.shape.hidden_dim, 172);
  EXPECT_EQ(c.shape.n_layers, 5);
  EXPECT_EQ(c.shape.n_heads, 8);
  EXPECT_EQ(c.shape.n_kv_heads, 4);
  EXPECT_EQ(c.shape.vocab_size, 512);
  EXPECT_EQ(c.shape.seq_len, 512);
  EXPECT_TRUE(c.shape.shared_classifier);
  EXPECT_TRUE(c.wcls.empty());
  EXPECT_EQ(c.token_embedding.size(), 512u * 64u);
  EXPECT_EQ(c.wk.size(), 5u * 32u * 64u);
  EXPECT_EQ(c.w2.size(), 5u * 64u * 172u);
}

TEST(Stories260K, LoadAsQ8ChoosesGroupSize4AndQuantizesTheFile) {
  VP_REQUIRE_SHARED_DATA(kCheckpoint);
  const std::string file = vp::test::shared_data(kCheckpoint);
  const vp::Q8Checkpoint q8 = vp::load_checkpoint_as_q8(file, 64);
  EXPECT_EQ(q8.group_size, 4);
  expect_same(q8, vp::quantize_checkpoint(vp::read_fp32_checkpoint(file), 4));
}

TEST_F(CheckpointFiles, Fp32RoundTripWithSharedClassifier) {
  const vp::Fp32Checkpoint c = vp::random_fp32_checkpoint(gqa_shape(true), 1);
  vp::write_fp32_checkpoint(path("m.bin"), c);
  expect_same(vp::read_fp32_checkpoint(path("m.bin")), c);
  EXPECT_EQ(temporaries_in_dir(), 0) << "a temporary file was left beside m.bin";
}

TEST_F(CheckpointFiles, Fp32RoundTripWithUnsharedClassifierStoresNegativeVocab) {
  const vp::Fp32Checkpoint c = vp::random_fp32_checkpoint(gqa_shape(false), 2);
  vp::write_fp32_checkpoint(path("m.bin"), c);
  const std::vector<unsigned char> raw = bytes(path("m.bin"));
  EXPECT_EQ(get_i32(raw, 5 * 4), -24);  // run.c: negative vocab_size = unshared classifier
  expect_same(vp::read_fp32_checkpoint(path("m.bin")), c);
}

TEST_F(CheckpointFiles, Fp32FileHasTheRunCLayout) {
  // 7-int header, then the run.c tensors including freq_cis_real/imag (seq_len * head_size / 2 floats each).
  const vp::ModelShape s = gqa_shape(false);
  vp::write_fp32_checkpoint(path("m.bin"), vp::random_fp32_checkpoint(s, 3));
  const std::int64_t dim = 32, hidden = 80, layers = 3, kv_dim = 16, vocab = 24, seq = 12, head = 8;
  const std::int64_t floats = vocab * dim + layers * dim + layers * (2 * dim * dim + 2 * kv_dim * dim) +
                              layers * dim + 3 * layers * hidden * dim + dim + seq * head + vocab * dim;
  EXPECT_EQ(static_cast<std::int64_t>(fs::file_size(path("m.bin"))), 28 + 4 * floats);
}

TEST_F(CheckpointFiles, Q8RoundTripWithSharedClassifier) {
  const vp::Q8Checkpoint c = vp::random_q8_checkpoint(gqa_shape(true), 16, 4);
  vp::write_q8_checkpoint(path("m.q8"), c);
  expect_same(vp::read_q8_checkpoint(path("m.q8")), c);
  EXPECT_EQ(temporaries_in_dir(), 0) << "a temporary file was left beside m.q8";
}

TEST_F(CheckpointFiles, Q8RoundTripWithUnsharedClassifier) {
  const vp::Q8Checkpoint c = vp::random_q8_checkpoint(gqa_shape(false), 8, 5);
  vp::write_q8_checkpoint(path("m.q8"), c);
  expect_same(vp::read_q8_checkpoint(path("m.q8")), c);
  expect_same(vp::load_checkpoint_as_q8(path("m.q8"), 64), c);
}

TEST_F(CheckpointFiles, Q8HeaderFollowsExportPyVersion2) {
  const vp::Q8Checkpoint c = vp::random_q8_checkpoint(gqa_shape(false), 16, 6);
  vp::write_q8_checkpoint(path("m.q8"), c);
  const std::vector<unsigned char> raw = bytes(path("m.q8"));
  ASSERT_GE(raw.size(), 256u);
  EXPECT_EQ(std::string(raw.begin(), raw.begin() + 4), "24ka");  // uint32 0x616b3432 little-endian
  EXPECT_EQ(get_i32(raw, 4), 2);
  const std::int32_t dims[7] = {32, 80, 3, 4, 2, 24, 12};
  for (int i = 0; i < 7; ++i) EXPECT_EQ(get_i32(raw, 8 + 4 * i), dims[i]) << "dim field " << i;
  EXPECT_EQ(raw[36], 0);  // shared_classifier flag
  EXPECT_EQ(get_i32(raw, 37), 16);
  for (int i = 41; i < 256; ++i) EXPECT_EQ(raw[i], 0) << "padding byte " << i;
  // Body: rms_att, rms_ffn, rms_final, then the embedding's int8 codes followed by its scales.
  float first_rms;
  std::memcpy(&first_rms, raw.data() + 256, 4);
  EXPECT_EQ(first_rms, c.rms_att[0]);
  const std::size_t embedding_at = 256 + 4 * (2 * 3 * 32 + 32);
  EXPECT_EQ(static_cast<std::int8_t>(raw[embedding_at]), c.token_embedding.q[0]);
  float first_scale;
  std::memcpy(&first_scale, raw.data() + embedding_at + 24 * 32, 4);
  EXPECT_EQ(first_scale, c.token_embedding.s[0]);
}

TEST_F(CheckpointFiles, MissingFileErrorNamesThePath) {
  const std::string missing = path("nope.bin");
  EXPECT_NE(error_of([&] { vp::read_fp32_checkpoint(missing); }).find(missing), std::string::npos);
  EXPECT_NE(error_of([&] { vp::read_q8_checkpoint(missing); }).find(missing), std::string::npos);
  EXPECT_NE(error_of([&] { vp::load_checkpoint_as_q8(missing, 64); }).find(missing), std::string::npos);
}

TEST_F(CheckpointFiles, TruncatedStories260KErrorNamesPathAndSizes) {
  VP_REQUIRE_SHARED_DATA(kCheckpoint);
  std::vector<unsigned char> raw = bytes(vp::test::shared_data(kCheckpoint));
  ASSERT_EQ(static_cast<std::int64_t>(raw.size()), kStories260KBytes);
  raw.resize(raw.size() - 1000);
  write_bytes(path("cut.bin"), raw);
  for (const std::string& message : {error_of([&] { vp::read_fp32_checkpoint(path("cut.bin")); }),
                                     error_of([&] { vp::load_checkpoint_as_q8(path("cut.bin"), 64); })}) {
    EXPECT_NE(message.find(path("cut.bin")), std::string::npos) << message;
    EXPECT_NE(message.find("truncated"), std::string::npos) << message;
    EXPECT_NE(message.find(std::to_string(kStories260KBytes)), std::string::npos) << message;
    EXPECT_NE(message.find(std::to_string(kStories260KBytes - 1000)), std::string::npos) << message;
  }
}

TEST_F(CheckpointFiles, FileShorterThanTheHeaderIsTruncated) {
  write_bytes(path("tiny.bin"), {1, 0, 0, 0, 2, 0});
  EXPECT_NE(error_of([&] { vp::read_fp32_checkpoint(path("tiny.bin")); }).find("truncated"), std::string::npos);
  vp::write_q8_checkpoint(path("m.q8"), vp::random_q8_checkpoint(gqa_shape(true), 16, 1));
  std::vector<unsigned char> raw = bytes(path("m.q8"));
  raw.resize(100);
  write_bytes(path("short.q8"), raw);
  EXPECT_NE(error_of([&] { vp::read_q8_checkpoint(path("short.q8")); }).find("truncated"), std::string::npos);
}

TEST_F(CheckpointFiles, TrailingBytesAreAnError) {
  vp::write_fp32_checkpoint(path("m.bin"), vp::random_fp32_checkpoint(gqa_shape(true), 1));
  vp::write_q8_checkpoint(path("m.q8"), vp::random_q8_checkpoint(gqa_shape(true), 16, 1));
  for (const char* name : {"m.bin", "m.q8"}) {
    std::vector<unsigned char> raw = bytes(path(name));
    raw.push_back(0);
    write_bytes(path(name), raw);
  }
  const std::string fp32_error = error_of([&] { vp::read_fp32_checkpoint(path("m.bin")); });
  const std::string q8_error = error_of([&] { vp::read_q8_checkpoint(path("m.q8")); });
  EXPECT_NE(fp32_error.find("trailing"), std::string::npos) << fp32_error;
  EXPECT_NE(fp32_error.find(path("m.bin")), std::string::npos) << fp32_error;
  EXPECT_NE(q8_error.find("trailing"), std::string::npos) << q8_error;
}

TEST_F(CheckpointFiles, WrongMagicIsAnError) {
  vp::write_q8_checkpoint(path("m.q8"), vp::random_q8_checkpoint(gqa_shape(true), 16, 1));
  std::vector<unsigned char> raw = bytes(path("m.q8"));
  raw[0] = 'X';
  write_bytes(path("m.q8"), raw);
  const std::string message = error_of([&] { vp::read_q8_checkpoint(path("m.q8")); });
  EXPECT_NE(message.find("magic"), std::string::npos) << message;
  EXPECT_NE(message.find(path("m.q8")), std::string::npos) << message;
}

TEST_F(CheckpointFiles, Version3IsUnsupported) {
  q8_with_i32(4, 3);
  for (const std::string& message : {error_of([&] { vp::read_q8_checkpoint(path("m.q8")); }),
                                     error_of([&] { vp::load_checkpoint_as_q8(path("m.q8"), 64); })}) {
    EXPECT_NE(message.find("version 3"), std::string::npos) << message;
    EXPECT_NE(message.find(path("m.q8")), std::string::npos) << message;
  }
}

TEST_F(CheckpointFiles, DimNotMultipleOfHeadsIsInconsistent) {
  VP_REQUIRE_SHARED_DATA(kCheckpoint);
  stories260k_with_i32(0, 60);  // dim 60 with 8 heads
  const std::string message = error_of([&] { vp::read_fp32_checkpoint(path("bad.bin")); });
  EXPECT_NE(message.find(path("bad.bin")), std::string::npos) << message;
  EXPECT_NE(message.find("n_heads"), std::string::npos) << message;
}

TEST_F(CheckpointFiles, HeadsNotMultipleOfKvHeadsIsInconsistent) {
  q8_with_i32(8 + 4 * 4, 3);  // n_kv_heads 3 with 4 heads
  const std::string message = error_of([&] { vp::read_q8_checkpoint(path("m.q8")); });
  EXPECT_NE(message.find("n_kv_heads"), std::string::npos) << message;
}

TEST_F(CheckpointFiles, OddHeadSizeIsInconsistent) {
  q8_with_i32(8 + 3 * 4, 32);  // 32 heads of size 1: RoPE needs pairs
  const std::string message = error_of([&] { vp::read_q8_checkpoint(path("m.q8")); });
  EXPECT_NE(message.find("head_size 1 is odd"), std::string::npos) << message;
}

TEST_F(CheckpointFiles, NonPositiveDimensionIsInconsistent) {
  VP_REQUIRE_SHARED_DATA(kCheckpoint);
  stories260k_with_i32(2 * 4, 0);  // n_layers 0
  const std::string message = error_of([&] { vp::read_fp32_checkpoint(path("bad.bin")); });
  EXPECT_NE(message.find("n_layers"), std::string::npos) << message;
}

TEST_F(CheckpointFiles, GroupSizeThatDoesNotDivideHiddenDimIsAnError) {
  q8_with_i32(37, 32);  // divides dim 32 but not hidden_dim 80
  const std::string message = error_of([&] { vp::read_q8_checkpoint(path("m.q8")); });
  EXPECT_NE(message.find("group size 32"), std::string::npos) << message;
}

TEST_F(CheckpointFiles, LoadAsQ8RejectsAFileGroupSizeAboveTheMaximum) {
  vp::write_q8_checkpoint(path("m.q8"), vp::random_q8_checkpoint(gqa_shape(true), 16, 1));
  EXPECT_NO_THROW(vp::load_checkpoint_as_q8(path("m.q8"), 16));
  EXPECT_THROW(vp::load_checkpoint_as_q8(path("m.q8"), 8), std::runtime_error);
}

TEST_F(CheckpointFiles, WritersRejectTensorsThatDisagreeWithTheShape) {
  vp::Fp32Checkpoint c = vp::random_fp32_checkpoint(gqa_shape(true), 1);
  c.wv.pop_back();
  EXPECT_THROW(vp::write_fp32_checkpoint(path("m.bin"), c), std::runtime_error);
  vp::Q8Checkpoint q = vp::random_q8_checkpoint(gqa_shape(false), 16, 1);
  q.wcls = vp::Q8Tensor{};
  EXPECT_THROW(vp::write_q8_checkpoint(path("m.q8"), q), std::runtime_error);
  EXPECT_FALSE(fs::exists(path("m.bin")));
  EXPECT_FALSE(fs::exists(path("m.q8")));
}

TEST_F(CheckpointFiles, RewriteReplacesTheFileWhole) {
  vp::write_q8_checkpoint(path("m.q8"), vp::random_q8_checkpoint(gqa_shape(false), 16, 1));
  const vp::Q8Checkpoint second = vp::random_q8_checkpoint(gqa_shape(true), 8, 2);
  vp::write_q8_checkpoint(path("m.q8"), second);
  expect_same(vp::read_q8_checkpoint(path("m.q8")), second);
}

}  // namespace
