// Tokenizer against llama2.c's own output: encode() of the reference prompts must give the ids that run.c's
// encode() gave, and decoding must give the text back. Also the load errors a user can hit.
#include "sw/tokenizer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/read_file.h"
#include "tests/test_data.h"

namespace {

constexpr int kLlamaVocab = 32000;
const char* const kTokenizer = "llama2c/tokenizer.bin";
const char* const kPrompts = "reference/tokenizer_prompts.txt";
const char* const kPromptIds = "reference/tokenizer_prompts.ids";

// One prompt a line; the two characters '\' 'n' stand for a newline.
std::vector<std::string> read_prompts(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << path;
  std::vector<std::string> prompts;
  std::string line;
  while (std::getline(in, line)) {
    std::string text;
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == 'n') {
        text.push_back('\n');
        ++i;
      } else {
        text.push_back(line[i]);
      }
    }
    prompts.push_back(text);
  }
  return prompts;
}

// One line of space-separated ids per prompt.
std::vector<std::vector<int>> read_ids(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << path;
  std::vector<std::vector<int>> all;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    all.emplace_back(std::istream_iterator<int>(fields), std::istream_iterator<int>());
  }
  return all;
}

// llama2.c's tokenizer, with the reference prompts and the ids run.c's encode() gave each (the test must require
// kTokenizer and kPromptIds).
struct ReferencePrompts {
  vp::Tokenizer tok;
  std::vector<std::string> prompts;
  std::vector<std::vector<int>> ids;
};

ReferencePrompts reference_prompts() {
  return {vp::Tokenizer::load(vp::test::shared_data(kTokenizer), kLlamaVocab),
          read_prompts(vp::test::shared_data(kPrompts)), read_ids(vp::test::shared_data(kPromptIds))};
}

using vp::test::read_file;

std::string write_temp(const std::string& name, const std::string& bytes) {
  const std::string path = ::testing::TempDir() + "vp_test_tokenizer_" + name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

template <typename T>
void append_raw(std::string* out, T value) {
  out->append(reinterpret_cast<const char*>(&value), sizeof value);
}

// Expects `load` to throw std::runtime_error whose message contains every one of `parts`.
void expect_load_error(const std::string& path, int vocab_size, const std::vector<std::string>& parts) {
  try {
    vp::Tokenizer::load(path, vocab_size);
    FAIL() << "loading " << path << " did not throw";
  } catch (const std::runtime_error& e) {
    for (const std::string& part : parts) EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
  }
}

// Writes a llama2.c tokenizer file holding `vocab` (piece, score) and loads it.
vp::Tokenizer load_vocab(const std::string& name, const std::vector<std::pair<std::string, float>>& vocab) {
  std::string bytes;
  append_raw<std::uint32_t>(&bytes, 8);
  for (const auto& [piece, score] : vocab) {
    append_raw<float>(&bytes, score);
    append_raw<std::int32_t>(&bytes, static_cast<std::int32_t>(piece.size()));
    bytes += piece;
  }
  const std::string path = write_temp(name, bytes);
  auto tok = vp::Tokenizer::load(path, static_cast<int>(vocab.size()));
  std::filesystem::remove(path);
  return tok;
}

}  // namespace

TEST(Tokenizer, EncodeMatchesLlama2cIdsForEveryReferencePrompt) {
  VP_REQUIRE_SHARED_DATA(kTokenizer);
  VP_REQUIRE_SHARED_DATA(kPromptIds);
  const ReferencePrompts r = reference_prompts();
  ASSERT_EQ(r.prompts.size(), r.ids.size());
  ASSERT_GE(r.prompts.size(), 5u);
  for (std::size_t i = 0; i < r.prompts.size(); ++i)
    EXPECT_EQ(r.tok.encode(r.prompts[i], /*bos=*/true, /*eos=*/false), r.ids[i])
        << "prompt " << i << ": " << r.prompts[i];
}

TEST(Tokenizer, BosAndEosAreOptional) {
  VP_REQUIRE_SHARED_DATA(kTokenizer);
  VP_REQUIRE_SHARED_DATA(kPromptIds);
  const ReferencePrompts r = reference_prompts();
  ASSERT_FALSE(r.prompts.empty());
  // No vocabulary piece starts with BOS's "\n<s>\n", so BOS never merges and dropping it drops just ids[0].
  std::vector<int> expected(r.ids[0].begin() + 1, r.ids[0].end());
  expected.push_back(vp::Tokenizer::kEosId);
  EXPECT_EQ(r.tok.encode(r.prompts[0], /*bos=*/false, /*eos=*/true), expected);
}

TEST(Tokenizer, DecodeOfEncodedPromptsGivesBackTheText) {
  VP_REQUIRE_SHARED_DATA(kTokenizer);
  VP_REQUIRE_SHARED_DATA(kPrompts);
  const auto tok = vp::Tokenizer::load(vp::test::shared_data(kTokenizer), kLlamaVocab);
  for (const std::string& prompt : read_prompts(vp::test::shared_data(kPrompts))) {
    const std::vector<int> ids = tok.encode(prompt, true, false);
    ASSERT_EQ(ids.front(), vp::Tokenizer::kBosId);
    std::string text;
    for (std::size_t i = 1; i < ids.size(); ++i) text += tok.decode_piece(ids[i - 1], ids[i]);
    EXPECT_EQ(text, prompt);
  }
}

TEST(Tokenizer, DecodeTurnsByteTokensIntoRawBytes) {
  VP_REQUIRE_SHARED_DATA(kTokenizer);
  const auto tok = vp::Tokenizer::load(vp::test::shared_data(kTokenizer), kLlamaVocab);
  // Ids 3..258 are the sentencepiece byte tokens <0x00>..<0xFF>.
  for (int byte = 0; byte < 256; ++byte) {
    const int id = byte + vp::Tokenizer::kByteFallbackOffset;
    ASSERT_EQ(tok.piece(id).substr(0, 3), "<0x") << id;
    EXPECT_EQ(tok.decode_piece(0, id), std::string(1, static_cast<char>(byte))) << id;
  }
}

TEST(Tokenizer, DecodeStripsLeadingSpaceOnlyAfterBos) {
  VP_REQUIRE_SHARED_DATA(kTokenizer);
  const auto tok = vp::Tokenizer::load(vp::test::shared_data(kTokenizer), kLlamaVocab);
  const int hello = tok.lookup(" Hello");
  ASSERT_GE(hello, 0);
  EXPECT_EQ(tok.decode_piece(vp::Tokenizer::kBosId, hello), "Hello");
  EXPECT_EQ(tok.decode_piece(hello, hello), " Hello");
}

TEST(Tokenizer, LookupFindsEveryPieceAtItsOwnId) {
  VP_REQUIRE_SHARED_DATA(kTokenizer);
  const auto tok = vp::Tokenizer::load(vp::test::shared_data(kTokenizer), kLlamaVocab);
  ASSERT_EQ(tok.vocab_size(), kLlamaVocab);
  for (int id = 0; id < tok.vocab_size(); ++id) ASSERT_EQ(tok.lookup(tok.piece(id)), id) << tok.piece(id);
  EXPECT_EQ(tok.lookup("no such piece in the vocabulary"), -1);
  EXPECT_THROW(tok.piece(kLlamaVocab), std::out_of_range);
  EXPECT_THROW(tok.piece(-1), std::out_of_range);
}

TEST(Tokenizer, FileWithMoreTokensThanVocabSizeLoadsThePrefix) {
  VP_REQUIRE_SHARED_DATA(kTokenizer);
  const auto full = vp::Tokenizer::load(vp::test::shared_data(kTokenizer), kLlamaVocab);
  const auto prefix = vp::Tokenizer::load(vp::test::shared_data(kTokenizer), 512);
  ASSERT_EQ(prefix.vocab_size(), 512);
  for (int id = 0; id < 512; ++id) EXPECT_EQ(prefix.piece(id), full.piece(id));
}

TEST(Tokenizer, TruncatedFileIsAnErrorNamingTheFile) {
  VP_REQUIRE_SHARED_DATA(kTokenizer);
  const std::string bytes = read_file(vp::test::shared_data(kTokenizer));
  ASSERT_GT(bytes.size(), 1000u);
  // Cut inside the 4-byte header, and inside the token records (mid-record: 1001 bytes is not a record boundary
  // unless the file layout is very unlucky, and then the "has N tokens" message names the file too).
  for (std::size_t size : {std::size_t{2}, std::size_t{1001}, bytes.size() - 3}) {
    const std::string path = write_temp("truncated_" + std::to_string(size), bytes.substr(0, size));
    expect_load_error(path, kLlamaVocab, {path});
    std::filesystem::remove(path);
  }
}

TEST(Tokenizer, VocabMismatchSaysHowManyTokensTheFileHas) {
  VP_REQUIRE_SHARED_DATA(kTokenizer);
  const std::string path = vp::test::shared_data(kTokenizer);
  expect_load_error(path, kLlamaVocab + 1,
                    {"tokenizer " + path + " has 32000 tokens but the model's vocab_size is 32001"});
}

TEST(Tokenizer, MissingFileIsAnErrorNamingTheFile) {
  const std::string path = ::testing::TempDir() + "vp_test_tokenizer_does_not_exist.bin";
  std::filesystem::remove(path);
  expect_load_error(path, kLlamaVocab, {path});
}

TEST(Tokenizer, NonPositiveVocabSizeIsAnError) {
  const std::string path = ::testing::TempDir() + "vp_test_tokenizer_unused.bin";
  expect_load_error(path, 0, {path, "vocab_size"});
  expect_load_error(path, -5, {path, "vocab_size"});
}

TEST(Tokenizer, NegativeOrOverlongTokenLengthIsAnError) {
  for (std::int32_t bad_len : {-1, 9, 1 << 30}) {
    std::string bytes;
    append_raw<std::uint32_t>(&bytes, 8);  // max_token_length
    append_raw<float>(&bytes, 0.0f);
    append_raw<std::int32_t>(&bytes, bad_len);
    bytes.append(16, 'x');
    const std::string path = write_temp("bad_len", bytes);
    expect_load_error(path, 1, {path, "length " + std::to_string(bad_len)});
    std::filesystem::remove(path);
  }
}

TEST(Tokenizer, MergesPickTheHighestScoringPairEachRound) {
  // "abc" can merge as (ab)c or a(bc); "bc" scores higher, so it goes first, then "a"+"bc" = "abc".
  const auto tok = load_vocab("merges", {{"<unk>", 0}, {"<s>", 0}, {"</s>", 0}, {" ", -1}, {"a", -2}, {"b", -3},
                                         {"c", -4}, {"ab", -6}, {"bc", -5}, {"abc", -7}, {" a", -8}});
  // Round 1: candidates " a"(-8), "ab"(-6), "bc"(-5) -> "bc". Round 2: " a"(-8), "abc"(-7) -> "abc".
  // Round 3: " abc" is not a piece -> stop.
  EXPECT_EQ(tok.encode("abc", false, false), (std::vector<int>{3, 9}));
}

TEST(Tokenizer, EqualScoringMergesTakeTheLeftmostPair) {
  const auto tok = load_vocab("ties", {{"<unk>", 0}, {"<s>", 0}, {"</s>", 0}, {" ", -1}, {"a", -2}, {"b", -3},
                                       {"c", -4}, {"ab", -5}, {"bc", -5}});
  EXPECT_EQ(tok.encode("abc", false, false), (std::vector<int>{3, 7, 6}));
}

TEST(Tokenizer, CodepointsWithoutAPieceFallBackToByteIds) {
  // A vocabulary with all 256 byte tokens but no "é" piece: its two UTF-8 bytes become ids byte+3.
  std::vector<std::pair<std::string, float>> vocab = {{"<unk>", 0}, {"<s>", 0}, {"</s>", 0}};
  const char* hex = "0123456789ABCDEF";
  for (int b = 0; b < 256; ++b) vocab.push_back({std::string("<0x") + hex[b / 16] + hex[b % 16] + ">", 0});
  vocab.push_back({" ", -1});
  vocab.push_back({"x", -1});
  const auto tok = load_vocab("bytes", vocab);
  EXPECT_EQ(tok.encode("x\xC3\xA9", true, true), (std::vector<int>{1, 259, 260, 0xC3 + 3, 0xA9 + 3, 2}));
  EXPECT_EQ(tok.decode_piece(260, 0xC3 + 3) + tok.decode_piece(0xC3 + 3, 0xA9 + 3), "\xC3\xA9");
}
