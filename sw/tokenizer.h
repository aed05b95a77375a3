#pragma once
// The llama2.c BPE tokenizer: loads `tokenizer.bin` and encodes/decodes exactly as llama2.c run.c does,
// so prompts give the same token ids as the reference programs.
#include <string>
#include <string_view>
#include <vector>

namespace vp {

class Tokenizer {
 public:
  static constexpr int kBosId = 1;
  static constexpr int kEosId = 2;
  // Raw byte b (no piece of its own) is encoded as id b + kByteFallbackOffset (sentencepiece <0xXX> tokens).
  static constexpr int kByteFallbackOffset = 3;

  // Reads the first `vocab_size` tokens of a llama2.c tokenizer file: `uint32 max_token_length`, then per token
  // `float32 score, int32 len, len bytes` (little-endian). Extra tokens after vocab_size are ignored.
  // Throws std::runtime_error naming `path` when the file is missing, truncated, has a negative or too-long
  // token length, holds fewer than vocab_size tokens, or vocab_size <= 0.
  static Tokenizer load(const std::string& path, int vocab_size);

  // run.c encode(): optional BOS, the dummy-prefix " " piece when text is non-empty, one token per UTF-8
  // codepoint (byte fallback ids byte+3 when the codepoint has no piece), then repeated merging of the adjacent
  // pair whose concatenation is the highest-scoring piece (leftmost on ties) until no pair merges; optional EOS.
  // Like run.c, which takes a C string, the text ends at its first NUL byte.
  std::vector<int> encode(const std::string& text, bool bos, bool eos) const;

  // run.c decode(): the piece of `token`, without its leading space when prev_token is BOS, and with
  // <0xXX> byte tokens turned into the raw byte (a one-byte string, also for byte 0x00).
  std::string decode_piece(int prev_token, int token) const;

  int vocab_size() const { return static_cast<int>(pieces_.size()); }
  int max_token_length() const { return max_token_length_; }
  const std::string& piece(int id) const;
  float score(int id) const;
  const std::string& path() const { return path_; }

  // Id of the piece equal to `text`, or -1 (run.c str_lookup).
  int lookup(std::string_view text) const;

 private:
  Tokenizer() = default;
  void check_id(int id) const;

  std::string path_;
  int max_token_length_ = 0;
  std::vector<std::string> pieces_;
  std::vector<float> scores_;
  // Ids ordered by piece (then id): binary search gives deterministic, allocation-free lookups.
  std::vector<int> sorted_ids_;
};

}  // namespace vp
